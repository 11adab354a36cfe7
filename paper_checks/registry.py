"""One registry of the science: trainers (runs), measurements, other experiments, claim checks and figures.

Everything the paper computes is written once (docs/design.md#witnesses) and registered here:

* ``@trainer("szt", SZTRun)`` registers ``train(config) -> xarray.Dataset``, a **run**: the parameters of every
  seed's network at every logged epoch, the data split, losses, accuracies and weight norms. A run is keyed by
  its training configuration alone.
* ``@measurement("kde", KDE, runs=("szt", "mnist"))`` registers ``measure(run, config) -> xarray.Dataset``, a
  function of a stored run. Changing a measurement never retrains.
* ``@experiment("three_neuron_curve", ThreeNeuronConfig)`` registers any other computation
  ``run(config) -> xarray.Dataset`` (theory curves, estimator tests) that is not a training run.
* ``@claim("C10", needs=..., figures=("F2C",))`` registers a pure ``check(inputs) -> ClaimResult``; ``needs``
  is ``needs(profile) -> {name: Need}`` and ``inputs[name]`` is the result of that need.
* ``@figure("F2C", needs=...)`` registers ``draw(inputs, outdir) -> list[pathlib.Path]`` in the same way.

A :class:`Need` is a configuration of a trainer or experiment, optionally with a measurement configuration. Each
configuration type belongs to exactly one registered trainer/experiment/measurement, so a need names what computes
it. The workflow (:mod:`paper_checks.workflow`) collects the needs of the selected claims and figures, computes
every missing piece once (resumably, on local processes or a Dask cluster), then evaluates the checks and draws
the figures. :func:`compute` evaluates a need in memory, without a store (notebooks, quick experiments).

Modules that register things live in :mod:`paper_checks.claims` and :mod:`paper_checks.figures` (which import
the experiments they use); :func:`load_all` imports them all.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, is_dataclass
from pathlib import Path
from typing import Any

import xarray as xr

from paper_checks.profiles import PROFILES

__all__ = [
    "CLAIMS",
    "DOES_NOT_REPRODUCE",
    "EXPERIMENTS",
    "FIGURES",
    "HOLDS",
    "MEASUREMENTS",
    "NOT_RUN",
    "UNDECIDED",
    "ClaimSpec",
    "ComputeSpec",
    "Expectation",
    "FigureSpec",
    "Inputs",
    "MeasurementSpec",
    "Need",
    "claim",
    "compute",
    "does_not_reproduce",
    "experiment",
    "figure",
    "load_all",
    "measurement",
    "merge_run_and_measurement",
    "not_run",
    "spec_for",
    "trainer",
    "undecided",
]


@dataclass(frozen=True)
class ComputeSpec:
    """A registered trainer (``kind="run"``) or experiment (``kind="experiment"``)."""

    name: str
    kind: str
    config_type: type
    function: Callable[[Any], xr.Dataset]


@dataclass(frozen=True)
class MeasurementSpec:
    """A registered measurement of runs: ``measure(run, config) -> xarray.Dataset``."""

    name: str
    config_type: type
    function: Callable[[xr.Dataset, Any], xr.Dataset]
    runs: tuple[str, ...]


@dataclass(frozen=True)
class Need:
    """What a claim or figure needs: a run or experiment configuration, optionally measured.

    Attributes
    ----------
    source : frozen dataclass
        A configuration of a registered trainer or experiment.
    measurements : frozen dataclass or tuple of them
        Configurations of registered measurements of the run `source` (empty for an experiment or a bare run).
        The result holds every measurement's variables beside the run's summaries
        (:func:`merge_run_and_measurement`).
    """

    source: Any
    measurements: Any = ()

    def __post_init__(self) -> None:
        measurements = self.measurements if isinstance(self.measurements, tuple) else (self.measurements,)
        object.__setattr__(self, "measurements", measurements)
        spec = spec_for(self.source)
        for config in measurements:
            m = measurement_spec_for(config)
            if spec.kind != "run":
                raise ValueError(f"Need: measurement {m.name!r} applies to runs, but {spec.name!r} is an experiment")
            if spec.name not in m.runs:
                raise ValueError(f"Need: measurement {m.name!r} applies to runs {m.runs}, not to {spec.name!r}")

    def describe(self) -> str:
        """``szt (12 seeds) → binning, kde`` style one-line description."""
        spec = spec_for(self.source)
        seeds = getattr(self.source, "seeds", None)
        text = spec.name + (f" ({len(seeds)} seeds)" if isinstance(seeds, tuple) else "")
        if self.measurements:
            text += " → " + ", ".join(measurement_spec_for(m).name for m in self.measurements)
        return text


#: The verdict of a check that ran and held.
HOLDS = "holds"
#: The verdict of a check that ran and did not hold: a finding about the paper (or about the profile's sizes).
DOES_NOT_REPRODUCE = "does not reproduce"
#: The verdict of a claim whose needs are not computed at a profile, with the reason (e.g. their cost).
NOT_RUN = "not run"
#: The declaration of a claim whose check runs at a profile but cannot decide it there: its verdict has been measured
#: to differ between machines (training is chaotic, and a trained network's bits depend on the CPU's rounding), so
#: the profile's seeds cannot carry the claim either way. The check still runs and its result is reported; it is
#: never counted as holding, and a check that cannot run is still an error.
UNDECIDED = "undecided"


@dataclass(frozen=True)
class Expectation:
    """The verdict a claim declares at a profile, and why when it is not ``holds``.

    Attributes
    ----------
    verdict : str
        ``"holds"``, ``"does not reproduce"``, ``"not run"`` (its needs are not computed at the profile) or
        ``"undecided"`` (the check runs, but its verdict at the profile has been measured to differ between
        machines).
    reason : str
        Why the claim does not reproduce (measured, with numbers), why it is not run (its cost), or the verdicts
        measured on each machine; required for all three; empty for ``holds``.
    """

    verdict: str = HOLDS
    reason: str = ""

    def __post_init__(self) -> None:
        if self.verdict not in (HOLDS, DOES_NOT_REPRODUCE, NOT_RUN, UNDECIDED):
            raise ValueError(
                f"Expectation: verdict must be {HOLDS!r}, {DOES_NOT_REPRODUCE!r}, {NOT_RUN!r} or {UNDECIDED!r}, "
                f"got {self.verdict!r}"
            )
        if self.verdict != HOLDS and not self.reason.strip():
            raise ValueError(f"Expectation: a declared {self.verdict!r} needs its reason")


def does_not_reproduce(reason: str) -> Expectation:
    """The declaration ``Expectation("does not reproduce", reason)`` (for ``@claim(expected={...})``)."""
    return Expectation(DOES_NOT_REPRODUCE, reason)


def not_run(reason: str) -> Expectation:
    """The declaration ``Expectation("not run", reason)``: the claim's needs are not computed at that profile."""
    return Expectation(NOT_RUN, reason)


