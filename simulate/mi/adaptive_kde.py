r"""Adaptive KDE (aKDE): the pairwise-distance KDE bounds with a noise variance adapted to each layer ([CHO19] §3).

[P] App B.1 measures a layer through additive Gaussian noise of one fixed variance, :math:`T=h+\epsilon`,
:math:`\epsilon\sim\mathcal N(0,\sigma^2 I)` with :math:`\sigma^2=0.1` for every layer and epoch, and bounds
I(X;T) with the Kolchinsky–Tracey pairwise estimators (:mod:`simulate.mi.kde`). A fixed σ² is large for a layer of
small activity and small for a layer of large activity (unbounded ReLU units grow during training), so the
follow-up paper [CHO19] adapts it: the variance of the added noise is proportional to the largest activity of the
layer at that epoch,

.. math:: \sigma^2_{l,t} = \kappa\,M_{l,t},\qquad M_{l,t}=\max_{\mu,i}\lvert h^{(l)}_i(x^\mu;t)\rvert ,

and the estimators of :mod:`simulate.mi.kde` are evaluated at that σ²: the upper bound on I(X;T) (pairwise KL,
[P] Eq 7), the lower bound (Bhattacharyya, 4σ²), and the two I(T;Y) estimates of [P] Eqs 8–12, whose
class-conditional terms use the layer's σ² as well (not one re-adapted within each class).

Scaling: under :math:`h\to c\,h` (c > 0) pairwise distances scale by c² and M by c, so with the rule above
:math:`\hat I(c\,h;\kappa)=\hat I(h;\kappa/c)` exactly — the estimate adapts to the range of the activity but is
not invariant to its scale. ``rule="max_squared"`` (:math:`\sigma^2=\kappa M^2`, i.e. the noise *standard
deviation* proportional to the largest activity) is the scale-invariant variant, :math:`\hat I(c\,h)=\hat I(h)`;
it is offered as a comparison, not as [CHO19]'s definition.

Choices where [CHO19] is silent (docs/choices.md#e3): the proportionality
constant κ defaults to 0.1, so that a layer whose largest activity is 1 (a saturated tanh layer) gets [P]'s
σ² = 0.1 and aKDE coincides there with the fixed KDE of [P]; M is the largest *absolute* activity (tanh activity
is symmetric; for ReLU it is the largest activity), over every unit and input of the layer. A layer whose activity
is identically 0 (M = 0, e.g. a dead ReLU layer) carries no information at any noise level: its bounds are 0 and
its reported σ² is 0.

References
----------
.. [CHO19] Chelombiev, Houghton & O'Donnell, "Adaptive estimators show information compression in deep neural
   networks", ICLR 2019, arXiv:1902.09037, §3 (adaptive KDE).
.. [P] Saxe et al., "On the Information Bottleneck Theory of Deep Learning", ICLR 2018, App B.1, Eqs 7–12.
.. [KT17] Kolchinsky & Tracey, Entropy 19 (2017) 361.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from simulate.mi import kde
from simulate.mi.binning import check_activity, check_labels
from simulate.validation import choice, real_array

__all__ = ["DEFAULT_NOISE_SCALE", "VARIANCE_RULES", "adaptive_noise_variance", "mutual_information_bounds"]

VARIANCE_RULES = ("max", "max_squared")
"""σ² = κ·M ([CHO19]) or σ² = κ·M² (scale-invariant variant); M = largest |activity| of the layer."""

#: κ: σ² = 0.1 for a layer whose largest activity is 1, [P]'s fixed σ² for saturated tanh layers.
DEFAULT_NOISE_SCALE = 0.1


def _check_scales(noise_scale: float | Sequence[float]) -> tuple[np.ndarray, bool]:
    if isinstance(noise_scale, (str, bytes)):
        raise TypeError(f"noise_scale must be a positive number or a 1-D sequence of them, got {noise_scale!r}")
    scales = real_array("noise_scale", noise_scale, ndim=(0, 1), min_size=1, finite=False)
    if not np.all(np.isfinite(scales)) or np.any(scales <= 0):
        raise ValueError(f"noise_scale must be finite and > 0, got {noise_scale}")
    return np.atleast_1d(scales), scales.ndim == 0


def _largest(activity: np.ndarray) -> float:
    return float(np.max(np.abs(activity)))


def adaptive_noise_variance(
    activity: np.ndarray, noise_scale: float | Sequence[float] = DEFAULT_NOISE_SCALE, *, rule: str = "max"
) -> float | np.ndarray:
    """The adapted noise variance σ² of one layer: κ·max|h| ([CHO19] §3), or κ·max|h|² with ``rule="max_squared"``.

    Parameters
    ----------
    activity : array_like, shape (N, d)
        The layer's activity (finite).
    noise_scale : float or sequence of float
        κ > 0 (default 0.1); a sequence gives one variance per κ.
    rule : {"max", "max_squared"}
        Variance proportional to the largest absolute activity M ([CHO19]) or to M².

    Returns
    -------
    float or numpy.ndarray
        σ² (units of activity², 0 for identically zero activity), one per κ for a sequence.

    Raises
    ------
    ValueError
        Non-finite activity or wrong shape; κ not finite and > 0; unknown `rule`.

    Examples
    --------
    >>> adaptive_noise_variance(np.array([[0.5, -2.0], [1.0, 0.0]]))
    0.2
    """
    activity = check_activity(activity)
    scales, scalar = _check_scales(noise_scale)
    rule = choice("rule", rule, VARIANCE_RULES)
    largest = _largest(activity)
    variances = scales * (largest if rule == "max" else largest * largest)
    return float(variances[0]) if scalar else variances


def mutual_information_bounds(
    activity: np.ndarray,
    labels: np.ndarray,
    noise_scale: float | Sequence[float] = DEFAULT_NOISE_SCALE,
    *,
    rule: str = "max",
) -> kde.KDEBounds:
    """Adaptive-KDE bounds on I(X;T), estimates of I(T;Y), in bits, at the adapted σ² ([CHO19] §3; [P] Eqs 7–12).

    Parameters
    ----------
    activity : array_like, shape (N, d)
        One layer's activity, one row per (equiprobable) input; N ≥ 2, finite.
    labels : array_like of int, shape (N,)
        Class of each input.
    noise_scale : float or sequence of float
        κ > 0 of σ² = κ·M (default 0.1: σ² = 0.1 when the largest activity M is 1). A sequence evaluates every κ
        from one pairwise-distance pass and returns arrays.
    rule : {"max", "max_squared"}
        σ² = κ·M ([CHO19]) or σ² = κ·M² (invariant to scaling the activity).

    Returns
    -------
    simulate.mi.kde.KDEBounds
        ``i_xt_upper ≥ i_xt_lower`` in [0, log₂ N], the I(T;Y) estimates (≤ H(Y); not rigorous bounds,
        docs/choices.md#a8), and ``noise_variance``: the σ² used.

    Raises
    ------
    ValueError
        As :func:`simulate.mi.kde.mutual_information_bounds`, and for κ not finite and > 0, an unknown `rule`, or
        an adapted σ² outside the KDE's range (below 1e-300: activity of magnitude ≲ 1e-299).

    References
    ----------
    .. [CHO19] arXiv:1902.09037, §3; docs/choices.md#e3.

    Examples
    --------
    Two far-apart patterns: one bit at any κ that keeps the noise small against their distance:

    >>> b = mutual_information_bounds(np.array([[0.0], [10.0]]), [0, 1], 0.01)
    >>> round(b.i_xt_upper, 12), b.noise_variance
    (1.0, 0.1)
    """
    activity = check_activity(activity).astype(np.float64, copy=False)
    labels = check_labels(labels, activity.shape[0])
    scales, scalar = _check_scales(noise_scale)
    rule = choice("rule", rule, VARIANCE_RULES)
    largest = _largest(activity)
    if largest == 0.0:  # identically zero activity: T = ε carries nothing about X or Y
        zero = 0.0 if scalar else np.zeros(scales.size)
        return kde.KDEBounds(zero, zero, zero, zero, zero)
    variances = scales * (largest if rule == "max" else largest * largest)
    if np.any(variances < kde.SMALLEST_VARIANCE) or not np.all(np.isfinite(variances)):
        raise ValueError(
            f"noise_scale={noise_scale} with the largest |activity| {largest:g} gives σ² = {variances} outside "
            f"[{kde.SMALLEST_VARIANCE:g}, inf): rescale the activity or choose another noise_scale"
        )
    bounds = kde.mutual_information_bounds(activity, labels, float(variances[0]) if scalar else list(variances))
    return bounds
