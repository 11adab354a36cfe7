"""Measurements of stored network runs: every estimator of the paper as a registered function of a run.

A measurement configuration is a frozen dataclass of plain fields (so ``ibtheory measure NAME key=value …`` can
build one); its registered function rebuilds the run's networks from their stored parameters
(:func:`run_states`) and applies the estimator of :mod:`simulate.measurements`. The store keys a measurement
by (run key, measurement configuration), so a new estimator setting never retrains.

====================  ==============================================  ==========================================
name                  configuration                                   variables
====================  ==============================================  ==========================================
``binning``           :class:`Binning` (rule, bins, range)            ``I_XT_<name>``, ``I_TY_<name>`` (bits)
``kde``               :class:`KDE` (noise variances σ²)               ``I_XT_upper_<name>`` … (bits)
``kraskov``           :class:`Kraskov` (k, or several k)              ``H_kraskov`` (bits)
``histograms``        :class:`Histograms` (bins)                      ``activity_histogram``, fractions
``gradient_snr``      :class:`GradientSNR` (per sample / minibatch)   ``<prefix>_mean_norm``, ``_std_norm``, ``_snr``
====================  ==============================================  ==========================================

Every configuration has ``epochs``: the logged epochs to measure (None = all), so that a costly estimator can be
taken at a subset (:func:`every_kth`).

References
----------
.. [P] Saxe et al., "On the Information Bottleneck Theory of Deep Learning", ICLR 2018, §2, App B, C, E, I.
"""

from __future__ import annotations

import contextlib
import importlib
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields

import numpy as np
import xarray as xr

from paper_checks.registry import measurement
from simulate import measurements as sm
from simulate.mi import discretizers
from simulate.train import TrainingData

__all__ = [
    "BINNING_RULES",
    "KDE",
    "NETWORK_RUNS",
    "Binning",
    "GradientSNR",
    "Histograms",
    "Kraskov",
    "epochs_field",
    "every_kth",
    "measure_with",
    "register_run_data",
    "run_states",
]

NETWORK_RUNS = ("szt", "mnist")
"""Trainers whose runs are networks of :mod:`simulate.network` (measurable by every estimator here)."""

BINNING_RULES = ("paper", "equal", "min_max", "fixed_width", "net_input", "machine", "idnns")
"""Discretisers of :class:`Binning` (see its docstring)."""

_RUN_DATA: dict[str, Callable[[xr.Dataset], TrainingData]] = {}


def register_run_data(task: str) -> Callable[[Callable[[xr.Dataset], TrainingData]], Callable]:
    """Register ``data(run) -> TrainingData``: how to rebuild the data of runs whose ``task`` attribute is `task`."""

    def decorate(function: Callable[[xr.Dataset], TrainingData]) -> Callable[[xr.Dataset], TrainingData]:
        _RUN_DATA[task] = function
        return function

    return decorate


def run_states(run: xr.Dataset, epochs: Sequence[int] | None = None) -> sm.RunStates:
    """The networks of a stored run at its logged epochs (or at `epochs`), with their data.

    Parameters
    ----------
    run : xarray.Dataset
        A run of a network trainer (variables ``parameters``; attributes ``task``, ``widths``, ``activation``).
    epochs : sequence of int, optional
        A subset of the logged epochs.

    Returns
    -------
    simulate.measurements.RunStates
    """
    if not isinstance(run, xr.Dataset) or "parameters" not in run:
        raise ValueError("run must be a stored network run (an xarray.Dataset with a 'parameters' variable)")
    task = run.attrs.get("task")
    if task not in _RUN_DATA and isinstance(task, str) and task.isidentifier():
        with contextlib.suppress(ModuleNotFoundError):  # the trainer's module registers its data
            importlib.import_module(f"paper_checks.experiments.{task}")
    if task not in _RUN_DATA:
        raise ValueError(f"run has task {task!r}; measurable tasks are {sorted(_RUN_DATA)}")
    widths = [int(w) for w in str(run.attrs["widths"]).split(",")]
    parameters = run["parameters"].transpose("seed", "epoch", "parameter").values
    data = _RUN_DATA[task](run)
    seeds = run["seed"].values
    states = sm.RunStates(parameters, widths, str(run.attrs["activation"]), data, run["epoch"].values, seeds)
    return states.subset(epochs)


