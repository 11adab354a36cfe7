r"""Deep linear networks in closed form: mode dynamics, exact information-plane trajectories, Eq 21 (spec §3.3–3.6).

This module gathers the theory of [P] §3 for linear students:

* the LaTeX export of the SMG14 mode solutions (the dynamics themselves are :mod:`theory.mode_dynamics`);
* the **theory information-plane trajectory** where the dynamics are closed form:

  - :func:`aligned_information_plane`: a two-layer network on a whitened task started on the decoupled
    manifold with balanced strengths; each mode α of strength :math:`u_\alpha(t)` ([SMG14] Eq 12) is an
    independent scalar Gaussian channel, so the layer maps :math:`\sqrt{u_\alpha}` (hidden) and :math:`u_\alpha`
    (output) give I(T;X) and I(T;Y) mode by mode;
  - :func:`single_layer_information_plane`: the single-layer student of [AS17] in the large-N limit, whose
    :math:`\lVert w\rVert^2/N` and :math:`w^\top\bar w/N` are Marchenko–Pastur integrals (derived here from the
    eigenmode solution of spec §3.7);

* the reparametrisation example of [P] App C Eq 21 (C14).

All MI values are in **bits**, for the analysis channel :math:`T=\bar WX+\epsilon`,
:math:`\epsilon\sim\mathcal N(0,\sigma^2_{MI}I)` ([P] Eq 6 in the exact ½·log det form, A9).

References
----------
.. [P] Saxe et al., "On the Information Bottleneck Theory of Deep Learning", ICLR 2018, §3, App C Eq 21,
   App G Eqs 22–25.
.. [SMG14] Saxe, McClelland & Ganguli, ICLR 2014.
.. [AS17] Advani & Saxe, arXiv:1710.03667 (2017).
"""

from __future__ import annotations

import numpy as np

from theory import generalization
from theory.mode_dynamics import (
    balanced_solution,
    balanced_time_expr,
    for_latex,
    infinite_depth_time_expr,
    nonwhite_mode_strength,
    nonwhite_solution,
    unbalanced_time_expr,
)

__all__ = [
    "aligned_information_plane",
    "formulas",
    "reparametrisation_information",
    "single_layer_information_plane",
]

_LN2 = np.log(2.0)


def _scalar_channel_bits(signal: np.ndarray, noise: float) -> np.ndarray:
    return 0.5 * np.log1p(signal / noise) / _LN2


def _correlation_bits(rho2: np.ndarray) -> np.ndarray:
    return -0.5 * np.log1p(-rho2) / _LN2


