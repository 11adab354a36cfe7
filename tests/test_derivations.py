"""Derivations as checked steps (theory.derivation), and the derived formula is the evaluated formula (issue 13).

Each derivation's final expression is compared with the numerical function the workbench evaluates, at random
points, with a tolerance stated next to each comparison.
"""

from __future__ import annotations

import mpmath
import numpy as np
import pytest
import sympy as sp

from theory import deep_linear, derivation, gaussian, generalization, log_det, mode_dynamics, three_neuron
from theory.binning_edges import equal_width_edges
from theory.derivation import DerivationBuilder, DerivationError
from theory.normal_cdf import Phi

DERIVATIONS = derivation.collect()
#: Float evaluation of a closed form against another float evaluation of the same closed form: a few ulps of
#: the terms (log1p, exp, determinants of well-conditioned 3x3 matrices).
EXACT_RTOL = 1e-10
#: The E_g/E_t quadrature (fixed 2048-node Gauss-Legendre rule) against mpmath's adaptive quadrature of the
#: derived integral: theory.marchenko_pastur documents an error below 1e-9 for t <= 1e4, |alpha - 1| >= 1e-3.
QUADRATURE_RTOL = 1e-8


def test_every_derivation_starts_with_a_definition_and_states_each_check():
    keys = [d.key for d in DERIVATIONS]
    assert len(keys) == len(set(keys)), "derivation keys must be unique"
    assert len(DERIVATIONS) >= 25
    for d in DERIVATIONS:
        assert len(d.steps) >= 2 and d.steps[0].check == "definition", d.key
        assert all(step.why and step.check for step in d.steps), d.key
        assert all(step.check.startswith("numeric: ") is False or len(step.check) > 20 for step in d.steps)


def test_a_wrong_step_is_refused():
    x = sp.Symbol("x", positive=True)
    builder = DerivationBuilder("demo", "demo", None, "here").define("f", sp.log(x**2), "definition")
    with pytest.raises(DerivationError, match="demo: step 2"):
        builder.step("f", 3 * sp.log(x), "wrong factor")
    with pytest.raises(DerivationError, match="symbolically or numerically"):
        builder.step("f", 2 * sp.log(x) + 1e-9, "wrong by 1e-9", numeric="a reason")
    with pytest.raises(DerivationError, match="custom"):
        builder.step("f", x, "custom", verify=(lambda a, b: False, "custom check"))
    ok = builder.step("f", 2 * sp.log(x), "right").build()
    assert ok.steps[-1].check == "symbolic"


def test_a_numeric_step_needs_and_states_its_reason():
    a = sp.Symbol("a", positive=True)
    lam = sp.Symbol("lambda", positive=True)
    integral = sp.Integral(sp.exp(-lam * a), (lam, 0, 1))
    builder = DerivationBuilder("demo", "demo", None, "here").define("g", integral, "definition")
    d = builder.step("g", (1 - sp.exp(-a)) / a, "integrate", numeric="demo reason").build()
    assert d.steps[-1].check in ("symbolic", "numeric: demo reason")


def test_unknown_derivation_names_the_known_ones():
    with pytest.raises(ValueError, match=r"known derivations: .*three_neuron\.information"):
        derivation.get_derivation("three_neuron.nope")
    with pytest.raises(TypeError, match="key"):
        derivation.get_derivation(3)


# ----------------------------------------------------------------------------------------- three-neuron
@pytest.mark.parametrize("activation", three_neuron.STRICTLY_INCREASING)
def test_bin_probability_derivation_is_what_bin_probabilities_evaluates(activation):
    result = three_neuron.bin_probability_derivation(activation).result
    b = sp.IndexedBase("b")
    i = sp.Symbol("i", integer=True, nonnegative=True)
    edges = (-sp.oo, sp.Rational(1, 5), sp.Rational(1, 2), sp.oo) if activation != "softplus" else None
    lo, hi = (sp.Rational(1, 5), sp.Rational(1, 2))
    exact = three_neuron.bin_probabilities(activation, [0.05, float(lo), float(hi), 0.9])[1]
    derived = result.xreplace({b[i]: lo, b[i + 1]: hi}).subs(sp.Symbol("w_1", positive=True), three_neuron.W)
    for w in (0.3, 1.0, 7.0):
        assert float(derived.subs(three_neuron.W, w)) == pytest.approx(float(exact.subs(three_neuron.W, w)), rel=1e-14)
    assert edges is None or len(edges) == 4


