"""Measure stored runs without training: ``ibtheory measure`` and :func:`load_run`.

A results directory written by ``ibtheory reproduce`` holds every trained network (``runs/``). This module finds
the runs a claim or figure uses (:func:`runs_of`), loads them (:func:`load_run`), and applies a registered
measurement with the user's parameters (:func:`measure_stored`), caching the result in the same directory
(``measurements/``) and writing it as netCDF. Nothing here trains: a run that is not stored is an error naming the
command that stores it.

Examples
--------
The Fig 1A tanh networks at the fast profile, measured with KDE at σ² = 0.01 (after ``ibtheory reproduce
--only F1A --out results``)::

    ibtheory measure kde noise_variances=0.01 --of F1A --results results

A user's own estimator on the same networks::

    from paper_checks.workflow.measure import load_run
    from paper_checks.measurements import measure_with
    run = load_run("results", "F1A")
    ds = measure_with(run, lambda activity, labels: activity.std(), "activity_std")
"""

from __future__ import annotations

import dataclasses
import importlib
import os
import typing
from pathlib import Path
from typing import Any

import xarray as xr

from paper_checks import registry
from paper_checks.profiles import FAST, Profile
from paper_checks.workflow.executor import Executor
from paper_checks.workflow.ids import select
from paper_checks.workflow.runner import Runner
from paper_checks.workflow.store import Piece, ResultsDirectoryError, ResultStore, pieces_of

__all__ = [
    "MissingRunError",
    "load_run",
    "measure_stored",
    "open_results",
    "parse_parameters",
    "require_run",
    "runs_of",
]


class MissingRunError(ValueError):
    """A run needed for a measurement is not stored; the message names the command that stores it."""


def runs_of(target: str, profile: Profile = FAST) -> dict[str, Any]:
    """The run configurations that claim or figure panel `target` measures at `profile`, by need name.

    Parameters
    ----------
    target : str
        A claim id (``C1``) or a figure panel (``F1A``); a whole figure (``F8``) takes every panel.
    profile : Profile
        Whose runs.

    Returns
    -------
    dict
        ``{need name: run configuration}``, only the needs whose source is a training run.
    """
    selection = select(target)
    wanted = [i for i in (target.upper(),) if i in registry.CLAIMS] or list(selection.figures) or list(selection.claims)
    runs: dict[str, Any] = {}
    for identifier in wanted:
        spec = registry.CLAIMS.get(identifier) or registry.FIGURES[identifier]
        for name, need in spec.needs(profile).items():
            if registry.spec_for(need.source).kind == "run":
                runs.setdefault(name, need.source)
    if not runs:
        raise ValueError(f"{target!r} uses no training run (its needs are experiments)")
    return runs


def open_results(results: str | os.PathLike[str]) -> ResultStore:
    """The store of an existing results directory (ResultsDirectoryError naming ``ibtheory reproduce`` if none)."""
    if not ResultStore.check_directory(results):
        raise ResultsDirectoryError(
            f"{str(results)!r} holds no ibtheory results: run `ibtheory reproduce --out {results}`"
        )
    return ResultStore(results)


def require_run(store: ResultStore, config: Any, command: str) -> None:
    """Raise :class:`MissingRunError` naming `command` unless every seed of run `config` is stored."""
    missing = [p.seed for p in pieces_of(registry.Need(config)) if not store.has(p)]
    if missing:
        spec = registry.spec_for(config)
        raise MissingRunError(
            f"no stored {spec.name} run for seeds {missing} of {_describe(config)} in {str(store.root)!r}; "
            f"store it with `{command}`"
        )


def _describe(config: Any) -> str:
    fields = {
        f.name: getattr(config, f.name) for f in dataclasses.fields(config) if f.name not in ("seeds", "logged_epochs")
    }
    return ", ".join(f"{k}={v}" for k, v in fields.items())


def load_run(
    results: str | os.PathLike[str], target: str, name: str | None = None, profile: Profile = FAST
) -> xr.Dataset:
    """Load a stored run that `target` (a claim or figure panel) uses, without training anything.

    Parameters
    ----------
    results : path
        A results directory of ``ibtheory reproduce``.
    target : str
        Claim or figure panel id, e.g. ``"F1A"``.
    name : str, optional
        Which of its runs (a need name such as ``"tanh/F1"``), when it uses several.
    profile : Profile
        The profile the results were computed at.

    Returns
    -------
    xarray.Dataset
        The run: ``parameters`` of every seed at every logged epoch, the split, losses, accuracies, weight norms.

    Raises
    ------
    MissingRunError
        If the run is not stored (the message names the ``ibtheory reproduce`` command that stores it).
    """
    runs = runs_of(target, profile)
    if name is None:
        if len(runs) > 1:
            raise ValueError(f"{target} uses several runs {sorted(runs)}; pass name= one of them")
        name = next(iter(runs))
    if name not in runs:
        raise ValueError(f"{target} has no run {name!r}; its runs are {sorted(runs)}")
    store = open_results(results)
    require_run(store, runs[name], f"ibtheory reproduce --profile {profile.name} --only {target} --out {results}")
    return store.join(registry.Need(runs[name]))


