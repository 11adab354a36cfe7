r"""Generalization and training error of a linear student under gradient flow.

See Advani & Saxe 2017; docs/formulas.md#s3-7.

Setting: a single-layer student :math:`\hat y=w^\top x`, :math:`x\in\mathbb R^N` with entries
:math:`\mathcal N(0,1/N)`, teacher :math:`y=\bar w^\top x+\epsilon` with :math:`\bar w_i\sim\mathcal N(0,\sigma_w^2)`,
:math:`\epsilon\sim\mathcal N(0,\sigma_\epsilon^2)`, initial weights :math:`w(0)_i\sim\mathcal N(0,\sigma_0^2)`,
load :math:`\alpha=P/N`, gradient flow :math:`\tau\dot w=-\nabla_w\tfrac12\sum_\mu(y^\mu-w^\top x^\mu)^2`. In the
large-N limit the eigenvalues of :math:`XX^\top` follow the Marchenko–Pastur law and

.. math::
   E_g(t)=\int\rho_{MP}(\lambda)\Big[(\sigma_w^2+\sigma_0^2)e^{-2\lambda t/\tau}
          +\frac{\sigma_\epsilon^2}{\lambda}\big(1-e^{-\lambda t/\tau}\big)^2\Big]d\lambda+\sigma_\epsilon^2,

.. math::
   E_t(t)=\frac1\alpha\int_{\lambda>0}\rho_{MP}(\lambda)\big(\sigma_\epsilon^2+\lambda(\sigma_w^2+\sigma_0^2)\big)
          e^{-2\lambda t/\tau}d\lambda+\sigma_\epsilon^2\big(1-\tfrac1\alpha\big)\mathbf 1[\alpha>1].

Numerics: with :math:`\lambda=(1+\alpha)-2\sqrt\alpha\cos\varphi`, :math:`\varphi\in[0,\pi]`, the bulk integral
becomes :math:`\int_0^\pi\frac{2\alpha\sin^2\varphi}{\pi\lambda}f(\lambda)\,d\varphi`, whose integrand is smooth
even at α = 1 (the :math:`1/\sqrt\lambda` edge singularity cancels). A fixed Gauss–Legendre rule of
:data:`QUADRATURE_NODES` nodes on that interval, vectorised over t, is exact to ~1e-10 against adaptive
quadrature (tested) and evaluates 10³ times in a few milliseconds. All errors are mean squared errors in the
units of :math:`y^2` (per output).

References
----------
.. [AS17] Advani & Saxe, "High-dimensional dynamics of generalization error in neural networks",
   arXiv:1710.03667 (2017). The formulas are derived in docs/formulas.md#s3-7 consistently with that setting.
.. [MP67] Marchenko & Pastur, "Distribution of eigenvalues for some sets of random matrices", Mat. Sb. (1967).
.. [P] Saxe et al., ICLR 2018, §3 (C30) and Figs 3–4.
"""

from __future__ import annotations

import functools

import mpmath
import numpy as np
import sympy as sp
from scipy import optimize

from theory.marchenko_pastur import (
    QUADRATURE_NODES,
    inverse_eigenvalue_mean,
    marchenko_pastur_density,
    mp_expectation,
)
from theory.validation import non_negative_number, positive_number, times

__all__ = [
    "QUADRATURE_NODES",
    "asymptotic_generalization_error",
    "asymptotic_training_error",
    "generalization_error",
    "inverse_eigenvalue_mean",
    "marchenko_pastur_density",
    "mode_decay",
    "mp_expectation",
    "optimal_stopping_time",
    "training_error",
]


# ----------------------------------------------------------------------------------------------- validation
def _positive(value: float, name: str) -> float:
    return positive_number(name, value)


def _non_negative(value: float, name: str) -> float:
    return non_negative_number(name, value)


def _times(t: np.ndarray) -> np.ndarray:
    return times("t", t)


def _variance_scale(*variances: float) -> float:
    """A common scale of the variances: the errors are linear in them, so they are evaluated in units of it.

    Evaluating with variances of order 1 keeps every intermediate finite for variances up to the float range
    (σ_w² = 1e308 would overflow in the integrand otherwise); the result is multiplied back by the scale.
    """
    scale = max(variances)
    return scale if scale > 0 else 1.0


def _finite_result(value: np.ndarray, quantity: str) -> np.ndarray:
    if not np.all(np.isfinite(value)):
        raise ValueError(
            f"{quantity} exceeds the float64 range for these variances (sigma_w2, sigma_eps2, sigma_02); "
            "pass them in smaller units (the errors scale linearly with them)"
        )
    return value


