"""Cross-validation of the two activation witnesses: theory (SymPy) against simulate (NumPy).

Values and first derivatives agree at many points, and the theory's inverses invert on the range.
"""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from simulate.activations import get_activation as numeric_activation
from theory.activations import ACTIVATIONS, get_activation

NAMES = ("tanh", "relu", "softsign", "softplus", "linear")
#: Points where the witnesses are compared: a dense grid plus large |x| (saturation, overflow-prone exp).
POINTS = np.concatenate([np.linspace(-8.0, 8.0, 401), [-700.0, -50.0, -20.0, 20.0, 50.0, 700.0]])
#: Both sides are float64 evaluations of the same function: a few ulps.
RTOL, ATOL = 1e-12, 1e-15

x = sp.Symbol("x", real=True)
y = sp.Symbol("y", real=True)


@pytest.mark.parametrize("name", NAMES)
def test_values_agree(name):
    theory = sp.lambdify(x, get_activation(name).expr(x), "numpy")
    expected = numeric_activation(name)(POINTS)
    with np.errstate(over="ignore"):  # lambdified softplus overflows exp(700) only in float; compare where finite
        got = np.asarray(theory(POINTS), dtype=float) * np.ones_like(POINTS)
    finite = np.isfinite(got)
    assert finite.sum() >= POINTS.size - 2
    np.testing.assert_allclose(got[finite], expected[finite], rtol=RTOL, atol=ATOL)


@pytest.mark.parametrize("name", NAMES)
def test_derivatives_agree(name):
    # The point x = 0 is excluded: ReLU and softsign are not differentiable there in the usual sense.
    points = POINTS[(POINTS != 0) & (np.abs(POINTS) < 30)]
    theory = sp.lambdify(x, get_activation(name).derivative(x), "numpy")
    got = np.asarray(theory(points), dtype=float) * np.ones_like(points)
    np.testing.assert_allclose(got, numeric_activation(name).derivative(points), rtol=1e-10, atol=1e-14)


def test_relu_derivative_at_zero_is_zero_in_both():
    assert get_activation("relu").derivative(x).subs(x, 0) == 0
    assert numeric_activation("relu").derivative(np.array([0.0]))[0] == 0.0


@pytest.mark.parametrize("name", NAMES)
@settings(max_examples=40, deadline=None)
@given(u=st.floats(min_value=-6.0, max_value=6.0, allow_nan=False))
def test_inverse_inverts_on_the_range(name, u):
    act = get_activation(name)
    value = act.expr(sp.Float(u, 30))
    if act.flat_below_zero and u <= 0:
        return  # ReLU is not invertible on (−∞, 0]
    back = sp.N(act.inverse(value), 25)
    assert abs(float(back) - u) < 1e-12 * max(1.0, abs(u))


@pytest.mark.parametrize("name", NAMES)
def test_numeric_inverse_matches_symbolic(name):
    act = get_activation(name)
    low, high = float(act.range.inf), float(act.range.sup)
    values = np.linspace(max(low, -0.999), min(high, 30.0), 203)[1:-1]
    symbolic = sp.lambdify(y, act.inverse(y), "mpmath")
    expected = np.array([float(symbolic(v)) for v in values])
    np.testing.assert_allclose(act.inverse_numeric(values), expected, rtol=1e-12, atol=1e-12)


def test_numeric_inverse_maps_outside_the_range_to_infinity():
    tanh, relu = get_activation("tanh"), get_activation("relu")
    assert list(tanh.inverse_numeric(np.array([-2.0, -1.0, 1.0, 3.0]))) == [-np.inf, -np.inf, np.inf, np.inf]
    assert list(relu.inverse_numeric(np.array([-1.0, 0.0]))) == [-np.inf, -np.inf]


def test_softplus_inverse_is_accurate_at_both_ends():
    sp_inv = get_activation("softplus").inverse_numeric
    assert sp_inv(np.array([1e-300]))[0] == pytest.approx(np.log(1e-300), rel=1e-14)
    assert sp_inv(np.array([800.0]))[0] == pytest.approx(800.0, rel=1e-15)


def test_ranges_and_flags():
    assert ACTIVATIONS["tanh"].saturating and ACTIVATIONS["softsign"].saturating
    assert not ACTIVATIONS["relu"].saturating and ACTIVATIONS["relu"].flat_below_zero
    assert ACTIVATIONS["softplus"].range == sp.Interval.open(0, sp.oo)


@pytest.mark.parametrize("bad", ["sigmoid", "", None, 3])
def test_unknown_activation_is_a_value_error(bad):
    with pytest.raises(ValueError, match="activation must be one of"):
        get_activation(bad)
