"""The follow-up paper's adaptive estimators as measurements of stored network runs ([CHO19] §3; issue 16).

Chelombiev, Houghton & O'Donnell [CHO19] measured the same 10-7-5-4-3 SZT networks as [P] with two estimators
that adapt to each layer's activity at each epoch. Both are registered here as measurements of the runs of the
network trainers (``szt``, ``mnist``), beside [P]'s estimators (:mod:`paper_checks.measurements`), so both papers'
estimators can be put on the very same stored networks without retraining:

==========  ======================================  ===============================================================
name        configuration                           variables (dims seed, epoch, layer[, noise_scale])
==========  ======================================  ===============================================================
``ebab``    :class:`EBAB` (n_bins, count)           ``I_XT_<name>``, ``I_TY_<name>`` (bits)
``akde``    :class:`AdaptiveKDE` (κ, rule)          ``I_XT_upper_<name>`` … ``I_TY_lower_<name>`` (bits),
                                                    ``noise_variance_<name>`` (the adapted σ²)
==========  ======================================  ===============================================================

::

    ibtheory measure ebab n_bins=30 --of F1A --results results
    ibtheory measure akde noise_scales=0.1 --of F1B --results results

The estimators are :mod:`simulate.mi.ebab` and :mod:`simulate.mi.adaptive_kde` (their docstrings give the
definitions, the handling of ties and the choices where [CHO19] is silent: docs/choices.md#e1 to #e3). Every
layer is measured, the softmax output last, as for [P]'s estimators.

References
----------
.. [CHO19] Chelombiev, Houghton & O'Donnell, "Adaptive estimators show information compression in deep neural
   networks", ICLR 2019, arXiv:1902.09037, §3.
.. [P] Saxe et al., "On the Information Bottleneck Theory of Deep Learning", ICLR 2018, §2, App B.1.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import xarray as xr

from paper_checks.measurements import NETWORK_RUNS, epochs_field, run_states
from paper_checks.registry import measurement
from simulate import measurements as sm
from simulate.mi import adaptive_kde, ebab

__all__ = ["EBAB", "AdaptiveKDE", "measure_akde", "measure_ebab"]


def _check_name(name: object) -> None:
    if not isinstance(name, str) or not name.isidentifier():
        raise ValueError(f"name must be an identifier-like string (used in variable names), got {name!r}")


def _with_coordinates(variables: dict[str, xr.DataArray], run: xr.Dataset, **attrs) -> xr.Dataset:
    ds = xr.Dataset(variables)
    ds = ds.assign_coords(seed=run["seed"].values, layer=np.arange(1, ds.sizes["layer"] + 1))
    ds.attrs.update(attrs)
    return ds


@dataclass(frozen=True)
class EBAB:
    """Entropy-based adaptive binning ([CHO19] §3): bins of equal counts, per layer and epoch.

    Attributes
    ----------
    n_bins : int
        Bins per layer, ≥ 2 (default 30).
    count : {"unique", "values"}
        Equal numbers of distinct activation levels ([CHO19], default) or of values (equal mass).
    name : str
        Variable suffix (``I_XT_<name>``, ``I_TY_<name>``).
    epochs : tuple of int, optional
        Logged epochs to measure (None: all).
    """

    n_bins: int = ebab.DEFAULT_BINS
    count: str = "unique"
    name: str = "ebab"
    epochs: tuple[int, ...] | None = None

    def __post_init__(self) -> None:
        if isinstance(self.n_bins, bool) or not isinstance(self.n_bins, int) or self.n_bins < 2:
            raise ValueError(f"n_bins must be an integer ≥ 2, got {self.n_bins!r}")
        if self.count not in ebab.COUNTS:
            raise ValueError(f"count must be one of {ebab.COUNTS}, got {self.count!r}")
        _check_name(self.name)
        object.__setattr__(self, "epochs", epochs_field(self.epochs))


@measurement("ebab", EBAB, runs=NETWORK_RUNS)
def measure_ebab(run: xr.Dataset, config: EBAB) -> xr.Dataset:
    """EBAB ``I_XT_<name>``, ``I_TY_<name>`` (seed, epoch, layer) in bits: edges adapted to each layer and epoch."""
    disc = ebab.entropy_based_bins(config.n_bins, config.count)
    out = sm.binned_information(run_states(run, config.epochs), disc, config.name)
    return _with_coordinates(out, run, ebab_n_bins=config.n_bins, ebab_count=config.count)


@dataclass(frozen=True)
class AdaptiveKDE:
    """Adaptive KDE ([CHO19] §3): the KDE bounds of [P] App B.1 at σ² = κ·max|h| of each layer and epoch.

    Attributes
    ----------
    noise_scales : tuple of float
        The proportionality constants κ > 0 (default 0.1: σ² = 0.1 for a layer whose largest activity is 1).
    rule : {"max", "max_squared"}
        σ² = κ·max|h| ([CHO19], default) or κ·max|h|² (invariant to scaling the activity).
    name : str
        Variable suffix (``I_XT_upper_<name>`` …, ``noise_variance_<name>``).
    epochs : tuple of int, optional
        Logged epochs to measure (None: all).
    """

    noise_scales: tuple[float, ...] = (adaptive_kde.DEFAULT_NOISE_SCALE,)
    rule: str = "max"
    name: str = "akde"
    epochs: tuple[int, ...] | None = None

    def __post_init__(self) -> None:
        try:
            scales = tuple(float(v) for v in np.atleast_1d(self.noise_scales))
        except (TypeError, ValueError):
            raise ValueError(f"noise_scales must be positive finite numbers, got {self.noise_scales!r}") from None
        if not scales or not all(math.isfinite(v) and v > 0 for v in scales):
            raise ValueError(f"noise_scales must be positive finite numbers, got {self.noise_scales!r}")
        object.__setattr__(self, "noise_scales", scales)
        if self.rule not in adaptive_kde.VARIANCE_RULES:
            raise ValueError(f"rule must be one of {adaptive_kde.VARIANCE_RULES}, got {self.rule!r}")
        _check_name(self.name)
        object.__setattr__(self, "epochs", epochs_field(self.epochs))


_KDE_FIELDS = {"i_xt_upper": "I_XT_upper", "i_xt_lower": "I_XT_lower", "i_ty_upper": "I_TY_upper"}
_KDE_FIELDS["i_ty_lower"] = "I_TY_lower"


@measurement("akde", AdaptiveKDE, runs=NETWORK_RUNS)
def measure_akde(run: xr.Dataset, config: AdaptiveKDE) -> xr.Dataset:
    """Adaptive-KDE bounds (seed, epoch, layer, noise_scale) in bits, and the adapted ``noise_variance_<name>``."""
    states = run_states(run, config.epochs)
    scales = list(config.noise_scales)
    fields = [*_KDE_FIELDS, "noise_variance"]
    per_epoch: dict[str, list[np.ndarray]] = {f: [] for f in fields}
    for state in states:
        layers = state.activations
        values = {f: np.empty((states.n_seeds, len(layers), len(scales))) for f in fields}
        for s in range(states.n_seeds):
            for l, h in enumerate(layers):
                bounds = adaptive_kde.mutual_information_bounds(h[s], state.data.y_mi, scales, rule=config.rule)
                for f in fields:
                    values[f][s, l] = np.reshape(getattr(bounds, f), (len(scales),))
        for f in fields:
            per_epoch[f].append(values[f])
    coords = {"seed": list(states.seeds), "epoch": list(states.epochs), "noise_scale": scales}
    names = {**_KDE_FIELDS, "noise_variance": "noise_variance"}
    out = {
        f"{names[f]}_{config.name}": xr.DataArray(
            np.stack(per_epoch[f], axis=1), dims=("seed", "epoch", "layer", "noise_scale"), coords=coords
        )
        for f in fields
    }
    return _with_coordinates(out, run, akde_rule=config.rule)
