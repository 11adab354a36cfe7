r"""Pairwise-distance (KDE) bounds on the mutual information of a noisy layer, in bits ([P] App B.1; [KT17]).

The layer is observed through additive Gaussian noise, :math:`T=h(X)+\epsilon`, :math:`\epsilon\sim\mathcal
N(0,\sigma^2I_d)`, over P equiprobable inputs, so T is a mixture of P Gaussians. Kolchinsky & Tracey bound the
mixture entropy by pairwise divergences (KL above, Bhattacharyya below); subtracting the exact
:math:`H(T\mid X)=\tfrac d2\ln(2\pi e\sigma^2)` gives ([P] Eqs 7, 11, in nats)

.. math::
    I(T;X)\le U(\sigma^2)=-\frac1P\sum_i\ln\frac1P\sum_j e^{-\lVert h_i-h_j\rVert^2/2\sigma^2},\qquad
    I(T;X)\ge U(4\sigma^2).

For the labels, [P] Eqs 8–12 use :math:`I(T;Y)\approx U(\sigma^2)-\sum_l p_l\,U_l(\sigma^2)` (and the same with
:math:`4\sigma^2`), where :math:`U_l` is :math:`U` computed within class l. **docs/choices.md#a8:** each of these
subtracts a bound on H(T|Y) of the same direction from a bound on H(T), so the two I(T;Y) numbers are *estimates*, not
rigorous bounds (the paper calls them upper and lower bounds). Only the I(X;T) pair is a rigorous bracket. Both
estimates lie in :math:`[\cdot, H(Y)]` (the within-class row sums never exceed the full ones).

Implementation: one pairwise squared-distance computation per call serves every bound, class term and noise
variance. The distances are computed by one matrix product per row panel (upper triangle only; the column sums
of a panel give the symmetric half). Because :math:`d_{ii}=0`, every row sum is at least 1, so the log-sum-exp
needs no max pass and cannot underflow for any :math:`\sigma^2>0`. Samples are sorted by class, so the class
terms are contiguous sub-blocks of the same panels. Memory is :math:`O(\text{panel})` (a few MB),
independent of P², so P = 10⁴ and beyond are fine. The product runs in float32 when its rounding error is
negligible for the smallest requested variance, else in float64; the exponentials run in float32 (see
:func:`mutual_information_bounds`). The expanded form :math:`\lVert a\rVert^2+\lVert b\rVert^2-2a\cdot b` cancels
for near-duplicate rows; where that cancellation could matter (tiny σ² against the activity's magnitude), exactly
repeated rows are merged into weighted rows and the few pairs inside the rounding band are recomputed from direct
differences, so the bounds are exact at every accepted input.

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
from simulate.validation import real_array

__all__ = [
    "SMALLEST_VARIANCE",
    "KDEBounds",
    "mixture_entropy_bounds",
    "mutual_information_bounds",
    "pairwise_kernel_sums",
]

_LN2 = math.log(2.0)
#: Panels hold about this many distance entries (2 MB in float64, so a panel and its kernel stay in a core's L2
#: cache), whatever the sample size.
_PANEL_ENTRIES = 2**18
#: float32 is used when the worst-case rounding error of −‖h_i − h_j‖²/(2σ²) stays below this (nats).
_FLOAT32_EXPONENT_ERROR = 1e-3
#: Kernel exponents below this are raised to it (exp(−80) ≈ 1.8e-35, negligible against a row sum ≥ 1).
_EXPONENT_FLOOR = -80.0
#: Largest tolerated error of a kernel exponent (nats) from the fast distance product. A relative error of 5e-8 in
#: every kernel value changes each log row sum, hence each bound, by < 5e-8 nats (< 1e-7 bits), well inside the
#: 1e-6-bit accuracy promised against exactly computed distances. Pairs that could exceed it are recomputed.
_EXPONENT_TOLERANCE = 5e-8
#: Kernel scales the fast path folds into its product are capped here (so a₀ times the product entries cannot
#: overflow); every pair that the cap could misjudge lies within the error band and is recomputed exactly.
_FAST_SCALE_CAP = 1e200
#: Largest kernel scale 1/(2σ²) accepted: σ² ≥ 1e-300 (√a stays far from overflow in the exact recomputation).
_LARGEST_SCALE = 5e299
#: Smallest accepted noise variance.
SMALLEST_VARIANCE = 1e-300


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
        I(T;Y) estimate of Eqs 8–10 (called an upper bound in [P]; not rigorous, docs/choices.md#a8).
    i_ty_lower : float or numpy.ndarray
        I(T;Y) estimate of Eqs 11–12 (called a lower bound in [P]; not rigorous, docs/choices.md#a8).
    noise_variance : float or numpy.ndarray
        The noise variance σ² of each entry.
    """

    i_xt_upper: float | np.ndarray
    i_xt_lower: float | np.ndarray
    i_ty_upper: float | np.ndarray
    i_ty_lower: float | np.ndarray
    noise_variance: float | np.ndarray


