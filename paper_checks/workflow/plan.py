"""What ``ibtheory reproduce`` would compute, what is stored, and what it would cost, computing nothing (``--plan``).

:func:`make_plan` collects the needs of a selection as :class:`~paper_checks.workflow.runner.Runner` does, finds
which pieces the results directory already holds (read-only: :meth:`~paper_checks.workflow.store.ResultStore.
is_present`; a missing directory is never created and means that everything is missing), and cuts the missing
pieces into the runner's tasks: one per seed chunk of a run or experiment (:func:`~paper_checks.workflow.runner.
seed_chunks`), then one per seed chunk of a run's measurements. With ``calibrate=True`` it estimates the CPU and
wall seconds of every task from a short calibration in this process, whose results are thrown away:

* **Runs** (configurations with ``epochs`` and ``logged_epochs``): the first task's seeds are trained for 1 epoch
  (twice, the faster kept) and for ``E`` epochs, each logging only its last epoch. Their difference gives the cost
  of an epoch, and the rest of the 1-epoch run the cost of a logged epoch (with the call's fixed cost), so a task
  costs ``per_epoch · epochs + per_log · logged epochs``: logging is dear for MNIST (losses on every digit, a
  3.3 MB snapshot), cheap for SZT. ``E`` (≥ 2) is chosen from the 1-epoch run so that the second run takes about
  :data:`CALIBRATION_FRACTION` of the group's cost, within [:data:`CALIBRATION_RUN_MIN_SECONDS`,
  :data:`CALIBRATION_RUN_SECONDS`] of CPU. The first run of each trainer in a process is made once more and its
  timing discarded (a worker pays numba's cache loading once, not per task). The seeds per task are the runner's:
  batched seeds cost far less than separate ones (8 SZT seeds cost about what 2 do), so they are not shortened; a
  smaller last task is priced by the ratio of its own 1-epoch run to the first task's (MNIST's cost grows with the
  seeds, SZT's hardly).
* **Measurements** of a run: each missing measurement is timed on one seed of that calibration run at its last
  logged epoch, and on two seeds when one takes less than :data:`TWO_POINT_SECONDS`: the difference is the cost
  of one network state (seed and epoch), the rest the call's fixed cost, paid once per task (rebuilding the data:
  MNIST is read again). The cost per state is scaled by the seeds and logged epochs it measures (its ``epochs``
  field, or every logged epoch).
* **Experiments**: with a ``seeds`` field one seed is computed and the cost scaled by the seeds of each task;
  otherwise the whole computation is timed ("timed in full").
* **A configuration's own rule.** A configuration class may define ``calibration(self)`` returning a
  :class:`Calibration` (or the same 4-tuple): a cheaper configuration to time instead (e.g. fewer data) with the
  factors that scale its training and each measurement back (:class:`Calibrated`). The generic shortening above is
  applied to that configuration. :class:`~paper_checks.experiments.mnist.MNISTRun` uses it to price paper-size
  MNIST (60 000 training digits) on a few hundred digits of whatever MNIST is present.

Calibration stops at `budget` seconds (:data:`CALIBRATION_BUDGET`): what is left is listed as not estimated and
the totals say so. The plan's wall time is a list schedule of the estimated task walls over `workers` processes in
the runner's order (runs and experiments first, then measurements, as :meth:`Runner.prepare` does). Estimates are
timings of this machine under its current load (a busy machine inflates wall times) with this process's BLAS
threads (the runner's local workers run single-threaded BLAS).
"""

from __future__ import annotations

import dataclasses
import heapq
import math
import os
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, NamedTuple, Protocol, runtime_checkable

import xarray as xr

from paper_checks import registry
from paper_checks.profiles import Profile
from paper_checks.workflow.executor import Executor, SerialExecutor
from paper_checks.workflow.ids import Selection
from paper_checks.workflow.runner import Runner, ensure_registered, one_line, seed_chunks, timed
from paper_checks.workflow.store import Piece, ResultStore, pieces_of, seeds_of

__all__ = [
    "CALIBRATION_BUDGET",
    "CALIBRATION_FRACTION",
    "CALIBRATION_RUN_MIN_SECONDS",
    "CALIBRATION_RUN_SECONDS",
    "TWO_POINT_SECONDS",
    "Calibrated",
    "Calibration",
    "Cost",
    "GroupPlan",
    "MeasurementPlan",
    "Plan",
    "PlannedTask",
    "calibrate_group",
    "describe_config",
    "format_seconds",
    "list_schedule",
    "make_plan",
]

