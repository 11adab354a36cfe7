r"""Minimal three-neuron model experiments ([P] §2, Fig 2; App B.2; App C, Fig 13): both witnesses per weight.

* ``"three_neuron_curve"``: for one activation and one binning, the exact :math:`I(T;X) = H(T)`
  (:func:`theory.three_neuron.mutual_information`) and the Monte Carlo plug-in estimate with its standard error
  (:func:`simulate.three_neuron.monte_carlo_information`) at each weight and seed, in bits.
* ``"three_neuron_noise"``: the noise view :math:`I(f(wX) + \varepsilon; X)` by quadrature
  (:func:`theory.three_neuron_noise.noisy_mutual_information`), beside the exact binned curve, in bits.
* ``"three_neuron_argmax"``: the weight maximising the exact I(T;X) (dI/dw = 0 by ``mpmath.findroot``,
  :func:`theory.three_neuron.argmax_weight`) and the maximum, in bits (≈ 2 s each: cached by the store).
* ``"three_neuron_increments"``: the smallest successive difference of the exact I(T;X) over a log-spaced weight
  grid, evaluated with high-precision mpmath (where the rise is exponentially small and below float resolution).

Binnings (docs/formulas.md#s3-1, docs/choices.md#a3, #a18, #a19, #a21):

* ``"equal"`` — the paper's 30 equal bins on [−1, 1] (31 edges; an edge at 0);
* ``"idnn"`` — the IDNNs / ibsgd convention, ``linspace(-1, 1, 30)`` as edges (29 bins);
* ``"half_line"`` — bins [kΔ, (k+1)Δ) for ReLU/softplus, Δ = 2/29 by default (docs/choices.md#a19: the paper does not
  state Fig 2D's bins), covering 10 standard deviations of the net input at ``w_max`` (see
  :func:`theory.binning_edges.half_line_edges`);
* ``"net_input"`` — App C's edges evenly spaced in net input, ``linspace(-50, 50, N)`` with N = 30
  (docs/choices.md#a18).

References
----------
.. [P] Saxe et al., "On the Information Bottleneck Theory of Deep Learning", ICLR 2018, §2, App B.2, App C.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np
import xarray as xr

from paper_checks.profiles import Profile
from paper_checks.registry import experiment
from simulate.three_neuron import monte_carlo_information
from theory.binning_edges import equal_width_edges, half_line_edges, idnn_edges, net_input_edges
from theory.three_neuron import argmax_weight, mutual_information
from theory.three_neuron_noise import noisy_mutual_information

__all__ = [
    "ACTIVATIONS",
    "BINNINGS",
    "FIGURE_WEIGHTS",
    "ArgmaxConfig",
    "CurveConfig",
    "IncrementConfig",
    "NoiseConfig",
    "binning_edges",
    "curve_edges",
    "run_argmax",
    "run_curve",
    "run_increments",
    "run_noise",
]

ACTIVATIONS = ("tanh", "relu", "softsign", "softplus")
BINNINGS = ("equal", "idnn", "half_line", "net_input")

#: Weights at which both witnesses are compared (Fig 2C/2D's axis is w₁ ∈ [0, 10]; 0.869 is the tanh argmax).
FIGURE_WEIGHTS: tuple[float, ...] = (0.05, 0.1, 0.25, 0.5, 0.869, 1.0, 1.5, 2.0, 3.0, 5.0, 7.5, 10.0)

#: Monte Carlo samples per weight: the spec's 10⁶ (C9) at both profiles; the paper profile adds seeds.
N_SAMPLES = 1_000_000


def _check_choice(name: str, value: object, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise ValueError(f"{name} must be one of {choices}, got {value!r}")


def _check_count(name: str, value: object, minimum: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ValueError(f"{name} must be an integer ≥ {minimum}, got {value!r}")


def _check_positive(name: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not (math.isfinite(value) and value > 0):
        raise ValueError(f"{name} must be a positive finite number, got {value!r}")


def _positive_tuple(name: str, values: object) -> tuple[float, ...]:
    if not isinstance(values, tuple) or not values:
        raise TypeError(f"{name} must be a non-empty tuple of positive numbers, got {values!r}")
    for v in values:
        _check_positive(name, v)
    return tuple(float(v) for v in values)


def _seed_tuple(values: object) -> tuple[int, ...]:
    if not isinstance(values, tuple) or not values:
        raise TypeError(f"seeds must be a non-empty tuple of non-negative integers, got {values!r}")
    for v in values:
        _check_count("seeds", v, 0)
    if len(set(values)) != len(values):
        raise ValueError(f"seeds must be distinct, got {values!r}")
    return values


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

    def __post_init__(self) -> None:
        _check_choice("activation", self.activation, ACTIVATIONS)
        _check_choice("binning", self.binning, BINNINGS)
        _check_count("n_bins", self.n_bins, 2)
        _check_positive("delta", self.delta)
        _check_positive("w_max_edges", self.w_max_edges)
        object.__setattr__(self, "weights", _positive_tuple("weights", self.weights))
        _check_count("n_samples", self.n_samples, 2)
        _seed_tuple(self.seeds)

    @classmethod
    def for_profile(cls, profile: Profile, activation: str, binning: str, **overrides: object) -> CurveConfig:
        """10⁶ samples per weight (the spec's C9 size) at both profiles; 1 seed (fast) or 5 seeds (paper)."""
        seeds = profile.pick(fast=(0,), paper=(0, 1, 2, 3, 4))
        return cls(activation=activation, binning=binning, seeds=seeds, **overrides)  # type: ignore[arg-type]


def binning_edges(binning: str, n_bins: int = 30, delta: float = 2 / 29, w_max: float = 10.0) -> tuple[np.ndarray, str]:
    """The bin edges and the binning space (``"output"`` or ``"net_input"``) of one of :data:`BINNINGS`.

    Parameters
    ----------
    binning : str
        One of :data:`BINNINGS`.
    n_bins : int
        ``"equal"``: number of bins; ``"idnn"`` and ``"net_input"``: number of edges.
    delta : float
        Bin width of ``"half_line"``.
    w_max : float
        Largest weight the ``"half_line"`` edges must cover.
    """
    if binning == "equal":
        return equal_width_edges(n_bins), "output"
    if binning == "idnn":
        return idnn_edges(n_bins), "output"
    if binning == "half_line":
        return half_line_edges(delta, w_max), "output"
    if binning == "net_input":
        return net_input_edges(n_bins), "net_input"
    raise ValueError(f"binning must be one of {BINNINGS}, got {binning!r}")


def curve_edges(config: CurveConfig) -> tuple[np.ndarray, str]:
    """The bin edges and the binning space (``"output"`` or ``"net_input"``) of a configuration."""
    return binning_edges(config.binning, config.n_bins, config.delta, max(config.w_max_edges, *config.weights))


def _described(dims: tuple[str, ...], values: np.ndarray, units: str, long_name: str) -> tuple:
    return dims, values, {"units": units, "long_name": long_name}


@experiment("three_neuron_curve", CurveConfig)
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
            "I_exact": _described(
                ("w",), np.asarray(exact, dtype=float), "bits", "exact I(T;X) = H(T) of the binned unit (Eqs 3–4)"
            ),
            "I_mc": _described(("seed", "w"), np.array(I_mc), "bits", "Monte Carlo plug-in estimate of I(T;X) = H(T)"),
            "stderr_mc": _described(
                ("seed", "w"), np.array(stderr), "bits", "delta-method standard error of the Monte Carlo I(T;X)"
            ),
            "occupied_bins": _described(
                ("seed", "w"), np.array(occupied, dtype=np.int64), "1", "bins holding at least one Monte Carlo sample"
            ),
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

    def __post_init__(self) -> None:
        _check_choice("activation", self.activation, ACTIVATIONS)
        object.__setattr__(self, "weights", _positive_tuple("weights", self.weights))
        _check_positive("sigma", self.sigma)
        object.__setattr__(self, "sigma", float(self.sigma))

    @classmethod
    def for_profile(cls, profile: Profile, activation: str) -> NoiseConfig:
        """Deterministic quadrature: the same configuration at both profiles."""
        return cls(activation=activation)


@experiment("three_neuron_noise", NoiseConfig)
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
            "I_noise": _described(
                ("w",), np.asarray(noisy, dtype=float), "bits", "noise-view I(f(wX) + ε; X) by quadrature"
            ),
            "I_binned": _described(
                ("w",), np.asarray(binned, dtype=float), "bits", "exact binned I(T;X) = H(T) (Eqs 3–4)"
            ),
        },
        coords={"w": weights},
        attrs={"activation": config.activation, "sigma": float(config.sigma)},
    )


