r"""Entropy-based adaptive binning (EBAB) of the minimal model, in closed form ([CHO19] §3; [P] §2, Eqs 1–4).

The follow-up paper [CHO19] bins a layer with edges placed so that every bin holds the same number of activity
values (or of distinct activation levels; ``simulate.mi.ebab``). For the minimal model of [P] §2,
:math:`X\sim N(0,1)`, :math:`h=f(wX)`, :math:`w>0`, the population version of that rule has a closed form that
does not depend on w:

* **f strictly increasing and continuous** (tanh, softsign, softplus, linear): the equal-mass edges are
  :math:`e_k=f\big(w\,\Phi^{-1}(k/B)\big)`, :math:`k=1,\dots,B-1`; since :math:`f(w\,\cdot)` is strictly increasing,
  :math:`P(e_k\le h<e_{k+1})=P(\Phi^{-1}(k/B)\le X<\Phi^{-1}((k+1)/B))=1/B` for every bin, so
  :math:`I(T;X)=H(T)=\log_2 B` for **every** w > 0: EBAB sees no compression (nor fitting) in a single monotone
  unit, whatever its saturation, because the bins follow the activity.
* **ReLU**: :math:`h=\max(0,wX)` has a point mass ½ at 0 that no bin can split. Counting distinct levels
  (``count="unique"``, [CHO19]) the atom is one level of measure zero, the continuous half is cut into B equal
  parts, and the atom shares the first: masses :math:`\tfrac12+\tfrac1{2B}` and :math:`B-1` times
  :math:`\tfrac1{2B}`. Counting values (``count="values"``, equal mass) the cut points inside the atom merge: the
  first bin holds the atom up to the first level :math:`k^*/B\ge\tfrac12`, :math:`k^*=\lceil B/2\rceil`, mass
  :math:`k^*/B`, and :math:`B-k^*` bins hold :math:`1/B` each. Both are independent of w.

:func:`population_edges` gives the edges at a given w, so that :func:`theory.three_neuron.mutual_information`
(the exact binned information of [P] Eqs 3–4) can confirm the masses; :func:`population_bin_masses` and
:func:`population_information` are the w-free closed forms (exact SymPy numbers, bits). See docs/choices.md#e4.

References
----------
.. [CHO19] Chelombiev, Houghton & O'Donnell, "Adaptive estimators show information compression in deep neural
   networks", ICLR 2019, arXiv:1902.09037, §3.
.. [P] Saxe et al., "On the Information Bottleneck Theory of Deep Learning", ICLR 2018, §2, Eqs 1–4.
"""

from __future__ import annotations

import numpy as np
import sympy as sp
from scipy.special import ndtri

from theory.activations import get_activation
from theory.three_neuron import entropy_expr
from theory.validation import integer, positive_float

__all__ = ["COUNTS", "population_bin_masses", "population_edges", "population_information"]

COUNTS = ("unique", "values")
"""Equal numbers of distinct activation levels ([CHO19]) or of values (equal mass); see ``simulate.mi.ebab``."""

#: Largest bin count: the masses are exact rationals, one per bin.
_MAX_BINS = 100_000
#: Stand-in for the edge 0⁺ just above ReLU's atom (B even, ``count="values"``): the continuous mass it leaves in
#: the atom's bin, Φ(1e-300/w) − ½ ≈ 4e-301/w, is far below float64 resolution of the bin probabilities.
_ABOVE_ATOM = 1e-300


def _count(count: object) -> str:
    if not isinstance(count, str):
        raise TypeError(f"count must be one of {COUNTS}, got {type(count).__name__}")
    if count not in COUNTS:
        raise ValueError(f"count must be one of {COUNTS}, got {count!r}")
    return count


def _relu(activation: object) -> bool:
    act = get_activation(activation)
    return bool(act.flat_below_zero)


