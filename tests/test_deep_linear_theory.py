"""Theory witness of the deep linear family: SMG14 closed forms solve their ODEs (symbolically), limits, inputs.

Kinds of test (docs/design.md#tests): exact symbolic identities (each closed form substituted into its ODE simplifies to
0), invariants (a² − b² conserved, N_l = 3 reduces to the balanced case), numeric cross-checks against a generic
ODE integrator, LaTeX round trips, and bad input.
"""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.integrate import solve_ivp

from theory import deep_linear, mode_dynamics
from theory.latex import round_trip
from theory.mode_dynamics import SYMBOLS

#: A generic RK45 integration at rtol 1e-10 agrees with the closed forms to this (relative).
ODE_RTOL = 1e-7
#: Closed forms evaluated by two routes (e.g. N_l = 3 vs the two-layer formula) agree to rounding.
EXACT_RTOL = 1e-9

t, tau, s, u, u0, uf, c, N, lam, q = (
    SYMBOLS[k] for k in ("t", "tau", "s", "u", "u_0", "u_f", "c", "N_l", "lambda", "s_tilde")
)


# ------------------------------------------------------------------------------------------ symbolic identities
def test_balanced_solution_solves_its_ode_symbolically():
    sol = mode_dynamics.balanced_solution()
    assert sp.simplify(tau * sp.diff(sol, t) - 2 * sol * (s - sol)) == 0
    assert sp.simplify(sol.subs(t, 0) - u0) == 0


def test_learning_time_is_the_inverse_of_the_balanced_ode():
    time = mode_dynamics.balanced_time_expr()
    assert sp.simplify(sp.diff(time, uf) - tau / (2 * uf * (s - uf))) == 0
    assert sp.simplify(time.subs(uf, u0)) == 0


def test_unbalanced_time_integrates_the_unbalanced_ode():
    F = mode_dynamics.unbalanced_time_expr()
    assert sp.simplify(sp.radsimp(sp.together(sp.diff(F, u) - 1 / (sp.sqrt(c**2 + 4 * u**2) * (s - u))))) == 0


def test_unbalanced_time_reduces_to_balanced_at_c_zero():
    F = mode_dynamics.unbalanced_time_expr().subs(c, 0)
    balanced = mode_dynamics.balanced_time_expr().subs(tau, 1)
    assert sp.simplify(sp.expand_log(F.subs(u, uf) - F.subs(u, u0) - balanced, force=True)) == 0


def test_depth_ode_follows_from_the_balanced_chain_rule():
    # u = a^(N−1) with τ ȧ = a^(N−2) (s − u): τ u̇ = (N−1) a^(N−2) τ ȧ
    a = sp.Symbol("a", positive=True)
    chain = (N - 1) * a ** (N - 2) * a ** (N - 2) * (s - a ** (N - 1))
    rhs = mode_dynamics.deep_ode_rhs().subs(u, a ** (N - 1))
    assert sp.simplify(sp.powsimp(chain - rhs, force=True)) == 0
    assert sp.simplify(mode_dynamics.deep_ode_rhs().subs(N, 3) - 2 * u * (s - u)) == 0


def test_infinite_depth_time_integrates_the_limit_ode():
    time = mode_dynamics.infinite_depth_time_expr()
    assert sp.simplify(sp.diff(time, uf) - tau / (N * uf**2 * (s - uf))) == 0
    assert sp.simplify(time.subs(uf, u0)) == 0


def test_nonwhite_solution_solves_its_ode_symbolically():
    sol = mode_dynamics.nonwhite_solution()
    assert sp.simplify(tau * sp.diff(sol, t) - 2 * sol * (q - lam * sol)) == 0
    assert sp.simplify(sol.subs(t, 0) - u0) == 0
    assert sp.simplify(sol.subs(lam, 1) - mode_dynamics.balanced_solution().subs(s, q)) == 0


def test_every_exported_formula_round_trips():
    forms = deep_linear.formulas()
    assert {f.key for f in forms} >= {"deep_linear.balanced_mode", "deep_linear.infinite_depth_time"}
    assert all(round_trip(f) for f in forms)