#: Longest calibration of a whole plan, seconds of wall time: a plan of the paper profile stays under a minute.
CALIBRATION_BUDGET = 60.0
#: Share of a run group's cost, as the 1-epoch run prices it (epochs × that run, an overestimate: it holds the
#: call's fixed cost), spent on the second calibration run, in CPU seconds ...
CALIBRATION_FRACTION = 0.0005
#: ... but at least this long, so that the per-epoch cost (a difference of two timings) stands out of the timing
#: noise (a few milliseconds; an SZT epoch of the fast profile costs about 3 ms) ...
CALIBRATION_RUN_MIN_SECONDS = 0.3
#: ... and at most this long. A far extrapolation needs a long run: with 2-epoch calibrations on a loaded machine,
#: paper-size MNIST (×29 digits, ×5000 epochs) moved by a factor 4 between plans.
CALIBRATION_RUN_SECONDS = 4.0
#: A measurement of one seed faster than this (seconds of wall time) is timed on two seeds too, to separate the
#: call's fixed cost from the cost per network state; a slower one is dominated by the latter.
TWO_POINT_SECONDS = 1.0


class Calibration(NamedTuple):
    """How to time a configuration cheaply: what a configuration class's optional ``calibration()`` returns.

    Attributes
    ----------
    config : frozen dataclass
        The configuration to time instead (same class; e.g. fewer data). The generic shortening (the first task's
        seeds, fewer epochs) is applied to it.
    train_scale : float
        Cost of computing the original configuration / cost of computing `config`, at equal seeds and epochs.
    measurement_scales : mapping
        Measurement name (``"kde"``) → the same ratio for that measurement per seed and epoch (default 1).
    note : str
        Printed with the estimate (what was scaled and why).
    """

    config: Any
    train_scale: float = 1.0
    measurement_scales: Mapping[str, float] | None = None
    note: str = ""


@runtime_checkable
class Calibrated(Protocol):
    """A configuration class with its own calibration rule (see :class:`Calibration`)."""

    def calibration(self) -> Calibration | tuple[Any, float, Mapping[str, float], str]:
        """The cheaper configuration to time and the factors that scale its cost back."""
        ...


@dataclass(frozen=True)
class Cost:
    """CPU and wall seconds."""

    cpu: float
    wall: float

    def __add__(self, other: Cost) -> Cost:
        return Cost(self.cpu + other.cpu, self.wall + other.wall)

    def times(self, factor: float) -> Cost:
        """The cost scaled by `factor`."""
        return Cost(self.cpu * factor, self.wall * factor)


ZERO = Cost(0.0, 0.0)


@dataclass(frozen=True)
class PlannedTask:
    """One task the runner would run: phase 0 computes a run or experiment chunk, phase 1 measures a run chunk."""

    phase: int
    seeds: tuple[int | None, ...]
    cost: Cost | None


@dataclass(frozen=True)
class MeasurementPlan:
    """One measurement of a run group: pieces (seeds) stored and missing, and the estimate for the missing ones."""

    label: str
    stored: int
    missing: int
    epochs: int
    cost: Cost | None = None
    basis: str = ""


@dataclass(frozen=True)
class GroupPlan:
    """One run or experiment configuration (all its seeds) and its measurements.

    Attributes
    ----------
    kind, name, description : str
        ``"run"`` or ``"experiment"``, the registered name, and a readable description of the configuration.
    stored, missing : int
        Seeds of the run (pieces of the experiment) already stored and still to compute.
    cost : Cost or None
        Estimate for the missing seeds (None: not calibrated, or nothing missing).
    basis : str
        What the estimate rests on (``calibrated: 8 seeds × 20 epochs in 0.9 s CPU, ×500 per task``).
    measurements : tuple of MeasurementPlan
    tasks : tuple of PlannedTask
        The runner's tasks for what is missing.
    note : str
        The configuration's own calibration note, if any.
    key : str
        The store's key of the configuration (without its seeds).
    """

    kind: str
    name: str
    description: str
    stored: int
    missing: int
    cost: Cost | None = None
    basis: str = ""
    measurements: tuple[MeasurementPlan, ...] = ()
    tasks: tuple[PlannedTask, ...] = ()
    note: str = ""
    key: str = ""

    @property
    def total(self) -> Cost:
        """Estimated cost of everything missing in the group (the estimated parts)."""
        return sum((t.cost for t in self.tasks if t.cost is not None), ZERO)

    @property
    def estimated(self) -> bool:
        """Whether every missing piece of the group has an estimate."""
        return all(t.cost is not None for t in self.tasks)


def list_schedule(durations: Iterable[float], workers: int) -> float:
    """Makespan of `durations` run in order, each on the first free of `workers` processes (seconds)."""
    free = [0.0] * max(int(workers), 1)
    for duration in durations:
        heapq.heappush(free, heapq.heappop(free) + duration)
    return max(free)


