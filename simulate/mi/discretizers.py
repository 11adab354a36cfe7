"""The paper's discretisers of layer activity: each maps real activities to integer bin codes.

See docs/formulas.md#s3-1, docs/choices.md#a3, #a4.

A discretiser is any object with ``codes(activity) -> int64 array`` of the same shape, applied unit-wise. The
constructors cover every binning of the paper and its code:

=============================  ==================================================================================
``equal_bins(30, -1, 1)``      [P] §2 tanh: 30 equal intervals on [−1, 1] (31 edges), clipped at the ends
``idnns_edges(30)``            IDNNs / ibsgd ``bin_calc_information``: edges ``linspace(-1, 1, 30)`` (29 intervals,
                               plus a symbol of its own for h ≥ 1.0 exactly; docs/choices.md#a3)
``fixed_width(0.07)``          ibsgd ``bin_calc_information2``: ``floor(h / Δ)``, unbounded (MNIST: Δ = 0.5)
``min_max_bins(lo, hi, 100)``  [P] §2 ReLU: 100 equal bins between the min and max activity (docs/choices.md#a4;
                               ranges from :func:`min_max_range`, network-global or per layer)
``net_input_edges(30)``        [P] App C: edges ``tanh(linspace(-50, 50, N))`` (docs/choices.md#a18: N = 30 edges)
``machine_precision()``        [P] App C, Fig 15: no binning; every distinct float pattern is its own symbol
=============================  ==================================================================================

An increasing 1-D array of edges is accepted wherever a discretiser is (:func:`as_discretizer`); its semantics are
those of :class:`Edges`: bins ``[e_k, e_{k+1})``, values below the first edge fall in the first bin and values at
or above the last edge in the last bin (the outer edges act as ±∞, as in :mod:`theory.three_neuron`).

References
----------
.. [P] Saxe et al., "On the Information Bottleneck Theory of Deep Learning", ICLR 2018, §2, App C, Figs 13–15.
.. [IDNNs] Shwartz-Ziv & Tishby, code ``ravidziv/IDNNs``, ``information_process.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np

from simulate.validation import integer, positive_float, real_array, real_float

__all__ = [
    "Discretizer",
    "Edges",
    "FixedWidth",
    "IdnnsEdges",
    "MachinePrecision",
    "as_discretizer",
    "equal_bins",
    "fixed_width",
    "idnns_edges",
    "machine_precision",
    "min_max_bins",
    "min_max_range",
    "net_input_edges",
]

# floor(h/Δ) must stay well inside int64 so that codes can be shifted and combined without overflow.
_MAX_FIXED_WIDTH_CODE = 2.0**52


@runtime_checkable
class Discretizer(Protocol):
    """Anything that maps an activity array to integer bin codes of the same shape."""

    def codes(self, activity: np.ndarray) -> np.ndarray:
        """Integer (int64) bin code of every entry of `activity`."""
        ...


#: Largest number of edges accepted by the constructors (a larger request is a mistake, not a binning).
MAX_EDGES = 10_000_000


def _check_edges(edges: np.ndarray, name: str = "edges") -> np.ndarray:
    edges = real_array(name, edges, finite=False)
    if edges.ndim != 1 or edges.size < 2:
        raise ValueError(f"{name} must be a 1-D array of at least 2 bin edges, got shape {edges.shape}")
    if not np.all(np.isfinite(edges)):
        raise ValueError(f"{name} must be finite")
    if not np.all(np.diff(edges) > 0):
        raise ValueError(f"{name} must be strictly increasing")
    return edges


@dataclass(frozen=True, eq=False)
class Edges:
    """Bins ``[e_k, e_{k+1})`` between increasing edges; values outside are clipped to the first / last bin.

    With ``n + 1`` edges there are ``n`` bins and codes ``0 … n−1``; a value equal to the last edge is in the last
    bin. This is the semantics of :mod:`theory.three_neuron` (outer edges behave as ±∞).

    Attributes
    ----------
    edges : numpy.ndarray
        Strictly increasing, finite, at least 2 entries.
    """

    edges: np.ndarray

    def __post_init__(self) -> None:
        object.__setattr__(self, "edges", _check_edges(self.edges))

    @property
    def n_bins(self) -> int:
        """Number of bins (``len(edges) − 1``)."""
        return self.edges.size - 1

    def codes(self, activity: np.ndarray) -> np.ndarray:
        """Bin index in ``0 … n_bins − 1`` of every entry (int64)."""
        index = np.searchsorted(self.edges, activity, side="right") - 1
        return np.clip(index, 0, self.n_bins - 1).astype(np.int64, copy=False)


@dataclass(frozen=True, eq=False)
class IdnnsEdges:
    """IDNNs' ``np.digitize(h, edges)`` semantics: a value at or above the last edge gets its own code.

    See docs/choices.md#a3.

    With ``edges = linspace(-1, 1, 30)`` there are 29 intervals of width 2/29 plus the symbol for ``h ≥ 1``
    (``h = 1.0`` exactly, reached by saturated float tanh units); codes are ``0 … len(edges)``. Values below the
    first edge get code 0 (IDNNs would wrap them onto the ``h = 1`` symbol; this never happens for tanh or ReLU
    activity, and is not reproduced).
    """

    edges: np.ndarray

    def __post_init__(self) -> None:
        object.__setattr__(self, "edges", _check_edges(self.edges))

    def codes(self, activity: np.ndarray) -> np.ndarray:
        """``digitize`` index of every entry (int64)."""
        return np.searchsorted(self.edges, activity, side="right").astype(np.int64, copy=False)


@dataclass(frozen=True)
class FixedWidth:
    """Unbounded bins of width Δ: code ``floor(h / Δ)`` (ibsgd ``bin_calc_information2``; docs/choices.md#a3, #a4).

    Attributes
    ----------
    delta : float
        Bin width Δ > 0 (ibsgd SZT: 0.07; MNIST: 0.5).
    """

    delta: float

    def __post_init__(self) -> None:
        object.__setattr__(self, "delta", positive_float("delta (bin width)", self.delta))

    def codes(self, activity: np.ndarray) -> np.ndarray:
        """``floor(h / Δ)`` of every entry (int64)."""
        scaled = np.floor(np.asarray(activity, dtype=float) / self.delta)
        if scaled.size and np.max(np.abs(scaled)) > _MAX_FIXED_WIDTH_CODE:
            raise ValueError(f"activity / delta exceeds 2**52 bins; delta={self.delta} is too small for this activity")
        return scaled.astype(np.int64)


@dataclass(frozen=True)
class MachinePrecision:
    """No binning: every distinct floating-point value is its own symbol ([P] App C, Fig 15).

    Codes are the bit patterns of the values in their own dtype (float32 activity stays float32, as in the
    paper's single-precision networks); ``-0.0`` and ``0.0`` are the same symbol.
    """

    def codes(self, activity: np.ndarray) -> np.ndarray:
        """Bit pattern of every entry as int64."""
        activity = np.asarray(activity)
        if activity.dtype.kind not in "biuf":
            raise TypeError(f"activity must be a real-valued array, got dtype {activity.dtype}")
        if not np.issubdtype(activity.dtype, np.floating):
            activity = activity.astype(float)
        if activity.dtype.itemsize > 8:  # long double: distinct float64 values are the finest codes representable
            activity = activity.astype(np.float64)
        activity = activity + activity.dtype.type(0.0)  # -0.0 + 0.0 == +0.0
        int_type = {2: np.int16, 4: np.int32, 8: np.int64}[activity.dtype.itemsize]
        return np.ascontiguousarray(activity).view(int_type).astype(np.int64)


def equal_bins(n_bins: int = 30, low: float = -1.0, high: float = 1.0) -> Edges:
    """`n_bins` equal intervals on ``[low, high]`` (``n_bins + 1`` edges), clipped at both ends.

    [P] §2 bins tanh activity into "30 equal intervals between −1 and 1": ``equal_bins(30, -1, 1)``.

    Parameters
    ----------
    n_bins : int
        Number of intervals, 1 ≤ n_bins < :data:`MAX_EDGES` (10⁷).
    low, high : float
        Range, ``low < high``.

    Returns
    -------
    Edges

    References
    ----------
    .. [P] Saxe et al., ICLR 2018, §2 (Fig 1A); docs/formulas.md#s3-1, docs/choices.md#a3, #a21.
    """
    n_bins = integer("n_bins", n_bins, minimum=1, maximum=MAX_EDGES - 1)
    low, high = real_float("low", low), real_float("high", high)
    if not (np.isfinite(low) and np.isfinite(high) and low < high):
        raise ValueError(f"low and high must be finite with low < high, got low={low}, high={high}")
    edges = np.linspace(low, high, n_bins + 1)
    if not np.all(np.isfinite(edges)) or not np.all(np.diff(edges) > 0):
        raise ValueError(f"low={low}, high={high}: n_bins={n_bins} bins are not resolvable in float64")
    return Edges(edges)


def idnns_edges(n_edges: int = 30) -> IdnnsEdges:
    """The IDNNs / ibsgd ``bin_calc_information`` discretiser: ``digitize`` on ``linspace(-1, 1, n_edges)``.

    See docs/choices.md#a3.

    Parameters
    ----------
    n_edges : int
        Number of edges (IDNNs: 30, i.e. 29 intervals of width 2/29 and a symbol for h = 1).

    Returns
    -------
    IdnnsEdges

    References
    ----------
    .. [IDNNs] ``information_process.py``; docs/formulas.md#s3-1, docs/choices.md#a3.
    """
    n_edges = integer("n_edges", n_edges, minimum=2, maximum=MAX_EDGES)
    return IdnnsEdges(np.linspace(-1.0, 1.0, n_edges))


def fixed_width(delta: float = 0.07) -> FixedWidth:
    """Unbounded bins ``floor(h / delta)`` (ibsgd SZT: Δ = 0.07; MNIST: Δ = 0.5). See :class:`FixedWidth`."""
    return FixedWidth(positive_float("delta (bin width)", delta))


def min_max_bins(low: float, high: float, n_bins: int = 100) -> Edges:
    """`n_bins` equal bins between a recorded minimum and maximum activity ([P] §2 ReLU, Fig 1B; docs/choices.md#a4).

    The paper takes the range "over all units and all training epochs"; whether per layer or network-global is
    not stated (docs/choices.md#a4). Compute either with :func:`min_max_range` and pass it here.

    Parameters
    ----------
    low, high : float
        Minimum and maximum activity, ``low < high``.
    n_bins : int
        Number of bins (paper: 100).

    Returns
    -------
    Edges

    References
    ----------
    .. [P] Saxe et al., ICLR 2018, §2, Fig 1B; docs/choices.md#a4.
    """
    return equal_bins(n_bins, low, high)


def min_max_range(minimum: np.ndarray, maximum: np.ndarray, *, per_layer: bool = False) -> tuple:
    """Activity range for :func:`min_max_bins` from recorded minima and maxima (docs/choices.md#a4).

    Parameters
    ----------
    minimum, maximum : array_like, shape (..., n_layers)
        Minimum and maximum activity of each layer (over its units), e.g. for every logged epoch: shape
        ``(n_epochs, n_layers)``. The last axis is the layer axis.
    per_layer : bool
        False (default, docs/choices.md#a4's suggestion): one network-global range over all layers and epochs.
        True: one range per layer, over epochs.

    Returns
    -------
    tuple
        ``(low, high)``: floats if network-global, arrays of shape ``(n_layers,)`` if per layer. A layer whose
        activity never varies gets ``high = low + max(1, |low|·2⁻⁴⁰)`` so that its bins are valid (all its
        activity is then in bin 0).

    References
    ----------
    .. [P] Saxe et al., ICLR 2018, §2; docs/choices.md#a4.
    """
    minimum, maximum = real_array("minimum", minimum), real_array("maximum", maximum)
    if not isinstance(per_layer, (bool, np.bool_)):
        raise TypeError(f"per_layer must be True or False, got {per_layer!r}")
    if minimum.shape != maximum.shape or minimum.ndim < 1:
        raise ValueError(
            f"minimum and maximum must have the same shape (..., n_layers), got {minimum.shape}, {maximum.shape}"
        )
    if not (np.all(np.isfinite(minimum)) and np.all(np.isfinite(maximum))):
        raise ValueError("minimum and maximum must be finite")
    if np.any(minimum > maximum):
        raise ValueError("minimum must not exceed maximum")
    axes = tuple(range(minimum.ndim - 1)) if per_layer else None
    low, high = minimum.min(axis=axes), maximum.max(axis=axes)
    high = np.where(high > low, high, low + np.maximum(1.0, np.abs(low) * 2.0**-40))
    return (low, high) if per_layer else (float(low), float(high))


def net_input_edges(n_edges: int = 30) -> Edges:
    """Edges evenly spaced in net input: ``tanh(linspace(-50, 50, n_edges))``.

    See [P] App C, Figs 13–14; docs/choices.md#a18.

    The outer edges are ±1.0 in float64, so saturated activity falls in the outer bins.

    Parameters
    ----------
    n_edges : int
        Number of edges (docs/choices.md#a18: 30; the paper does not state it).

    Returns
    -------
    Edges

    References
    ----------
    .. [P] Saxe et al., ICLR 2018, App C; docs/formulas.md#s3-1, docs/choices.md#a18.
    """
    n_edges = integer("n_edges", n_edges, minimum=2, maximum=MAX_EDGES)
    edges = np.tanh(np.linspace(-50.0, 50.0, n_edges))
    # tanh saturates in float64: merge edges that coincide (e.g. several at ±1.0 for large n_edges).
    return Edges(np.unique(edges))


def machine_precision() -> MachinePrecision:
    """No binning: distinct float patterns are distinct symbols ([P] App C, Fig 15). See :class:`MachinePrecision`."""
    return MachinePrecision()


def as_discretizer(discretizer: Discretizer | np.ndarray) -> Discretizer:
    """Return `discretizer` itself, or :class:`Edges` for an increasing 1-D array of edges."""
    if isinstance(discretizer, Discretizer) and not isinstance(discretizer, np.ndarray):
        return discretizer
    try:
        return Edges(discretizer)
    except (TypeError, ValueError) as err:
        raise ValueError(
            "discretizer must be an increasing 1-D array of bin edges or a discretiser such as equal_bins(30, -1, 1), "
            f"idnns_edges(30), fixed_width(0.07), min_max_bins(lo, hi), net_input_edges(30), machine_precision(): {err}"
        ) from None
