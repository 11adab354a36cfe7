"""Numeric evaluation of the exact Gaussian-channel MI with mpmath determinants.

See docs/formulas.md#s3-5; [P] Eq 6, 22–25.

The numeric half of :mod:`theory.gaussian` (re-exported there): every log-determinant is ``mpmath.log(mpmath.det)``
at ``dps`` decimal digits, so the values are independent of NumPy/LAPACK's ``slogdet`` used by
:mod:`simulate.mi.gaussian`. Leading batch dimensions of ``W`` are looped over in Python (meant for
cross-validation at small sizes, not for speed). All results are in **bits**.

References
----------
.. [P] Saxe et al., "On the Information Bottleneck Theory of Deep Learning", ICLR 2018, §3 Eq 6, App G
   Eqs 22–25, §5.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import mpmath
import numpy as np

from theory.validation import integer, real_array, real_float

__all__ = ["SMALLEST_VARIANCE", "label_mutual_information", "mutual_information", "subspace_mutual_information"]

#: Smallest accepted (non-zero) variance. Above it the working precision grows with log₁₀(‖W‖²‖Σ‖/σ²) so that
#: rank-deficient maps stay exact; results are accurate to about 10⁻ᵈᵖˢ relative.
SMALLEST_VARIANCE = 1e-300


def _mask(subset: Sequence[int] | slice, m: int) -> list[bool]:
    if isinstance(subset, slice):
        chosen = set(range(m)[subset])
    else:
        if isinstance(subset, (str, bytes)) or not hasattr(subset, "__iter__"):
            raise TypeError(f"subset must be a slice or a sequence of integer indices, got {subset!r}")
        chosen = {integer("subset index", i, minimum=-m, maximum=m - 1) % m for i in subset}
    return [i in chosen for i in range(m)]


def _mp_matrix(A: np.ndarray) -> mpmath.matrix:
    return mpmath.matrix([[mpmath.mpf(float(v)) for v in row] for row in np.atleast_2d(A)])


def _mp_logdet(M: mpmath.matrix) -> mpmath.mpf:
    det = mpmath.det(M)
    if det <= 0:
        raise ValueError("a covariance matrix is singular; the noise variance must be > 0")
    return mpmath.log(det)


def _weights(W: object, name: str = "W") -> np.ndarray:
    W = real_array(name, W)
    if W.ndim < 2 or W.shape[-1] == 0 or W.shape[-2] == 0 or W.size == 0:
        raise ValueError(f"{name} must have shape (..., n_out, n_in) with n_out, n_in >= 1, got shape {W.shape}")
    return W


def _covariance(cov: object, n: int, name: str = "input_cov") -> np.ndarray:
    cov = real_array(name, cov, ndim=2)
    if cov.shape != (n, n):
        raise ValueError(f"{name} must have shape ({n}, {n}) to match the weights, got shape {cov.shape}")
    if not np.array_equal(cov, cov.T):
        raise ValueError(f"{name} must be symmetric")
    largest = float(np.max(np.abs(cov)))
    if largest > 0 and float(np.min(np.linalg.eigvalsh(cov / largest))) < -1e-12:
        raise ValueError(f"{name} must be positive semi-definite (a covariance)")
    return cov


def _working_digits(dps: int, W: np.ndarray, cov: np.ndarray, variance: float) -> int:
    """`dps` plus the digits lost to cancellation when ‖W‖²‖Σ‖/σ² is large (rank-deficient W at tiny σ²)."""
    largest_w, largest_c = float(np.max(np.abs(W))), float(np.max(np.abs(cov)))
    if largest_w == 0 or largest_c == 0:
        return dps
    # log₁₀ of (Σ|W|)² max|Σ| / σ², kept in logs (the product can overflow float64; mpmath cannot)
    ratio = 2 * (math.log10(largest_w) + math.log10(W.size)) + math.log10(largest_c) - math.log10(variance)
    return dps + max(0, math.ceil(ratio)) * W.shape[-2]


def _batched(W: np.ndarray, func) -> np.ndarray | float:
    W = _weights(W)
    out = np.empty(W.shape[:-2])
    for index in np.ndindex(*W.shape[:-2]):
        out[index] = func(W[index])
    return float(out) if out.ndim == 0 else out


def _check_variance(value: float, name: str, *, allow_zero: bool = False) -> mpmath.mpf:
    number = real_float(name, value, minimum=0.0, strict_minimum=not allow_zero)
    if number != 0 and number < SMALLEST_VARIANCE:
        raise ValueError(f"{name} must be 0 or >= {SMALLEST_VARIANCE:g}, got {value}")
    return mpmath.mpf(number)


def mutual_information(
    W: np.ndarray, input_cov: np.ndarray, noise_variance: float, dps: int = 40
) -> np.ndarray | float:
    """I(T;X) in bits evaluated with mpmath determinants at `dps` digits (independent of LAPACK).

    Parameters
    ----------
    W : array_like, shape (..., n_out, n_in)
        Map from the input to the layer; leading batch dimensions are looped over.
    input_cov : array_like, shape (n_in, n_in)
        Input covariance.
    noise_variance : float
        Analysis-noise variance σ² > 0.
    dps : int
        mpmath working precision in decimal digits.

    Returns
    -------
    float or numpy.ndarray
        I(T;X) in **bits**, shape ``W.shape[:-2]``.

    References
    ----------
    .. [P] Saxe et al., ICLR 2018, §3 Eq 6 (exact ½ log det form, docs/formulas.md#s3-5).

    Examples
    --------
    >>> mutual_information(np.array([[1.0]]), np.eye(1), 1.0)
    0.5
    """
    variance = _check_variance(noise_variance, "noise_variance")
    dps = integer("dps", dps, minimum=15, maximum=10_000)
    W = _weights(W)
    Sigma = _covariance(input_cov, W.shape[-1])

    def one(Wm: np.ndarray) -> float:
        with mpmath.workdps(_working_digits(dps, Wm, Sigma, float(variance))):
            Wp, S = _mp_matrix(Wm), _mp_matrix(Sigma)
            M = mpmath.eye(Wm.shape[0]) + Wp * S * Wp.T / variance
            return float(_mp_logdet(M) / (2 * mpmath.log(2)))

    return _batched(W, one)


def label_mutual_information(
    W: np.ndarray,
    W_o: np.ndarray,
    input_cov: np.ndarray,
    output_noise_variance: float,
    noise_variance: float,
    dps: int = 40,
) -> np.ndarray | float:
    """I(T;Y) in bits from Eqs 22–25 (joint block determinant) with mpmath at `dps` digits.

    Parameters
    ----------
    W : array_like, shape (..., n_h, n_in)
        Map from the input to the layer; leading batch dimensions are looped over.
    W_o : array_like, shape (n_o, n_in)
        Teacher weights.
    input_cov : array_like, shape (n_in, n_in)
        Input covariance.
    output_noise_variance : float
        Teacher noise variance σ_o² ≥ 0.
    noise_variance : float
        Analysis-noise variance σ² > 0.
    dps : int
        mpmath working precision in decimal digits.

    Returns
    -------
    float or numpy.ndarray
        I(T;Y) in **bits**, shape ``W.shape[:-2]``.

    References
    ----------
    .. [P] Saxe et al., ICLR 2018, App G Eqs 22–25.
    """
    variance = _check_variance(noise_variance, "noise_variance")
    output_variance = _check_variance(output_noise_variance, "output_noise_variance", allow_zero=True)
    dps = integer("dps", dps, minimum=15, maximum=10_000)
    W = _weights(W)
    Sigma = _covariance(input_cov, W.shape[-1])
    Wo = _weights(W_o, "W_o")
    if Wo.ndim != 2 or Wo.shape[1] != W.shape[-1]:
        raise ValueError(f"W_o must have shape (n_o, {W.shape[-1]}), got shape {Wo.shape}")

    def one(Wm: np.ndarray) -> float:
        both = np.vstack([Wm, Wo])
        with mpmath.workdps(_working_digits(dps, both, Sigma, float(min(variance, output_variance or variance)))):
            Wp, Wop, S = _mp_matrix(Wm), _mp_matrix(Wo), _mp_matrix(Sigma)
            n_h, n_o = Wm.shape[0], Wo.shape[0]
            C_T = Wp * S * Wp.T + variance * mpmath.eye(n_h)
            C_Y = Wop * S * Wop.T + output_variance * mpmath.eye(n_o)
            C_TY = Wp * S * Wop.T
            joint = mpmath.zeros(n_h + n_o, n_h + n_o)
            for i in range(n_h + n_o):
                for j in range(n_h + n_o):
                    if i < n_h and j < n_h:
                        joint[i, j] = C_T[i, j]
                    elif i < n_h:
                        joint[i, j] = C_TY[i, j - n_h]
                    elif j < n_h:
                        joint[i, j] = C_TY[j, i - n_h]
                    else:
                        joint[i, j] = C_Y[i - n_h, j - n_h]
            value = (_mp_logdet(C_T) + _mp_logdet(C_Y) - _mp_logdet(joint)) / (2 * mpmath.log(2))
            return float(value)

    return _batched(W, one)


def subspace_mutual_information(
    W: np.ndarray, input_cov: np.ndarray, noise_variance: float, subset: Sequence[int] | slice, dps: int = 40
) -> np.ndarray | float:
    """I(T;X_S) in bits (docs/formulas.md#s3-5) with mpmath determinants at `dps` digits.

    Parameters
    ----------
    W : array_like, shape (..., n_out, n_in)
        Map from the input to the layer; leading batch dimensions are looped over.
    input_cov : array_like, shape (n_in, n_in)
        Block-diagonal input covariance (the subset independent of the rest).
    noise_variance : float
        Analysis-noise variance σ² > 0.
    subset : sequence of int or slice
        Indices of X_S.
    dps : int
        mpmath working precision in decimal digits.

    Returns
    -------
    float or numpy.ndarray
        I(T;X_S) in **bits**, shape ``W.shape[:-2]``.

    References
    ----------
    .. [P] Saxe et al., ICLR 2018, §5 (formula derived in docs/formulas.md#s3-5).
    """
    W = _weights(W)
    Sigma = _covariance(input_cov, W.shape[-1])
    mask = np.array(_mask(subset, W.shape[-1]))
    if np.any(Sigma[np.ix_(mask, ~mask)] != 0):
        raise ValueError("input_cov must be block-diagonal: the subset must be independent of the other inputs")
    total = mutual_information(W, Sigma, noise_variance, dps)
    if mask.all():
        return total
    rest = mutual_information(W[..., :, ~mask], Sigma[np.ix_(~mask, ~mask)], noise_variance, dps)
    return total - rest
