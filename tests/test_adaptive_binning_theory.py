"""EBAB of the minimal model: the closed forms of theory.adaptive_binning against [P]'s exact binned information and
against simulate.mi.ebab on Monte Carlo samples (arXiv:1902.09037 §3; [P] §2, Eqs 1–4).

Theory side: at the population equal-count edges, theory.three_neuron.mutual_information (Φ differences, [P]
Eqs 3–4) gives the w-free closed form (log₂ B for strictly increasing units, ReLU's atom formulas) at every w.
Simulation side: EBAB of f(wX) on N samples is exactly log₂ B for strictly increasing f (B | N, distinct values) and
matches the ReLU closed forms within their sampling and finite-size tolerance.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import sympy as sp

from simulate.mi import ebab
from theory import adaptive_binning as ab
from theory.three_neuron import mutual_information

MONOTONE = ("tanh", "softsign", "softplus", "linear")
# The exact binned information of [P] Eqs 3–4 at float64 edges: bin masses to ~1e-16, entropy to ~1e-15 bits.
EXACT_ATOL = 1e-12
N_MC = 2**17
UNITS = {
    "tanh": np.tanh,
    "softsign": lambda u: u / (1 + np.abs(u)),
    "softplus": lambda u: np.logaddexp(0.0, u),
    "linear": lambda u: u,
}


@pytest.mark.parametrize("count", ab.COUNTS)
@pytest.mark.parametrize("activation", [*MONOTONE, "relu"])
@pytest.mark.parametrize("n_bins", [2, 5, 30, 31])
def test_population_edges_give_the_closed_form_at_every_weight(activation, count, n_bins):
    closed = float(ab.population_information(activation, n_bins, count))
    for w in (0.05, 0.3, 1.0, 3.0):
        edges = ab.population_edges(activation, w, n_bins, count)
        assert float(mutual_information(activation, w, edges)) == pytest.approx(closed, abs=EXACT_ATOL)


@pytest.mark.parametrize("activation", MONOTONE)
def test_monotone_units_give_log2_B_exactly(activation):
    for count in ab.COUNTS:
        assert sp.simplify(ab.population_information(activation, 30, count) - sp.log(30) / sp.log(2)) == 0


def test_relu_closed_forms():
    B = sp.Integer(30)
    unique = -(sp.Rational(1, 2) + 1 / (2 * B)) * sp.log(sp.Rational(1, 2) + 1 / (2 * B), 2) - (B - 1) / (
        2 * B
    ) * sp.log(1 / (2 * B), 2)
    assert sp.simplify(ab.population_information("relu", 30) - unique) == 0
    assert sp.simplify(ab.population_information("relu", 30, "values") - (sp.Rational(1, 2) + sp.log(30, 2) / 2)) == 0
    assert sum(ab.population_bin_masses("relu", 31, "values")) == 1
    assert ab.population_bin_masses("relu", 31, "values")[0] == sp.Rational(16, 31)


@pytest.mark.parametrize("activation", MONOTONE)
@pytest.mark.parametrize("w", [0.1, 1.0, 2.5])
def test_monte_carlo_ebab_of_a_monotone_unit_is_the_closed_form(activation, w):
    x = np.random.default_rng(7).normal(size=(N_MC, 1))
    h = UNITS[activation](w * x)
    assert np.unique(h).size == N_MC, "precondition: float64 keeps the samples distinct"
    closed = float(ab.population_information(activation, 64))
    assert ebab.mutual_information(h, np.zeros(N_MC, dtype=int), 64)[0] == pytest.approx(closed, abs=1e-12)


def _relu_unique(a: float, B: int) -> float:
    """Entropy (bits) of the ``unique`` ReLU masses for an atom of mass a (the closed form has a = ½)."""
    first, rest = a + (1 - a) / B, (1 - a) / B
    return -first * math.log2(first) - (B - 1) * rest * math.log2(rest)


@pytest.mark.parametrize("w", [0.2, 1.0, 4.0])
def test_monte_carlo_ebab_of_a_relu_unit_matches_the_closed_forms(w):
    x = np.random.default_rng(8).normal(size=(N_MC, 1))
    h = np.maximum(0.0, w * x)
    labels = np.zeros(N_MC, dtype=int)
    # unique levels, B = 30: the atom's mass a = #zeros/N is Binomial(N, ½)/N, SE = ½/√N; the estimate moves with a
    # at the rate dH/da, and the integer level counts move each bin mass by < 1/N (|∂H/∂p| ≤ log₂ N + 1.5 per bin).
    B = 30
    slope = abs(_relu_unique(0.5 + 1e-6, B) - _relu_unique(0.5 - 1e-6, B)) / 2e-6
    tolerance = 5 * slope * 0.5 / math.sqrt(N_MC) + B / N_MC * (math.log2(N_MC) + 1.5)
    estimate = ebab.mutual_information(h, labels, B)[0]
    assert abs(estimate - float(ab.population_information("relu", B))) < tolerance
    # equal mass, B = 31 (odd: the atom's bin is the first 16/31 of the sample whatever a within 15/31 … 16/31, so
    # only the integer cut positions, < 1 value per bin, separate it from the closed form)
    a = float(np.mean(h == 0))
    assert 15 / 31 < a < 16 / 31, "precondition: the atom does not reach a neighbouring cut level"
    estimate = ebab.mutual_information(h, labels, 31, count="values")[0]
    assert abs(estimate - float(ab.population_information("relu", 31, "values"))) < 31 / N_MC * (math.log2(N_MC) + 1.5)


@pytest.mark.parametrize(
    ("call", "error", "fragment"),
    [
        (lambda: ab.population_bin_masses("tanh", 1), ValueError, "n_bins"),
        (lambda: ab.population_bin_masses("tanh", 30, "median"), ValueError, "count"),
        (lambda: ab.population_bin_masses("tanh", 30, 3), TypeError, "count"),
        (lambda: ab.population_bin_masses("sigmoid", 30), ValueError, "activation"),
        (lambda: ab.population_edges("tanh", 0.0, 30), ValueError, "w"),
        (lambda: ab.population_edges("tanh", 1e3, 30), ValueError, "not resolvable"),
    ],
)
def test_bad_input(call, error, fragment):
    with pytest.raises(error, match=fragment):
        call()
