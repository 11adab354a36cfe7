"""One registry of the paper's experiments, claim checks and figures.

Every experiment is written once (design.md §1) and registered here, so that the claim tests, the figures, the
report and the notebooks call the same definition.

* ``@experiment("name")`` wraps ``run(config) -> xarray.Dataset`` where ``config`` is a frozen, hashable
  dataclass. Results are memoised per configuration within the process (so C1, C6 and C7 share one training
  run); :mod:`paper_checks.store` adds the on-disk, resumable cache.
* ``@claim("C10", figures=("F2C",))`` registers ``check(profile) -> ClaimResult``.
* ``@figure("F2C", "F2D")`` registers ``draw(profile, outdir) -> list[pathlib.Path]`` (PNG and PDF per panel).

Modules that register things live in :mod:`paper_checks.claims` and :mod:`paper_checks.figures`;
:func:`load_all` imports them all.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, is_dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "CLAIMS",
    "EXPERIMENTS",
    "FIGURES",
    "ClaimSpec",
    "ExperimentSpec",
    "FigureSpec",
    "claim",
    "experiment",
    "figure",
    "load_all",
]


@dataclass(frozen=True)
class ExperimentSpec:
    """A registered experiment: ``run(config) -> xarray.Dataset`` (memoised)."""

    name: str
    run: Callable[[Any], Any]
    raw: Callable[[Any], Any]


@dataclass(frozen=True)
class ClaimSpec:
    """A registered claim check: ``check(profile) -> ClaimResult``."""

    claim: str
    check: Callable[[Any], Any]
    figures: tuple[str, ...]


@dataclass(frozen=True)
class FigureSpec:
    """A registered figure panel: ``draw(profile, outdir) -> list[Path]``."""

    figure: str
    draw: Callable[[Any, Path], list[Path]]


EXPERIMENTS: dict[str, ExperimentSpec] = {}
CLAIMS: dict[str, ClaimSpec] = {}
FIGURES: dict[str, FigureSpec] = {}

# Hook used by paper_checks.store to route experiment runs through the on-disk cache; None = in-memory only.
_RUNNER: Callable[[ExperimentSpec, Any], Any] | None = None


def experiment(name: str) -> Callable[[Callable[[Any], Any]], Callable[[Any], Any]]:
    """Register ``run(config)`` as the experiment `name`; calls are memoised per (hashable) config."""

    def decorate(run: Callable[[Any], Any]) -> Callable[[Any], Any]:
        if name in EXPERIMENTS:
            raise ValueError(f"experiment {name!r} is registered twice")
        memo = functools.lru_cache(maxsize=None)(run)

        @functools.wraps(run)
        def wrapper(config: Any) -> Any:
            if not is_dataclass(config):
                raise ValueError(f"experiment {name!r}: config must be a frozen dataclass, got {type(config)}")
            if _RUNNER is not None:
                return _RUNNER(EXPERIMENTS[name], config)
            return memo(config)

        wrapper.cache_clear = memo.cache_clear  # type: ignore[attr-defined]
        EXPERIMENTS[name] = ExperimentSpec(name, wrapper, memo)
        return wrapper

    return decorate


def claim(claim_id: str, *, figures: tuple[str, ...] = ()) -> Callable[[Callable[[Any], Any]], Callable[[Any], Any]]:
    """Register ``check(profile) -> ClaimResult`` for the claim `claim_id` (``"C1"`` … ``"C46"``)."""

    def decorate(check: Callable[[Any], Any]) -> Callable[[Any], Any]:
        if claim_id in CLAIMS:
            raise ValueError(f"claim {claim_id!r} is registered twice")
        CLAIMS[claim_id] = ClaimSpec(claim_id, check, tuple(figures))
        return check

    return decorate


def figure(*figure_ids: str) -> Callable[[Callable[..., list[Path]]], Callable[..., list[Path]]]:
    """Register ``draw(profile, outdir) -> list[Path]`` for each id in `figure_ids` (``"F2C"``)."""

    def decorate(draw: Callable[..., list[Path]]) -> Callable[..., list[Path]]:
        for fid in figure_ids:
            if fid in FIGURES:
                raise ValueError(f"figure {fid!r} is registered twice")
            FIGURES[fid] = FigureSpec(fid, draw)
        return draw

    return decorate


def load_all() -> None:
    """Import every module of :mod:`paper_checks.claims` and :mod:`paper_checks.figures` (registers them)."""
    for package_name in ("paper_checks.claims", "paper_checks.figures"):
        package = importlib.import_module(package_name)
        for info in pkgutil.iter_modules(package.__path__):
            if not info.name.startswith("_"):
                importlib.import_module(f"{package_name}.{info.name}")
