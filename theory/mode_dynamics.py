r"""Exact learning dynamics of the modes of deep linear networks.

See Saxe, McClelland & Ganguli 2014; docs/formulas.md#s3-6.

Gradient flow on the squared error of a linear network with whitened inputs decouples, from aligned initial
conditions, into one scalar problem per singular mode :math:`s` of the input–output correlation
:math:`\Sigma^{31}=USV^\top`. With a mode's layer strengths :math:`a` (input side) and :math:`b` (output side)
and :math:`\tau=1/\lambda_{lr}` (time in units of full-batch steps times the learning rate):

* two layers, SMG14 Eq 8: :math:`\tau\dot a=b(s-ab)`, :math:`\tau\dot b=a(s-ab)`, and :math:`a^2-b^2` is
  conserved (C43);
* balanced (:math:`a=b`, :math:`u=ab`), SMG14 Eqs 10–12: :math:`\tau\dot u=2u(s-u)`, solved by a logistic curve,
  learning time :math:`t=\frac{\tau}{2s}\ln\frac{u_f(s-u_0)}{u_0(s-u_f)}` (C42);
* unbalanced (:math:`a^2-b^2=c`): :math:`\tau\dot u=\sqrt{c^2+4u^2}\,(s-u)`, whose time integral is closed form
  (derived here; it reduces to the balanced time at c = 0);
* depth :math:`N_l` (:math:`N_l-1` weight matrices), balanced, SMG14 Eqs 14–17:
  :math:`\tau\dot u=(N_l-1)u^{2-2/(N_l-1)}(s-u)`, and as :math:`N_l\to\infty` the closed-form time of Eq 17
  (C44; symbolic forms and numeric evaluators, :func:`deep_mode_strength`, :func:`deep_learning_time`);
* one aligned mode with a non-white input eigenvalue :math:`\lambda` (docs/formulas.md#s3-6, derived): logistic with
  fixed point :math:`\tilde s/\lambda`.

Each closed form is available as a SymPy expression (the symbolic witness: ``tests/test_deep_linear_theory.py``
substitutes it into its ODE and simplifies to zero) and as a vectorised NumPy evaluator.

References
----------
.. [SMG14] Saxe, McClelland & Ganguli, "Exact solutions to the nonlinear dynamics of learning in deep linear
   neural networks", ICLR 2014, arXiv:1312.6120, Eqs 7–17.
.. [P] Saxe et al., "On the Information Bottleneck Theory of Deep Learning", ICLR 2018, §3, App F.
"""

from __future__ import annotations

import functools

import numpy as np
import sympy as sp
from scipy import integrate

from theory.validation import positive_number, times

__all__ = [
    "SYMBOLS",
    "balanced_learning_time",
    "balanced_mode_strength",
    "balanced_solution",
    "balanced_time_expr",
    "deep_learning_time",
    "deep_mode_strength",
    "deep_ode_rhs",
    "for_latex",
    "infinite_depth_learning_time",
    "infinite_depth_time_expr",
    "nonwhite_mode_strength",
    "nonwhite_solution",
    "unbalanced_mode_weights",
    "unbalanced_time_expr",
]

#: Symbols shared by the closed forms: time, τ, singular value s, strengths, conserved c, depth, eigenvalue λ.
SYMBOLS = {
    "t": sp.Symbol("t", nonnegative=True),
    "tau": sp.Symbol("tau", positive=True),
    "s": sp.Symbol("s", positive=True),
    "u": sp.Symbol("u", positive=True),
    "u_0": sp.Symbol("u_0", positive=True),
    "u_f": sp.Symbol("u_f", positive=True),
    "c": sp.Symbol("c", real=True),
    "N_l": sp.Symbol("N_l", positive=True, integer=True),
    "lambda": sp.Symbol("lambda", positive=True),
    "s_tilde": sp.Symbol("q", positive=True),  # s̃, the projected correlation (a Latin name: it round-trips in LaTeX)
}


# ----------------------------------------------------------------------------------------------- validation
def _positive(value: float, name: str) -> float:
    return positive_number(name, value)


def _times(t: np.ndarray) -> np.ndarray:
    return times("t", t)


def _strength_between(value: float, name: str, s: float) -> float:
    value = _positive(value, name)
    if value >= s:
        raise ValueError(f"{name} must lie in (0, s) = (0, {s}), got {value}")
    return value


