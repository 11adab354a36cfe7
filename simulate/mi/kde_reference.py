r"""A straightforward SciPy implementation of the KDE bounds, kept as the reference for tests and benchmarks.

It computes the full P × P matrix of squared distances with :func:`scipy.spatial.distance.cdist` and one
:func:`scipy.special.logsumexp` per bound and per class, exactly as [P] Eqs 7–12 read (docs/formulas.md#s3-8). It is
slow and needs O(P²) memory; use :func:`simulate.mi.kde.mutual_information_bounds` for real work.

References
----------
.. [P] Saxe et al., "On the Information Bottleneck Theory of Deep Learning", ICLR 2018, App B.1, Eqs 7–12.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.spatial.distance import cdist
from scipy.special import logsumexp

__all__ = ["mutual_information_bounds_reference"]


def _pairwise_upper(distances: np.ndarray, variance: float) -> float:
    """−(1/P) Σ_i ln (1/P) Σ_j exp(−d_ij / (2·variance)), nats ([P] Eq 7)."""
    n = distances.shape[0]
    return float(-np.mean(logsumexp(-distances / (2 * variance), axis=1) - math.log(n)))


def mutual_information_bounds_reference(
    activity: np.ndarray, labels: np.ndarray, noise_variance: float
) -> tuple[float, float, float, float]:
    """``(i_xt_upper, i_xt_lower, i_ty_upper, i_ty_lower)`` in bits, computed the straightforward way.

    Parameters
    ----------
    activity : numpy.ndarray, shape (N, d)
        Layer activity, one row per equiprobable input.
    labels : numpy.ndarray of int, shape (N,)
        Class of each input.
    noise_variance : float
        σ² > 0.

    Returns
    -------
    tuple of float
        The four numbers of :class:`simulate.mi.kde.KDEBounds`, in **bits**.

    References
    ----------
    .. [P] Saxe et al., ICLR 2018, App B.1, Eqs 7–12.
    """
    distances = cdist(activity, activity, "sqeuclidean")
    labels = np.asarray(labels)
    result = []
    for variance in (noise_variance, 4 * noise_variance):
        total = _pairwise_upper(distances, variance)
        within = 0.0
        for label in np.unique(labels):
            members = labels == label
            within += members.mean() * _pairwise_upper(distances[np.ix_(members, members)], variance)
        result.append((total / math.log(2), (total - within) / math.log(2)))
    (xt_upper, ty_upper), (xt_lower, ty_lower) = result
    return xt_upper, xt_lower, ty_upper, ty_lower
