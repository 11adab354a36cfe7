r"""Exact mutual information of linear-Gaussian channels, in bits.

See docs/formulas.md#s3-5; [P] Eq 6, Eq 21, App G Eqs 22–25.

For a deterministic linear map :math:`\bar W` of a Gaussian input :math:`X\sim\mathcal N(0,\Sigma_x)` observed
through analysis noise, :math:`T=\bar WX+\epsilon`, :math:`\epsilon\sim\mathcal N(0,\sigma^2I)`,

.. math:: I(T;X)=\tfrac12\log_2\det\big(I+\bar W\Sigma_x\bar W^\top/\sigma^2\big)\ \text{bits}.

The paper's Eq 6 (and Eq 21) as printed omit the factor ½ and the base (docs/choices.md#a9) and use Σ_x = I although the
stated input has Σ_x = I/N_i (docs/choices.md#a10): Eq 6 as printed is **twice** the exact value in nats. This module
uses the exact form with a general Σ_x; every public function accepts leading batch dimensions on ``W`` (e.g. seeds ×
layers) and evaluates them in one call with :func:`numpy.linalg.slogdet` / Cholesky factorisations.

The independent symbolic witness is :mod:`theory.gaussian`.

References
----------
.. [P] Saxe et al., "On the Information Bottleneck Theory of Deep Learning", ICLR 2018, §3 Eq 6, App C Eq 21,
   App G Eqs 22–25, §5.
.. [CT] Cover & Thomas, *Elements of Information Theory*, 2nd ed., §8.4 (entropy of a multivariate normal).
"""

from __future__ import annotations

import math

import numpy as np

from simulate.validation import real_array

__all__ = [
    "entropy",
    "label_mutual_information",
    "mutual_information",
    "subspace_mutual_information",
]

_LN2 = math.log(2.0)


# ----------------------------------------------------------------------------------------------- validation
#: The fast path ``slogdet(I + WΣWᵀ/σ²)`` is used when its rounding, ≈ n² ε ‖W‖²_F ‖Σ‖₂ / σ² nats, is below
#: this (nats); otherwise the singular values of W Σ^½ are used, which stay exact for rank-deficient W.
_FAST_PATH_ERROR = 1e-10
#: Singular values of W Σ^½ below ``_RANK_FACTOR · max(n_out, n_in) · ε · ‖W‖_F ‖Σ‖₂^½`` are zero (numerical rank,
#: as numpy.linalg.matrix_rank; 4 covers the rounding of the eigen-decomposition of Σ).
_RANK_FACTOR = 4.0
#: Smallest accepted σ² in units of that rank tolerance squared: a direction treated as zero then changes I by
#: < tol²/(2σ² ln 2) < 1e-12 bits, and a kept singular value s, off by ≤ tol, changes it by ≤ tol/σ ≤ 1e-6 nats.
_VARIANCE_OVER_TOLERANCE = 1e12
#: Singular values above this multiple of the tolerance are determined to a relative 5e-7 (2 tol/s ≤ 1e-6 nats).
_AMBIGUOUS_RATIO = 2e6


def _as_weights(W: np.ndarray, name: str = "W") -> np.ndarray:
    W = real_array(name, W)
    if W.ndim < 2:
        raise ValueError(f"{name} must have shape (..., n_out, n_in) with at least 2 dimensions, got shape {W.shape}")
    if W.shape[-1] == 0 or W.shape[-2] == 0 or W.size == 0:
        raise ValueError(f"{name} must have n_out >= 1 and n_in >= 1 (and a non-empty batch), got shape {W.shape}")
    return W