# ------------------------------------------------------------------------------------------------- numerics
def _integrate(rhs, y0, times):
    sol = solve_ivp(rhs, (0, times[-1]), y0, t_eval=times, rtol=1e-10, atol=1e-13, method="DOP853")
    return sol.y


@pytest.mark.parametrize(("s_value", "u0_value", "tau_value"), [(1.0, 1e-3, 1.0), (3.0, 0.1, 2.0), (0.5, 1e-4, 0.5)])
def test_balanced_strength_matches_an_ode_integrator(s_value, u0_value, tau_value):
    times = np.linspace(0, 20 * tau_value / s_value, 50)
    (ref,) = _integrate(lambda _t, y: 2 * y * (s_value - y) / tau_value, [u0_value], times)
    got = mode_dynamics.balanced_mode_strength(times, s_value, u0_value, tau_value)
    np.testing.assert_allclose(got, ref, rtol=ODE_RTOL)


def test_learning_time_reaches_the_target_strength():
    time = mode_dynamics.balanced_learning_time(2.0, 1e-3, 1.9)
    assert mode_dynamics.balanced_mode_strength(time, 2.0, 1e-3) == pytest.approx(1.9, rel=EXACT_RTOL)
    # stronger modes are learned first (C42): learning time ~ 1/s
    assert mode_dynamics.balanced_learning_time(4.0, 1e-3, 3.8) < time


@settings(max_examples=25, deadline=None)
@given(a0=st.floats(0.01, 1.0), b0=st.floats(0.01, 1.0), s_value=st.floats(1.5, 4.0), time=st.floats(0.0, 10.0))
def test_unbalanced_flow_conserves_a2_minus_b2(a0, b0, s_value, time):
    a, b = mode_dynamics.unbalanced_mode_weights(np.array([time]), s_value, a0, b0)
    assert a[0] ** 2 - b[0] ** 2 == pytest.approx(a0**2 - b0**2, abs=1e-12)
    assert 0 < a[0] * b[0] <= s_value * (1 + 1e-12)


def test_unbalanced_flow_matches_an_ode_integrator():
    times = np.linspace(0, 6, 40)
    ref = _integrate(lambda _t, y: [y[1] * (2 - y[0] * y[1]), y[0] * (2 - y[0] * y[1])], [0.3, 0.02], times)
    a, b = mode_dynamics.unbalanced_mode_weights(times, 2.0, 0.3, 0.02)
    np.testing.assert_allclose(a, ref[0], rtol=ODE_RTOL)
    np.testing.assert_allclose(b, ref[1], rtol=ODE_RTOL)


def test_unbalanced_flow_with_equal_layers_is_balanced():
    times = np.linspace(0, 5, 30)
    a, b = mode_dynamics.unbalanced_mode_weights(times, 1.5, 0.05, 0.05)
    np.testing.assert_allclose(a * b, mode_dynamics.balanced_mode_strength(times, 1.5, 0.0025), rtol=EXACT_RTOL)


def test_depth_three_reduces_to_the_two_layer_closed_forms():
    times = np.linspace(0, 8, 30)
    np.testing.assert_allclose(
        mode_dynamics.deep_mode_strength(times, 1.2, 1e-3, 3),
        mode_dynamics.balanced_mode_strength(times, 1.2, 1e-3),
        rtol=1e-8,
    )
    assert mode_dynamics.deep_learning_time(1.2, 1e-3, 1.1, 3) == pytest.approx(
        mode_dynamics.balanced_learning_time(1.2, 1e-3, 1.1), rel=1e-9
    )


def test_deep_time_approaches_the_infinite_depth_formula():
    gaps = [
        abs(
            1
            - mode_dynamics.deep_learning_time(1.0, 0.01, 0.99, n)
            / mode_dynamics.infinite_depth_learning_time(1.0, 0.01, 0.99, n)
        )
        for n in (10, 100, 1000)
    ]
    assert gaps[0] > gaps[1] > gaps[2]
    assert gaps[2] < 0.01


def test_deep_strength_reaches_learning_time_consistently():
    time = mode_dynamics.deep_learning_time(1.0, 0.01, 0.5, 5)
    assert mode_dynamics.deep_mode_strength(np.array([time]), 1.0, 0.01, 5)[0] == pytest.approx(0.5, rel=1e-7)


