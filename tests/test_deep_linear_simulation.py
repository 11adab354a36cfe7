"""Simulation witness of the deep linear family: teacher data, the batched linear student, SMG14 task.

Unit tests of the NumPy code (gradients against finite differences, exact E_g against Monte Carlo, seed
batching, divergence detection, bad input), and cross-validation of simulated GD against the closed forms of
:mod:`theory.deep_linear` on small sizes.
"""

from __future__ import annotations

import numpy as np
import pytest

from simulate.data.teacher import stack_teacher_data, teacher_student_data
from simulate.deep_linear import train_linear_student
from simulate.linear_modes import train_aligned_modes, whitened_task
from simulate.linear_student import TrainingDivergedError, gradients, init_weights
from simulate.mi.gaussian import mutual_information
from theory.deep_linear import aligned_information_plane

#: Central finite differences with h = 1e-6 on O(1) losses: error O(h²) + rounding 1e-10/h ≈ 1e-6 relative.
FD_RTOL = 1e-5
#: Monte-Carlo MSE on 10⁵ fresh examples vs the exact trace form: 4 standard errors.
MC_N_STDERR = 4.0
#: Discrete GD (η = 0.002) vs gradient flow for the aligned information plane: O(η s) ≈ 0.5 % of the values.
GD_FLOW_ATOL = 5e-3


def _data(seeds=(0, 1, 2), n_inputs=10, P=30, **kw):
    return stack_teacher_data([teacher_student_data(n_inputs, P, np.random.default_rng(s), **kw) for s in seeds])


def test_teacher_shapes_and_parameters():
    d = teacher_student_data(30, 200, np.random.default_rng(0), n_irrelevant=70, snr=4.0, sigma_w2=2.0)
    assert d.X.shape == (200, 100) and d.Y.shape == (200, 1) and d.W_o.shape == (1, 100)
    assert np.all(d.W_o[:, 30:] == 0) and d.relevant.sum() == 30
    assert d.sigma_o2 == 0.5
    np.testing.assert_allclose(d.Sigma_x, np.eye(100) / 100)
    again = teacher_student_data(30, 200, np.random.default_rng(0), n_irrelevant=70, snr=4.0, sigma_w2=2.0)
    np.testing.assert_array_equal(d.X, again.X)  # same seed, same data


def test_exact_generalization_error_matches_monte_carlo():
    d = teacher_student_data(20, 50, np.random.default_rng(1))
    W = np.random.default_rng(2).normal(size=(1, 20))
    rng = np.random.default_rng(3)
    X = rng.normal(0, 1 / np.sqrt(20), size=(100_000, 20))
    Y = X @ d.W_o.T + rng.normal(0, np.sqrt(d.sigma_o2), size=(100_000, 1))
    sq = np.sum((Y - X @ W.T) ** 2, axis=1)
    assert abs(sq.mean() - d.generalization_error(W)) < MC_N_STDERR * sq.std() / np.sqrt(sq.size)


def test_gradients_match_finite_differences():
    data = _data(seeds=(0,))
    weights = init_weights((10, 5, 3, 1), [np.random.default_rng(0)], 0.8)
    grads = gradients(weights, data.X, data.Y)

    def loss(ws):
        out = data.X
        for W in ws:
            out = out @ np.swapaxes(W, -1, -2)
        return 0.5 * np.mean(np.sum((out - data.Y) ** 2, axis=-1))

    h = 1e-6
    for l, W in enumerate(weights):
        for idx in [(0, 0, 0), (0, W.shape[1] - 1, W.shape[2] - 1)]:
            plus = [w.copy() for w in weights]
            minus = [w.copy() for w in weights]
            plus[l][idx] += h
            minus[l][idx] -= h
            assert grads[l][idx] == pytest.approx((loss(plus) - loss(minus)) / (2 * h), rel=FD_RTOL, abs=1e-9)