def _as_covariance(cov: np.ndarray, n: int, name: str = "input_cov") -> np.ndarray:
    cov = real_array(name, cov)
    if cov.ndim < 2 or cov.shape[-2:] != (n, n) or cov.size == 0:
        raise ValueError(f"{name} must have shape (..., {n}, {n}) to match the weights, got shape {cov.shape}")
    scale = _power_of_two(float(np.max(np.abs(cov))))
    unit = cov / scale
    if not np.allclose(unit, np.swapaxes(unit, -1, -2), rtol=1e-10, atol=1e-12):
        raise ValueError(f"{name} must be symmetric")
    min_eig = float(np.min(np.linalg.eigvalsh(unit)))
    if min_eig < -1e-10:
        raise ValueError(f"{name} must be positive semi-definite, smallest eigenvalue is {min_eig * scale:.3g}")
    return cov


def _as_variance(value: float | np.ndarray, name: str, *, allow_zero: bool = False) -> np.ndarray:
    if isinstance(value, (str, bytes)):
        raise TypeError(f"{name} must be a real number or array of them, got the str {value!r}")
    value = real_array(name, value)
    if allow_zero and np.any(value < 0):
        raise ValueError(f"{name} must be >= 0, got {value}")
    if not allow_zero and np.any(value <= 0):
        raise ValueError(f"{name} must be > 0, got {value}")
    return value


def _power_of_two(largest: float) -> float:
    """A power of two near `largest` (1 for 0), so that dividing by it is exact and brings values near 1."""
    return 1.0 if largest == 0.0 else math.ldexp(1.0, math.frexp(largest)[1] - 1)


def _logdet_spd(M: np.ndarray, name: str) -> np.ndarray:
    """Natural log-determinant of a batch of symmetric positive-definite matrices."""
    if not np.all(np.isfinite(M)):
        raise ValueError(f"{name} overflows float64: the weights or covariances are too large (see the docstring)")
    sign, logdet = np.linalg.slogdet(M)
    if np.any(sign <= 0):
        raise ValueError(f"{name} is singular; a positive noise variance is required")
    return logdet


def _project(W: np.ndarray, cov: np.ndarray) -> np.ndarray:
    """``W Σ Wᵀ``, symmetrised (batch-aware)."""
    M = W @ cov @ np.swapaxes(W, -1, -2)
    return 0.5 * (M + np.swapaxes(M, -1, -2))


