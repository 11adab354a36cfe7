"""Advani–Saxe generalization dynamics and the single-layer information plane (docs/formulas.md#s3-7).

Reference values (docs/formulas.md#s3-7 table), Marchenko–Pastur identities, limits t = 0 and t → ∞, the quadrature
against adaptive integration, monotonicity as property tests, a simulation cross-check of the information-plane
trajectory, and bad input.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate

from simulate.data.teacher import stack_teacher_data, teacher_student_data
from simulate.deep_linear import train_linear_student
from theory import generalization as g
from theory.deep_linear import single_layer_information_plane
from theory.latex import round_trip

#: The fixed φ-substitution Gauss–Legendre rule agrees with adaptive quadrature to this (absolute, y² units).
QUADRATURE_ATOL = 1e-8
#: docs/formulas.md#s3-7 table gives E_g, E_t to 3 decimals.
TABLE_ATOL = 6e-4
#: Simulated information plane (N = 300, 6 seeds) vs large-N theory: finite-size spread of ‖w‖²/N is ~√(2/N)
#: ≈ 8 %, i.e. ~0.02 bits at these values; 0.03 bits covers it with margin.
INFOPLANE_ATOL = 0.03


def _adaptive_bulk(f, alpha):
    lo, hi = (1 - np.sqrt(alpha)) ** 2, (1 + np.sqrt(alpha)) ** 2
    value, _ = integrate.quad(
        lambda lam: g.marchenko_pastur_density(lam, alpha) * f(lam), lo, hi, limit=400, epsabs=1e-13, epsrel=1e-12
    )
    return value


@pytest.mark.parametrize(
    ("alpha", "time", "E_g", "E_t"), [(0.5, 10, 2.320, 0.008), (1.0, 50, 5.243, 0.057), (2.0, 50, 2.000, 0.500)]
)
def test_spec_reference_table(alpha, time, E_g, E_t):
    assert float(g.generalization_error(time, alpha, 1.0, 1.0)) == pytest.approx(E_g, abs=TABLE_ATOL)
    assert float(g.training_error(time, alpha, 1.0, 1.0)) == pytest.approx(E_t, abs=TABLE_ATOL)


@pytest.mark.parametrize("alpha", [0.3, 0.5, 0.999, 1.0, 1.5, 4.0])
def test_marchenko_pastur_identities(alpha):
    assert float(g.mp_expectation(np.ones_like, alpha)) == pytest.approx(min(alpha, 1.0), abs=1e-10)
    assert float(g.mp_expectation(lambda lam: lam, alpha)) == pytest.approx(alpha, abs=1e-10)
    if alpha != 1.0 and abs(alpha - 1) > 0.01:
        assert float(g.mp_expectation(lambda lam: 1 / lam, alpha)) == pytest.approx(
            g.inverse_eigenvalue_mean(alpha), rel=1e-8
        )


@pytest.mark.parametrize("alpha", [0.5, 1.0, 2.0])
@pytest.mark.parametrize("time", [0.01, 1.0, 100.0])
def test_quadrature_matches_adaptive_integration(alpha, time):
    f = lambda lam: 2 * np.exp(-2 * lam * time) + (1 - np.exp(-lam * time)) ** 2 / lam  # noqa: E731
    reference = _adaptive_bulk(f, alpha) + max(1 - alpha, 0) * 2 + 1.0
    assert float(g.generalization_error(time, alpha, 1.0, 1.0, sigma_02=1.0)) == pytest.approx(
        reference, abs=QUADRATURE_ATOL
    )


def test_initial_values():
    for alpha in (0.5, 1.0, 3.0):
        assert float(g.generalization_error(0.0, alpha, 1.5, 0.5, 0.25)) == pytest.approx(2.25, abs=1e-10)
        assert float(g.training_error(0.0, alpha, 1.5, 0.5, 0.25)) == pytest.approx(2.25, abs=1e-10)


@pytest.mark.parametrize("alpha", [0.5, 2.0])
def test_long_time_limits(alpha):
    assert float(g.generalization_error(1e6, alpha, 1.0, 0.5)) == pytest.approx(
        g.asymptotic_generalization_error(alpha, 1.0, 0.5), rel=1e-6
    )
    assert float(g.training_error(1e6, alpha, 1.0, 0.5)) == pytest.approx(
        g.asymptotic_training_error(alpha, 0.5), abs=1e-9
    )


def test_divergence_at_alpha_one():
    assert g.asymptotic_generalization_error(1.0, 1.0, 1.0) == np.inf
    late = g.generalization_error(np.array([1e2, 1e3, 1e4]), 1.0, 1.0, 1.0)
    assert np.all(np.diff(late) > 0) and late[-1] > 30
    # without label noise nothing diverges
    assert g.asymptotic_generalization_error(1.0, 1.0, 0.0) == 0.0


@settings(max_examples=20, deadline=None)
@given(alpha=st.floats(0.2, 5.0), sigma_w2=st.floats(0.1, 3.0), sigma_eps2=st.floats(0.0, 3.0))
def test_training_error_decreases_and_stays_between_its_limits(alpha, sigma_w2, sigma_eps2):
    times = np.logspace(-2, 3, 40)
    E_t = g.training_error(times, alpha, sigma_w2, sigma_eps2)
    assert np.all(np.diff(E_t) <= 1e-12)
    assert E_t[-1] >= g.asymptotic_training_error(alpha, sigma_eps2) - 1e-9


def test_discrete_step_converges_to_gradient_flow():
    times = np.array([0.5, 2.0, 8.0])
    flow = g.generalization_error(times, 2.0, 1.0, 1.0)
    gaps = [np.max(np.abs(g.generalization_error(times, 2.0, 1.0, 1.0, step=h) - flow)) for h in (0.1, 0.01, 0.001)]
    assert gaps[0] > gaps[1] > gaps[2] and gaps[2] < 1e-3


def test_optimal_stopping_time_grows_with_snr():
    times = [g.optimal_stopping_time(1.0, sigma_w2, 1.0)[0] for sigma_w2 in (0.5, 1.0, 4.0, 16.0)]
    assert np.all(np.diff(times) > 0)
    t_star, E_min = g.optimal_stopping_time(1.0, 1.0, 1.0)
    assert E_min < float(g.generalization_error(0.5 * t_star, 1.0, 1.0, 1.0))
    assert E_min < float(g.generalization_error(2.0 * t_star, 1.0, 1.0, 1.0))


def test_formulas_round_trip():
    assert all(round_trip(f) for f in g.formulas())


def test_single_layer_information_plane_matches_simulation():
    N, P, seeds = 300, 600, range(6)
    streams = [np.random.SeedSequence([s, 7]).spawn(2) for s in seeds]
    data = stack_teacher_data([teacher_student_data(N, P, np.random.default_rng(a)) for a, _ in streams])
    step = 0.05
    run = train_linear_student(
        data,
        (),
        learning_rate=step * P,
        epochs=60,
        batch_size=None,
        init_scale=0.0,
        rngs=[np.random.default_rng(b) for _, b in streams],
        logged_epochs=(0, 5, 20, 60),
    )
    theory = single_layer_information_plane(run.time, 2.0, 1.0, 1.0)
    np.testing.assert_allclose(run.I_XT[:, :, 0].mean(0), theory["I_XT"], atol=INFOPLANE_ATOL)
    np.testing.assert_allclose(run.I_TY[:, :, 0].mean(0), theory["I_TY"], atol=INFOPLANE_ATOL)
    assert theory["I_XT"][0] == 0.0


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: g.generalization_error(1.0, 0.0, 1.0, 1.0), "alpha"),
        (lambda: g.generalization_error(1.0, 1.0, -1.0, 1.0), "sigma_w2"),
        (lambda: g.training_error(1.0, 1.0, 1.0, -0.1), "sigma_eps2"),
        (lambda: g.training_error(-1.0, 1.0, 1.0, 1.0), "t must"),
        (lambda: g.generalization_error(1.0, 1.0, 1.0, 1.0, tau=0.0), "tau"),
        (lambda: g.generalization_error(1.0, 2.0, 1.0, 1.0, step=0.5), "step"),
        (lambda: g.marchenko_pastur_density(np.array([-1.0]), 1.0), "lam"),
        (lambda: g.generalization_error(np.nan, 1.0, 1.0, 1.0), "t must"),
    ],
)
def test_bad_input_raises_a_named_value_error(call, message):
    with pytest.raises(ValueError, match=message):
        call()


# --------------------------------------------------------------------------- bad input and huge variances (#14)
def test_huge_variances_give_finite_values_or_a_named_error():
    from theory.generalization import asymptotic_generalization_error, generalization_error, training_error

    values = generalization_error([0.0, 1.0, 10.0], 2.0, 1e308, 1.0)
    assert np.all(np.isfinite(values)) and values[0] == pytest.approx(1e308)
    assert np.all(np.isfinite(training_error([0.0, 1.0], 2.0, 1e308, 1e307)))
    assert asymptotic_generalization_error(2.0, 1e308, 5e307) == pytest.approx(1e308)
    with pytest.raises(ValueError, match="exceeds the float64 range"):
        generalization_error([10.0], 2.0, 1.0, 1e308)  # E_g(∞) = 2σ_ε² > the largest float


@pytest.mark.parametrize("bad", ["2.0", 2.0j, True, None])
def test_non_numbers_are_refused_with_type_error(bad):
    from theory.generalization import generalization_error, optimal_stopping_time
    from theory.marchenko_pastur import marchenko_pastur_density, mp_expectation

    with pytest.raises(TypeError, match="alpha"):
        generalization_error(1.0, bad, 1.0, 1.0)
    with pytest.raises(TypeError, match="tau"):
        optimal_stopping_time(2.0, 1.0, 1.0, tau=bad)
    with pytest.raises(TypeError, match="alpha"):
        marchenko_pastur_density([1.0], bad)
    with pytest.raises(TypeError, match="f must be"):
        mp_expectation("lam", 2.0)
    with pytest.raises(TypeError, match="t must"):
        generalization_error("1.0", 2.0, 1.0, 1.0)
