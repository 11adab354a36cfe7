"""One runner for ``ibtheory reproduce`` and ``pytest paper_checks``: compute every need first, then check and draw.

:class:`Runner` takes the claims and figure panels of a :class:`~paper_checks.workflow.ids.Selection`, collects
what they declare they need (:class:`paper_checks.registry.Need`), and

1. computes every missing **run and experiment** piece (per seed, in chunks, on the executor: local processes or a
   Dask cluster), saving each as soon as it arrives, so an interrupted run loses at most the chunks in flight;
2. computes every missing **measurement** piece of those runs in the same way (a worker receives the stored run
   as netCDF bytes: it never trains);
3. evaluates each claim's pure check on its inputs (an exception, or a need that could not be computed, is an
   ``error`` verdict naming the cause, never a pass) and draws each figure.

Each network of a profile is therefore trained once, however many claims, figures and estimators use it; the
store's counts (:meth:`~paper_checks.workflow.store.ResultStore.summary`) show it. :func:`reproduce` is what
``ibtheory reproduce`` calls; ``paper_checks/test_claims.py`` runs the same :class:`Runner`.
"""

from __future__ import annotations

import ast
import hashlib
import importlib
import inspect
import json
import textwrap
import threading
import time
import traceback
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import xarray as xr
from tqdm.auto import tqdm

from paper_checks import registry
from paper_checks.compare import ClaimResult
from paper_checks.declarations import conformance
from paper_checks.profiles import Profile
from paper_checks.workflow.executor import Executor, SerialExecutor
from paper_checks.workflow.ids import Selection, order, select
from paper_checks.workflow.report import write_reports
from paper_checks.workflow.store import (
    Piece,
    ResultStore,
    dataset_from_bytes,
    encode_piece,
    pieces_of,
)

__all__ = [
    "INTERRUPT",
    "MAX_SEED_CHUNK",
    "ClaimOutcome",
    "FigureOutcome",
    "RunSummary",
    "Runner",
    "claim_fingerprint",
    "compute_measurements",
    "compute_source",
    "ensure_registered",
    "reproduce",
    "seed_chunks",
    "timed",
]

#: Set by the CLI's SIGINT handler. Python may swallow the ``KeyboardInterrupt`` when it lands inside a finalizer;
#: the runner then raises it at the next checkpoint (after each saved piece, claim and figure).
INTERRUPT = threading.Event()

#: Upper bound on the seeds computed in one call (a kill loses at most one chunk per worker).
MAX_SEED_CHUNK = 8


