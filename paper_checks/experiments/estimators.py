r"""Estimator experiments: KDE bounds on Gaussian mixtures (C40), their noise limits (C41); ibsgd's epoch 0 (C46).

* ``"kde_mixture_bracketing"``: random equal-weight Gaussian mixtures in 1 and 2 dimensions; their entropy by
  numerical integration (:func:`theory.kde.mixture_entropy`) beside the pairwise bounds
  (:func:`simulate.mi.kde.mixture_entropy_bounds`), in bits, plus a "clustered" mixture (components identical or
  far apart) where the bounds must coincide ([KT17]; docs/claims.md#c40).
* ``"kde_noise_limits"``: the KDE I(X;T) bounds of the SZT network's layers at initialisation over a sweep of
  noise variances σ² ∈ [1e-12, 1e6] (docs/claims.md#c41: → log₂ P bits as the noise vanishes, → 0 as it grows). It stays
  an experiment because it also records each layer's smallest pairwise squared distance, which no measurement gives.
* ibsgd's epoch-0 table (docs/formulas.md#s5-2) is not an experiment: it is a measurement of an SZT run
  (:func:`ibsgd_epoch0_need`): a one-epoch tanh :class:`~paper_checks.experiments.szt.SZTRun` logged at epochs 0
  (initialisation) and 1 (after the first epoch's 13 Adam steps, when ibsgd logs "epoch 0"), measured with KDE
  (σ² = 1e-3, docs/choices.md#a7) and binning (Δ = 0.07) on all 4096 patterns.

References
----------
.. [P] Saxe et al., "On the Information Bottleneck Theory of Deep Learning", ICLR 2018, App B.1.
.. [KT17] Kolchinsky & Tracey, Entropy 19 (2017) 361.
.. [code] artemyk/ibsgd ``IBnet_ComputeMI`` output, commit ``63f89c7`` (docs/formulas.md#s5-2).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import xarray as xr
from scipy.spatial import cKDTree

from paper_checks.experiments.szt import SZT_WIDTHS, SZTRun
from paper_checks.measurements import KDE, Binning
from paper_checks.profiles import Profile
from paper_checks.registry import Need, experiment
from simulate.data.szt import load_szt
from simulate.mi import kde
from simulate.network import forward, init_params
from theory.kde import mixture_entropy

__all__ = [
    "IBSGD_BIN_WIDTH",
    "IBSGD_KDE_NOISE_VARIANCE",
    "MixtureConfig",
    "NoiseLimitConfig",
    "ibsgd_epoch0_need",
    "ibsgd_epoch0_run",
    "run_mixture_bracketing",
    "run_noise_limits",
]

IBSGD_KDE_NOISE_VARIANCE = 1e-3
"""KDE noise variance of ibsgd ``IBnet_ComputeMI`` (docs/choices.md#a7; the paper's figures use 0.1)."""
IBSGD_BIN_WIDTH = 0.07
"""Bin width of ibsgd ``bin_calc_information2``: floor(h / 0.07)."""


def _seeds(values: object) -> tuple[int, ...]:
    if not isinstance(values, tuple) or not values:
        raise TypeError(f"seeds must be a non-empty tuple of non-negative integers, got {values!r}")
    if any(isinstance(v, bool) or not isinstance(v, int) or v < 0 for v in values) or len(set(values)) != len(values):
        raise ValueError(f"seeds must be distinct non-negative integers, got {values!r}")
    return values


def _finite_tuple(name: str, values: object, positive: bool) -> tuple[float, ...]:
    if not isinstance(values, tuple) or not values:
        raise TypeError(f"{name} must be a non-empty tuple of numbers, got {values!r}")
    if any(
        isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) or (positive and v <= 0)
        for v in values
    ):
        raise ValueError(f"{name} must hold {'positive ' if positive else ''}finite numbers, got {values!r}")
    return tuple(float(v) for v in values)


def _described(dims: tuple[str, ...], values: np.ndarray, units: str, long_name: str) -> tuple:
    return dims, values, {"units": units, "long_name": long_name}


