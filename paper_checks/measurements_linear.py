"""Measurements of stored linear-student runs: exact Gaussian information and gradient SNR at the logged weights.

Both are functions of a ``"linear_student"`` run (:func:`paper_checks.experiments.deep_linear.train_student`):
they rebuild each seed's layers from ``parameters`` and the teacher from ``W_o``, ``relevant``, ``sigma_o2`` and
the stored training data, and evaluate the functions of :mod:`simulate.deep_linear` that the trainer would use
at training time, so a stored run measured later gives the very numbers recorded during training.

``linear_information`` (:class:`ExactInformation`: σ²_MI, subspaces): ``I_XT_<name>``, ``I_TY_<name>`` and, with
``subspaces``, ``I_X_rel_<name>``, ``I_X_irrel_<name>`` (seed, epoch, layer), bits.

``aligned_information`` (:class:`AlignedInformation`: σ²_MI) applies the same log-det formulas to the
``"aligned_modes"`` runs (:func:`paper_checks.experiments.linear_theory.train_modes`): whitened inputs, Σ_x = I
exactly, and the noiseless teacher Y = W_o X stored in the run; ``I_XT_<name>``, ``I_TY_<name>`` (seed, epoch,
layer), bits.

``linear_gradient_snr`` (:class:`LinearGradientSNR`: per sample / per minibatch): ``<prefix>_mean_norm``,
``<prefix>_std_norm``, ``<prefix>_snr`` (seed, epoch, layer), the names of the network runs' ``gradient_snr``.

References
----------
.. [P] Saxe et al., "On the Information Bottleneck Theory of Deep Learning", ICLR 2018, Eq 6, §5, App G, App I.
.. [SMG14] Saxe, McClelland & Ganguli, ICLR 2014.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import xarray as xr

from paper_checks.experiments.deep_linear import run_teacher, run_weights
from paper_checks.measurements import epochs_field
from paper_checks.registry import measurement
from simulate.deep_linear import layer_gradient_statistics, layer_information, layer_subspace_information
from simulate.linear_student import forward_maps
from simulate.mi.gaussian import label_mutual_information, mutual_information

__all__ = [
    "LINEAR_RUNS",
    "AlignedInformation",
    "ExactInformation",
    "LinearGradientSNR",
    "measure_aligned_information",
    "measure_exact_information",
    "measure_linear_snr",
]

LINEAR_RUNS = ("linear_student",)
"""Trainers whose runs these measurements apply to."""


def _epoch_indices(run: xr.Dataset, epochs: tuple[int, ...] | None) -> np.ndarray:
    logged = run["epoch"].values
    if epochs is None:
        return np.arange(logged.size)
    missing = sorted(set(epochs) - {int(e) for e in logged})
    if missing:
        raise ValueError(f"epochs {missing} are not logged epochs of the run ({logged.tolist()})")
    return np.flatnonzero(np.isin(logged, epochs))


def _per_layer(run: xr.Dataset, index: np.ndarray, values: dict[str, np.ndarray], **attrs) -> xr.Dataset:
    ds = xr.Dataset(
        {name: (("seed", "epoch", "layer"), v) for name, v in values.items()},
        coords={
            "seed": run["seed"].values,
            "epoch": run["epoch"].values[index],
            "layer": np.arange(1, next(iter(values.values())).shape[-1] + 1),
        },
    )
    ds.attrs.update(attrs)
    return ds


@dataclass(frozen=True)
class ExactInformation:
    """Exact I(T_l;X), I(T_l;Y) of every layer for T_l = W̄_l X + 𝒩(0, σ²_MI I) ([P] Eq 6, App G Eqs 22–25).

    Attributes
    ----------
    noise_variance : float
        Analysis noise σ²_MI (the paper's 1.0; never used in training).
    subspaces : bool
        Also I(T_l;X_rel), I(T_l;X_irrel) ([P] §5; the run's teacher needs irrelevant inputs).
    name : str
        Variable suffix (``I_XT_<name>``; default ``exact``).
    epochs : tuple of int, optional
        Logged epochs to measure (None: all).
    """

    noise_variance: float = 1.0
    subspaces: bool = False
    name: str = "exact"
    epochs: tuple[int, ...] | None = None

    def __post_init__(self) -> None:
        if isinstance(self.noise_variance, bool) or not (
            isinstance(self.noise_variance, int | float) and math.isfinite(self.noise_variance)
        ):
            raise ValueError(f"noise_variance must be a finite number > 0, got {self.noise_variance!r}")
        if self.noise_variance <= 0:
            raise ValueError(f"noise_variance must be a finite number > 0, got {self.noise_variance!r}")
        object.__setattr__(self, "noise_variance", float(self.noise_variance))
        if not isinstance(self.subspaces, bool):
            raise ValueError(f"subspaces must be True or False, got {self.subspaces!r}")
        if not isinstance(self.name, str) or not self.name.isidentifier():
            raise ValueError(f"name must be an identifier-like string, got {self.name!r}")
        object.__setattr__(self, "epochs", epochs_field(self.epochs))


@measurement("linear_information", ExactInformation, runs=LINEAR_RUNS)
def measure_exact_information(run: xr.Dataset, config: ExactInformation) -> xr.Dataset:
    """``I_XT_<name>``, ``I_TY_<name>`` (and the subspace split) of every layer of `run`, in bits."""
    teacher = run_teacher(run)
    index = _epoch_indices(run, config.epochs)
    names = ["I_XT", "I_TY"] + (["I_X_rel", "I_X_irrel"] if config.subspaces else [])
    out = {n: [] for n in names}
    for k in index:
        weights = run_weights(run, int(k))
        values = list(layer_information(weights, teacher, config.noise_variance))
        if config.subspaces:
            values += list(layer_subspace_information(weights, teacher, config.noise_variance))
        for n, v in zip(names, values):
            out[n].append(v)
    stacked = {f"{n}_{config.name}": np.stack(v, axis=1) for n, v in out.items()}
    return _per_layer(run, index, stacked, noise_variance_MI=config.noise_variance, units_MI="bits")


def _noise_variance_field(value) -> float:
    if isinstance(value, bool) or not (isinstance(value, int | float) and math.isfinite(value)) or value <= 0:
        raise ValueError(f"noise_variance must be a finite number > 0, got {value!r}")
    return float(value)


@dataclass(frozen=True)
class AlignedInformation:
    """Exact I(T_l;X), I(T_l;Y) of every layer of an aligned-mode run ([P] Eq 6, App G Eqs 22–25; [SMG14]).

    T_l = W̄_l X + 𝒩(0, σ²_MI I) with W̄_l = W_l ⋯ W_1, X with covariance Σ_x = I (the task's inputs are exactly
    whitened, XᵀX/P = I) and the noiseless teacher Y = W_o X (σ_o² = 0). On the decoupled manifold these are the
    mode sums of :func:`theory.deep_linear.aligned_information_plane`, which nothing here assumes.

    Attributes
    ----------
    noise_variance : float
        Analysis noise σ²_MI (the paper's 1.0).
    name : str
        Variable suffix (``I_XT_<name>``; default ``exact``).
    epochs : tuple of int, optional
        Logged epochs to measure (None: all).
    """

    noise_variance: float = 1.0
    name: str = "exact"
    epochs: tuple[int, ...] | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "noise_variance", _noise_variance_field(self.noise_variance))
        if not isinstance(self.name, str) or not self.name.isidentifier():
            raise ValueError(f"name must be an identifier-like string, got {self.name!r}")
        object.__setattr__(self, "epochs", epochs_field(self.epochs))


@measurement("aligned_information", AlignedInformation, runs=("aligned_modes",))
def measure_aligned_information(run: xr.Dataset, config: AlignedInformation) -> xr.Dataset:
    """``I_XT_<name>``, ``I_TY_<name>`` (seed, epoch, layer) of every layer of an aligned-mode `run`, in bits."""
    if "W_o" not in run:
        raise ValueError("run must be an 'aligned_modes' run holding its teacher map W_o")
    W_o = run["W_o"].transpose("seed", "output", "input").values
    Sigma_x = np.eye(W_o.shape[-1])
    index = _epoch_indices(run, config.epochs)
    I_XT, I_TY = [], []
    for k in index:
        maps = forward_maps(run_weights(run, int(k)))
        I_XT.append(np.stack([mutual_information(W, Sigma_x, config.noise_variance) for W in maps], -1))
        I_TY.append(np.stack([label_mutual_information(W, W_o, Sigma_x, 0.0, config.noise_variance) for W in maps], -1))
    values = {f"I_XT_{config.name}": np.stack(I_XT, axis=1), f"I_TY_{config.name}": np.stack(I_TY, axis=1)}
    return _per_layer(run, index, values, noise_variance_MI=config.noise_variance, units_MI="bits")


@dataclass(frozen=True)
class LinearGradientSNR:
    """Gradient statistics m_l, s_l and SNR_l = m_l / s_l at the logged weights.

    See [P] App I, Eqs 26–27; docs/choices.md#a13.

    Attributes
    ----------
    mode : {"sample", "minibatch"}
        Over the P per-sample gradients (Eqs 26–27, Fig 21D) or over the batch-mean gradients of the P //
        `batch_size` minibatches of one shuffled pass (ibsgd; Fig 21C).
    batch_size : int
        Minibatch size (minibatch mode).
    stream : int
        Seed s draws the shuffle at logged epoch e from ``SeedSequence([s, stream, e])``, independent of the
        streams that trained the network and of which epochs are measured.
    prefix : str, optional
        Variable prefix (default ``grad`` per sample, ``grad_batch`` per minibatch).
    epochs : tuple of int, optional
        Logged epochs to measure (None: all).
    """

    mode: str = "sample"
    batch_size: int = 1
    stream: int = 1
    prefix: str | None = None
    epochs: tuple[int, ...] | None = None

    def __post_init__(self) -> None:
        if self.mode not in ("sample", "minibatch"):
            raise ValueError(f"mode must be 'sample' or 'minibatch', got {self.mode!r}")
        for name, low in (("batch_size", 1), ("stream", 0)):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < low:
                raise ValueError(f"{name} must be an integer >= {low}, got {value!r}")
        if self.prefix is not None and (not isinstance(self.prefix, str) or not self.prefix.isidentifier()):
            raise ValueError(f"prefix must be None or an identifier-like string, got {self.prefix!r}")
        object.__setattr__(self, "epochs", epochs_field(self.epochs))


@measurement("linear_gradient_snr", LinearGradientSNR, runs=LINEAR_RUNS)
def measure_linear_snr(run: xr.Dataset, config: LinearGradientSNR) -> xr.Dataset:
    """``<prefix>_mean_norm``, ``<prefix>_std_norm``, ``<prefix>_snr`` (seed, epoch, layer) of `run`.

    ``<prefix>_snr`` carries ``n_gradients``, the number of gradients (P samples or P // batch_size minibatches).
    """
    teacher = run_teacher(run)
    index = _epoch_indices(run, config.epochs)
    prefix = config.prefix or ("grad" if config.mode == "sample" else "grad_batch")
    seeds = [int(s) for s in run["seed"].values]
    parts = {"mean_norm": [], "std_norm": [], "snr": []}
    for k in index:
        weights = run_weights(run, int(k))
        if config.mode == "sample":
            stats = layer_gradient_statistics(weights, teacher.X, teacher.Y)
        else:
            epoch = int(run["epoch"].values[k])
            rngs = [np.random.default_rng(np.random.SeedSequence([s, config.stream, epoch])) for s in seeds]
            stats = layer_gradient_statistics(weights, teacher.X, teacher.Y, batch_size=config.batch_size, rngs=rngs)
        for key in parts:
            parts[key].append(np.stack([getattr(st, key) for st in stats], -1))
        n_gradients = int(stats[0].n)
    values = {f"{prefix}_{key}": np.stack(v, axis=1) for key, v in parts.items()}
    ds = _per_layer(run, index, values, snr_mode=config.mode)
    ds[f"{prefix}_snr"].attrs["n_gradients"] = n_gradients  # gradients per statistic (the SNR null model's n)
    return ds