# ------------------------------------------------------------------------------------------ symbolic forms
def for_latex(expr: sp.Expr) -> sp.Expr:
    r"""`expr` with its Greek-named symbols (τ, λ, α, ε, …) replaced by assumption-free ones.

    SymPy's LaTeX parser returns ``\tau`` as a plain ``Symbol("tau")``; using the same plain symbol in an
    exported formula lets :func:`theory.latex.round_trip` match it (the positivity assumptions are only needed
    for the symbolic simplifications of the tests).

    References
    ----------
    .. [SMG14] Saxe, McClelland & Ganguli, ICLR 2014 (arXiv:1312.6120), Eqs 8–17; docs/formulas.md#s3-6.
    """
    if not isinstance(expr, sp.Basic):
        raise TypeError(f"expr must be a SymPy expression, got {type(expr).__name__}")
    greek = {"tau", "lambda", "alpha", "epsilon", "rho", "sigma", "xi"}
    return expr.xreplace({x: sp.Symbol(x.name) for x in expr.free_symbols if x.name.split("_")[0] in greek})


def balanced_solution() -> sp.Expr:
    r"""SymPy :math:`u(t)=\frac{s\,e^{2st/\tau}}{e^{2st/\tau}-1+s/u_0}` solving :math:`\tau\dot u=2u(s-u)`.

    Returns
    -------
    sympy.Expr
        In the symbols of :data:`SYMBOLS` (``t``, ``tau``, ``s``, ``u_0``). [SMG14] Eq 12.

    References
    ----------
    .. [SMG14] Saxe, McClelland & Ganguli, ICLR 2014 (arXiv:1312.6120), Eqs 8–17; docs/formulas.md#s3-6.
    """
    t, tau, s, u0 = (SYMBOLS[k] for k in ("t", "tau", "s", "u_0"))
    e = sp.exp(2 * s * t / tau)
    return s * e / (e - 1 + s / u0)


def balanced_time_expr() -> sp.Expr:
    r"""SymPy learning time :math:`\frac{\tau}{2s}\ln\frac{u_f(s-u_0)}{u_0(s-u_f)}` ([SMG14] Eq 11, C42)."""
    tau, s, u0, uf = (SYMBOLS[k] for k in ("tau", "s", "u_0", "u_f"))
    return tau / (2 * s) * sp.log(uf * (s - u0) / (u0 * (s - uf)))


def unbalanced_time_expr() -> sp.Expr:
    r"""SymPy antiderivative :math:`F(u)` with :math:`dF/du=1/(\sqrt{c^2+4u^2}(s-u))` (derived here).

    The time to go from :math:`u_0` to :math:`u` under :math:`\tau\dot u=\sqrt{c^2+4u^2}(s-u)` is
    :math:`\tau[F(u)-F(u_0)]`, with

    .. math:: F(u)=\frac{1}{\sqrt{c^2+4s^2}}\ln\frac{\sqrt{c^2+4s^2}\sqrt{c^2+4u^2}+c^2+4su}{s-u}.

    Returns
    -------
    sympy.Expr
        In ``u``, ``s``, ``c`` of :data:`SYMBOLS`.

    References
    ----------
    .. [SMG14] Saxe, McClelland & Ganguli, ICLR 2014 (arXiv:1312.6120), Eqs 8–17; docs/formulas.md#s3-6.
    """
    u, s, c = SYMBOLS["u"], SYMBOLS["s"], SYMBOLS["c"]
    R = sp.sqrt(c**2 + 4 * s**2)
    return sp.log((R * sp.sqrt(c**2 + 4 * u**2) + c**2 + 4 * s * u) / (s - u)) / R


def deep_ode_rhs() -> sp.Expr:
    r"""SymPy right-hand side :math:`(N_l-1)u^{2-2/(N_l-1)}(s-u)` of :math:`\tau\dot u` at depth N_l (Eq 16)."""
    u, s, N = SYMBOLS["u"], SYMBOLS["s"], SYMBOLS["N_l"]
    return (N - 1) * u ** (2 - 2 / (N - 1)) * (s - u)


