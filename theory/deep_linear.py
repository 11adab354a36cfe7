r"""Deep linear networks in closed form: mode dynamics, exact information-plane trajectories, Eq 21.

See docs/formulas.md#s3-3–#s3-6.

This module gathers the theory of [P] §3 for linear students:

* the LaTeX export of the SMG14 mode solutions (the dynamics themselves are :mod:`theory.mode_dynamics`);
* the **theory information-plane trajectory** where the dynamics are closed form:

  - :func:`aligned_information_plane`: a two-layer network on a whitened task started on the decoupled
    manifold with balanced strengths; each mode α of strength :math:`u_\alpha(t)` ([SMG14] Eq 12) is an
    independent scalar Gaussian channel, so the layer maps :math:`\sqrt{u_\alpha}` (hidden) and :math:`u_\alpha`
    (output) give I(T;X) and I(T;Y) mode by mode;
  - :func:`single_layer_information_plane`: the single-layer student of [AS17] in the large-N limit, whose
    :math:`\lVert w\rVert^2/N` and :math:`w^\top\bar w/N` are Marchenko–Pastur integrals (derived here from the
    eigenmode solution of docs/formulas.md#s3-7);

* the reparametrisation example of [P] App C Eq 21 (C14).

All MI values are in **bits**, for the analysis channel :math:`T=\bar WX+\epsilon`,
:math:`\epsilon\sim\mathcal N(0,\sigma^2_{MI}I)` ([P] Eq 6 in the exact ½·log det form, docs/choices.md#a9).

References
----------
.. [P] Saxe et al., "On the Information Bottleneck Theory of Deep Learning", ICLR 2018, §3, App C Eq 21,
   App G Eqs 22–25.
.. [SMG14] Saxe, McClelland & Ganguli, ICLR 2014.
.. [AS17] Advani & Saxe, arXiv:1710.03667 (2017).
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from theory import generalization
from theory.mode_dynamics import SYMBOLS as SYMBOLS_MODES
from theory.mode_dynamics import (
    balanced_solution,
    balanced_time_expr,
    for_latex,
    infinite_depth_time_expr,
    nonwhite_mode_strength,
    nonwhite_solution,
    unbalanced_time_expr,
)
from theory.validation import non_negative_number, positive_number, real_array, real_number, times

__all__ = [
    "aligned_information_plane",
    "derivations",
    "formulas",
    "reparametrisation_information",
    "single_layer_information_plane",
    "student_information_plane",
]

_LN2 = np.log(2.0)
#: Eigenvalues of XᵀX below this fraction of the largest are the exact zeros of a rank-deficient X (P < N):
#: their modes receive no gradient. Rounding puts the zeros near 1e-16 × λ_max; the true bulk edge
#: (1 − √α)² λ_max/(1 + √α)² is far above 1e-10 for every load the workbench uses (|1 − α| ≥ 0.01).
_ZERO_EIGENVALUE = 1e-10


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
        ``"I_XT"`` and ``"I_TY"``, each of shape (len(t), 2) for (hidden, output), in **bits**; ``"u"`` of shape
        (len(t), n_modes).

    References
    ----------
    .. [SMG14] Eq 12; [P] Eq 6, Eqs 22–25 (per independent mode).
    """
    s = np.atleast_1d(real_array("singular_values", singular_values))
    if s.ndim != 1 or s.size == 0 or np.any(s <= 0):
        raise ValueError(f"singular_values must be a non-empty 1-D array of finite numbers > 0, got {s}")
    v = positive_number("input_variance", input_variance)
    noise_variance = positive_number("noise_variance", noise_variance)
    output_noise_variance = non_negative_number("output_noise_variance", output_noise_variance)
    t = times("t", t)
    # the mode ODE with input variance v is the non-white one with λ = v and s̃ = s·v
    u = np.stack([nonwhite_mode_strength(t, si * v, v, u0, tau) for si in s], axis=-1)
    out = {"u": u}
    I_XT, I_TY = [], []
    for gain2 in (u, u**2):  # squared layer strengths: hidden √u, output u
        I_XT.append(np.sum(_scalar_channel_bits(gain2 * v, noise_variance), axis=-1))
        rho2 = gain2 * s**2 * v**2 / ((gain2 * v + noise_variance) * (s**2 * v + output_noise_variance))
        I_TY.append(np.sum(_correlation_bits(rho2), axis=-1))
    out["I_XT"] = np.stack(I_XT, axis=-1)
    out["I_TY"] = np.stack(I_TY, axis=-1)
    return out


