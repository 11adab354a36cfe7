r"""Binned (plug-in) mutual information of a layer with its input and with the labels, in bits (docs/formulas.md#s3-1).

Each unit's activity is discretised (:mod:`simulate.mi.discretizers`) and each row's bin pattern is one symbol
``t``. With N distinct, equiprobable inputs and a deterministic network, H(T|X) = 0, so

.. math:: I(X;T)=\hat H(T),\qquad I(T;Y)=\hat H(T)-\sum_y p(y)\,\hat H(T\mid Y=y)=\hat H(T)+\hat H(Y)-\hat H(T,Y).

:func:`mutual_information_general` accepts repeated inputs and computes the plug-in
:math:`\hat H(T\mid X)=\hat H(T,X)-\hat H(X)` over **unique** inputs, which is the corrected form of docs/choices.md#a27
(the pre-2018-07-26 IDNNs/ibsgd loop summed over samples instead of unique inputs and over-counted H(T|X)).

Row patterns become symbols by a mixed-radix code per column (re-ranked whenever it could overflow int64), so the
cost is a few vectorised passes and one sort per layer: well under a millisecond for N = 4096 and the SZT widths.

References
----------
.. [P] Saxe et al., "On the Information Bottleneck Theory of Deep Learning", ICLR 2018, §2, App C.
.. [IDNNs] Shwartz-Ziv & Tishby, code ``ravidziv/IDNNs``, ``information_process.py`` (docs/choices.md#a27 fix in ibsgd
   ``f2e4ad8``).
"""

from __future__ import annotations

import numpy as np

from simulate.mi.discretizers import (
    Discretizer,
    Edges,
    FixedWidth,
    IdnnsEdges,
    MachinePrecision,
    as_discretizer,
    equal_bins,
    fixed_width,
    idnns_edges,
    machine_precision,
    min_max_bins,
    min_max_range,
    net_input_edges,
)
from simulate.validation import label_codes, real_array

__all__ = [
    "Discretizer",
    "Edges",
    "FixedWidth",
    "IdnnsEdges",
    "MachinePrecision",
    "entropy",
    "equal_bins",
    "fixed_width",
    "idnns_edges",
    "machine_precision",
    "min_max_bins",
    "min_max_range",
    "mutual_information",
    "mutual_information_general",
    "net_input_edges",
    "row_symbols",
]

_INT64_HEADROOM = 2**62


# ----------------------------------------------------------------------------------------------- validation
def check_activity(activity: np.ndarray, name: str = "activity") -> np.ndarray:
    """Validate layer activity of shape (N, d), N ≥ 2, finite; float32 stays float32, everything else float64."""
    activity = real_array(name, activity, keep_float32=True)
    if activity.ndim != 2:
        raise ValueError(f"{name} must have shape (N, d) (samples × units), got shape {activity.shape}")
    if activity.shape[0] < 2:
        raise ValueError(f"{name} needs N >= 2 samples, got N = {activity.shape[0]}")
    return activity


def check_labels(labels: np.ndarray, n_samples: int, name: str = "labels") -> np.ndarray:
    """Validate class labels of shape (N,) and return them as dense int64 codes (encoding-independent).

    Integer labels and integral floats (also huge ones such as 1e300) are accepted; fractions are not.
    """
    return label_codes(name, labels, n_samples)


# ----------------------------------------------------------------------------------------------- symbols
def _dense_column(column: np.ndarray, n_samples: int) -> tuple[np.ndarray, int]:
    low = int(column.min())
    span = int(column.max()) - low + 1
    if span <= 4 * n_samples:
        return column - low, span
    _, inverse = np.unique(column, return_inverse=True)
    return inverse.reshape(-1), int(inverse.max()) + 1


