"""Recorders for the trainer of :mod:`simulate.train`: saturation, binning artefacts, Kraskov, gradient SNR.

Each class is a :class:`simulate.train.Recorder`: at every logged epoch the trainer calls ``record(state)`` and
the returned arrays (leading dim ``seed``; ``layer`` runs over every layer, softmax output last) become
variables of the run's :class:`xarray.Dataset`. Weight norms (App D, C26) are recorded by the trainer itself
(``weight_norm``). The gradient SNR recorder is defined in :mod:`simulate.snr_recorder` and re-exported here.

=====================================  ===============================================================  ========
recorder                               variables                                                        paper
=====================================  ===============================================================  ========
:class:`ActivityHistograms`            ``activity_histogram`` (seed, layer, bin), ``extreme_fraction``,  F16, F17
                                       ``zero_fraction`` (seed, layer), ``histogram_edges`` (bin_edge)
:class:`LayerBinnedInformation`        ``I_XT_<name>``, ``I_TY_<name>`` (seed, layer), bits              F14, F15
:class:`KraskovEntropy`                ``H_kraskov`` (seed, layer), bits                                F12
:class:`GradientSignalToNoise`         ``grad_mean_norm``, ``grad_std_norm``, ``grad_snr`` (seed, layer)  F9, F10,
                                                                                                        F20
=====================================  ===============================================================  ========

References
----------
.. [P] Saxe et al., "On the Information Bottleneck Theory of Deep Learning", ICLR 2018, App B.3, C, D, E, I.
.. [code] artemyk/ibsgd ``loggingreporter.py`` (gradient statistics over separately shuffled minibatches, A13).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import xarray as xr

from simulate.mi.binning import mutual_information
from simulate.mi.discretizers import Discretizer, as_discretizer
from simulate.saturation import (
    PAPER_SATURATION_BINS,
    activity_histogram,
    extreme_bin_fraction,
    histogram_edges,
    zero_fraction,
)
from simulate.snr_recorder import GradientSignalToNoise, streaming_gradient_statistics
from simulate.train import Recorder, TrainingState

__all__ = [
    "ActivityHistograms",
    "GradientSignalToNoise",
    "KraskovEntropy",
    "LayerBinnedInformation",
    "streaming_gradient_statistics",
]


def _per_layer(values: list[np.ndarray], name: str) -> xr.DataArray:
    return xr.DataArray(np.stack(values, axis=1), dims=("seed", "layer"), name=name)


class ActivityHistograms(Recorder):
    """Histograms of every layer's activity over the measurement inputs, and the saturation fractions (App E).

    For saturating activations (tanh, softsign) the bins are the paper's 30 equal bins on [−1, 1]. For unbounded
    ones (ReLU, softplus) the bins span [0, max activity over all logged epochs and hidden layers] (a two-pass
    recorder, like the paper's ReLU binning range, A4). The softmax output layer is binned on [0, 1].

    Parameters
    ----------
    n_bins : int
        Number of bins (default 30, the paper's).

    Notes
    -----
    Variables: ``activity_histogram`` (seed, layer, bin) — fraction of the N·width values per bin;
    ``extreme_fraction`` (seed, layer) — fraction with ``|h| ≥ 1 − 2/n_bins`` (C15); ``zero_fraction``
    (seed, layer) — fraction exactly 0 (C16); ``hidden_edges`` (bin_edge) — the hidden layers' bin edges.

    References
    ----------
    .. [P] Saxe et al. (2018), App E, Figs 16–17 (claims C15, C16).
    """

    def __init__(self, n_bins: int = PAPER_SATURATION_BINS) -> None:
        histogram_edges("tanh", n_bins)  # validates n_bins
        self.n_bins = int(n_bins)
        self.two_pass = True
        self._upper = 0.0

    def observe(self, state: TrainingState) -> None:
        """First pass: track the largest hidden activity (sets the range of unbounded activations)."""
        for h in state.activations[:-1]:
            self._upper = max(self._upper, float(np.max(h)))

    def record(self, state: TrainingState) -> Mapping[str, xr.DataArray]:
        """Histograms and saturation fractions of every layer at this epoch."""
        name = state.activation.name
        if state.activation.saturating:
            hidden = histogram_edges("tanh", self.n_bins)
        else:
            hidden = histogram_edges("relu", self.n_bins, upper=self._upper if self._upper > 0 else 1.0)
        output = np.linspace(0.0, 1.0, self.n_bins + 1)
        layers = state.activations
        hist = [activity_histogram(h, hidden if l < len(layers) - 1 else output) for l, h in enumerate(layers)]
        out = {
            "activity_histogram": xr.DataArray(np.stack(hist, axis=1), dims=("seed", "layer", "bin")),
            "zero_fraction": _per_layer([zero_fraction(h) for h in layers], "zero_fraction"),
            "hidden_edges": xr.DataArray(
                np.broadcast_to(hidden, (layers[0].shape[0], hidden.size)).copy(), dims=("seed", "bin_edge")
            ),
        }
        if state.activation.saturating or name == "linear":
            clipped = [np.clip(h, -1.0, 1.0) for h in layers]
            out["extreme_fraction"] = _per_layer([extreme_bin_fraction(h, self.n_bins) for h in clipped], "x")
        return out


class LayerBinnedInformation(Recorder):
    """Binned ``I(X;T)`` and ``I(T;Y)`` of every layer with a given discretiser (App C artefacts).

    Parameters
    ----------
    discretizer : Discretizer or array_like
        E.g. :func:`simulate.mi.discretizers.net_input_edges` (Fig 14) or
        :func:`simulate.mi.discretizers.machine_precision` (Fig 15).
    name : str
        Suffix of the variables ``I_XT_<name>`` and ``I_TY_<name>`` (bits).
    dtype : numpy dtype, optional
        Cast the activity to this dtype before binning: ``numpy.float32`` reproduces the paper's
        single-precision networks for machine-precision binning (C25: about 2³² values per unit).
    on_pre_activations : bool
        Bin the net inputs instead of the activities (default False).

    References
    ----------
    .. [P] Saxe et al. (2018), App C, Figs 14–15 (claims C22–C25).
    """

    def __init__(
        self,
        discretizer: Discretizer | np.ndarray,
        name: str,
        *,
        dtype: type | np.dtype | None = None,
        on_pre_activations: bool = False,
    ) -> None:
        if not isinstance(name, str) or not name.isidentifier():
            raise ValueError(f"name must be an identifier-like string (used in variable names), got {name!r}")
        self.discretizer = as_discretizer(discretizer)
        self.name = name
        self.dtype = None if dtype is None else np.dtype(dtype)
        self.on_pre_activations = bool(on_pre_activations)

    def record(self, state: TrainingState) -> Mapping[str, xr.DataArray]:
        """``I_XT_<name>`` and ``I_TY_<name>`` (seed, layer), bits."""
        layers = state.pre_activations if self.on_pre_activations else state.activations
        labels = state.data.y_mi
        S = layers[0].shape[0]
        I_XT = np.empty((S, len(layers)))
        I_TY = np.empty((S, len(layers)))
        for l, h in enumerate(layers):
            if self.dtype is not None:
                h = h.astype(self.dtype)
            for s in range(S):
                I_XT[s, l], I_TY[s, l] = mutual_information(h[s], labels, self.discretizer)
        return {
            f"I_XT_{self.name}": xr.DataArray(I_XT, dims=("seed", "layer")),
            f"I_TY_{self.name}": xr.DataArray(I_TY, dims=("seed", "layer")),
        }


class KraskovEntropy(Recorder):
    """Kozachenko–Leonenko (Kraskov) entropy ``H(T)`` of every layer's activity, in bits (App B.3, Eq 16).

    Parameters
    ----------
    k : int
        Nearest-neighbour order (paper: 2).
    epsilon : float
        Added to the neighbour distances (paper: 1e-16).
    at_epochs : collection of int, optional
        Measure only at these logged epochs (NaN elsewhere, keeping the Dataset rectangular); default: every
        logged epoch. A k-d tree query on 4096 patterns costs ≈ 0.05 s per layer and seed.

    References
    ----------
    .. [P] Saxe et al. (2018), App B.3, Eq 16, Fig 12 (claim C19); spec §3.9, A22.
    """

    def __init__(self, k: int = 2, epsilon: float = 1e-16, at_epochs=None) -> None:
        from simulate.mi import kraskov

        if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
            raise ValueError(f"k must be a positive integer, got {k!r}")
        self._entropy = kraskov.entropy
        self.k = int(k)
        self.epsilon = epsilon
        self.at_epochs = None if at_epochs is None else {int(e) for e in at_epochs}

    def record(self, state: TrainingState) -> Mapping[str, xr.DataArray]:
        """``H_kraskov`` (seed, layer), bits (NaN at epochs not in `at_epochs`)."""
        if self.at_epochs is not None and state.epoch not in self.at_epochs:
            shape = (state.params.n_seeds, len(state.params.W))
            return {"H_kraskov": xr.DataArray(np.full(shape, np.nan), dims=("seed", "layer"))}
        values = []
        for h in state.activations:
            values.append(np.array([self._entropy(h[s], k=self.k, epsilon=self.epsilon) for s in range(h.shape[0])]))
        return {"H_kraskov": _per_layer(values, "H_kraskov")}