def single_layer_information_plane(
    t: np.ndarray,
    alpha: float,
    sigma_w2: float,
    sigma_eps2: float,
    sigma_02: float = 0.0,
    noise_variance: float = 1.0,
    tau: float = 1.0,
    step: float | None = None,
) -> dict[str, np.ndarray]:
    r"""Large-N information-plane trajectory of the single-layer student of [AS17].

    See docs/formulas.md#s3-7; derived here.

    The result of :func:`single_layer_information_derivation`. With :math:`z=w-\bar w` in the eigenbasis of
    :math:`XX^\top`, :math:`w^\top\bar w/N\to\sigma_w^2(1-m(t))` and
    :math:`\lVert w\rVert^2/N\to\sigma_w^2-2\sigma_w^2m(t)+E_g(t)-\sigma_\epsilon^2`, where
    :math:`m(t)=\int\rho_{MP}e^{-\lambda t/\tau}+(1-\alpha)^+` (the mean relaxation factor). For the scalar output
    :math:`T=w^\top x+\epsilon_{MI}` with :math:`x\sim\mathcal N(0,I/N)`:

    .. math:: I(T;X)=\tfrac12\log_2\Big(1+\frac{\lVert w\rVert^2/N}{\sigma^2_{MI}}\Big),\qquad
              I(T;Y)=-\tfrac12\log_2\Big(1-\frac{(w^\top\bar w/N)^2}{(\lVert w\rVert^2/N+\sigma^2_{MI})
              (\sigma_w^2+\sigma_\epsilon^2)}\Big).

    Parameters
    ----------
    t, alpha, sigma_w2, sigma_eps2, sigma_02, tau, step
        As in :func:`theory.generalization.generalization_error` (``step`` = learning rate / P in units of τ
        gives the exact large-N curve of full-batch gradient descent instead of gradient flow).
    noise_variance : float, default 1
        σ²_MI (> 0).

    Returns
    -------
    dict of numpy.ndarray
        ``"I_XT"``, ``"I_TY"`` (bits), ``"E_g"``, ``"norm2"`` (:math:`\lVert w\rVert^2/N`) and ``"overlap"``
        (:math:`w^\top\bar w/N`), each of the shape of `t`.

    Raises
    ------
    ValueError, TypeError
        As :func:`theory.generalization.generalization_error`; `noise_variance` not a finite number > 0.

    References
    ----------
    .. [P] Saxe et al., ICLR 2018, §3, Figs 3–4; docs/formulas.md#s3-5–#s3-7.
    """
    noise_variance = positive_number("noise_variance", noise_variance)
    E_g = generalization.generalization_error(t, alpha, sigma_w2, sigma_eps2, sigma_02, tau, step)
    s = (times("t", t) / tau).reshape(-1, 1)
    decay_of = generalization.mode_decay(alpha, step)
    m = generalization.mp_expectation(lambda lam: decay_of(lam, s), alpha).reshape(E_g.shape)
    m = m + max(1.0 - alpha, 0.0)
    overlap = sigma_w2 * (1.0 - m)
    norm2 = np.maximum(sigma_w2 - 2.0 * sigma_w2 * m + E_g - sigma_eps2, 0.0)
    label_variance = sigma_w2 + sigma_eps2  # Var y = ‖w̄‖²/N + σ_ε² → σ_w² + σ_ε²
    rho2 = overlap**2 / ((norm2 + noise_variance) * label_variance) if label_variance > 0 else np.zeros_like(m)
    return {
        "I_XT": _scalar_channel_bits(norm2, noise_variance),
        "I_TY": _correlation_bits(rho2),
        "E_g": E_g,
        "norm2": norm2,
        "overlap": overlap,
    }