def test_nonwhite_mode_tends_to_least_squares_value():
    assert mode_dynamics.nonwhite_mode_strength(200.0, 2.0, 4.0, 1e-3) == pytest.approx(0.5)


# ------------------------------------------------------------------------------------- information planes
def test_aligned_information_plane_is_monotone_and_bounded():
    times = np.linspace(0, 10, 60)
    plane = deep_linear.aligned_information_plane(times, [2.0, 1.0], 1e-3, output_noise_variance=1.0)
    assert np.all(np.diff(plane["I_XT"], axis=0) >= -1e-12)  # no compression in a linear network
    # I(T;Y) ≤ I(Y;X) of the teacher modes
    ceiling = sum(0.5 * np.log2(1 + si**2 / 1.0) for si in (2.0, 1.0))
    assert np.all(plane["I_TY"] <= ceiling + 1e-12)
    assert plane["I_XT"][0, 0] == pytest.approx(2 * 0.5 * np.log2(1 + 1e-3), rel=1e-9)


def test_reparametrisation_keeps_the_map_and_changes_information():
    cs = np.array([0.5, 1.0, 2.0])
    values = deep_linear.reparametrisation_information(1.0, cs)
    assert np.all(np.diff(values) < 0)
    assert values[1] == pytest.approx(0.5)


# ------------------------------------------------------------------------------------------------ bad input
@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: mode_dynamics.balanced_mode_strength(1.0, s=0.0, u0=0.1), "s must"),
        (lambda: mode_dynamics.balanced_mode_strength(-1.0, s=1.0, u0=0.1), "t must"),
        (lambda: mode_dynamics.balanced_learning_time(1.0, 0.1, 1.0), "uf must"),
        (lambda: mode_dynamics.balanced_learning_time(1.0, 0.0, 0.5), "u0 must"),
        (lambda: mode_dynamics.unbalanced_mode_weights(1.0, 1.0, 2.0, 1.0), "a0\\*b0 must"),
        (lambda: mode_dynamics.deep_mode_strength(1.0, 1.0, 0.1, 2), "n_layers"),
        (lambda: mode_dynamics.nonwhite_mode_strength(1.0, 1.0, -1.0, 0.1), "lam must"),
        (lambda: mode_dynamics.balanced_mode_strength(1.0, 1.0, 0.1, tau=0.0), "tau must"),
        (lambda: deep_linear.aligned_information_plane(1.0, [1.0], 0.1, noise_variance=0.0), "noise_variance"),
        (lambda: deep_linear.reparametrisation_information(1.0, np.array([0.0])), "c must"),
    ],
)
def test_bad_input_raises_a_named_value_error(call, message):
    with pytest.raises(ValueError, match=message):
        call()


# --------------------------------------------------------------------------- bad input refused, by kind (#14)
def test_mode_functions_refuse_strings_complex_and_booleans():
    with pytest.raises(TypeError, match="s must"):
        mode_dynamics.balanced_mode_strength(1.0, s="2", u0=0.1)
    with pytest.raises(TypeError, match="t must"):
        mode_dynamics.balanced_mode_strength(["1"], s=2.0, u0=0.1)
    with pytest.raises(TypeError, match="u0 must"):
        mode_dynamics.balanced_learning_time(1.0, 0.1j, 0.5)
    with pytest.raises(ValueError, match="n_layers"):
        mode_dynamics.deep_learning_time(1.0, 0.1, 0.5, True)
    with pytest.raises(ValueError, match="n_layers"):
        mode_dynamics.deep_learning_time(1.0, 0.1, 0.5, 4.5)
    with pytest.raises(TypeError, match="singular_values"):
        deep_linear.aligned_information_plane([1.0], "1 2", 0.1)
    with pytest.raises(TypeError, match="noise_variance"):
        deep_linear.single_layer_information_plane([1.0], 2.0, 1.0, 1.0, noise_variance="1")
    with pytest.raises(ValueError, match="overflows"):
        deep_linear.reparametrisation_information(1e300, np.array([1e-300]))
