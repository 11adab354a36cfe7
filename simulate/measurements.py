"""Measurements of a trained network run: every estimator of the paper, applied to stored parameters.

A *run* (:func:`simulate.train.train`) stores the parameters of every seed's network at every logged epoch. A
*measurement* is a function of that run: it rebuilds each logged network from its parameters
(:class:`RunStates`), runs the forward (and, for gradient statistics, backward) pass on the measurement data, and
returns named :class:`xarray.DataArray` values with dims ``(seed, epoch, layer, …)``. Nothing is measured while
training, so any estimator — including one a user writes — can be applied to the paper's networks later, without
retraining; and a measurement that needs a statistic of the whole run first (the paper's ReLU binning range
"over all epochs", [P] §2) simply looks at every logged network before it bins.

===============================================  ==================================================  ==========
function                                         variables (bits for information)                    paper
===============================================  ==================================================  ==========
:func:`binned_information`                       ``I_XT_<name>``, ``I_TY_<name>``                    F1, F4, F5
:func:`min_max_binned_information`               the same + ``bin_low_<name>``, ``bin_high_<name>``  F1B, F7
:func:`kde_information`                          ``I_XT_upper_<name>`` … ``I_TY_lower_<name>``       F8, F9, F10
:func:`kraskov_entropy`                          ``H_kraskov``                                       F12
:func:`activity_histograms`                      ``activity_histogram``, ``extreme_fraction``, …     F16, F17
:func:`gradient_signal_to_noise`                 ``<prefix>_mean_norm``, ``_std_norm``, ``_snr``     F9, F10, F20
:func:`layer_measure`                            any function of one layer's activity                (yours)
===============================================  ==================================================  ==========

Every layer is measured, the softmax output last; ``layer`` is 1-based (1 = first hidden layer).

References
----------
.. [P] Saxe et al., "On the Information Bottleneck Theory of Deep Learning", ICLR 2018, §2, App B, C, E, I.
.. [KT17] Kolchinsky & Tracey, "Estimating mixture entropy with pairwise distances", arXiv:1706.02419.
.. [code] artemyk/ibsgd ``loggingreporter.py`` (gradient statistics over separately shuffled minibatches).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

import numpy as np
import xarray as xr

from simulate.activations import Activation, get_activation
from simulate.gradient_snr import RunningGradientMoments, per_example_gradient_norms
from simulate.mi import binning
from simulate.mi.discretizers import Discretizer, as_discretizer
from simulate.network import backward, forward
from simulate.parameters import Params, params_from_flat
from simulate.saturation import (
    PAPER_SATURATION_BINS,
    activity_histogram,
    extreme_bin_fraction,
    histogram_edges,
    zero_fraction,
)
from simulate.train import TrainingData, TrainingState

__all__ = [
    "PAPER_KDE_VARIANCES",
    "RunStates",
    "activity_histograms",
    "binned_information",
    "gradient_signal_to_noise",
    "kde_information",
    "kraskov_entropy",
    "layer_measure",
    "min_max_binned_information",
    "paper_binning",
]

PAPER_KDE_VARIANCES = (0.1, 1e-3)
"""Noise variances σ² of the KDE estimates: 0.1 in the paper's Fig 8, 1e-3 in ibsgd's code."""


class RunStates:
    """The networks of a run at its logged epochs, rebuilt lazily from their stored parameters.

    Iterating yields one :class:`~simulate.train.TrainingState` per logged epoch (in order); each is built when
    it is reached and dropped after, so memory holds one epoch's activity at a time whatever the run's length.
    The parameters are evaluated in float64 (a float32 run is widened exactly).

    Parameters
    ----------
    parameters : array_like, shape (S, E, P)
        Flattened parameters of S seeds at E logged epochs (the ``parameters`` variable of a run).
    widths : sequence of int
        Layer widths, input first.
    activation : str or Activation
        Hidden nonlinearity.
    data : TrainingData
        Training, test and measurement data of the run (per seed or shared).
    epochs : sequence of int
        The E logged epochs.
    seeds : sequence of int, optional
        Labels of the S networks (the ``seed`` coordinate of every result); default 0 … S−1.
    """

    def __init__(
        self,
        parameters: np.ndarray,
        widths: Sequence[int],
        activation: str | Activation,
        data: TrainingData,
        epochs: Sequence[int],
        seeds: Sequence[int] | None = None,
    ) -> None:
        parameters = np.asarray(parameters)
        epochs = [int(e) for e in epochs]
        if parameters.ndim != 3 or parameters.shape[1] != len(epochs):
            raise ValueError(
                f"parameters must have shape (seed, epoch, parameter) with {len(epochs)} epochs, got {parameters.shape}"
            )
        if not isinstance(data, TrainingData):
            raise TypeError(f"data must be a simulate.train.TrainingData, got {type(data).__name__}")
        self.parameters = parameters
        self.widths = tuple(int(w) for w in widths)
        self.activation = activation if isinstance(activation, Activation) else get_activation(activation)
        self.data = data
        self.epochs = tuple(epochs)
        self.seeds = tuple(range(parameters.shape[0])) if seeds is None else tuple(int(s) for s in seeds)
        if len(self.seeds) != parameters.shape[0]:
            raise ValueError(f"seeds must label the {parameters.shape[0]} networks, got {len(self.seeds)} labels")
        params_from_flat(parameters[:, 0].astype(np.float64), self.widths)  # validates the layout

    @property
    def n_seeds(self) -> int:
        """Number of seeds S."""
        return int(self.parameters.shape[0])

    @property
    def n_layers(self) -> int:
        """Number of layers with weights (hidden layers and the output)."""
        return len(self.widths) - 1

    def __len__(self) -> int:
        return len(self.epochs)

    def params_at(self, index: int) -> Params:
        """The S networks at the `index`-th logged epoch, in float64."""
        return params_from_flat(self.parameters[:, index].astype(np.float64), self.widths)

    def __iter__(self) -> Iterator[TrainingState]:
        for i, epoch in enumerate(self.epochs):
            yield TrainingState(epoch, self.params_at(i), self.activation, self.data)

    def subset(self, epochs: Sequence[int] | None) -> RunStates:
        """The same run restricted to `epochs` (a subset of the logged epochs; None keeps all)."""
        if epochs is None:
            return self
        wanted = sorted({int(e) for e in epochs})
        missing = sorted(set(wanted) - set(self.epochs))
        if missing:
            raise ValueError(f"epochs {missing} are not logged epochs of the run (logged: {list(self.epochs)})")
        index = [self.epochs.index(e) for e in wanted]
        return RunStates(self.parameters[:, index], self.widths, self.activation, self.data, wanted, self.seeds)


def _stack(per_epoch: list[np.ndarray], states: RunStates, dims: tuple[str, ...], **coords) -> xr.DataArray:
    """Stack per-epoch arrays (seed, …) into a DataArray (seed, epoch, …) with seed, epoch and 1-based layers."""
    values = np.stack(per_epoch, axis=1)
    coords = {"seed": list(states.seeds), "epoch": list(states.epochs), **coords}
    if "layer" in dims:
        coords["layer"] = np.arange(1, values.shape[2 + dims.index("layer")] + 1)
    return xr.DataArray(values, dims=("seed", "epoch", *dims), coords=coords)


def _check_name(name: str, what: str = "name") -> str:
    if not isinstance(name, str) or not name.isidentifier():
        raise ValueError(f"{what} must be an identifier-like string (used in variable names), got {name!r}")
    return name


def _layers(state: TrainingState, space: str) -> list[np.ndarray]:
    if space == "activity":
        return state.activations
    if space == "net_input":
        return state.pre_activations
    raise ValueError(f"space must be 'activity' or 'net_input', got {space!r}")


def layer_measure(
    states: RunStates,
    function: Callable[[np.ndarray, np.ndarray], float | np.ndarray],
    name: str,
    *,
    space: str = "activity",
) -> dict[str, xr.DataArray]:
    """Apply ``function(activity, labels)`` to every layer of every seed at every logged epoch.

    This is how a user's own estimator is applied to a stored run: `function` receives one layer's activity of
    one network, shape (N, width) in float64, and the integer labels of the measurement inputs, shape (N,), and
    returns a number (or a fixed-shape array).

    Parameters
    ----------
    states : RunStates
        The run (see :class:`RunStates`).
    function : callable
        ``function(activity, labels) -> float`` (or array of a fixed shape).
    name : str
        Name of the returned variable.
    space : {"activity", "net_input"}
        Measure the activities (default) or the net inputs of each layer.

    Returns
    -------
    dict
        ``{name: DataArray (seed, epoch, layer[, value dims])}``.
    """
    _check_name(name)
    if not callable(function):
        raise TypeError(f"function must be callable as function(activity, labels), got {type(function).__name__}")
    per_epoch = []
    for state in states:
        layers = _layers(state, space)
        rows = [
            [np.asarray(function(h[s], state.data.y_mi), dtype=float) for h in layers] for s in range(states.n_seeds)
        ]
        per_epoch.append(np.array(rows))
    extra = tuple(f"{name}_dim{i}" for i in range(per_epoch[0].ndim - 2))
    return {name: _stack(per_epoch, states, ("layer", *extra))}


def _binned_pair(state: TrainingState, discretizers, space: str, dtype) -> tuple[np.ndarray, np.ndarray]:
    layers = _layers(state, space)
    S, L = layers[0].shape[0], len(layers)
    i_xt, i_ty = np.empty((S, L)), np.empty((S, L))
    for l, h in enumerate(layers):
        if dtype is not None:
            h = h.astype(dtype)
        for s in range(S):
            i_xt[s, l], i_ty[s, l] = binning.mutual_information(h[s], state.data.y_mi, discretizers(s, l))
    return i_xt, i_ty


def binned_information(
    states: RunStates,
    discretizer: Discretizer | np.ndarray,
    name: str = "bin",
    *,
    space: str = "activity",
    dtype: type | np.dtype | None = None,
) -> dict[str, xr.DataArray]:
    """Binned I(X;T) and I(T;Y) of every layer with one discretiser ([P] §2, App C), in bits.

    Parameters
    ----------
    states : RunStates
        The run.
    discretizer : Discretizer or array_like of edges
        E.g. ``binning.equal_bins(30, -1, 1)`` (the paper, saturating units), ``discretizers.fixed_width(0.5)``,
        ``discretizers.net_input_edges(30)`` (App C, Fig 14), ``discretizers.machine_precision()`` (Fig 15).
    name : str
        Variables are ``I_XT_<name>`` and ``I_TY_<name>``.
    space : {"activity", "net_input"}
        Bin the activities (default) or the net inputs.
    dtype : numpy dtype, optional
        Cast the activity first (``numpy.float32`` for machine-precision binning of single-precision networks).

    Returns
    -------
    dict
        ``I_XT_<name>``, ``I_TY_<name>`` (seed, epoch, layer), bits.
    """
    _check_name(name)
    disc = as_discretizer(discretizer)
    dtype = None if dtype is None else np.dtype(dtype)
    xt, ty = [], []
    for state in states:
        a, b = _binned_pair(state, lambda s, l: disc, space, dtype)
        xt.append(a)
        ty.append(b)
    return {f"I_XT_{name}": _stack(xt, states, ("layer",)), f"I_TY_{name}": _stack(ty, states, ("layer",))}


def min_max_binned_information(
    states: RunStates,
    n_bins: int = 100,
    *,
    per_layer: bool = False,
    name: str = "bin",
    range_states: RunStates | None = None,
) -> dict[str, xr.DataArray]:
    """The paper's ReLU binning: equal bins between each run's minimum and maximum activity ([P] §2, Fig 1B).

    The range is taken over every logged epoch of the run and, by default, over every layer ("over all units
    and all training epochs"); ``per_layer=True`` takes one range per layer. Each seed has its own range.

    Parameters
    ----------
    states : RunStates
        The epochs to bin.
    n_bins : int
        Number of bins (paper: 100).
    per_layer : bool
        One range per layer instead of one per run.
    name : str
        Variables ``I_XT_<name>``, ``I_TY_<name>`` (bits) and ``bin_low_<name>``, ``bin_high_<name>`` (the range).
    range_states : RunStates, optional
        The epochs the range is taken over (default `states`): pass the whole run when `states` is a subset, so
        that an epoch's value does not depend on which other epochs are binned.

    Returns
    -------
    dict
        (seed, epoch, layer) information in bits; (seed, layer) ranges.
    """
    _check_name(name)
    if isinstance(n_bins, bool) or not isinstance(n_bins, (int, np.integer)) or n_bins < 1:
        raise ValueError(f"n_bins must be a positive integer, got {n_bins!r}")
    low = high = None
    for state in range_states or states:
        lo = np.stack([a.min(axis=(1, 2)) for a in state.activations], axis=1)
        hi = np.stack([a.max(axis=(1, 2)) for a in state.activations], axis=1)
        low, high = (lo, hi) if low is None else (np.minimum(low, lo), np.maximum(high, hi))
    S, L = low.shape
    ranges = [binning.min_max_range(low[s], high[s], per_layer=per_layer) for s in range(S)]
    lows = np.stack([np.broadcast_to(r[0], (L,)) for r in ranges])
    highs = np.stack([np.broadcast_to(r[1], (L,)) for r in ranges])
    discs = [[binning.min_max_bins(lows[s, l], highs[s, l], int(n_bins)) for l in range(L)] for s in range(S)]
    xt, ty = [], []
    for state in states:
        a, b = _binned_pair(state, lambda s, l: discs[s][l], "activity", None)
        xt.append(a)
        ty.append(b)
    return {
        f"I_XT_{name}": _stack(xt, states, ("layer",)),
        f"I_TY_{name}": _stack(ty, states, ("layer",)),
        f"bin_low_{name}": xr.DataArray(lows, dims=("seed", "layer"), coords={"seed": list(states.seeds)}),
        f"bin_high_{name}": xr.DataArray(highs, dims=("seed", "layer"), coords={"seed": list(states.seeds)}),
    }


def paper_binning(
    states: RunStates, name: str = "bin", range_states: RunStates | None = None
) -> dict[str, xr.DataArray]:
    """The paper's binning for the run's activation ([P] §2): 30 bins on [−1, 1] if saturating, else min–max.

    Saturating units (tanh, softsign): 30 equal bins on [−1, 1]. Others (ReLU, softplus, linear): 100 equal bins
    between the run's minimum and maximum activity over all layers and the epochs of `range_states` (default
    `states`; see :func:`min_max_binned_information`).
    """
    if states.activation.saturating:
        return binned_information(states, binning.equal_bins(30, -1.0, 1.0), name)
    return min_max_binned_information(states, 100, name=name, range_states=range_states)


def kde_information(
    states: RunStates, noise_variances: Sequence[float] = PAPER_KDE_VARIANCES, name: str = "kde"
) -> dict[str, xr.DataArray]:
    """KDE (pairwise-distance) bounds on I(X;T) and estimates of I(T;Y) ([P] App B.1 Eqs 7–12; [KT17]), bits.

    Parameters
    ----------
    states : RunStates
        The run (measure a subset of epochs with ``states.subset(epochs)``).
    noise_variances : float or sequence of float
        Variances σ² of the additive Gaussian noise (the paper: 0.1; ibsgd also 1e-3); one number is one variance.
    name : str
        Variables ``I_XT_upper_<name>``, ``I_XT_lower_<name>``, ``I_TY_upper_<name>``, ``I_TY_lower_<name>``,
        dims (seed, epoch, layer, noise_variance). The I(T;Y) "bounds" are estimates, not rigorous bounds.
    """
    from simulate.mi.kde import mutual_information_bounds

    _check_name(name)
    try:
        variances = tuple(float(v) for v in np.atleast_1d(np.asarray(noise_variances, dtype=float)))
    except (TypeError, ValueError):
        raise ValueError(f"noise_variances must be positive finite numbers, got {noise_variances!r}") from None
    if not variances or not all(np.isfinite(v) and v > 0 for v in variances):
        raise ValueError(f"noise_variances must be positive finite numbers, got {noise_variances!r}")
    fields = ("i_xt_upper", "i_xt_lower", "i_ty_upper", "i_ty_lower")
    out: dict[str, list[np.ndarray]] = {f: [] for f in fields}
    for state in states:
        layers = state.activations
        S, L, V = layers[0].shape[0], len(layers), len(variances)
        values = {f: np.empty((S, L, V)) for f in fields}
        for s in range(S):
            for l in range(L):
                bounds = mutual_information_bounds(layers[l][s], state.data.y_mi, list(variances))
                for f in fields:
                    values[f][s, l] = np.reshape(getattr(bounds, f), (V,))
        for f in fields:
            out[f].append(values[f])
    coords = {"noise_variance": list(variances)}
    names = {"i_xt_upper": "I_XT_upper", "i_xt_lower": "I_XT_lower", "i_ty_upper": "I_TY_upper"}
    names["i_ty_lower"] = "I_TY_lower"
    return {f"{names[f]}_{name}": _stack(out[f], states, ("layer", "noise_variance"), **coords) for f in fields}


def kraskov_entropy(states: RunStates, k: int | Sequence[int] = 2, epsilon: float = 1e-16) -> dict[str, xr.DataArray]:
    """Kozachenko–Leonenko (Kraskov) entropy H(T) of every layer's activity, in bits ([P] App B.3, Eq 16).

    Parameters
    ----------
    states : RunStates
        The run (a k-d tree query on 4096 patterns costs ≈ 0.01–0.05 s per layer, seed and epoch).
    k : int or sequence of int
        Nearest-neighbour order (paper: 2), or several orders: then every order comes from one query per layer,
        seed and epoch (:func:`simulate.mi.kraskov.entropies`) and ``H_kraskov`` has a last dimension
        ``kraskov_k``.
    epsilon : float
        Added to the neighbour distances (paper: 1e-16).

    Returns
    -------
    dict
        ``H_kraskov`` (seed, epoch, layer) for one order, (seed, epoch, layer, kraskov_k) for several.
    """
    from simulate.mi import kraskov

    several = not isinstance(k, (int, np.integer))
    if several:
        if isinstance(k, (str, bytes)) or not hasattr(k, "__iter__"):
            raise TypeError(f"k must be an integer or a sequence of integers, got {k!r}")
        orders = tuple(k)
        if not orders or any(isinstance(o, bool) or not isinstance(o, (int, np.integer)) or o < 1 for o in orders):
            raise ValueError(f"k must be positive integers, got {k!r}")
    elif isinstance(k, bool) or k < 1:
        raise ValueError(f"k must be a positive integer, got {k!r}")
    else:
        orders = (int(k),)
    per_epoch = []
    for state in states:
        layers = state.activations
        per_epoch.append(
            np.array(
                [[kraskov.entropies(h[s], orders, epsilon=epsilon) for h in layers] for s in range(states.n_seeds)]
            )
        )
    if several:
        return {"H_kraskov": _stack(per_epoch, states, ("layer", "kraskov_k"), kraskov_k=[int(o) for o in orders])}
    return {"H_kraskov": _stack([values[..., 0] for values in per_epoch], states, ("layer",))}


def activity_histograms(
    states: RunStates, n_bins: int = PAPER_SATURATION_BINS, *, range_states: RunStates | None = None
) -> dict[str, xr.DataArray]:
    """Histograms of every layer's activity and the saturation fractions ([P] App E, Figs 16–17).

    Saturating activations (tanh, softsign) use the paper's equal bins on [−1, 1]; unbounded ones (ReLU,
    softplus) span [0, the seed's largest hidden activity over all logged epochs]; the softmax output is binned on
    [0, 1].

    Returns
    -------
    dict
        ``activity_histogram`` (seed, epoch, layer, bin): fraction of the N·width values per bin;
        ``zero_fraction`` (seed, epoch, layer): fraction exactly 0; ``extreme_fraction`` (seed, epoch, layer,
        saturating and linear units only): fraction with ``|h| ≥ 1 − 2/n_bins``; ``hidden_edges`` (seed,
        bin_edge): the hidden layers' edges (for unbounded units up to each seed's largest activity).
    """
    histogram_edges("tanh", n_bins)  # validates n_bins
    f = states.activation
    S = states.n_seeds
    if f.saturating:
        hidden = np.broadcast_to(histogram_edges("tanh", n_bins), (S, n_bins + 1))
    else:  # each seed's own range, so that a seed's histograms do not depend on the seeds measured with it
        upper = np.zeros(S)
        for state in range_states or states:
            for h in state.activations[:-1]:
                upper = np.maximum(upper, h.max(axis=(1, 2)))
        hidden = np.stack([histogram_edges("relu", n_bins, upper=u if u > 0 else 1.0) for u in upper])
    output = np.linspace(0.0, 1.0, n_bins + 1)
    hist, zero, extreme = [], [], []
    for state in states:
        layers = state.activations
        last = len(layers) - 1
        per_layer = []
        for l, h in enumerate(layers):
            if l == last:
                per_layer.append(activity_histogram(h, output))
            else:
                per_layer.append(np.concatenate([activity_histogram(h[s : s + 1], hidden[s]) for s in range(S)]))
        hist.append(np.stack(per_layer, axis=1))
        zero.append(np.stack([zero_fraction(h) for h in layers], axis=1))
        if f.saturating or f.name == "linear":
            extreme.append(np.stack([extreme_bin_fraction(np.clip(h, -1.0, 1.0), n_bins) for h in layers], axis=1))
    out = {
        "activity_histogram": _stack(hist, states, ("layer", "bin")),
        "zero_fraction": _stack(zero, states, ("layer",)),
        "hidden_edges": xr.DataArray(np.array(hidden), dims=("seed", "bin_edge"), coords={"seed": list(states.seeds)}),
    }
    if extreme:
        out["extreme_fraction"] = _stack(extreme, states, ("layer",))
    return out


def _minibatch_groups(rngs: Sequence[np.random.Generator], n: int, batch_size: int, max_groups: int | None):
    n_groups = n // batch_size
    if max_groups is not None:
        n_groups = min(n_groups, max_groups)
    if n_groups < 2:
        raise ValueError(f"batch_size {batch_size} leaves fewer than 2 minibatches of the {n} training examples")
    orders = np.stack([r.permutation(n)[: n_groups * batch_size] for r in rngs])
    return orders.reshape(len(rngs), n_groups, batch_size)


def _minibatch_norms(state: TrainingState, groups: np.ndarray, chunk: int) -> tuple[np.ndarray, np.ndarray]:
    d = state.data
    seed_index = np.arange(groups.shape[0])[:, None]
    moments = [RunningGradientMoments() for _ in state.params.W]
    for start in range(0, groups.shape[1], chunk):  # one chunk of minibatch gradients in memory at a time
        per_group = []
        for g in range(start, min(start + chunk, groups.shape[1])):
            index = groups[:, g]
            X = d.X_train[seed_index, index] if d.X_train.ndim == 3 else d.X_train[index]
            Y = d.Y_train[seed_index, index] if d.Y_train.ndim == 3 else d.Y_train[index]
            per_group.append(backward(state.params, forward(state.params, X, state.activation), X, Y, state.activation))
        for l, m in enumerate(moments):
            m.add(np.stack([grads.dW[l] for grads in per_group], axis=1))
    norms = [m.norms() for m in moments]
    return np.stack([n[0] for n in norms], axis=1), np.stack([n[1] for n in norms], axis=1)


def gradient_signal_to_noise(
    states: RunStates,
    rngs: Sequence[np.random.Generator],
    *,
    mode: str = "minibatch",
    batch_size: int = 256,
    max_groups: int | None = None,
    prefix: str | None = None,
    chunk: int = 8,
) -> dict[str, xr.DataArray]:
    """Per-layer gradient SNR of the kernels at each logged network ([P] App I, Eqs 26–27).

    ``mode="minibatch"`` (ibsgd, Figs 9–10): mean-loss gradients over minibatches of `batch_size` drawn from an
    order shuffled separately from training (each seed draws it from its own generator, one permutation per
    logged epoch, in epoch order), incomplete last minibatch dropped. ``mode="sample"`` (Eqs 26–27, Fig 20):
    per-example gradients over every training example (or the first `max_groups` of a shuffled order), never
    materialised (:func:`simulate.gradient_snr.per_example_gradient_norms`).

    Parameters
    ----------
    states : RunStates
        The run.
    rngs : sequence of numpy.random.Generator
        One per seed (the same seed gives the same minibatches whatever other seeds are measured with it).
    mode : {"minibatch", "sample"}
    batch_size : int
        Minibatch size (minibatch mode).
    max_groups : int, optional
        Cap on the number of minibatches / examples per logged epoch (None: all).
    prefix : str, optional
        Variable prefix; default ``"grad_batch"`` for minibatches and ``"grad"`` per sample.
    chunk : int
        Minibatch gradients held in memory at once.

    Returns
    -------
    dict
        ``<prefix>_mean_norm`` m_l, ``<prefix>_std_norm`` s_l, ``<prefix>_snr`` = m_l/s_l (seed, epoch, layer);
        ``<prefix>_snr`` carries the attribute ``n_gradients``, the number of gradients (examples or minibatches)
        per seed and epoch that the statistics were taken over (the null model of :mod:`paper_checks.snr` needs it).
    """
    if mode not in ("minibatch", "sample"):
        raise ValueError(f"mode must be 'minibatch' or 'sample', got {mode!r}")
    prefix = _check_name(prefix or ("grad_batch" if mode == "minibatch" else "grad"), "prefix")
    if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)) or batch_size < 1:
        raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}")
    if max_groups is not None and (not isinstance(max_groups, (int, np.integer)) or max_groups < 2):
        raise ValueError(f"max_groups must be None or an integer ≥ 2, got {max_groups!r}")
    if isinstance(chunk, bool) or not isinstance(chunk, (int, np.integer)) or chunk < 1:
        raise ValueError(f"chunk must be a positive integer, got {chunk!r}")
    rngs = list(rngs)
    if len(rngs) != states.n_seeds or not all(isinstance(r, np.random.Generator) for r in rngs):
        raise ValueError(f"rngs must hold one numpy.random.Generator per seed ({states.n_seeds}), got {len(rngs)}")
    size = int(batch_size) if mode == "minibatch" else 1
    means, stds = [], []
    n_gradients = 0
    for state in states:
        groups = _minibatch_groups(rngs, state.data.n_train, size, max_groups)
        n_gradients = int(groups.shape[1])
        if mode == "sample":
            d = state.data
            m, s = per_example_gradient_norms(
                state.params, state.train_forward, d.X_train, d.Y_train, state.activation, groups[:, :, 0]
            )
        else:
            m, s = _minibatch_norms(state, groups, int(chunk))
        means.append(m)
        stds.append(s)
    m, s = np.stack(means, axis=1), np.stack(stds, axis=1)
    snr = np.divide(m, s, out=np.where(m > 0, np.inf, 0.0), where=s > 0)
    coords = {"seed": list(states.seeds), "epoch": list(states.epochs), "layer": np.arange(1, m.shape[2] + 1)}
    dims = ("seed", "epoch", "layer")
    return {
        f"{prefix}_mean_norm": xr.DataArray(m, dims=dims, coords=coords),
        f"{prefix}_std_norm": xr.DataArray(s, dims=dims, coords=coords),
        f"{prefix}_snr": xr.DataArray(snr, dims=dims, coords=coords, attrs={"n_gradients": n_gradients}),
    }