def test_relu_bin_zero_holds_the_point_mass():
    result = three_neuron.relu_bin_derivation().result
    delta, w1 = sp.Symbol("Delta", positive=True), sp.Symbol("w_1", positive=True)
    assert result == Phi(delta / w1)
    assert three_neuron.bin_probabilities("relu", [0, 1, 2])[0] == Phi(1 / three_neuron.W)


@pytest.mark.parametrize("activation", ["tanh", "relu", "softsign", "softplus"])
@pytest.mark.parametrize("layout", three_neuron.LIMIT_LAYOUTS)
def test_limit_derivations_with_the_papers_30_bins_match_the_limit_functions(activation, layout):
    edges = three_neuron._limit_layout(layout, 30)
    small = three_neuron.limit_derivation(activation, layout, "small", n_bins=30).result
    large = three_neuron.limit_derivation(activation, layout, "large", n_bins=30).result
    assert float(small) == three_neuron.small_weight_limit(activation, [float(e) for e in edges])
    assert float(large) == three_neuron.large_weight_limit(activation, [float(e) for e in edges])


def test_tanh_with_the_papers_bins_tends_to_one_bit_at_both_ends():
    assert three_neuron.limit_derivation("tanh", "equal", "small", n_bins=30).result == 1
    assert three_neuron.limit_derivation("tanh", "equal", "large", n_bins=30).result == 1
    assert three_neuron.small_weight_limit("tanh", equal_width_edges(30)) == 1.0


def test_relu_asymptote_derivation_is_the_asymptote_function():
    result = three_neuron.relu_asymptote_derivation().result
    delta = sp.Symbol("Delta", positive=True)
    value = sp.lambdify((three_neuron.W, delta), result)
    for w in (10.0, 1e3, 1e5):
        assert value(w, 2 / 29) == pytest.approx(three_neuron.relu_asymptote(w, 2 / 29), rel=EXACT_RTOL)


def test_information_derivation_ends_in_bits():
    result = three_neuron.information_derivation().result
    p = sp.IndexedBase("p")
    assert result.has(sp.Sum) and result.has(p)
    assert three_neuron.information_derivation().equation == "1-2"


# ------------------------------------------------------------------------------------------------ log det
def _random_layer(rng, n=2, m=3):
    W = rng.normal(size=(n, m))
    S = np.diag(rng.uniform(0.2, 2.0, m))
    return W, S


def _evaluate_matrix_formula(expr, values):
    """Evaluate a matrix-symbol formula at numeric matrices (explicit determinants, mpmath)."""
    sizes = {}
    for symbol, value in values.items():
        if isinstance(symbol, sp.MatrixSymbol):
            for dim, actual in zip(symbol.shape, np.shape(value), strict=True):
                if isinstance(dim, sp.Symbol):
                    sizes[dim] = actual
    out = expr.xreplace({k: sp.Matrix(v) if isinstance(k, sp.MatrixSymbol) else v for k, v in values.items()})
    out = out.subs(sizes)
    out = out.replace(lambda e: isinstance(e, sp.Identity), lambda e: sp.eye(int(e.shape[0])))
    out = out.replace(lambda e: isinstance(e, sp.Determinant), lambda e: sp.Matrix(e.arg.doit()).det())
    return float(sp.N(out.doit(), 30))


def test_log_det_information_is_what_theory_gaussian_evaluates():
    rng = np.random.default_rng(1)
    sym = log_det.SYMBOLS
    result = log_det.information_derivation().result
    for _ in range(3):
        W, S = _random_layer(rng)
        derived = _evaluate_matrix_formula(
            result, {sym["W"]: W, sym["Sigma_x"]: S, sp.Symbol("sigma", positive=True): 0.8}
        )
        assert derived == pytest.approx(float(gaussian.mutual_information(W, S, 0.64)), rel=EXACT_RTOL)