# ------------------------------------------------------------------------------------------------ E_g, E_t
def mode_decay(alpha: float, step: float | None = None):
    r"""The factor by which a mode of eigenvalue λ has relaxed after time s (units of τ), as a callable ``(λ, s)``.

    :math:`e^{-\lambda s}` for gradient flow (``step=None``); :math:`(1-\eta\lambda)^{s/\eta}` for full-batch gradient
    descent with step η (units of τ), which needs :math:`\eta\lambda_+<1`, :math:`\lambda_+=(1+\sqrt\alpha)^2`.

    Examples
    --------
    >>> float(mode_decay(2.0)(1.0, 2.0)) == float(np.exp(-2.0))
    True
    """
    alpha = _positive(alpha, "alpha")
    if step is None:
        return lambda lam, s: np.exp(-lam * s)
    step = _positive(step, "step")
    edge = (1 + np.sqrt(alpha)) ** 2
    if step * edge >= 1:
        raise ValueError(f"step must satisfy step*(1+sqrt(alpha))^2 < 1, i.e. step < {1 / edge:.6g}, got {step}")
    return lambda lam, s: np.exp(s / step * np.log1p(-step * lam))


def _check_common(alpha, sigma_w2, sigma_eps2, sigma_02, tau) -> tuple[float, float, float, float, float]:
    return (
        _positive(alpha, "alpha"),
        _non_negative(sigma_w2, "sigma_w2"),
        _non_negative(sigma_eps2, "sigma_eps2"),
        _non_negative(sigma_02, "sigma_02"),
        _positive(tau, "tau"),
    )


def generalization_error(
    t: np.ndarray,
    alpha: float,
    sigma_w2: float,
    sigma_eps2: float,
    sigma_02: float = 0.0,
    tau: float = 1.0,
    step: float | None = None,
) -> np.ndarray:
    r"""Generalization error :math:`E_g(t)` of the linear student under gradient flow ([AS17]; docs/formulas.md#s3-7).

    Parameters
    ----------
    t : array_like
        Times ≥ 0 (units of τ; with the summed squared-error loss, t = learning rate × number of full-batch steps).
    alpha : float
        Load α = P/N > 0.
    sigma_w2 : float
        Teacher weight variance σ_w² ≥ 0 (SNR = σ_w²/σ_ε²).
    sigma_eps2 : float
        Label-noise variance σ_ε² ≥ 0.
    sigma_02 : float, default 0
        Initial student weight variance σ_0² ≥ 0.
    tau : float, default 1
        Time constant.
    step : float or None, default None
        None for gradient flow. A step size η (in units of τ) gives the exact large-N curve of *discrete*
        full-batch gradient descent, whose mode factor is :math:`(1-\eta\lambda)^{t/\eta}` instead of
        :math:`e^{-\lambda t}`; it needs :math:`\eta\lambda_+<1`, :math:`\lambda_+=(1+\sqrt\alpha)^2`.

    Returns
    -------
    numpy.ndarray
        :math:`E_g(t)=\mathbb E(y-\hat y)^2` on a fresh example (units of y²), shape of `t`. Includes the
        irreducible :math:`\sigma_\epsilon^2` and, for α < 1, the frozen :math:`(1-\alpha)(\sigma_w^2+\sigma_0^2)`.

    Raises
    ------
    ValueError
        If α ≤ 0, τ ≤ 0, a variance is negative, or t is negative or non-finite.

    References
    ----------
    .. [AS17] Advani & Saxe (2017); docs/formulas.md#s3-7.

    Examples
    --------
    >>> round(float(generalization_error(0.0, alpha=2.0, sigma_w2=1.0, sigma_eps2=1.0)), 9)  # σ_w² + σ_ε²
    2.0
    """
    alpha, sigma_w2, sigma_eps2, sigma_02, tau = _check_common(alpha, sigma_w2, sigma_eps2, sigma_02, tau)
    t = _times(t)
    s = (t / tau).reshape(-1, 1)
    scale = _variance_scale(sigma_w2, sigma_eps2, sigma_02)
    prior = sigma_w2 / scale + sigma_02 / scale
    noise = sigma_eps2 / scale
    decay_of = mode_decay(alpha, step)

    def integrand(lam: np.ndarray) -> np.ndarray:
        decay = decay_of(lam, s)
        return prior * decay * decay + noise / lam * (1.0 - decay) ** 2

    bulk = mp_expectation(integrand, alpha)
    atom = max(1.0 - alpha, 0.0) * prior
    with np.errstate(over="ignore"):
        value = scale * (bulk + atom + noise)
    return _finite_result(value, "E_g(t)").reshape(t.shape)