def _log_det_identity_plus(W: np.ndarray, cov: np.ndarray, variance: np.ndarray) -> np.ndarray:
    """``ln det(I + W Σ Wᵀ / σ²)`` for a batch (σ² broadcast against the batch shape), exact for any rank.

    The fast path is ``slogdet`` when its rounding is negligible (:data:`_FAST_PATH_ERROR`, estimated with the
    bound ‖Σ‖₂ ≤ ‖Σ‖_F, so no eigen-decomposition is needed to take it); otherwise
    ``Σ_k ln(1 + s_k²/σ²)`` over the singular values s_k of W Σ^½ (computed on power-of-two-scaled copies, so
    neither large weights nor tiny variances overflow), with the numerical-rank tolerance described above.
    """
    n_out, n_in = W.shape[-2:]
    with np.errstate(over="ignore"):
        w_scale = _power_of_two(float(np.max(np.abs(W))))
        c_scale = _power_of_two(float(np.max(np.abs(cov))))
        W_unit, cov_unit = W / w_scale, cov / c_scale
        weight_norm2 = np.sum(W_unit**2, axis=(-2, -1))  # ‖W‖²_F / w_scale²
        # ‖Σ‖_F ≥ ‖Σ‖₂: the fast path's error estimate only needs an upper bound (no eigen-decomposition)
        cov_bound = np.sqrt(np.sum(cov_unit**2, axis=(-2, -1)))
        # log of the fast path's error estimate, in nats (all factors kept in logs: no overflow)
        log_scale = 2 * math.log(w_scale) + math.log(c_scale)
        log_error = (
            math.log(max(n_out, n_in) ** 2 * np.finfo(float).eps)
            + np.log(np.maximum(weight_norm2 * cov_bound, 1e-300))
            + log_scale
            - np.log(variance)
        )
    if np.all(log_error < math.log(_FAST_PATH_ERROR)):
        return _logdet_spd(
            _project(W_unit, cov_unit) * np.exp(log_scale - np.log(variance))[..., None, None] + np.eye(n_out),
            "I + W input_cov Wᵀ / noise_variance",
        )
    eigenvalues, vectors = np.linalg.eigh(cov_unit)
    cov_norm = np.max(eigenvalues, axis=-1)  # ‖Σ‖₂ / c_scale
    root = vectors * np.sqrt(np.clip(eigenvalues, 0.0, None))[..., None, :]  # Σ_unit^½ (times a rotation)
    singular = np.linalg.svd(W_unit @ root, compute_uv=False)
    tolerance = (
        _RANK_FACTOR * max(n_out, n_in) * np.finfo(float).eps * np.sqrt(weight_norm2 * np.maximum(cov_norm, 0.0))
    )
    log_tolerance2 = 2 * np.log(np.maximum(tolerance, 1e-300)) + log_scale
    # A singular value s known to ±tol contributes to I with an error ≤ min(tol/σ, 2 tol/s) nats (≤ tol²/σ² when
    # dropped): only values below _AMBIGUOUS_RATIO · tol at σ² < _VARIANCE_OVER_TOLERANCE · tol² are undetermined.
    ambiguous = np.any(singular < _AMBIGUOUS_RATIO * tolerance[..., None], axis=-1) & (tolerance > 0)
    too_small = np.log(variance) < log_tolerance2 + math.log(_VARIANCE_OVER_TOLERANCE)
    if np.any(ambiguous & too_small):
        smallest = float(np.max(np.exp(log_tolerance2 + math.log(_VARIANCE_OVER_TOLERANCE))[ambiguous & too_small]))
        raise ValueError(
            f"noise_variance must be >= {smallest:.3g} for these weights: W input_cov^½ is (nearly) rank-deficient, "
            "and below 1e12 tol² (tol = 4 max(n_out, n_in) ε ‖W‖_F ‖input_cov‖₂^½) the information carried by "
            "directions at float64 resolution is undetermined"
        )
    kept = singular > tolerance[..., None]
    with np.errstate(divide="ignore"):
        # t = ln(s/σ) in true units; ln(1 + e^{2t}) = logaddexp(0, 2t)
        t = np.log(np.where(kept, singular, 1.0)) + 0.5 * log_scale - 0.5 * np.log(variance)[..., None]
    return np.sum(np.where(kept, np.logaddexp(0.0, 2 * t), 0.0), axis=-1)


def _result(x: np.ndarray) -> np.ndarray | float:
    return float(x) if np.ndim(x) == 0 else x


# ----------------------------------------------------------------------------------------------- public API
def entropy(cov: np.ndarray) -> np.ndarray | float:
    r"""Differential entropy of a multivariate normal, in bits.

    .. math:: H = \tfrac12\log_2\det(2\pi e\,\Sigma)

    as in [P] App G Eqs 22–24 (there in nats).

    Parameters
    ----------
    cov : array_like, shape (..., d, d)
        Symmetric positive-definite covariance (leading batch dimensions allowed).

    Returns
    -------
    float or numpy.ndarray
        Differential entropy in **bits**, shape ``(...)``.

    Raises
    ------
    ValueError
        If `cov` is not a finite, symmetric, positive-definite (batch of) square matrix.

    References
    ----------
    .. [P] Saxe et al., ICLR 2018, App G Eqs 22–24.

    Examples
    --------
    >>> round(entropy(np.eye(1) / (2 * np.pi * np.e)), 12)
    0.0
    """
    cov = real_array("cov", cov)
    if cov.ndim < 2:
        raise ValueError(f"cov must have shape (..., d, d), got shape {cov.shape}")
    cov = _as_covariance(cov, cov.shape[-1], "cov")
    d = cov.shape[-1]
    logdet = _logdet_spd(cov, "cov")
    return _result((0.5 * d * math.log(2 * math.pi * math.e) + 0.5 * logdet) / _LN2)