def undecided(reason: str) -> Expectation:
    """The declaration ``Expectation("undecided", reason)``: the profile cannot decide the claim on every machine.

    For a check whose verdict at the profile has been *measured* to differ between machines; the reason gives the
    numbers of each. Its test runs the check and is reported as skipped with the verdict measured here (never as
    passing); it fails when the check cannot run.
    """
    return Expectation(UNDECIDED, reason)


@dataclass(frozen=True)
class ClaimSpec:
    """A registered claim check and the verdict it declares at each profile (default ``holds``)."""

    claim: str
    check: Callable[[Inputs], Any]
    needs: Callable[[Any], Mapping[str, Need]]
    figures: tuple[str, ...]
    expected: Mapping[str, Expectation] = field(default_factory=dict)
    declaration: Any = None  # paper_checks.declarations.Declaration, or None for a claim not yet declared

    def expectation(self, profile: Any) -> Expectation:
        """The declared verdict at `profile` (a :class:`~paper_checks.profiles.Profile` or its name)."""
        return self.expected.get(getattr(profile, "name", profile), Expectation())


@dataclass(frozen=True)
class FigureSpec:
    """A registered figure panel (one draw function may register several)."""

    figure: str
    draw: Callable[[Inputs, Path], list[Path]]
    needs: Callable[[Any], Mapping[str, Need]]


@dataclass(frozen=True)
class Inputs(Mapping[str, xr.Dataset]):
    """The results of a claim's or figure's needs, by name, and the profile they were computed at."""

    profile: Any
    data: Mapping[str, xr.Dataset] = field(default_factory=dict)

    def __getitem__(self, name: str) -> xr.Dataset:
        try:
            return self.data[name]
        except KeyError:
            raise KeyError(f"no input {name!r}; this check declared {sorted(self.data)}") from None

    def __iter__(self) -> Iterator[str]:
        return iter(self.data)

    def __len__(self) -> int:
        return len(self.data)


