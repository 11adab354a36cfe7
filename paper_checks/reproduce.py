"""One-command reproduction: run the registered claim checks and figures through the on-disk store, then report.

:func:`reproduce` is what ``ibtheory reproduce`` calls. It

1. opens the results directory as a :class:`~paper_checks.store.ResultStore` (resumable, atomic, keyed by the
   full configuration) and routes every experiment through it;
2. runs each selected claim check (an exception is recorded as an ``error`` verdict, not a crash);
3. draws each selected figure panel (PNG and PDF) into ``OUT/figures``;
4. writes the claims report (``OUT/report.md``, ``OUT/report.html``) and ``OUT/claims-<profile>.json``.

Interrupting it (Ctrl-C, kill) loses at most the pieces being computed; rerunning continues from there.
"""

from __future__ import annotations

import concurrent.futures as cf
import json
import re
import threading
import time
import traceback
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from tqdm.auto import tqdm

from paper_checks import registry
from paper_checks.catalog import CATALOG, FIGURE_IDS
from paper_checks.compare import ClaimResult
from paper_checks.executor import Executor
from paper_checks.profiles import Profile
from paper_checks.store import ResultStore

__all__ = ["INTERRUPT", "ClaimOutcome", "FigureOutcome", "RunSummary", "Selection", "reproduce", "select"]

#: Set by the CLI's SIGINT handler. Python may swallow the ``KeyboardInterrupt`` when it lands inside a finalizer
#: (``Exception ignored in ...``); :func:`reproduce` then raises it at the next checkpoint (after each saved piece,
#: claim and figure), so Ctrl-C always stops the run.
INTERRUPT = threading.Event()


def _checkpoint() -> None:
    if INTERRUPT.is_set():
        raise KeyboardInterrupt


_TOKEN = re.compile(r"^(?:C(?P<claim>[1-9]\d*)|F(?P<figure>[1-9]\d*)(?P<panel>[A-Z]?)(?P<variant>-[\w-]+)?)$")
_PANEL = re.compile(r"^F(?P<figure>\d+)(?P<panel>[A-Z]?)(?P<variant>-.+)?$")


@dataclass(frozen=True)
class Selection:
    """The claims and figure panels a run covers.

    Attributes
    ----------
    claims : tuple of str
        Registered claim ids to check.
    figures : tuple of str
        Registered figure panel ids to draw.
    unavailable : tuple of str
        Requested ids of the paper that nothing registered implements (reported, not an error).
    """

    claims: tuple[str, ...]
    figures: tuple[str, ...]
    unavailable: tuple[str, ...] = ()


def _figure_matches(panel: str, wanted: str) -> bool:
    """Whether panel id `panel` (``F2C``, ``F2C-softsign``) belongs to the figure or panel `wanted`.

    ``F2`` matches every panel of figure 2 (F2A … F2Z and their variants such as F2C-softsign) but not F21;
    ``F2C`` matches F2C and its variants; ``F2C-softsign`` matches only itself.
    """
    if panel == wanted:
        return True
    have, want = _PANEL.match(panel), _PANEL.match(wanted)
    if have is None or want is None or want["variant"] or have["figure"] != want["figure"]:
        return False
    return not want["panel"] or have["panel"] == want["panel"]


def select(
    only: str | None,
    claims: Mapping[str, registry.ClaimSpec] | None = None,
    figures: Mapping[str, registry.FigureSpec] | None = None,
) -> Selection:
    """Turn ``--only`` into the claims and panels to run.

    Parameters
    ----------
    only : str or None
        Comma-separated ids: claims ``C1`` … ``C46`` and figures ``F1`` … ``F21`` (a whole figure) or panels
        (``F2C``). None selects everything registered. A selected claim brings its figures; a selected figure brings
        the claims that show it.
    claims, figures : mapping, optional
        The registered claims and panels (default: the registry).

    Returns
    -------
    Selection

    Raises
    ------
    ValueError
        For a malformed id, a claim outside C1–C46, a figure outside F1–F21, or a panel nobody registered.
    """
    claims = registry.CLAIMS if claims is None else claims
    figures = registry.FIGURES if figures is None else figures
    if only is None:
        return Selection(tuple(sorted(claims, key=_order)), tuple(sorted(figures, key=_order)))
    tokens = [_normalise(t.strip()) for t in only.split(",") if t.strip()]
    if not tokens:
        raise ValueError("--only needs at least one id, e.g. --only F2,C10")
    chosen_claims: set[str] = set()
    chosen_figures: set[str] = set()
    unavailable: list[str] = []
    for token in tokens:
        match = _TOKEN.match(token)
        if match is None:
            raise ValueError(
                f"--only: {token!r} is not a claim id (C1 … C46) or a figure id (F1 … F21, a panel F2C, a variant "
                "F2C-softsign)"
            )
        if match["claim"]:
            if token not in CATALOG:
                raise ValueError(f"--only: unknown claim {token!r}; the paper's claims are C1 … C{len(CATALOG)}")
            if token in claims:
                chosen_claims.add(token)
            else:
                unavailable.append(token)
            continue
        if f"F{match['figure']}" not in FIGURE_IDS:
            raise ValueError(f"--only: unknown figure {token!r}; the paper's figures are F1 … F{len(FIGURE_IDS)}")
        panels = {p for p in figures if _figure_matches(p, token)}
        if not panels and (match["panel"] or match["variant"]):
            known = ", ".join(sorted((p for p in figures if _figure_matches(p, f"F{match['figure']}")), key=_order))
            raise ValueError(
                f"--only: no panel {token!r} is registered (registered panels of this figure: {known or 'none'})"
            )
        if not panels:
            unavailable.append(token)
        chosen_figures |= panels
    for cid in list(chosen_claims):
        chosen_figures |= {p for p in figures for f in claims[cid].figures if _figure_matches(p, f)}
    for cid, spec in claims.items():
        if any(_figure_matches(p, f) for p in chosen_figures for f in spec.figures):
            chosen_claims.add(cid)
    return Selection(
        tuple(sorted(chosen_claims, key=_order)), tuple(sorted(chosen_figures, key=_order)), tuple(unavailable)
    )


