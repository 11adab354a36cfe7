"""What ``ibtheory reproduce`` would compute, what is stored, and what it would cost, computing nothing (``--plan``).

:func:`make_plan` collects the needs of a selection as :class:`~paper_checks.workflow.runner.Runner` does, finds
which pieces the results directory already holds (read-only: :meth:`~paper_checks.workflow.store.ResultStore.
is_present`; a missing directory is never created and means that everything is missing), and cuts the missing
pieces into the runner's tasks: one per seed chunk of a run or experiment (:func:`~paper_checks.workflow.runner.
seed_chunks`), then one per seed chunk of a run's measurements. With ``calibrate=True`` it estimates the CPU and
wall seconds of every task from a short calibration in this process, whose results are thrown away:

* **Runs** (configurations with ``epochs`` and ``logged_epochs``): the first task's seeds are trained for 1 epoch
  and for ``E`` epochs, each logging only its last epoch. Their difference gives the cost of an epoch, and the rest
  of the 1-epoch run the cost of a logged epoch (with the call's fixed cost), so a task costs
  ``per_epoch · epochs + per_log · logged epochs``: logging is dear for MNIST (losses on every digit, a 3.3 MB
  snapshot), cheap for SZT. ``E`` (≥ 2) is chosen from the 1-epoch run so that the second run takes about
  :data:`CALIBRATION_FRACTION` of the group's estimated cost and at most :data:`CALIBRATION_RUN_SECONDS`. The
  first run of each trainer in this process is made twice and its first timing discarded (a worker pays numba's
  cache loading once, not per task). The seeds per task are the runner's: batched seeds cost far less than
  separate ones (8 SZT seeds cost about what 2 do), so they are not shortened. A smaller last chunk is counted as a
  full one (an upper bound).
* **Measurements** of a run: each missing measurement is timed on one seed of that calibration run at its last
  logged epoch and scaled by the seeds and logged epochs it measures (its ``epochs`` field, or every logged epoch).
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
from paper_checks.workflow.ids import Selection
from paper_checks.workflow.runner import Runner, one_line, seed_chunks, timed
from paper_checks.workflow.store import Piece, ResultStore, pieces_of, seeds_of

__all__ = [
    "CALIBRATION_BUDGET",
    "CALIBRATION_FRACTION",
    "CALIBRATION_RUN_SECONDS",
    "Calibrated",
    "Calibration",
    "Cost",
    "GroupPlan",
    "MeasurementPlan",
    "Plan",
    "PlannedTask",
    "describe_config",
    "format_seconds",
    "list_schedule",
    "make_plan",
]

#: Longest calibration of a whole plan, seconds of wall time: a plan of the paper profile stays under a minute.
CALIBRATION_BUDGET = 60.0
#: Share of a run group's estimated cost spent on its calibration run (after the 1-epoch probe).
CALIBRATION_FRACTION = 0.01
#: Longest calibration run of one run group, seconds of wall time (after the probe).
CALIBRATION_RUN_SECONDS = 0.5


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
            f"ibtheory plan: profile {self.profile}, results in {self.root} ({state}), "
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
            f"CPU in this process (at most {self.budget:g} s), timed on this machine under its current load; "
            "nothing was stored"
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
    if seconds < 7200:
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


class _Calibrator:
    def __init__(self, timer: Callable[..., tuple[Any, float, float]], budget: float) -> None:
        self.timer = timer
        self.deadline = time.perf_counter() + budget
        self.over = 0
        self.warm: set[Any] = set()

    def time(self, function: Callable[..., Any], *arguments: Any, warm: bool = False) -> tuple[Any, Cost]:
        """``function(*arguments)`` and its cost; with `warm`, a function's first call in this process is made twice.

        That first call pays one-off costs of a process (numba's compiled-code cache, first allocations) that a
        worker pays once, not per task: its timing is discarded.
        """
        if time.perf_counter() > self.deadline:
            raise _OverBudget
        if warm and function not in self.warm:
            self.warm.add(function)
            self.timer(function, *arguments)
            if time.perf_counter() > self.deadline:
                raise _OverBudget
        answer, cpu, wall = self.timer(function, *arguments)
        return answer, Cost(float(cpu), float(wall))

    def source(self, group: _Group, chunk: tuple, n_tasks: int) -> tuple[Any, Cost, str, Calibration]:
        """The calibration run (for the measurements), the cost of one task, its basis, and the rule used."""
        template = group.template
        rule = _calibration_of(template)
        base, function = rule.config, group.spec.function
        scale = float(rule.train_scale)
        if _has_epochs(template) and chunk != (None,):
            epochs, logged = template.epochs, len(template.logged_epochs)
            warm = group.spec.kind == "run"
            run, one = self.time(function, _shortened(base, chunk, 1), warm=warm)
            if epochs == 1:
                per_task = one.times(scale)
                basis = f"timed in full: {_plural(len(chunk), 'seed')} × 1 epoch in {one.cpu:.2g} s CPU"
                return run, per_task, basis + (f", ×{scale:.3g} per task" if scale != 1 else " per task"), rule
            target = min(CALIBRATION_RUN_SECONDS, CALIBRATION_FRACTION * one.wall * epochs * n_tasks * scale)
            used = min(epochs, max(2, int(target / max(one.wall, 1e-6))))
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
            return run, per_task, basis + (f", ×{scale:.3g} data" if scale != 1 else ""), rule
        seeds = seeds_of(template)
        if seeds:
            run, cost = self.time(function, replace(base, seeds=(chunk[0],)))
            per_task = cost.times(scale * len(chunk))
            if len(group.seeds) == 1 and scale == 1:
                basis = f"timed in full: 1 seed in {cost.cpu:.2g} s CPU"
            else:
                basis = f"calibrated: 1 seed in {cost.cpu:.2g} s CPU, ×{len(chunk) * scale:.3g} per task"
            return run, per_task, basis, rule
        run, cost = self.time(function, base)
        return run, cost.times(scale), f"timed in full: {cost.cpu:.2g} s CPU" + (
            f", ×{scale:.3g}" if scale != 1 else ""), rule  # fmt: skip

    def measurement(self, run: Any, measurement: Any, template: Any, rule: Calibration) -> tuple[Cost, str]:
        """Cost of one missing piece (one seed) of `measurement`, and its basis."""
        spec = registry.measurement_spec_for(measurement)
        one = run.isel(seed=[0]) if isinstance(run, xr.Dataset) and "seed" in run.dims else run
        epochs = _measured_epochs(measurement, template)
        logged = int(run.sizes["epoch"]) if isinstance(run, xr.Dataset) and "epoch" in run.coords else 0
        config, timed_epochs = measurement, 0
        if logged and hasattr(measurement, "epochs"):
            config, timed_epochs = replace(measurement, epochs=(int(run["epoch"].values[-1]),)), 1
        elif logged and _has_epochs(template):
            timed_epochs = logged  # every logged epoch of the short run, scaled to every logged epoch of the run
        _, cost = self.time(spec.function, one, config)
        scale = float((rule.measurement_scales or {}).get(spec.name, 1.0))
        factor = (epochs / timed_epochs if timed_epochs else 1.0) * scale
        what = f"1 seed × {_plural(timed_epochs, 'epoch')}" if timed_epochs else "1 seed"
        basis = f"{what} in {cost.cpu:.2g} s CPU, ×{factor:.3g} per seed"
        return cost.times(factor), basis


def _plan_group(group: _Group, calibrator: _Calibrator | None, workers: int, seed_chunk: int | None) -> GroupPlan:
    missing = group.missing_seeds()
    source_chunks = _chunks(missing, workers, seed_chunk) if missing else []
    measured: list[tuple[Any, set, list]] = list(group.measurements.values())
    wanting = [s for s in group.seeds if any(s in all_ and s not in stored for _, stored, all_ in measured)]
    measure_chunks = _chunks(wanting, workers, seed_chunk) if wanting else []
    description = describe_config(group.spec.name, replace(group.template, seeds=tuple(group.seeds))
                                  if seeds_of(group.template) else group.template)  # fmt: skip
    task_cost: Cost | None = None
    per_seed: dict[str, Cost | None] = {}
    bases: dict[str, str] = {}
    basis, note = "", ""
    if calibrator is not None and (source_chunks or measure_chunks):
        chunk = (source_chunks or measure_chunks)[0]
        try:
            run, cost, basis, rule = calibrator.source(group, chunk, max(len(source_chunks), 1))
            note = rule.note
            if source_chunks:
                task_cost = cost
            for key, (config, stored, all_) in group.measurements.items():
                if all(s in stored for s in all_):
                    continue
                try:
                    per_seed[key], bases[key] = calibrator.measurement(run, config, group.template, rule)
                except _OverBudget:
                    calibrator.over += 1
                    bases[key] = "not calibrated: calibration budget spent"
                except Exception as err:
                    bases[key] = f"not calibrated: {one_line(err)}"
            del run
        except _OverBudget:
            calibrator.over += 1
            basis = "not calibrated: calibration budget spent"
        except Exception as err:
            basis = f"not calibrated: {one_line(err)}"
        if basis.startswith("not calibrated"):
            bases = dict.fromkeys(group.measurements, basis)
    tasks = [PlannedTask(0, chunk, task_cost) for chunk in source_chunks]
    for chunk in measure_chunks:
        cost: Cost | None = ZERO
        for key, (_, stored, all_) in group.measurements.items():
            n = sum(1 for s in chunk if s in all_ and s not in stored)
            if n == 0:
                continue
            one = per_seed.get(key)
            cost = None if one is None or cost is None else cost + one.times(n)
        tasks.append(PlannedTask(1, chunk, cost))
    lines = []
    for key, (config, stored, all_) in group.measurements.items():
        n_missing = len([s for s in all_ if s not in stored])
        one = per_seed.get(key)
        lines.append(
            MeasurementPlan(
                _measurement_label(config),
                len(stored),
                n_missing,
                _measured_epochs(config, group.template),
                None if one is None or not n_missing else one.times(n_missing),
                bases.get(key, "") if n_missing else "",
            )
        )
    total_cost = None if task_cost is None else task_cost.times(len(source_chunks))
    return GroupPlan(
        kind=group.spec.kind,
        name=group.spec.name,
        description=description,
        stored=len(group.stored),
        missing=len(missing),
        cost=total_cost,
        basis=basis if missing else "",
        measurements=tuple(lines),
        tasks=tuple(tasks),
        note=note,
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
    timer: Callable[..., tuple[Any, float, float]] = timed,
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
    timer : callable
        ``timer(function, *arguments) -> (answer, cpu_seconds, wall_seconds)`` (default
        :func:`~paper_checks.workflow.runner.timed`; tests pass a deterministic clock).

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
    needs = list(dict.fromkeys(n for owned in needs_by_owner.values() for n in owned.values()))
    pieces = list(dict.fromkeys(p for n in needs for p in pieces_of(n)))
    present = store.is_present if existing else (lambda piece: False)
    groups = _groups(store, pieces, present)
    not_run = tuple(
        (cid, registry.CLAIMS[cid].expectation(profile).reason)
        for cid in selection.claims
        if registry.CLAIMS[cid].expectation(profile).verdict == registry.NOT_RUN
    )
    calibrator = _Calibrator(timer, budget) if calibrate else None
    start_cpu, start_wall = time.process_time(), time.perf_counter()
    planned: dict[int, GroupPlan] = {}
    for index in _calibration_order(groups):
        planned[index] = _plan_group(groups[index], calibrator, workers, seed_chunk)
    spent = Cost(time.process_time() - start_cpu, time.perf_counter() - start_wall)
    return Plan(
        profile=profile.name,
        root=str(Path(store_root)),
        existing=existing,
        workers=workers,
        groups=tuple(planned[i] for i in range(len(groups))),
        calibrated=calibrate,
        not_run=not_run,
        calibration=spent if calibrate else ZERO,
        budget=budget,
        over_budget=calibrator.over if calibrator else 0,
    )