def infinite_depth_time_expr() -> sp.Expr:
    r"""SymPy time of [SMG14] Eq 17 for :math:`\tau\dot u=N_lu^2(s-u)` (the :math:`N_l\to\infty` limit, C44).

    .. math:: t=\frac{\tau}{N_l}\Big[\frac{1}{s^2}\ln\frac{u_f(u_0-s)}{u_0(u_f-s)}+\frac{1}{su_0}-\frac{1}{su_f}\Big]

    References
    ----------
    .. [SMG14] Saxe, McClelland & Ganguli, ICLR 2014 (arXiv:1312.6120), Eqs 8–17; docs/formulas.md#s3-6.
    """
    tau, s, u0, uf, N = (SYMBOLS[k] for k in ("tau", "s", "u_0", "u_f", "N_l"))
    return tau / N * (sp.log(uf * (u0 - s) / (u0 * (uf - s))) / s**2 + 1 / (s * u0) - 1 / (s * uf))


def nonwhite_solution() -> sp.Expr:
    r"""SymPy :math:`u(t)` for one aligned mode with input eigenvalue λ: :math:`\tau\dot u=2u(\tilde s-\lambda u)`.

    .. math:: u(t)=\frac{(\tilde s/\lambda)e^{2\tilde st/\tau}}{e^{2\tilde st/\tau}-1+\tilde s/(\lambda u_0)}

    (docs/formulas.md#s3-6, derived here; λ = 1 recovers :func:`balanced_solution`).

    References
    ----------
    .. [SMG14] Saxe, McClelland & Ganguli, ICLR 2014 (arXiv:1312.6120), Eqs 8–17; docs/formulas.md#s3-6.
    """
    t, tau, u0, lam, st = (SYMBOLS[k] for k in ("t", "tau", "u_0", "lambda", "s_tilde"))
    e = sp.exp(2 * st * t / tau)
    return (st / lam) * e / (e - 1 + st / (lam * u0))


# ------------------------------------------------------------------------------------------- numeric forms
def balanced_mode_strength(t: np.ndarray, s: float, u0: float, tau: float = 1.0) -> np.ndarray:
    r"""Mode strength :math:`u(t)` of a balanced two-layer linear network ([SMG14] Eq 12, C42).

    Parameters
    ----------
    t : array_like
        Times ≥ 0 (in the units of `tau`: full-batch steps × learning rate when τ = 1).
    s : float
        Singular value of the input–output correlation (> 0).
    u0 : float
        Initial strength :math:`u_0=a_0b_0` (> 0).
    tau : float, default 1
        Time constant :math:`\tau=1/\text{learning rate}`.

    Returns
    -------
    numpy.ndarray
        :math:`u(t)` (dimensionless, same units as `s`), shape of `t`.

    Raises
    ------
    ValueError
        If `s`, `u0` or `tau` is not positive, or `t` is negative or non-finite.

    References
    ----------
    .. [SMG14] Eqs 10–12.

    Examples
    --------
    >>> float(balanced_mode_strength(0.0, s=2.0, u0=1e-3))
    0.001
    >>> round(float(balanced_mode_strength(100.0, s=2.0, u0=1e-3)), 12)
    2.0
    """
    s, u0, tau = _positive(s, "s"), _positive(u0, "u0"), _positive(tau, "tau")
    t = _times(t)
    # u = s / (1 + (s/u0 - 1) e^{-2st/τ}): the same curve written without overflow.
    return s / (1.0 + (s / u0 - 1.0) * np.exp(-2.0 * s * t / tau))


def balanced_learning_time(s: float, u0: float, uf: float, tau: float = 1.0) -> float:
    r"""Time for a balanced mode to grow from :math:`u_0` to :math:`u_f` ([SMG14] Eq 11, C42).

    Parameters
    ----------
    s : float
        Singular value (> 0).
    u0, uf : float
        Start and end strengths, :math:`0<u_0<s`, :math:`0<u_f<s`.
    tau : float, default 1
        Time constant.

    Returns
    -------
    float
        :math:`\frac{\tau}{2s}\ln\frac{u_f(s-u_0)}{u_0(s-u_f)}` (time units of `tau`; ≈ (τ/s) ln(s/ε) for
        :math:`u_0=\epsilon`, :math:`u_f=s-\epsilon`): stronger modes are learned first.

    References
    ----------
    .. [SMG14] Saxe, McClelland & Ganguli, ICLR 2014 (arXiv:1312.6120), Eqs 8–17; docs/formulas.md#s3-6.

    Examples
    --------
    >>> round(balanced_learning_time(1.0, 0.01, 0.99), 6)
    4.59512
    """
    s, tau = _positive(s, "s"), _positive(tau, "tau")
    u0, uf = _strength_between(u0, "u0", s), _strength_between(uf, "uf", s)
    return float(tau / (2 * s) * np.log(uf * (s - u0) / (u0 * (s - uf))))