def training_error(
    t: np.ndarray,
    alpha: float,
    sigma_w2: float,
    sigma_eps2: float,
    sigma_02: float = 0.0,
    tau: float = 1.0,
    step: float | None = None,
) -> np.ndarray:
    r"""Training error :math:`E_t(t)=\frac1P\sum_\mu(y^\mu-\hat y^\mu)^2` under gradient flow ([AS17]; §3.7).

    Parameters
    ----------
    t, alpha, sigma_w2, sigma_eps2, sigma_02, tau, step
        As in :func:`generalization_error`.

    Returns
    -------
    numpy.ndarray
        :math:`E_t(t)` (units of y²), shape of `t`; it decreases to :math:`\sigma_\epsilon^2(1-1/\alpha)` for
        α > 1 and to 0 for α ≤ 1.

    References
    ----------
    .. [AS17] Advani & Saxe, arXiv:1710.03667 (2017); formulas derived in docs/formulas.md#s3-7.

    Examples
    --------
    >>> round(float(training_error(0.0, alpha=0.5, sigma_w2=1.0, sigma_eps2=1.0)), 9)
    2.0
    """
    alpha, sigma_w2, sigma_eps2, sigma_02, tau = _check_common(alpha, sigma_w2, sigma_eps2, sigma_02, tau)
    t = _times(t)
    s = (t / tau).reshape(-1, 1)
    scale = _variance_scale(sigma_w2, sigma_eps2, sigma_02)
    prior = sigma_w2 / scale + sigma_02 / scale
    noise = sigma_eps2 / scale
    decay_of = mode_decay(alpha, step)
    bulk = mp_expectation(lambda lam: (noise + lam * prior) * decay_of(lam, s) ** 2, alpha)
    floor = noise * (1.0 - 1.0 / alpha) if alpha > 1 else 0.0
    with np.errstate(over="ignore"):
        value = scale * (bulk / alpha + floor)
    return _finite_result(value, "E_t(t)").reshape(t.shape)


def asymptotic_generalization_error(alpha: float, sigma_w2: float, sigma_eps2: float, sigma_02: float = 0.0) -> float:
    r""":math:`E_g(\infty)=\sigma_\epsilon^2[1+\int\rho/\lambda]+(1-\alpha)(\sigma_w^2+\sigma_0^2)\mathbf 1[\alpha<1]`.

    Diverges (returns ``inf``) at α = 1 when σ_ε² > 0: overtraining is worst when P = N (C30).

    References
    ----------
    .. [AS17] Advani & Saxe, arXiv:1710.03667 (2017); formulas derived in docs/formulas.md#s3-7.

    Examples
    --------
    >>> asymptotic_generalization_error(2.0, 1.0, 1.0)
    2.0
    >>> asymptotic_generalization_error(1.0, 1.0, 1.0)
    inf
    """
    alpha, sigma_w2, sigma_eps2, sigma_02, _ = _check_common(alpha, sigma_w2, sigma_eps2, sigma_02, 1.0)
    if sigma_eps2 > 0 and alpha == 1.0:
        return float("inf")  # the documented divergence at P = N, not an overflow
    scale = _variance_scale(sigma_w2, sigma_eps2, sigma_02)
    frozen = (1.0 - alpha) * (sigma_w2 / scale + sigma_02 / scale) if alpha < 1 else 0.0
    noise = sigma_eps2 / scale
    value = noise + frozen if noise == 0.0 else noise * (1.0 + inverse_eigenvalue_mean(alpha)) + frozen
    with np.errstate(over="ignore"):
        return float(_finite_result(np.asarray(scale * value), "E_g(infinity)"))


def asymptotic_training_error(alpha: float, sigma_eps2: float) -> float:
    r""":math:`E_t(\infty)=\sigma_\epsilon^2(1-1/\alpha)` for α > 1, else 0 (docs/formulas.md#s3-7)."""
    alpha, sigma_eps2 = _positive(alpha, "alpha"), _non_negative(sigma_eps2, "sigma_eps2")
    return sigma_eps2 * (1.0 - 1.0 / alpha) if alpha > 1 else 0.0


