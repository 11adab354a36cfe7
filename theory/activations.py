r"""The paper's activation functions as SymPy expressions, with their inverses on their ranges.

docs/formulas.md#s3-2 table and docs/formulas.md#s3-11 ([P] App B.2, Fig 11): tanh, ReLU, softsign, softplus (and the
identity, for the linear networks). Each :class:`SymbolicActivation` gives ``f(x)`` as a SymPy expression, its
derivative, its range as a SymPy set, the inverse ``f⁻¹(y)`` on the interior of the range (used by the exact bin
probabilities of Eqs 3–4), and a vectorised, overflow-free NumPy evaluation of that inverse (``inverse_numeric``) that
maps values at or below the range's infimum to ``-inf`` and values at or above its supremum to ``+inf``.

================  ======================  ==============  ===============================================
name              f(x)                    range           f⁻¹(y)
================  ======================  ==============  ===============================================
``"tanh"``        tanh x                  (−1, 1)         artanh y = ½ ln((1+y)/(1−y))
``"relu"``        max(0, x)               [0, ∞)          y (y > 0); P(h = 0) = ½ is a point mass
``"softsign"``    x / (1 + |x|)           (−1, 1)         y / (1 − |y|)
``"softplus"``    ln(1 + eˣ)              (0, ∞)          ln(eʸ − 1) = y + ln(1 − e^{−y})
``"linear"``      x                       ℝ               y
================  ======================  ==============  ===============================================

References
----------
.. [P] Saxe et al., "On the Information Bottleneck Theory of Deep Learning", ICLR 2018, §2, App B.2, Fig 11.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import sympy as sp

__all__ = ["ACTIVATIONS", "SymbolicActivation", "get_activation"]


@dataclass(frozen=True)
class SymbolicActivation:
    """A monotone non-decreasing scalar nonlinearity in closed form.

    Attributes
    ----------
    name : str
        ``"tanh"``, ``"relu"``, ``"softsign"``, ``"softplus"`` or ``"linear"``.
    range : sympy.Interval
        The set of values ``f`` takes on the real line.
    saturating : bool
        True for double-saturating units (tanh, softsign).
    flat_below_zero : bool
        True when ``f`` is constant for ``x ≤ 0`` (ReLU), so ``h = f(wX)`` has a point mass ``½`` at ``f(0)``.
    """

    name: str
    _forward: Callable[[sp.Expr], sp.Expr]
    _inverse: Callable[[sp.Expr], sp.Expr]
    _inverse_numeric: Callable[[np.ndarray], np.ndarray]
    range: sp.Interval
    saturating: bool
    flat_below_zero: bool = False

    def expr(self, x: sp.Expr) -> sp.Expr:
        """``f(x)`` as a SymPy expression."""
        return self._forward(x)

    def derivative(self, x: sp.Symbol) -> sp.Expr:
        """``f'(x)`` as a SymPy expression (ReLU: ``Heaviside(x, 0)``, i.e. 0 at ``x = 0``)."""
        d = sp.diff(self.expr(x), x)
        return d.replace(sp.Heaviside, lambda arg, *_: sp.Heaviside(arg, 0))

    def inverse(self, y: sp.Expr) -> sp.Expr:
        """``f⁻¹(y)`` for ``y`` in the interior of :attr:`range` (docs/formulas.md#s3-2 table)."""
        return self._inverse(y)

    def inverse_numeric(self, y: np.ndarray) -> np.ndarray:
        """Vectorised ``f⁻¹(y)`` in float64: ``-inf`` at or below inf(range), ``+inf`` at or above sup(range).

        For ReLU, ``f⁻¹(y) = y`` for ``y > 0`` and ``-inf`` for ``y ≤ 0``, so that ``Φ(f⁻¹(y)/w) = P(h < y)``
        counts the point mass at 0 exactly.
        """
        y = np.asarray(y, dtype=float)
        low, high = float(self.range.inf), float(self.range.sup)
        inside = (y > low) & (y < high)
        out = np.where(y <= low, -np.inf, np.inf)
        if np.any(inside):
            out = out.copy()
            out[inside] = self._inverse_numeric(y[inside])
        return out


def _softplus_inverse_numeric(y: np.ndarray) -> np.ndarray:
    # ln(e^y − 1): log(expm1(y)) is accurate for small y; y + log1p(−e^{−y}) avoids overflow for large y.
    small = y < 1.0
    safe_small = np.where(small, y, 1.0)
    safe_large = np.where(small, 1.0, y)
    return np.where(small, np.log(np.expm1(safe_small)), safe_large + np.log1p(-np.exp(-safe_large)))


ACTIVATIONS: dict[str, SymbolicActivation] = {
    "tanh": SymbolicActivation("tanh", sp.tanh, sp.atanh, np.arctanh, sp.Interval.open(-1, 1), saturating=True),
    "relu": SymbolicActivation(
        "relu",
        lambda x: sp.Max(0, x),
        lambda y: y,
        lambda y: y,
        sp.Interval(0, sp.oo),
        saturating=False,
        flat_below_zero=True,
    ),
    "softsign": SymbolicActivation(
        "softsign",
        lambda x: x / (1 + sp.Abs(x)),
        lambda y: y / (1 - sp.Abs(y)),
        lambda y: y / (1.0 - np.abs(y)),
        sp.Interval.open(-1, 1),
        saturating=True,
    ),
    "softplus": SymbolicActivation(
        "softplus",
        lambda x: sp.log(1 + sp.exp(x)),
        lambda y: sp.log(sp.exp(y) - 1),
        _softplus_inverse_numeric,
        sp.Interval.open(0, sp.oo),
        saturating=False,
    ),
    "linear": SymbolicActivation(
        "linear", lambda x: x, lambda y: y, lambda y: y, sp.Interval(-sp.oo, sp.oo), saturating=False
    ),
}


def get_activation(name: str | SymbolicActivation) -> SymbolicActivation:
    """Return the symbolic activation called `name` (a :class:`SymbolicActivation` is returned as it is).

    Parameters
    ----------
    name : str or SymbolicActivation
        One of ``"tanh"``, ``"relu"``, ``"softsign"``, ``"softplus"``, ``"linear"``, or an activation object.

    Returns
    -------
    SymbolicActivation

    Raises
    ------
    ValueError
        If `name` is not a known activation; the message lists the accepted names.

    Examples
    --------
    >>> import sympy as sp
    >>> x = sp.Symbol("x", real=True)
    >>> get_activation("softsign").expr(x)
    x/(Abs(x) + 1)
    >>> get_activation("tanh").inverse(sp.Rational(1, 2))
    atanh(1/2)
    """
    if isinstance(name, SymbolicActivation):
        return name
    try:
        return ACTIVATIONS[name]
    except (KeyError, TypeError):
        raise ValueError(f"activation must be one of {sorted(ACTIVATIONS)}, got name={name!r}") from None
