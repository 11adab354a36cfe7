"""Recorders for the trainer of :mod:`simulate.train`: saturation, binning artefacts, Kraskov, gradient SNR.

Each class is a :class:`simulate.train.Recorder`: at every logged epoch the trainer calls ``record(state)`` and
the returned arrays (leading dim ``seed``; ``layer`` runs over every layer, softmax output last) become
variables of the run's :class:`xarray.Dataset`. Weight norms (App D, C26) are recorded by the trainer itself
(``weight_norm``).

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
from simulate.network import _output_deltas, backward, forward  # per-example deltas, same witness package
from simulate.saturation import (
    PAPER_SATURATION_BINS,
    activity_histogram,
    extreme_bin_fraction,
    histogram_edges,
    zero_fraction,
)
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


class _RunningMoments:
    """Element-wise mean and sum of squared deviations over gradients added in chunks (Chan et al.'s update)."""

    def __init__(self) -> None:
        self.n = 0
        self.mean: np.ndarray | None = None
        self.m2: np.ndarray | None = None

    def add(self, chunk: np.ndarray) -> None:
        chunk = np.asarray(chunk, dtype=np.float64)
        if not np.all(np.isfinite(chunk)):
            raise FloatingPointError("non-finite gradient in the gradient SNR statistics (the run diverged)")
        g = chunk.shape[1]
        c_mean = chunk.mean(axis=1)
        c_m2 = ((chunk - c_mean[:, None]) ** 2).sum(axis=1)
        if self.mean is None:
            self.mean, self.m2, self.n = c_mean, c_m2, g
            return
        delta = c_mean - self.mean
        total = self.n + g
        self.mean = self.mean + delta * (g / total)
        self.m2 = self.m2 + c_m2 + delta**2 * (self.n * g / total)
        self.n = total

    def norms(self) -> tuple[np.ndarray, np.ndarray, int]:
        if self.mean is None or self.n < 2:
            raise ValueError("at least 2 gradients are needed for the gradient SNR statistics")
        axes = tuple(range(1, self.mean.ndim))
        return np.sqrt((self.mean**2).sum(axis=axes)), np.sqrt((self.m2 / self.n).sum(axis=axes)), self.n


def streaming_gradient_statistics(chunks) -> tuple[np.ndarray, np.ndarray, int]:
    """Mean-norm and std-norm over gradients that arrive in chunks ([P] App I Eqs 26–27), in bounded memory.

    Combines per-chunk means and sums of squared deviations (Chan et al.'s pairwise update), so the result equals
    :func:`simulate.gradient_snr.gradient_statistics` on the concatenated stack (population std, ddof = 0) while
    holding one chunk at a time.

    Parameters
    ----------
    chunks : iterable of numpy.ndarray
        Arrays of shape (S, G_i, *weight_shape): G_i gradients per seed in each chunk.

    Returns
    -------
    mean_norm, std_norm : numpy.ndarray
        Frobenius norms of the mean and of the element-wise std, shape (S,) (units of the gradient).
    n : int
        Total number of gradients.

    Raises
    ------
    ValueError
        If fewer than 2 gradients arrive.
    FloatingPointError
        If a gradient is NaN or infinite (a diverged run).

    References
    ----------
    .. [P] Saxe et al. (2018), App I Eqs 26–27; spec §3.10.
    .. [C] Chan, Golub, LeVeque, "Updating formulae and a pairwise algorithm for computing sample variances" (1979).
    """
    moments = _RunningMoments()
    for chunk in chunks:
        moments.add(chunk)
    return moments.norms()


class GradientSignalToNoise(Recorder):
    """Per-layer gradient SNR of the kernels at each logged epoch ([P] App I, Eqs 26–27; A13).

    ``mode="minibatch"`` (ibsgd, Figs 9–10): gradients of the mean loss over minibatches of `batch_size` from an
    order shuffled separately from training (each seed draws it from its own generator), incomplete last batch
    dropped. ``mode="sample"`` (Eqs 26–27, Fig 21D): per-example gradients over the whole training set (or the
    first `max_groups` examples of a shuffled order).

    In ``"sample"`` mode the per-example kernel gradients ``g_n = a_n δ_nᵀ`` are never materialised: the mean is
    one matrix product and ``Σ_n ‖g_n − ḡ‖²_F = Σ_n ‖a_n‖² ‖δ_n‖² − N ‖ḡ‖²_F`` (the Frobenius norm of an outer
    product is the product of the vector norms). The cost is that of one forward/backward pass over the training
    set, so the statistic of Eqs 26–27 over all training samples is affordable at every logged epoch even for the
    784×1024 MNIST kernel. float64 cancellation limits the std to SNRs below ≈ 10⁷, far above any measured value.

    Parameters
    ----------
    rngs : sequence of numpy.random.Generator
        One per seed, for the minibatch order.
    batch_size : int
        Minibatch size (the training batch size; 256 for SZT, 128 for MNIST).
    mode : {"minibatch", "sample"}
    max_groups : int, optional
        Cap on the number of minibatches / examples per logged epoch (bounded cost on large data).
    chunk : int
        Number of groups whose gradients are held in memory at once (minibatch mode).
    prefix : str
        Prefix of the variable names (default ``"grad"``); lets one run record both statistics.

    Notes
    -----
    Variables (seed, layer): ``<prefix>_mean_norm`` m_l, ``<prefix>_std_norm`` s_l and ``<prefix>_snr`` =
    m_l / s_l (dimensionless).

    References
    ----------
    .. [P] Saxe et al. (2018), App I Eqs 26–27, Figs 9–10 (row 4), 20, 21; spec §3.10, A13.
    """

    def __init__(
        self,
        rngs,
        batch_size: int,
        *,
        mode: str = "minibatch",
        max_groups: int | None = None,
        chunk: int = 8,
        prefix: str = "grad",
    ) -> None:
        if not isinstance(prefix, str) or not prefix.isidentifier():
            raise ValueError(f"prefix must be an identifier-like string (used in variable names), got {prefix!r}")
        if mode not in ("minibatch", "sample"):
            raise ValueError(f"mode must be 'minibatch' or 'sample', got {mode!r}")
        if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)) or batch_size < 1:
            raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}")
        if max_groups is not None and max_groups < 2:
            raise ValueError(f"max_groups must be at least 2, got {max_groups!r}")
        self.rngs = list(rngs)
        self.batch_size = int(batch_size) if mode == "minibatch" else 1
        self.mode = mode
        self.max_groups = max_groups
        self.chunk = max(1, int(chunk))
        self.prefix = prefix

    def _groups(self, n: int) -> np.ndarray:
        n_groups = n // self.batch_size
        if self.max_groups is not None:
            n_groups = min(n_groups, self.max_groups)
        if n_groups < 2:
            raise ValueError(f"batch_size {self.batch_size} leaves fewer than 2 minibatches of the {n} examples")
        orders = np.stack([r.permutation(n)[: n_groups * self.batch_size] for r in self.rngs])
        return orders.reshape(len(self.rngs), n_groups, self.batch_size)

    def _chunk_gradients(self, state: TrainingState, groups: np.ndarray) -> list[np.ndarray]:
        """Kernel gradients of the groups (S, G, B), per layer (S, G, fan_in, fan_out)."""
        if self.batch_size == 1:
            return state.kernel_gradients(groups)
        # Minibatches: one BLAS forward/backward pass per minibatch (the mean-loss gradient of that minibatch).
        d = state.data
        seed_index = np.arange(groups.shape[0])[:, None]
        per_group = []
        for g in range(groups.shape[1]):
            index = groups[:, g]
            X = d.X_train[seed_index, index] if d.X_train.ndim == 3 else d.X_train[index]
            Y = d.Y_train[seed_index, index] if d.Y_train.ndim == 3 else d.Y_train[index]
            fp = forward(state.params, X, state.activation)
            per_group.append(backward(state.params, fp, X, Y, state.activation).dW)
        return [np.stack([grads[l] for grads in per_group], axis=1) for l in range(len(per_group[0]))]

    def record(self, state: TrainingState) -> Mapping[str, xr.DataArray]:
        """``grad_mean_norm``, ``grad_std_norm`` and ``grad_snr`` (seed, layer)."""
        if len(self.rngs) != state.params.n_seeds:
            raise ValueError(f"rngs must hold one generator per seed ({state.params.n_seeds}), got {len(self.rngs)}")
        groups = self._groups(state.data.n_train)
        if self.mode == "sample":
            m, s = self._per_example_norms(state, groups[:, :, 0])
        else:
            n_layers = len(state.params.W)
            moments = [_RunningMoments() for _ in range(n_layers)]
            for start in range(0, groups.shape[1], self.chunk):  # one chunk of gradients in memory at a time
                for l, gradients in enumerate(self._chunk_gradients(state, groups[:, start : start + self.chunk])):
                    moments[l].add(gradients)
            norms = [m.norms() for m in moments]
            m, s = np.stack([n[0] for n in norms], axis=1), np.stack([n[1] for n in norms], axis=1)
        snr = np.divide(m, s, out=np.where(m > 0, np.inf, 0.0), where=s > 0)
        return {
            f"{self.prefix}_mean_norm": xr.DataArray(m, dims=("seed", "layer")),
            f"{self.prefix}_std_norm": xr.DataArray(s, dims=("seed", "layer")),
            f"{self.prefix}_snr": xr.DataArray(snr, dims=("seed", "layer")),
        }

    @staticmethod
    def _per_example_norms(state: TrainingState, index: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """m_l and s_l over the per-example gradients of the examples `index` (S, G), without materialising them."""
        d = state.data
        fp = state.train_forward
        deltas = _output_deltas(state.params, fp, d.Y_train, state.activation)
        S, G = index.shape
        X = np.broadcast_to(np.asarray(d.X_train, dtype=np.float64), (S, *d.X_train.shape[-2:]))
        seed_index = np.arange(S)[:, None]
        mean_norms, std_norms = [], []
        for a, delta in zip([X, *fp.post[:-1]], deltas):
            a_g, d_g = a[seed_index, index], delta[seed_index, index]  # (S, G, fan_in), (S, G, fan_out)
            if not (np.all(np.isfinite(a_g)) and np.all(np.isfinite(d_g))):
                raise FloatingPointError("non-finite gradient in the gradient SNR statistics (the run diverged)")
            mean = np.matmul(np.swapaxes(a_g, 1, 2), d_g) / G  # (S, fan_in, fan_out)
            mean_sq = np.einsum("sio,sio->s", mean, mean)
            second = np.einsum("sg,sg->s", np.einsum("sgi,sgi->sg", a_g, a_g), np.einsum("sgo,sgo->sg", d_g, d_g)) / G
            mean_norms.append(np.sqrt(mean_sq))
            std_norms.append(np.sqrt(np.maximum(second - mean_sq, 0.0)))
        return np.stack(mean_norms, axis=1), np.stack(std_norms, axis=1)