COMPUTE_BY_TYPE: dict[type, ComputeSpec] = {}
EXPERIMENTS: dict[str, ComputeSpec] = {}
MEASUREMENTS: dict[str, MeasurementSpec] = {}
MEASUREMENT_BY_TYPE: dict[type, MeasurementSpec] = {}
CLAIMS: dict[str, ClaimSpec] = {}
FIGURES: dict[str, FigureSpec] = {}


def _register_compute(name: str, kind: str, config_type: type):
    if not (isinstance(config_type, type) and is_dataclass(config_type)):
        raise TypeError(f"{kind} {name!r}: config_type must be a frozen dataclass class, got {config_type!r}")

    def decorate(function: Callable[[Any], xr.Dataset]) -> Callable[[Any], xr.Dataset]:
        if name in EXPERIMENTS or name in MEASUREMENTS:
            raise ValueError(f"{name!r} is registered twice")
        if config_type in COMPUTE_BY_TYPE:
            raise ValueError(f"{config_type.__name__} already belongs to {COMPUTE_BY_TYPE[config_type].name!r}")
        spec = ComputeSpec(name, kind, config_type, function)
        EXPERIMENTS[name] = spec
        COMPUTE_BY_TYPE[config_type] = spec
        return function

    return decorate


def trainer(name: str, config_type: type) -> Callable[[Callable[[Any], xr.Dataset]], Callable[[Any], xr.Dataset]]:
    """Register ``train(config) -> run`` for configurations of `config_type` (a run keeps its ``parameters``)."""
    return _register_compute(name, "run", config_type)


def experiment(name: str, config_type: type) -> Callable[[Callable[[Any], xr.Dataset]], Callable[[Any], xr.Dataset]]:
    """Register ``run(config) -> xarray.Dataset`` (a computation that is not a training run)."""
    return _register_compute(name, "experiment", config_type)


def measurement(name: str, config_type: type, *, runs: tuple[str, ...]):
    """Register ``measure(run, config) -> xarray.Dataset`` for runs of the trainers named in `runs`."""
    if not (isinstance(config_type, type) and is_dataclass(config_type)):
        raise TypeError(f"measurement {name!r}: config_type must be a frozen dataclass class, got {config_type!r}")

    def decorate(function):
        if name in MEASUREMENTS or name in EXPERIMENTS:
            raise ValueError(f"{name!r} is registered twice")
        if config_type in MEASUREMENT_BY_TYPE:
            raise ValueError(f"{config_type.__name__} already belongs to {MEASUREMENT_BY_TYPE[config_type].name!r}")
        spec = MeasurementSpec(name, config_type, function, tuple(runs))
        MEASUREMENTS[name] = spec
        MEASUREMENT_BY_TYPE[config_type] = spec
        return function

    return decorate


def spec_for(config: Any) -> ComputeSpec:
    """The trainer or experiment that computes `config`."""
    try:
        return COMPUTE_BY_TYPE[type(config)]
    except KeyError:
        known = ", ".join(sorted(t.__name__ for t in COMPUTE_BY_TYPE)) or "none registered"
        raise TypeError(
            f"{type(config).__name__} is not the configuration of a registered trainer or experiment ({known})"
        ) from None


def measurement_spec_for(config: Any) -> MeasurementSpec:
    """The measurement that `config` configures."""
    try:
        return MEASUREMENT_BY_TYPE[type(config)]
    except KeyError:
        known = ", ".join(sorted(t.__name__ for t in MEASUREMENT_BY_TYPE)) or "none registered"
        raise TypeError(
            f"{type(config).__name__} is not the configuration of a registered measurement ({known})"
        ) from None


