r"""Pairwise-distance (KDE) bounds on the mutual information of a noisy layer, in bits ([P] App B.1; [KT17]).

The layer is observed through additive Gaussian noise, :math:`T=h(X)+\epsilon`, :math:`\epsilon\sim\mathcal
N(0,\sigma^2I_d)`, over P equiprobable inputs, so T is a mixture of P Gaussians. Kolchinsky & Tracey bound the
mixture entropy by pairwise divergences (KL above, Bhattacharyya below); subtracting the exact
:math:`H(T\mid X)=\tfrac d2\ln(2\pi e\sigma^2)` gives ([P] Eqs 7, 11, in nats)

.. math::
    I(T;X)\le U(\sigma^2)=-\frac1P\sum_i\ln\frac1P\sum_j e^{-\lVert h_i-h_j\rVert^2/2\sigma^2},\qquad
    I(T;X)\ge U(4\sigma^2).

For the labels, [P] Eqs 8–12 use :math:`I(T;Y)\approx U(\sigma^2)-\sum_l p_l\,U_l(\sigma^2)` (and the same with
:math:`4\sigma^2`), where :math:`U_l` is :math:`U` computed within class l. **A8:** each of these subtracts a
bound on H(T|Y) of the same direction from a bound on H(T), so the two I(T;Y) numbers are *estimates*, not
rigorous bounds (the paper calls them upper and lower bounds). Only the I(X;T) pair is a rigorous bracket. Both
estimates lie in :math:`[\cdot, H(Y)]` (the within-class row sums never exceed the full ones).

Implementation: one pairwise squared-distance computation per call serves every bound, class term and noise
variance. The distances are computed by one matrix product per row panel (upper triangle only; the column sums
of a panel give the symmetric half). Because :math:`d_{ii}=0`, every row sum is at least 1, so the log-sum-exp
needs no max pass and cannot underflow for any :math:`\sigma^2>0`. Samples are sorted by class, so the class
terms are contiguous sub-blocks of the same panels. Memory is :math:`O(\text{panel})` (a few MB),
independent of P², so P = 10⁴ and beyond are fine. The product runs in float32 when its rounding error is
negligible for the smallest requested variance, else in float64; the exponentials run in float32 (see
:func:`mutual_information_bounds`).

References
----------
.. [P] Saxe et al., "On the Information Bottleneck Theory of Deep Learning", ICLR 2018, App B.1, Eqs 7–12.
.. [KT17] Kolchinsky & Tracey, "Estimating mixture entropy with pairwise distances", Entropy 19 (2017) 361;
   arXiv:1706.02419v4, Eqs 6, 11–13.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from simulate.mi.binning import check_activity, check_labels

__all__ = ["KDEBounds", "mixture_entropy_bounds", "mutual_information_bounds", "pairwise_kernel_sums"]

_LN2 = math.log(2.0)
#: Panels hold about this many distance entries (2 MB in float64, so a panel and its kernel stay in a core's L2
#: cache), whatever the sample size.
_PANEL_ENTRIES = 2**18
#: float32 is used when the worst-case rounding error of −‖h_i − h_j‖²/(2σ²) stays below this (nats).
_FLOAT32_EXPONENT_ERROR = 1e-3
#: Kernel exponents below this are raised to it (exp(−80) ≈ 1.8e-35, negligible against a row sum ≥ 1).
_EXPONENT_FLOOR = -80.0


@dataclass(frozen=True)
class KDEBounds:
    """KDE bounds on I(X;T) and the paired I(T;Y) estimates, in bits ([P] Eqs 7–12).

    Each attribute is a float for a single noise variance, or an array with one entry per variance.

    Attributes
    ----------
    i_xt_upper : float or numpy.ndarray
        Pairwise-KL upper bound on I(X;T) (Eq 7), kernel variance σ².
    i_xt_lower : float or numpy.ndarray
        Bhattacharyya lower bound on I(X;T) (first term of Eq 11), kernel variance 4σ².
    i_ty_upper : float or numpy.ndarray
        I(T;Y) estimate of Eqs 8–10 (called an upper bound in [P]; not rigorous, A8).
    i_ty_lower : float or numpy.ndarray
        I(T;Y) estimate of Eqs 11–12 (called a lower bound in [P]; not rigorous, A8).
    noise_variance : float or numpy.ndarray
        The noise variance σ² of each entry.
    """

    i_xt_upper: float | np.ndarray
    i_xt_lower: float | np.ndarray
    i_ty_upper: float | np.ndarray
    i_ty_lower: float | np.ndarray
    noise_variance: float | np.ndarray


def _check_variances(noise_variance: float | Sequence[float]) -> tuple[np.ndarray, bool]:
    variances = np.asarray(noise_variance, dtype=float)
    scalar = variances.ndim == 0
    variances = np.atleast_1d(variances)
    if variances.ndim != 1 or variances.size == 0:
        raise ValueError(f"noise_variance must be a positive number or a 1-D sequence of them, got {noise_variance}")
    if not np.all(np.isfinite(variances)) or np.any(variances <= 0):
        raise ValueError(f"noise_variance must be finite and > 0, got {noise_variance}")
    return variances, scalar


def _choose_dtype(centred: np.ndarray, min_variance: float) -> type:
    """float32 if the product's rounding error in the exponent is below _FLOAT32_EXPONENT_ERROR nats."""
    squared_norm = float(np.max(np.einsum("ij,ij->i", centred, centred))) if centred.size else 0.0
    worst = 4 * (centred.shape[1] + 2) * np.finfo(np.float32).eps * max(squared_norm, 1e-300)
    return np.float32 if worst / (2 * min_variance) < _FLOAT32_EXPONENT_ERROR else np.float64