@pytest.mark.parametrize("batch_size", [None, 5])
def test_a_seed_gives_the_same_run_alone_or_in_a_batch(batch_size):
    seeds = (4, 5, 6)

    def run(which):
        return train_linear_student(
            _data(seeds=which),
            (8,),
            learning_rate=0.05,
            epochs=6,
            batch_size=batch_size,
            init_scale=0.1,
            rngs=[np.random.default_rng(100 + s) for s in which],
            logged_epochs=(0, 3, 6),
        )

    batched, alone = run(seeds), run((5,))
    np.testing.assert_allclose(batched.W_tot[1], alone.W_tot[0], rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(batched.I_XT[1], alone.I_XT[0], rtol=1e-12, atol=1e-15)


def test_records_are_consistent():
    run = train_linear_student(
        _data(),
        (8, 4),
        learning_rate=0.2,
        epochs=30,
        batch_size=None,
        init_scale=0.05,
        rngs=[np.random.default_rng(s) for s in range(3)],
        logged_epochs=(0, 1, 10, 30),
        record_gradients=True,
    )
    assert run.I_XT.shape == (3, 4, 3) and run.W_tot.shape == (3, 4, 1, 10)
    np.testing.assert_allclose(run.time, np.array([0, 1, 10, 30]) * 0.2 / 30)
    assert np.all(run.train_error[:, -1] < run.train_error[:, 0])
    # the output layer's I(T;X) is that of W_tot (a cross-check of the per-layer maps)
    np.testing.assert_allclose(run.I_XT[:, -1, -1], mutual_information(run.W_tot[:, -1], np.eye(10) / 10, 1.0))
    assert run.grad_mean_sample.shape == (3, 4, 3) and run.grad_mean_batch is None


def test_divergence_is_reported_with_the_learning_rate():
    with pytest.raises(TrainingDivergedError, match=r"learning_rate=500"):
        train_linear_student(
            _data(),
            (8,),
            learning_rate=500.0,
            epochs=200,
            batch_size=None,
            init_scale=0.5,
            rngs=[np.random.default_rng(s) for s in range(3)],
            logged_epochs=(0, 200),
        )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"learning_rate": 0.0}, "learning_rate must"),
        ({"epochs": -1}, "epochs must"),
        ({"batch_size": 0}, "batch_size"),
        ({"logged_epochs": (0, 50)}, "logged_epochs"),
        ({"noise_variance": 0.0}, "noise_variance"),
        ({"init_scale": -1.0}, "init_scale"),
        ({"hidden": (0,)}, "hidden"),
        ({"record_subspaces": True}, "record_subspaces"),
        ({"rngs": [np.random.default_rng(0)]}, "one generator per seed"),
    ],
)
def test_bad_training_input(kwargs, message):
    args = {
        "hidden": (4,),
        "learning_rate": 0.1,
        "epochs": 5,
        "batch_size": None,
        "init_scale": 0.1,
        "rngs": [np.random.default_rng(s) for s in range(3)],
        "logged_epochs": (0, 5),
    }
    args.update(kwargs)
    hidden = args.pop("hidden")
    with pytest.raises(ValueError, match=message):
        train_linear_student(_data(), hidden, **args)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n_inputs": 0}, "n_inputs"),
        ({"snr": 0.0}, "snr"),
        ({"sigma_w2": -1.0}, "sigma_w2"),
        ({"n_samples": 0}, "n_samples"),
    ],
)
def test_bad_teacher_input(kwargs, message):
    args = {"n_inputs": 5, "n_samples": 10, "rng": np.random.default_rng(0)} | kwargs
    with pytest.raises(ValueError, match=message):
        teacher_student_data(**args)


def test_whitened_task_is_whitened():
    X, Y, _U, _V = whitened_task([3.0, 1.0], 6, 24, np.random.default_rng(0))
    np.testing.assert_allclose(X.T @ X / 24, np.eye(6), atol=1e-12)
    np.testing.assert_allclose(np.linalg.svd(Y.T @ X / 24, compute_uv=False), [3.0, 1.0], rtol=1e-12)
    with pytest.raises(ValueError, match="n_samples"):
        whitened_task([1.0], 6, 3, np.random.default_rng(0))


def test_simulated_information_plane_follows_the_aligned_closed_form():
    rng = np.random.default_rng(1)
    s = np.array([2.0, 1.0])
    X, Y, U, V = whitened_task(s, 4, 16, rng)
    u0 = 1e-3
    steps = np.arange(0, 4001, 400)
    run = train_aligned_modes(
        X, Y, U, V, np.full((2, 2), np.sqrt(u0)), hidden=4, learning_rate=0.002, logged_epochs=steps, rng=rng
    )
    theory = aligned_information_plane(run.time, s, u0)
    # hidden map: per mode strength a = √u; the whitened input has unit variance per direction
    hidden_I = [0.5 * np.sum(np.log2(1 + run.strengths[k, 0] ** 2)) for k in range(len(steps))]
    np.testing.assert_allclose(hidden_I, theory["I_XT"][:, 0], atol=GD_FLOW_ATOL)
    output_I = [0.5 * np.sum(np.log2(1 + run.product[k] ** 2)) for k in range(len(steps))]
    np.testing.assert_allclose(output_I, theory["I_XT"][:, 1], atol=GD_FLOW_ATOL)
    assert np.max(run.off_manifold) < 1e-12  # GD stays on the decoupled manifold


@pytest.mark.parametrize("widths", [(10, 1), (10, 6, 1), (10, 6, 4, 3)])
def test_both_gradient_orders_agree(widths):
    from simulate.linear_student import _gradients_output_side

    data = _data(seeds=(0, 1))
    weights = init_weights(widths, [np.random.default_rng(s) for s in (0, 1)], 0.7)
    Y = np.random.default_rng(5).normal(size=(2, 30, widths[-1]))
    for B in (3, 30):  # input-side order (small batch) and output-side order (large batch)
        X_b, Y_b = data.X[:, :B], Y[:, :B]
        for a, b in zip(gradients(weights, X_b, Y_b, 0.5), _gradients_output_side(weights, X_b, Y_b, 0.5, None)):
            np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-15)