def test_log_det_label_and_subspace_information_are_what_theory_gaussian_evaluates():
    rng = np.random.default_rng(2)
    sym = log_det.SYMBOLS
    W, S = _random_layer(rng)
    Wo = rng.normal(size=(1, 3))
    values = {
        sym["W"]: W,
        sym["Sigma_x"]: S,
        sym["W_o"]: Wo,
        sp.Symbol("sigma", positive=True): 1.0,
        sp.Symbol("sigma_o", positive=True): 0.5,
    }
    derived = _evaluate_matrix_formula(log_det.label_information_derivation().result, values)
    assert derived == pytest.approx(float(gaussian.label_mutual_information(W, Wo, S, 0.25, 1.0)), rel=EXACT_RTOL)
    split = {
        sym["W_rel"]: W[:, :2],
        sym["W_irr"]: W[:, 2:],
        sym["Sigma_rel"]: S[:2, :2],
        sym["Sigma_irr"]: S[2:, 2:],
        sp.Symbol("sigma", positive=True): 1.0,
    }
    derived = _evaluate_matrix_formula(log_det.subspace_information_derivation().result, split)
    assert derived == pytest.approx(float(gaussian.subspace_mutual_information(W, S, 1.0, [0, 1])), rel=EXACT_RTOL)


# -------------------------------------------------------------------------------------------- generalization
def _quad(expr, values):
    f = expr.xreplace(values)
    with mpmath.workdps(30):
        return float(sp.N(f, 30))


@pytest.mark.parametrize(("alpha", "t"), [(0.5, 0.7), (2.0, 3.0), (3.3, 20.0)])
def test_generalization_and_training_error_derivations_are_the_evaluated_curves(alpha, t):
    S = generalization.DERIVATION_SYMBOLS
    sw2, se2, s02 = 0.8, 0.5, 0.1
    values = {
        S["alpha"]: sp.Float(alpha, 30),
        S["t"]: sp.Float(t, 30),
        S["tau"]: 1,
        S["sigma_w"]: sp.sqrt(sp.Float(sw2, 30)),
        S["sigma_epsilon"]: sp.sqrt(sp.Float(se2, 30)),
        S["sigma_0"]: sp.sqrt(sp.Float(s02, 30)),
    }
    E_g = _quad(generalization.generalization_derivation().result, values)
    E_t = _quad(generalization.training_error_derivation().result, values)
    assert E_g == pytest.approx(
        float(generalization.generalization_error(t, alpha, sw2, se2, s02)), rel=QUADRATURE_RTOL
    )
    assert E_t == pytest.approx(float(generalization.training_error(t, alpha, sw2, se2, s02)), rel=QUADRATURE_RTOL)


def test_asymptotic_generalization_derivation_is_the_evaluated_value():
    result = generalization.asymptotic_generalization_derivation().result
    for alpha in (1.5, 4.0):
        value = float(
            result.subs({sp.Symbol("alpha", positive=True): alpha, sp.Symbol("sigma_epsilon", positive=True): 0.7})
        )
        assert value == pytest.approx(generalization.asymptotic_generalization_error(alpha, 1.0, 0.49), rel=EXACT_RTOL)


# -------------------------------------------------------------------------------------------- mode dynamics
def test_smg14_derivations_are_the_evaluated_mode_functions():
    d = mode_dynamics.balanced_derivation()
    u_t = next(step.expr for step in d.steps if step.lhs == "u(t)")
    S = mode_dynamics.SYMBOLS
    u = sp.lambdify((S["t"], S["s"], S["u_0"], S["tau"]), u_t)
    times = np.array([0.0, 0.5, 3.0])
    np.testing.assert_allclose(
        u(times, 2.0, 1e-3, 1.0), mode_dynamics.balanced_mode_strength(times, 2.0, 1e-3), rtol=EXACT_RTOL
    )
    t_f = float(d.result.subs({S["s"]: 2.0, S["u_0"]: 1e-3, S["u_f"]: 1.9, S["tau"]: 1}))
    assert t_f == pytest.approx(mode_dynamics.balanced_learning_time(2.0, 1e-3, 1.9), rel=EXACT_RTOL)
    deep = float(
        mode_dynamics.depth_derivation().result.subs(
            {S["s"]: 1.0, S["u_0"]: 0.01, S["u_f"]: 0.99, S["tau"]: 1, S["N_l"]: 8}
        )
    )
    assert deep == pytest.approx(mode_dynamics.infinite_depth_learning_time(1.0, 0.01, 0.99, 8), rel=EXACT_RTOL)


