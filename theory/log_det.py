r"""The log-det mutual-information family derived step by step ([P] Eq 6, App G Eqs 22–25, §5; docs/formulas.md#s3-5).

For the analysis channel :math:`T=\bar WX+\epsilon` with :math:`X\sim\mathcal N(0,\Sigma_x)` and
:math:`\epsilon\sim\mathcal N(0,\sigma^2I)` independent, every information quantity of a linear layer is a
difference of Gaussian entropies :math:`h(Z)=\tfrac12\log\det(2\pi e\Sigma_Z)`. The derivations here are written
with SymPy **matrix symbols** (:math:`\bar W`, :math:`\Sigma_x`, ...) of general shape; where SymPy cannot close
a matrix identity symbolically (a determinant of a sum), the step is checked symbolically on **explicit small
matrices with symbolic entries** (:data:`EXPLICIT_SHAPES`), which is stated in the step's check. The final
expressions are the ones :mod:`theory.gaussian` evaluates (mpmath determinants) and
:mod:`simulate.mi.gaussian` evaluates (LAPACK): the tests compare them at random matrices.

Information is in **bits**: the last step of each derivation divides the nats by :math:`\ln 2` once.

References
----------
.. [P] Saxe et al., "On the Information Bottleneck Theory of Deep Learning", ICLR 2018, §3 Eq 6, App G Eqs 22–25,
   §5 (Fig 6).
.. [CT] Cover & Thomas, *Elements of Information Theory*, 2nd ed., Theorem 8.4.1 (Gaussian entropy).
"""

from __future__ import annotations

import functools

import numpy as np
import sympy as sp
from scipy import stats

from theory.derivation import Derivation, DerivationBuilder, shown

__all__ = [
    "EXPLICIT_SHAPES",
    "SYMBOLS",
    "derivations",
    "formulas",
    "information_derivation",
    "label_information_derivation",
    "subspace_information_derivation",
]

_n, _m, _k = sp.symbols("n m k", integer=True, positive=True)  # widths of T, X and Y
_r = sp.Symbol("r", integer=True, positive=True)  # width of X_rel (X_irr has m - r)

#: The symbols of the derivations: matrix symbols of general shape and the scalar noise variances.
SYMBOLS: dict[str, sp.Basic] = {
    "W": sp.MatrixSymbol(r"\bar{W}", _n, _m),
    "Sigma_x": sp.MatrixSymbol(r"\Sigma_{x}", _m, _m),
    "W_o": sp.MatrixSymbol("W_{o}", _k, _m),
    "W_rel": sp.MatrixSymbol(r"\bar{W}_{r}", _n, _r),
    "W_irr": sp.MatrixSymbol(r"\bar{W}_{i}", _n, _m - _r),
    "Sigma_rel": sp.MatrixSymbol(r"\Sigma_{r}", _r, _r),
    "Sigma_irr": sp.MatrixSymbol(r"\Sigma_{i}", _m - _r, _m - _r),
    "sigma2": sp.Symbol("sigma", positive=True) ** 2,
    "sigma_o2": sp.Symbol("sigma_o", positive=True) ** 2,
}

#: Shapes of the explicit matrices on which matrix steps are checked: T of width 2, X of width 3 (split 2 + 1),
#: Y of width 1. Entries are independent symbols; Σ_x (and its blocks) are diagonal with positive entries.
EXPLICIT_SHAPES = {"n": 2, "m": 3, "k": 1, "r": 2}


def _explicit() -> dict:
    n, m, k, r = (EXPLICIT_SHAPES[key] for key in ("n", "m", "k", "r"))
    W = sp.Matrix(n, m, sp.symbols(f"w0:{n * m}", real=True))
    Wo = sp.Matrix(k, m, sp.symbols(f"v0:{k * m}", real=True))
    s = sp.symbols(f"s0:{m}", positive=True)
    S = sp.diag(*s)
    return {
        "W": W,
        "Sigma_x": S,
        "W_o": Wo,
        "W_rel": W[:, :r],
        "W_irr": W[:, r:],
        "Sigma_rel": S[:r, :r],
        "Sigma_irr": S[r:, r:],
        "sizes": {_n: n, _m: m, _k: k, _r: r},
    }