def every_kth(logged: Sequence[int], k: int) -> tuple[int, ...]:
    """Every `k`-th of the logged epochs and the last (the subset at which a costly estimator is taken)."""
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise ValueError(f"k must be a positive integer, got {k!r}")
    logged = [int(e) for e in logged]
    return tuple(sorted({e for i, e in enumerate(logged) if i % k == 0} | {logged[-1]}))


def epochs_field(value) -> tuple[int, ...] | None:
    """The ``epochs`` field of a measurement configuration: None, or increasing non-negative logged epochs."""
    if value is None:
        return None
    epochs = tuple(int(e) for e in value)
    if not epochs or any(e < 0 for e in epochs) or list(epochs) != sorted(set(epochs)):
        raise ValueError(f"epochs must be None or increasing non-negative logged epochs, got {value!r}")
    return epochs


def _to_dataset(variables: dict[str, xr.DataArray], run: xr.Dataset, **attrs) -> xr.Dataset:
    ds = xr.Dataset(variables)
    ds = ds.assign_coords(seed=run["seed"].values, layer=np.arange(1, ds.sizes["layer"] + 1))
    ds.attrs.update({k: v for k, v in attrs.items() if v is not None})
    return ds


@dataclass(frozen=True)
class Binning:
    """Binned I(X;T) and I(T;Y) ([P] §2, App C).

    Attributes
    ----------
    rule : str
        ``"paper"``: 30 bins on [−1, 1] for saturating units, 100 min–max bins otherwise (the paper's Fig 1);
        ``"equal"``: `n_bins` on [`low`, `high`]; ``"min_max"``: `n_bins` between each run's min and max activity
        over all logged epochs (over all layers, or per layer with `per_layer`); ``"fixed_width"``: unbounded bins
        of `width`; ``"net_input"``: `n_bins` edges evenly spaced in net input, tanh(linspace(−50, 50)) (App C);
        ``"machine"``: every distinct float32 value its own bin (App C); ``"idnns"``: IDNNs' `n_bins` edges.
    n_bins : int, optional
        Bins (edges for ``net_input`` / ``idnns``); defaults 30 (equal, net_input, idnns), 100 (min_max).
    low, high : float
        Range of ``"equal"`` (default [−1, 1]).
    width : float, optional
        Bin width of ``"fixed_width"`` (default 0.5, the paper's MNIST bins).
    per_layer : bool
        ``"min_max"`` only: one range per layer instead of one per run.
    name : str
        Variable suffix (``I_XT_<name>``).
    epochs : tuple of int, optional
        Logged epochs to measure (None: all).
    """

    rule: str = "paper"
    n_bins: int | None = None
    low: float = -1.0
    high: float = 1.0
    width: float | None = None
    per_layer: bool = False
    name: str = "bin"
    epochs: tuple[int, ...] | None = None

    def __post_init__(self) -> None:
        if self.rule not in BINNING_RULES:
            raise ValueError(f"rule must be one of {BINNING_RULES}, got {self.rule!r}")
        if self.n_bins is not None and (
            isinstance(self.n_bins, bool) or not isinstance(self.n_bins, int) or self.n_bins < 2
        ):
            raise ValueError(f"n_bins must be an integer ≥ 2 (or None for the rule's default), got {self.n_bins!r}")
        if self.width is not None and not (math.isfinite(self.width) and self.width > 0):
            raise ValueError(f"width must be a positive finite number, got {self.width!r}")
        if not (math.isfinite(self.low) and math.isfinite(self.high) and self.low < self.high):
            raise ValueError(f"low < high must be finite, got low={self.low!r}, high={self.high!r}")
        if not isinstance(self.name, str) or not self.name.isidentifier():
            raise ValueError(f"name must be an identifier-like string, got {self.name!r}")
        object.__setattr__(self, "epochs", epochs_field(self.epochs))


@measurement("binning", Binning, runs=NETWORK_RUNS)
def measure_binning(run: xr.Dataset, config: Binning) -> xr.Dataset:
    """Binned information of every layer of `run` with the discretiser of `config`, in bits."""
    states, whole = run_states(run, config.epochs), run_states(run)
    rule, n = config.rule, config.n_bins
    if rule == "paper":  # a min–max range is over every logged epoch, whichever epochs are binned
        out = sm.paper_binning(states, config.name, range_states=whole)
    elif rule == "min_max":
        out = sm.min_max_binned_information(
            states, n or 100, per_layer=config.per_layer, name=config.name, range_states=whole
        )
    elif rule == "machine":
        out = sm.binned_information(states, discretizers.machine_precision(), config.name, dtype=np.float32)
    else:
        disc = {
            "equal": lambda: discretizers.equal_bins(n or 30, config.low, config.high),
            "fixed_width": lambda: discretizers.fixed_width(config.width or 0.5),
            "net_input": lambda: discretizers.net_input_edges(n or 30),
            "idnns": lambda: discretizers.idnns_edges(n or 30),
        }[rule]()
        out = sm.binned_information(states, disc, config.name)
    return _to_dataset(out, run, binning_rule=rule)