@dataclass(frozen=True)
class Plan:
    """What a reproduction would compute and its estimated cost (:func:`make_plan`; :meth:`lines` prints it)."""

    profile: str
    root: str
    existing: bool
    workers: int
    groups: tuple[GroupPlan, ...]
    calibrated: bool
    not_run: tuple[tuple[str, str], ...] = ()
    calibration: Cost = ZERO
    budget: float = CALIBRATION_BUDGET
    over_budget: int = 0
    variant: str = ""

    @property
    def cpu_seconds(self) -> float:
        """Estimated CPU seconds of every missing piece (estimated groups only)."""
        return sum(g.total.cpu for g in self.groups)

    @property
    def wall_seconds(self) -> float:
        """List-scheduled wall seconds over :attr:`workers`: runs and experiments first, then measurements."""
        phases = [[t.cost.wall for g in self.groups for t in g.tasks if t.phase == p and t.cost] for p in (0, 1)]
        return sum(list_schedule(walls, self.workers) for walls in phases)

    @property
    def counts(self) -> dict[str, int]:
        """Pieces stored and to compute, by kind (``runs``: seed-runs, ``measurements``, ``experiments``)."""
        out = {f"{k}_{s}": 0 for k in ("runs", "measurements", "experiments") for s in ("stored", "missing")}
        for g in self.groups:
            kind = "runs" if g.kind == "run" else "experiments"
            out[f"{kind}_stored"] += g.stored
            out[f"{kind}_missing"] += g.missing
            for m in g.measurements:
                out["measurements_stored"] += m.stored
                out["measurements_missing"] += m.missing
        return out

    @property
    def not_estimated(self) -> list[GroupPlan]:
        """Groups with missing pieces that have no estimate."""
        return [g for g in self.groups if not g.estimated]

    def lines(self) -> list[str]:
        """The plan as printed by ``ibtheory reproduce --plan`` (and, without costs, at the start of a run)."""
        state = "holds results" if self.existing else "new or empty: nothing stored"
        out = [
            f"ibtheory plan: profile {self.profile}{self.variant}, results in {self.root} ({state}), "
            f"{self.workers} worker{'s' if self.workers != 1 else ''}"
        ]
        width = max([40, *(len(g.description) for g in self.groups)])
        width = min(width, 64)
        header = f"  {'run or experiment / measurement':<{width}}  {'stored':>9}  {'to compute':<16}"
        if self.calibrated:
            header += f"{'CPU':>9}  {'wall':>9}  estimate"
        out.append(header.rstrip())
        for g in self.groups:
            total = g.stored + g.missing
            tasks = sum(1 for t in g.tasks if t.phase == 0)
            todo = f"{g.missing}" + (f" ({tasks} task{'s' if tasks != 1 else ''})" if g.missing else "")
            out.append(self._row(_clip(g.description, width), f"{g.stored}/{total}", todo, g.cost, g.basis, width))
            for m in g.measurements:
                label = "  " + m.label + (f" at {m.epochs} epochs" if m.epochs > 1 else "")
                todo = f"{m.missing}"
                out.append(self._row(_clip(label, width), f"{m.stored}/{m.stored + m.missing}", todo, m.cost,
                                     m.basis, width))  # fmt: skip
        counts = self.counts
        missing = counts["runs_missing"] + counts["measurements_missing"] + counts["experiments_missing"]
        stored = counts["runs_stored"] + counts["measurements_stored"] + counts["experiments_stored"]

        def tally(state: str) -> str:
            return ", ".join(_plural(counts[f"{k}_{state}"], w) for k, w in _KINDS)

        out.append(
            f"  to compute: {_plural(missing, 'piece')} ({tally('missing')}); "
            f"stored: {_plural(stored, 'piece')} ({tally('stored')})"
        )
        for cid, reason in self.not_run:
            out.append(f"  not run at this profile (declared): {cid}: {reason}")
        if not self.calibrated:
            return out
        out.append(
            f"  estimate: CPU {format_seconds(self.cpu_seconds)}; wall {format_seconds(self.wall_seconds)} on "
            f"{self.workers} worker{'s' if self.workers != 1 else ''} (the tasks list-scheduled as the runner "
            "runs them: runs and experiments, then measurements)"
        )
        lacking = self.not_estimated
        if lacking:
            names = ", ".join(g.description for g in lacking[:3]) + (" …" if len(lacking) > 3 else "")
            out.append(f"  not estimated (left out of the totals): {len(lacking)} configurations: {names}")
        for g in self.groups:
            if g.note and g.missing + sum(m.missing for m in g.measurements):
                out.append(
                    f"  {g.description}: CPU {format_seconds(g.total.cpu)}, wall {format_seconds(g.total.wall)} "
                    f"(run and measurements): {g.note}"
                )
        out.append(
            f"  calibration: {format_seconds(self.calibration.wall)} wall, {format_seconds(self.calibration.cpu)} "
            f"CPU (at most {self.budget:g} s), timed on this machine under its current load; nothing was stored"
        )
        return out

    def _row(self, label: str, stored: str, todo: str, cost: Cost | None, basis: str, width: int) -> str:
        row = f"  {label:<{width}}  {stored:>9}  {todo:<16}"
        if not self.calibrated:
            return row.rstrip()
        if cost is None:
            return (row + f"{'':>9}  {'':>9}  {basis}").rstrip()
        return f"{row}{format_seconds(cost.cpu):>9}  {format_seconds(cost.wall):>9}  {basis}".rstrip()


