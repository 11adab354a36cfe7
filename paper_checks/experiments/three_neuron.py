r"""Minimal three-neuron model experiments ([P] §2, Fig 2; App B.2; App C, Fig 13): both witnesses per weight.

* ``"three_neuron_curve"``: for one activation and one binning, the exact :math:`I(T;X) = H(T)`
  (:func:`theory.three_neuron.mutual_information`) and the Monte Carlo plug-in estimate with its standard error
  (:func:`simulate.three_neuron.monte_carlo_information`) at each weight and seed, in bits.
* ``"three_neuron_noise"``: the noise view :math:`I(f(wX) + \varepsilon; X)` by quadrature
  (:func:`theory.three_neuron_noise.noisy_mutual_information`), beside the exact binned curve, in bits.

Binnings (spec §3.1, §6 A3, A18, A19, A21):

* ``"equal"`` — the paper's 30 equal bins on [−1, 1] (31 edges; an edge at 0);
* ``"idnn"`` — the IDNNs / ibsgd convention, ``linspace(-1, 1, 30)`` as edges (29 bins);
* ``"half_line"`` — bins [kΔ, (k+1)Δ) for ReLU/softplus, Δ = 2/29 by default (A19: the paper does not state
  Fig 2D's bins), covering 10 standard deviations of the net input at ``w_max`` (see
  :func:`theory.binning_edges.half_line_edges`);
* ``"net_input"`` — App C's edges evenly spaced in net input, ``linspace(-50, 50, N)`` with N = 30 (A18).

References
----------
.. [P] Saxe et al., "On the Information Bottleneck Theory of Deep Learning", ICLR 2018, §2, App B.2, App C.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import xarray as xr

from paper_checks.profiles import Profile
from paper_checks.registry import experiment
from simulate.three_neuron import monte_carlo_information
from theory.binning_edges import equal_width_edges, half_line_edges, idnn_edges, net_input_edges
from theory.three_neuron import mutual_information
from theory.three_neuron_noise import noisy_mutual_information

__all__ = [
    "BINNINGS",
    "FIGURE_WEIGHTS",
    "CurveConfig",
    "NoiseConfig",
    "curve_edges",
    "run_curve",
    "run_noise",
]

BINNINGS = ("equal", "idnn", "half_line", "net_input")

#: Weights at which both witnesses are compared (Fig 2C/2D's axis is w₁ ∈ [0, 10]; 0.869 is the tanh argmax).
FIGURE_WEIGHTS: tuple[float, ...] = (0.05, 0.1, 0.25, 0.5, 0.869, 1.0, 1.5, 2.0, 3.0, 5.0, 7.5, 10.0)

#: Monte Carlo samples per weight: the spec's 10⁶ (C9) at both profiles; the paper profile adds seeds.
N_SAMPLES = 1_000_000


@dataclass(frozen=True)
class CurveConfig:
    """One exact-vs-Monte-Carlo curve of the minimal model.

    Attributes
    ----------
    activation : str
        ``"tanh"``, ``"relu"``, ``"softsign"`` or ``"softplus"``.
    binning : str
        One of :data:`BINNINGS`.
    n_bins : int
        ``"equal"``: number of bins (30); ``"idnn"`` and ``"net_input"``: number of edges (30).
    delta : float
        Bin width of ``"half_line"`` (2/29).
    w_max_edges : float
        Largest weight the half-line edges must cover.
    weights : tuple of float
        Weights w₁.
    n_samples : int
        Monte Carlo samples of X per weight and seed.
    seeds : tuple of int
        One independent ``numpy.random.default_rng(seed)`` per seed.
    """

    activation: str = "tanh"
    binning: str = "equal"
    n_bins: int = 30
    delta: float = 2 / 29
    w_max_edges: float = 10.0
    weights: tuple[float, ...] = FIGURE_WEIGHTS
    n_samples: int = N_SAMPLES
    seeds: tuple[int, ...] = (0,)

    @classmethod
    def for_profile(cls, profile: Profile, activation: str, binning: str, **overrides: object) -> CurveConfig:
        """10⁶ samples per weight (the spec's C9 size) at both profiles; 1 seed (fast) or 5 seeds (paper)."""
        seeds = profile.pick(fast=(0,), paper=(0, 1, 2, 3, 4))
        return cls(activation=activation, binning=binning, seeds=seeds, **overrides)  # type: ignore[arg-type]


def curve_edges(config: CurveConfig) -> tuple[np.ndarray, str]:
    """The bin edges and the binning space (``"output"`` or ``"net_input"``) of a configuration."""
    if config.binning == "equal":
        return equal_width_edges(config.n_bins), "output"
    if config.binning == "idnn":
        return idnn_edges(config.n_bins), "output"
    if config.binning == "half_line":
        return half_line_edges(config.delta, max(config.w_max_edges, *config.weights)), "output"
    if config.binning == "net_input":
        return net_input_edges(config.n_bins), "net_input"
    raise ValueError(f"binning must be one of {BINNINGS}, got {config.binning!r}")


@experiment("three_neuron_curve")
def run_curve(config: CurveConfig) -> xr.Dataset:
    """Exact and Monte Carlo I(T;X) (bits) of the minimal model at each weight (dims ``seed``, ``w``)."""
    edges, space = curve_edges(config)
    weights = np.asarray(config.weights, dtype=float)
    exact = mutual_information(config.activation, weights, edges, space=space)
    I_mc, stderr, occupied = [], [], []
    for seed in config.seeds:
        est = monte_carlo_information(
            config.activation, weights, edges, config.n_samples, np.random.default_rng(seed), space=space
        )
        I_mc.append(est.I)
        stderr.append(est.stderr)
        occupied.append((est.counts > 0).sum(axis=1))
    return xr.Dataset(
        {
            "I_exact": (("w",), np.asarray(exact, dtype=float), {"units": "bits"}),
            "I_mc": (("seed", "w"), np.array(I_mc), {"units": "bits"}),
            "stderr_mc": (("seed", "w"), np.array(stderr), {"units": "bits"}),
            "occupied_bins": (("seed", "w"), np.array(occupied, dtype=np.int64)),
        },
        coords={"w": weights, "seed": np.array(config.seeds, dtype=np.int64)},
        attrs={
            "activation": config.activation,
            "binning": config.binning,
            "space": space,
            "n_bins": int(edges.size - 1),
            "n_samples": int(config.n_samples),
            "delta": float(config.delta),
        },
    )


@dataclass(frozen=True)
class NoiseConfig:
    """The noise view of binning for one activation.

    Attributes
    ----------
    activation : str
        ``"tanh"``, ``"relu"``, ``"softsign"`` or ``"softplus"``.
    weights : tuple of float
        Weights w₁ (log-spaced to reach saturation).
    sigma : float
        Noise standard deviation; default Δ/√12 with Δ = 2/30, the variance of uniform quantisation by the
        paper's bins.
    """

    activation: str = "tanh"
    weights: tuple[float, ...] = tuple(float(w) for w in np.round(np.geomspace(0.05, 100.0, 25), 6))
    sigma: float = (2 / 30) / np.sqrt(12.0)

    @classmethod
    def for_profile(cls, profile: Profile, activation: str) -> NoiseConfig:
        """Deterministic quadrature: the same configuration at both profiles."""
        return cls(activation=activation)


@experiment("three_neuron_noise")
def run_noise(config: NoiseConfig) -> xr.Dataset:
    """Noise-view I(h+ε;X) and the exact binned I(T;X) (30 equal bins or half-line Δ = 2/30), bits, dim ``w``."""
    weights = np.asarray(config.weights, dtype=float)
    noisy = noisy_mutual_information(config.activation, weights, config.sigma)
    if config.activation in ("relu", "softplus"):
        edges = half_line_edges(2 / 30, float(weights.max()))
    else:
        edges = equal_width_edges(30)
    binned = mutual_information(config.activation, weights, edges)
    return xr.Dataset(
        {
            "I_noise": (("w",), np.asarray(noisy, dtype=float), {"units": "bits"}),
            "I_binned": (("w",), np.asarray(binned, dtype=float), {"units": "bits"}),
        },
        coords={"w": weights},
        attrs={"activation": config.activation, "sigma": float(config.sigma)},
    )