def aligned_information_plane(
    t: np.ndarray,
    singular_values: np.ndarray,
    u0: float,
    input_variance: float = 1.0,
    output_noise_variance: float = 0.0,
    noise_variance: float = 1.0,
    tau: float = 1.0,
) -> dict[str, np.ndarray]:
    r"""Exact I(T;X), I(T;Y) of both layers of a balanced, aligned two-layer linear network over time.

    Each mode α evolves as :math:`u_\alpha(t)` ([SMG14] Eq 12); the hidden layer maps mode α with strength
    :math:`\sqrt{u_\alpha}` and the output with :math:`u_\alpha`. With input variance :math:`v` per mode, the
    teacher :math:`Y_\alpha=s_\alpha X_\alpha+\epsilon_\alpha` (:math:`\mathrm{Var}\,\epsilon=\sigma_o^2`) and layer
    strength :math:`g`:

    .. math:: I(T;X)=\sum_\alpha\tfrac12\log_2\Big(1+\frac{g_\alpha^2v}{\sigma^2_{MI}}\Big),\qquad
              I(T;Y)=-\sum_\alpha\tfrac12\log_2(1-\rho_\alpha^2),\quad
              \rho_\alpha^2=\frac{g_\alpha^2s_\alpha^2v^2}{(g_\alpha^2v+\sigma^2_{MI})(s_\alpha^2v+\sigma_o^2)}.

    Parameters
    ----------
    t : array_like
        Times ≥ 0 (units of τ).
    singular_values : array_like
        Mode strengths :math:`s_\alpha>0` of the input–output correlation (with :math:`\Sigma^{11}=vI`, the
        modes converge to :math:`s_\alpha/v`; pass :math:`v=1` for the whitened task).
    u0 : float
        Initial strength of every mode (> 0).
    input_variance : float, default 1
        Variance v of each input mode.
    output_noise_variance : float, default 0
        Teacher noise σ_o² (≥ 0; 0 makes each mode's Y a deterministic function of X).
    noise_variance : float, default 1
        Analysis noise σ²_MI (> 0; the paper's 1.0).
    tau : float, default 1
        Time constant.

    Returns
    -------
    dict of numpy.ndarray
        ``"I_XT"`` and ``"I_YT"``, each of shape (len(t), 2) for (hidden, output), in **bits**; ``"u"`` of shape
        (len(t), n_modes).

    References
    ----------
    .. [SMG14] Eq 12; [P] Eq 6, Eqs 22–25 (per independent mode).
    """
    s = np.atleast_1d(np.asarray(singular_values, dtype=float))
    if s.ndim != 1 or np.any(~np.isfinite(s)) or np.any(s <= 0):
        raise ValueError(f"singular_values must be finite and > 0, got {s}")
    for value, name in ((input_variance, "input_variance"), (noise_variance, "noise_variance")):
        if not np.isfinite(value) or value <= 0:
            raise ValueError(f"{name} must be a finite number > 0, got {value}")
    if not np.isfinite(output_noise_variance) or output_noise_variance < 0:
        raise ValueError(f"output_noise_variance must be a finite number >= 0, got {output_noise_variance}")
    v = float(input_variance)
    t = np.asarray(t, dtype=float)
    # the mode ODE with input variance v is the non-white one with λ = v and s̃ = s·v
    u = np.stack([nonwhite_mode_strength(t, si * v, v, u0, tau) for si in s], axis=-1)
    out = {"u": u}
    I_XT, I_YT = [], []
    for gain2 in (u, u**2):  # squared layer strengths: hidden √u, output u
        I_XT.append(np.sum(_scalar_channel_bits(gain2 * v, noise_variance), axis=-1))
        rho2 = gain2 * s**2 * v**2 / ((gain2 * v + noise_variance) * (s**2 * v + output_noise_variance))
        I_YT.append(np.sum(_correlation_bits(rho2), axis=-1))
    out["I_XT"] = np.stack(I_XT, axis=-1)
    out["I_YT"] = np.stack(I_YT, axis=-1)
    return out


def single_layer_information_plane(
    t: np.ndarray,
    alpha: float,
    sigma_w2: float,
    sigma_eps2: float,
    sigma_02: float = 0.0,
    noise_variance: float = 1.0,
    tau: float = 1.0,
) -> dict[str, np.ndarray]:
    r"""Large-N information-plane trajectory of the single-layer student of [AS17] (spec §3.7; derived here).

    With :math:`z=w-\bar w` in the eigenbasis of :math:`XX^\top` (spec §3.7),
    :math:`w^\top\bar w/N\to\sigma_w^2(1-m(t))` and
    :math:`\lVert w\rVert^2/N\to\sigma_w^2-2\sigma_w^2m(t)+E_g(t)-\sigma_\epsilon^2`, where
    :math:`m(t)=\int\rho_{MP}e^{-\lambda t/\tau}+(1-\alpha)\mathbf 1[\alpha<1]`. For the scalar output
    :math:`T=w^\top x+\epsilon_{MI}` with :math:`x\sim\mathcal N(0,I/N)`:

    .. math:: I(T;X)=\tfrac12\log_2\Big(1+\frac{\lVert w\rVert^2/N}{\sigma^2_{MI}}\Big),\qquad
              I(T;Y)=-\tfrac12\log_2\Big(1-\frac{(w^\top\bar w/N)^2}{(\lVert w\rVert^2/N+\sigma^2_{MI})
              (\sigma_w^2+\sigma_\epsilon^2)}\Big).

    Parameters
    ----------
    t, alpha, sigma_w2, sigma_eps2, sigma_02, tau
        As in :func:`theory.generalization.generalization_error`.
    noise_variance : float, default 1
        σ²_MI (> 0).

    Returns
    -------
    dict of numpy.ndarray
        ``"I_XT"``, ``"I_YT"`` (bits), ``"E_g"``, ``"norm2"`` (:math:`\lVert w\rVert^2/N`) and ``"overlap"``
        (:math:`w^\top\bar w/N`), each of the shape of `t`.

    References
    ----------
    .. [P] Saxe et al., ICLR 2018, §3, App C Eq 21, App G; spec §3.5–3.7.
    """
    if not np.isfinite(noise_variance) or noise_variance <= 0:
        raise ValueError(f"noise_variance must be a finite number > 0, got {noise_variance}")
    E_g = generalization.generalization_error(t, alpha, sigma_w2, sigma_eps2, sigma_02, tau)
    s = (np.asarray(t, dtype=float) / tau).reshape(-1, 1)
    m = generalization.mp_expectation(lambda lam: np.exp(-lam * s), alpha).reshape(E_g.shape)
    m = m + max(1.0 - alpha, 0.0)
    overlap = sigma_w2 * (1.0 - m)
    norm2 = np.maximum(sigma_w2 - 2.0 * sigma_w2 * m + E_g - sigma_eps2, 0.0)
    rho2 = overlap**2 / ((norm2 + noise_variance) * (sigma_w2 + sigma_eps2))
    return {
        "I_XT": _scalar_channel_bits(norm2, noise_variance),
        "I_YT": _correlation_bits(rho2),
        "E_g": E_g,
        "norm2": norm2,
        "overlap": overlap,
    }


