"""Histograms of layer activity and the saturation statistics of App E (Figs 16–17; C15, C16).

For a layer's activity ``h`` of shape (S, N, width) (S seeds, N inputs), the statistics pool every unit and every
input of one network, as the paper's histograms do ("density over all inputs", [P] App E):

* :func:`activity_histogram`: fraction of the N·width values in each bin, per seed;
* :func:`extreme_bin_fraction`: fraction in the two extreme bins of the paper's 30 bins on [−1, 1], i.e.
  ``|h| > 1 − 2/30`` (C15: tanh layers 3–5 saturate into these bins late in training);
* :func:`zero_fraction`: fraction exactly equal to 0 (C16: ReLU keeps a roughly constant fraction at 0).

References
----------
.. [P] Saxe et al., "On the Information Bottleneck Theory of Deep Learning", ICLR 2018, App E, Figs 16–17.
"""

from __future__ import annotations

import numpy as np

from simulate.validation import choice, integer, positive_float, real_array

__all__ = [
    "PAPER_SATURATION_BINS",
    "activity_histogram",
    "extreme_bin_fraction",
    "histogram_edges",
    "zero_fraction",
]

MAX_BINS = 10_000_000
"""Largest number of histogram bins accepted (a larger request is a mistake and would exhaust memory)."""

PAPER_SATURATION_BINS = 30
"""Number of equal bins on [−1, 1] of the paper's tanh binning (§2); the extreme bins are the first and last."""


def _check_activity(activity: np.ndarray) -> np.ndarray:
    activity = real_array("activity", activity, finite=False)
    if activity.ndim != 3 or activity.shape[0] == 0 or activity.shape[1] == 0 or activity.shape[2] == 0:
        raise ValueError(f"activity must have shape (seed, input, unit) with inputs and units, got {activity.shape}")
    if not np.all(np.isfinite(activity)):
        raise ValueError("activity must be finite (a NaN/inf activity means the run diverged)")
    return activity


def histogram_edges(activation: str, n_bins: int = PAPER_SATURATION_BINS, upper: float | None = None) -> np.ndarray:
    """Bin edges for the activity histograms of a given nonlinearity.

    Parameters
    ----------
    activation : str
        ``"tanh"`` or ``"softsign"`` (range (−1, 1)): `n_bins` equal bins on [−1, 1] (the paper's 30).
        ``"relu"``, ``"softplus"`` or ``"linear"``: `n_bins` equal bins on [0, `upper`] (``"linear"``:
        [−`upper`, `upper`]); values beyond the range fall into the outermost bins (see :func:`activity_histogram`).
    n_bins : int
        Number of bins, ≥ 2.
    upper : float, optional
        Upper end for unbounded activations (required for them; must be positive).

    Returns
    -------
    numpy.ndarray
        ``n_bins + 1`` increasing edges.
    """
    n_bins = integer("n_bins", n_bins, minimum=2, maximum=MAX_BINS)
    choice("activation", activation, ("tanh", "softsign", "relu", "softplus", "linear"))
    if activation in ("tanh", "softsign"):
        return np.linspace(-1.0, 1.0, n_bins + 1)
    if activation in ("relu", "softplus", "linear"):
        if upper is None:
            raise ValueError(f"upper must be a positive finite number for activation {activation!r}, got None")
        upper = positive_float("upper", upper, maximum=1e300)
        low = -upper if activation == "linear" else 0.0
        return np.linspace(low, upper, n_bins + 1)
    raise ValueError(f"activation must be one of 'tanh', 'softsign', 'relu', 'softplus', 'linear', got {activation!r}")


def activity_histogram(activity: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """Fraction of a layer's activity values in each bin, pooled over units and inputs, per seed.

    Values below the first edge count in the first bin and values above the last edge in the last bin, so each
    row sums to 1 (the outermost bins of an unbounded activation are "this value or beyond").

    Parameters
    ----------
    activity : numpy.ndarray
        Layer activity, shape (S, N, width), finite.
    edges : numpy.ndarray
        Strictly increasing bin edges, at least 2.

    Returns
    -------
    numpy.ndarray
        Shape (S, len(edges) − 1); each row is a probability vector (dimensionless).

    References
    ----------
    .. [P] Saxe et al. (2018), App E, Figs 16–17.

    Examples
    --------
    >>> activity_histogram(np.array([[[-0.99], [0.0], [0.5], [0.99]]]), np.linspace(-1, 1, 5))
    array([[0.25, 0.  , 0.25, 0.5 ]])
    """
    activity = _check_activity(activity)
    edges = real_array("edges", edges)
    if edges.ndim != 1 or edges.size < 2 or not np.all(np.diff(edges) > 0):
        raise ValueError("edges must be a 1-D strictly increasing array of at least 2 values")
    n_bins = edges.size - 1
    index = np.clip(np.searchsorted(edges, activity, side="right") - 1, 0, n_bins - 1)
    S = activity.shape[0]
    flat = index.reshape(S, -1) + n_bins * np.arange(S)[:, None]
    counts = np.bincount(flat.ravel(), minlength=S * n_bins).reshape(S, n_bins)
    return counts / flat.shape[1]


def extreme_bin_fraction(activity: np.ndarray, n_bins: int = PAPER_SATURATION_BINS) -> np.ndarray:
    """Fraction of activity in the two extreme bins of `n_bins` equal bins on [−1, 1] (C15).

    A value is in an extreme bin when ``|h| ≥ 1 − 2/n_bins`` (for the paper's 30 bins, ``|h| ≥ 0.9333``).

    Parameters
    ----------
    activity : numpy.ndarray
        Activity of a saturating layer (tanh, softsign), shape (S, N, width).
    n_bins : int
        Number of equal bins on [−1, 1] (default 30, the paper's).

    Returns
    -------
    numpy.ndarray
        Fraction per seed, shape (S,), in [0, 1].

    References
    ----------
    .. [P] Saxe et al. (2018), §2 and App E, Fig 16 (claim C15).
    """
    activity = _check_activity(activity)
    n_bins = integer("n_bins", n_bins, minimum=2)
    threshold = 1.0 - 2.0 / n_bins
    return (np.abs(activity) >= threshold).reshape(activity.shape[0], -1).mean(axis=1)


def zero_fraction(activity: np.ndarray) -> np.ndarray:
    """Fraction of activity values exactly equal to 0, per seed (C16, ReLU layers).

    Parameters
    ----------
    activity : numpy.ndarray
        Layer activity, shape (S, N, width).

    Returns
    -------
    numpy.ndarray
        Fraction per seed, shape (S,), in [0, 1].

    References
    ----------
    .. [P] Saxe et al. (2018), App E, Fig 17 (claim C16).
    """
    activity = _check_activity(activity)
    return (activity == 0.0).reshape(activity.shape[0], -1).mean(axis=1)