def _normalise(token: str) -> str:
    """Upper-case the id part of a token (``f2c-softsign`` → ``F2C-softsign``); a variant keeps its case."""
    head, dash, variant = token.partition("-")
    return head.upper() + dash + variant


def _order(identifier: str) -> tuple[int, str]:
    digits = re.search(r"\d+", identifier)
    return (int(digits.group()) if digits else 0, identifier)


@dataclass
class ClaimOutcome:
    """What happened to one claim check: its result, or the error it raised, and how long it took."""

    claim: str
    result: ClaimResult | None = None
    error: str | None = None
    seconds: float = 0.0

    @property
    def status(self) -> str:
        """``"holds"``, ``"FAILS"`` or ``"error"``."""
        if self.result is None:
            return "error"
        return "holds" if self.result.passed else "FAILS"


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

    @property
    def ok(self) -> bool:
        """True when every claim checked holds and every figure was drawn."""
        return all(o.status == "holds" for o in self.claims.values()) and all(
            o.error is None for o in self.figures.values()
        )


def _one_line(err: BaseException) -> str:
    """``Type: message (file:line)``, the location being where the error was raised (in a worker, if remote)."""
    remote = re.findall(r'File "([^"]+)", line (\d+)', str(getattr(err.__cause__, "tb", "")))
    if remote:
        where = f" ({Path(remote[-1][0]).name}:{remote[-1][1]}, in a worker)"
    else:
        frame = traceback.extract_tb(err.__traceback__)[-1] if err.__traceback__ else None
        where = f" ({Path(frame.filename).name}:{frame.lineno})" if frame else ""
    message = " ".join(str(err).split())
    return f"{type(err).__name__}: {message}{where}"


def run_claim(spec: registry.ClaimSpec, profile: Profile) -> ClaimOutcome:
    """Run one claim check, turning an exception or a wrong return value into an ``error`` outcome."""
    start = time.perf_counter()
    try:
        result = spec.check(profile)
        if not isinstance(result, ClaimResult):
            raise TypeError(f"check returned {type(result).__name__}, not ClaimResult")
        return ClaimOutcome(spec.claim, result=result, seconds=time.perf_counter() - start)
    except Exception as err:
        return ClaimOutcome(spec.claim, error=_one_line(err), seconds=time.perf_counter() - start)


def draw_figure(spec: registry.FigureSpec, profile: Profile, outdir: Path) -> FigureOutcome:
    """Draw one panel into `outdir`; missing files or an exception become an error outcome."""
    start = time.perf_counter()
    try:
        files = [Path(p) for p in spec.draw(profile, outdir)]
        missing = [str(p) for p in files if not p.exists()]
        if not files or missing:
            raise FileNotFoundError(f"draw() reported files that do not exist: {missing or 'none returned'}")
        return FigureOutcome(spec.figure, files=files, seconds=time.perf_counter() - start)
    except Exception as err:
        return FigureOutcome(spec.figure, error=_one_line(err), seconds=time.perf_counter() - start)