def optimal_stopping_time(
    alpha: float, sigma_w2: float, sigma_eps2: float, sigma_02: float = 0.0, tau: float = 1.0
) -> tuple[float, float]:
    r"""Time :math:`t^\ast` of the minimum of :math:`E_g(t)` (optimal early stopping) and :math:`E_g(t^\ast)`.

    Found by a log-spaced scan of 400 times over :math:`[10^{-3},10^{5}]\tau` followed by a bounded Brent
    refinement in log t. If E_g is non-increasing over the whole scan (no overtraining, e.g. σ_ε² = 0) the
    last scanned time is returned.

    Parameters
    ----------
    alpha, sigma_w2, sigma_eps2, sigma_02, tau
        As in :func:`generalization_error`.

    Returns
    -------
    t_star : float
        The optimal stopping time (units of τ); it grows with the SNR σ_w²/σ_ε² ([AS17]).
    E_min : float
        :math:`E_g(t^\ast)`.

    References
    ----------
    .. [AS17] Advani & Saxe, arXiv:1710.03667 (2017); formulas derived in docs/formulas.md#s3-7.
    """
    alpha, sigma_w2, sigma_eps2, sigma_02, tau = _check_common(alpha, sigma_w2, sigma_eps2, sigma_02, tau)
    if sigma_w2 == 0:
        raise ValueError(
            "sigma_w2 must be > 0 for an optimal stopping time (with no teacher signal E_g is least at t = 0)"
        )
    grid = tau * np.logspace(-3, 5, 400)
    values = generalization_error(grid, alpha, sigma_w2, sigma_eps2, sigma_02, tau)
    k = int(np.argmin(values))
    if k in (0, grid.size - 1):
        return float(grid[k]), float(values[k])
    lo, hi = np.log(grid[k - 1]), np.log(grid[k + 1])
    res = optimize.minimize_scalar(
        lambda v: float(generalization_error(np.exp(v), alpha, sigma_w2, sigma_eps2, sigma_02, tau)),
        bounds=(lo, hi),
        method="bounded",
        options={"xatol": 1e-10},
    )
    return float(np.exp(res.x)), float(res.fun)


# -------------------------------------------------------------------------------------------------- LaTeX
def formulas():
    """Formulas of this module for LaTeX export (:mod:`theory.latex`): the MP density, E_g(t), E_t(t), E_g(∞).

    E_g(t), E_t(t) and E_g(∞) are the results of :func:`derivations` (integrals over the Marchenko–Pastur bulk
    plus the atom at 0); the per-mode integrands are exported too.

    References
    ----------
    .. [AS17] Advani & Saxe, arXiv:1710.03667 (2017); formulas derived in docs/formulas.md#s3-7.
    """
    from theory.latex import Formula

    S = DERIVATION_SYMBOLS
    lam, t, tau = S["lambda"], S["t"], S["tau"]
    sw, se, s0 = S["sigma_w"], S["sigma_epsilon"], S["sigma_0"]
    decay = sp.exp(-lam * t / tau)
    src = "[AS17] setting, derived in docs/formulas.md#s3-7"
    return [
        Formula(
            "generalization.marchenko_pastur",
            "Marchenko–Pastur density of the eigenvalues of $XX^\\top$ (entries of variance $1/N$), bulk part",
            r"\rho_{MP}(\lambda)",
            marchenko_pastur_expr(),
            None,
            "[MP67]; docs/formulas.md#s3-7",
        ),
        Formula(
            "generalization.eg_integrand",
            "Expected error of one eigenmode of eigenvalue $\\lambda$ (the integrand of $E_g$)",
            r"\mathbb{E}\,\tilde z_k(t)^2",
            (sw**2 + s0**2) * decay**2 + se**2 / lam * (1 - decay) ** 2,
            None,
            src,
        ),
        Formula(
            "generalization.generalization_error",
            "Generalization error of the linear student under gradient flow, load $\\alpha = P/N$",
            "E_g(t)",
            generalization_derivation().result,
            None,
            src,
        ),
        Formula(
            "generalization.training_error",
            "Training error of the linear student under gradient flow",
            "E_t(t)",
            training_error_derivation().result,
            None,
            src,
        ),
        Formula(
            "generalization.eg_infinity_overcomplete",
            "Generalization error after infinite training, $\\alpha > 1$ (diverges as $\\alpha \\to 1$)",
            r"E_g(\infty)",
            asymptotic_generalization_derivation().result,
            None,
            src + " (C30)",
        ),
    ]


