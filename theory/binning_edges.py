r"""Bin-edge constructors for the minimal model (docs/formulas.md#s3-1, #s3-2; docs/choices.md#a3, #a18, #a19, #a21).

Edge semantics, shared by :mod:`theory.three_neuron` and :mod:`simulate.three_neuron`: with edges
:math:`e_0 < e_1 < \dots < e_N` there are :math:`N` bins :math:`[e_k, e_{k+1})`; a value below :math:`e_0` falls
in the first bin and a value at or above :math:`e_N` in the last bin. So the outermost edges only count bins:
the first bin is effectively :math:`(-\infty, e_1)` and the last :math:`[e_{N-1}, \infty)`.

Each constructor returns a float64 array, or with ``exact=True`` a tuple of exact SymPy numbers for
:func:`theory.three_neuron.bin_probabilities`.

References
----------
.. [P] Saxe et al., "On the Information Bottleneck Theory of Deep Learning", ICLR 2018, §2 and App C.
"""

from __future__ import annotations

import math

import numpy as np
import sympy as sp

from theory.validation import integer, positive_float, real_float

__all__ = [
    "HALF_LINE_Z_MAX",
    "MAX_EDGES",
    "equal_width_edges",
    "half_line_edges",
    "idnn_edges",
    "net_input_edges",
]

#: Half-line bins reach ``z_max`` standard deviations of the net input ``wX`` at the largest weight; the mass
#: lumped into the last (unbounded) bin is then at most Φ(−10) ≈ 7.6e-24.
HALF_LINE_Z_MAX = 10.0
#: Largest number of edges any constructor returns (the minimal model evaluates every bin; beyond this a call
#: would take minutes and the memory of the edge arrays): larger requests raise ValueError.
MAX_EDGES = 10_000_000


def _positive_int(value: object, name: str, minimum: int = 1, maximum: int = MAX_EDGES) -> int:
    return integer(name, value, minimum=minimum, maximum=maximum)


def _finite(value: object, name: str, *, positive: bool = False) -> float:
    return positive_float(name, value) if positive else real_float(name, value)


def _flag(value: object, name: str) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {value!r}")
    return bool(value)


def equal_width_edges(
    n_bins: int = 30, low: float = -1.0, high: float = 1.0, *, exact: bool = False
) -> np.ndarray | tuple:
    """``n_bins`` equal bins on ``[low, high]``: the paper's "30 equal intervals between −1 and 1" ([P] §2).

    Parameters
    ----------
    n_bins : int
        Number of bins (``n_bins + 1`` edges), 1 ≤ n_bins < :data:`MAX_EDGES`. An even number puts an edge at 0
        (docs/choices.md#a21).
    low, high : float
        Outer edges, ``low < high``.
    exact : bool
        Return exact SymPy rationals (``low`` and ``high`` are converted with ``nsimplify``).

    Returns
    -------
    numpy.ndarray or tuple of sympy.Rational
        The ``n_bins + 1`` edges.

    Examples
    --------
    >>> equal_width_edges(4)
    array([-1. , -0.5,  0. ,  0.5,  1. ])
    >>> equal_width_edges(2, exact=True)
    (-1, 0, 1)
    """
    n = _positive_int(n_bins, "n_bins", maximum=MAX_EDGES - 1)
    lo, hi = _finite(low, "low"), _finite(high, "high")
    exact = _flag(exact, "exact")
    if not lo < hi or not math.isfinite(hi - lo) or not lo + (hi - lo) / n > lo:
        raise ValueError(
            f"low must be < high with (high - low) finite and n_bins bins resolvable in float64, got low={low!r}, "
            f"high={high!r}, n_bins={n}"
        )
    if exact:
        lo_q, hi_q = sp.nsimplify(lo, rational=True), sp.nsimplify(hi, rational=True)
        return tuple(lo_q + (hi_q - lo_q) * sp.Rational(k, n) for k in range(n + 1))
    return np.linspace(lo, hi, n + 1)


def idnn_edges(n_edges: int = 30, *, exact: bool = False) -> np.ndarray | tuple:
    """The IDNNs / ibsgd ``bin_calc_information`` convention: ``linspace(-1, 1, n_edges)`` as edges.

    With the default 30 edges there are 29 bins of width 2/29 (docs/choices.md#a3): no edge at 0, so the small-weight
    limit of the tanh curve is 0 bits rather than 1.

    Examples
    --------
    >>> len(idnn_edges()) - 1
    29
    """
    n = _positive_int(n_edges, "n_edges", minimum=2)
    exact = _flag(exact, "exact")
    return equal_width_edges(n - 1, -1.0, 1.0, exact=exact)