def _realize(expr: sp.Basic) -> sp.Basic:
    """`expr` with every matrix symbol replaced by its explicit matrix and every determinant evaluated."""
    concrete = _explicit()
    sizes = concrete.pop("sizes")
    mapping = {SYMBOLS[key]: value for key, value in concrete.items()}
    out = expr.xreplace(mapping)
    out = out.replace(lambda e: isinstance(e, sp.Identity), lambda e: sp.eye(int(e.shape[0].subs(sizes))))
    out = out.replace(
        lambda e: isinstance(e, sp.ZeroMatrix), lambda e: sp.zeros(*(int(d.subs(sizes)) for d in e.shape))
    )
    out = out.replace(lambda e: isinstance(e, sp.Determinant), lambda e: sp.Matrix(e.arg.doit().as_explicit()).det())
    out = out.replace(lambda e: isinstance(e, sp.BlockMatrix), lambda e: e.as_explicit())
    return out.doit().subs(sizes)


def _same_on_explicit(previous: sp.Basic, new: sp.Basic) -> bool:
    diff = sp.expand_log(_realize(previous) - _realize(new), force=True)
    return sp.simplify(diff) == 0


_EXPLICIT = (
    _same_on_explicit,
    "symbolic, on explicit matrices with symbolic entries (T of width 2, X of width 3, Y of width 1): SymPy "
    "cannot expand the determinant of a sum of general matrix symbols",
)


def _gaussian_entropy_check(_previous: sp.Basic, _new: sp.Basic) -> bool:
    """h(N(0, Σ)) = ½ log det(2πeΣ): SymPy's integral in 1-D, and SciPy's entropy at random 3×3 covariances."""
    x = sp.Symbol("x", real=True)
    v = sp.Symbol("v", positive=True)
    density = sp.exp(-(x**2) / (2 * v)) / sp.sqrt(2 * sp.pi * v)
    one_d = sp.integrate(sp.expand_log(-density * sp.log(density), force=True), (x, -sp.oo, sp.oo))
    ok = sp.simplify(one_d - sp.log(2 * sp.pi * sp.E * v) / 2) == 0
    rng = np.random.default_rng(5)
    for _ in range(3):
        A = rng.normal(size=(3, 3))
        cov = A @ A.T + 0.5 * np.eye(3)
        formula = 0.5 * np.linalg.slogdet(2 * np.pi * np.e * cov)[1]
        ok = ok and abs(formula - stats.multivariate_normal(cov=cov).entropy()) < 1e-12 * abs(formula)
    return bool(ok)


_GAUSSIAN_ENTROPY = (
    _gaussian_entropy_check,
    "Gaussian entropy h = (1/2) log det(2 pi e Sigma): SymPy integrates -p log p in 1-D; SciPy's "
    "multivariate_normal.entropy agrees to 1e-12 at 3 random 3x3 covariances [CT Thm 8.4.1]",
)


def _logdet(A: sp.Basic) -> sp.Expr:
    return sp.log(sp.Determinant(A))


@functools.cache
def information_derivation() -> Derivation:
    r"""Derive :math:`I(T;X)=\frac{1}{2\ln2}\log\det(I+\bar W\Sigma_x\bar W^\top/\sigma^2)` bits ([P] Eq 6, exact)."""
    W, S, s2 = SYMBOLS["W"], SYMBOLS["Sigma_x"], SYMBOLS["sigma2"]
    I_n = sp.Identity(_n)
    C_T = W * S * W.T + s2 * I_n
    h_T, h_TX = shown("h_T", "h(T)"), shown("h_T_given_X", r"h(T \mid X)")
    two_pi_e = 2 * sp.pi * sp.E
    return (
        DerivationBuilder(
            "log_det.information",
            r"Linear layer $T = \bar W X + \epsilon$: the exact $I(T;X)$ (log-det form of Eq 6)",
            "6",
            "[P] §3 Eq 6 (printed without the 1/2 and in nats, docs/choices.md#a9); App G Eq 23",
        )
        .define("I(T;X)", h_T - h_TX, "definition: $I(T;X) = h(T) - h(T \\mid X)$")
        .step(
            "I(T;X)",
            (_logdet(two_pi_e * C_T) - _logdet(two_pi_e * s2 * I_n)) / 2,
            "$T \\sim N(0, \\bar W\\Sigma_x\\bar W^\\top + \\sigma^2 I)$ and "
            "$T \\mid X \\sim N(\\bar W X, \\sigma^2 I)$ are Gaussian, $h = \\frac12\\log\\det(2\\pi e\\Sigma)$ (nats)",
            verify=_GAUSSIAN_ENTROPY,
        )
        .step(
            "I(T;X)",
            (_logdet(C_T) - _logdet(s2 * I_n)) / 2,
            "$\\det(cA) = c^n\\det A$: the factors $2\\pi e$ cancel",
            verify=_EXPLICIT,
        )
        .step(
            "I(T;X)",
            _logdet(I_n + W * S * W.T / s2) / 2,
            "$\\bar W\\Sigma_x\\bar W^\\top + \\sigma^2 I = \\sigma^2(I + \\bar W\\Sigma_x\\bar W^\\top/\\sigma^2)$",
            verify=_EXPLICIT,
        )
        .step(
            "I(T;X)",
            _logdet(I_n + W * S * W.T / s2) / (2 * sp.log(2)),
            "in bits: divide by $\\ln 2$",
            verify=(lambda prev, new: sp.simplify(_realize(new) * sp.log(2) - _realize(prev)) == 0, "symbolic (bits)"),
        )
        .build()
    )