def row_symbols(codes: np.ndarray) -> np.ndarray:
    """One non-negative int64 symbol per row of an integer code matrix (equal rows ⇔ equal symbols).

    Parameters
    ----------
    codes : numpy.ndarray, shape (N, d), integer
        Bin codes of each unit for each sample.

    Returns
    -------
    numpy.ndarray, shape (N,), int64
        Row identifiers (not necessarily dense).

    Examples
    --------
    >>> s = row_symbols(np.array([[0, 1], [0, 1], [2, 0]]))
    >>> bool(s[0] == s[1] != s[2])
    True
    """
    codes = np.asarray(codes)
    n_samples, width = codes.shape
    combined = np.zeros(n_samples, dtype=np.int64)
    radix = 1
    for j in range(width):
        column, span = _dense_column(codes[:, j].astype(np.int64, copy=False), n_samples)
        if radix * span >= _INT64_HEADROOM:
            _, combined = np.unique(combined, return_inverse=True)
            combined = combined.reshape(-1).astype(np.int64)
            radix = int(combined.max()) + 1
        combined = combined * span + column
        radix *= span
    return combined


def _entropy_from_counts(counts: np.ndarray) -> float:
    counts = counts[counts > 0].astype(float)
    total = counts.sum()
    return float(np.log2(total) - np.dot(counts, np.log2(counts)) / total)


def entropy(symbols: np.ndarray) -> float:
    r"""Plug-in (maximum-likelihood) entropy of a sample of discrete symbols, in bits.

    .. math:: \hat H=-\sum_t \hat p(t)\log_2\hat p(t),\quad \hat p(t)=\#\{t^\mu=t\}/N

    Parameters
    ----------
    symbols : array_like, shape (N,) or (N, d)
        One symbol per sample; for 2-D input each row is one symbol.

    Returns
    -------
    float
        Entropy in **bits**, in ``[0, log₂ N]``.

    References
    ----------
    .. [P] Saxe et al., ICLR 2018, §2; docs/formulas.md#s3-1.

    Examples
    --------
    >>> entropy([0, 0, 1, 2])
    1.5
    """
    symbols = np.asarray(symbols)
    if symbols.ndim not in (1, 2) or symbols.shape[0] < 1:
        raise ValueError(f"symbols must have shape (N,) or (N, d) with N >= 1, got shape {symbols.shape}")
    if symbols.ndim == 2:
        if not np.issubdtype(symbols.dtype, np.integer):
            _, symbols = np.unique(symbols, axis=0, return_inverse=True)
        symbols = row_symbols(np.asarray(symbols).reshape(len(symbols), -1))
    _, counts = np.unique(symbols, return_counts=True)
    return max(_entropy_from_counts(counts), 0.0)


def _entropies(t_symbols: np.ndarray, labels: np.ndarray) -> tuple[float, float]:
    """``(H(T), I(T;Y))`` in bits from row symbols and integer labels (plug-in)."""
    _, t_index, t_counts = np.unique(t_symbols, return_inverse=True, return_counts=True)
    _, y_index, y_counts = np.unique(labels, return_inverse=True, return_counts=True)
    joint = t_index.reshape(-1) * y_counts.size + y_index.reshape(-1)
    H_T = _entropy_from_counts(t_counts)
    H_TY = _entropy_from_counts(np.bincount(joint))
    I_TY = H_T + _entropy_from_counts(y_counts) - H_TY
    return max(H_T, 0.0), max(I_TY, 0.0)