# ----------------------------------------------------------------------------------------- information planes
def test_aligned_information_derivation_is_what_aligned_information_plane_sums():
    per_mode = deep_linear.aligned_information_derivation().result
    S = mode_dynamics.SYMBOLS
    v, sigma = sp.Symbol("v", positive=True), sp.Symbol("sigma", positive=True)
    f = sp.lambdify((S["t"], S["s"], S["u_0"], S["tau"], v, sigma), per_mode)
    times = np.array([0.0, 1.0, 5.0, 40.0])
    s_values = np.array([3.0, 1.0])
    plane = deep_linear.aligned_information_plane(times, s_values, 1e-3, input_variance=0.5, noise_variance=0.25)
    derived = sum(f(times, s, 1e-3, 1.0, 0.5, 0.5) for s in s_values)
    np.testing.assert_allclose(plane["I_XT"][:, 0], derived, rtol=EXACT_RTOL)


def test_single_layer_information_derivation_is_what_single_layer_information_plane_evaluates():
    result = deep_linear.single_layer_information_derivation().result
    sym = {s.name: s for s in result.free_symbols}
    t = np.array([0.0, 0.5, 4.0])
    alpha, sw2, se2 = 2.0, 1.0, 0.5
    plane = deep_linear.single_layer_information_plane(t, alpha, sw2, se2)
    decay = generalization.mode_decay(alpha)
    m = generalization.mp_expectation(lambda lam: decay(lam, t.reshape(-1, 1)), alpha)
    f = sp.lambdify((sym["m_t"], sym["E_g_t"], sym["sigma_w"], sym["sigma_epsilon"], sym["sigma"]), result)
    np.testing.assert_allclose(f(m, plane["E_g"], 1.0, np.sqrt(se2), 1.0), plane["I_XT"], rtol=EXACT_RTOL, atol=1e-12)


def _teacher(rng, N, P, sigma_o2=0.5):
    X = rng.normal(0, 1 / np.sqrt(N), size=(P, N))
    w_bar = rng.normal(0, 1, size=N)
    y = X @ w_bar + rng.normal(0, np.sqrt(sigma_o2), size=P)
    return X, y, w_bar


def test_student_information_plane_matches_gradient_descent_step_by_step():
    """The exact trajectory against plain full-batch GD in NumPy (the simulation's update rule), to 1e-9."""
    rng = np.random.default_rng(3)
    N, P, lr, steps = 20, 30, 0.3, 200
    X, y, w_bar = _teacher(rng, N, P)
    w = rng.normal(0, 0.1, size=N)
    w0 = w.copy()
    eta = lr / P  # one step of the batch-mean loss = eta of gradient-flow time on the summed loss
    record = {}
    for k in range(steps + 1):
        if k in (0, 10, 200):
            record[k] = w.copy()
        w = w + eta * X.T @ (y - X @ w)
    plane = deep_linear.student_information_plane(np.array([0, 10, 200]) * eta, X, y, w_bar, w0, 0.5, step=eta)
    for j, k in enumerate((0, 10, 200)):
        np.testing.assert_allclose(plane["w"][j], record[k], rtol=1e-9, atol=1e-12)
        norm2 = record[k] @ record[k] / N
        assert plane["I_XT"][j] == pytest.approx(0.5 * np.log2(1 + norm2), rel=1e-9)