def _unbalanced_time(u: np.ndarray, s: float, c: float) -> np.ndarray:
    R = np.sqrt(c * c + 4 * s * s)
    with np.errstate(divide="ignore"):  # u = s is reached only as t → ∞ (F = +∞)
        return np.log((R * np.sqrt(c * c + 4 * u * u) + c * c + 4 * s * u) / (s - u)) / R


def unbalanced_mode_weights(
    t: np.ndarray, s: float, a0: float, b0: float, tau: float = 1.0
) -> tuple[np.ndarray, np.ndarray]:
    r"""Layer strengths :math:`a(t), b(t)` of an unbalanced two-layer mode ([SMG14] Eq 8; C43).

    With :math:`c=a^2-b^2` conserved and :math:`u=ab`, :math:`a^2+b^2=\sqrt{c^2+4u^2}`, so
    :math:`\tau\dot u=\sqrt{c^2+4u^2}(s-u)` and :math:`t(u)=\tau[F(u)-F(u_0)]` with the closed-form
    :func:`unbalanced_time_expr`. The monotone :math:`t(u)` is inverted by bisection (60 halvings, to float
    precision) and :math:`a^2=(\sqrt{c^2+4u^2}+c)/2`, :math:`b^2=(\sqrt{c^2+4u^2}-c)/2`.

    Parameters
    ----------
    t : array_like
        Times ≥ 0.
    s : float
        Singular value (> 0).
    a0, b0 : float
        Initial strengths, both > 0 with :math:`a_0b_0<s` (the basin that learns the mode).
    tau : float, default 1
        Time constant.

    Returns
    -------
    a, b : numpy.ndarray
        Strengths at `t` (shape of `t`); :math:`a^2-b^2=a_0^2-b_0^2` exactly up to rounding.

    Raises
    ------
    ValueError
        On non-positive `s`, `a0`, `b0`, `tau`, or :math:`a_0b_0\ge s`.

    References
    ----------
    .. [SMG14] Saxe, McClelland & Ganguli, ICLR 2014 (arXiv:1312.6120), Eqs 8–17; docs/formulas.md#s3-6.
    """
    s, tau = _positive(s, "s"), _positive(tau, "tau")
    a0, b0 = _positive(a0, "a0"), _positive(b0, "b0")
    u0 = _strength_between(a0 * b0, "a0*b0", s)
    t = _times(t)
    c = a0 * a0 - b0 * b0
    target = _unbalanced_time(np.asarray(u0), s, c) + t / tau
    lo = np.full(t.shape, u0)
    hi = np.full(t.shape, s)
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        below = _unbalanced_time(mid, s, c) < target
        lo = np.where(below, mid, lo)
        hi = np.where(below, hi, mid)
    u = 0.5 * (lo + hi)
    root = np.sqrt(c * c + 4 * u * u)
    return np.sqrt((root + c) / 2), np.sqrt((root - c) / 2)


def nonwhite_mode_strength(t: np.ndarray, s_tilde: float, lam: float, u0: float, tau: float = 1.0) -> np.ndarray:
    r"""Strength of one aligned mode with input eigenvalue λ (docs/formulas.md#s3-6; :func:`nonwhite_solution`).

    Parameters
    ----------
    t : array_like
        Times ≥ 0.
    s_tilde : float
        Projected input–output correlation :math:`\tilde s` of the mode (> 0).
    lam : float
        Input-correlation eigenvalue λ of the mode (> 0).
    u0 : float
        Initial strength (> 0).
    tau : float, default 1
        Time constant.

    Returns
    -------
    numpy.ndarray
        :math:`u(t)`, tending to the least-squares value :math:`\tilde s/\lambda`.

    References
    ----------
    .. [SMG14] Saxe, McClelland & Ganguli, ICLR 2014 (arXiv:1312.6120), Eqs 8–17; docs/formulas.md#s3-6.
    """
    s_tilde, lam = _positive(s_tilde, "s_tilde"), _positive(lam, "lam")
    u0, tau = _positive(u0, "u0"), _positive(tau, "tau")
    t = _times(t)
    K = s_tilde / lam
    return K / (1.0 + (K / u0 - 1.0) * np.exp(-2.0 * s_tilde * t / tau))