@dataclass(frozen=True)
class MixtureConfig:
    """Random Gaussian mixtures for C40.

    Attributes
    ----------
    n_components : int
        Components per mixture (centres uniform in [0, 2]^d).
    dims : tuple of int
        Dimensions (1 and 2: where the entropy integral is reliable).
    variances : tuple of float
        Component variances σ², from strongly overlapping to well separated relative to the centre spacing.
    n_clusters : int
        Clustered mixture: this many well-separated positions (100 σ apart), each holding
        ``n_components // n_clusters`` identical components; there the bounds coincide ([KT17] §4).
    seeds : tuple of int
        One random mixture per seed and dimension (``default_rng(seed)``).
    """

    n_components: int = 6
    dims: tuple[int, ...] = (1, 2)
    variances: tuple[float, ...] = (0.003, 0.03, 0.3, 3.0)
    n_clusters: int = 3
    seeds: tuple[int, ...] = (0, 1, 2)

    def __post_init__(self) -> None:
        for name in ("n_components", "n_clusters"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"{name} must be a positive integer, got {value!r}")
        if not isinstance(self.dims, tuple) or not self.dims or any(d not in (1, 2) for d in self.dims):
            raise ValueError(f"dims must be a non-empty tuple of 1 and/or 2, got {self.dims!r}")
        object.__setattr__(self, "variances", _finite_tuple("variances", self.variances, positive=True))
        _seeds(self.seeds)

    @classmethod
    def for_profile(cls, profile: Profile) -> MixtureConfig:
        """Fast: 3 mixtures per dimension and variance; paper: 20."""
        return cls(seeds=tuple(range(profile.pick(fast=3, paper=20))))


@experiment("kde_mixture_bracketing", MixtureConfig)
def run_mixture_bracketing(config: MixtureConfig) -> xr.Dataset:
    """Entropy of random mixtures (theory, by quadrature) and its pairwise bounds (simulate), in bits (C40).

    Variables (bits): ``H_X`` (numerical integration), ``H_X_lower`` (Ĥ_BD), ``H_X_upper`` (Ĥ_KL),
    ``H_X_given_C``, ``H_XC`` (dims seed, dim, variance), and the same with prefix ``clustered_`` (dims dim,
    variance) for the clustered mixture.
    """
    shape = (len(config.seeds), len(config.dims), len(config.variances))
    names = ("exact", "lower", "upper", "conditional", "joint")
    random = {name: np.empty(shape) for name in names}
    clustered = {name: np.empty(shape[1:]) for name in names}
    per_cluster = max(1, config.n_components // config.n_clusters)
    for k, dim in enumerate(config.dims):
        for v, variance in enumerate(config.variances):
            conditional = 0.5 * dim * np.log2(2 * np.pi * np.e * variance)
            for s, seed in enumerate(config.seeds):
                centers = np.random.default_rng(seed).uniform(0.0, 2.0, size=(config.n_components, dim))
                lower, upper = kde.mixture_entropy_bounds(centers, variance)
                values = (
                    mixture_entropy(centers, variance),
                    lower,
                    upper,
                    conditional,
                    conditional + np.log2(config.n_components),
                )
                for name, value in zip(names, values):
                    random[name][s, k, v] = value
            positions = 100.0 * np.sqrt(variance) * np.arange(config.n_clusters)
            centers = np.repeat(positions, per_cluster)[:, None] * np.ones((1, dim))
            lower, upper = kde.mixture_entropy_bounds(centers, variance)
            # Components 100 σ apart overlap by < e^{-1250}: H(X) = H(X|C) + log₂(number of distinct positions).
            values = (
                conditional + np.log2(config.n_clusters),
                lower,
                upper,
                conditional,
                conditional + np.log2(len(centers)),
            )
            for name, value in zip(names, values):
                clustered[name][k, v] = value
    coords = {"seed": list(config.seeds), "dim": list(config.dims), "variance": list(config.variances)}
    stored = {
        "exact": ("H_X", "entropy H(X) of the Gaussian mixture (numerical integration)"),
        "lower": ("H_X_lower", "pairwise lower bound Ĥ_BD on H(X) (Bhattacharyya)"),
        "upper": ("H_X_upper", "pairwise upper bound Ĥ_KL on H(X) (Kullback–Leibler)"),
        "conditional": ("H_X_given_C", "entropy H(X|C) of one mixture component"),
        "joint": ("H_XC", "joint entropy H(X, C) = H(X|C) + log2(components)"),
    }
    data = {}
    for name, (var, long_name) in stored.items():
        data[var] = _described(("seed", "dim", "variance"), random[name], "bits", long_name)
        data[f"clustered_{var}"] = _described(("dim", "variance"), clustered[name], "bits", f"{long_name}, clustered")
    return xr.Dataset(data, coords=coords, attrs={"n_components": config.n_components, "n_clusters": config.n_clusters})


def _szt_layers(seed: int, activation: str = "tanh") -> tuple[list[np.ndarray], np.ndarray]:
    """Activities of the six SZT layers of one network at ibsgd's initialisation, and the labels.

    See docs/choices.md#a14.
    """
    data = load_szt()
    params = init_params(SZT_WIDTHS, [np.random.default_rng(seed)], "ibsgd")
    return [a[0] for a in forward(params, data.X, activation).post], data.y


@dataclass(frozen=True)
class NoiseLimitConfig:
    """A sweep of the KDE noise variance on the SZT layers at initialisation (C41).

    Attributes
    ----------
    log10_variances : tuple of float
        log₁₀ σ², covering the whole range in which the estimator is stable (1e-12 … 1e6).
    seeds : tuple of int
        One network per seed.
    """

    log10_variances: tuple[float, ...] = (-12.0, -9.0, -6.0, -3.0, -1.0, 0.0, 3.0, 6.0)
    seeds: tuple[int, ...] = (0,)

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "log10_variances", _finite_tuple("log10_variances", self.log10_variances, positive=False)
        )
        _seeds(self.seeds)

    @classmethod
    def for_profile(cls, profile: Profile) -> NoiseLimitConfig:
        """Fast: one network; paper: five (the limits hold for every network, so seeds only add coverage)."""
        return cls(seeds=tuple(range(profile.pick(fast=1, paper=5))))