def _check_variances(noise_variance: float | Sequence[float], name: str = "noise_variance") -> tuple[np.ndarray, bool]:
    if isinstance(noise_variance, (str, bytes)):
        raise TypeError(f"{name} must be a positive number or a 1-D sequence of them, got the str {noise_variance!r}")
    variances = real_array(name, noise_variance, ndim=(0, 1), min_size=1, finite=False)
    scalar = variances.ndim == 0
    variances = np.atleast_1d(variances)
    if not np.all(np.isfinite(variances)) or np.any(variances < SMALLEST_VARIANCE):
        raise ValueError(
            f"{name} must be finite and >= {SMALLEST_VARIANCE:g} (the smallest supported), got {noise_variance}"
        )
    return variances, scalar


def _power_of_two_scale(activity: np.ndarray) -> float:
    """A power of two c with max|h|/c in [1, 2) (1 for all-zero activity): h/c is exact and cannot overflow."""
    largest = float(np.max(np.abs(activity))) if activity.size else 0.0
    if largest == 0.0:
        return 1.0
    return math.ldexp(1.0, math.frexp(largest)[1] - 1)


def _distance_error(max_squared_norm: float, width: int, dtype: type) -> float:
    """Bound on the absolute error of ‖h_i‖² + ‖h_j‖² − 2 h_i·h_j computed in `dtype` (units of the centred data).

    A dot product of length d + 2 has error ≤ (d + 2) u Σ|x_k y_k| ≤ 4 (d + 2) u max‖h‖²; a factor 2 covers the
    rounding of the stored norms and of the conversion to `dtype` (u = ε/2).
    """
    return 4 * (width + 2) * float(np.finfo(dtype).eps) * max_squared_norm


