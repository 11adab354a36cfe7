r"""Balanced deep linear modes at depth N_l (Saxe, McClelland & Ganguli 2014, Eqs 14–17; spec §3.6; C44).

A network of :math:`N_l` layers (:math:`N_l-1` weight matrices) started with equal strengths on every layer of a
mode has :math:`u=\prod_i a_i` obeying :math:`\tau\dot u=(N_l-1)u^{2-2/(N_l-1)}(s-u)` (the symbolic form is
:func:`theory.mode_dynamics.deep_ode_rhs`); as :math:`N_l\to\infty` the learning time tends to [SMG14] Eq 17.
:math:`N_l=3` is the two-layer case of :mod:`theory.mode_dynamics`.

References
----------
.. [SMG14] Saxe, McClelland & Ganguli, "Exact solutions to the nonlinear dynamics of learning in deep linear
   neural networks", ICLR 2014, Eqs 14–17.
"""

from __future__ import annotations

import numpy as np
from scipy import integrate

from theory.mode_dynamics import _positive, _strength_between, _times

__all__ = ["deep_learning_time", "deep_mode_strength", "infinite_depth_learning_time"]


def _check_depth(n_layers: int) -> int:
    if int(n_layers) != n_layers or n_layers < 3:
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
    .. [SMG14] Saxe, McClelland & Ganguli, ICLR 2014 (arXiv:1312.6120), Eqs 14–17; spec §3.6.
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
    .. [SMG14] Saxe, McClelland & Ganguli, ICLR 2014 (arXiv:1312.6120), Eqs 14–17; spec §3.6.
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
    .. [SMG14] Saxe, McClelland & Ganguli, ICLR 2014 (arXiv:1312.6120), Eqs 14–17; spec §3.6.
    """
    s, tau = _positive(s, "s"), _positive(tau, "tau")
    u0, uf = _strength_between(u0, "u0", s), _strength_between(uf, "uf", s)
    N = _check_depth(n_layers)
    return float(tau / N * (np.log(uf * (u0 - s) / (u0 * (uf - s))) / s**2 + 1 / (s * u0) - 1 / (s * uf)))
