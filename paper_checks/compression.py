r"""The one definition of "compression" used by every claim of the workbench, both ways (docs/claims.md#compression).

Let :math:`I_s(t)` be a layer's I(X;T) (bits) for seed *s* at logged epoch *t*, :math:`\bar I(t)` its mean over the
*S* seeds, :math:`t^*` the epoch at which :math:`\bar I` peaks, and SE the seed-to-seed standard error of a paired
per-seed difference (its standard deviation over seeds divided by √S).

**Compresses** (a one-sided test against "no compression"): all of

* *fitting*: the rise :math:`\bar I(t^*) - \bar I(0)` exceeds
  :math:`\delta_{\rm rise} = \max(z\,\mathrm{SE}, \delta_{\min})`;
* *compression*: the drop :math:`\bar I(t^*) - \bar I(\text{end})` exceeds
  :math:`\delta = \max(z\,\mathrm{SE}, \delta_{\min})`;
* the peak lies before the last :data:`LATE_FRACTION` of logged epochs,

with z = :data:`Z_SCORE` and :math:`\delta_{\min}` = :data:`DELTA_FLOOR`. The peak is taken on the seed mean (the
curve the paper plots): noise in single runs cannot manufacture peaks, and more seed noise means a larger SE, so
noise makes this test *harder* to pass.

**Does not compress** (an equivalence test against "compresses by at least m"): each seed's own largest drop,
:math:`D_s = \max_t I_s(t) - I_s(\text{end})` (≥ 0), has a seed mean :math:`\bar D` with

.. math:: \bar D + z\,\mathrm{SE}(D) \le m,

where m is a margin declared in advance (:func:`no_compression_margin`). :math:`D_s` is the drop from each seed's
*own* peak, so estimator noise inflates it, and seed noise inflates its SE: noise makes this test harder to pass,
never easier (the negation of "compresses", used before, had the opposite property). A layer can fail both tests
(an inconclusive layer): that is reported, never counted on either side.

The margin: :data:`NO_COMPRESSION_FRACTION` of the estimator's ceiling, log₂ of the number of patterns the
estimate is computed on (every discrete and KDE estimate of I(X;T) lies in [0, log₂ N]; the paper's information
planes are drawn on that axis). 5 % of the axis (0.6 bits for the 4096 SZT patterns) is the smallest movement
of a curve that the paper's figures show as a phase; a layer that falls by less, beyond its noise, is "not
compressing" in the sense of the paper's plots. For quantities without a ceiling (exact linear MI, Kraskov
entropies), the claim declares its margin explicitly with its reason.

References
----------
.. [P] Saxe et al., "On the Information Bottleneck Theory of Deep Learning", ICLR 2018, §2, §4, App B.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import xarray as xr

from paper_checks.compare import Check

__all__ = [
    "COMPRESSES_BASIS",
    "COMPRESSES_BOUND",
    "DELTA_FLOOR",
    "LATE_FRACTION",
    "NO_COMPRESSION_FRACTION",
    "Z_SCORE",
    "LayerCompression",
    "compresses",
    "compression_checks",
    "compression_summary",
    "no_compression_checks",
    "no_compression_margin",
    "own_peak_drops",
    "significant_increase",
]

Z_SCORE = 3.0
"""Multiple of the standard error in every compression test: one-sided 3 SE (false-alarm rate ≈ 0.13 % for a
normal estimate; the seed mean of ≥ 5 differences is close to normal by the CLT)."""

DELTA_FLOOR = 0.02
"""Estimator-resolution floor of δ, in bits. Binned estimates on N = 4096 patterns move in steps of about
log₂N / N ≈ 0.003 bits (one pattern leaving or joining a bin); 0.02 bits is several such steps, so a drop this
small is below what the estimators resolve and is not called compression even when seeds agree perfectly."""

LATE_FRACTION = 0.1
"""The peak of a compressing layer must lie before the last 10 % of logged epochs."""

NO_COMPRESSION_FRACTION = 0.05
"""Margin of the "no compression" equivalence test, as a fraction of the estimator's ceiling log₂ N (module
docstring): 5 % of the information-plane axis."""


COMPRESSES_BOUND = "rise and drop > δ = max(3 SE, 0.02 bits); peak before the last 10 % of logged epochs"
"""The bound of a declared ``compresses`` check, in words (paper_checks.declarations)."""

COMPRESSES_BASIS = "one-sided 3 SE of paired per-seed differences; 0.02-bit estimator resolution floor"
"""The statistical basis of a declared ``compresses`` check."""


@dataclass(frozen=True)
class LayerCompression:
    """Both compression tests of one layer, with every number they use (bits).

    Attributes
    ----------
    layer : int
        Layer number (1 = first hidden layer; 0 when the curve has no layer dimension).
    peak_epoch : int
        Logged epoch at which the seed-mean I(X;T) peaks.
    start, peak, final : float
        Seed-mean I(X;T) at the first logged epoch, at the peak and at the last logged epoch.
    rise, rise_stderr : float
        ``peak − start`` and the standard error of the paired per-seed rises.
    drop, stderr : float
        ``peak − final`` and the standard error of the paired per-seed drops.
    own_drop, own_drop_stderr : float
        Seed mean and standard error of each seed's drop from its own peak, ``max_t I_s(t) − I_s(end)``.
    peak_is_early : bool
        Whether the peak lies before the last :data:`LATE_FRACTION` of logged epochs.
    late_index : int
        Index of the first logged epoch of the late window.
    peak_index : int
        Index of the peak among the logged epochs.
    """

    layer: int
    peak_epoch: int
    start: float
    peak: float
    final: float
    rise: float
    rise_stderr: float
    drop: float
    stderr: float
    own_drop: float
    own_drop_stderr: float
    peak_is_early: bool
    late_index: int = 0
    peak_index: int = 0

    @property
    def delta(self) -> float:
        """Threshold of the drop, ``max(Z_SCORE·stderr, DELTA_FLOOR)`` (bits)."""
        return max(Z_SCORE * self.stderr, DELTA_FLOOR)

    @property
    def rise_delta(self) -> float:
        """Threshold of the rise, ``max(Z_SCORE·rise_stderr, DELTA_FLOOR)`` (bits)."""
        return max(Z_SCORE * self.rise_stderr, DELTA_FLOOR)

    @property
    def compresses(self) -> bool:
        """The layer rises to an early peak and then falls, each by more than its threshold."""
        return self.peak_is_early and self.rise > self.rise_delta and self.drop > self.delta

    @property
    def margin(self) -> float:
        """``drop − delta`` (bits): positive when the drop alone is significant."""
        return self.drop - self.delta

    def equivalence_bound(self) -> float:
        """``own_drop + Z_SCORE·own_drop_stderr`` (bits): what the "no compression" test compares to its margin."""
        return self.own_drop + Z_SCORE * self.own_drop_stderr

    def does_not_compress(self, margin: float) -> bool:
        """The equivalence test: ``own_drop + Z_SCORE·own_drop_stderr ≤ margin``."""
        return self.equivalence_bound() <= margin


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


def _stderr(values: np.ndarray) -> float:
    return float(values.std(ddof=1) / math.sqrt(values.shape[0]))


def _own_peak_drops(values: np.ndarray) -> np.ndarray:
    return values.max(axis=1) - values[:, -1]


def own_peak_drops(I_XT: xr.DataArray) -> xr.DataArray:
    """Each seed's drop from its own peak, ``max_t I_s(t) − I_s(end)`` (bits; dims ``seed`` and ``layer`` if any).

    The per-seed quantity of the "does not compress" equivalence test (:attr:`LayerCompression.own_drop` is its
    seed mean); claims that compare seeds or paired runs read it directly.

    Examples
    --------
    >>> curve = xr.DataArray([[0.0, 2.0, 1.5], [0.0, 1.0, 1.0]], dims=("seed", "epoch"))
    >>> own_peak_drops(curve).values.tolist()
    [0.5, 0.0]
    """
    I_XT = _check(I_XT)
    return I_XT.max("epoch") - I_XT.isel(epoch=-1, drop=True)


def _one_layer(curve: xr.DataArray, layer: int) -> LayerCompression:
    values = curve.transpose("seed", "epoch").values
    mean = values.mean(axis=0)
    n_epochs = mean.shape[0]
    k = int(np.argmax(mean))
    late = n_epochs - max(1, math.ceil(LATE_FRACTION * n_epochs))
    rises = values[:, k] - values[:, 0]
    drops = values[:, k] - values[:, -1]
    own = _own_peak_drops(values)
    return LayerCompression(
        layer=layer,
        peak_epoch=int(curve["epoch"].values[k]),
        start=float(mean[0]),
        peak=float(mean[k]),
        final=float(mean[-1]),
        rise=float(mean[k] - mean[0]),
        rise_stderr=_stderr(rises),
        drop=float(mean[k] - mean[-1]),
        stderr=_stderr(drops),
        own_drop=float(own.mean()),
        own_drop_stderr=_stderr(own),
        peak_is_early=bool(k < late),
        late_index=late,
        peak_index=k,
    )


def compression_summary(I_XT: xr.DataArray) -> list[LayerCompression]:
    """Both compression tests of every layer.

    Parameters
    ----------
    I_XT : xarray.DataArray
        I(X;T) in bits with dims ``seed``, ``epoch`` and optionally ``layer`` (e.g. ``run.I_XT_bin``). Epochs
        must be in increasing order; the first is the "start", the last the "final" value.

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
    >>> [(c.peak_epoch, round(c.rise, 3), round(c.drop, 3), c.compresses) for c in compression_summary(curve)]
    [(5, 5.0, 4.0, True)]
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