def student_information_plane(
    t: np.ndarray,
    X: np.ndarray,
    Y: np.ndarray,
    w_teacher: np.ndarray,
    w0: np.ndarray,
    sigma_o2: float,
    noise_variance: float = 1.0,
    tau: float = 1.0,
    step: float | None = None,
) -> dict[str, np.ndarray]:
    r"""Exact information-plane trajectory of one single-layer linear student on its own training set.

    Gradient flow :math:`\tau\dot w=X^\top(y-Xw)` on the summed squared error (rows of `X` are examples) is
    solved mode by mode in the eigenbasis :math:`X^\top X=V\Lambda V^\top`:
    :math:`w(t)=w_0+V\,\mathrm{diag}\big((1-d_k(t))/\lambda_k\big)V^\top X^\top(y-Xw_0)` with
    :math:`d_k=e^{-\lambda_kt/\tau}` (gradient flow) or :math:`(1-\eta\lambda_k)^{t/\eta}` (full-batch GD with
    step η = learning rate / P, the simulation's epochs; it needs η λ_max < 1), and the modes with
    :math:`\lambda_k=0` frozen. The layer is observed as :math:`T=w^\top x+\epsilon`,
    :math:`x\sim\mathcal N(0,I/N)` (the teacher data of :mod:`simulate.data.teacher`), so by the log-det formulas
    of :mod:`theory.log_det` :math:`I(T;X)=\tfrac12\log_2(1+\lVert w\rVert^2/(N\sigma^2))` and
    :math:`I(T;Y)=-\tfrac12\log_2(1-\rho^2)`, :math:`\rho^2=(w^\top\bar w/N)^2/((\lVert w\rVert^2/N+\sigma^2)
    (\lVert\bar w\rVert^2/N+\sigma_o^2))`. For N → ∞ at fixed α = P/N it tends to
    :func:`single_layer_information_plane`.

    Parameters
    ----------
    t : array_like
        Times ≥ 0 (units of τ: learning rate × full-batch steps / P for the batch-mean loss).
    X : array_like, shape (..., P, N)
        Training inputs (leading axes: independent seeds).
    Y : array_like, shape (..., P) or (..., P, 1)
        Training targets.
    w_teacher, w0 : array_like, shape (..., N) or (..., 1, N)
        Teacher weights :math:`\bar w` and initial student weights.
    sigma_o2 : float
        Teacher output-noise variance σ_o² ≥ 0 (enters I(T;Y) and E_g).
    noise_variance, tau : float
        σ²_MI > 0 and the time constant τ > 0.
    step : float or None
        None for gradient flow; the step η (units of τ) of full-batch gradient descent, ``η·λ_max < 1``.

    Returns
    -------
    dict of numpy.ndarray
        ``"I_XT"``, ``"I_TY"`` (bits), ``"E_g"`` (exact :math:`\lVert w-\bar w\rVert^2/N+\sigma_o^2`), each of
        shape (..., len(t)); ``"w"`` of shape (..., len(t), N).

    Raises
    ------
    ValueError, TypeError
        On mismatched shapes, non-finite entries, or bad scalars (each named).
    """
    t = np.atleast_1d(times("t", t))
    X = real_array("X", X)
    if X.ndim < 2:
        raise ValueError(f"X must have shape (..., P, N), got {X.shape}")
    N = X.shape[-1]
    Y = real_array("Y", Y)
    if Y.shape[-1:] == (1,) and Y.ndim == X.ndim:
        Y = Y[..., 0]
    if Y.shape != X.shape[:-1]:
        raise ValueError(f"Y must have shape {X.shape[:-1]} (one target per row of X), got {Y.shape}")
    w_bar = real_array("w_teacher", w_teacher).reshape(*X.shape[:-2], N)
    w_init = real_array("w0", w0).reshape(*X.shape[:-2], N)
    sigma_o2 = non_negative_number("sigma_o2", sigma_o2)
    noise_variance = positive_number("noise_variance", noise_variance)
    tau = positive_number("tau", tau)
    lam, V = np.linalg.eigh(np.swapaxes(X, -1, -2) @ X)
    lam = np.clip(lam, 0.0, None)
    frozen = lam <= _ZERO_EIGENVALUE * np.max(lam, axis=-1, keepdims=True)
    residual = Y - np.einsum("...pn,...n->...p", X, w_init)
    drive = np.einsum("...nk,...pn,...p->...k", V, X, residual)  # Vᵀ Xᵀ (y − X w₀)
    s = t / tau
    if step is None:
        decay = np.exp(-lam[..., None, :] * s[:, None])
    else:
        eta = positive_number("step", step)
        if np.any(eta * lam >= 1):
            raise ValueError(f"step must satisfy step * lambda_max < 1, got step * lambda_max = {eta * lam.max():.3g}")
        decay = np.exp(s[:, None] / eta * np.log1p(-eta * lam[..., None, :]))
    safe = np.where(frozen, 1.0, lam)
    gain = np.where(frozen[..., None, :], 0.0, (1.0 - decay) / safe[..., None, :])  # (..., T, N)
    w = w_init[..., None, :] + np.einsum("...nk,...tk,...k->...tn", V, gain, drive)
    norm2 = np.sum(w * w, axis=-1) / N
    overlap = np.einsum("...tn,...n->...t", w, w_bar) / N
    teacher2 = np.sum(w_bar * w_bar, axis=-1)[..., None] / N
    rho2 = overlap**2 / ((norm2 + noise_variance) * (teacher2 + sigma_o2))
    E_g = np.sum((w - w_bar[..., None, :]) ** 2, axis=-1) / N + sigma_o2
    return {"I_XT": _scalar_channel_bits(norm2, noise_variance), "I_TY": _correlation_bits(rho2), "E_g": E_g, "w": w}