def pairwise_kernel_sums(
    activity: np.ndarray,
    segments: Sequence[tuple[int, int]],
    scales: np.ndarray,
    dtype: type | None = None,
    kernel_dtype: type | None = None,
) -> np.ndarray:
    r"""Row sums :math:`\sum_{j\in S}\exp(-a\lVert h_i-h_j\rVert^2)` over every segment S and every scale a.

    Parameters
    ----------
    activity : numpy.ndarray, shape (N, d)
        Points, sorted so that each segment is a contiguous range of rows.
    segments : sequence of (start, stop)
        Contiguous, disjoint ranges covering ``0 … N`` (e.g. the classes).
    scales : numpy.ndarray, shape (n_scales,)
        Positive kernel scales a = 1/(2·variance).
    dtype : type, optional
        float32 or float64 for the distance products (default: float64).
    kernel_dtype : type, optional
        float32 or float64 for the exponentials and their sums (default: `dtype`). Rounding an exponent that
        matters (in [−80, 0]) to float32 changes its kernel value by a relative 80·2⁻²⁴ ≈ 5e-6 at most.

    Returns
    -------
    numpy.ndarray, shape (n_scales, N, n_segments), float64
        Sum over the points of each segment, for every row and scale (the diagonal term 1 included).
    """
    dtype = dtype or np.float64
    kernel_dtype = kernel_dtype or dtype
    n = activity.shape[0]
    centred = activity - activity.mean(axis=0)
    squared_norm = np.einsum("ij,ij->i", centred, centred)
    # −‖h_i − h_j‖² = [h_i, ‖h_i‖², 1] · [2h_j, −1, −‖h_j‖²]: one product gives the negated squared distances.
    left = np.hstack([centred, squared_norm[:, None], np.ones((n, 1))]).astype(dtype)
    # The largest scale a₀ is folded into the product, so the panel holds −a₀‖h_i − h_j‖² directly; the other
    # scales multiply it by a₀-relative factors < 1 (no overflow; an underflow only affects kernel values ≈ 1).
    reference = int(np.argmax(scales))
    right = (scales[reference] * np.hstack([2 * centred, -np.ones((n, 1)), -squared_norm[:, None]])).astype(dtype)
    sums = np.zeros((scales.size, n, len(segments)))
    panel = max(1, min(n, _PANEL_ENTRIES // n))
    for r0 in range(0, n, panel):
        r1 = min(n, r0 + panel)
        scaled = left[r0:r1] @ right[r0:].T  # −a₀ d_ij for rows r0:r1, columns r0:n
        if kernel_dtype is not dtype:
            scaled = scaled.astype(kernel_dtype)
        kernel = np.empty_like(scaled)
        for s, scale in enumerate(scales):
            source = scaled
            if s != reference:
                np.multiply(scaled, kernel_dtype(scale / scales[reference]), out=kernel)
                source = kernel
            # Clip to [−80, 0]: rounding can make d_ij slightly negative (exponent > 0), and exp(−80) ≈ 1.8e-35
            # changes a row sum (≥ 1) by < N·2e-35 while keeping exp out of the slow subnormal range.
            np.clip(source, _EXPONENT_FLOOR, 0.0, out=kernel)
            np.exp(kernel, out=kernel)
            for k, (c0, c1) in enumerate(segments):
                lo = max(c0, r0)
                if lo < c1:  # row sums of panel rows over the columns of segment k (columns ≥ r0)
                    sums[s, r0:r1, k] += kernel[:, lo - r0 : c1 - r0].sum(axis=1)
                a0, a1 = max(c0, r0), min(c1, r1)
                if a0 < a1 and r1 < n:  # symmetric half: columns ≥ r1 get the sums over panel rows in segment k
                    sums[s, r1:, k] += kernel[a0 - r0 : a1 - r0, r1 - r0 :].sum(axis=0)
    return sums


def _bounds_from_sums(own: np.ndarray, total: np.ndarray, counts: np.ndarray, class_of_row: np.ndarray):
    """U (nats) and Σ_l p_l U_l from the row sums over all points and over the row's own class."""
    n = total.shape[-1]
    U = math.log(n) - np.log(total).mean(axis=-1)
    log_own = np.log(own)
    class_means = np.stack([log_own[..., class_of_row == k].mean(axis=-1) for k in range(counts.size)], axis=-1)
    U_class = np.log(counts) - class_means
    return U, U_class @ (counts / n)


def mutual_information_bounds(
    activity: np.ndarray,
    labels: np.ndarray,
    noise_variance: float | Sequence[float],
    *,
    dtype: type | None = None,
) -> KDEBounds:
    """KDE upper/lower bounds on I(X;T) and the paired I(T;Y) estimates for ``T = h + ε``, in bits.

    Parameters
    ----------
    activity : array_like, shape (N, d)
        Layer activity h, one row per (equiprobable) input; N ≥ 2, finite. Constant activity is valid (gives 0).
    labels : array_like of int, shape (N,)
        Class of each input.
    noise_variance : float or sequence of float
        Noise variance σ² > 0 ([P]: 0.1 for the SZT figures; ibsgd: 1e-3, A7). A sequence evaluates every
        variance from the same pairwise distances and returns arrays. Stable for σ² from 1e-12 to 1e6.
    dtype : {None, numpy.float32, numpy.float64}
        Precision. ``numpy.float64``: everything in float64 (reference accuracy, ≈ 1e-12 bits). ``numpy.float32``:
        everything in float32 (fastest). None (default): the distance products run in float32 when their
        worst-case rounding error in the exponent, ``4 (d + 2) ε₃₂ max‖h − h̄‖² / (2 σ²_min)``, is below 1e-3 nats,
        else in float64; the exponentials and sums run in float32 (a relative error < 5e-6 per kernel value).
        The default's error is thus below 1.5e-3 bits, and typically 1e-7 (measured on the SZT layers).

    Returns
    -------
    KDEBounds
        ``i_xt_upper ≥ i_xt_lower`` in ``[0, log₂ N]``; ``i_ty_upper``, ``i_ty_lower`` ≤ H(Y) (estimates, A8).

    Raises
    ------
    ValueError
        If `activity` is not finite of shape (N, d) with N ≥ 2, `labels` are not N integers, or a noise
        variance is not finite and positive.

    References
    ----------
    .. [P] Saxe et al., ICLR 2018, App B.1 Eqs 7–12; spec §3.8, A7, A8.
    .. [KT17] Kolchinsky & Tracey, Entropy 19 (2017) 361, Eqs 11–13.

    Examples
    --------
    Two far-apart points carry one bit at small noise; their labels too:

    >>> b = mutual_information_bounds(np.array([[0.0], [10.0]]), [0, 1], 0.01)
    >>> round(b.i_xt_upper, 12), round(b.i_xt_lower, 12), round(b.i_ty_upper, 12)
    (1.0, 1.0, 1.0)
    """
    activity = check_activity(activity).astype(np.float64, copy=False)
    labels = check_labels(labels, activity.shape[0])
    variances, scalar = _check_variances(noise_variance)
    if dtype not in (None, np.float32, np.float64):
        raise ValueError(f"dtype must be None, numpy.float32 or numpy.float64, got {dtype}")
    order = np.argsort(labels, kind="stable")
    activity, labels = activity[order], labels[order]
    _, class_of_row, counts = np.unique(labels, return_inverse=True, return_counts=True)
    stops = np.cumsum(counts)
    segments = list(zip((stops - counts).tolist(), stops.tolist()))
    kernel_dtype = dtype or np.float32
    dtype = dtype or _choose_dtype(activity - activity.mean(axis=0), float(variances.min()))
    # scales: upper bound kernel 1/(2σ²), lower bound kernel 1/(8σ²) (Bhattacharyya: variance 4σ²)
    scales = np.concatenate([1 / (2 * variances), 1 / (8 * variances)])
    sums = pairwise_kernel_sums(activity, segments, scales, dtype, kernel_dtype)
    total = sums.sum(axis=-1)
    own = np.take_along_axis(sums, np.broadcast_to(class_of_row[None, :, None], (*total.shape, 1)), -1)[..., 0]
    U, U_within = _bounds_from_sums(own, total, counts, class_of_row.reshape(-1))
    # U lies in [0, ln N] and U − Σ p_l U_l ≤ H(Y) exactly (row sums are in [1, N], class sums ≤ full sums);
    # the clips only remove rounding at the ends.
    i_xt = np.clip(U / _LN2, 0.0, math.log2(activity.shape[0]))
    label_entropy = float(-np.sum(counts / counts.sum() * np.log2(counts / counts.sum())))
    i_ty = np.minimum((U - U_within) / _LN2, label_entropy)
    m = variances.size
    out = [i_xt[:m], i_xt[m:], i_ty[:m], i_ty[m:], variances]
    if scalar:
        out = [float(v[0]) for v in out]
    return KDEBounds(*out)


def mixture_entropy_bounds(centers: np.ndarray, variance: float) -> tuple[float, float]:
    r"""Bhattacharyya lower and pairwise-KL upper bounds on the entropy of an equal-weight Gaussian mixture, bits.

    For :math:`p=\frac1P\sum_i\mathcal N(\mu_i,\sigma^2I_d)`, [KT17] Eqs 11–13 give
    :math:`H(X\mid C)\le\hat H_{BD}\le H(X)\le\hat H_{KL}\le H(X,C)` with
    :math:`\hat H_{KL}=\tfrac d2\ln(2\pi e\sigma^2)+U(\sigma^2)` and
    :math:`\hat H_{BD}=\tfrac d2\ln(2\pi e\sigma^2)+U(4\sigma^2)` (spec §3.8, C40).

    Parameters
    ----------
    centers : array_like, shape (P, d)
        Component means μ_i (P ≥ 2).
    variance : float
        Component variance σ² > 0.

    Returns
    -------
    tuple of float
        ``(lower, upper)`` differential-entropy bounds in **bits**.

    References
    ----------
    .. [KT17] Kolchinsky & Tracey, Entropy 19 (2017) 361, Eqs 11–13; spec §3.8, C40.
    """
    centers = check_activity(centers, "centers").astype(np.float64, copy=False)
    variances, scalar = _check_variances(variance)
    if not scalar:
        raise ValueError(f"variance must be a single positive number, got {variance}")
    sums = pairwise_kernel_sums(centers, [(0, centers.shape[0])], np.array([0.5, 0.125]) / variances[0])
    U = math.log(centers.shape[0]) - np.log(sums[:, :, 0]).mean(axis=-1)
    conditional = 0.5 * centers.shape[1] * math.log(2 * math.pi * math.e * variances[0])
    return float((conditional + U[1]) / _LN2), float((conditional + U[0]) / _LN2)
