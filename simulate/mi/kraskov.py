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

__all__ = ["entropy", "neighbour_distances"]


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
    activity = check_activity(activity).astype(np.float64, copy=False)
    if activity.shape[1] < 1:
        raise ValueError(f"activity must have at least one unit (shape (N, d) with d >= 1), got {activity.shape}")
    if np.max(np.abs(activity)) > _LARGEST_MAGNITUDE:
        raise ValueError(f"activity must have magnitudes <= {_LARGEST_MAGNITUDE:g} (distances must stay finite)")
    k = integer("k", k, minimum=1, maximum=activity.shape[0] - 1)
    distances, _ = cKDTree(activity).query(activity, k=k + 1)
    return distances[:, k]


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
    epsilon = positive_float("epsilon", epsilon)
    r = neighbour_distances(activity, k)
    n, d = np.shape(activity)
    nats = (
        d * np.mean(np.log(r + epsilon))
        + 0.5 * d * math.log(math.pi)
        - gammaln(0.5 * d + 1)
        + digamma(n)
        - digamma(integer("k", k))
    )
    return float(nats / math.log(2))
