r"""Exact mutual information of linear-Gaussian channels, derived symbolically.

See docs/formulas.md#s3-5; [P] Eq 6, 21, 22–25.

The theory witness of :mod:`simulate.mi.gaussian`. Everything here is built from the one definition

.. math:: H(Z)=\tfrac12\ln\det(2\pi e\,\Sigma_Z)\ \text{nats for}\ Z\sim\mathcal N(\cdot,\Sigma_Z),

and the identities :math:`I(A;B)=H(A)+H(B)-H(A,B)` and :math:`I(T;X)=H(T)-H(T\mid X)`:

* :func:`mutual_information_expr`: :math:`I(T;X)` for :math:`T=WX+\epsilon` as :math:`H(T)-H(\epsilon)`
  (Eq 23 minus the noise entropy), in bits, for SymPy matrices with symbolic entries;
* :func:`label_mutual_information_expr`: :math:`I(T;Y)=H(Y)+H(T)-H(Y,T)` from the joint block covariance
  (Eqs 22–25, general Σ_x);
* :func:`subspace_mutual_information_expr`: :math:`I(T;X_S)=H(T)-H(T\mid X_S)` (the relevant / irrelevant split
  of §5, derived in docs/formulas.md#s3-5) and the chain rule;
* closed forms: the scalar channel, the printed Eq 6 / Eq 21 against the exact value (docs/choices.md#a9: printed = 2 ×
  exact, in nats);
* numeric evaluation with mpmath (:func:`mutual_information`, :func:`label_mutual_information`,
  :func:`subspace_mutual_information`, defined in :mod:`theory.gaussian_numeric` and re-exported here):
  determinants by ``mpmath.det`` at ``dps`` digits, independent of NumPy's LAPACK ``slogdet``.

All results are in **bits** unless a name says otherwise.

References
----------
.. [P] Saxe et al., "On the Information Bottleneck Theory of Deep Learning", ICLR 2018, §3 Eq 6, App C Eq 21,
   App G Eqs 22–25, §5.
.. [CT] Cover & Thomas, *Elements of Information Theory*, 2nd ed., Theorem 8.4.1.
"""

from __future__ import annotations

from collections.abc import Sequence

import sympy as sp

from theory.gaussian_numeric import label_mutual_information, mutual_information, subspace_mutual_information
from theory.latex import Formula
from theory.validation import integer, sympy_matrix, sympy_value

__all__ = [
    "entropy_expr",
    "formulas",
    "label_mutual_information",
    "label_mutual_information_expr",
    "mutual_information",
    "mutual_information_expr",
    "printed_eq6_scalar",
    "reparametrized_mutual_information",
    "scalar_mutual_information",
    "subspace_mutual_information",
    "subspace_mutual_information_expr",
]

_LOG2 = sp.log(2)


# ----------------------------------------------------------------------------------------------- symbolic
def entropy_expr(cov: sp.Matrix) -> sp.Expr:
    """Differential entropy of a Gaussian with covariance `cov`, in bits: ``½ log₂ det(2πe·cov)``.

    Parameters
    ----------
    cov : sympy.Matrix, shape (d, d)
        Covariance (symbolic entries allowed).

    Returns
    -------
    sympy.Expr
        The entropy in **bits**.

    References
    ----------
    .. [P] Saxe et al., ICLR 2018, App G Eqs 22–24 (there in nats).
    """
    cov = sympy_matrix("cov", cov)
    if cov.rows != cov.cols:
        raise ValueError(f"cov must be square, got shape {cov.shape}")
    d = cov.rows
    return (sp.Rational(d, 2) * sp.log(2 * sp.pi * sp.E) + sp.log(cov.det()) / 2) / _LOG2


def _check_shapes(W: sp.Matrix, Sigma_x: sp.Matrix) -> tuple[sp.Matrix, sp.Matrix]:
    W, Sigma_x = sympy_matrix("W", W), sympy_matrix("Sigma_x", Sigma_x)
    if Sigma_x.shape != (W.cols, W.cols):
        raise ValueError(f"Sigma_x must have shape ({W.cols}, {W.cols}) to match W, got {Sigma_x.shape}")
    return W, Sigma_x


