"""Unit tests of the exact minimal model (theory.three_neuron and its companions)."""

from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from theory.binning_edges import equal_width_edges, half_line_edges, idnn_edges, net_input_edges
from theory.normal_cdf import Phi
from theory.three_neuron import (
    W,
    argmax_weight,
    bin_probabilities,
    entropy_expr,
    large_weight_limit,
    mutual_information,
    relu_asymptote,
    relu_asymptote_expr,
    small_weight_limit,
)
from theory.three_neuron_noise import noisy_mutual_information

ACTIVATIONS = ("tanh", "relu", "softsign", "softplus")
EQUAL = equal_width_edges(30)
HALF = half_line_edges(2 / 29, 10.0)
#: float64 path against 50-digit mpmath: the erf/erfc forms lose at most a few ulps per bin probability, and
#: H sums ≤ 1450 terms: 1e-12 bits absolute is ~100× the observed error.
FLOAT_VS_MP_ATOL = 1e-12
#: Noise-view quadrature against closed forms: the cell discretisation error is second order in δ/σ with
#: δ = min(σ, |w|)/16; measured ≤ 9.4e-5 bits (linear, w = σ/2) and ≤ 3e-5 bits (ReLU): 2e-4 bits allowed.
NOISE_ATOL = 2e-4


def _edges(activation):
    return HALF if activation in ("relu", "softplus") else EQUAL


def test_probabilities_sum_to_one_symbolically():
    probs = bin_probabilities("tanh", equal_width_edges(4, exact=True))
    total = sp.simplify(sp.Add(*probs).rewrite(sp.erf))
    assert total == 1


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_symbolic_probabilities_match_the_vectorised_entropy(activation):
    edges = (
        [0, sp.Rational(1, 2), 1, sp.Rational(3, 2), 2]
        if activation in ("relu", "softplus")
        else [-1, sp.Rational(-1, 3), sp.Rational(1, 3), 1]
    )
    probs = bin_probabilities(activation, edges)
    H = entropy_expr(probs)
    for w in (0.3, 1.7):
        exact = float(sp.N(H.subs(W, sp.Float(w, 30)).rewrite(sp.erf), 20))
        assert mutual_information(activation, w, [float(e) for e in edges]) == pytest.approx(exact, abs=1e-13)


def test_relu_point_mass_is_in_bin_zero():
    probs = bin_probabilities("relu", half_line_edges(0.5, 1.0, exact=True))
    assert probs[0] == Phi(sp.Rational(1, 2) / W)
    assert float(sp.N(probs[0].subs(W, 1e6))) == pytest.approx(0.5, abs=1e-6)


def test_edges_below_the_range_carry_no_mass():
    # Edges at −2 and −1.5 are below tanh's range: the first two bins are empty.
    probs = bin_probabilities("tanh", [-2, -1.5, 0, 1])
    assert probs[0] == 0 and probs[1] == sp.S.Half


@pytest.mark.parametrize("activation", ACTIVATIONS)
@settings(max_examples=25, deadline=None)
@given(w=st.floats(min_value=1e-3, max_value=1e3))
def test_information_is_between_zero_and_log_bins(activation, w):
    edges = _edges(activation)
    I = mutual_information(activation, w, edges)
    assert 0.0 <= I <= math.log2(edges.size - 1) + 1e-12


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_depends_on_absolute_weight_and_zero_weight_gives_zero(activation):
    edges = _edges(activation)
    w = np.array([-3.0, -0.4, 0.0, 0.4, 3.0])
    I = mutual_information(activation, w, edges)
    assert I[0] == I[4] and I[1] == I[3]
    assert I[2] == 0.0


@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("w", [1e-8, 1e-3, 0.869, 7.0, 1e6])
def test_extreme_weights_match_fifty_digits(activation, w):
    edges = _edges(activation) if activation in ("tanh", "softsign") else half_line_edges(2 / 29, 1.0)
    value = mutual_information(activation, w, edges)
    reference = mutual_information(activation, w, edges, precision=50)
    assert math.isfinite(value)
    assert value == pytest.approx(float(reference), abs=FLOAT_VS_MP_ATOL)


def test_precision_path_returns_mpmath_numbers():
    out = mutual_information("tanh", [0.5, 2.0], EQUAL, precision=30)
    assert out.shape == (2,) and all(isinstance(v, mpmath.mpf) for v in out)