def reparametrisation_information(w1: float, c: np.ndarray, noise_variance: float = 1.0) -> np.ndarray:
    r"""I(T;X) in bits of the hidden layer of the scalar network with :math:`\tilde w_1=w_1/c` ([P] App C Eq 21).

    :math:`\tfrac12\log_2(1+w_1^2/(c^2\sigma^2_{MI}))` for X ~ N(0,1); the map :math:`\tilde w_2\tilde w_1=w_2w_1`
    and hence E_g do not depend on c (C14). The paper prints :math:`\log(w_1^2/c^2+\sigma^2)-\log\sigma^2` (2× the
    exact value in nats, docs/choices.md#a9).

    References
    ----------
    .. [P] Saxe et al., ICLR 2018, §3, App C Eq 21, App G; docs/formulas.md#s3-5–#s3-7.

    Examples
    --------
    >>> [round(float(v), 6) for v in reparametrisation_information(1.0, np.array([1.0, 2.0]))]
    [0.5, 0.160964]
    """
    c = real_array("c", c)
    if np.any(c == 0):
        raise ValueError("c must be finite and non-zero")
    w1 = real_number("w1", w1)
    noise_variance = positive_number("noise_variance", noise_variance)
    with np.errstate(over="ignore"):
        ratio = (w1 / c) ** 2
    if not np.all(np.isfinite(ratio)):
        raise ValueError("w1/c overflows float64: pass w1 and c of moderate size (the information depends on w1/c)")
    return _scalar_channel_bits(ratio, noise_variance)


def formulas():
    """SMG14 closed forms for LaTeX export (:mod:`theory.latex`); every one round-trips through the parser.

    The depth ODE (Eq 16) is not exported: SymPy's LaTeX parser misreads its printed power; Eq 21 is exported
    by :mod:`theory.gaussian`.

    References
    ----------
    .. [P] Saxe et al., ICLR 2018, §3, App C Eq 21, App G; docs/formulas.md#s3-5–#s3-7.
    """
    from theory.latex import Formula

    forms = [
        Formula(
            "deep_linear.balanced_mode",
            "Balanced two-layer mode strength $u(t)$",
            "u(t)",
            balanced_solution(),
            "12",
            "[SMG14] Eq 12",
        ),
        Formula(
            "deep_linear.learning_time",
            "Time for a balanced mode to grow from $u_0$ to $u_f$",
            "t",
            balanced_time_expr(),
            "11",
            "[SMG14] Eq 11",
        ),
        Formula(
            "deep_linear.unbalanced_time",
            "Antiderivative $F(u)$: $t = \\tau[F(u) - F(u_0)]$ for $a^2 - b^2 = c$",
            "F(u)",
            unbalanced_time_expr(),
            None,
            "derived here from [SMG14] Eq 8",
        ),
        Formula(
            "deep_linear.infinite_depth_time",
            "Learning time as $N_l \\to \\infty$",
            "t",
            infinite_depth_time_expr(),
            "17",
            "[SMG14] Eq 17",
        ),
        Formula(
            "deep_linear.nonwhite_mode",
            "One aligned mode with input eigenvalue $\\lambda$ and projected correlation $q$",
            "u(t)",
            nonwhite_solution(),
            None,
            "docs/formulas.md#s3-6, derived here",
        ),
    ]
    return [Formula(f.key, f.title, f.lhs, for_latex(f.rhs), f.equation, f.source) for f in forms]