def seed_chunks(seeds: list[int], workers: int, seed_chunk: int | None = None) -> list[tuple[int, ...]]:
    """`seeds` cut into the chunks computed as one task each (the rule of :class:`Runner` and of ``--plan``).

    Each chunk has `seed_chunk` seeds, by default ``min(MAX_SEED_CHUNK, ceil(len(seeds) / workers))``.
    """
    size = seed_chunk or min(MAX_SEED_CHUNK, max(1, -(-len(seeds) // max(workers, 1))))
    return [tuple(seeds[i : i + size]) for i in range(0, len(seeds), size)]


def _checkpoint() -> None:
    if INTERRUPT.is_set():
        raise KeyboardInterrupt


def one_line(err: BaseException) -> str:
    """``Type: message (file:line)``, the location being where the error was raised."""
    frame = traceback.extract_tb(err.__traceback__)[-1] if err.__traceback__ else None
    where = f" ({Path(frame.filename).name}:{frame.lineno})" if frame else ""
    message = " ".join(str(err).split())
    return f"{type(err).__name__}: {message}{where}"


# ---------------------------------------------------------------------- units of work (run in workers)
def ensure_registered(config: Any, lookup) -> Any:
    """The registry entry of `config`; in a fresh worker, a module that registers on demand is asked to.

    Unpickling a configuration imports the module of its class, which registers it when it uses the decorators at
    import time (every science module does). A module that registers only on request (plug-ins loaded with
    ``ibtheory reproduce --registry MODULE``) exposes ``register()``, which is called once here.
    """
    try:
        return lookup(config)
    except TypeError:
        module = importlib.import_module(type(config).__module__)
        if not callable(getattr(module, "register", None)):
            raise
        module.register()
        return lookup(config)


def _encode_pieces(name: str, result: Any, attributes: Mapping[int | None, dict[str, str]]) -> dict[int | None, bytes]:
    """The stored bytes of each piece of `result`: per seed (``attributes`` keyed by seed) or whole (key None)."""
    if None in attributes:
        return {None: encode_piece(name, result, attributes[None])}
    if not isinstance(result, xr.Dataset):
        raise ValueError(f"{name!r} must return an xarray.Dataset, got {type(result).__name__}")
    seeds = sorted(attributes)
    if "seed" not in result.dims or sorted(int(s) for s in result["seed"].values) != seeds:
        raise ValueError(f"{name!r} has a 'seeds' field but its result has no matching 'seed' coordinate")
    return {s: encode_piece(name, result.sel(seed=[s]), attributes[s]) for s in seeds}


def compute_source(config: Any, attributes: Mapping[int | None, dict[str, str]]) -> dict[int | None, bytes] | str:
    """Train the run (or compute the experiment) `config`; the stored bytes of each piece, or a one-line error.

    The unit of work sent to executors: the worker encodes each seed's piece with its `attributes` (from
    :meth:`ResultStore.attributes`), so the client only writes bytes. Unpickling `config` in a fresh worker
    imports the module that defines its class, which registers its trainer or experiment.
    """
    try:
        spec = ensure_registered(config, registry.spec_for)
        return _encode_pieces(spec.name, spec.function(config), attributes)
    except Exception as err:
        return one_line(err)


def compute_measurements(
    run_pieces: Mapping[int | None, bytes], wanted: list[tuple[Any, Mapping[int | None, dict[str, str]]]]
) -> list[dict[int | None, bytes] | str] | str:
    """Take several measurements of one run chunk, decoding the run once.

    Parameters
    ----------
    run_pieces : dict
        Seed (None for a run without seeds) → the stored netCDF bytes of that seed's run.
    wanted : list of (measurement, attributes)
        Each measurement configuration and the stored attributes of each of its pieces, keyed by seed (the seeds
        it is missing, a subset of `run_pieces`).

    Returns
    -------
    list or str
        One entry per measurement, aligned with `wanted`: the stored bytes of each of its pieces, or a one-line
        error (a failing measurement does not hide the others); a one-line error if the run cannot be read.
    """
    try:
        import paper_checks.measurements  # noqa: F401  (registers the measurements in a fresh worker)

        parts = {seed: dataset_from_bytes(data) for seed, data in run_pieces.items()}
    except Exception as err:
        return one_line(err)
    out: list[dict[int | None, bytes] | str] = []
    for measurement, attributes in wanted:
        try:
            spec = ensure_registered(measurement, registry.measurement_spec_for)
            chosen = [parts[seed] for seed in attributes]
            run = chosen[0] if len(chosen) == 1 else xr.concat(chosen, dim="seed", data_vars="minimal",
                                                                 coords="minimal")  # fmt: skip
            out.append(_encode_pieces(spec.name, spec.function(run, measurement), attributes))
        except Exception as err:
            out.append(one_line(err))
    return out


def timed(function: Any, *arguments: Any) -> tuple[Any, float, float]:
    """``(function(*arguments), CPU seconds, wall seconds)``, measured in the process that computes.

    CPU time is the whole process's (:func:`time.process_time`: every thread, so BLAS threads count), which is what a
    worker spends on one task; the runner keeps both in the store's cost ledger (:meth:`ResultStore.record_cost`).
    """
    cpu, wall = time.process_time(), time.perf_counter()
    answer = function(*arguments)
    return answer, time.process_time() - cpu, time.perf_counter() - wall


# ---------------------------------------------------------------------- outcomes
@dataclass
class ClaimOutcome:
    """What happened to one claim check: its result, or the error it raised, how long it took, and what it declares.

    The verdict (:attr:`status`) is ``holds``, ``does not reproduce`` (the check ran and did not hold: a finding)
    or ``error`` (the check could not run); :attr:`expected` is the verdict the claim declares at the profile
    (``@claim(expected=...)``), and :attr:`as_declared` says whether they agree.
    """

    claim: str
    result: ClaimResult | None = None
    error: str | None = None
    seconds: float = 0.0
    expected: registry.Expectation = field(default_factory=registry.Expectation)
    scopes: tuple[str, ...] = ()

    @property
    def status(self) -> str:
        """``"holds"``, ``"does not reproduce"``, ``"not run"`` (declared at the profile) or ``"error"``."""
        if self.result is None and self.error is None and self.expected.verdict == registry.NOT_RUN:
            return registry.NOT_RUN
        if self.result is None:
            return "error"
        return registry.HOLDS if self.result.passed else registry.DOES_NOT_REPRODUCE

    @property
    def as_declared(self) -> bool:
        """True when the check ran with the declared verdict (with either verdict where it declares ``undecided``).

        Also true when it was not run where it declares ``not run``.
        """
        if self.status == registry.NOT_RUN:
            return True
        if self.expected.verdict == registry.UNDECIDED:
            return self.result is not None
        return self.result is not None and self.status == self.expected.verdict


@dataclass
class FigureOutcome:
    """The files one figure panel produced, or the error it raised."""

    figure: str
    files: list[Path] = field(default_factory=list)
    error: str | None = None
    seconds: float = 0.0


@dataclass
class RunSummary:
    """Everything a reproduce run produced (what the CLI prints and the report shows)."""

    profile: str
    out: Path
    selection: Selection
    claims: dict[str, ClaimOutcome]
    figures: dict[str, FigureOutcome]
    store: dict[str, int]
    executor: str
    seconds: float
    reports: list[Path] = field(default_factory=list)
    mnist: str = "reduced"
    swept: tuple[str, ...] = ()
    """Activations whose estimator sweep ran at the end (the report includes its section and maps)."""

    @property
    def ok(self) -> bool:
        """True when every claim check ran with its declared verdict and every figure was drawn.

        A declared "does not reproduce" that does not reproduce is a result; a verdict that differs from its
        declaration (either way), a check that errored and a figure that could not be drawn are not.
        """
        return all(o.as_declared for o in self.claims.values()) and all(o.error is None for o in self.figures.values())

    @property
    def differing(self) -> list[str]:
        """The claims whose verdict is not the declared one (errors included), in order."""
        return [cid for cid, o in self.claims.items() if not o.as_declared]


# ---------------------------------------------------------------------- the runner
class Runner:
    """Computes the needs of claims and figures into a store, then evaluates the checks and draws the figures.

    Parameters
    ----------
    store : ResultStore
        Where runs, measurements and experiments are kept (passed explicitly: there is no global hook).
    profile : Profile
        The run profile whose needs are computed.
    executor : Executor, optional
        Where pieces are computed (default: in this process).
    seed_chunk : int, optional
        Seeds per call; default ``min(MAX_SEED_CHUNK, ceil(missing / workers))``.
    progress : bool
        Show tqdm bars.
    """

    def __init__(
        self,
        store: ResultStore,
        profile: Profile,
        *,
        executor: Executor | None = None,
        seed_chunk: int | None = None,
        progress: bool = False,
    ) -> None:
        if seed_chunk is not None and (
            not isinstance(seed_chunk, int) or isinstance(seed_chunk, bool) or seed_chunk < 1
        ):
            raise ValueError(f"seed_chunk must be a positive integer, got {seed_chunk!r}")
        self.store = store
        self.profile = profile
        self.executor = executor or SerialExecutor()
        self.seed_chunk = seed_chunk
        self.progress = progress
        self.failures: dict[Path, str] = {}
        self._prepared: set[registry.Need] = set()

    # ------------------------------------------------------------------ needs
    def needs_of(self, claims: Iterable[str] = (), figures: Iterable[str] = ()) -> dict[str, dict[str, registry.Need]]:
        """The declared needs of the given claims and figure panels, keyed ``claim:C1`` / ``figure:F2C``."""
        out: dict[str, dict[str, registry.Need]] = {}
        for cid in claims:
            if registry.CLAIMS[cid].expectation(self.profile).verdict == registry.NOT_RUN:
                continue  # declared not run at this profile: nothing of it is computed
            out[f"claim:{cid}"] = dict(registry.CLAIMS[cid].needs(self.profile))
        for fid in figures:
            out[f"figure:{fid}"] = dict(registry.FIGURES[fid].needs(self.profile))
        return out

    def _chunks(self, seeds: list[int]) -> list[tuple[int, ...]]:
        return seed_chunks(seeds, self.executor.workers, self.seed_chunk)

    def prepare(self, needs: Iterable[registry.Need]) -> None:
        """Compute every missing piece of `needs`: runs and experiments first, then their measurements."""
        needs = [n for n in dict.fromkeys(needs) if n not in self._prepared]
        pieces = list(dict.fromkeys(p for n in needs for p in pieces_of(n)))
        sources = [p for p in pieces if p.measurement is None]
        measured = [p for p in pieces if p.measurement is not None]
        self._compute(sources)
        self._compute(measured)
        self._prepared.update(needs)

    def _missing(self, pieces: list[Piece]) -> list[Piece]:
        missing = []
        for piece in pieces:
            if self.store.has(piece):
                self.store.record("reused", piece.kind, f"{piece.name} seed {piece.seed}")
            else:
                missing.append(piece)
        return missing

    def _compute(self, pieces: list[Piece]) -> None:
        missing = self._missing(pieces)
        groups: dict[str, list[Piece]] = {}
        for piece in missing:
            run_failed = piece.measurement is not None and self.store.path_of(Piece(piece.source, None, piece.seed))
            if run_failed and run_failed in self.failures:
                self.failures[self.store.path_of(piece)] = f"its run failed: {self.failures[run_failed]}"
                continue
            key = self.store.source_key(piece.source)
            if piece.measurement is None:
                key += "/" + registry.spec_for(piece.source).name
            groups.setdefault(key, []).append(piece)
        # One task per seed chunk of a run: a run's task trains it; a measurement task decodes the run's chunk once
        # and takes every missing measurement of it.
        tasks: list[tuple[list[list[Piece]], tuple[Any, ...], Any]] = []
        for group in groups.values():
            seeds = list(dict.fromkeys(p.seed for p in group))
            chunks = [tuple(seeds)] if seeds == [None] else self._chunks(seeds)
            for chunk in chunks:
                members = [p for p in group if p.seed in chunk]
                if members[0].measurement is None:
                    first = members[0]
                    config = first.source if chunk == (None,) else replace(first.source, seeds=chunk)
                    attributes = {p.seed: self.store.attributes(p, profile=self.profile.name) for p in members}
                    tasks.append(([members], (config, attributes), compute_source))
                    continue
                by_measurement: dict[str, list[Piece]] = {}
                for p in members:
                    by_measurement.setdefault(repr(p.measurement), []).append(p)
                wanted = [
                    (ps[0].measurement, {p.seed: self.store.attributes(p, profile=self.profile.name) for p in ps})
                    for ps in by_measurement.values()
                ]
                runs = {s: self.store.load_bytes(Piece(members[0].source if s is None else
                                                       replace(members[0].source, seeds=(s,)), None, s))
                        for s in dict.fromkeys(p.seed for p in members)}  # fmt: skip
                tasks.append((list(by_measurement.values()), (runs, wanted), compute_measurements))
        if not tasks:
            return
        kind = "measurements" if tasks[0][2] is compute_measurements else "runs and experiments"
        bar = tqdm(total=len(tasks), desc=kind, unit="task", leave=False, disable=not self.progress)
        with bar:
            for function in (compute_source, compute_measurements):
                batch = [t for t in tasks if t[2] is function]
                if not batch:
                    continue
                for index, (answer, cpu, wall) in self.executor.run(timed, [(function, *t[1]) for t in batch]):
                    parts = batch[index][0]
                    answers = answer if isinstance(answer, list) else [answer] * len(parts)
                    for members, one in zip(parts, answers, strict=True):
                        self._save(members, one)
                    self.store.record_cost([p for members in parts for p in members], cpu, wall, self.profile.name)
                    bar.update()
                    _checkpoint()

    def _save(self, members: list[Piece], answer: dict[int | None, bytes] | str) -> None:
        if isinstance(answer, str):
            for piece in members:
                self.failures[self.store.path_of(piece)] = answer
            return
        for piece in members:
            self.store.write(piece, answer[piece.seed])
            detail = piece.name if piece.seed is None else f"{piece.name} seed {piece.seed}"
            self.store.record("computed", piece.kind, detail)

    def load(self, need: registry.Need) -> xr.Dataset:
        """The result of `need` (computing what is missing)."""
        self.prepare([need])
        problems = [
            f"{p.name} (seed {p.seed}): {self.failures[self.store.path_of(p)]}"
            for p in pieces_of(need)
            if self.store.path_of(p) in self.failures
        ]
        if problems:
            raise RuntimeError(f"need {need.describe()} could not be computed: {problems[0]}")
        return self.store.join(need)

    def inputs(self, needs: Mapping[str, registry.Need]) -> registry.Inputs:
        """The :class:`~paper_checks.registry.Inputs` of a claim or figure."""
        return registry.Inputs(self.profile, {name: self.load(need) for name, need in needs.items()})

    # ------------------------------------------------------------------ checks and figures
    def check(self, claim_id: str) -> ClaimOutcome:
        """Evaluate claim `claim_id` on its inputs (an exception becomes an ``error`` outcome)."""
        spec = registry.CLAIMS[claim_id]
        expected = spec.expectation(self.profile)
        if expected.verdict == registry.NOT_RUN:
            return ClaimOutcome(claim_id, expected=expected)
        start = time.perf_counter()
        needs = spec.needs(self.profile)
        # What the verdict stands for when a run is not the paper's own size (e.g. MNIST on the subset).
        scopes = tuple(dict.fromkeys(s for n in needs.values() if (s := getattr(n.source, "scope", None))))
        try:
            result = spec.check(self.inputs(needs))
            if not isinstance(result, ClaimResult):
                raise TypeError(f"check returned {type(result).__name__}, not ClaimResult")
            if spec.declaration is not None:
                problems = conformance(spec.declaration, result.checks)
                if problems:
                    raise ValueError(f"the result does not follow its declaration: {'; '.join(problems)}")
            return ClaimOutcome(
                claim_id, result=result, seconds=time.perf_counter() - start, expected=expected, scopes=scopes
            )
        except Exception as err:
            return ClaimOutcome(
                claim_id, error=one_line(err), seconds=time.perf_counter() - start, expected=expected, scopes=scopes
            )

    def draw(self, figure_ids: Iterable[str], outdir: Path) -> dict[str, FigureOutcome]:
        """Draw the panels `figure_ids` into `outdir` (one call per draw function, however many panels it has)."""
        draws: dict[Any, list[str]] = {}
        for fid in figure_ids:
            draws.setdefault(registry.FIGURES[fid].draw, []).append(fid)
        outcomes: dict[str, FigureOutcome] = {}
        for ids in tqdm(list(draws.values()), desc="figures", unit="figure", disable=not self.progress or not draws):
            spec = registry.FIGURES[ids[0]]
            start = time.perf_counter()
            files: list[Path] = []
            error = None
            try:
                files = [Path(p) for p in spec.draw(self.inputs(spec.needs(self.profile)), outdir)]
                missing = [str(p) for p in files if not p.exists()]
                if not files or missing:
                    raise FileNotFoundError(f"draw() reported files that do not exist: {missing or 'none returned'}")
            except Exception as err:
                error = one_line(err)
            _checkpoint()
            for fid in ids:
                own = [f for f in files if f.stem == fid] or files
                outcomes[fid] = FigureOutcome(fid, files=own, error=error, seconds=time.perf_counter() - start)
        return outcomes


def reproduce(
    profile: Profile,
    out: str | Path,
    *,
    only: str | None = None,
    executor: Executor | None = None,
    seed_chunk: int | None = None,
    quiet: bool = False,
    report: bool = True,
    run_claims: bool = True,
    sensitivity: Sequence[str] = (),
) -> RunSummary:
    """Run the selected claims and figures at `profile`, keeping every result in `out`, and write the report.

    Parameters
    ----------
    profile : Profile
        ``FAST`` or ``PAPER``.
    out : str or Path
        Results directory (see :mod:`paper_checks.workflow.store` for its layout).
    only : str, optional
        Comma-separated claim/figure ids (see :func:`~paper_checks.workflow.ids.select`); None runs everything
        registered. Unknown ids raise ValueError, exactly as the CLI refuses them.
    executor : Executor, optional
        Where pieces are computed (default: in this process).
    seed_chunk : int, optional
        Seeds per call (see :class:`Runner`).
    quiet : bool
        No progress bars.
    report : bool
        Write ``report.md``/``report.html``/``claims-<profile>.json``.
    run_claims : bool
        False draws the selected figures only (``ibtheory figure``).
    sensitivity : sequence of str
        Activations whose estimator sweep (:func:`paper_checks.workflow.sensitivity.sweep`, the whole default
        grid) runs after the claims and figures, from the stored runs, so that the report includes its maps;
        empty (the default) sweeps nothing. The CLI's full ``reproduce`` passes
        :data:`~paper_checks.workflow.sensitivity.REPRODUCE_ACTIVATIONS`.

    Returns
    -------
    RunSummary

    Raises
    ------
    ValueError
        Bad `only` ids; :class:`~paper_checks.workflow.store.ResultsDirectoryError` for an unusable `out`.
    """
    start = time.perf_counter()
    INTERRUPT.clear()
    selection = select(only)
    store = ResultStore(out)
    runner = Runner(store, profile, executor=executor, seed_chunk=seed_chunk, progress=not quiet)
    figure_dir = store.root / "figures"
    figure_dir.mkdir(exist_ok=True)
    chosen = selection.claims if run_claims else ()
    all_needs = runner.needs_of(chosen, selection.figures)
    runner.prepare(need for needs in all_needs.values() for need in needs.values())
    claims: dict[str, ClaimOutcome] = {}
    for cid in tqdm(chosen, desc="claims", unit="claim", disable=quiet or not chosen):
        claims[cid] = runner.check(cid)
        _checkpoint()
    figures = runner.draw(selection.figures, figure_dir)
    swept = None
    if sensitivity:
        from paper_checks.workflow.sensitivity import sweep

        swept = sweep(store.root, profile=profile, activations=sensitivity, executor=runner.executor,
                      progress=not quiet)  # fmt: skip
    summary = RunSummary(
        profile=profile.name,
        out=store.root,
        selection=selection,
        claims=claims,
        figures=figures,
        store=store.summary(),
        executor=runner.executor.describe(),
        seconds=time.perf_counter() - start,
        mnist=profile.mnist,
        swept=() if swept is None else tuple(swept.grids),
    )
    store.record_session(summary.seconds, profile.name, executor=summary.executor)
    if report:
        summary.reports = write_reports(summary)
        summary.reports.append(_write_json(summary))
    return summary


def check_source(check: Any) -> str:
    """The source of a claim's check that its published verdicts depend on, normalised by :func:`ast.unparse`.

    The function and its ``@claim`` call without the ``expected=`` argument; comments and line breaks do not count.

    The declared verdicts are fingerprinted on their own, per profile (:func:`claim_fingerprint`), so declaring a
    fast-profile verdict does not make a paper-profile verdict stale; the needs, the declared checks and the code
    of the check do.
    """
    try:
        source = textwrap.dedent(inspect.getsource(check))
    except (OSError, TypeError):
        return repr(check)
    tree = ast.parse(source)
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for decorator in node.decorator_list:
                if isinstance(decorator, ast.Call):
                    decorator.keywords = [k for k in decorator.keywords if k.arg != "expected"]
    return ast.unparse(tree)


def claim_fingerprint(claim_id: str, profile: str) -> dict[str, Any]:
    """What a published verdict of `claim_id` at `profile` was checked against: if any of it changes, it is stale.

    The declared checks (:meth:`~paper_checks.declarations.Declared.describe` of each), the declared verdict and its
    reason at the profile, and a SHA-256 of the check's source (:func:`check_source`: an edited check, its needs or
    its declared checks, whatever it edits, make the published verdict stale: rerun the claims from the stored runs
    to refresh it).
    """
    spec = registry.CLAIMS[claim_id]
    expected = spec.expectation(profile)
    declared = [] if spec.declaration is None else [d.describe() for d in spec.declaration.checks]
    return {
        "declared": declared,
        "expected": expected.verdict,
        "expected_reason": expected.reason,
        "check_source_sha256": hashlib.sha256(check_source(spec.check).encode()).hexdigest(),
    }


def _write_json(summary: RunSummary) -> Path:
    records = {}
    for cid, outcome in summary.claims.items():
        result = outcome.result
        records[cid] = {
            "fingerprint": claim_fingerprint(cid, summary.profile) if cid in registry.CLAIMS else None,
            "status": outcome.status,
            "expected": outcome.expected.verdict,
            "expected_reason": outcome.expected.reason,
            "as_declared": outcome.as_declared,
            "seconds": round(outcome.seconds, 3),
            "error": outcome.error,
            "scope": list(outcome.scopes),
            "margin": None if result is None else result.margin,
            "margin_is": "normalised: the weakest check's margin in units of its scale (standard errors or bound)",
            "checks": []
            if result is None
            else [
                {
                    "description": c.description,
                    "measured": c.measured,
                    "relation": c.relation,
                    "bound": c.bound,
                    "units": c.units,
                    "passed": c.passed,
                    "margin": c.margin,
                    "scale": c.margin_scale,
                    "normalised_margin": c.normalised_margin,
                }
                for c in result.checks
            ],
        }
    path = summary.out / f"claims-{summary.profile}.json"
    body = {
        "profile": summary.profile,
        "mnist": summary.mnist,
        "seconds": round(summary.seconds, 1),
        "ok": summary.ok,
        "store": summary.store,
        "claims": records,
    }
    path.write_text(json.dumps(body, indent=2, allow_nan=True) + "\n", encoding="utf-8")
    return path


def sorted_ids(ids: Iterable[str]) -> list[str]:
    """Claim or figure ids in numeric order."""
    return sorted(ids, key=order)