_KINDS = (("runs", "seed-run"), ("measurements", "measurement"), ("experiments", "experiment"))


def format_seconds(seconds: float) -> str:
    """``0.4 s``, ``12 s``, ``4.5 min``, ``3.2 h``, ``2.1 d``."""
    if seconds < 10:
        return f"{seconds:.1f} s"
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 3600:
        return f"{seconds / 60:.1f} min"
    if seconds < 172_800:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86_400:.1f} d"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _short(value: Any) -> str:
    if isinstance(value, tuple):
        return _short(value[0]) if len(value) == 1 else (f"({len(value)} values)" if len(value) > 3 else
                                                          "(" + ", ".join(_short(v) for v in value) + ")")  # fmt: skip
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _non_default(config: Any, skip: tuple[str, ...]) -> list[tuple[str, Any]]:
    out = []
    for f in dataclasses.fields(config):
        if f.name in skip:
            continue
        value = getattr(config, f.name)
        default = f.default if f.default is not dataclasses.MISSING else (
            f.default_factory() if f.default_factory is not dataclasses.MISSING else dataclasses.MISSING)  # fmt: skip
        if default is dataclasses.MISSING or value != default:
            out.append((f.name, value))
    return out


_DESCRIBED = ("activation", "seeds", "epochs", "logged_epochs", "batch_size")


def describe_config(name: str, config: Any) -> str:
    """``szt tanh 50 seeds × 10000 epochs, batch 256, train_fraction=0.3``: the fields that tell runs apart.

    The activation, seed count, epochs and batch size first, then every other field whose value is not its default.
    """
    head = [name] + ([str(config.activation)] if hasattr(config, "activation") else [])
    size = []
    seeds = seeds_of(config)
    if seeds:
        size.append(f"{len(seeds)} seed{'s' if len(seeds) != 1 else ''}")
    if isinstance(getattr(config, "epochs", None), int):
        size.append(_plural(config.epochs, "epoch"))
    parts = [" ".join(head + ([" × ".join(size)] if size else []))]
    if hasattr(config, "batch_size"):
        parts.append("full batch" if config.batch_size is None else f"batch {config.batch_size}")
    if dataclasses.is_dataclass(config):
        parts += [f"{k}={_short(v)}" for k, v in _non_default(config, _DESCRIBED)]
    return ", ".join(parts)


def _measurement_label(config: Any) -> str:
    name = registry.measurement_spec_for(config).name
    extra = _non_default(config, ("epochs",)) if dataclasses.is_dataclass(config) else []
    return name + (f" {_short(extra[0][1])}" if extra else "")


# ---------------------------------------------------------------------- grouping (the runner's tasks)
@dataclass
class _Group:
    key: str
    spec: registry.ComputeSpec
    template: Any  # the configuration of the group's first piece
    seeds: list[int | None] = field(default_factory=list)
    stored: set[int | None] = field(default_factory=set)
    measurements: dict[str, list[Any]] = field(default_factory=dict)  # repr → [config, stored seeds, all seeds]

    def missing_seeds(self) -> list[int | None]:
        return [s for s in self.seeds if s not in self.stored]


def _has_epochs(config: Any) -> bool:
    epochs, logged = getattr(config, "epochs", None), getattr(config, "logged_epochs", None)
    return isinstance(epochs, int) and not isinstance(epochs, bool) and isinstance(logged, tuple) and bool(logged)


def _measured_epochs(measurement: Any, template: Any) -> int:
    chosen = getattr(measurement, "epochs", None)
    if chosen is not None:
        return len(chosen)
    return len(template.logged_epochs) if _has_epochs(template) else 1


def _groups(store: ResultStore, pieces: list[Piece], present: Callable[[Piece], bool]) -> list[_Group]:
    groups: dict[str, _Group] = {}
    for piece in pieces:
        key = store.source_key(piece.source)
        group = groups.get(key)
        if group is None:
            group = groups[key] = _Group(key, registry.spec_for(piece.source), piece.source)
        if piece.seed not in group.seeds:
            group.seeds.append(piece.seed)
        stored = present(piece)
        if piece.measurement is None:
            if stored:
                group.stored.add(piece.seed)
            continue
        entry = group.measurements.setdefault(repr(piece.measurement), [piece.measurement, set(), []])
        if piece.seed not in entry[2]:
            entry[2].append(piece.seed)
        if stored:
            entry[1].add(piece.seed)
    return list(groups.values())