def mutual_information_expr(W: sp.Matrix, Sigma_x: sp.Matrix, sigma2: sp.Expr) -> sp.Expr:
    r"""I(T;X) in bits for ``T = W X + ε``, ``ε ~ N(0, σ² I)``, as ``H(T) − H(T|X)`` (docs/formulas.md#s3-5, [P] Eq 23).

    .. math:: I(T;X)=H(T)-H(\epsilon)=\tfrac12\log_2\det(W\Sigma_xW^\top+\sigma^2I)-\tfrac{n}{2}\log_2\sigma^2

    Parameters
    ----------
    W : sympy.Matrix, shape (n, m)
        Map from the input to the layer.
    Sigma_x : sympy.Matrix, shape (m, m)
        Input covariance.
    sigma2 : sympy.Expr
        Analysis-noise variance σ²_MI (positive).

    Returns
    -------
    sympy.Expr
        I(T;X) in **bits** (not simplified).

    References
    ----------
    .. [P] Saxe et al., ICLR 2018, §3 Eq 6 (printed without ½, docs/choices.md#a9) and App G Eq 23.
    """
    W, Sigma_x = _check_shapes(W, Sigma_x)
    sigma2 = sympy_value("sigma2", sigma2)
    n = W.rows
    C_T = W * Sigma_x * W.T + sigma2 * sp.eye(n)
    return entropy_expr(C_T) - entropy_expr(sigma2 * sp.eye(n))


def label_mutual_information_expr(
    W: sp.Matrix, W_o: sp.Matrix, Sigma_x: sp.Matrix, sigma_o2: sp.Expr, sigma2: sp.Expr
) -> sp.Expr:
    r"""I(T;Y) in bits from [P] App G Eqs 22–25 with a general input covariance.

    .. math:: I(Y;T)=H(Y)+H(T)-H(Y,T),\quad
              C_{(T,Y)}=\begin{pmatrix}W\Sigma_xW^\top+\sigma^2I & W\Sigma_xW_o^\top\\
              W_o\Sigma_xW^\top & W_o\Sigma_xW_o^\top+\sigma_o^2I\end{pmatrix}

    Parameters
    ----------
    W : sympy.Matrix, shape (n_h, m)
        Map from the input to the layer.
    W_o : sympy.Matrix, shape (n_o, m)
        Teacher weights (``Y = W_o X + ε_o``).
    Sigma_x : sympy.Matrix, shape (m, m)
        Input covariance.
    sigma_o2, sigma2 : sympy.Expr
        Output-noise variance σ_o² and analysis-noise variance σ²_MI.

    Returns
    -------
    sympy.Expr
        I(T;Y) in **bits**.

    References
    ----------
    .. [P] Saxe et al., ICLR 2018, App G Eqs 22–25 (printed with Σ_x = I and I_{N_h} for I_{N_o} in Eq 24).
    """
    W, Sigma_x = _check_shapes(W, Sigma_x)
    W_o = sympy_matrix("W_o", W_o)
    sigma_o2, sigma2 = sympy_value("sigma_o2", sigma_o2), sympy_value("sigma2", sigma2)
    if W_o.cols != W.cols:
        raise ValueError(f"W_o must have {W.cols} columns like W, got shape {W_o.shape}")
    C_T = W * Sigma_x * W.T + sigma2 * sp.eye(W.rows)
    C_Y = W_o * Sigma_x * W_o.T + sigma_o2 * sp.eye(W_o.rows)
    C_TY = W * Sigma_x * W_o.T
    joint = sp.BlockMatrix([[C_T, C_TY], [C_TY.T, C_Y]]).as_explicit()
    return entropy_expr(C_Y) + entropy_expr(C_T) - entropy_expr(joint)


def _mask(subset: Sequence[int] | slice, m: int) -> list[bool]:
    """Membership mask of `subset` (a slice or indices in [−m, m); out-of-range indices are refused)."""
    if isinstance(subset, slice):
        chosen = set(range(m)[subset])
    else:
        if isinstance(subset, (str, bytes)) or not hasattr(subset, "__iter__"):
            raise TypeError(f"subset must be a slice or a sequence of integer indices, got {subset!r}")
        chosen = {integer("subset index", i, minimum=-m, maximum=m - 1) % m for i in subset}
    return [i in chosen for i in range(m)]


def subspace_mutual_information_expr(
    W: sp.Matrix, Sigma_x: sp.Matrix, sigma2: sp.Expr, subset: Sequence[int] | slice
) -> sp.Expr:
    r"""I(T;X_S) in bits for inputs X_S independent of the rest X_R (docs/formulas.md#s3-5, [P] §5).

    Given X_S, the layer is ``T = W_S X_S + (W_R X_R + ε)``, so ``H(T|X_S) = H(W_R X_R + ε)`` and

    .. math:: I(T;X_S)=\tfrac12\log_2\det(W\Sigma_xW^\top+\sigma^2I)
              -\tfrac12\log_2\det(W_R\Sigma_RW_R^\top+\sigma^2I)

    Parameters
    ----------
    W : sympy.Matrix, shape (n, m)
        Map from the input to the layer.
    Sigma_x : sympy.Matrix, shape (m, m)
        Block-diagonal input covariance (the subset independent of the rest).
    sigma2 : sympy.Expr
        Analysis-noise variance.
    subset : sequence of int or slice
        Indices of X_S.

    Returns
    -------
    sympy.Expr
        I(T;X_S) in **bits**.

    Raises
    ------
    ValueError
        If `Sigma_x` has a non-zero covariance between the subset and the rest.

    References
    ----------
    .. [P] Saxe et al., ICLR 2018, §5, Fig 6 (formula derived in docs/formulas.md#s3-5).
    """
    W, Sigma_x = _check_shapes(W, Sigma_x)
    sigma2 = sympy_value("sigma2", sigma2)
    mask = _mask(subset, W.cols)
    S = [i for i in range(W.cols) if mask[i]]
    R = [i for i in range(W.cols) if not mask[i]]
    if any(sp.simplify(Sigma_x[i, j]) != 0 for i in S for j in R):
        raise ValueError("Sigma_x must be block-diagonal: the subset must be independent of the other inputs")
    C_T = W * Sigma_x * W.T + sigma2 * sp.eye(W.rows)
    if R:
        W_R = W.extract(list(range(W.rows)), R)
        C_rest = W_R * Sigma_x.extract(R, R) * W_R.T + sigma2 * sp.eye(W.rows)
    else:
        C_rest = sigma2 * sp.eye(W.rows)
    return entropy_expr(C_T) - entropy_expr(C_rest)