def test_student_information_plane_tends_to_the_large_n_curve():
    """Mean over 8 seeds at N = 200 against the large-N limit: within 4 SE plus a finite-size bias term 5/N.

    At finite N the information is a nonlinear function (log) of ‖w‖²/N, whose fluctuations are O(1/√N) per
    seed (the seed SE covers them) and whose mean differs from the limit by O(1/N): 5/N bounds it (measured with
    16 seeds at N = 100, 200, 400, 800, alpha = 2: |mean - limit| <= 3.5/N, within 1-2 seed SE at every N).
    """
    rng = np.random.default_rng(4)
    N, alpha = 200, 2.0
    t = np.array([0.0, 0.5, 2.0, 10.0])
    runs = []
    for _ in range(8):
        X, y, w_bar = _teacher(rng, N, int(alpha * N), sigma_o2=0.5)
        runs.append(deep_linear.student_information_plane(t, X, y, w_bar, np.zeros(N), 0.5)["I_XT"])
    runs = np.array(runs)
    limit = deep_linear.single_layer_information_plane(t, alpha, 1.0, 0.5)["I_XT"]
    se = runs.std(axis=0, ddof=1) / np.sqrt(len(runs))
    assert np.all(np.abs(runs.mean(axis=0) - limit) <= 4 * se + 5.0 / N)


def test_student_information_plane_refuses_bad_input():
    X = np.ones((4, 3))
    with pytest.raises(ValueError, match="Y must have shape"):
        deep_linear.student_information_plane([0.0], X, np.ones(5), np.ones(3), np.zeros(3), 0.1)
    with pytest.raises(TypeError, match="X"):
        deep_linear.student_information_plane([0.0], "X", np.ones(4), np.ones(3), np.zeros(3), 0.1)
    with pytest.raises(ValueError, match="step"):
        deep_linear.student_information_plane([1.0], X, np.ones(4), np.ones(3), np.zeros(3), 0.1, step=10.0)
    with pytest.raises(ValueError, match="t must be"):
        deep_linear.student_information_plane([-1.0], X, np.ones(4), np.ones(3), np.zeros(3), 0.1)


def test_single_layer_label_information_derivation_is_what_single_layer_information_plane_evaluates():
    result = deep_linear.single_layer_label_information_derivation().result
    sym = {s.name: s for s in result.free_symbols}
    t = np.array([0.1, 0.5, 4.0])
    alpha, sw2, se2 = 2.0, 1.0, 0.5
    plane = deep_linear.single_layer_information_plane(t, alpha, sw2, se2)
    decay = generalization.mode_decay(alpha)
    m = generalization.mp_expectation(lambda lam: decay(lam, t.reshape(-1, 1)), alpha)
    f = sp.lambdify((sym["m_t"], sym["norm2_w"], sym["sigma_w"], sym["sigma_epsilon"], sym["sigma"]), result)
    np.testing.assert_allclose(f(m, plane["norm2"], 1.0, np.sqrt(se2), 1.0), plane["I_TY"], rtol=EXACT_RTOL)


def test_aligned_information_plane_matches_gradient_descent_to_first_order_in_the_step():
    """GD on the whitened task vs the gradient-flow closed form: the gap is the Euler error, O(lr).

    Halving the learning rate must halve the largest gap (ratio 0.5 ± 0.05; measured 0.49-0.51 for both layers),
    and the gap at lr = 0.005 stays below 1.5 lr s_max bits (measured 1.32 lr s_max for the output layer).
    """
    from simulate.linear_modes import train_aligned_modes, whitened_task

    s_modes, u0 = (3.0, 2.0, 1.0), 1e-3
    X, Y, U, V = whitened_task(s_modes, 8, 32, np.random.default_rng(0))
    gaps = []
    for lr in (0.01, 0.005):
        steps = np.unique(np.geomspace(1, 10 / lr, 40).astype(int))
        start = np.full((2, 3), np.sqrt(u0))
        modes = train_aligned_modes(
            X, Y, U, V, start, hidden=8, learning_rate=lr, logged_epochs=steps, rng=np.random.default_rng(1)
        )
        plane = deep_linear.aligned_information_plane(modes.time, s_modes, u0)
        hidden = np.sum(0.5 * np.log2(1 + modes.strengths[:, 0] ** 2), axis=-1)
        output = np.sum(0.5 * np.log2(1 + modes.product**2), axis=-1)
        gaps.append([np.max(np.abs(hidden - plane["I_XT"][:, 0])), np.max(np.abs(output - plane["I_XT"][:, 1]))])
    gaps = np.array(gaps)
    np.testing.assert_allclose(gaps[1] / gaps[0], 0.5, atol=0.05)
    assert np.all(gaps[1] < 0.005 * 3.0 * 1.5)