def _exact_exponents(activity: np.ndarray, rows: np.ndarray, cols: np.ndarray, roots: np.ndarray) -> np.ndarray:
    """−a_s ‖h_i − h_j‖² for the given pairs and every scale, from direct differences (no cancellation).

    Computed as −Σ_k (√a_s (h_ik − h_jk))², which neither overflows to NaN nor loses small distances.
    """
    out = np.empty((roots.size, rows.size))
    chunk = max(1, _PANEL_ENTRIES // max(1, activity.shape[1]))
    with np.errstate(over="ignore", under="ignore"):
        for c0 in range(0, rows.size, chunk):
            c1 = min(rows.size, c0 + chunk)
            difference = activity[rows[c0:c1]] - activity[cols[c0:c1]]
            for s, root in enumerate(roots):
                scaled = difference * root
                out[s, c0:c1] = -np.einsum("ij,ij->i", scaled, scaled)
    return out


def pairwise_kernel_sums(
    activity: np.ndarray,
    segments: Sequence[tuple[int, int]],
    scales: np.ndarray,
    dtype: type | None = None,
    kernel_dtype: type | None = None,
) -> np.ndarray:
    r"""Row sums :math:`\sum_{j\in S}\exp(-a\lVert h_i-h_j\rVert^2)` over every segment S and every scale a.

    The distances come from one matrix product per row panel (:math:`\lVert h_i\rVert^2+\lVert h_j\rVert^2-
    2h_i\cdot h_j` on centred, power-of-two-scaled data). Where the product's rounding error could change a
    kernel exponent that matters by more than 5e-8 nats (tiny variances, large magnitudes, near-duplicate rows),
    those pairs are recomputed from direct differences, and exactly repeated rows are merged into one weighted row
    first, so the sums are exact to float rounding for every finite activity and every scale.

    Parameters
    ----------
    activity : numpy.ndarray, shape (N, d)
        Finite points, sorted so that each segment is a contiguous range of rows.
    segments : sequence of (start, stop)
        Contiguous, disjoint ranges covering ``0 … N`` (e.g. the classes).
    scales : numpy.ndarray, shape (n_scales,)
        Finite kernel scales a = 1/(2·variance) > 0, at most 5e299 (variance ≥ 1e-300).
    dtype : {None, numpy.float32, numpy.float64, "auto"}
        Precision of the distance products (default: float64). ``"auto"``: float32 when its worst-case error in
        every kernel exponent is below 5e-8 nats, else float64.
    kernel_dtype : type, optional
        float32 or float64 for the exponentials and their sums (default: `dtype`). Rounding an exponent that
        matters (in [−80, 0]) to float32 changes its kernel value by a relative 80·2⁻²⁴ ≈ 5e-6 at most.

    Returns
    -------
    numpy.ndarray, shape (n_scales, N, n_segments), float64
        Sum over the points of each segment, for every row and scale (the diagonal term 1 included).
    """
    activity = np.asarray(activity, dtype=np.float64)
    scales = np.asarray(scales, dtype=np.float64)
    if not (np.all(np.isfinite(scales)) and np.all(scales > 0) and np.all(scales <= _LARGEST_SCALE)):
        raise ValueError(f"scales must be finite, > 0 and <= {_LARGEST_SCALE:g} (variance >= 1e-300), got {scales}")
    scale = _power_of_two_scale(activity)
    centred = activity / scale if scale != 1.0 else activity
    centred = centred - centred.mean(axis=0)
    squared_norm = np.einsum("ij,ij->i", centred, centred)
    max_squared_norm = float(squared_norm.max()) if squared_norm.size else 0.0
    if isinstance(dtype, str) and dtype == "auto":
        with np.errstate(over="ignore"):
            largest = float(np.max(scales) * scale * scale)
        float32_error = largest * _distance_error(max_squared_norm, centred.shape[1], np.float32)
        dtype = np.float32 if float32_error <= _EXPONENT_TOLERANCE else np.float64
    dtype = dtype or np.float64
    kernel_dtype = kernel_dtype or dtype
    error = _distance_error(max_squared_norm, centred.shape[1], dtype)
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        unit_scales = scales * scale * scale  # kernel scales for the scaled data (may overflow to inf)
        # Scaling by c can flush components below c·2⁻¹⁰⁷⁴ to zero; their squared distance is < 4d (c·2⁻¹⁰⁷⁴)².
        lost = scales * 4 * activity.shape[1] * (scale * 2.0**-1074) ** 2
        needs_exact = (np.nan_to_num(unit_scales * error) > _EXPONENT_TOLERANCE) | (lost > _EXPONENT_TOLERANCE)
    if not np.any(needs_exact):
        return _panel_sums(activity, centred, squared_norm, segments, scales, unit_scales, dtype, kernel_dtype)
    # Exactly repeated rows (within a segment) become one row of weight = multiplicity: a saturated layer has few
    # distinct patterns, and their O(N²) duplicate pairs would all need the exact recomputation.
    segment_of_row = np.repeat(np.arange(len(segments)), [c1 - c0 for c0, c1 in segments])
    keyed = np.column_stack([segment_of_row.astype(np.float64), activity + 0.0])  # + 0.0 merges −0.0 with 0.0
    unique, inverse, weights = np.unique(keyed, axis=0, return_inverse=True, return_counts=True)
    inverse = inverse.reshape(-1)
    unique_segment = unique[:, 0].astype(np.int64)
    stops = np.searchsorted(unique_segment, np.arange(len(segments)), side="right")
    unique_segments = list(zip(np.concatenate([[0], stops[:-1]]).tolist(), stops.tolist()))
    unique_activity = unique[:, 1:]
    u_centred = unique_activity / scale
    u_centred -= u_centred.mean(axis=0)
    u_norm = np.einsum("ij,ij->i", u_centred, u_centred)
    sums = _panel_sums(
        unique_activity,
        u_centred,
        u_norm,
        unique_segments,
        scales,
        unit_scales,
        dtype,
        kernel_dtype,
        weights,
        needs_exact,
    )
    return sums[:, inverse, :]


def _panel_sums(
    activity: np.ndarray,
    centred: np.ndarray,
    squared_norm: np.ndarray,
    segments: Sequence[tuple[int, int]],
    scales: np.ndarray,
    unit_scales: np.ndarray,
    dtype: type,
    kernel_dtype: type,
    weights: np.ndarray | None = None,
    needs_exact: np.ndarray | None = None,
) -> np.ndarray:
    """The panel loop of :func:`pairwise_kernel_sums` (weights: row multiplicities; needs_exact: per scale)."""
    n = centred.shape[0]
    error = _distance_error(float(squared_norm.max()), centred.shape[1], dtype)
    # The fast path never uses a scale above _FAST_SCALE_CAP: beyond it every pair it computes has exponent < −80
    # unless its distance is within the error band, and those pairs are recomputed exactly anyway.
    fast_scales = np.minimum(unit_scales, _FAST_SCALE_CAP)
    # −‖h_i − h_j‖² = [h_i, ‖h_i‖², 1] · [2h_j, −1, −‖h_j‖²]: one product gives the negated squared distances.
    left = np.hstack([centred, squared_norm[:, None], np.ones((n, 1))]).astype(dtype)
    # The largest scale a₀ is folded into the product, so the panel holds −a₀‖h_i − h_j‖² directly; the other
    # scales multiply it by a₀-relative factors < 1 (no overflow; an underflow only affects kernel values ≈ 1).
    reference = int(np.argmax(fast_scales))
    a0 = fast_scales[reference]
    right = (a0 * np.hstack([2 * centred, -np.ones((n, 1)), -squared_norm[:, None]])).astype(dtype)
    exact = needs_exact is not None and bool(np.any(needs_exact))
    if exact:
        kernel_dtype = np.float64  # the weighted sums of the exact path are accumulated in float64
        # Pairs whose computed distance is below 80/a + error for a scale that needs exactness are recomputed.
        threshold = float(np.max((-_EXPONENT_FLOOR / fast_scales + error)[needs_exact]))
        cutoff = -a0 * threshold
        roots = np.sqrt(scales)
    column_weights = None if weights is None else weights.astype(kernel_dtype)
    sums = np.zeros((scales.size, n, len(segments)))
    panel = max(1, min(n, _PANEL_ENTRIES // n))
    for r0 in range(0, n, panel):
        r1 = min(n, r0 + panel)
        exponent = left[r0:r1] @ right[r0:].T  # −a₀ d_ij for rows r0:r1, columns r0:n
        if exact:
            rows, cols = np.nonzero(exponent >= cutoff)
            exact_exponents = _exact_exponents(activity, rows + r0, cols + r0, roots)
        if kernel_dtype is not dtype:
            exponent = exponent.astype(kernel_dtype)
        kernel = np.empty_like(exponent)
        for s in range(scales.size):
            source = exponent
            if s != reference:
                np.multiply(exponent, kernel_dtype(fast_scales[s] / a0), out=kernel)
                source = kernel
            # Clip to [−80, 0]: rounding can make d_ij slightly negative (exponent > 0), and exp(−80) ≈ 1.8e-35
            # changes a row sum (≥ 1) by < N·2e-35 while keeping exp out of the slow subnormal range.
            np.clip(source, _EXPONENT_FLOOR, 0.0, out=kernel)
            if exact:
                kernel[rows, cols] = np.maximum(exact_exponents[s], _EXPONENT_FLOOR)
            np.exp(kernel, out=kernel)
            for k, (c0, c1) in enumerate(segments):
                lo = max(c0, r0)
                if lo < c1:  # row sums of panel rows over the columns of segment k (columns ≥ r0)
                    block = kernel[:, lo - r0 : c1 - r0]
                    sums[s, r0:r1, k] += block.sum(axis=1) if weights is None else block @ column_weights[lo:c1]
                a0_, a1_ = max(c0, r0), min(c1, r1)
                if a0_ < a1_ and r1 < n:  # symmetric half: columns ≥ r1 get the sums over panel rows in segment k
                    block = kernel[a0_ - r0 : a1_ - r0, r1 - r0 :]
                    sums[s, r1:, k] += block.sum(axis=0) if weights is None else column_weights[a0_:a1_] @ block
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
        Noise variance σ² ([P]: 0.1 for the SZT figures; ibsgd: 1e-3, docs/choices.md#a7), finite and ≥ 1e-300
        (:data:`SMALLEST_VARIANCE`). A sequence evaluates every variance from the same pairwise distances and
        returns arrays. Exact (see below) for every accepted σ² and every finite activity, however large its
        magnitude, including duplicated and near-duplicate rows.
    dtype : {None, numpy.float32, numpy.float64}
        Precision. ``numpy.float64``: everything in float64 (≈ 1e-12 bits). ``numpy.float32``: float32 products and
        exponentials (fastest; its products are exact only where their rounding is negligible). None (default):
        the distance products run in float32 only when their worst-case rounding error in every kernel exponent,
        ``4 (d + 2) ε₃₂ max‖h − h̄‖² / (2 σ²_min)``, is below 5e-8 nats, else in float64; the exponentials and sums
        run in float32. Wherever the float64 product's own rounding could move an exponent by more than 5e-8 nats
        (tiny σ² relative to the activity's magnitude), exactly repeated rows are merged and the pairs within the
        error band are recomputed from direct differences. The default agrees with bounds from exactly computed
        pairwise distances to 1e-6 bits (measured: < 1e-7 bits on the SZT layers and on fuzzed near-duplicate
        data, σ² from 1e-300 to 1e3).

    Returns
    -------
    KDEBounds
        ``i_xt_upper ≥ i_xt_lower`` in ``[0, log₂ N]``; ``i_ty_upper``, ``i_ty_lower`` ≤ H(Y) (estimates,
        docs/choices.md#a8).

    Raises
    ------
    ValueError
        If `activity` is not finite of shape (N, d) with N ≥ 2, `labels` are not N integral labels, or a noise
        variance is not finite and ≥ 1e-300.
    TypeError
        If `activity`, `labels` or `noise_variance` is not real-valued (strings, complex numbers, objects).

    References
    ----------
    .. [P] Saxe et al., ICLR 2018, App B.1 Eqs 7–12; docs/formulas.md#s3-8, docs/choices.md#a7, #a8.
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
    if not any(dtype is accepted for accepted in (None, np.float32, np.float64)):
        raise ValueError(f"dtype must be None, numpy.float32 or numpy.float64, got {dtype}")
    order = np.argsort(labels, kind="stable")
    activity, labels = activity[order], labels[order]
    _, class_of_row, counts = np.unique(labels, return_inverse=True, return_counts=True)
    stops = np.cumsum(counts)
    segments = list(zip((stops - counts).tolist(), stops.tolist()))
    kernel_dtype = dtype or np.float32
    # scales: upper bound kernel 1/(2σ²), lower bound kernel 1/(8σ²) (Bhattacharyya: variance 4σ²)
    scales = np.concatenate([1 / (2 * variances), 1 / (8 * variances)])
    dtype = dtype or "auto"
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
    :math:`\hat H_{BD}=\tfrac d2\ln(2\pi e\sigma^2)+U(4\sigma^2)` (docs/formulas.md#s3-8, docs/claims.md#c40).

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
    .. [KT17] Kolchinsky & Tracey, Entropy 19 (2017) 361, Eqs 11–13; docs/formulas.md#s3-8, docs/claims.md#c40.
    """
    centers = check_activity(centers, "centers").astype(np.float64, copy=False)
    variances, scalar = _check_variances(variance, "variance")
    if not scalar:
        raise ValueError(f"variance must be a single positive number, got {variance}")
    sums = pairwise_kernel_sums(centers, [(0, centers.shape[0])], np.array([0.5, 0.125]) / variances[0])
    U = math.log(centers.shape[0]) - np.log(sums[:, :, 0]).mean(axis=-1)
    conditional = 0.5 * centers.shape[1] * math.log(2 * math.pi * math.e * variances[0])
    return float((conditional + U[1]) / _LN2), float((conditional + U[0]) / _LN2)
