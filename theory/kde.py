r"""Pairwise-distance bounds on the entropy of Gaussian mixtures and the paper's KDE MI bounds, symbolically.

The theory witness of :mod:`simulate.mi.kde` ([P] App B.1 Eqs 7–12; [KT17]; docs/formulas.md#s3-8).

* The two pairwise divergences between homoscedastic Gaussians are *derived* here (not typed in):
  :math:`\mathrm{KL}=\Delta^2/2\sigma^2` (moments of p in :math:`\ln p/q`, which is linear in x)
  and the Bhattacharyya distance :math:`-\ln\int\sqrt{pq}=\lVert\mu_i-\mu_j\rVert^2/8\sigma^2` (completing the
  square); both add over independent coordinates.
* The estimator family of [KT17] Eq 6, :math:`\hat H_D=H(X\mid C)-\sum_ic_i\ln\sum_jc_je^{-D(p_i\Vert p_j)}`, with
  those divergences and :math:`c_i=1/P`, minus :math:`H(T\mid X)=\tfrac d2\ln(2\pi e\sigma^2)`, gives [P] Eq 7 (upper)
  and the first term of Eq 11 (lower), in nats, as SymPy sums over the activities ``h[i]``.
* :func:`explicit_upper_bound` writes the bound for an explicit distance matrix, for limits (C41).
* :func:`mixture_entropy` integrates the entropy of a 1-D or 2-D equal-weight mixture numerically (trapezoid
  rule, spectrally accurate for Gaussians), the ground truth that the pairwise bounds must bracket (C40).

References
----------
.. [P] Saxe et al., "On the Information Bottleneck Theory of Deep Learning", ICLR 2018, App B.1, Eqs 7–12.
.. [KT17] Kolchinsky & Tracey, "Estimating mixture entropy with pairwise distances", Entropy 19 (2017) 361;
   arXiv:1706.02419v4, Eqs 6, 11–13.
"""

from __future__ import annotations

import functools
import math

import numpy as np
import sympy as sp

from theory.latex import Formula
from theory.validation import integer, positive_float, real_array, sympy_matrix, sympy_value

__all__ = [
    "Delta",
    "P",
    "bhattacharyya_distance",
    "explicit_upper_bound",
    "formulas",
    "h",
    "kl_divergence",
    "label_estimate_expr",
    "lower_bound_expr",
    "mixture_entropy",
    "upper_bound_expr",
]

#: Symbols: number of mixture components / inputs P, summation indices, noise standard deviation σ (σ² is the
#: noise variance), the activities h[i] of a one-unit layer (for d units, (h_i − h_j)² becomes ‖h_i − h_j‖²),
#: and the difference of two component means Δ = μ₁ − μ₂. Subscript-free so that the LaTeX export round-trips.
P = sp.Symbol("P", integer=True, positive=True)
i, j = sp.symbols("i j", integer=True, positive=True)
sigma = sp.Symbol("sigma", positive=True)
h = sp.IndexedBase("h")
Delta = sp.Symbol("Delta", real=True)
_x, _mu1, _mu2 = sp.symbols("x mu_1 mu_2", real=True)


def _gaussian(x: sp.Expr, mean: sp.Expr) -> sp.Expr:
    return sp.exp(-((x - mean) ** 2) / (2 * sigma**2)) / sp.sqrt(2 * sp.pi * sigma**2)


@functools.lru_cache(maxsize=1)
def kl_divergence() -> sp.Expr:
    r"""KL divergence between N(μ₁, σ²) and N(μ₂, σ²), derived: ``Δ² / (2σ²)`` nats with Δ = μ₁ − μ₂.

    :math:`\ln p/q` is linear in x, so its expectation under p is obtained by substituting :math:`E_p[x]=\mu_1`.

    Returns
    -------
    sympy.Expr
        In the module symbols ``Delta, sigma`` (nats).

    References
    ----------
    .. [KT17] Eq 16 (there for general covariances).
    """
    log_ratio = sp.expand(sp.expand_log(sp.log(_gaussian(_x, _mu1) / _gaussian(_x, _mu2)), force=True))
    if sp.degree(log_ratio, _x) > 1:  # pragma: no cover - guards the derivation's premise
        raise ArithmeticError("log p/q is not linear in x")
    return sp.factor(sp.expand(log_ratio.subs(_x, _mu1).subs(_mu1, _mu2 + Delta)))