# ------------------------------------------------------------------------------------------------ derivations
#: Symbols of the derivations (variances written as squares of positive standard deviations).
DERIVATION_SYMBOLS = {
    "t": sp.Symbol("t", nonnegative=True),
    "tau": sp.Symbol("tau", positive=True),
    "lambda": sp.Symbol("lambda", positive=True),
    "alpha": sp.Symbol("alpha", positive=True),
    "sigma_w": sp.Symbol("sigma_w", positive=True),
    "sigma_epsilon": sp.Symbol("sigma_epsilon", positive=True),
    "sigma_0": sp.Symbol("sigma_0", positive=True),
}


def marchenko_pastur_expr() -> sp.Expr:
    r"""SymPy :math:`\rho_{MP}(\lambda)=\sqrt{(\lambda_+-\lambda)(\lambda-\lambda_-)}/(2\pi\lambda)`, bulk part."""
    lam, alpha = DERIVATION_SYMBOLS["lambda"], DERIVATION_SYMBOLS["alpha"]
    lo, hi = (1 - sp.sqrt(alpha)) ** 2, (1 + sp.sqrt(alpha)) ** 2
    return sp.sqrt((hi - lam) * (lam - lo)) / (2 * sp.pi * lam)


def _mp_edges() -> tuple[sp.Expr, sp.Expr]:
    alpha = DERIVATION_SYMBOLS["alpha"]
    return (1 - sp.sqrt(alpha)) ** 2, (1 + sp.sqrt(alpha)) ** 2


def _explicit_gradient_check(_previous: sp.Basic, _new: sp.Basic) -> bool:
    """-∇_w ½‖y − Xᵀw‖² = X(y − Xᵀw), by SymPy differentiation on an explicit N = 2, P = 3 problem."""
    N, P = 2, 3
    X = sp.Matrix(N, P, sp.symbols(f"x0:{N * P}", real=True))
    y = sp.Matrix(P, 1, sp.symbols(f"y0:{P}", real=True))
    w = sp.Matrix(N, 1, sp.symbols(f"u0:{N}", real=True))
    loss = ((y - X.T * w).T * (y - X.T * w))[0] / 2
    minus_grad = sp.Matrix([-sp.diff(loss, wi) for wi in w])
    return sp.simplify(minus_grad - X * (y - X.T * w)) == sp.zeros(N, 1)


def _explicit_error_check(_previous: sp.Basic = None, _new: sp.Basic = None) -> bool:
    """X(y − Xᵀw) = −XXᵀz + Xε for y = Xᵀw̄ + ε and z = w − w̄, on an explicit N = 2, P = 3 problem."""
    N, P = 2, 3
    X = sp.Matrix(N, P, sp.symbols(f"x0:{N * P}", real=True))
    wbar = sp.Matrix(N, 1, sp.symbols(f"b0:{N}", real=True))
    z = sp.Matrix(N, 1, sp.symbols(f"z0:{N}", real=True))
    eps = sp.Matrix(P, 1, sp.symbols(f"e0:{P}", real=True))
    y, w = X.T * wbar + eps, z + wbar
    return sp.simplify(X * (y - X.T * w) - (-X * X.T * z + X * eps)) == sp.zeros(N, 1)


def _eigenbasis_check(_previous: sp.Basic, _new: sp.Basic) -> bool:
    """Vᵀ(−XXᵀz + Xε) = −Λ Vᵀz + VᵀXε at random X (N = 3, P = 5), z, ε, to 1e-12."""
    rng = np.random.default_rng(7)
    X = rng.normal(size=(3, 5)) / np.sqrt(3)
    lam, V = np.linalg.eigh(X @ X.T)
    z, eps = rng.normal(size=3), rng.normal(size=5)
    left = V.T @ (-X @ X.T @ z + X @ eps)
    right = -lam * (V.T @ z) + V.T @ X @ eps
    return bool(np.max(np.abs(left - right)) < 1e-12 * (1 + np.max(np.abs(left))))


def _mode_solution_check(_previous: sp.Basic, new: sp.Basic) -> bool:
    """SymPy's dsolve of τ z' = −λ z + ε̃ with z(0) = z₀ equals the stated solution."""
    t, tau, lam = (DERIVATION_SYMBOLS[k] for k in ("t", "tau", "lambda"))
    z0, et = sp.Symbol("z_0", real=True), sp.Symbol("epsilon_k", real=True)
    f = sp.Function("z")
    solution = sp.dsolve(sp.Eq(tau * f(t).diff(t), -lam * f(t) + et), f(t), ics={f(0): z0}).rhs
    return sp.simplify(solution - new) == 0