def no_compression_margin(n_patterns: int) -> float:
    """The declared margin of the "no compression" test: :data:`NO_COMPRESSION_FRACTION` · log₂ `n_patterns` (bits).

    Examples
    --------
    >>> round(no_compression_margin(4096), 3)
    0.6
    """
    if isinstance(n_patterns, bool) or not isinstance(n_patterns, (int, np.integer)) or n_patterns < 2:
        raise ValueError(f"n_patterns must be an integer ≥ 2, got {n_patterns!r}")
    return NO_COMPRESSION_FRACTION * math.log2(int(n_patterns))


def _layers(I_XT: xr.DataArray, layers: Iterable[int] | None) -> xr.DataArray:
    if layers is None:
        return I_XT
    layers = [int(layer) for layer in layers]
    known = [int(v) for v in I_XT["layer"].values]
    unknown = [layer for layer in layers if layer not in known]
    if unknown:
        raise ValueError(f"layers {unknown} are not in the curve (it has layers {known})")
    return I_XT.sel(layer=layers)


def compression_checks(
    I_XT: xr.DataArray, layers: Iterable[int] | None, label: str, *, declared: str = "", what: str = "I(X;T)"
) -> list[Check]:
    """The checks that each of `layers` compresses: rise > δ_rise, drop > δ, peak before the late window.

    Each check's scale is the standard error of its statistic (or the floor), so its normalised margin is in SE;
    each carries `declared` (the declared check's name) and its layer.
    """
    checks: list[Check] = []
    for c in compression_summary(_layers(I_XT, layers)):
        where = f"{label}, layer {c.layer}"
        checks += [
            Check(
                f"{where}: {what} rise, start → peak (epoch {c.peak_epoch}), > δ = max(3 SE, {DELTA_FLOOR} bits)",
                c.rise,
                ">",
                c.rise_delta,
                scale=max(c.rise_stderr, DELTA_FLOOR / Z_SCORE),
                declared=declared,
                layer=c.layer,
            ),
            Check(
                f"{where}: {what} drop, peak (epoch {c.peak_epoch}) → final, > δ = max(3 SE, {DELTA_FLOOR} bits)",
                c.drop,
                ">",
                c.delta,
                scale=max(c.stderr, DELTA_FLOOR / Z_SCORE),
                declared=declared,
                layer=c.layer,
            ),
            Check(
                f"{where}: index of the {what} peak, before the last {LATE_FRACTION:.0%} of logged epochs",
                c.peak_index,
                "<",
                c.late_index,
                "",
                scale=max(1.0, float(c.late_index)),
                declared=declared,
                layer=c.layer,
            ),
        ]
    return checks