@dataclass(frozen=True)
class KDE:
    """Kolchinsky–Tracey KDE bounds on I(X;T), estimates of I(T;Y) ([P] App B.1, Eqs 7–12).

    Attributes
    ----------
    noise_variances : tuple of float
        σ² of the additive Gaussian noise (the paper: 0.1; the lower bound uses 4σ²).
    name : str
        Variable suffix (``I_XT_upper_<name>`` …).
    epochs : tuple of int, optional
        Logged epochs to measure (None: all).
    """

    noise_variances: tuple[float, ...] = (0.1,)
    name: str = "kde"
    epochs: tuple[int, ...] | None = None

    def __post_init__(self) -> None:
        variances = tuple(float(v) for v in np.atleast_1d(self.noise_variances))
        if not variances or not all(math.isfinite(v) and v > 0 for v in variances):
            raise ValueError(f"noise_variances must be positive finite numbers, got {self.noise_variances!r}")
        object.__setattr__(self, "noise_variances", variances)
        object.__setattr__(self, "epochs", epochs_field(self.epochs))


@measurement("kde", KDE, runs=NETWORK_RUNS)
def measure_kde(run: xr.Dataset, config: KDE) -> xr.Dataset:
    """KDE information of every layer of `run`, in bits, dims (seed, epoch, layer, noise_variance)."""
    out = sm.kde_information(run_states(run, config.epochs), config.noise_variances, config.name)
    return _to_dataset(out, run)


@dataclass(frozen=True)
class Kraskov:
    """Kozachenko–Leonenko (Kraskov) entropy H(T) of every layer ([P] App B.3, Eq 16).

    Attributes
    ----------
    k : int or tuple of int
        Nearest-neighbour order (paper: 2), or several orders measured from one neighbour query per layer, seed
        and epoch (the estimator sweep's 1, 2, 4, 8: about a third of the cost of one measurement per order).
    epochs : tuple of int, optional
        Logged epochs to measure (None: all).
    """

    k: int | tuple[int, ...] = 2
    epochs: tuple[int, ...] | None = None

    def __post_init__(self) -> None:
        if isinstance(self.k, (list, tuple)):
            if not self.k or any(isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1 for k in self.k):
                raise ValueError(f"k must be positive integers, got {self.k!r}")
            object.__setattr__(self, "k", tuple(int(k) for k in self.k))
        elif isinstance(self.k, bool) or not isinstance(self.k, int) or self.k < 1:
            raise ValueError(f"k must be a positive integer or a tuple of them, got {self.k!r}")
        object.__setattr__(self, "epochs", epochs_field(self.epochs))


@measurement("kraskov", Kraskov, runs=NETWORK_RUNS)
def measure_kraskov(run: xr.Dataset, config: Kraskov) -> xr.Dataset:
    """``H_kraskov`` (seed, epoch, layer) in bits; with several orders, (seed, epoch, layer, kraskov_k)."""
    out = sm.kraskov_entropy(run_states(run, config.epochs), config.k)
    return _to_dataset(out, run, kraskov_k=config.k if isinstance(config.k, int) else None)


@dataclass(frozen=True)
class Histograms:
    """Activity histograms and saturation fractions of every layer ([P] App E, Figs 16–17).

    Attributes
    ----------
    n_bins : int
        Bins (paper: 30).
    epochs : tuple of int, optional
        Logged epochs to measure (None: all).
    """

    n_bins: int = 30
    epochs: tuple[int, ...] | None = None

    def __post_init__(self) -> None:
        if isinstance(self.n_bins, bool) or not isinstance(self.n_bins, int) or self.n_bins < 2:
            raise ValueError(f"n_bins must be an integer ≥ 2, got {self.n_bins!r}")
        object.__setattr__(self, "epochs", epochs_field(self.epochs))


