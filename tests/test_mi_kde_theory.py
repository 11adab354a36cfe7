"""theory.kde (symbolic Eqs 7–12, mixture entropy by integration) against simulate.mi.kde."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
import sympy as sp
from scipy.integrate import quad

from simulate.mi import kde as sim
from theory import kde as th

# Symbolic sums evaluated with SymPy floats vs NumPy float64 kernel sums of 5 terms: rounding only.
CROSS_ATOL = 1e-12
# Trapezoid integral (theory.kde.mixture_entropy) vs SciPy adaptive quadrature at epsabs 1e-12.
INTEGRAL_ATOL = 1e-9


def test_divergences_are_derived_in_closed_form():
    assert sp.simplify(th.kl_divergence() - th.Delta**2 / (2 * th.sigma**2)) == 0
    assert sp.simplify(th.bhattacharyya_distance() - th.Delta**2 / (8 * th.sigma**2)) == 0


@pytest.mark.parametrize("variance", [0.01, 0.5])
def test_symbolic_bounds_evaluate_to_the_simulated_ones(variance):
    values = [-0.7, -0.1, 0.0, 0.45, 0.9]
    substitutions = {th.h[k + 1]: sp.Float(v, 30) for k, v in enumerate(values)}
    substitutions[th.sigma] = sp.sqrt(sp.Float(variance, 30))
    upper = float(th.upper_bound_expr().subs(th.P, 5).doit().subs(substitutions)) / math.log(2)
    lower = float(th.lower_bound_expr().subs(th.P, 5).doit().subs(substitutions)) / math.log(2)
    bounds = sim.mutual_information_bounds(np.array(values)[:, None], [0, 0, 1, 1, 1], variance, dtype=np.float64)
    assert bounds.i_xt_upper == pytest.approx(upper, abs=CROSS_ATOL)
    assert bounds.i_xt_lower == pytest.approx(lower, abs=CROSS_ATOL)


def test_c41_limits_symbolically():
    a, b, c, s2 = sp.symbols("a b c s2", positive=True)
    distances = sp.Matrix([[0, a, b], [a, 0, c], [b, c, 0]])
    bound = th.explicit_upper_bound(distances, s2)
    assert sp.limit(bound, s2, sp.oo) == 0
    assert sp.simplify(sp.limit(bound, s2, 0, "+") - sp.log(3)) == 0
    with pytest.raises(ValueError, match="zero diagonal"):
        th.explicit_upper_bound(sp.Matrix([[1, 0], [0, 0]]), s2)


def test_label_estimate_is_total_minus_weighted_class_terms():
    expr = th.label_estimate_expr(2)
    assert expr == sp.Symbol("U") - sp.Symbol("p_1") * sp.Symbol("U_1") - sp.Symbol("p_2") * sp.Symbol("U_2")
    with pytest.raises(ValueError, match="n_classes"):
        th.label_estimate_expr(0)


@pytest.mark.parametrize("variance", [0.003, 0.3])
def test_mixture_entropy_matches_adaptive_quadrature_and_is_bracketed(variance):
    centers = np.array([[-1.0], [-0.8], [0.0], [0.1], [2.0]])

    def integrand(x):
        p = np.mean(np.exp(-((x - centers[:, 0]) ** 2) / (2 * variance))) / math.sqrt(2 * math.pi * variance)
        return -p * math.log2(p) if p > 0 else 0.0

    sd = math.sqrt(variance)
    knots = [-1.0 - 12 * sd, -0.9, -0.4, 0.05, 1.0, 2.0 + 12 * sd]
    reference = sum(quad(integrand, a, b, limit=400, epsabs=1e-12)[0] for a, b in itertools.pairwise(knots))
    exact = th.mixture_entropy(centers, variance)
    assert exact == pytest.approx(reference, abs=INTEGRAL_ATOL)
    lower, upper = sim.mixture_entropy_bounds(centers, variance)
    assert lower <= exact <= upper
    two_d = np.hstack([centers, centers[::-1]])
    lower, upper = sim.mixture_entropy_bounds(two_d, variance)
    assert lower <= th.mixture_entropy(two_d, variance) <= upper


def test_mixture_entropy_of_one_gaussian_is_exact():
    for d in (1, 2):
        expected = 0.5 * d * math.log2(2 * math.pi * math.e * 0.2)
        assert th.mixture_entropy(np.zeros((1, d)), 0.2) == pytest.approx(expected, abs=1e-12)


def test_formulas_are_exported():
    # Their LaTeX round trip is checked for every collected formula in tests/test_latex.py.
    forms = th.formulas()
    assert {f.key for f in forms} == {"kde.kl_divergence", "kde.bhattacharyya", "kde.upper_bound", "kde.lower_bound"}
    assert all(isinstance(f.rhs, sp.Expr) for f in forms)


@pytest.mark.parametrize(
    ("args", "match"),
    [
        ((np.zeros((2, 3)), 0.1), "centers"),
        ((np.full((2, 1), np.nan), 0.1), "centers"),
        ((np.zeros((2, 1)), 0.0), "variance"),
        ((np.array([[0.0], [1e6]]), 1e-6), "too far apart"),
    ],
)
def test_bad_input(args, match):
    with pytest.raises(ValueError, match=match):
        th.mixture_entropy(*args)
