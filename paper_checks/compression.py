r"""The one definition of "compression" used by every claim of the workbench (docs/claims.md#compression).

A layer **compresses** when its seed-averaged I(X;T) rises and then falls over training: its peak over the
logged epochs lies before the last 10 % of them, and the peak exceeds the final value by more than a tolerance

.. math:: \delta = \max\big(z \cdot \mathrm{SE},\ \delta_{\min}\big),

where SE is the seed-to-seed standard error of the drop (the paired differences I_s(peak) − I_s(final) over the
seeds s, divided by √S), z = :data:`Z_SCORE` and δ_min = :data:`DELTA_FLOOR` is the estimator-resolution floor.
**No compression** is the negation (the peak is in the last 10 %, or the drop is at most δ), i.e. I(X;T) is
non-decreasing up to δ.

The peak is taken on the seed average (the curve the paper plots), not per seed, so estimator noise in single
runs does not manufacture peaks. The drop's standard error comes from the same seeds, so δ grows when runs
disagree: a noisy, inconclusive drop is not called compression.

References
----------
.. [P] Saxe et al., "On the Information Bottleneck Theory of Deep Learning", ICLR 2018, §2, §4, App B.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import xarray as xr

__all__ = [
    "DELTA_FLOOR",
    "LATE_FRACTION",
    "Z_SCORE",
    "LayerCompression",
    "compresses",
    "compression_summary",
]

Z_SCORE = 3.0
"""Multiple of the drop's standard error in δ: a one-sided 3-SE test (false-alarm rate ≈ 0.13 % for a normal
drop estimate; the seed-mean of ≥ 4 drops is close to normal by the CLT)."""

DELTA_FLOOR = 0.02
"""Estimator-resolution floor of δ, in bits. Binned estimates on N = 4096 patterns move in steps of about
log₂N / N ≈ 0.003 bits (one pattern leaving or joining a bin); 0.02 bits is several such steps, so a drop this
small is below what the estimators resolve and is not called compression even when seeds agree perfectly."""

LATE_FRACTION = 0.1
"""The peak must lie before the last 10 % of logged epochs (docs/claims.md#compression)."""


@dataclass(frozen=True)
class LayerCompression:
    """Compression verdict of one layer.

    Attributes
    ----------
    layer : int
        Layer number (1 = first hidden layer).
    peak_epoch : int
        Logged epoch at which the seed-averaged I(X;T) peaks.
    peak, final : float
        Seed-averaged I(X;T) at the peak and at the last logged epoch, bits.
    drop : float
        ``peak − final``, bits.
    stderr : float
        Seed-to-seed standard error of the drop, bits.
    delta : float
        Tolerance ``max(Z_SCORE·stderr, DELTA_FLOOR)``, bits.
    peak_is_early : bool
        Whether the peak lies before the last 10 % of logged epochs.
    """

    layer: int
    peak_epoch: int
    peak: float
    final: float
    drop: float
    stderr: float
    delta: float
    peak_is_early: bool

    @property
    def compresses(self) -> bool:
        """True when the peak is early and ``drop > delta``."""
        return self.peak_is_early and self.drop > self.delta

    @property
    def margin(self) -> float:
        """``drop − delta`` (bits): positive for a compressing layer whose peak is early."""
        return self.drop - self.delta


def _check(I_XT: xr.DataArray) -> xr.DataArray:
    if not isinstance(I_XT, xr.DataArray) or not {"seed", "epoch"} <= set(I_XT.dims):
        raise ValueError("I_XT must be an xarray.DataArray with dims 'seed' and 'epoch' (and optionally 'layer')")
    if I_XT.sizes["seed"] < 2:
        raise ValueError(f"compression needs at least 2 seeds for a standard error, got {I_XT.sizes['seed']}")
    if I_XT.sizes["epoch"] < 2:
        raise ValueError(f"compression needs at least 2 logged epochs, got {I_XT.sizes['epoch']}")
    if not np.all(np.isfinite(I_XT.values)):
        raise ValueError("I_XT must be finite")
    extra = set(I_XT.dims) - {"seed", "epoch", "layer"}
    if extra:
        raise ValueError(f"I_XT has unexpected dims {sorted(extra)}; select one value of each first")
    return I_XT


def _one_layer(curve: xr.DataArray, layer: int) -> LayerCompression:
    values = curve.transpose("seed", "epoch").values
    mean = values.mean(axis=0)
    n_epochs = mean.shape[0]
    k = int(np.argmax(mean))
    drops = values[:, k] - values[:, -1]
    stderr = float(drops.std(ddof=1) / math.sqrt(drops.shape[0]))
    early = k < n_epochs - max(1, math.ceil(LATE_FRACTION * n_epochs))
    return LayerCompression(
        layer=layer,
        peak_epoch=int(curve["epoch"].values[k]),
        peak=float(mean[k]),
        final=float(mean[-1]),
        drop=float(mean[k] - mean[-1]),
        stderr=stderr,
        delta=max(Z_SCORE * stderr, DELTA_FLOOR),
        peak_is_early=bool(early),
    )


def compression_summary(I_XT: xr.DataArray) -> list[LayerCompression]:
    """Compression verdict of every layer.

    Parameters
    ----------
    I_XT : xarray.DataArray
        I(X;T) in bits with dims ``seed``, ``epoch`` and optionally ``layer`` (e.g. ``run.I_XT_bin``). Epochs
        must be in increasing order; the last one is the "final" value.

    Returns
    -------
    list of LayerCompression
        One per layer (layer coordinate values, or 0 when there is no layer dim).

    Raises
    ------
    ValueError
        If `I_XT` lacks the dims, has fewer than 2 seeds or epochs, other dims, or non-finite values.

    References
    ----------
    .. [P] Saxe et al. (2018), §2; docs/claims.md#compression.

    Examples
    --------
    >>> epochs = np.arange(10)
    >>> rise_fall = np.minimum(epochs, 10 - epochs) * 1.0   # peaks at epoch 5
    >>> curve = xr.DataArray([rise_fall, rise_fall + 0.1, rise_fall - 0.1], dims=("seed", "epoch"),
    ...                      coords={"epoch": epochs})
    >>> [(c.peak_epoch, round(c.drop, 3), c.compresses) for c in compression_summary(curve)]
    [(5, 4.0, True)]
    """
    I_XT = _check(I_XT)
    if "layer" not in I_XT.dims:
        return [_one_layer(I_XT, 0)]
    layers = I_XT["layer"].values if "layer" in I_XT.coords else np.arange(1, I_XT.sizes["layer"] + 1)
    return [_one_layer(I_XT.isel(layer=i), int(layer)) for i, layer in enumerate(layers)]


def compresses(I_XT: xr.DataArray) -> bool:
    """Whether a single layer's I(X;T) (dims ``seed``, ``epoch``) compresses; see :func:`compression_summary`."""
    if "layer" in I_XT.dims:
        raise ValueError("compresses() takes one layer; use compression_summary() for several")
    return compression_summary(I_XT)[0].compresses