def no_compression_checks(
    I_XT: xr.DataArray,
    layers: Iterable[int] | None,
    label: str,
    margin: float,
    *,
    declared: str = "",
    what: str = "I(X;T)",
) -> list[Check]:
    """The equivalence checks that none of `layers` compresses: mean own-peak drop + 3 SE ≤ `margin` (bits).

    The scale of each check is the margin, so its normalised margin is the fraction of the margin left.
    """
    if not (isinstance(margin, (int, float)) and math.isfinite(margin) and margin > 0):
        raise ValueError(f"margin must be a positive finite number of bits, got {margin!r}")
    return [
        Check(
            f"{label}, layer {c.layer}: each seed's {what} drop from its own peak, mean + 3 SE "
            f"({c.own_drop:.3g} + 3·{c.own_drop_stderr:.2g}), ≤ margin",
            c.equivalence_bound(),
            "<=",
            margin,
            scale=margin,
            declared=declared,
            layer=c.layer,
        )
        for c in compression_summary(_layers(I_XT, layers))
    ]


def significant_increase(
    description: str, values: np.ndarray, declared: str = "", layer: int | None = None, units: str = "bits"
) -> Check:
    """The check ``mean(values) > Z_SCORE · SE`` for per-seed (paired) differences, with the SE as its scale.

    Raises
    ------
    ValueError
        If fewer than 2 values are given (no standard error).
    """
    values = np.asarray(values, dtype=float).reshape(-1)
    if values.size < 2:
        raise ValueError(f"{description!r}: a standard error needs at least 2 per-seed values, got {values.size}")
    se = _stderr(values)
    return Check(description, values.mean(), ">", Z_SCORE * se, units, scale=max(se, 1e-12), declared=declared,
                 layer=layer)  # fmt: skip