def _run_claims(
    chosen: tuple[str, ...], profile: Profile, threads: int, executor: Executor | None, quiet: bool
) -> dict[str, ClaimOutcome]:
    """Run the claim checks, `threads` at a time; Ctrl-C stops the workers at once instead of waiting for them."""
    bar = tqdm(total=len(chosen), desc="claims", unit="claim", disable=quiet or not chosen)
    outcomes: dict[str, ClaimOutcome] = {}
    with bar:
        if threads <= 1 or len(chosen) <= 1:
            for cid in chosen:
                outcomes[cid] = run_claim(registry.CLAIMS[cid], profile)
                bar.update()
                _checkpoint()
            return outcomes
        pool = cf.ThreadPoolExecutor(threads, thread_name_prefix="ibtheory-claim")
        try:
            futures = {pool.submit(run_claim, registry.CLAIMS[cid], profile): cid for cid in chosen}
            for future in cf.as_completed(futures):
                outcomes[futures[future]] = future.result()
                bar.update()
                _checkpoint()
        except BaseException:
            INTERRUPT.set()  # the other threads stop at their next checkpoint
            if executor is not None:
                executor.close(abort=True)  # running pieces fail at once; their claim threads return
            raise
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
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
    claim_threads: int = 1,
) -> RunSummary:
    """Run the selected claims and figures at `profile`, caching results in `out`, and write the report.

    Parameters
    ----------
    profile : Profile
        ``FAST`` or ``PAPER``.
    out : str or Path
        Results directory (see :mod:`paper_checks.store` for its layout).
    only : str, optional
        Comma-separated claim/figure ids (see :func:`select`); None runs everything registered.
    executor : Executor, optional
        Where experiment pieces are computed (default: in this process).
    seed_chunk : int, optional
        Seeds per experiment call (see :class:`~paper_checks.store.ResultStore`).
    quiet : bool
        No progress bars.
    report : bool
        Write ``report.md``/``report.html``/``claims-<profile>.json``.
    run_claims : bool
        False draws the selected figures only (``ibtheory figure``).
    claim_threads : int
        Claim checks run at the same time, in threads of this process (their experiments go to `executor`, one
        computation per configuration). Default 1. More threads keep every worker busy while one claim waits on a
        long single-seed experiment, but only claim code that is thread-safe may run so: mpmath's precision
        (``mpmath.workdps``) is process-global, so theory evaluated inside two claim threads at once can lose
        precision.

    Returns
    -------
    RunSummary

    Raises
    ------
    ValueError
        Bad `only` ids; :class:`~paper_checks.store.ResultsDirectoryError` for an unusable `out`.
    """
    start = time.perf_counter()
    INTERRUPT.clear()
    selection = select(only)
    store = ResultStore(out, executor=executor, seed_chunk=seed_chunk, progress=not quiet, checkpoint=_checkpoint)
    figure_dir = store.root / "figures"
    figure_dir.mkdir(exist_ok=True)
    claims: dict[str, ClaimOutcome] = {}
    figures: dict[str, FigureOutcome] = {}
    with store.activate():
        chosen = selection.claims if run_claims else ()
        outcomes = _run_claims(chosen, profile, claim_threads, executor, quiet)
        claims.update((cid, outcomes[cid]) for cid in chosen)
        draws: dict[object, list[str]] = {}  # one call per draw function, however many panels it registers
        for fid in selection.figures:
            draws.setdefault(registry.FIGURES[fid].draw, []).append(fid)
        for ids in tqdm(list(draws.values()), desc="figures", unit="figure", disable=quiet or not draws):
            drawn = draw_figure(registry.FIGURES[ids[0]], profile, figure_dir)
            _checkpoint()
            for fid in ids:
                own = [f for f in drawn.files if f.stem == fid] or drawn.files
                figures[fid] = FigureOutcome(fid, files=own, error=drawn.error, seconds=drawn.seconds)
    summary = RunSummary(
        profile=profile.name,
        out=store.root,
        selection=selection,
        claims=claims,
        figures=figures,
        store=store.summary(),
        executor=(executor.describe() if executor is not None else "in-process (serial)"),
        seconds=time.perf_counter() - start,
    )
    if report:
        from paper_checks.report import write_reports

        summary.reports = write_reports(summary)
        summary.reports.append(_write_json(summary))
    return summary


def _write_json(summary: RunSummary) -> Path:
    records = {}
    for cid, outcome in summary.claims.items():
        result = outcome.result
        records[cid] = {
            "status": outcome.status,
            "seconds": round(outcome.seconds, 3),
            "error": outcome.error,
            "margin": None if result is None else result.margin,
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
                }
                for c in result.checks
            ],
        }
    path = summary.out / f"claims-{summary.profile}.json"
    body = {"profile": summary.profile, "seconds": round(summary.seconds, 1), "store": summary.store, "claims": records}
    path.write_text(json.dumps(body, indent=2, allow_nan=True) + "\n", encoding="utf-8")
    return path