def _chunks(seeds: list[int | None], workers: int, seed_chunk: int | None) -> list[tuple[int | None, ...]]:
    if seeds == [None]:
        return [(None,)]
    return seed_chunks(seeds, workers, seed_chunk)  # type: ignore[arg-type]


# ---------------------------------------------------------------------- calibration
class _OverBudget(Exception):
    pass


#: Trainers already run once in this process (their first call paid the process's one-off costs).
_WARMED: set[str] = set()
_NOT_CALIBRATED = "not calibrated: calibration budget spent"


def _calibration_of(config: Any) -> Calibration:
    method = getattr(config, "calibration", None)
    if not callable(method):
        return Calibration(config)
    found = method()
    found = found if isinstance(found, Calibration) else Calibration(*found)
    if type(found.config) is not type(config):
        raise TypeError(f"{type(config).__name__}.calibration() must return a {type(config).__name__} to time")
    return found


def _shortened(config: Any, seeds: tuple[int, ...], epochs: int) -> Any:
    """`config` with `seeds`, trained for `epochs` epochs and logged at the last one only."""
    return replace(config, seeds=tuple(seeds), epochs=epochs, logged_epochs=(epochs,))


@dataclass(frozen=True)
class _Job:
    """What to calibrate of one group (picklable: it may run in a worker process)."""

    template: Any  # the configuration of one of the group's pieces
    n_seeds: int  # seeds of the group
    chunk: tuple[int | None, ...]  # the seeds of the group's first task
    last: tuple[int | None, ...]  # the seeds of its last run task (fewer than `chunk` when the seeds do not divide)
    n_tasks: int  # run or experiment tasks of the group
    measurements: tuple[tuple[str, Any], ...]  # (key, configuration) of the missing measurements
    deadline: float  # time.time() after which nothing more is timed
    timer: Callable[..., tuple[Any, float, float]]


@dataclass(frozen=True)
class _Outcome:
    task: Cost | None  # one run or experiment task
    last: float  # the cost of the last task relative to the others
    basis: str
    note: str
    measured: dict[str, tuple[Cost, Cost] | None]  # key → (fixed per task, per seed)
    bases: dict[str, str]
    cpu: float  # CPU seconds the calibration spent in its process
    over: bool


