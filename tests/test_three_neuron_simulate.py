"""Unit tests of the Monte Carlo witness (simulate.three_neuron) and its agreement with the closed form."""

from __future__ import annotations

import numpy as np
import pytest

from simulate.three_neuron import bin_counts, monte_carlo_information, plugin_entropy, plugin_entropy_stderr
from theory.binning_edges import equal_width_edges, half_line_edges
from theory.three_neuron import mutual_information

EDGES = np.linspace(-1.0, 1.0, 31)
#: Samples for the cross-validation test (small: the claim test C9 uses 10⁶).
N_CROSS = 200_000
#: Standard errors allowed per point in the cross-validation (two-sided 5σ: chance failure < 1e-5 per point)
#: plus the plug-in (Miller–Madow) bias (K − 1)/(2 n ln 2) with K ≤ 30 bins: 1.05e-4 bits at N_CROSS.
CROSS_Z = 5.0
CROSS_BIAS = 29 / (2 * N_CROSS * np.log(2))


def test_edge_semantics_below_first_and_at_last_edge():
    # f = linear and w = 1 bins x itself: the values go below, on, between and above the edges.
    from simulate.three_neuron import _bin_index

    edges = np.array([0.0, 1.0, 2.0])
    values = np.array([-5.0, 0.0, 0.5, 1.0, 1.999, 2.0, 7.0])
    assert list(_bin_index(values, edges)) == [0, 0, 0, 1, 1, 1, 1]


def test_counts_sum_to_n_and_same_seed_same_result():
    a = bin_counts("tanh", [0.5, 3.0], EDGES, 10_000, np.random.default_rng(7))
    b = bin_counts("tanh", [0.5, 3.0], EDGES, 10_000, np.random.default_rng(7))
    assert a.shape == (2, 30) and np.all(a.sum(axis=1) == 10_000)
    np.testing.assert_array_equal(a, b)


def test_relu_puts_half_the_mass_in_bin_zero():
    counts = bin_counts("relu", 1.0, half_line_edges(0.1, 1.0), 100_000, np.random.default_rng(1))
    fraction = counts[0, 0] / 100_000
    # P(bin 0) = Φ(0.1) = 0.5398; binomial SE = 0.0016: 5 SE.
    assert abs(fraction - 0.5398278) < 5 * 0.0016


def test_plugin_entropy_of_known_pmfs():
    assert plugin_entropy(np.array([1, 1, 1, 1])) == pytest.approx(2.0)
    assert plugin_entropy(np.array([[3, 0, 0], [1, 1, 0]])) == pytest.approx([0.0, 1.0])
    with pytest.raises(ValueError, match="non-negative"):
        plugin_entropy(np.array([1, -1]))
    with pytest.raises(ValueError, match="positive total"):
        plugin_entropy(np.array([0, 0]))


def test_standard_error_matches_the_spread_over_seeds():
    # 60 repeats of 20 000 samples at w = 2: the empirical SD of Ĥ and the mean delta-method SE agree within
    # the sampling error of an SD estimated from 60 values (relative SE 1/√(2·59) ≈ 9 %; 3 of those: 28 %).
    H, se = [], []
    for seed in range(60):
        est = monte_carlo_information("tanh", 2.0, EDGES, 20_000, np.random.default_rng(seed))
        H.append(est.I[0])
        se.append(est.stderr[0])
    assert np.std(H, ddof=1) == pytest.approx(np.mean(se), rel=0.28)
    assert plugin_entropy_stderr(np.array([10, 0, 0]))[()] == 0.0


@pytest.mark.parametrize(
    ("activation", "edges"),
    [("tanh", equal_width_edges(30)), ("softsign", equal_width_edges(30)), ("relu", half_line_edges(0.5, 5.0))],
)
def test_monte_carlo_agrees_with_the_closed_form(activation, edges):
    w = np.array([0.1, 0.5, 1.0, 2.0, 5.0])
    est = monte_carlo_information(activation, w, edges, N_CROSS, np.random.default_rng(11))
    exact = mutual_information(activation, w, edges)
    assert np.all(np.abs(est.I - exact) <= CROSS_Z * est.stderr + CROSS_BIAS)


def test_net_input_space_bins_the_net_input():
    u = np.array([-50.0, -1.0, 0.0, 1.0, 50.0])
    counts = bin_counts("tanh", 1.0, u, 50_000, np.random.default_rng(3), space="net_input")
    # P(X < -1) = 0.1587: 5 binomial SE = 0.0082.
    assert abs(counts[0, 0] / 50_000 - 0.158655) < 0.0082


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"activation": "sigmoid"}, "activation must be one of"),
        ({"n_samples": 0}, "n_samples must be an integer >= 1"),
        ({"n_samples": -3}, "n_samples must be an integer >= 1"),
        ({"n_samples": 2.5}, "n_samples must be an integer >= 1"),
        ({"n_samples": "100"}, "n_samples must be an integer >= 1"),
        ({"w": "1.0"}, "w must be an array of real numbers"),
        ({"w": 1.0 + 2.0j}, "w must be an array of real numbers"),
        ({"edges": ["0", "1"]}, "edges must be an array of real numbers"),
        ({"w": np.nan}, "w must be finite"),
        ({"w": [1.0, np.inf]}, "w must be finite"),
        ({"edges": [0.0]}, "at least 2"),
        ({"edges": [1.0, 0.0]}, "strictly increasing"),
        ({"edges": [0.0, np.inf]}, "finite"),
        ({"rng": 0}, "rng must be a numpy.random.Generator"),
        ({"space": "input"}, "space must be"),
    ],
)
def test_bad_input_raises_value_error(kwargs, match):
    args = {"activation": "tanh", "w": 1.0, "edges": EDGES, "n_samples": 100, "rng": np.random.default_rng(0)}
    args |= kwargs
    with pytest.raises((ValueError, TypeError), match=match):
        monte_carlo_information(
            args.pop("activation"), args.pop("w"), args.pop("edges"), args.pop("n_samples"), args.pop("rng"), **args
        )


def test_softsign_at_huge_weight_keeps_every_sample_in_a_bin():
    # issue 14: w = 1e308 made w·x overflow to ±inf and softsign(±inf) = NaN, which fell outside every bin
    est = monte_carlo_information("softsign", [1e308], EDGES, 10_000, np.random.default_rng(0))
    assert est.counts.sum() == 10_000
    assert est.I[0] == pytest.approx(1.0, abs=0.01)  # half the samples at −1, half at +1