def test_array_shape_is_preserved():
    assert mutual_information("tanh", np.ones((3, 2)), EQUAL).shape == (3, 2)


def test_net_input_binning_equals_output_binning_at_tanh_edges():
    u = np.linspace(-3.0, 3.0, 13)  # tanh(u) is exactly representable enough here (no rounding to ±1)
    a = mutual_information("tanh", [0.3, 1.0, 4.0], u, space="net_input")
    b = mutual_information("tanh", [0.3, 1.0, 4.0], np.tanh(u))
    np.testing.assert_allclose(a, b, atol=1e-12)


def test_limits():
    assert small_weight_limit("tanh", EQUAL) == 1.0
    assert small_weight_limit("tanh", idnn_edges(30)) == 0.0
    assert small_weight_limit("relu", HALF) == 0.0
    assert small_weight_limit("tanh", net_input_edges(30), space="net_input") == 0.0
    assert large_weight_limit("tanh", EQUAL) == 1.0
    assert large_weight_limit("relu", HALF) == 1.0  # finite edges: everything positive ends in the last bin
    assert large_weight_limit("tanh", np.array([-1.0, 1.0])) == 0.0  # one bin: nothing to know
    assert mutual_information("tanh", 1e-7, EQUAL) == pytest.approx(1.0, abs=1e-12)
    assert mutual_information("tanh", 1e7, EQUAL) == pytest.approx(1.0, abs=1e-5)


def test_argmax_solves_the_stationarity_condition():
    w_star, I_star = argmax_weight("tanh", EQUAL)
    eps = 1e-4
    assert mutual_information("tanh", float(w_star) - eps, EQUAL) < float(I_star)
    assert mutual_information("tanh", float(w_star) + eps, EQUAL) < float(I_star)
    with pytest.raises(ValueError, match="no interior maximum"):
        argmax_weight("relu", HALF, search=(0.1, 10.0))


def test_relu_asymptote_is_derived_and_approached():
    D = sp.Symbol("Delta", positive=True)
    derived = relu_asymptote_expr(D)
    stated = 1 + (sp.log(W / D, 2) + sp.log(sp.pi * sp.E / 2, 2) / 2) / 2
    assert sp.simplify(derived - stated) == 0
    edges = half_line_edges(2 / 29, 1000.0)
    gaps = [abs(mutual_information("relu", w, edges) - relu_asymptote(w, 2 / 29)) for w in (10.0, 100.0, 1000.0)]
    assert gaps[0] > gaps[1] > gaps[2]


def test_noise_view_is_exact_for_the_linear_unit():
    w = np.array([0.1, 1.0, 10.0])
    exact = 0.5 * np.log2(1 + w**2 / 0.2**2)
    np.testing.assert_allclose(noisy_mutual_information("linear", w, 0.2), exact, atol=NOISE_ATOL)


def test_noise_view_for_relu_matches_the_closed_form_density():
    # T = ReLU(wX) + ε has density ½φ_σ(t) + φ_s(t)·Φ(w t/(σ s)), s² = w² + σ² (half-normal ⊛ Gaussian).
    w, sigma = 2.0, 0.3
    s = math.hypot(w, sigma)
    t = np.linspace(-4, 20, 200_001)
    phi = np.exp(-0.5 * (t / sigma) ** 2) / (sigma * math.sqrt(2 * math.pi))
    q = 0.5 * phi + np.exp(-0.5 * (t / s) ** 2) / (s * math.sqrt(2 * math.pi)) * 0.5 * (
        1 + np.vectorize(math.erf)(w * t / (sigma * s) / math.sqrt(2))
    )
    h_T = -np.sum(np.where(q > 0, q * np.log(np.where(q > 0, q, 1)), 0)) * (t[1] - t[0])
    exact = (h_T - 0.5 * math.log(2 * math.pi * math.e * sigma**2)) / math.log(2)
    assert noisy_mutual_information("relu", w, sigma) == pytest.approx(exact, abs=NOISE_ATOL)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"activation": "sigmoid"}, "activation must be one of"),
        ({"edges": [0.0]}, "at least 2"),
        ({"edges": [0.0, 0.0, 1.0]}, "strictly increasing"),
        ({"edges": [0.0, np.nan]}, "finite"),
        ({"edges": []}, "at least 2"),
        ({"w": np.nan}, "w must be finite"),
        ({"w": [1.0, np.inf]}, "w must be finite"),
        ({"space": "input"}, "space must be"),
        ({"precision": 0}, "precision must be"),
    ],
)
def test_bad_input_raises_value_error(kwargs, match):
    args = {"activation": "tanh", "w": 1.0, "edges": EQUAL} | kwargs
    with pytest.raises(ValueError, match=match):
        mutual_information(args.pop("activation"), args.pop("w"), args.pop("edges"), **args)