@dataclass(frozen=True)
class ArgmaxConfig:
    """Where the exact I(T;X) of one activation and binning is largest.

    Attributes
    ----------
    activation : str
        One of :data:`ACTIVATIONS`.
    binning : str
        One of :data:`BINNINGS` (see :func:`binning_edges`; ``"half_line"`` has no interior maximum).
    n_bins : int
        As in :class:`CurveConfig`.
    search : tuple of float
        (low, high) weights bracketing the maximum (:func:`theory.three_neuron.argmax_weight`).
    """

    activation: str = "tanh"
    binning: str = "equal"
    n_bins: int = 30
    search: tuple[float, float] = (1e-2, 1e3)

    def __post_init__(self) -> None:
        _check_choice("activation", self.activation, ACTIVATIONS)
        _check_choice("binning", self.binning, BINNINGS)
        _check_count("n_bins", self.n_bins, 2)
        search = _positive_tuple("search", self.search)
        if len(search) != 2 or search[0] >= search[1]:
            raise ValueError(f"search must be (low, high) with 0 < low < high, got {self.search!r}")
        object.__setattr__(self, "search", search)


@experiment("three_neuron_argmax", ArgmaxConfig)
def run_argmax(config: ArgmaxConfig) -> xr.Dataset:
    """``w_argmax`` (weight w₁) and ``I_exact_max`` (bits): the interior maximum of the exact I(T;X), dI/dw = 0."""
    edges, space = binning_edges(config.binning, config.n_bins)
    w_star, I_star = argmax_weight(config.activation, edges, space=space, search=config.search)
    return xr.Dataset(
        {
            "w_argmax": _described((), np.float64(w_star), "1", "weight w₁ at which the exact I(T;X) is largest"),
            "I_exact_max": _described((), np.float64(I_star), "bits", "largest exact I(T;X) over w₁ (dI/dw = 0)"),
        },
        attrs={"activation": config.activation, "binning": config.binning, "space": space},
    )