def claim(
    claim_id: str,
    *,
    needs: Callable[[Any], Mapping[str, Need]],
    figures: tuple[str, ...] = (),
    expected: Mapping[str, Expectation] | None = None,
    declares: Any = None,
) -> Callable[[Callable[[Inputs], Any]], Callable[[Inputs], Any]]:
    """Register ``check(inputs) -> ClaimResult`` for `claim_id` (``"C1"`` … ``"C46"``).

    Parameters
    ----------
    claim_id : str
        The claim.
    needs : callable
        ``needs(profile) -> {name: Need}``: everything the check reads.
    figures : tuple of str
        Figure panels that show the claim.
    expected : dict, optional
        The verdict declared at each profile, ``{"fast": does_not_reproduce("measured reason")}``; a profile not
        named declares ``holds``. ``ibtheory reproduce`` and ``pytest paper_checks`` succeed when every verdict is
        the declared one, so a declared "does not reproduce" is a result, and an unexpected pass is flagged.
    declares : paper_checks.declarations.Declaration, optional
        The checks declared in advance (:func:`paper_checks.declarations.declare`); the runner verifies that the
        result follows them (:func:`paper_checks.declarations.conformance`).
    """
    if not callable(needs):
        raise TypeError(f"claim {claim_id!r}: needs must be callable as needs(profile) -> {{name: Need}}")
    expected = dict(expected or {})
    for name, value in expected.items():
        if name not in PROFILES:
            raise ValueError(f"claim {claim_id!r}: expected names profiles {sorted(PROFILES)}, got {name!r}")
        if not isinstance(value, Expectation):
            raise TypeError(f"claim {claim_id!r}: expected[{name!r}] must be an Expectation, got {value!r}")

    if declares is not None:
        from paper_checks.declarations import Declaration

        if not isinstance(declares, Declaration):
            raise TypeError(f"claim {claim_id!r}: declares must be a Declaration (declare(...)), got {declares!r}")
        if declares.claim != claim_id:
            raise ValueError(f"claim {claim_id!r}: its declaration is for {declares.claim!r}")

    def decorate(check: Callable[[Inputs], Any]) -> Callable[[Inputs], Any]:
        if claim_id in CLAIMS:
            raise ValueError(f"claim {claim_id!r} is registered twice")
        CLAIMS[claim_id] = ClaimSpec(claim_id, check, needs, tuple(figures), expected, declares)
        return check

    return decorate


def figure(*figure_ids: str, needs: Callable[[Any], Mapping[str, Need]]):
    """Register ``draw(inputs, outdir) -> list[Path]`` for each panel id in `figure_ids` (``"F2C"``)."""
    if not callable(needs):
        raise TypeError(f"figure {figure_ids}: needs must be callable as needs(profile) -> {{name: Need}}")

    def decorate(draw: Callable[..., list[Path]]) -> Callable[..., list[Path]]:
        for fid in figure_ids:
            if fid in FIGURES:
                raise ValueError(f"figure {fid!r} is registered twice")
            FIGURES[fid] = FigureSpec(fid, draw, needs)
        return draw

    return decorate


def merge_run_and_measurement(run: xr.Dataset, measured: list[xr.Dataset]) -> xr.Dataset:
    """What a claim sees for ``Need(run, measurements)``: the measurements beside the run's summaries.

    The run's losses, accuracies and weight norms (every variable but ``parameters`` and the split indices) are
    joined with the measured variables; epochs a measurement skipped are NaN in its variables.
    """
    keep = [v for v in run.data_vars if not any(d == "parameter" or str(d).endswith("example") for d in run[v].dims)]
    merged = xr.merge([run[keep], *measured], join="outer", compat="override", combine_attrs="drop_conflicts")
    merged.attrs = dict(run.attrs)
    return merged


def compute(need: Need | Any) -> xr.Dataset:
    """Evaluate `need` in memory, without any cache (a bare configuration is a need without measurement)."""
    need = need if isinstance(need, Need) else Need(need)
    source = spec_for(need.source).function(need.source)
    if not need.measurements:
        return source
    measured = [measurement_spec_for(m).function(source, m) for m in need.measurements]
    return merge_run_and_measurement(source, measured)


#: Modules registering measurements that no claim or figure imports (loaded by :func:`load_all`).
MEASUREMENT_MODULES = ("paper_checks.measurements", "paper_checks.measurements_adaptive")


def load_all() -> None:
    """Import the measurement modules, and every module of :mod:`paper_checks.claims` and :mod:`paper_checks.figures`.

    Importing registers them; :data:`MEASUREMENT_MODULES` lists the measurement modules no claim imports.
    """
    for module_name in MEASUREMENT_MODULES:
        importlib.import_module(module_name)
    for package_name in ("paper_checks.claims", "paper_checks.figures"):
        package = importlib.import_module(package_name)
        for info in pkgutil.iter_modules(package.__path__):
            if not info.name.startswith("_"):
                importlib.import_module(f"{package_name}.{info.name}")