# ------------------------------------------------------------------------------- depth N_l, numeric forms
def _check_depth(n_layers: int) -> int:
    if isinstance(n_layers, (bool, np.bool_)) or not isinstance(n_layers, (int, np.integer)) or n_layers < 3:
        raise ValueError(f"n_layers (N_l, counting input and output layers) must be an integer >= 3, got {n_layers}")
    return int(n_layers)


def deep_learning_time(s: float, u0: float, uf: float, n_layers: int, tau: float = 1.0) -> float:
    r"""Time from :math:`u_0` to :math:`u_f` for a balanced depth-:math:`N_l` mode ([SMG14] Eq 16, C44).

    :math:`t=\tau\int_{u_0}^{u_f}\frac{du}{(N_l-1)u^{2-2/(N_l-1)}(s-u)}`, evaluated by adaptive quadrature
    (relative tolerance 1e-11); :math:`N_l=3` gives :func:`balanced_learning_time`.

    Parameters
    ----------
    s, u0, uf, tau : float
        As in :func:`balanced_learning_time`.
    n_layers : int
        :math:`N_l\ge 3`, the number of layers counting input and output (:math:`N_l-1` weight matrices).

    Returns
    -------
    float
        The learning time (units of `tau`).

    References
    ----------
    .. [SMG14] Saxe, McClelland & Ganguli, ICLR 2014 (arXiv:1312.6120), Eqs 14–17; docs/formulas.md#s3-6.
    """
    s, tau = _positive(s, "s"), _positive(tau, "tau")
    u0, uf = _strength_between(u0, "u0", s), _strength_between(uf, "uf", s)
    N = _check_depth(n_layers)
    power = 2.0 - 2.0 / (N - 1)

    # substitute u = e^v: du/u^p = e^{(1-p)v} dv is smooth on a log scale of strengths
    def integrand(v: float) -> float:
        u = np.exp(v)
        return u ** (1.0 - power) / ((N - 1) * (s - u))

    value, _ = integrate.quad(integrand, np.log(u0), np.log(uf), epsabs=0.0, epsrel=1e-11, limit=200)
    return float(tau * value)


def deep_mode_strength(t: np.ndarray, s: float, u0: float, n_layers: int, tau: float = 1.0) -> np.ndarray:
    r"""Strength :math:`u(t)` of a balanced depth-:math:`N_l` mode, solving [SMG14] Eq 16 numerically.

    Integrates :math:`\tau\dot v=(N_l-1)u^{1-2/(N_l-1)}(s-u)` for :math:`v=\ln u` with an 8th-order Runge–Kutta
    method (rtol 1e-11), which is exact to plotting and test precision.

    Parameters
    ----------
    t : array_like
        Times ≥ 0 (any order).
    s, u0, tau : float
        As in :func:`balanced_mode_strength` (:math:`0<u_0<s`).
    n_layers : int
        :math:`N_l\ge 3`.

    Returns
    -------
    numpy.ndarray
        :math:`u(t)`, shape of `t`.

    References
    ----------
    .. [SMG14] Saxe, McClelland & Ganguli, ICLR 2014 (arXiv:1312.6120), Eqs 14–17; docs/formulas.md#s3-6.
    """
    s, tau = _positive(s, "s"), _positive(tau, "tau")
    u0 = _strength_between(u0, "u0", s)
    N = _check_depth(n_layers)
    t = _times(t)
    if t.size == 0:
        return t.copy()
    power = 1.0 - 2.0 / (N - 1)

    def rhs(_time: float, v: np.ndarray) -> np.ndarray:
        u = np.exp(v)
        return (N - 1) * u**power * (s - u) / tau

    sol = integrate.solve_ivp(
        rhs, (0.0, float(t.max())), [np.log(u0)], method="DOP853", rtol=1e-11, atol=1e-13, dense_output=True
    )
    return np.exp(sol.sol(t.ravel())[0]).reshape(t.shape)