def half_line_edges(delta: float, w_max: float, *, z_max: float = HALF_LINE_Z_MAX, exact: bool = False):
    r"""Half-line bins :math:`[k\Delta, (k+1)\Delta)`, :math:`k = 0, 1, \dots`, for ReLU and softplus ([P] §2, Fig 2D).

    The paper's half-line has infinitely many bins. Here the edges run from 0 to :math:`K\Delta` with
    :math:`K = \lceil z_{max} w_{max} / \Delta \rceil`, and by the edge semantics everything at or above
    :math:`K\Delta` falls into the last bin. For any :math:`|w| \le w_{max}` the lumped tail has probability
    :math:`\Phi(-K\Delta/|w|) \le \Phi(-z_{max})` (≈ 7.6e-24 for the default 10; for softplus the preimage of
    :math:`K\Delta` is even larger), so the entropy differs from that of the infinite binning by less than
    1e-20 bits. Bin 0 holds ReLU's point mass at 0: :math:`p_0 = \Phi(\Delta/w)`.

    Parameters
    ----------
    delta : float
        Bin width Δ > 0 (docs/choices.md#a19: the workbench's default is 2/29).
    w_max : float
        Largest ``|w|`` the edges must cover, > 0; ``z_max · w_max / delta`` must stay below
        :data:`MAX_EDGES` (e.g. w_max ≤ 6896 for Δ = 2/29), else ValueError.
    z_max : float
        Coverage in standard deviations of the net input at ``w_max``.
    exact : bool
        Return exact SymPy multiples of ``nsimplify(delta)``.

    Returns
    -------
    numpy.ndarray or tuple
        ``K + 1`` edges ``0, Δ, …, KΔ``.

    Examples
    --------
    >>> half_line_edges(0.5, 0.2)
    array([0. , 0.5, 1. , 1.5, 2. ])
    """
    d = _finite(delta, "delta", positive=True)
    wm = _finite(w_max, "w_max", positive=True)
    zm = _finite(z_max, "z_max", positive=True)
    exact = _flag(exact, "exact")
    ratio = zm * wm / d
    if not ratio < MAX_EDGES:  # also catches overflow to inf
        raise ValueError(
            f"half_line_edges(delta={delta!r}, w_max={w_max!r}, z_max={z_max!r}) would need {ratio:.3g} bins; at "
            f"most MAX_EDGES - 1 = {MAX_EDGES - 1} are supported (use a larger delta or a smaller w_max)"
        )
    n_bins = max(1, math.ceil(ratio))
    if exact:
        d_q = sp.nsimplify(d, rational=True)
        return tuple(d_q * k for k in range(n_bins + 1))
    return d * np.arange(n_bins + 1, dtype=float)


def net_input_edges(n_edges: int = 30, u_max: float = 50.0, *, exact: bool = False) -> np.ndarray | tuple:
    r"""Net-input edges :math:`u = \mathrm{linspace}(-u_{max}, u_{max}, N)` ([P] App C, Fig 13).

    The paper's bin limits are :math:`b_i = \tanh(u_i)`; in float64 :math:`\tanh(u) = 1` for :math:`u > 19.1`, so
    those edges would collapse. The workbench therefore keeps them in net-input space: use these edges with
    ``space="net_input"``, which bins :math:`wX` at :math:`u_i` — the same partition of the input as binning
    :math:`\tanh(wX)` at :math:`\tanh(u_i)`, computed without rounding. N is not stated in the paper (§6
    docs/choices.md#a18); the default is 30 edges.

    Examples
    --------
    >>> net_input_edges(3)
    array([-50.,   0.,  50.])
    """
    n = _positive_int(n_edges, "n_edges", minimum=2)
    um = _finite(u_max, "u_max", positive=True)
    exact = _flag(exact, "exact")
    if exact:
        u_q = sp.nsimplify(um, rational=True)
        return tuple(-u_q + 2 * u_q * sp.Rational(k, n - 1) for k in range(n))
    return np.linspace(-um, um, n)