@functools.lru_cache(maxsize=1)
def bhattacharyya_distance() -> sp.Expr:
    r"""Bhattacharyya distance :math:`-\ln\int\sqrt{pq}` between N(μ₁, σ²) and N(μ₂, σ²): ``Δ²/(8σ²)``.

    Completing the square, :math:`(x-\mu_1)^2+(x-\mu_2)^2=2(x-\bar\mu)^2+(\mu_1-\mu_2)^2/2`, leaves a Gaussian
    integral.

    Returns
    -------
    sympy.Expr
        In the module symbols ``Delta, sigma`` (nats).

    References
    ----------
    .. [KT17] Eq 15 with α = ½ (Chernoff-½ = Bhattacharyya).
    """
    u = sp.Symbol("u", real=True)
    mean = (_mu1 + _mu2) / 2
    exponent = -((_x - _mu1) ** 2 + (_x - _mu2) ** 2) / (4 * sigma**2)
    completed = -(2 * (_x - mean) ** 2 + (_mu1 - _mu2) ** 2 / 2) / (4 * sigma**2)
    if sp.simplify(exponent - completed) != 0:  # pragma: no cover - guards the algebra
        raise ArithmeticError("completing the square failed")
    gaussian_integral = sp.integrate(sp.exp(-(u**2) / (2 * sigma**2)), (u, -sp.oo, sp.oo))
    coefficient = sp.exp(-((_mu1 - _mu2) ** 2) / (8 * sigma**2)) / sp.sqrt(2 * sp.pi * sigma**2)
    distance = sp.expand_log(-sp.log(sp.simplify(coefficient * gaussian_integral)), force=True)
    return sp.factor(sp.expand(distance.subs(_mu1, _mu2 + Delta)))


def _pairwise_term(divergence: sp.Expr) -> sp.Expr:
    """−(1/P) Σ_i ln (1/P) Σ_j exp(−divergence(Δ = h_i − h_j))."""
    inner = sp.Sum(sp.exp(-divergence.subs(Delta, h[i] - h[j])), (j, 1, P)) / P
    return -sp.Sum(sp.log(inner), (i, 1, P)) / P


def upper_bound_expr() -> sp.Expr:
    r"""[P] Eq 7: the pairwise-KL upper bound on I(T;X) in nats, ``Ĥ_KL − H(T|X)``.

    .. math:: I(T;X)\le-\frac1P\sum_i\ln\frac1P\sum_je^{-D_{ij}/2\sigma^2}

    The exponent is the KL divergence of :func:`kl_divergence` with :math:`\Delta\to h_i-h_j` (one unit;
    for d units the squared difference is the squared Euclidean distance :math:`D_{ij}`).

    Returns
    -------
    sympy.Expr
        A double sum over the activities ``h[i]`` in the symbols ``P, sigma`` (nats).

    References
    ----------
    .. [P] Saxe et al., ICLR 2018, App B.1 Eq 7; [KT17] Eq 13.
    """
    return _pairwise_term(kl_divergence())


def lower_bound_expr() -> sp.Expr:
    r"""First term of [P] Eq 11: the Bhattacharyya lower bound on I(T;X) in nats, ``Ĥ_BD − H(T|X)``.

    .. math:: I(T;X)\ge-\frac1P\sum_i\ln\frac1P\sum_je^{-D_{ij}/8\sigma^2}

    Returns
    -------
    sympy.Expr
        A double sum over the activities ``h[i]`` (nats).

    References
    ----------
    .. [P] Saxe et al., ICLR 2018, App B.1 Eq 11; [KT17] Eq 12.
    """
    return _pairwise_term(bhattacharyya_distance())


def label_estimate_expr(n_classes: int) -> sp.Expr:
    r"""[P] Eqs 8–10 in nats: :math:`U-\sum_lp_lU_l` for `n_classes` classes.

    See estimate, not a bound: docs/choices.md#a8.

    ``U`` and ``U_l`` are symbols standing for the pairwise term of Eq 7 over all inputs and within class l;
    ``p_l`` are the class probabilities.

    Parameters
    ----------
    n_classes : int
        Number of classes L ≥ 1.

    Returns
    -------
    sympy.Expr

    References
    ----------
    .. [P] Saxe et al., ICLR 2018, App B.1 Eqs 8–12; docs/choices.md#a8.
    """
    n_classes = integer("n_classes", n_classes, minimum=1, maximum=10_000)
    U = sp.Symbol("U")
    return U - sum(sp.Symbol(f"p_{l}") * sp.Symbol(f"U_{l}") for l in range(1, n_classes + 1))


