r"""Estimator experiments: KDE bounds on Gaussian mixtures (C40), their noise limits (C41), ibsgd's epoch 0 (C46).

* ``"kde_mixture_bracketing"``: random equal-weight Gaussian mixtures in 1 and 2 dimensions; their entropy by
  numerical integration (:func:`theory.kde.mixture_entropy`) beside the pairwise bounds
  (:func:`simulate.mi.kde.mixture_entropy_bounds`), in bits, plus a "clustered" mixture (components identical or
  far apart) where the bounds must coincide ([KT17]; spec C40).
* ``"kde_noise_limits"``: the KDE I(X;T) bounds of the SZT network's layers at initialisation over a sweep of
  noise variances σ² ∈ [1e-12, 1e6] (spec C41: → log₂ P bits as the noise vanishes, → 0 as it grows).
* ``"ibsgd_epoch0"``: every estimator on the SZT tanh network at ibsgd's initialisation (spec §5.2 table): KDE
  (σ² = 1e-3, A7) upper and lower I(X;T) and I(T;Y), binned Δ = 0.07 I(X;T) and I(T;Y), all 4096 patterns,
  one network per seed (forward pass of :mod:`simulate.network`).

References
----------
.. [P] Saxe et al., "On the Information Bottleneck Theory of Deep Learning", ICLR 2018, App B.1.
.. [KT17] Kolchinsky & Tracey, Entropy 19 (2017) 361.
.. [code] artemyk/ibsgd ``IBnet_ComputeMI`` output, commit ``63f89c7`` (spec §5.2).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import xarray as xr
from scipy.spatial import cKDTree

from paper_checks.profiles import Profile
from paper_checks.registry import experiment
from simulate.data.szt import load_szt
from simulate.mi import binning, kde
from simulate.network import forward, init_params
from theory.kde import mixture_entropy

__all__ = [
    "SZT_WIDTHS",
    "IbsgdConfig",
    "MixtureConfig",
    "NoiseLimitConfig",
    "run_ibsgd_epoch0",
    "run_mixture_bracketing",
    "run_noise_limits",
]

#: The SZT architecture 12-10-7-5-4-3-2 ([P] §2; spec A24).
SZT_WIDTHS = (12, 10, 7, 5, 4, 3, 2)


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

    @classmethod
    def for_profile(cls, profile: Profile) -> MixtureConfig:
        """Fast: 3 mixtures per dimension and variance; paper: 20."""
        return cls(seeds=tuple(range(profile.pick(fast=3, paper=20))))


@experiment("kde_mixture_bracketing")
def run_mixture_bracketing(config: MixtureConfig) -> xr.Dataset:
    """Entropy of random mixtures (theory, by quadrature) and its pairwise bounds (simulate), in bits (C40)."""
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
    data = {f"{name}": (("seed", "dim", "variance"), random[name]) for name in names}
    data |= {f"clustered_{name}": (("dim", "variance"), clustered[name]) for name in names}
    return xr.Dataset(
        data,
        coords=coords,
        attrs={"units": "bits", "n_components": config.n_components, "n_clusters": config.n_clusters},
    )


def _szt_layers(seed: int, activation: str = "tanh") -> tuple[list[np.ndarray], np.ndarray]:
    """Activities of the six SZT layers of one network at ibsgd's initialisation (spec A14), and the labels."""
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

    @classmethod
    def for_profile(cls, profile: Profile) -> NoiseLimitConfig:
        """Fast: one network; paper: five (the limits hold for every network, so seeds only add coverage)."""
        return cls(seeds=tuple(range(profile.pick(fast=1, paper=5))))


@experiment("kde_noise_limits")
def run_noise_limits(config: NoiseLimitConfig) -> xr.Dataset:
    """KDE I(X;T) upper and lower bounds, bits, per seed, layer and noise variance (C41).

    Also records each layer's smallest squared distance between two input patterns' activities, which says
    at which noise level the "all pairwise distances ≫ σ" limit is reached.
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
    coords = {"seed": list(config.seeds), "layer": list(range(len(SZT_WIDTHS) - 1)), "variance": variances}
    return xr.Dataset(
        {
            "i_xt_upper": (("seed", "layer", "variance"), upper),
            "i_xt_lower": (("seed", "layer", "variance"), lower),
            "min_squared_distance": (("seed", "layer"), nearest),
        },
        coords=coords,
        attrs={"units": "bits", "n_inputs": 4096},
    )


@dataclass(frozen=True)
class IbsgdConfig:
    """The estimators on the SZT network at initialisation, as in ibsgd's committed epoch-0 table (spec §5.2).

    Attributes
    ----------
    activation : str
        Hidden nonlinearity (the table is for tanh).
    kde_noise_variance : float
        ibsgd ``IBnet_ComputeMI``: 1e-3 (A7; the paper's figures use 0.1).
    bin_width : float
        ibsgd ``bin_calc_information2``: floor(h / 0.07).
    seeds : tuple of int
        One network per seed (ibsgd's table is a single, unseeded initialisation).
    """

    activation: str = "tanh"
    kde_noise_variance: float = 1e-3
    bin_width: float = 0.07
    seeds: tuple[int, ...] = (0, 1, 2, 3, 4, 5)

    @classmethod
    def for_profile(cls, profile: Profile) -> IbsgdConfig:
        """Fast: 6 networks (≈ 1 s each); paper: 50 (the paper's repeat count, A16)."""
        return cls(seeds=tuple(range(profile.pick(fast=6, paper=50))))


@experiment("ibsgd_epoch0")
def run_ibsgd_epoch0(config: IbsgdConfig) -> xr.Dataset:
    """KDE and binned I(X;T), I(T;Y) in bits per seed and layer of the SZT network at initialisation."""
    names = ("kde_i_xt_upper", "kde_i_xt_lower", "kde_i_ty_upper", "kde_i_ty_lower", "bin_i_xt", "bin_i_ty")
    values = {name: np.empty((len(config.seeds), len(SZT_WIDTHS) - 1)) for name in names}
    discretizer = binning.fixed_width(config.bin_width)
    for s, seed in enumerate(config.seeds):
        layers, labels = _szt_layers(seed, config.activation)
        for l, activity in enumerate(layers):
            b = kde.mutual_information_bounds(activity, labels, config.kde_noise_variance)
            i_xt, i_ty = binning.mutual_information(activity, labels, discretizer)
            for name, value in zip(names, (b.i_xt_upper, b.i_xt_lower, b.i_ty_upper, b.i_ty_lower, i_xt, i_ty)):
                values[name][s, l] = value
    coords = {"seed": list(config.seeds), "layer": list(range(len(SZT_WIDTHS) - 1))}
    return xr.Dataset(
        {name: (("seed", "layer"), v) for name, v in values.items()},
        coords=coords,
        attrs={
            "units": "bits",
            "activation": config.activation,
            "kde_noise_variance": config.kde_noise_variance,
            "bin_width": config.bin_width,
        },
    )