# ----------------------------------------------------------------------------------------------- public API
def mutual_information(
    activity: np.ndarray, labels: np.ndarray, discretizer: Discretizer | np.ndarray
) -> tuple[float, float]:
    """Binned ``(I(X;T), I(T;Y))`` in bits for N distinct, equiprobable inputs ([P] §2, docs/formulas.md#s3-1).

    For a deterministic network on distinct inputs H(T|X) = 0 and I(X;T) = H(T) ≤ log₂ N.

    Parameters
    ----------
    activity : array_like, shape (N, d)
        Layer activity, one row per input pattern (N ≥ 2, finite). Constant or saturated activity is valid.
    labels : array_like of int, shape (N,)
        Class of each input.
    discretizer : Discretizer or array_like
        One of :func:`equal_bins`, :func:`idnns_edges`, :func:`fixed_width`, :func:`min_max_bins`,
        :func:`net_input_edges`, :func:`machine_precision`, or a strictly increasing 1-D array of edges
        (:class:`Edges` semantics).

    Returns
    -------
    tuple of float
        ``(i_xt, i_ty)`` in **bits**: ``0 ≤ i_xt ≤ log₂ N`` and ``0 ≤ i_ty ≤ H(Y)``.

    Raises
    ------
    ValueError
        If `activity` is not finite of shape (N, d) with N ≥ 2, `labels` are not N integers, or `discretizer`
        is not a discretiser / increasing edges.

    References
    ----------
    .. [P] Saxe et al., ICLR 2018, §2 (Fig 1A/B), App C (Figs 14–15); docs/formulas.md#s3-1, docs/choices.md#a3, #a4.

    Examples
    --------
    Four inputs in three bins, labels following the bins' sign:

    >>> h = np.array([[-0.9], [-0.8], [0.5], [0.95]])
    >>> mutual_information(h, [0, 0, 1, 1], equal_bins(2, -1, 1))
    (1.0, 1.0)
    """
    activity = check_activity(activity)
    labels = check_labels(labels, activity.shape[0])
    codes = as_discretizer(discretizer).codes(activity)
    return _entropies(row_symbols(codes), labels)


def mutual_information_general(
    activity: np.ndarray, labels: np.ndarray, discretizer: Discretizer | np.ndarray, inputs: np.ndarray
) -> tuple[float, float]:
    r"""Binned ``(I(X;T), I(T;Y))`` in bits when inputs may repeat (empirical p(x), plug-in H(T|X)).

    .. math:: I(X;T)=\hat H(T)-\sum_{x\ \mathrm{unique}}\hat p(x)\,\hat H(T\mid X=x)=\hat H(T)+\hat H(X)-\hat H(T,X)

    The sum runs over **unique** inputs (docs/choices.md#a27: the original loop ran over samples and over-counted
    H(T|X)). For distinct inputs this equals :func:`mutual_information`.

    Parameters
    ----------
    activity : array_like, shape (N, d)
        Layer activity of each sample.
    labels : array_like of int, shape (N,)
        Class of each sample.
    discretizer : Discretizer or array_like
        As in :func:`mutual_information`.
    inputs : array_like, shape (N,) or (N, k)
        The input of each sample (rows compared exactly); equal rows are the same input x.

    Returns
    -------
    tuple of float
        ``(i_xt, i_ty)`` in **bits**.

    References
    ----------
    .. [IDNNs] ``information_process.py``; ibsgd fix ``f2e4ad8``; docs/choices.md#a27.

    Examples
    --------
    Input 0 seen twice with two different bins, input 1 twice in one bin: H(T) = 1.5, H(T|X) = 0.5.

    >>> mutual_information_general([[-0.5], [0.5], [1.5], [1.5]], [0, 0, 1, 1], [-1, 0, 1, 2], [0, 0, 1, 1])
    (1.0, 1.0)
    """
    activity = check_activity(activity)
    n_samples = activity.shape[0]
    labels = check_labels(labels, n_samples)
    inputs = np.asarray(inputs)
    if inputs.ndim not in (1, 2) or inputs.shape[0] != n_samples:
        raise ValueError(f"inputs must have shape ({n_samples},) or ({n_samples}, k), got shape {inputs.shape}")
    _, x_index = np.unique(inputs.reshape(n_samples, -1), axis=0, return_inverse=True)
    x_index = x_index.reshape(-1)
    t_symbols = row_symbols(as_discretizer(discretizer).codes(activity))
    _, I_TY = _entropies(t_symbols, labels)
    _, I_TX_as_labels = _entropies(t_symbols, x_index)  # H(T) + H(X) − H(T, X)
    return I_TX_as_labels, I_TY