def explicit_upper_bound(distances: sp.Matrix, noise_variance: sp.Expr) -> sp.Expr:
    """Eq 7 (nats) for an explicit symmetric matrix of squared distances with zero diagonal.

    Parameters
    ----------
    distances : sympy.Matrix, shape (P, P)
        Squared distances ‖h_i − h_j‖² (symbols allowed).
    noise_variance : sympy.Expr
        σ².

    Returns
    -------
    sympy.Expr
        The bound in nats; e.g. its limit σ² → ∞ is 0 and σ² → 0 with positive off-diagonal distances is ln P (C41).
    """
    distances = sympy_matrix("distances", distances)
    noise_variance = sympy_value("noise_variance", noise_variance)
    n = distances.rows
    if distances.shape != (n, n) or any(distances[k, k] != 0 for k in range(n)):
        raise ValueError(
            f"distances must be a non-empty square matrix with a zero diagonal, got shape {distances.shape}"
        )
    if noise_variance.is_positive is False:
        raise ValueError(f"noise_variance must be positive, got {noise_variance}")
    return (
        -sum(sp.log(sum(sp.exp(-distances[a, b] / (2 * noise_variance)) for b in range(n)) / n) for a in range(n)) / n
    )


def mixture_entropy(centers: np.ndarray, variance: float, spacing: float = 0.25) -> float:
    r"""Differential entropy, in bits, of ``(1/P) Σ_i N(μ_i, σ² I_d)`` by numerical integration (d = 1 or 2).

    The integrand :math:`-p\log_2p` is summed with the trapezoid rule on a grid of step ``spacing · σ`` per
    axis, over a box reaching 12 σ beyond the outermost centres. For integrands built from Gaussians of width
    σ the trapezoid rule converges spectrally: its error is of order :math:`e^{-2\pi^2/\text{spacing}^2}`
    (< 1e-100 for the default 0.25), so the result is exact to rounding (checked against adaptive quadrature
    to 1e-12 bits); the mass beyond 12 σ is below 1e-30.

    Parameters
    ----------
    centers : array_like, shape (P, d), d ∈ {1, 2}
        Component means.
    variance : float
        Component variance σ² > 0.
    spacing : float
        Grid step in units of σ (≤ 0.5).

    Returns
    -------
    float
        H(X) in **bits**.

    References
    ----------
    .. [KT17] §2 (the quantity the pairwise estimators bound); docs/claims.md#c40.
    """
    centers = real_array("centers", centers, ndim=2)
    if centers.shape[1] not in (1, 2) or centers.shape[0] < 1:
        raise ValueError(f"centers must have shape (P, 1) or (P, 2), got {centers.shape}")
    variance = positive_float("variance", variance)
    spacing = positive_float("spacing", spacing, maximum=0.5)
    sd = math.sqrt(variance)
    axes = []
    for k in range(centers.shape[1]):
        lo, hi = centers[:, k].min() - 12 * sd, centers[:, k].max() + 12 * sd
        n = math.ceil((hi - lo) / (spacing * sd)) + 1
        if n > 20_000:
            raise ValueError("centers are too far apart relative to sqrt(variance) for the integration grid")
        axes.append(np.linspace(lo, hi, n))
    grid = np.meshgrid(*axes, indexing="ij")
    density = np.zeros_like(grid[0])
    for mu in centers:
        density += np.exp(-sum((g - m) ** 2 for g, m in zip(grid, mu)) / (2 * variance))
    density /= len(centers) * (2 * math.pi * variance) ** (centers.shape[1] / 2)
    safe = np.where(density > 0, density, 1.0)
    integrand = -density * np.log2(safe)
    for axis in reversed(axes):
        integrand = np.trapezoid(integrand, axis, axis=-1)
    return float(integrand)


def formulas() -> list[Formula]:
    """The KDE formulas for LaTeX export: the two divergences and the two I(T;X) bounds (Eqs 7, 11).

    Returns
    -------
    list of Formula
    """
    return [
        Formula(
            "kde.kl_divergence",
            "KL divergence between homoscedastic Gaussians (nats)",
            r"\mathrm{KL}(p_1\Vert p_2)",
            kl_divergence(),
            None,
            "[KT17] Eq 16, derived here",
        ),
        Formula(
            "kde.bhattacharyya",
            "Bhattacharyya distance between homoscedastic Gaussians (nats)",
            r"\mathrm{BD}(p_1\Vert p_2)",
            bhattacharyya_distance(),
            None,
            "[KT17] Eq 15 (alpha = 1/2)",
        ),
        Formula(
            "kde.upper_bound",
            "Pairwise-KL upper bound on I(T;X), nats",
            r"I(T;X)\le",
            upper_bound_expr(),
            "7",
            "[P] Eq 7; [KT17] Eq 13",
        ),
        Formula(
            "kde.lower_bound",
            "Bhattacharyya lower bound on I(T;X), nats",
            r"I(T;X)\ge",
            lower_bound_expr(),
            "11",
            "[P] Eq 11 (first term); [KT17] Eq 12",
        ),
    ]
