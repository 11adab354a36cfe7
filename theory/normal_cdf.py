r"""The standard normal CDF :math:`\Phi` as a SymPy function that prints as :math:`\Phi` in LaTeX.

:math:`\Phi(z) = \tfrac12\,[1 + \operatorname{erf}(z/\sqrt2)]` (docs/formulas.md#s3-2). Keeping :math:`\Phi` as its own
function keeps the exported formulas in the paper's notation (Eqs 3–4); ``expr.rewrite(sympy.erf)`` gives the
erf form for evaluation.

References
----------
.. [P] Saxe et al., "On the Information Bottleneck Theory of Deep Learning", ICLR 2018, §2, Eqs 3–4.
"""

from __future__ import annotations

import sympy as sp

from theory.validation import sympy_value

__all__ = ["Phi"]


class Phi(sp.Function):
    r"""Standard normal cumulative distribution function :math:`\Phi(z) = P(Z \le z)`, :math:`Z \sim N(0,1)`.

    Examples
    --------
    >>> import sympy as sp
    >>> Phi(0), Phi(sp.oo), Phi(-sp.oo)
    (1/2, 1, 0)
    >>> Phi(sp.Symbol("z")).rewrite(sp.erf)
    erf(sqrt(2)*z/2)/2 + 1/2
    """

    nargs = 1

    def __new__(cls, *args: object, **options: object):
        """Convert the argument with :func:`theory.validation.sympy_value` (strings are refused, never parsed)."""
        return super().__new__(cls, *(sympy_value("z", arg, allow_complex=True) for arg in args), **options)

    @classmethod
    def eval(cls, z: sp.Expr) -> sp.Expr | None:
        """Evaluate at 0 and ±∞; otherwise stay unevaluated."""
        if z is sp.S.Zero:
            return sp.S.Half
        if z is sp.S.Infinity:
            return sp.S.One
        if z is sp.S.NegativeInfinity:
            return sp.S.Zero
        return None

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        r"""The standard normal density :math:`\varphi(z) = e^{-z^2/2}/\sqrt{2\pi}`."""
        z = self.args[0]
        return sp.exp(-(z**2) / 2) / sp.sqrt(2 * sp.pi)

    def _eval_rewrite_as_erf(self, z: sp.Expr, **kwargs: object) -> sp.Expr:
        return (1 + sp.erf(z / sp.sqrt(2))) / 2

    def _eval_evalf(self, prec: int) -> sp.Expr:
        return self.rewrite(sp.erf)._eval_evalf(prec)

    def _latex(self, printer: sp.printing.latex.LatexPrinter) -> str:
        return r"\Phi\left(" + printer._print(self.args[0]) + r"\right)"