def test_bad_edge_constructor_and_noise_arguments():
    with pytest.raises(ValueError, match="n_bins"):
        equal_width_edges(0)
    with pytest.raises(ValueError, match="low must be < high"):
        equal_width_edges(3, 1.0, -1.0)
    with pytest.raises(ValueError, match="delta"):
        half_line_edges(-0.1, 1.0)
    with pytest.raises(ValueError, match="w_max"):
        half_line_edges(0.1, np.inf)
    with pytest.raises(ValueError, match="sigma"):
        noisy_mutual_information("tanh", 1.0, 0.0)
    with pytest.raises(ValueError, match="edges must be strictly increasing"):
        bin_probabilities("tanh", [1.0, 0.0])


def test_edge_constructors():
    assert equal_width_edges(30).size == 31 and idnn_edges(30).size == 30
    assert equal_width_edges(30, exact=True)[15] == 0
    assert net_input_edges(30)[0] == -50.0
    half = half_line_edges(2 / 29, 10.0)
    assert half[0] == 0.0 and half[-1] >= 10.0 * 10.0  # covers 10 standard deviations at w_max


# --------------------------------------------------------------------------- bad input refused, by kind (#14)
@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"w": "1.0"}, TypeError, "w must be .* string"),
        ({"w": 1.0 + 2.0j}, TypeError, "w must be .* complex"),
        ({"w": [1.0, 2.0j]}, TypeError, "w must be .* complex"),
        ({"w": True}, TypeError, "w must be .* boolean"),
        ({"precision": 2.5}, TypeError, "precision must be a positive integer"),
        ({"precision": True}, TypeError, "precision must be a positive integer"),
        ({"edges": "0123"}, TypeError, "edges must be"),
        ({"edges": ["0", "1"]}, TypeError, "edges must be"),
    ],
)
def test_bad_kinds_are_refused_with_type_error(kwargs, error, match):
    args = {"activation": "tanh", "w": 1.0, "edges": EQUAL} | kwargs
    with pytest.raises(error, match=match):
        mutual_information(args.pop("activation"), args.pop("w"), args.pop("edges"), **args)


def test_tiny_weights_at_high_precision_are_finite():
    for w in (1e-300, 5e-324):
        assert float(mutual_information("tanh", w, EQUAL, precision=20)) == pytest.approx(1.0, abs=1e-15)
    assert float(mutual_information("tanh", 1e-300, EQUAL)) == pytest.approx(1.0)
    assert float(mutual_information("relu", 1e-300, [0.0, 1.0, 2.0], precision=20)) == pytest.approx(0.0, abs=1e-15)


def test_argmax_and_asymptote_refuse_bad_arguments():
    with pytest.raises(ValueError, match=r"search must be a pair"):
        argmax_weight("tanh", EQUAL, search=(0.01,))
    with pytest.raises(TypeError, match="search"):
        argmax_weight("tanh", EQUAL, search=("0.01", 10.0))
    with pytest.raises(TypeError, match="precision"):
        argmax_weight("tanh", EQUAL, precision=2.5)
    with pytest.raises(ValueError, match="non-zero"):
        relu_asymptote(0.0, 0.1)
    with pytest.raises(TypeError, match="delta"):
        relu_asymptote(1.0, "0.1")
    with pytest.raises(TypeError, match="sigma"):
        noisy_mutual_information("tanh", 1.0, "0.5")
    with pytest.raises(TypeError, match="w must"):
        noisy_mutual_information("tanh", 1j, 0.5)
    with pytest.raises(TypeError, match="per_sigma"):
        noisy_mutual_information("tanh", 1.0, 0.5, per_sigma=4.0)


def test_entropy_expr_refuses_strings():
    with pytest.raises(TypeError, match="probabilities"):
        entropy_expr("0.5")
    with pytest.raises(TypeError, match="probabilities"):
        entropy_expr([0.5, "0.5"])
    assert float(entropy_expr([0.5, 0.5])) == pytest.approx(1.0)
