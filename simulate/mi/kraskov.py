r"""Kozachenko–Leonenko k-nearest-neighbour entropy of layer activity, in bits.

See [P] App B.3 Eq 16; docs/formulas.md#s3-9.

.. math::
    \hat H(T)=\frac dP\sum_{i=1}^P\ln(r_i+\epsilon)+\frac d2\ln\pi-\ln\Gamma\!\big(\tfrac d2+1\big)+\psi(P)-\psi(k)
    \quad\text{nats},

with :math:`r_i` the Euclidean distance from sample i to its k-th nearest neighbour (docs/choices.md#a22: the paper
states neither the norm nor the base; Euclidean, and the result is converted to bits here). [P] uses k = 2 and
ε = 1e-16; ε keeps coincident samples finite (a duplicate contributes :math:`\ln\epsilon`). Under homoscedastic
noise T = h + Z, :math:`I(T;X)=H(T)-H(Z)` (Eqs 13–15), so H(T) tracks I(X;T) up to a constant.

References
----------
.. [P] Saxe et al., "On the Information Bottleneck Theory of Deep Learning", ICLR 2018, App B.3, Eqs 13–16.
.. [KL87] Kozachenko & Leonenko, "Sample estimate of the entropy of a random vector", Probl. Inf. Transm. 23
   (1987) 95–101.
.. [KSG04] Kraskov, Stögbauer & Grassberger, "Estimating mutual information", Phys. Rev. E 69 (2004) 066138.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.spatial import cKDTree
from scipy.special import digamma, gammaln

from simulate.mi.binning import check_activity
from simulate.validation import integer, positive_float

#: Largest accepted |activity|: distances between rows (≤ 2·√d·max|h|) must stay finite in float64.
_LARGEST_MAGNITUDE = 1e150

__all__ = ["entropies", "entropy", "neighbour_distances"]


def _checked_activity(activity: np.ndarray) -> np.ndarray:
    activity = check_activity(activity).astype(np.float64, copy=False)
    if activity.shape[1] < 1:
        raise ValueError(f"activity must have at least one unit (shape (N, d) with d >= 1), got {activity.shape}")
    if np.max(np.abs(activity)) > _LARGEST_MAGNITUDE:
        raise ValueError(f"activity must have magnitudes <= {_LARGEST_MAGNITUDE:g} (distances must stay finite)")
    return activity


def _orders(ks, n: int) -> tuple[int, ...]:
    if isinstance(ks, (str, bytes)) or not hasattr(ks, "__iter__"):
        raise TypeError(f"ks must be a sequence of neighbour orders (integers), got {ks!r}")
    orders = tuple(integer("ks", k, minimum=1, maximum=n - 1) for k in ks)
    if not orders:
        raise ValueError("ks must hold at least one neighbour order")
    return orders


def _all_distances(activity: np.ndarray, largest: int) -> np.ndarray:
    """(N, largest + 1) distances to the 0th (the sample itself) … `largest`-th nearest sample, one KD-tree query."""
    distances, _ = cKDTree(activity).query(activity, k=largest + 1)
    return distances


def neighbour_distances(activity: np.ndarray, k: int = 2) -> np.ndarray:
    """Euclidean distance from every sample to its k-th nearest other sample (a KD-tree query).

    Parameters
    ----------
    activity : array_like, shape (N, d)
        Samples, N > k, finite.
    k : int
        Neighbour order, 1 ≤ k < N.

    Returns
    -------
    numpy.ndarray, shape (N,)
        Distances r_i (0 for a sample with k or more exact duplicates).
    """
    activity = _checked_activity(activity)
    k = integer("k", k, minimum=1, maximum=activity.shape[0] - 1)
    return _all_distances(activity, k)[:, k]


def entropies(activity: np.ndarray, ks=(1, 2, 4, 8), epsilon: float = 1e-16) -> np.ndarray:
    """Kozachenko–Leonenko estimates of H(T) at several neighbour orders from one KD-tree query, in bits.

    The k-th neighbour distance of every order comes from a single query of the ``max(ks)`` nearest neighbours (the
    query returns them sorted), so the estimates are those of :func:`entropy` at each k, bit for bit, for the cost
    of about one query.

    Parameters
    ----------
    activity : array_like, shape (N, d)
        Layer activity, one row per sample (N > max(ks), d ≥ 1, finite, |h| ≤ 1e150).
    ks : sequence of int
        Neighbour orders, each in [1, N) (default 1, 2, 4, 8: the estimator sweep's).
    epsilon : float
        Added to every neighbour distance before the log ([P]: 1e-16), > 0.

    Returns
    -------
    numpy.ndarray, shape (len(ks),)
        H(T) in bits at each order of `ks`, in its order.

    Raises
    ------
    TypeError
        If `ks` is not a sequence.
    ValueError
        As :func:`entropy`, for each order; or `ks` empty.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> h = rng.normal(size=(5000, 1))
    >>> bool(entropies(h, (2, 4))[1] == entropy(h, k=4))
    True
    """
    epsilon = positive_float("epsilon", epsilon)
    activity = _checked_activity(activity)
    n, d = activity.shape
    orders = _orders(ks, n)
    distances = _all_distances(activity, max(orders))
    nats = [
        d * np.mean(np.log(distances[:, k] + epsilon))
        + 0.5 * d * math.log(math.pi)
        - gammaln(0.5 * d + 1)
        + digamma(n)
        - digamma(k)
        for k in orders
    ]
    return np.asarray(nats, dtype=np.float64) / math.log(2)


def entropy(activity: np.ndarray, k: int = 2, epsilon: float = 1e-16) -> float:
    """Kozachenko–Leonenko estimate of the differential entropy H(T) of the rows of `activity`, in bits.

    Parameters
    ----------
    activity : array_like, shape (N, d)
        Layer activity, one row per sample (N > k, d ≥ 1, finite, |h| ≤ 1e150).
    k : int
        Nearest-neighbour order ([P]: 2).
    epsilon : float
        Added to every neighbour distance before the log ([P]: 1e-16); must be > 0 so that duplicate samples
        give a finite (very negative) contribution.

    Returns
    -------
    float
        Differential entropy in **bits** (may be negative).

    Raises
    ------
    ValueError
        If `activity` is not finite of shape (N, d), `k` is not an integer in [1, N), or `epsilon` ≤ 0.

    References
    ----------
    .. [P] Saxe et al., ICLR 2018, App B.3 Eq 16; docs/formulas.md#s3-9, docs/choices.md#a22.
    .. [KL87] Kozachenko & Leonenko (1987).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> round(entropy(rng.normal(size=(20000, 1))), 2)  # exact: ½ log₂(2πe) = 2.05 bits
    2.06
    """
    activity = _checked_activity(activity)
    k = integer("k", k, minimum=1, maximum=activity.shape[0] - 1)
    return float(entropies(activity, (k,), epsilon)[0])