@functools.cache
def label_information_derivation() -> Derivation:
    r"""Derive :math:`I(T;Y)` for the teacher :math:`Y=W_oX+\epsilon_o` ([P] App G Eqs 22–25, general Σ_x)."""
    W, S, Wo = SYMBOLS["W"], SYMBOLS["Sigma_x"], SYMBOLS["W_o"]
    s2, so2 = SYMBOLS["sigma2"], SYMBOLS["sigma_o2"]
    C_T = W * S * W.T + s2 * sp.Identity(_n)
    C_Y = Wo * S * Wo.T + so2 * sp.Identity(_k)
    C_TY, C_YT = W * S * Wo.T, Wo * S * W.T  # Σ_x is symmetric: C_YT = C_TYᵀ
    joint = sp.BlockMatrix([[C_T, C_TY], [C_YT, C_Y]])
    h_T, h_Y, h_TY = shown("h_T", "h(T)"), shown("h_Y", "h(Y)"), shown("h_TY", "h(T, Y)")
    two_pi_e = 2 * sp.pi * sp.E
    return (
        DerivationBuilder(
            "log_det.label_information",
            r"Linear layer and linear teacher $Y = W_o X + \epsilon_o$: the exact $I(T;Y)$",
            "22-25",
            "[P] App G Eqs 22–25 (printed with $\\Sigma_x = I$)",
        )
        .define("I(T;Y)", h_T + h_Y - h_TY, "definition: $I(T;Y) = h(T) + h(Y) - h(T, Y)$")
        .step(
            "I(T;Y)",
            (_logdet(two_pi_e * C_T) + _logdet(two_pi_e * C_Y) - _logdet(two_pi_e * joint)) / 2,
            "$(T, Y)$ is jointly Gaussian with cross-covariance $\\bar W\\Sigma_x W_o^\\top$ (Eqs 22–24)",
            verify=_GAUSSIAN_ENTROPY,
        )
        .step(
            "I(T;Y)",
            (_logdet(C_T) + _logdet(C_Y) - _logdet(joint)) / 2,
            "$\\det(cA) = c^{\\dim A}\\det A$: the factors $2\\pi e$ cancel ($n + k$ on both sides)",
            verify=_EXPLICIT,
        )
        .step(
            "I(T;Y)",
            (_logdet(C_T) - _logdet(C_T - C_TY * C_Y.I * C_YT)) / 2,
            "Schur complement: $\\det\\begin{pmatrix}A & B\\\\ B^\\top & D\\end{pmatrix} = "
            "\\det D\\,\\det(A - BD^{-1}B^\\top)$",
            verify=_EXPLICIT,
        )
        .step(
            "I(T;Y)",
            (_logdet(C_T) - _logdet(C_T - C_TY * C_Y.I * C_YT)) / (2 * sp.log(2)),
            "in bits: divide by $\\ln 2$",
            verify=(lambda prev, new: sp.simplify(_realize(new) * sp.log(2) - _realize(prev)) == 0, "symbolic (bits)"),
        )
        .build()
    )