class _Calibrator:
    def __init__(self, job: _Job) -> None:
        self.job = job
        self.last = 1.0  # cost of the last task relative to the first (run groups with uneven seed chunks)

    def time(self, function: Callable[..., Any], *arguments: Any, warm: str = "") -> tuple[Any, Cost]:
        """``function(*arguments)`` and its cost; with `warm`, a trainer's first call in this process runs twice.

        That first call pays one-off costs of a process (numba's compiled-code cache, first allocations) that a
        worker pays once, not per task: its timing is discarded.
        """
        if time.time() > self.job.deadline:
            raise _OverBudget
        if warm and warm not in _WARMED:
            _WARMED.add(warm)
            self.job.timer(function, *arguments)
            if time.time() > self.job.deadline:
                raise _OverBudget
        answer, cpu, wall = self.job.timer(function, *arguments)
        return answer, Cost(float(cpu), float(wall))

    def source(self) -> tuple[Any, Cost, str, Calibration]:
        """The calibration run (for the measurements), the cost of one task, its basis, and the rule used."""
        template, chunk, n_tasks = self.job.template, self.job.chunk, self.job.n_tasks
        spec = ensure_registered(template, registry.spec_for)
        rule = _calibration_of(template)
        base, function = rule.config, spec.function
        scale = float(rule.train_scale)
        data = f", ×{scale:.3g} data" if scale != 1 else ""
        if _has_epochs(template) and chunk != (None,):
            epochs, logged = template.epochs, len(template.logged_epochs)
            warm = spec.name if spec.kind == "run" else ""
            run, one = self.time(function, _shortened(base, chunk, 1), warm=warm)
            if epochs > 1:  # timed twice, the faster kept: a delay of the 1-epoch run would pass for logging cost
                _, again = self.time(function, _shortened(base, chunk, 1))
                one = Cost(min(one.cpu, again.cpu), min(one.wall, again.wall))
            if epochs == 1:
                basis = f"timed in full: {_plural(len(chunk), 'seed')} × 1 epoch in {one.cpu:.2g} s CPU per task"
                return run, one.times(scale), basis + data, rule
            target = CALIBRATION_FRACTION * one.cpu * epochs * n_tasks * scale
            target = min(CALIBRATION_RUN_SECONDS, max(CALIBRATION_RUN_MIN_SECONDS, target))
            used = min(epochs, max(2, int(target / max(one.cpu, 1e-6))))
            del run
            run, more = self.time(function, _shortened(base, chunk, used))
            # cost = per_epoch · epochs + per_log · logged epochs (per_log includes the call's fixed cost)
            per_epoch = Cost(max(more.cpu - one.cpu, 0.0), max(more.wall - one.wall, 0.0)).times(1 / (used - 1))
            if per_epoch.cpu <= 0 or per_epoch.wall <= 0:  # timing noise: no per-log share to subtract
                per_epoch, per_log = more.times(1 / used), ZERO
            else:
                per_log = Cost(max(one.cpu - per_epoch.cpu, 0.0), max(one.wall - per_epoch.wall, 0.0))
            per_task = (per_epoch.times(epochs) + per_log.times(logged)).times(scale)
            basis = (
                f"calibrated: {_plural(len(chunk), 'seed')} × 1 and × {used} epochs in {one.cpu:.2g} and "
                f"{more.cpu:.2g} s CPU, scaled to {epochs} epochs, {logged} logged"
            )
            last = self.job.last
            if len(last) < len(chunk):  # the smaller last task: its 1-epoch run against the first task's
                _, small = self.time(function, _shortened(base, last, 1))
                self.last = min(1.0, max(len(last) / len(chunk), small.wall / max(one.wall, 1e-9)))
                basis += f"; the last task ({_plural(len(last), 'seed')}) ×{self.last:.2g}"
            return run, per_task, basis + data, rule
        if seeds_of(template):
            run, cost = self.time(function, replace(base, seeds=(chunk[0],)))
            if self.job.n_seeds == 1 and scale == 1:
                return run, cost, f"timed in full: 1 seed in {cost.cpu:.2g} s CPU", rule
            basis = f"calibrated: 1 seed in {cost.cpu:.2g} s CPU, ×{len(chunk) * scale:.3g} per task"
            self.last = len(self.job.last) / len(chunk)
            return run, cost.times(scale * len(chunk)), basis, rule
        run, cost = self.time(function, base)
        return run, cost.times(scale), f"timed in full: {cost.cpu:.2g} s CPU" + data, rule

    def measurement(self, run: Any, measurement: Any, rule: Calibration) -> tuple[Cost, Cost, str]:
        """The cost of `measurement` in a task: fixed (per call) and per seed; and its basis.

        One seed of the calibration run is measured at its last logged epoch; when that takes less than
        :data:`TWO_POINT_SECONDS`, two seeds are measured too, and the difference is the cost of one network state,
        the rest the call's fixed cost (rebuilding the data: MNIST is read again).
        """
        template = self.job.template
        spec = ensure_registered(measurement, registry.measurement_spec_for)
        seeded = isinstance(run, xr.Dataset) and "seed" in run.dims
        one = run.isel(seed=[0]) if seeded else run
        epochs = _measured_epochs(measurement, template)
        logged = int(run.sizes["epoch"]) if isinstance(run, xr.Dataset) and "epoch" in run.coords else 0
        config, timed_epochs = measurement, 0
        if logged and hasattr(measurement, "epochs"):
            config, timed_epochs = replace(measurement, epochs=(int(run["epoch"].values[-1]),)), 1
        elif logged and _has_epochs(template):
            timed_epochs = logged  # every logged epoch of the short run, scaled to every logged epoch of the run
        _, first = self.time(spec.function, one, config)
        fixed, unit = ZERO, first
        what = f"1 seed × {_plural(timed_epochs, 'epoch')}" if timed_epochs else "1 seed"
        times = f"{first.cpu:.2g} s CPU"
        if seeded and run.sizes["seed"] >= 2 and first.wall < TWO_POINT_SECONDS:
            _, second = self.time(spec.function, run.isel(seed=[0, 1]), config)
            unit = Cost(second.cpu - first.cpu, second.wall - first.wall)
            if unit.cpu > 0 and unit.wall > 0:
                fixed = Cost(max(first.cpu - unit.cpu, 0.0), max(first.wall - unit.wall, 0.0))
            else:  # timing noise larger than one network state: no fixed share to separate
                unit = second.times(0.5)
            what, times = f"1 and 2 seeds × {_plural(timed_epochs, 'epoch')}", f"{times} and {second.cpu:.2g} s CPU"
        scale = float((rule.measurement_scales or {}).get(spec.name, 1.0))
        factor = (epochs / timed_epochs if timed_epochs else 1.0) * scale
        basis = f"{what} in {times}: {fixed.cpu:.2g} s per task + {unit.cpu * factor:.2g} s per seed"
        return fixed, unit.times(factor), basis