def _mode_expectation(residual: sp.Expr, variances: dict) -> sp.Expr:
    """E[residual²] for independent centred Gaussians with the given variances (expanded by linearity)."""
    expanded = sp.expand(residual**2)
    poly = sp.Poly(expanded, *variances)
    total = sp.S.Zero
    for powers, coefficient in poly.terms():
        term = coefficient
        for (_symbol, var), k in zip(variances.items(), powers, strict=True):
            if k % 2:
                term = 0  # odd moments of a centred Gaussian vanish (independent factors)
                break
            term *= {0: 1, 2: var, 4: 3 * var**2}[k]
        total += term
    return total


@functools.cache
def generalization_derivation():
    r"""Derive :math:`E_g(t)` of the linear student under gradient flow ([AS17]; docs/formulas.md#s3-7), step by step.

    From gradient flow on the summed squared error to the eigenmode ODEs, their solution (SymPy ``dsolve``), the
    mode-wise expected error, and its Marchenko–Pastur average. The result is the curve
    :func:`generalization_error` evaluates (the tests compare them at random points).
    """
    from theory.derivation import DerivationBuilder, shown

    S = DERIVATION_SYMBOLS
    t, tau, lam, alpha = S["t"], S["tau"], S["lambda"], S["alpha"]
    sw, se, s0 = S["sigma_w"], S["sigma_epsilon"], S["sigma_0"]
    z0, ek = sp.Symbol("z_0", real=True), sp.Symbol("epsilon_k", real=True)
    decay = sp.exp(-lam * t / tau)
    N, P = sp.symbols("N P", integer=True, positive=True)
    Xm, yv, wv, ev = (
        sp.MatrixSymbol("X", N, P),
        sp.MatrixSymbol("y", P, 1),
        sp.MatrixSymbol("w", N, 1),
        sp.MatrixSymbol(r"\epsilon", P, 1),
    )
    zv = sp.MatrixSymbol("z", N, 1)
    mode = z0 * decay + ek / lam * (1 - decay)
    mode_error = (sw**2 + s0**2) * decay**2 + se**2 / lam * (1 - decay) ** 2
    lo, hi = _mp_edges()
    E_g = (
        sp.Integral(marchenko_pastur_expr() * mode_error, (lam, lo, hi))
        + sp.Max(0, 1 - alpha) * (sw**2 + s0**2)
        + se**2
    )
    gradient = shown("grad_loss", r"\nabla_{w}\tfrac{1}{2}\lVert y - X^\top w\rVert^2")
    z_mode = shown("z_tilde_k", r"\tilde{z}_k")

    def expectation_check(previous: sp.Basic, new: sp.Basic) -> bool:
        # z̃_k(0) ~ N(0, σ_w² + σ_0²) (teacher and initial weights, isotropic) and ε̃_k = v_kᵀXε ~ N(0, λσ_ε²)
        # are independent and centred
        expected = _mode_expectation(mode, {z0: sw**2 + s0**2, ek: lam * se**2})
        return sp.simplify(expected - new) == 0

    def mp_average_check(_previous: sp.Basic, _new: sp.Basic) -> bool:
        # (1/N) Σ_k → ∫ρ_MP dλ + (1 − α)⁺ δ(λ): the bulk has mass min(α, 1) and the atom's mode keeps its
        # initial error (the λ → 0 limit of the mode error); checked for α = 0.5, 2, 3.7 to 1e-12 (mpmath)
        at_zero = sp.limit(mode_error, lam, 0, "+") == sw**2 + s0**2
        rho = sp.lambdify((lam, alpha), marchenko_pastur_expr(), "mpmath")
        masses = []
        for a in (0.5, 2.0, 3.7):
            lo_a, hi_a = (1 - mpmath.sqrt(a)) ** 2, (1 + mpmath.sqrt(a)) ** 2
            with mpmath.workdps(30):
                masses.append(abs(mpmath.quad(lambda x: rho(x, a), [lo_a, hi_a]) - min(a, 1.0)) < 1e-12)  # noqa: B023
        return bool(at_zero and all(masses))

    return (
        DerivationBuilder(
            "generalization.generalization_error",
            "Linear student under gradient flow: the generalization error $E_g(t)$",
            None,
            "[AS17] (Advani & Saxe 2017); derived in docs/formulas.md#s3-7",
        )
        .define(
            r"\tau \dot{w}",
            -gradient,
            "definition: gradient flow on the summed squared error, $x^\\mu$ the columns of $X$ ($N \\times P$)",
        )
        .step(
            r"\tau \dot{w}",
            Xm * (yv - Xm.T * wv),
            "differentiate the quadratic loss",
            verify=(_explicit_gradient_check, "SymPy differentiation on explicit N = 2, P = 3 matrices"),
        )
        .step(
            r"\tau \dot{z}",
            -Xm * Xm.T * zv + Xm * ev,
            "teacher $y = X^\\top\\bar w + \\epsilon$ and error $z = w - \\bar w$",
            verify=(_explicit_error_check, "SymPy substitution on explicit N = 2, P = 3 matrices"),
        )
        .step(
            r"\tau \dot{\tilde z}_k",
            -lam * z_mode + ek,
            "eigenbasis $XX^\\top = V\\Lambda V^\\top$, $\\tilde z = V^\\top z$, "
            "$\\epsilon_k = (V^\\top X\\epsilon)_k$: the modes decouple",
            verify=(_eigenbasis_check, "numeric: at random X (N = 3, P = 5), z and epsilon, to 1e-12"),
        )
        .step(
            r"\tilde z_k(t)",
            mode,
            "solve the linear ODE with $\\tilde z_k(0) = z_0$ (SymPy dsolve)",
            verify=(_mode_solution_check, "symbolic: SymPy dsolve with the initial condition"),
        )
        .step(
            r"\mathbb{E}\,\tilde z_k(t)^2",
            mode_error,
            "$z_0 \\sim N(0, \\sigma_w^2 + \\sigma_0^2)$ and $\\epsilon_k \\sim N(0, \\lambda\\sigma_\\epsilon^2)$, "
            "independent and centred",
            verify=(expectation_check, "symbolic: Gaussian moments by linearity"),
        )
        .step(
            "E_g(t)",
            E_g,
            "a fresh $x \\sim N(0, I/N)$ gives $E_g = \\lVert z\\rVert^2/N + \\sigma_\\epsilon^2$; as $N \\to \\infty$ "
            "with $\\alpha = P/N$ the eigenvalues of $XX^\\top$ follow Marchenko–Pastur, plus an atom "
            "$(1 - \\alpha)^+$ at 0",
            verify=(
                mp_average_check,
                "numeric: the MP bulk has mass min(alpha, 1) (mpmath, alpha = 0.5, 2, 3.7, to 1e-12) and the "
                "lambda -> 0 mode error is sigma_w^2 + sigma_0^2 (SymPy limit) [MP67]",
            ),
        )
        .build()
    )