@dataclass(frozen=True)
class IncrementConfig:
    """A high-precision monotonicity sweep of the exact I(T;X) over log-spaced weights.

    Where the rise of I is exponentially small (e.g. ~Φ(−artanh(1/15)/w) for tanh near w = 0) its increments are
    below float64 resolution; they are computed with mpmath at `precision` digits.

    Attributes
    ----------
    activation, binning, n_bins
        As in :class:`CurveConfig` (``"half_line"`` edges cover `w_high`).
    w_low, w_high : float
        The ends of the weight grid.
    n_weights : int
        Grid points, log-spaced.
    precision : int
        mpmath digits.
    """

    activation: str = "tanh"
    binning: str = "equal"
    n_bins: int = 30
    w_low: float = 5e-3
    w_high: float = 0.02
    n_weights: int = 20
    precision: int = 80

    def __post_init__(self) -> None:
        _check_choice("activation", self.activation, ACTIVATIONS)
        _check_choice("binning", self.binning, BINNINGS)
        _check_count("n_bins", self.n_bins, 2)
        _check_positive("w_low", self.w_low)
        _check_positive("w_high", self.w_high)
        if self.w_low >= self.w_high:
            raise ValueError(f"w_low must be below w_high, got {self.w_low!r} and {self.w_high!r}")
        _check_count("n_weights", self.n_weights, 2)
        _check_count("precision", self.precision, 16)


@experiment("three_neuron_increments", IncrementConfig)
def run_increments(config: IncrementConfig) -> xr.Dataset:
    """``min_increment_I``: min over the grid of I(w_{k+1}) − I(w_k), bits, at `precision` mpmath digits."""
    edges, space = binning_edges(config.binning, config.n_bins, w_max=config.w_high)
    weights = np.geomspace(config.w_low, config.w_high, config.n_weights)
    values = mutual_information(config.activation, weights, edges, space=space, precision=config.precision)
    smallest = float(min(b - a for a, b in itertools.pairwise(values)))
    return xr.Dataset(
        {
            "min_increment_I": _described(
                (), np.float64(smallest), "bits", "smallest successive difference of the exact I(T;X) on the grid"
            )
        },
        attrs={
            "activation": config.activation,
            "binning": config.binning,
            "space": space,
            "precision": int(config.precision),
        },
    )