def calibrate_group(job: _Job) -> _Outcome:
    """Time the calibration of one group (in this process or a worker's); nothing is stored."""
    calibrator, start = _Calibrator(job), time.process_time()
    task, basis, note, over = None, "", "", False
    measured: dict[str, tuple[Cost, Cost] | None] = dict.fromkeys(k for k, _ in job.measurements)
    bases: dict[str, str] = {}
    try:
        run, cost, basis, rule = calibrator.source()
        task, note = cost, rule.note
        for key, config in job.measurements:
            try:
                fixed, per_seed, bases[key] = calibrator.measurement(run, config, rule)
                measured[key] = (fixed, per_seed)
            except _OverBudget:
                over, bases[key] = True, _NOT_CALIBRATED
            except Exception as err:
                bases[key] = f"not calibrated: {one_line(err)}"
        del run
    except _OverBudget:
        over, basis = True, _NOT_CALIBRATED
    except Exception as err:
        basis = f"not calibrated: {one_line(err)}"
    if task is None:
        bases = dict.fromkeys(measured, basis)
    last = calibrator.last
    return _Outcome(task, last, basis, note, measured, bases, time.process_time() - start, over)


def _job(group: _Group, workers: int, seed_chunk: int | None, deadline: float, timer) -> _Job | None:
    missing = group.missing_seeds()
    chunks = _chunks(missing, workers, seed_chunk) if missing else []
    wanted = tuple((k, c) for k, (c, stored, all_) in group.measurements.items() if any(s not in stored for s in all_))
    if not chunks and not wanted:
        return None
    wanting = [s for s in group.seeds if any(s in all_ and s not in stored for _, stored, all_ in
                                              group.measurements.values())]  # fmt: skip
    chunk = (chunks or _chunks(wanting, workers, seed_chunk))[0]
    last = chunks[-1] if chunks else chunk
    return _Job(group.template, len(group.seeds), chunk, last, len(chunks), wanted, deadline, timer)


def _plan_group(group: _Group, outcome: _Outcome | None, workers: int, seed_chunk: int | None) -> GroupPlan:
    missing = group.missing_seeds()
    source_chunks = _chunks(missing, workers, seed_chunk) if missing else []
    measured = list(group.measurements.values())
    wanting = [s for s in group.seeds if any(s in all_ and s not in stored for _, stored, all_ in measured)]
    measure_chunks = _chunks(wanting, workers, seed_chunk) if wanting else []
    description = describe_config(group.spec.name, replace(group.template, seeds=tuple(group.seeds))
                                  if seeds_of(group.template) else group.template)  # fmt: skip
    costs = outcome.measured if outcome else {}
    task_cost = outcome.task if outcome and source_chunks else None
    last = outcome.last if outcome else 1.0
    shares = [1.0] * (len(source_chunks) - 1) + [last] if source_chunks else []
    tasks = [
        PlannedTask(0, c, None if task_cost is None else task_cost.times(k)) for c, k in zip(source_chunks, shares)
    ]
    for chunk in measure_chunks:
        cost: Cost | None = ZERO
        for key, (_, stored, all_) in group.measurements.items():
            n = sum(1 for s in chunk if s in all_ and s not in stored)
            if n:
                found = costs.get(key)
                cost = None if found is None or cost is None else cost + found[0] + found[1].times(n)
        tasks.append(PlannedTask(1, chunk, cost))
    lines = []
    for key, (config, stored, all_) in group.measurements.items():
        n_missing = sum(1 for s in all_ if s not in stored)
        n_tasks = sum(1 for chunk in measure_chunks if any(s in all_ and s not in stored for s in chunk))
        found = costs.get(key) if n_missing else None
        lines.append(
            MeasurementPlan(
                _measurement_label(config),
                len(stored),
                n_missing,
                _measured_epochs(config, group.template),
                None if found is None else found[0].times(n_tasks) + found[1].times(n_missing),
                outcome.bases.get(key, "") if outcome and n_missing else "",
            )
        )
    return GroupPlan(
        kind=group.spec.kind,
        name=group.spec.name,
        description=description,
        stored=len(group.stored),
        missing=len(missing),
        cost=None if task_cost is None else sum((t.cost for t in tasks if t.phase == 0), ZERO),
        basis=outcome.basis if outcome and missing else "",
        measurements=tuple(lines),
        tasks=tuple(tasks),
        note=outcome.note if outcome else "",
        key=group.key,
    )