def mutual_information(W: np.ndarray, input_cov: np.ndarray, noise_variance: float | np.ndarray) -> np.ndarray | float:
    r"""Exact I(T;X) in bits for ``T = W X + ε``, ``X ~ N(0, input_cov)``, ``ε ~ N(0, noise_variance·I)``.

    .. math:: I(T;X)=\tfrac12\log_2\det\!\Big(I+\frac{W\Sigma_x W^\top}{\sigma^2}\Big)

    This is the exact Gaussian-channel value; [P] Eq 6 as printed (no ½, Σ_x = I, unspecified base) is twice
    this in nats (docs/choices.md#a9, #a10).

    Parameters
    ----------
    W : array_like, shape (..., n_out, n_in)
        Map from the input to the layer (e.g. the product of a deep linear network's weights up to layer l).
        Leading dimensions are batch dimensions (seeds, layers, epochs).
    input_cov : array_like, shape (..., n_in, n_in)
        Input covariance Σ_x (symmetric positive semi-definite); broadcast against the batch of `W`.
    noise_variance : float or array_like
        Analysis-noise variance σ²_MI > 0 (the paper uses 1.0); broadcast against the batch shape. Exact for
        every σ² when W Σ^½ has full rank; when it is (nearly) rank-deficient, σ² must be at least
        1e12 tol² with tol = 4 max(n_out, n_in) ε ‖W‖_F ‖Σ‖₂^½ (≈ 2e-15 for a unit-norm 3 × 4 map), below which
        the information of directions at float64 resolution is undetermined and ValueError says so. Weights
        of any finite magnitude are accepted (power-of-two scaling; no overflow).

    Returns
    -------
    float or numpy.ndarray
        I(T;X) in **bits**, shape ``W.shape[:-2]`` (a float when `W` is a single matrix).

    Raises
    ------
    ValueError
        If `W` or `input_cov` is non-finite or mis-shaped, `input_cov` is not symmetric PSD, or
        `noise_variance` ≤ 0.

    References
    ----------
    .. [P] Saxe et al., ICLR 2018, §3 Eq 6 and App C Eq 21; docs/formulas.md#s3-5.

    Examples
    --------
    A scalar channel with unit signal-to-noise ratio carries ½ bit:

    >>> mutual_information(np.array([[1.0]]), np.eye(1), 1.0)
    0.5
    """
    W = _as_weights(W)
    cov = _as_covariance(input_cov, W.shape[-1])
    variance = _as_variance(noise_variance, "noise_variance")
    return _result(0.5 * _log_det_identity_plus(W, cov, variance) / _LN2)


