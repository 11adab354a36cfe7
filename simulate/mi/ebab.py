r"""Entropy-based adaptive binning (EBAB) of a layer, and its binned I(X;T), I(T;Y) in bits ([CHO19] §3).

The follow-up paper to [P], Chelombiev, Houghton & O'Donnell [CHO19], replaces the fixed bins of [P] §2 by bins
adapted to the activity they bin: for every layer, at every epoch, the edges are placed so that each of the
``n_bins`` bins holds the same number of activity values (maximising the entropy of the binned marginal, hence
the name). The same edges are shared by every unit of the layer; each row's pattern of bin codes is one symbol
``t`` and the information follows from the plug-in entropies exactly as for fixed bins
(:mod:`simulate.mi.binning`):

.. math:: I(X;T)=\hat H(T),\qquad I(T;Y)=\hat H(T)-\sum_y p(y)\,\hat H(T\mid Y=y).

The labels are binned with the layer's own edges (the bins are not re-adapted within a class).

**What is counted** (the ``count`` option). [CHO19] count *unique observed activation levels*: the distinct values
of the layer are sorted and the bins take equal numbers of them (``count="unique"``, the default; the authors'
code, ``ivansche/adaptive_estimators``, ``set_up_bins(maxentropy=True)``, does the same). ``count="values"`` counts
every value instead (equal-mass bins, quantile edges). For continuous activity with distinct values the two are
identical.

**Ties** (tanh saturates, so many values equal ±1.0 exactly in float64; ReLU puts many at 0). Binning is by value:
all copies of a value always share one bin, whatever the rule, so a bin is never split inside a tie and the
result is deterministic (no random tie-breaking, no dependence on the order of samples or units). With
``count="unique"`` a tied level counts once, so a saturated atom occupies one level of one bin and the other bins
keep resolving the unsaturated values; with ``count="values"`` an atom holding more than a bin's share absorbs the
cut points that fall inside it (those edges coincide and merge), so the layer has fewer non-empty bins. When the
layer has at most ``n_bins`` distinct values, every distinct value is its own bin (the binning is then exact).

Edges and semantics: with the sorted distinct values :math:`u_0<\dots<u_{U-1}` (``unique``) or all sorted values
:math:`v_0\le\dots\le v_{n-1}` (``values``), the interior edges are :math:`e_k=u_{\lfloor kU/B\rfloor}` (resp.
:math:`v_{\lfloor kn/B\rfloor}`), :math:`k=1,\dots,B-1`, duplicates merged, and a value :math:`h` gets the code
:math:`\#\{k: e_k\le h\}` (bins :math:`[e_k,e_{k+1})`, outer bins open-ended). With ``unique`` and :math:`U\ge B`,
bin k holds :math:`\lfloor (k+1)U/B\rfloor-\lfloor kU/B\rfloor` levels, i.e. exactly :math:`U/B` when B divides U.

Properties (tested in ``tests/test_mi_ebab.py``): on N distinct values with B dividing N, :math:`\hat H(T)=\log_2 B`
exactly; the codes, hence both informations, are unchanged by any strictly increasing transform of the activity
applied to every unit (fixed-width bins lack this); on the three-neuron model :math:`h=\tanh(wX)` the estimate is
therefore the same for every :math:`w>0` as long as float64 keeps the values distinct
(:mod:`theory.adaptive_binning` has the population closed forms).

Choices where [CHO19] is silent (docs/choices.md#e1, #e2): the authors' code adds an
extra lower edge (−1.000001 for tanh, 0 for ReLU) and, through ``numpy.digitize``, gives the single largest value
a symbol of its own; neither is reproduced (the lower edge is below every value and changes nothing; the extra
symbol would make the bin count B + 1). The default ``n_bins = 30`` is the bin count of [P]'s fixed tanh bins.

References
----------
.. [CHO19] Chelombiev, Houghton & O'Donnell, "Adaptive estimators show information compression in deep neural
   networks", ICLR 2019, arXiv:1902.09037, §3 (entropy-based adaptive binning); code
   ``github.com/ivansche/adaptive_estimators``, ``idnns/information/information_process.py``.
.. [P] Saxe et al., "On the Information Bottleneck Theory of Deep Learning", ICLR 2018, §2.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulate.mi import binning
from simulate.validation import choice, integer, real_array

__all__ = ["COUNTS", "DEFAULT_BINS", "EntropyBasedBins", "entropy_based_bins", "mutual_information"]

COUNTS = ("unique", "values")
"""What the equal-count bins count: distinct activation levels ([CHO19]) or every value (equal mass)."""

#: Default number of bins: the 30 of [P] §2's fixed tanh bins ([CHO19]'s count is a parameter of the estimator).
DEFAULT_BINS = 30
#: Largest bin count accepted (the same limit as the fixed discretisers' edges).
_MAX_BINS = 10_000_000


@dataclass(frozen=True)
class EntropyBasedBins:
    """EBAB discretiser: `n_bins` bins of equal counts, placed anew for every activity array it bins ([CHO19] §3).

    Passed to :func:`simulate.mi.binning.mutual_information` (or any function taking a discretiser), its edges are
    computed from the whole activity array it is given, i.e. from one layer of one network at one epoch: per layer
    and per epoch, as [CHO19] define it. See the module docstring for the edges and the handling of ties.

    Attributes
    ----------
    n_bins : int
        Number of bins B ≥ 2.
    count : {"unique", "values"}
        Equal numbers of distinct activation levels ([CHO19], default) or of values (equal mass).
    """

    n_bins: int = DEFAULT_BINS
    count: str = "unique"

    def __post_init__(self) -> None:
        object.__setattr__(self, "n_bins", integer("n_bins", self.n_bins, minimum=2, maximum=_MAX_BINS))
        object.__setattr__(self, "count", choice("count", self.count, COUNTS))

    def edges(self, activity: np.ndarray) -> np.ndarray:
        """Interior edges e_1 < … (at most ``n_bins − 1``) for `activity` (any shape, finite), as float64.

        Parameters
        ----------
        activity : array_like
            The values to bin (a layer's activity, shape (N, d); every entry counts).

        Returns
        -------
        numpy.ndarray
            Strictly increasing edges; a value h is in bin ``#{k: e_k ≤ h}``. Empty when the activity is constant.
        """
        values = _values(activity)
        if self.count == "unique":
            values = np.unique(values)
            if values.size <= self.n_bins:
                return values[1:].astype(np.float64)
        else:
            values = np.sort(values)
        positions = (np.arange(1, self.n_bins, dtype=np.int64) * values.size) // self.n_bins
        return np.unique(values[positions]).astype(np.float64)

    def codes(self, activity: np.ndarray) -> np.ndarray:
        """Bin code (int64, same shape as `activity`) of every entry, with the edges of `activity` itself."""
        values = _values(activity)
        edges = self.edges(values)
        return np.searchsorted(edges, np.asarray(activity, dtype=np.float64), side="right").astype(np.int64)


def _values(activity: np.ndarray) -> np.ndarray:
    values = real_array("activity", activity, keep_float32=True, min_size=1)
    return values.reshape(-1) + values.dtype.type(0.0)  # −0.0 + 0.0 = +0.0: one level


def entropy_based_bins(n_bins: int = DEFAULT_BINS, count: str = "unique") -> EntropyBasedBins:
    """The EBAB discretiser of [CHO19] §3 (see :class:`EntropyBasedBins`).

    Parameters
    ----------
    n_bins : int
        Number of bins B ≥ 2 (default 30).
    count : {"unique", "values"}
        Equal numbers of distinct levels ([CHO19]) or of values.

    Returns
    -------
    EntropyBasedBins

    Raises
    ------
    ValueError
        If `n_bins` is not an integer ≥ 2 or `count` is not one of :data:`COUNTS`.
    TypeError
        If `n_bins` is a bool, a string or another non-number.

    Examples
    --------
    >>> entropy_based_bins(2).edges(np.array([[0.1], [0.2], [0.3], [0.4]]))
    array([0.3])
    """
    return EntropyBasedBins(n_bins, count)


def mutual_information(
    activity: np.ndarray, labels: np.ndarray, n_bins: int = DEFAULT_BINS, *, count: str = "unique"
) -> tuple[float, float]:
    """EBAB ``(I(X;T), I(T;Y))`` in bits for N distinct, equiprobable inputs ([CHO19] §3).

    Parameters
    ----------
    activity : array_like, shape (N, d)
        One layer's activity, one row per input (N ≥ 2, finite). Constant or saturated activity is valid.
    labels : array_like of int, shape (N,)
        Class of each input.
    n_bins : int
        Number of bins B ≥ 2, shared by the layer's units (default 30).
    count : {"unique", "values"}
        Equal numbers of distinct levels ([CHO19], default) or of values (equal mass).

    Returns
    -------
    tuple of float
        ``(i_xt, i_ty)`` in **bits**: ``0 ≤ i_xt ≤ min(log₂ N, d log₂ B)``, ``0 ≤ i_ty ≤ H(Y)``.

    Raises
    ------
    ValueError
        Non-finite activity or a shape other than (N, d) with N ≥ 2; labels not N integers; `n_bins` < 2;
        unknown `count`.

    References
    ----------
    .. [CHO19] arXiv:1902.09037, §3; docs/choices.md#e1.

    Examples
    --------
    Eight distinct values in four bins of two; the labels follow the sign:

    >>> h = np.array([[-4.0], [-3.0], [-2.0], [-1.0], [1.0], [2.0], [3.0], [4.0]])
    >>> mutual_information(h, [0, 0, 0, 0, 1, 1, 1, 1], 4)
    (2.0, 1.0)
    """
    return binning.mutual_information(activity, labels, EntropyBasedBins(n_bins, count))