def _calibration_order(groups: list[_Group]) -> list[int]:
    """Runs first, the longest first (seeds × epochs), then experiments with seeds, then those timed in full."""

    def weight(index: int) -> tuple[int, float]:
        g = groups[index]
        seeds = len(g.missing_seeds()) or 1
        if g.spec.kind == "run":
            return (0, -seeds * (g.template.epochs if _has_epochs(g.template) else 1))
        return (1 if seeds_of(g.template) else 2, -seeds)

    return sorted(range(len(groups)), key=weight)


def make_plan(
    store_root: str | os.PathLike[str],
    profile: Profile,
    selection: Selection,
    *,
    workers: int,
    seed_chunk: int | None = None,
    calibrate: bool = True,
    budget: float = CALIBRATION_BUDGET,
    executor: Executor | None = None,
    timer: Callable[..., tuple[Any, float, float]] = timed,
    exclude: Iterable[str] = (),
    extra: Iterable[registry.Need] = (),
) -> Plan:
    """The plan of ``ibtheory reproduce`` for `selection` at `profile` into `store_root`, computing and writing nothing.

    Parameters
    ----------
    store_root : path-like
        The results directory (``--out``); it is checked as ``reproduce`` checks it and never created.
    profile : Profile
        The run profile.
    selection : Selection
        The claims and figure panels (:func:`paper_checks.workflow.ids.select`).
    workers : int
        Processes the run would use (sizes the seed chunks and the wall-time schedule).
    seed_chunk : int, optional
        Seeds per task (``--seed-chunk``; default the runner's rule).
    calibrate : bool
        Time a short calibration of everything missing (module docstring); False only counts.
    budget : float
        Longest calibration, seconds of wall time (:data:`CALIBRATION_BUDGET`).
    executor : Executor, optional
        Where the calibrations run, one task per configuration (default: this process). ``ibtheory reproduce
        --plan`` uses local worker processes when the run would (their BLAS is single-threaded, as the run's).
    timer : callable
        ``timer(function, *arguments) -> (answer, cpu_seconds, wall_seconds)`` (default
        :func:`~paper_checks.workflow.runner.timed`; tests pass a deterministic clock).
    exclude : iterable of str
        Keys (:attr:`GroupPlan.key`) of configurations to leave out, e.g. those of another plan: what a variant
        of the profile adds (``--mnist full`` beside the default paper plan).
    extra : iterable of Need
        Needs the run computes beyond the selection's (the estimator sweep that ends a full ``reproduce``,
        :func:`paper_checks.workflow.sensitivity.sweep_needs`).

    Returns
    -------
    Plan

    Raises
    ------
    ResultsDirectoryError
        For a directory ``reproduce`` refuses (a file, unwritable, foreign, another schema version).
    """
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise ValueError(f"workers must be a positive integer, got {workers!r}")
    if not (isinstance(budget, (int, float)) and math.isfinite(budget) and budget >= 0):
        raise ValueError(f"budget must be a finite number of seconds ≥ 0, got {budget!r}")
    existing = ResultStore.check_directory(store_root)
    store = ResultStore(store_root, create=False)
    runner = Runner(store, profile, seed_chunk=seed_chunk)
    needs_by_owner = runner.needs_of(selection.claims, selection.figures)
    needs = list(dict.fromkeys([*(n for owned in needs_by_owner.values() for n in owned.values()), *extra]))
    pieces = list(dict.fromkeys(p for n in needs for p in pieces_of(n)))
    present = store.is_present if existing else (lambda piece: False)
    excluded = set(exclude)
    groups = [g for g in _groups(store, pieces, present) if g.key not in excluded]
    not_run = tuple(
        (cid, registry.CLAIMS[cid].expectation(profile).reason)
        for cid in selection.claims
        if registry.CLAIMS[cid].expectation(profile).verdict == registry.NOT_RUN
    )
    outcomes: dict[int, _Outcome] = {}
    start = time.perf_counter()
    if calibrate:
        deadline = time.time() + budget
        jobs = [(i, _job(groups[i], workers, seed_chunk, deadline, timer)) for i in _calibration_order(groups)]
        jobs = [(i, job) for i, job in jobs if job is not None]
        for index, outcome in (executor or SerialExecutor()).run(calibrate_group, [(job,) for _, job in jobs]):
            outcomes[jobs[index][0]] = outcome
    spent = Cost(sum(o.cpu for o in outcomes.values()), time.perf_counter() - start)
    return Plan(
        profile=profile.name,
        root=str(Path(store_root)),
        existing=existing,
        workers=workers,
        groups=tuple(_plan_group(g, outcomes.get(i), workers, seed_chunk) for i, g in enumerate(groups)),
        calibrated=calibrate,
        not_run=not_run,
        calibration=spent if calibrate else ZERO,
        budget=budget,
        over_budget=sum(o.over for o in outcomes.values()),
        variant=" (MNIST full)" if getattr(profile, "mnist", "reduced") == "full" else "",
    )