@experiment("kde_noise_limits", NoiseLimitConfig)
def run_noise_limits(config: NoiseLimitConfig) -> xr.Dataset:
    """KDE I(X;T) upper and lower bounds, bits, per seed, layer (1–6) and noise variance (C41).

    Variables ``I_XT_upper_kde``, ``I_XT_lower_kde`` (seed, layer, noise_variance). Also records each layer's
    smallest squared distance between two input patterns' activities, which says at which noise level the "all
    pairwise distances ≫ σ" limit is reached.
    """
    variances = 10.0 ** np.asarray(config.log10_variances)
    upper = np.empty((len(config.seeds), len(SZT_WIDTHS) - 1, variances.size))
    lower = np.empty_like(upper)
    nearest = np.empty(upper.shape[:2])
    for s, seed in enumerate(config.seeds):
        layers, labels = _szt_layers(seed)
        for l, activity in enumerate(layers):
            bounds = kde.mutual_information_bounds(activity, labels, variances)
            upper[s, l], lower[s, l] = bounds.i_xt_upper, bounds.i_xt_lower
            nearest[s, l] = cKDTree(activity).query(activity, k=2)[0][:, 1].min() ** 2
    coords = {
        "seed": list(config.seeds),
        "layer": list(range(1, len(SZT_WIDTHS))),
        "noise_variance": variances,
    }
    return xr.Dataset(
        {
            "I_XT_upper_kde": (("seed", "layer", "noise_variance"), upper),
            "I_XT_lower_kde": (("seed", "layer", "noise_variance"), lower),
            "min_squared_distance": _described(
                ("seed", "layer"), nearest, "1", "smallest squared distance between two input patterns' activities"
            ),
        },
        coords=coords,
        attrs={"n_inputs": 4096},
    )


def ibsgd_epoch0_run(profile: Profile, activation: str = "tanh") -> SZTRun:
    """The SZT run of ibsgd's epoch-0 table: one epoch, logged at 0 (initialisation) and 1 (ibsgd's "epoch 0").

    The Fig 1A/B setting (Adam 4e-4, batch 256, 80 % of the patterns, ibsgd initialisation, docs/choices.md#a1, #a5,
    #a14) stopped after the first epoch, whose 13 Adam steps ibsgd has taken when it logs "epoch 0" (``on_epoch_end``).
    Fast: 6 networks; paper: 50 (the paper's repeat count, docs/choices.md#a16), in float32 as TensorFlow trained them.
    """
    return SZTRun(
        activation=activation,
        seeds=tuple(range(profile.pick(fast=6, paper=50))),
        epochs=1,
        logged_epochs=(0, 1),
        dtype=profile.pick(fast="float64", paper="float32"),
    )


def ibsgd_epoch0_need(profile: Profile, activation: str = "tanh") -> Need:
    """Every estimator of ibsgd's epoch-0 table on :func:`ibsgd_epoch0_run`, at both logged epochs.

    KDE with σ² = :data:`IBSGD_KDE_NOISE_VARIANCE` (``I_XT_upper_kde``, ``I_XT_lower_kde``, ``I_TY_upper_kde``,
    ``I_TY_lower_kde``) and unbounded bins of width :data:`IBSGD_BIN_WIDTH` (``I_XT_bin``, ``I_TY_bin``), bits,
    dims (seed, epoch, layer[, noise_variance]), layers 1–6, all 4096 patterns.
    """
    return Need(
        ibsgd_epoch0_run(profile, activation),
        (KDE((IBSGD_KDE_NOISE_VARIANCE,), name="kde"), Binning("fixed_width", width=IBSGD_BIN_WIDTH, name="bin")),
    )