def reparametrisation_information(w1: float, c: np.ndarray, noise_variance: float = 1.0) -> np.ndarray:
    r"""I(T;X) in bits of the hidden layer of the scalar network with :math:`\tilde w_1=w_1/c` ([P] App C Eq 21).

    :math:`\tfrac12\log_2(1+w_1^2/(c^2\sigma^2_{MI}))` for X ~ N(0,1); the map :math:`\tilde w_2\tilde w_1=w_2w_1`
    and hence E_g do not depend on c (C14). The paper prints :math:`\log(w_1^2/c^2+\sigma^2)-\log\sigma^2` (2× the
    exact value in nats, A9).

    References
    ----------
    .. [P] Saxe et al., ICLR 2018, §3, App C Eq 21, App G; spec §3.5–3.7.

    Examples
    --------
    >>> [round(float(v), 6) for v in reparametrisation_information(1.0, np.array([1.0, 2.0]))]
    [0.5, 0.160964]
    """
    c = np.asarray(c, dtype=float)
    if np.any(~np.isfinite(c)) or np.any(c == 0):
        raise ValueError("c must be finite and non-zero")
    if not np.isfinite(noise_variance) or noise_variance <= 0:
        raise ValueError(f"noise_variance must be a finite number > 0, got {noise_variance}")
    return _scalar_channel_bits(w1**2 / c**2, noise_variance)


def formulas():
    """SMG14 closed forms for LaTeX export (:mod:`theory.latex`); every one round-trips through the parser.

    The depth ODE (Eq 16) is not exported: SymPy's LaTeX parser misreads its printed power; Eq 21 is exported
    by :mod:`theory.gaussian`.

    References
    ----------
    .. [P] Saxe et al., ICLR 2018, §3, App C Eq 21, App G; spec §3.5–3.7.
    """
    from theory.latex import Formula

    forms = [
        Formula(
            "deep_linear.balanced_mode",
            "Balanced two-layer mode strength u(t)",
            "u(t)",
            balanced_solution(),
            "12",
            "[SMG14] Eq 12",
        ),
        Formula(
            "deep_linear.learning_time",
            "Time for a balanced mode to grow from u_0 to u_f",
            "t",
            balanced_time_expr(),
            "11",
            "[SMG14] Eq 11",
        ),
        Formula(
            "deep_linear.unbalanced_time",
            "Antiderivative F(u); t = tau [F(u) - F(u_0)] for a^2 - b^2 = c",
            "F(u)",
            unbalanced_time_expr(),
            None,
            "derived here from [SMG14] Eq 8",
        ),
        Formula(
            "deep_linear.infinite_depth_time",
            "Learning time as N_l -> infinity",
            "t",
            infinite_depth_time_expr(),
            "17",
            "[SMG14] Eq 17",
        ),
        Formula(
            "deep_linear.nonwhite_mode",
            "One aligned mode with input eigenvalue lambda and projected correlation q",
            "u(t)",
            nonwhite_solution(),
            None,
            "spec §3.6, derived here",
        ),
    ]
    return [Formula(f.key, f.title, f.lhs, for_latex(f.rhs), f.equation, f.source) for f in forms]