@functools.cache
def training_error_derivation():
    r"""Derive :math:`E_t(t)` of the linear student under gradient flow ([AS17]; docs/formulas.md#s3-7).

    The training residual :math:`r=y-X^\top w=\epsilon-X^\top z` in the singular basis of :math:`X`: the
    :math:`P-N` directions outside the range of :math:`X^\top` (α > 1) keep their noise; mode k has residual
    :math:`e^{-\lambda t/\tau}(\epsilon'_k-\sqrt\lambda z_0)`. The result is the curve :func:`training_error`
    evaluates.
    """
    from theory.derivation import DerivationBuilder, shown

    S = DERIVATION_SYMBOLS
    t, tau, lam, alpha = S["t"], S["tau"], S["lambda"], S["alpha"]
    sw, se, s0 = S["sigma_w"], S["sigma_epsilon"], S["sigma_0"]
    z0, ep = sp.Symbol("z_0", real=True), shown("epsilon_prime_k", r"\epsilon'_k", real=True)
    decay = sp.exp(-lam * t / tau)
    # the mode solution of generalization_derivation with ε̃_k = √λ ε'_k (ε'_k = u_kᵀε, the left singular basis)
    solution = z0 * decay + sp.sqrt(lam) * ep / lam * (1 - decay)
    residual = ep - sp.sqrt(lam) * solution
    mode_residual = decay * (ep - sp.sqrt(lam) * z0)
    mode_error = (se**2 + lam * (sw**2 + s0**2)) * decay**2
    lo, hi = _mp_edges()
    E_t = sp.Integral(marchenko_pastur_expr() * mode_error, (lam, lo, hi)) / alpha + se**2 * sp.Max(0, 1 - 1 / alpha)

    def expectation(_previous: sp.Basic, new: sp.Basic) -> bool:
        expected = _mode_expectation(mode_residual, {z0: sw**2 + s0**2, ep: se**2})
        return sp.simplify(expected - new) == 0

    def average(_previous: sp.Basic, new: sp.Basic) -> bool:
        # (1/P) Σ over the N modes = (1/α) × the MP average; the P − N directions outside the range of Xᵀ
        # (α > 1) keep σ_ε²: (P − N)/P = 1 − 1/α. Checked at t = 0, where the training error is computed
        # directly, E (1/P)‖ε − Xᵀz(0)‖² = σ_ε² + (σ_w² + σ_0²), for α = 0.5, 2, 3.7 (mpmath, to 1e-12).
        values = {sw: sp.Float("0.7", 30), se: sp.Float("1.3", 30), s0: sp.Float("0.4", 30), t: 0, tau: 1}
        direct = se**2 + sw**2 + s0**2
        for a in ("0.5", "2", "3.7"):
            at_zero = sp.N(new.xreplace({**values, alpha: sp.Float(a, 30)}), 30)
            if abs(at_zero - direct.xreplace(values)) > 1e-12:
                return False
        return True

    return (
        DerivationBuilder(
            "generalization.training_error",
            "Linear student under gradient flow: the training error $E_t(t)$",
            None,
            "[AS17]; derived in docs/formulas.md#s3-7",
        )
        .define(
            "r_k",
            residual,
            "the residual of mode $k$, from the mode solution with $\\epsilon_k = \\sqrt{\\lambda}\\,\\epsilon'_k$",
        )
        .step("r_k", mode_residual, "the noise that the mode has fitted cancels", transform=None)
        .step(
            r"\mathbb{E}\,r_k^2",
            mode_error,
            "$z_0 \\sim N(0, \\sigma_w^2 + \\sigma_0^2)$, $\\epsilon'_k \\sim N(0, \\sigma_\\epsilon^2)$ independent",
            verify=(expectation, "symbolic: Gaussian moments by linearity"),
        )
        .step(
            "E_t(t)",
            E_t,
            "$E_t = \\frac1P\\lVert r\\rVert^2$: $N$ modes, averaged over Marchenko–Pastur ($N/P = 1/\\alpha$), and "
            "$P - N$ directions outside the range of $X^\\top$ that keep their noise ($\\alpha > 1$)",
            verify=(
                average,
                "numeric: at t = 0 it equals the directly computed sigma_epsilon^2 + sigma_w^2 + sigma_0^2 "
                "(mpmath, alpha = 0.5, 2, 3.7, to 1e-12)",
            ),
        )
        .build()
    )