# ------------------------------------------------------------------------------------------------ derivations
def _rotation(angle: sp.Symbol) -> sp.Matrix:
    return sp.Matrix([[sp.cos(angle), -sp.sin(angle)], [sp.sin(angle), sp.cos(angle)]])


def aligned_information_derivation():
    r"""Derive I(T;X) of an aligned layer over time: log-det MI → sum over modes → SMG14 mode solution.

    The per-mode result (hidden layer, gain :math:`g_\alpha^2=u_\alpha(t)`) is what
    :func:`aligned_information_plane` sums over the modes (the tests compare them).
    """
    from theory import log_det
    from theory.derivation import DerivationBuilder

    v, sigma = sp.Symbol("v", positive=True), sp.Symbol("sigma", positive=True)
    g1, g2 = sp.symbols("g_1 g_2", positive=True)
    theta, phi = sp.symbols("theta phi", real=True)
    q = SYMBOLS_MODES["s_tilde"]
    start = log_det.information_derivation().result

    def diagonalised(_previous: sp.Basic, new: sp.Basic) -> bool:
        # two modes: W̄ = R(θ) diag(g) V(φ)ᵀ, Σ_x = v I; the log-det equals the sum over the modes
        W = _rotation(theta) * sp.diag(g1, g2) * _rotation(phi).T
        explicit = sp.log((sp.eye(2) + W * (v * sp.eye(2)) * W.T / sigma**2).det()) / (2 * sp.log(2))
        per_mode = new.subs(sp.Symbol("g_alpha", positive=True), g1) + new.subs(sp.Symbol("g_alpha", positive=True), g2)
        return sp.simplify(sp.expand_log(sp.simplify(explicit) - per_mode, force=True)) == 0

    g = sp.Symbol("g_alpha", positive=True)
    one_mode = sp.log(1 + v * g**2 / sigma**2, 2) / 2
    u_t = nonwhite_solution().subs({SYMBOLS_MODES["lambda"]: v, q: SYMBOLS_MODES["s"] * v})
    return (
        DerivationBuilder(
            "deep_linear.aligned_information",
            "Aligned linear layer over training: the information of one mode of the hidden layer",
            None,
            "[P] §3, Eq 6 per mode; [SMG14] Eq 12; derived here",
        )
        .define("I(T;X)", start, "the exact log-det information of a linear layer (Eq 6)")
        .step(
            "I_\\alpha(T;X)",
            one_mode,
            "aligned layer $\\bar W = R\\,\\mathrm{diag}(g_\\alpha)V^\\top$ ($R$, $V$ orthogonal), $\\Sigma_x = vI$: "
            "the determinant factorises, $I(T;X) = \\sum_\\alpha I_\\alpha$",
            verify=(diagonalised, "symbolic, on two modes with rotations R(theta), V(phi)"),
        )
        .step(
            "I_\\alpha(T_h;X)(t)",
            one_mode.subs(g, sp.sqrt(u_t)),
            "the hidden layer of a balanced network has $g_\\alpha^2 = u_\\alpha(t)$, the SMG14 solution with "
            "eigenvalue $v$ and correlation $s_\\alpha v$",
            transform=lambda e: e.subs(g, sp.sqrt(u_t)),
        )
        .build()
    )