@functools.cache
def subspace_information_derivation() -> Derivation:
    r"""Derive the relevant / irrelevant split :math:`I(T;X_r)` for independent blocks ([P] §5, Fig 6).

    See docs/formulas.md#s3-5.
    """
    Wr, Wi, Sr, Si = (SYMBOLS[key] for key in ("W_rel", "W_irr", "Sigma_rel", "Sigma_irr"))
    s2 = SYMBOLS["sigma2"]
    I_n = sp.Identity(_n)
    C_T = Wr * Sr * Wr.T + Wi * Si * Wi.T + s2 * I_n
    C_rest = Wi * Si * Wi.T + s2 * I_n
    h_T, h_Tr = shown("h_T", "h(T)"), shown("h_T_given_Xr", r"h(T \mid X_r)")
    two_pi_e = 2 * sp.pi * sp.E
    return (
        DerivationBuilder(
            "log_det.subspace_information",
            r"Task-relevant inputs $X_r$ independent of the irrelevant $X_i$: the exact $I(T;X_r)$",
            None,
            "[P] §5, Fig 6; derived in docs/formulas.md#s3-5",
        )
        .define("I(T;X_r)", h_T - h_Tr, "definition: $I(T;X_r) = h(T) - h(T \\mid X_r)$")
        .step(
            "I(T;X_r)",
            (_logdet(two_pi_e * C_T) - _logdet(two_pi_e * C_rest)) / 2,
            "given $X_r$, $T = \\bar W_r X_r + (\\bar W_i X_i + \\epsilon)$: a shift of the Gaussian "
            "$\\bar W_i X_i + \\epsilon$ ($\\Sigma_x$ block-diagonal)",
            verify=_GAUSSIAN_ENTROPY,
        )
        .step(
            "I(T;X_r)",
            (_logdet(C_T) - _logdet(C_rest)) / (2 * sp.log(2)),
            "the factors $2\\pi e$ cancel; in bits",
            verify=(
                lambda prev, new: (
                    sp.simplify(sp.expand_log(_realize(new) * sp.log(2) - _realize(prev), force=True)) == 0
                ),
                "symbolic, on explicit matrices (X_r of width 2, X_i of width 1)",
            ),
        )
        .build()
    )


def derivations() -> list[Derivation]:
    """The log-det family: I(T;X) (Eq 6), I(T;Y) (Eqs 22–25), the relevant / irrelevant split (§5)."""
    return [information_derivation(), label_information_derivation(), subspace_information_derivation()]


def formulas() -> list:
    """The log-det family for LaTeX export (:mod:`theory.latex`): the results of :func:`derivations`."""
    from theory.latex import Formula

    info = information_derivation()
    W, S, s2 = SYMBOLS["W"], SYMBOLS["Sigma_x"], SYMBOLS["sigma2"]
    difference = (_logdet(W * S * W.T + s2 * sp.Identity(_n)) - _logdet(s2 * sp.Identity(_n))) / (2 * sp.log(2))
    return [
        Formula(
            "log_det.information_difference",
            r"Linear layer $T = \bar W X + \epsilon$, $\epsilon \sim N(0, \sigma^2 I)$: $I(T;X) = h(T) - h(T \mid X)$",
            "I(T;X)",
            difference,
            "6",
            "[P] Eq 6 (exact form: the paper prints it without the 1/2 and in nats, docs/choices.md#a9)",
        ),
        Formula(
            "log_det.information",
            r"The same, as one log-determinant",
            "I(T;X)",
            info.result,
            "6",
            "[P] Eq 6; App G Eq 23",
        ),
        Formula(
            "log_det.label_information",
            r"Linear layer and linear teacher $Y = W_o X + \epsilon_o$: information about the label",
            "I(T;Y)",
            label_information_derivation().result,
            "22-25",
            r"[P] App G Eqs 22–25 (general $\Sigma_x$)",
        ),
        Formula(
            "log_det.subspace_information",
            r"Task-relevant inputs $X_r$, independent of the irrelevant $X_i$: $I(T;X_r)$",
            "I(T;X_r)",
            subspace_information_derivation().result,
            None,
            "[P] §5, Fig 6; docs/formulas.md#s3-5",
        ),
    ]