@functools.cache
def asymptotic_generalization_derivation():
    r"""Derive :math:`E_g(\infty)=\sigma_\epsilon^2(1+\frac{1}{\alpha-1})` for α > 1.

    See [AS17]; docs/formulas.md#s3-7; docs/claims.md#c30.
    """
    from theory.derivation import DerivationBuilder

    S = DERIVATION_SYMBOLS
    t = S["t"]
    alpha = sp.Symbol("alpha", positive=True)
    alpha_gt1 = sp.Symbol("alpha", positive=True)  # the same name: the last step holds for alpha > 1
    se = S["sigma_epsilon"]
    E_g = generalization_derivation().result

    def to_infinity(expr: sp.Basic) -> sp.Basic:
        return expr.replace(
            lambda e: isinstance(e, sp.Integral),
            lambda e: sp.Integral(sp.limit(e.function, t, sp.oo), *e.limits),
        )

    return (
        DerivationBuilder(
            "generalization.asymptotic_generalization_error",
            "Linear student: the generalization error after infinite training, $\\alpha > 1$",
            None,
            "[AS17]; derived in docs/formulas.md#s3-7 (diverges as $\\alpha \\to 1$: C30)",
        )
        .define("E_g(t)", E_g, "the result of the $E_g(t)$ derivation")
        .step(
            "E_g(\\infty)",
            to_infinity(E_g),
            "$t \\to \\infty$ inside the integral (dominated convergence): $e^{-\\lambda t/\\tau} \\to 0$ on the bulk",
            transform=to_infinity,
        )
        .step(
            "E_g(\\infty)",
            se**2 * (1 + 1 / (alpha_gt1 - 1)),
            "for $\\alpha > 1$ the atom vanishes and "
            "$\\int \\rho_{MP}(\\lambda)/\\lambda\\,d\\lambda = 1/(\\alpha - 1)$",
            numeric="SymPy cannot integrate the Marchenko–Pastur density against 1/lambda for symbolic alpha "
            "(mpmath quadrature at random alpha in (1.3, 4))",
            points={alpha: (1.3, 4.0)},
        )
        .build()
    )


def derivations() -> list:
    """The linear student's derivations: E_g(t), E_t(t) and E_g(∞) ([AS17]; docs/formulas.md#s3-7)."""
    return [generalization_derivation(), training_error_derivation(), asymptotic_generalization_derivation()]