def label_mutual_information(
    W: np.ndarray,
    W_o: np.ndarray,
    input_cov: np.ndarray,
    output_noise_variance: float | np.ndarray,
    noise_variance: float | np.ndarray,
) -> np.ndarray | float:
    r"""Exact I(T;Y) in bits for ``T = W X + ε`` and the teacher ``Y = W_o X + ε_o`` ([P] App G Eqs 22–25).

    With :math:`C_T=W\Sigma_xW^\top+\sigma^2I`, :math:`C_Y=W_o\Sigma_xW_o^\top+\sigma_o^2I` and
    :math:`C_{YT}=W_o\Sigma_xW^\top`, Eq 25 :math:`I=H(Y)+H(T)-H(Y,T)` with the block determinant
    :math:`\det C_{(T,Y)}=\det C_T\,\det(C_Y-C_{YT}C_T^{-1}C_{TY})` gives

    .. math:: I(T;Y)=\tfrac12\log_2\det C_Y-\tfrac12\log_2\det\big(C_Y-C_{YT}C_T^{-1}C_{TY}\big),

    evaluated with a Cholesky factor of :math:`C_T`. The paper prints Eqs 22–24 with Σ_x = I (docs/choices.md#a10) and
    the lower-right block of Eq 24 as :math:`I_{N_h}` where :math:`I_{N_o}` is meant.

    Parameters
    ----------
    W : array_like, shape (..., n_hidden, n_in)
        Map from the input to the layer; leading batch dimensions allowed.
    W_o : array_like, shape (..., n_out, n_in)
        Teacher weights; broadcast against the batch of `W`.
    input_cov : array_like, shape (..., n_in, n_in)
        Input covariance Σ_x (symmetric PSD).
    output_noise_variance : float or array_like
        Teacher output-noise variance σ_o² ≥ 0 (if 0, ``W_o Σ_x W_oᵀ`` must be non-singular).
    noise_variance : float or array_like
        Analysis-noise variance σ²_MI > 0.

    Returns
    -------
    float or numpy.ndarray
        I(T;Y) in **bits**, shape of the broadcast batch.

    Raises
    ------
    ValueError
        On non-finite or mis-shaped inputs, `noise_variance` ≤ 0, `output_noise_variance` < 0, or a singular
        output covariance.

    References
    ----------
    .. [P] Saxe et al., ICLR 2018, App G Eqs 22–25; docs/formulas.md#s3-5.

    Examples
    --------
    If T observes Y's signal through the same noise level as Y (both unit SNR), I(T;Y) = ½ log₂(4/3):

    >>> round(label_mutual_information(np.eye(1), np.eye(1), np.eye(1), 1.0, 1.0), 6)
    0.207519
    """
    W = _as_weights(W)
    W_o = _as_weights(W_o, "W_o")
    if W_o.shape[-1] != W.shape[-1]:
        raise ValueError(f"W_o must have n_in = {W.shape[-1]} columns like W, got shape {W_o.shape}")
    cov = _as_covariance(input_cov, W.shape[-1])
    variance = _as_variance(noise_variance, "noise_variance")
    output_variance = _as_variance(output_noise_variance, "output_noise_variance", allow_zero=True)

    C_T = _project(W, cov) + variance[..., None, None] * np.eye(W.shape[-2])
    C_Y = _project(W_o, cov) + output_variance[..., None, None] * np.eye(W_o.shape[-2])
    C_TY = W @ cov @ np.swapaxes(W_o, -1, -2)
    if not (np.all(np.isfinite(C_T)) and np.all(np.isfinite(C_Y)) and np.all(np.isfinite(C_TY))):
        raise ValueError("W, W_o and input_cov overflow float64 in W input_cov Wᵀ; rescale them (see the docstring)")
    try:
        L = np.linalg.cholesky(C_T)
    except np.linalg.LinAlgError:
        raise ValueError(
            "W input_cov Wᵀ + noise_variance·I is not numerically positive definite: noise_variance is too small "
            "relative to the weights for float64"
        ) from None
    A = np.linalg.solve(L, C_TY)  # L⁻¹ C_TY
    schur = C_Y - np.swapaxes(A, -1, -2) @ A
    schur = 0.5 * (schur + np.swapaxes(schur, -1, -2))
    logdet_Y = _logdet_spd(C_Y, "the output covariance W_o input_cov W_oᵀ + output_noise_variance·I")
    sign, logdet_schur = np.linalg.slogdet(schur)
    if np.any(sign <= 0):
        raise ValueError("the conditional output covariance is singular; use output_noise_variance > 0")
    return _result(np.maximum(0.5 * (logdet_Y - logdet_schur) / _LN2, 0.0))