def _type_name(annotation: Any) -> str:
    return annotation.__name__ if isinstance(annotation, type) else str(annotation)


def _annotation_kind(annotation: str) -> tuple[str, bool]:
    optional = "None" in annotation
    for kind in ("tuple", "bool", "int", "float", "str"):
        if kind in annotation:
            element = "float" if "float" in annotation else "int"
            return (f"tuple:{element}" if kind == "tuple" else kind), optional
    return "str", optional


def parse_parameters(config_type: type, assignments: list[str]) -> dict[str, Any]:
    """Turn ``key=value`` strings into keyword arguments of the measurement configuration `config_type`.

    Values are converted by the field's type: numbers, ``true``/``false``, ``none`` where allowed, and
    comma-separated tuples (``noise_variances=0.01,0.1``). Nothing is evaluated.

    Raises
    ------
    ValueError
        For a malformed assignment, an unknown field (naming the accepted ones) or a value of the wrong type.
    """
    hints = typing.get_type_hints(config_type)
    fields = {f.name: _type_name(hints.get(f.name, f.type)) for f in dataclasses.fields(config_type)}
    out: dict[str, Any] = {}
    for text in assignments:
        key, sep, value = text.partition("=")
        key = key.strip()
        if not sep or not key:
            raise ValueError(f"parameters are key=value, got {text!r}")
        if key not in fields:
            raise ValueError(f"unknown parameter {key!r}; {config_type.__name__} accepts {', '.join(fields)}")
        kind, optional = _annotation_kind(fields[key])
        value = value.strip()
        try:
            if optional and value.lower() == "none":
                out[key] = None
            elif kind == "bool":
                if value.lower() not in ("true", "false"):
                    raise ValueError
                out[key] = value.lower() == "true"
            elif kind.startswith("tuple"):
                convert = float if kind.endswith("float") else int
                out[key] = tuple(convert(v) for v in value.split(",") if v.strip())
            elif kind in ("int", "float"):
                out[key] = int(value) if kind == "int" else float(value)
            else:
                out[key] = value
        except ValueError:
            raise ValueError(f"parameter {key}={value!r}: expected {fields[key]}") from None
    return out


def measure_stored(
    results: str | os.PathLike[str],
    measurement_name: str,
    assignments: list[str],
    target: str,
    *,
    profile: Profile = FAST,
    out: str | os.PathLike[str] | None = None,
    executor: Executor | None = None,
) -> list[Path]:
    """Apply a registered measurement, with parameters ``key=value``, to the stored runs of `target`.

    The measurement pieces (one per seed chunk) run on `executor` (default: in this process).

    Returns the netCDF files written (one per run, in `out` or ``<results>/measured/``). The measurement is also
    kept in the store, so measuring again with the same parameters only reads it.

    Raises
    ------
    ValueError
        Unknown measurement (naming the registered ones) or parameter; :class:`MissingRunError` if a run is not
        stored.
    """
    for module in registry.MEASUREMENT_MODULES:  # registers the measurements
        importlib.import_module(module)

    if measurement_name not in registry.MEASUREMENTS:
        raise ValueError(
            f"unknown measurement {measurement_name!r}; registered: {', '.join(sorted(registry.MEASUREMENTS))}"
        )
    spec = registry.MEASUREMENTS[measurement_name]
    config = spec.config_type(**parse_parameters(spec.config_type, assignments))
    runs = runs_of(target, profile)
    store = open_results(results)
    command = f"ibtheory reproduce --profile {profile.name} --only {target} --out {results}"
    for run in runs.values():
        if registry.spec_for(run).name not in spec.runs:
            raise ValueError(
                f"measurement {measurement_name!r} applies to runs {spec.runs}, not {registry.spec_for(run).name!r}"
            )
        require_run(store, run, command)
    runner = Runner(store, profile, executor=executor)
    runner.prepare(registry.Need(run, config) for run in runs.values())  # every seed of every run, in parallel
    outdir = Path(out) if out is not None else store.root / "measured"
    outdir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, run in runs.items():
        need = registry.Need(run, config)
        result = runner.load(need)
        if any(action == "computed" and kind == "run" for action, kind, _ in store.events):
            raise RuntimeError("ibtheory measure trained a network; this is a bug (every run piece was checked)")
        key = store.measurement_key(config)
        path = outdir / f"{measurement_name}-{name.replace('/', '-')}-{key[:10]}.nc"
        measured = store.load(Piece(dataclasses.replace(run, seeds=(run.seeds[0],)), config, run.seeds[0]))
        result.attrs.update({k: v for k, v in measured.attrs.items() if k not in result.attrs})
        result.to_netcdf(path, engine="h5netcdf")
        written.append(path)
    return written
