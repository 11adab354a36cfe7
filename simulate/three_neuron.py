r"""Monte Carlo witness of the minimal three-neuron model ([P] §2): sample, bin, count, plug-in entropy in bits.

:math:`X \sim N(0,1)` is drawn with a passed-in :class:`numpy.random.Generator`, :math:`h = f(wX)` with the NumPy
activations of :mod:`simulate.activations`, and :math:`T` is the bin of :math:`h`. Edge semantics (the definition
shared with the closed form of :mod:`theory.three_neuron`): with edges :math:`e_0 < \dots < e_N` there are
:math:`N` bins :math:`[e_k, e_{k+1})`; a value below :math:`e_0` goes to the first bin and a value at or above
:math:`e_N` to the last. ``space="net_input"`` bins :math:`wX` itself (App C, Fig 13).

The plug-in estimate :math:`\hat H = -\sum_k \hat p_k \log_2 \hat p_k` comes with the delta-method standard error
of the multinomial bin counts,

.. math:: \mathrm{SE}(\hat H) = \sqrt{\Big(\sum_k \hat p_k (\log_2 \hat p_k)^2 - \hat H^2\Big) / n},

and its leading bias is :math:`-(K-1)/(2 n \ln 2)` bits for :math:`K` occupied bins (Miller–Madow).

References
----------
.. [P] Saxe et al., "On the Information Bottleneck Theory of Deep Learning", ICLR 2018, §2, Eqs 1–4.
.. [Pan03] L. Paninski, "Estimation of entropy and mutual information", Neural Computation 15 (2003) 1191–1253
   (delta-method variance and Miller–Madow bias of the plug-in entropy).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulate.activations import get_activation
from simulate.validation import choice, generator, integer, real_array

__all__ = ["BinnedEstimate", "bin_counts", "monte_carlo_information", "plugin_entropy", "plugin_entropy_stderr"]

_LN2 = float(np.log(2.0))
_SAMPLE_CHUNK = 1_000_000  # draw and bin at most this many samples at a time (memory)


@dataclass(frozen=True)
class BinnedEstimate:
    """Monte Carlo estimate of :math:`I(T;X) = H(T)` at each weight.

    Attributes
    ----------
    w : numpy.ndarray
        The weights, shape ``(n_w,)``.
    I : numpy.ndarray
        Plug-in entropy of the bin counts, **bits**, shape ``(n_w,)``.
    stderr : numpy.ndarray
        Delta-method standard error of `I`, **bits**.
    counts : numpy.ndarray
        Bin counts, shape ``(n_w, n_bins)``, int64.
    n_samples : int
        Samples per weight.
    """

    w: np.ndarray
    I: np.ndarray
    stderr: np.ndarray
    counts: np.ndarray
    n_samples: int


def _check_edges(edges: np.ndarray) -> np.ndarray:
    values = real_array("edges", edges, ndim=1, min_size=2)
    if not np.all(np.diff(values) > 0):
        raise ValueError("edges must be strictly increasing")
    return values


def _check_weights(w: float | np.ndarray) -> np.ndarray:
    values = np.atleast_1d(real_array("w", w, ndim=(0, 1), min_size=1))
    return values


def _check_n_samples(n_samples: int) -> int:
    return integer("n_samples", n_samples, minimum=1)


def _bin_index(values: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """Bin of each value: ``[e_k, e_{k+1})``; below the first edge → 0; at or above the last → last bin."""
    index = np.searchsorted(edges, values, side="right") - 1
    return np.clip(index, 0, edges.size - 2)


def bin_counts(
    activation: str,
    w: float | np.ndarray,
    edges: np.ndarray,
    n_samples: int,
    rng: np.random.Generator,
    *,
    space: str = "output",
) -> np.ndarray:
    """Counts of ``T = bin(f(w X))`` over `n_samples` draws of ``X ~ N(0, 1)``, for each weight.

    The same draws of ``X`` are used for every weight (common random numbers: the curve over ``w`` is smooth,
    and each point is an unbiased sample of its own distribution).

    Parameters
    ----------
    activation : str
        ``"tanh"``, ``"relu"``, ``"softsign"``, ``"softplus"`` or ``"linear"``.
    w : float or array_like
        Weight(s), finite.
    edges : array_like
        Strictly increasing, finite bin edges.
    n_samples : int
        Number of draws, > 0.
    rng : numpy.random.Generator
        Source of the draws.
    space : {"output", "net_input"}
        Bin ``f(wX)`` (default) or ``wX``.

    Returns
    -------
    numpy.ndarray
        int64 counts, shape ``(n_w, n_bins)``; each row sums to `n_samples`.

    Raises
    ------
    ValueError
        Unknown activation or space, non-finite weights, bad edges, ``n_samples ≤ 0``, or `rng` not a Generator.
    """
    act = get_activation(activation)
    choice("space", space, ("output", "net_input"))
    weights = _check_weights(w)
    e = _check_edges(edges)
    n = _check_n_samples(n_samples)
    generator("rng", rng)
    n_bins = e.size - 1
    counts = np.zeros((weights.size, n_bins), dtype=np.int64)
    for start in range(0, n, _SAMPLE_CHUNK):
        x = rng.standard_normal(min(_SAMPLE_CHUNK, n - start))
        for row, weight in enumerate(weights):
            with np.errstate(over="ignore"):  # |w x| beyond float64 is ±inf: every activation maps it to its limit
                net = weight * x
            h = net if space == "net_input" else act.forward(net)
            counts[row] += np.bincount(_bin_index(h, e), minlength=n_bins)
    return counts


def plugin_entropy(counts: np.ndarray) -> np.ndarray:
    r"""Plug-in entropy :math:`-\sum_k \hat p_k \log_2 \hat p_k` of counts along the last axis, in **bits**.

    Raises
    ------
    ValueError
        If counts are negative or a row sums to 0.

    Examples
    --------
    >>> float(plugin_entropy(np.array([5, 5, 0])))
    1.0
    """
    c = real_array("counts", counts, min_size=1)
    if c.ndim < 1:
        raise ValueError(f"counts must have at least one axis (bins), got shape {c.shape}")
    if np.any(c < 0):
        raise ValueError("counts must be non-negative")
    total = c.sum(axis=-1, keepdims=True)
    if np.any(total == 0):
        raise ValueError("counts must have a positive total along the last axis")
    p = c / total
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(p > 0, -p * np.log2(np.where(p > 0, p, 1.0)), 0.0)
    return terms.sum(axis=-1)


def plugin_entropy_stderr(counts: np.ndarray) -> np.ndarray:
    r"""Delta-method standard error of :func:`plugin_entropy` from multinomial counts, in **bits**.

    :math:`\mathrm{Var}(\hat H) \approx (\sum_k p_k \log_2^2 p_k - H^2)/n` [Pan03]; 0 for a single occupied bin.
    """
    c = real_array("counts", counts, min_size=1)
    if c.ndim < 1 or np.any(c < 0) or np.any(c.sum(axis=-1) == 0):
        raise ValueError("counts must be non-negative with a positive total along the last axis (bins)")
    total = c.sum(axis=-1)
    p = c / total[..., None]
    with np.errstate(divide="ignore", invalid="ignore"):
        log_p = np.where(p > 0, np.log2(np.where(p > 0, p, 1.0)), 0.0)
    second = np.sum(p * log_p**2, axis=-1)
    H = -np.sum(p * log_p, axis=-1)
    return np.sqrt(np.maximum(second - H**2, 0.0) / total)


def monte_carlo_information(
    activation: str,
    w: float | np.ndarray,
    edges: np.ndarray,
    n_samples: int,
    rng: np.random.Generator,
    *,
    space: str = "output",
) -> BinnedEstimate:
    r"""Monte Carlo :math:`I(T;X) = \hat H(T)` of the minimal model, in **bits**, with its standard error.

    Parameters are those of :func:`bin_counts`.

    Returns
    -------
    BinnedEstimate

    Examples
    --------
    >>> edges = np.linspace(-1, 1, 31)
    >>> est = monte_carlo_information("tanh", [0.0, 1e6], edges, 10_000, np.random.default_rng(0))
    >>> [round(float(v), 2) for v in est.I]
    [0.0, 1.0]
    """
    counts = bin_counts(activation, w, edges, n_samples, rng, space=space)
    return BinnedEstimate(
        w=_check_weights(w),
        I=plugin_entropy(counts),
        stderr=plugin_entropy_stderr(counts),
        counts=counts,
        n_samples=int(n_samples),
    )