def infinite_depth_learning_time(s: float, u0: float, uf: float, n_layers: int, tau: float = 1.0) -> float:
    r"""Learning time in the :math:`N_l\to\infty` limit, [SMG14] Eq 17 (C44).

    .. math:: t=\frac{\tau}{N_l}\Big[\frac{1}{s^2}\ln\frac{u_f(u_0-s)}{u_0(u_f-s)}+\frac{1}{su_0}-\frac{1}{su_f}\Big]

    Parameters
    ----------
    s, u0, uf, tau : float
        As in :func:`balanced_learning_time`.
    n_layers : int
        :math:`N_l\ge 3`.

    Returns
    -------
    float
        The time (units of `tau`); it approximates :func:`deep_learning_time` for large :math:`N_l`.

    References
    ----------
    .. [SMG14] Saxe, McClelland & Ganguli, ICLR 2014 (arXiv:1312.6120), Eqs 14–17; docs/formulas.md#s3-6.
    """
    s, tau = _positive(s, "s"), _positive(tau, "tau")
    u0, uf = _strength_between(u0, "u0", s), _strength_between(uf, "uf", s)
    N = _check_depth(n_layers)
    return float(tau / N * (np.log(uf * (u0 - s) / (u0 * (uf - s))) / s**2 + 1 / (s * u0) - 1 / (s * uf)))


# ------------------------------------------------------------------------------------------------ derivations
@functools.cache
def balanced_derivation():
    r"""Derive the balanced two-layer mode dynamics: gradient flow, conservation, logistic u(t), learning time.

    [SMG14] Eqs 8–12 (C42, C43). The result is :func:`balanced_time_expr`; the logistic solution of the fifth
    step is :func:`balanced_solution`, which :func:`balanced_mode_strength` evaluates (tests compare them).
    """
    from theory.derivation import DerivationBuilder

    t, tau, s, u, u0, uf = (SYMBOLS[k] for k in ("t", "tau", "s", "u", "u_0", "u_f"))
    a, b = sp.symbols("a b", positive=True)
    loss = (s - a * b) ** 2 / 2
    f = sp.Function("u")

    def gradient(_previous: sp.Basic, new: sp.Basic) -> bool:
        return sp.simplify(-sp.diff(loss, a) - new) == 0

    def conserved(_previous: sp.Basic, new: sp.Basic) -> bool:
        a_dot, b_dot = b * (s - a * b) / tau, a * (s - a * b) / tau
        return sp.simplify(2 * a * a_dot - 2 * b * b_dot - new) == 0 and new == 0

    def balanced(_previous: sp.Basic, new: sp.Basic) -> bool:
        # u = ab, τ u̇ = τ(ȧ b + a ḃ) = (a² + b²)(s − ab); on the balanced manifold a = b = √u
        u_dot = (b * b + a * a) * (s - a * b)
        return sp.simplify(u_dot.subs({a: sp.sqrt(u), b: sp.sqrt(u)}) - new) == 0

    def logistic(_previous: sp.Basic, new: sp.Basic) -> bool:
        # SymPy dsolve of the Bernoulli equation, with the initial condition; else substitution (uniqueness)
        residual = sp.simplify(tau * sp.diff(new, t) - 2 * new * (s - new))
        initial = sp.simplify(new.subs(t, 0) - u0)
        try:
            solved = sp.dsolve(sp.Eq(tau * f(t).diff(t), 2 * f(t) * (s - f(t))), f(t), ics={f(0): u0}).rhs
            from_dsolve = sp.simplify(solved - new) == 0
        except (NotImplementedError, ValueError):
            from_dsolve = False
        return bool(from_dsolve or (residual == 0 and initial == 0))

    def inverse(_previous: sp.Basic, new: sp.Basic) -> bool:
        return sp.simplify(sp.expand_log(balanced_solution().subs(t, new), force=True) - uf) == 0

    return (
        DerivationBuilder(
            "mode_dynamics.balanced",
            "Two-layer linear network, one mode of strength $s$: the balanced dynamics and learning time",
            "8-12",
            "[SMG14] Eqs 8–12 (C42, C43)",
        )
        .define("E_\\alpha", loss, "definition: the mode's share of the squared error, layer strengths $a$, $b$")
        .step(
            r"\tau \dot{a}",
            b * (s - a * b),
            "gradient flow: $\\tau\\dot a = -\\partial E_\\alpha/\\partial a$",
            verify=(gradient, "symbolic: SymPy derivative"),
        )
        .step(
            r"\frac{d}{dt}(a^2 - b^2)",
            sp.S.Zero,
            "with $\\tau\\dot b = a(s - ab)$ likewise, $a^2 - b^2$ is conserved (C43)",
            verify=(conserved, "symbolic"),
        )
        .step(
            r"\tau \dot{u}",
            2 * u * (s - u),
            "balanced start $a = b$, so $a = b = \\sqrt{u}$ with $u = ab$ for all time",
            verify=(balanced, "symbolic"),
        )
        .step(
            "u(t)",
            balanced_solution(),
            "solve with $u(0) = u_0$ (Eq 12)",
            verify=(logistic, "symbolic: SymPy dsolve (or ODE residual and initial value)"),
        )
        .step(
            "t(u_f)",
            balanced_time_expr(),
            "invert $u(t) = u_f$: the learning time (Eq 11)",
            verify=(inverse, "symbolic: u(t(u_f)) = u_f"),
        )
        .build()
    )