def _gaussian_expectation(expr: sp.Expr, variances: dict) -> sp.Expr:
    """E[expr] for a polynomial in independent centred Gaussians with the given variances."""
    poly = sp.Poly(sp.expand(expr), *variances)
    total = sp.S.Zero
    for powers, coefficient in poly.terms():
        term = coefficient
        for var, k in zip(variances.values(), powers, strict=True):
            term = 0 if k % 2 else term * sp.factorial2(k - 1) * var ** (k // 2)
        total += term
    return total


def single_layer_information_derivation():
    r"""Derive the large-N :math:`I(T;X)(t)` of the single-layer student: log-det MI → norm → mode solutions → MP.

    The result, with :math:`m(t)` and :math:`E_g(t)` the Marchenko–Pastur averages of the E_g derivation, is what
    :func:`single_layer_information_plane` evaluates (the tests compare them).
    """
    from theory import log_det
    from theory.derivation import DerivationBuilder, shown

    S = generalization.DERIVATION_SYMBOLS
    lam, t, tau, sw, se, s0 = (S[k] for k in ("lambda", "t", "tau", "sigma_w", "sigma_epsilon", "sigma_0"))
    sigma = sp.Symbol("sigma", positive=True)
    norm2 = shown("norm2_w", r"\lVert w\rVert^2/N", positive=True)
    m_t, E_g = shown("m_t", "m(t)"), shown("E_g_t", "E_g(t)")
    wb, w0, ek = sp.symbols("wbar_k w0_k epsilon_k", real=True)
    d = sp.exp(-lam * t / tau)
    start = log_det.information_derivation().result
    N = 3
    w = sp.Matrix(1, N, sp.symbols(f"w0:{N}", real=True))

    def scalar_layer(_previous: sp.Basic, new: sp.Basic) -> bool:
        # W̄ = wᵀ (one output), Σ_x = I/N: det(1 + wᵀw/(Nσ²)), checked for N = 3 with symbolic entries
        explicit = sp.log((sp.eye(1) + w * (sp.eye(N) / N) * w.T / sigma**2).det()) / (2 * sp.log(2))
        return sp.simplify(explicit - new.subs(norm2, (w * w.T)[0] / N)) == 0

    def mode_norm(_previous: sp.Basic, new: sp.Basic) -> bool:
        # mode k: w_k = w̄_k + z_k(t), z_k(t) = (w0_k − w̄_k) d + (ε_k/λ)(1 − d): E w_k² = σ_w² − 2σ_w² d + e_g − σ_ε²
        z = (w0 - wb) * d + ek / lam * (1 - d)
        moments = {wb: sw**2, w0: s0**2, ek: lam * se**2}
        second = _gaussian_expectation((wb + z) ** 2, moments)
        e_g = (sw**2 + s0**2) * d**2 + se**2 / lam * (1 - d) ** 2
        per_mode = sw**2 - 2 * sw**2 * d + e_g
        averaged = new.subs({m_t: d, E_g: e_g + se**2})  # the MP average is linear: check it mode by mode
        return (
            sp.simplify(second - per_mode) == 0 and sp.simplify(averaged - sp.log(1 + per_mode / sigma**2, 2) / 2) == 0
        )

    return (
        DerivationBuilder(
            "deep_linear.single_layer_information",
            "Single-layer linear student, large $N$: $I(T;X)$ along gradient flow",
            None,
            "[P] §3, Figs 3–4 (theory curve); [AS17]; derived here",
        )
        .define("I(T;X)", start, "the exact log-det information of a linear layer (Eq 6)")
        .step(
            "I(T;X)",
            sp.log(1 + norm2 / sigma**2, 2) / 2,
            "one output, $\\bar W = w^\\top$, and inputs $x \\sim N(0, I/N)$",
            verify=(scalar_layer, "symbolic, on N = 3 with symbolic entries"),
        )
        .step(
            "I(T;X)(t)",
            sp.log(1 + (sw**2 - 2 * sw**2 * m_t + E_g - se**2) / sigma**2, 2) / 2,
            "$w = \\bar w + z$ mode by mode, $\\mathbb{E}\\,\\bar w_k z_k(t) = -\\sigma_w^2 d_k(t)$; averaged over "
            "Marchenko–Pastur: $m(t) = \\int\\rho_{MP}\\,e^{-\\lambda t/\\tau} + (1 - \\alpha)^+$",
            verify=(mode_norm, "symbolic: Gaussian moments of one mode (the MP average is linear in them)"),
        )
        .build()
    )


def single_layer_label_information_derivation():
    r"""Derive the large-N :math:`I(T;Y)(t)` of the single-layer student: App G → scalar correlation → mode solutions.

    The result is what :func:`single_layer_information_plane` evaluates as ``"I_TY"`` (the tests compare them).
    """
    from theory import log_det
    from theory.derivation import DerivationBuilder, shown

    S = generalization.DERIVATION_SYMBOLS
    lam, t, tau, sw, se, s0 = (S[k] for k in ("lambda", "t", "tau", "sigma_w", "sigma_epsilon", "sigma_0"))
    sigma = sp.Symbol("sigma", positive=True)
    q = shown("norm2_w", r"\lVert w\rVert^2/N", positive=True)
    r = shown("overlap_w", r"w^\top\bar w/N", real=True)
    m_t = shown("m_t", "m(t)")
    wb, w0, ek = sp.symbols("wbar_k w0_k epsilon_k", real=True)
    d = sp.exp(-lam * t / tau)
    c_t, c_y = q + sigma**2, sw**2 + se**2  # Var T and Var y = ‖w̄‖²/N + σ_ε² → σ_w² + σ_ε²
    rho2 = r**2 / (c_t * c_y)

    def scalar(_previous: sp.Basic, new: sp.Basic) -> bool:
        # one T, one y: ½ log₂[C_T / (C_T − C_Ty²/C_y)] = −½ log₂(1 − ρ²)
        schur = sp.log(c_t / (c_t - r**2 / c_y), 2) / 2
        return sp.simplify(sp.expand_log(schur - new, force=True)) == 0

    def overlap(_previous: sp.Basic, new: sp.Basic) -> bool:
        # mode k: E[w̄_k (w̄_k + z_k(t))] = σ_w² (1 − d_k); the MP average is linear: check one mode
        z = (w0 - wb) * d + ek / lam * (1 - d)
        per_mode = _gaussian_expectation(wb * (wb + z), {wb: sw**2, w0: s0**2, ek: lam * se**2})
        return (
            sp.simplify(per_mode - sw**2 * (1 - d)) == 0
            and sp.simplify(new.subs(m_t, d) - (-sp.log(1 - (sw**2 * (1 - d)) ** 2 / (c_t * c_y), 2) / 2)) == 0
        )

    return (
        DerivationBuilder(
            "deep_linear.single_layer_label_information",
            "Single-layer linear student, large $N$: $I(T;Y)$ along gradient flow",
            None,
            "[P] §3, App G; [AS17]; derived here",
        )
        .define("I(T;Y)", log_det.label_information_derivation().result, "the exact $I(T;Y)$ of App G (Eqs 22–25)")
        .step(
            "I(T;Y)",
            -sp.log(1 - rho2, 2) / 2,
            "one output and one label: $C_T = \\lVert w\\rVert^2/N + \\sigma^2$, $C_{Ty} = w^\\top\\bar w/N$, "
            "$C_y = \\sigma_w^2 + \\sigma_\\epsilon^2$",
            verify=(scalar, "symbolic: the 1x1 Schur complement"),
        )
        .step(
            "I(T;Y)(t)",
            -sp.log(1 - (sw**2 * (1 - m_t)) ** 2 / (c_t * c_y), 2) / 2,
            "$w^\\top\\bar w/N = \\sigma_w^2(1 - m(t))$ from the mode solutions, averaged over Marchenko–Pastur",
            verify=(overlap, "symbolic: Gaussian moments of one mode (the MP average is linear in them)"),
        )
        .build()
    )


def derivations() -> list:
    """The closed-form information-plane derivations of linear networks (aligned modes; single-layer student)."""
    return [
        aligned_information_derivation(),
        single_layer_information_derivation(),
        single_layer_label_information_derivation(),
    ]