@measurement("histograms", Histograms, runs=NETWORK_RUNS)
def measure_histograms(run: xr.Dataset, config: Histograms) -> xr.Dataset:
    """``activity_histogram``, ``zero_fraction``, ``extreme_fraction`` (saturating units), ``hidden_edges``."""
    states = run_states(run, config.epochs)
    return _to_dataset(sm.activity_histograms(states, config.n_bins, range_states=run_states(run)), run)


@dataclass(frozen=True)
class GradientSNR:
    """Per-layer gradient signal-to-noise ratio of the kernels ([P] App I, Eqs 26–27).

    Attributes
    ----------
    mode : {"sample", "minibatch"}
        Over every training sample (Eqs 26–27, Fig 20) or over minibatches (ibsgd, Figs 9–10).
    batch_size : int
        Minibatch size (minibatch mode; the training batch size).
    max_groups : int, optional
        Cap on the minibatches (examples) per logged epoch (None: all).
    stream : int
        Which random stream draws the minibatches: seed s at logged epoch e uses ``SeedSequence([s, stream, e])``,
        independent of the streams that trained the network and of which other epochs are measured.
    prefix : str, optional
        Variable prefix (default ``grad`` per sample, ``grad_batch`` per minibatch).
    epochs : tuple of int, optional
        Logged epochs to measure (None: all).
    """

    mode: str = "sample"
    batch_size: int = 256
    max_groups: int | None = None
    stream: int = 1
    prefix: str | None = None
    epochs: tuple[int, ...] | None = None

    def __post_init__(self) -> None:
        if self.mode not in ("sample", "minibatch"):
            raise ValueError(f"mode must be 'sample' or 'minibatch', got {self.mode!r}")
        for name in ("batch_size", "stream"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < (1 if name == "batch_size" else 0):
                raise ValueError(
                    f"{name} must be a {'positive' if name == 'batch_size' else 'non-negative'} integer, got {value!r}"
                )
        object.__setattr__(self, "epochs", epochs_field(self.epochs))


@measurement("gradient_snr", GradientSNR, runs=NETWORK_RUNS)
def measure_gradient_snr(run: xr.Dataset, config: GradientSNR) -> xr.Dataset:
    """``<prefix>_mean_norm``, ``<prefix>_std_norm``, ``<prefix>_snr`` (seed, epoch, layer).

    ``<prefix>_snr`` carries ``n_gradients``, the examples or minibatches per seed and epoch (the n of the SNR null
    model, :mod:`paper_checks.snr`).
    """
    states = run_states(run, config.epochs)
    per_epoch = []
    for epoch in states.epochs:  # each epoch's minibatches from its own stream: independent of the epoch subset
        rngs = [np.random.default_rng([int(s), config.stream, epoch]) for s in run["seed"].values]
        per_epoch.append(
            sm.gradient_signal_to_noise(
                states.subset([epoch]),
                rngs,
                mode=config.mode,
                batch_size=config.batch_size,
                max_groups=config.max_groups,
                prefix=config.prefix,
            )
        )
    out = {name: xr.concat([p[name] for p in per_epoch], dim="epoch") for name in per_epoch[0]}
    return _to_dataset(out, run, snr_mode=config.mode)


def measure_with(
    run: xr.Dataset,
    function: Callable[[np.ndarray, np.ndarray], float | np.ndarray],
    name: str,
    *,
    space: str = "activity",
    epochs: Sequence[int] | None = None,
) -> xr.Dataset:
    """Apply your own estimator to a stored run: ``function(activity, labels)`` on every layer, seed and epoch.

    Parameters
    ----------
    run : xarray.Dataset
        A stored network run (:func:`paper_checks.workflow.measure.load_run`).
    function : callable
        ``function(activity, labels) -> float``: `activity` is one layer's (N, width) activity of one network in
        float64 on the measurement inputs, `labels` their integer classes (N,).
    name : str
        Name of the result variable.
    space : {"activity", "net_input"}
        Activities or net inputs.
    epochs : sequence of int, optional
        A subset of the logged epochs.

    Returns
    -------
    xarray.Dataset
        ``name`` with dims (seed, epoch, layer[, …]).
    """
    return _to_dataset(sm.layer_measure(run_states(run, epochs), function, name, space=space), run)


def parameter_fields(config_type: type) -> dict[str, str]:
    """Field names of a measurement configuration with their annotations (for the CLI's ``key=value``)."""
    return {f.name: str(f.type) for f in fields(config_type)}