@functools.cache
def depth_derivation():
    r"""Derive the balanced depth-:math:`N_l` mode ODE and its large-depth learning time ([SMG14] Eqs 14–17)."""
    from theory.derivation import DerivationBuilder

    tau, s, u, u0, uf, N = (SYMBOLS[k] for k in ("tau", "s", "u", "u_0", "u_f", "N_l"))
    a = sp.Symbol("a", positive=True)
    v = sp.Symbol("v", positive=True)

    def chain(_previous: sp.Basic, new: sp.Basic) -> bool:
        # u = a^{N_l−1}: τu̇ = (N_l − 1) a^{N_l−2} τȧ with τȧ = a^{N_l−2}(s − a^{N_l−1})
        u_dot = (N - 1) * a ** (N - 2) * a ** (N - 2) * (s - a ** (N - 1))
        return sp.simplify(sp.powsimp(u_dot - new.subs(u, a ** (N - 1)), force=True)) == 0

    def large_depth(previous: sp.Basic, new: sp.Basic) -> bool:
        return sp.limit((previous / new).subs(u, v), N, sp.oo) == 1

    def integral(_previous: sp.Basic, new: sp.Basic) -> bool:
        # t(u_f) = τ ∫_{u_0}^{u_f} du / (N_l u²(s − u)): derivative in u_f and value at u_f = u_0
        return sp.simplify(sp.diff(new, uf) - tau / (N * uf**2 * (s - uf))) == 0 and sp.simplify(new.subs(uf, u0)) == 0

    return (
        DerivationBuilder(
            "mode_dynamics.depth",
            "Linear network of $N_l$ layers, balanced mode: the dynamics and the large-depth learning time",
            "14-17",
            "[SMG14] Eqs 14–17 (C44)",
        )
        .define(
            r"\tau \dot{a}",
            a ** (N - 2) * (s - a ** (N - 1)),
            "gradient flow on $\\frac12(s - \\prod_l a_l)^2$ with all $N_l - 1$ strengths equal to $a$",
        )
        .step(
            r"\tau \dot{u}",
            deep_ode_rhs(),
            "chain rule for $u = a^{N_l - 1}$ (Eq 16)",
            verify=(chain, "symbolic"),
        )
        .step(
            r"\tau \dot{u}",
            N * u**2 * (s - u),
            "as $N_l \\to \\infty$: $(N_l - 1)\\,u^{-2/(N_l - 1)}/N_l \\to 1$",
            verify=(large_depth, "symbolic: the ratio of the two right-hand sides tends to 1 (SymPy limit)"),
            relation="\\approx",
        )
        .step(
            "t(u_f)",
            infinite_depth_time_expr(),
            "separate variables and integrate from $u_0$ to $u_f$ (Eq 17)",
            verify=(integral, "symbolic: d t/d u_f = tau/(N_l u_f^2 (s - u_f)) and t(u_0) = 0"),
        )
        .build()
    )


def derivations() -> list:
    """The SMG14 mode derivations: balanced two-layer dynamics (Eqs 8–12) and depth (Eqs 14–17)."""
    return [balanced_derivation(), depth_derivation()]