def _subset_mask(subset: slice | np.ndarray, n_in: int) -> np.ndarray:
    if isinstance(subset, slice):
        mask = np.zeros(n_in, dtype=bool)
        mask[subset] = True
        return mask
    subset = np.asarray(subset)
    if subset.dtype == bool:
        if subset.shape != (n_in,):
            raise ValueError(f"subset as a boolean mask must have shape ({n_in},), got {subset.shape}")
        return subset.copy()
    if subset.ndim != 1 or (subset.size and not np.issubdtype(subset.dtype, np.integer)):
        raise ValueError("subset must be a slice, a 1-D integer index array or a boolean mask over the inputs")
    if subset.size and (subset.min() < -n_in or subset.max() >= n_in):
        raise ValueError(f"subset indices must lie in [-{n_in}, {n_in}), got {subset.min()}..{subset.max()}")
    mask = np.zeros(n_in, dtype=bool)
    mask[subset.astype(int)] = True
    return mask


def subspace_mutual_information(
    W: np.ndarray, input_cov: np.ndarray, noise_variance: float | np.ndarray, subset: slice | np.ndarray
) -> np.ndarray | float:
    r"""Exact I(T; X_S) in bits for the inputs X_S indexed by `subset`, independent of the rest (docs/formulas.md#s3-5).

    With :math:`X=[X_S;X_R]` independent (Σ_x block-diagonal) and :math:`W=[W_S,W_R]`,

    .. math:: I(T;X_S)=\tfrac12\log_2\det(W\Sigma_xW^\top+\sigma^2I)
              -\tfrac12\log_2\det(W_R\Sigma_RW_R^\top+\sigma^2I),

    because given X_S the layer is :math:`T=W_SX_S+(W_RX_R+\epsilon)` with Gaussian "noise" of covariance
    :math:`W_R\Sigma_RW_R^\top+\sigma^2I`. The chain rule
    :math:`I(T;X)=I(T;X_S)+I(T;X_R\mid X_S)` holds with :math:`I(T;X_R\mid X_S)=I(T;X)-I(T;X_S)`. This is the
    relevant / irrelevant split of [P] §5 (Fig 6), whose formula the paper does not print (derived in
    docs/formulas.md#s3-5).

    Parameters
    ----------
    W : array_like, shape (..., n_out, n_in)
        Map from the input to the layer; leading batch dimensions allowed.
    input_cov : array_like, shape (n_in, n_in) or (..., n_in, n_in)
        Input covariance; must have zero cross-covariance between the subset and the rest.
    noise_variance : float or array_like
        Analysis-noise variance σ²_MI > 0.
    subset : slice, integer index array or boolean mask of length n_in
        The inputs X_S (e.g. ``slice(0, 30)`` for the 30 task-relevant inputs of Fig 6).

    Returns
    -------
    float or numpy.ndarray
        I(T; X_S) in **bits**, shape ``W.shape[:-2]``. An empty subset gives 0; the full set gives I(T;X).

    Raises
    ------
    ValueError
        If `subset` is malformed, or `input_cov` couples the subset with the rest, or as in
        :func:`mutual_information`.

    References
    ----------
    .. [P] Saxe et al., ICLR 2018, §5, Fig 6; docs/formulas.md#s3-5 (derived there).

    Examples
    --------
    Two independent unit inputs, each seen by its own output with unit noise: each carries ½ bit.

    >>> subspace_mutual_information(np.eye(2), np.eye(2), 1.0, [0])
    0.5
    """
    W = _as_weights(W)
    n_in = W.shape[-1]
    cov = _as_covariance(input_cov, n_in)
    variance = _as_variance(noise_variance, "noise_variance")
    mask = _subset_mask(subset, n_in)
    cross = cov[..., mask, :][..., :, ~mask]
    scale = max(float(np.max(np.abs(cov))), 1e-300)
    if cross.size and np.max(np.abs(cross)) > 1e-12 * scale:
        raise ValueError("input_cov must be block-diagonal: the subset must be independent of the other inputs")
    total = _log_det_identity_plus(W, cov, variance)
    if not np.any(~mask):
        rest = np.zeros_like(total)
    else:
        rest = _log_det_identity_plus(W[..., :, ~mask], cov[..., ~mask, :][..., :, ~mask], variance)
    return _result(np.maximum(0.5 * (total - rest) / _LN2, 0.0))