# ----------------------------------------------------------------------------------------------- closed forms
#: Symbols of the scalar closed forms: weight w (w₁ of Eq 21), rescaling c, input standard deviation s and
#: analysis-noise standard deviation σ (σ² = σ²_MI). Subscript-free so that the LaTeX export round-trips.
w, c, s, sigma = sp.symbols("w c s sigma", positive=True)


def scalar_mutual_information() -> sp.Expr:
    """Closed form of the scalar channel ``T = wX + ε``, ``X ~ N(0, s²)``, ``ε ~ N(0, σ²)``: ``½ log₂(1 + w²s²/σ²)``.

    Returns
    -------
    sympy.Expr
        In the module symbols ``w, s, sigma`` (all positive); **bits**.

    References
    ----------
    .. [P] Saxe et al., ICLR 2018, §3 Eq 6 and App C Eq 21 (exact form, docs/choices.md#a9).

    Examples
    --------
    >>> scalar_mutual_information().subs({w: 1, s: 1, sigma: 1})
    1/2
    """
    return sp.log(1 + w**2 * s**2 / sigma**2, 2) / 2


def printed_eq6_scalar() -> sp.Expr:
    """[P] Eq 6 / Eq 21 as printed for a scalar layer with Σ_x = 1: ``log(w² + σ²) − log σ²`` (nats, no ½).

    It equals twice the exact value in nats (docs/choices.md#a9); see :func:`scalar_mutual_information`.

    Returns
    -------
    sympy.Expr
        The printed expression in the module symbols ``w, sigma``.

    References
    ----------
    .. [P] Saxe et al., ICLR 2018, §3 Eq 6, App C Eq 21; docs/choices.md#a9/#a10.
    """
    return sp.log(w**2 + sigma**2) - sp.log(sigma**2)


def reparametrized_mutual_information() -> sp.Expr:
    r"""Exact I(T;X) in bits for the rescaled first layer ``w̃₁ = w₁/c`` of [P] App C Eq 21 (X ~ N(0,1)).

    .. math:: I(T;X)=\tfrac12\log_2\big(1+w_1^2/(c^2\sigma^2)\big)

    The input–output map ``w̃₂w̃₁ = w₂w₁`` does not depend on c while this does (C14).

    Returns
    -------
    sympy.Expr
        In the module symbols ``w, c, sigma``; **bits**.

    References
    ----------
    .. [P] Saxe et al., ICLR 2018, App C Eq 21 (printed as the log-ratio without ½).
    """
    return scalar_mutual_information().subs({w: w / c, s: 1})


# ----------------------------------------------------------------------------------------------- LaTeX export
def formulas() -> list[Formula]:
    """The Gaussian-channel formulas for LaTeX export (see :mod:`theory.latex`).

    Returns
    -------
    list of Formula
        The exact scalar channel (unit input variance) and the printed Eq 6 / Eq 21 (twice the exact nats).
        Only forms that survive the LaTeX round trip of :func:`theory.latex.round_trip` are exported.
    """
    return [
        Formula(
            key="gaussian.scalar_channel",
            title="Exact I(T;X) in bits of a scalar Gaussian channel T = wX + noise, unit input variance",
            lhs="I(T;X)",
            rhs=scalar_mutual_information().subs(s, 1),
            equation=None,
            source="docs/formulas.md#s3-5 (exact form of [P] Eq 6 and Eq 21; docs/choices.md#a9)",
        ),
        Formula(
            key="gaussian.printed_eq6",
            title="[P] Eq 6 / Eq 21 as printed for a scalar layer (nats, twice the exact value)",
            lhs="I_{\\mathrm{printed}}(T;X)",
            rhs=printed_eq6_scalar(),
            equation="6",
            source="[P] Eq 6, Eq 21",
        ),
    ]