def population_bin_masses(activation: str, n_bins: int, count: str = "unique") -> list[sp.Rational]:
    """Probabilities of the non-empty population EBAB bins of ``h = f(wX)``, X ~ N(0, 1), any w > 0 ([CHO19] §3).

    Parameters
    ----------
    activation : str
        ``"tanh"``, ``"relu"``, ``"softsign"``, ``"softplus"`` or ``"linear"``.
    n_bins : int
        Number of bins B, 2 ≤ B ≤ 100 000.
    count : {"unique", "values"}
        Equal numbers of distinct levels ([CHO19]) or of values.

    Returns
    -------
    list of sympy.Rational
        The masses, summing to 1 (see the module docstring).

    Examples
    --------
    >>> population_bin_masses("tanh", 4)
    [1/4, 1/4, 1/4, 1/4]
    >>> population_bin_masses("relu", 4), population_bin_masses("relu", 4, "values")
    ([5/8, 1/8, 1/8, 1/8], [1/2, 1/4, 1/4])
    """
    n = integer("n_bins", n_bins, minimum=2, maximum=_MAX_BINS)
    count = _count(count)
    B = sp.Integer(n)
    if not _relu(activation):
        return [1 / B] * n
    if count == "unique":
        return [sp.Rational(1, 2) + 1 / (2 * B)] + [1 / (2 * B)] * (n - 1)
    first = (n + 1) // 2  # k* = ceil(B/2)
    return [sp.Integer(first) / B] + [1 / B] * (n - first)


def population_information(activation: str, n_bins: int, count: str = "unique") -> sp.Expr:
    r"""Population EBAB :math:`I(T;X)=H(T)` of the minimal model in **bits**, the same for every w > 0.

    Parameters
    ----------
    activation, n_bins, count
        As :func:`population_bin_masses`.

    Returns
    -------
    sympy.Expr
        Exact entropy of the masses of :func:`population_bin_masses` in bits (``log(B)/log(2)`` for strictly
        increasing units).

    Examples
    --------
    >>> population_information("softsign", 30)
    log(30)/log(2)
    >>> float(population_information("relu", 30))
    3.3472
    """
    return sp.nsimplify(entropy_expr(population_bin_masses(activation, n_bins, count)), rational=False)


def population_edges(activation: str, w: float, n_bins: int, count: str = "unique") -> np.ndarray:
    r"""The population EBAB edges of ``h = f(wX)`` at weight w > 0, for :func:`theory.three_neuron.mutual_information`.

    Interior edges :math:`f(w\,\Phi^{-1}(k/B))` (strictly increasing f), :math:`w\,\Phi^{-1}(\tfrac12+\tfrac k{2B})`
    (ReLU, ``unique``) or the equal-mass levels above ReLU's atom (``values``), with one outer edge on each side
    (the outer edges only count bins: the first and last bins are open-ended).

    Parameters
    ----------
    activation : str
        As :func:`population_bin_masses`.
    w : float
        Weight w > 0, small enough that float64 resolves the edges (for tanh, |w Φ⁻¹(1/B)| ≲ 18).
    n_bins, count
        As :func:`population_bin_masses`.

    Returns
    -------
    numpy.ndarray
        Strictly increasing float64 edges.

    Raises
    ------
    ValueError
        For w ≤ 0, a bad `n_bins` or `count`, or edges that float64 cannot resolve (saturated f at large w).

    Examples
    --------
    >>> from theory.three_neuron import mutual_information
    >>> round(float(mutual_information("tanh", 2.0, population_edges("tanh", 2.0, 8))), 12)
    3.0
    """
    act = get_activation(activation)
    w = positive_float("w", w)
    n = integer("n_bins", n_bins, minimum=2, maximum=_MAX_BINS)
    count = _count(count)
    k = np.arange(1, n)
    if not act.flat_below_zero:
        x = sp.Symbol("x")
        forward = sp.lambdify(x, act.expr(x), "numpy")
        interior = forward(w * ndtri(k / n))
    elif count == "unique":
        interior = w * ndtri(0.5 + k / (2 * n))
    else:
        levels = k[2 * k >= n]  # cut levels k/B ≥ 1/2; those below sit inside the atom and merge with it
        interior = np.where(2 * levels == n, _ABOVE_ATOM, w * ndtri(levels / n))
    interior = np.asarray(interior, dtype=np.float64)
    edges = np.concatenate([[interior[0] - 1.0], interior, [interior[-1] + 1.0]])
    if not (np.all(np.isfinite(edges)) and np.all(np.diff(edges) > 0)):
        raise ValueError(f"w={w}: the {n} EBAB edges of {act.name} are not resolvable in float64 (saturated)")
    return edges
