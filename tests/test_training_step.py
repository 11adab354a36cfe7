"""The compiled training step (simulate.training_step) against the reference NumPy backward pass it replaces.

:class:`~simulate.training_step.MinibatchGradient` must give, for every seed, the gradient that
:func:`simulate.network.backward` gives on the same minibatch: for every activation, for narrow layers (compiled
loops) and wide ones (BLAS), for data shared by the seeds and one training set per seed, and in both precisions.
"""

from __future__ import annotations

import numpy as np
import pytest

from simulate.activations import ACTIVATIONS
from simulate.network import backward, forward
from simulate.parameters import flatten, init_params, params_from_flat
from simulate.training_step import COMPILED_LAYER_SIZE, MinibatchGradient

#: float64 agreement: both sum the same products in a different order (rounding of O(1) values, ~1e-16 each).
TOL64 = 1e-10
#: float32 agreement, relative to the gradient's scale: float32 rounding (≈ 6e-8) over sums of ≤ 64 terms.
TOL32 = 2e-4


def _data(rng, n_seeds, n, d, c, per_seed):
    shape = (n_seeds, n) if per_seed else (n,)
    X = rng.standard_normal((*shape, d))
    labels = rng.integers(0, c, size=shape)
    return X, np.eye(c)[labels]


def _reference(flat, widths, activation, X, Y, rows):
    """backward() on each seed's minibatch ``rows[s]`` (float64), flattened like the training step's gradient."""
    params = params_from_flat(flat.astype(np.float64), widths)
    S = flat.shape[0]
    Xs = np.stack([X[s][rows[s]] if X.ndim == 3 else X[rows[s]] for s in range(S)])
    Ys = np.stack([Y[s][rows[s]] if Y.ndim == 3 else Y[rows[s]] for s in range(S)])
    return flatten(backward(params, forward(params, Xs, activation), Xs, Ys, activation))


@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
@pytest.mark.parametrize(
    ("widths", "per_seed"),
    [
        ((12, 10, 7, 5, 4, 3, 2), True),  # the SZT network, one split per seed: compiled loops throughout
        ((12, 10, 7, 5, 4, 3, 2), False),
        ((40, 30, 3), False),  # 40 × 30 > COMPILED_LAYER_SIZE: the first layer goes through BLAS
    ],
)
@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_the_step_gives_the_reference_gradient(activation, widths, per_seed, dtype):
    rng = np.random.default_rng(7)
    S, n, B = 3, 64, 17  # B does not divide n: a remainder minibatch too
    X, Y = _data(rng, S, n, widths[0], widths[-1], per_seed)
    flat = flatten(init_params(widths, [np.random.default_rng(s) for s in range(S)])).astype(dtype)
    step = MinibatchGradient(widths, ACTIVATIONS[activation], X, Y, S, dtype)
    order = np.stack([rng.permutation(n) for _ in range(S)])
    rows = step.rows(order)
    for start in (0, 51):  # a full minibatch and the remainder (51..63: 13 examples)
        chunk = order[:, start : start + B]
        grad = np.zeros_like(flat)
        step(np.ascontiguousarray(flat), np.ascontiguousarray(rows[:, start : start + B]), grad)
        expected = _reference(flat, widths, activation, X, Y, chunk)
        scale = np.max(np.abs(expected))
        tol = TOL64 if dtype == "float64" else TOL32
        assert grad.dtype == np.dtype(dtype)
        np.testing.assert_allclose(grad, expected, rtol=0, atol=tol * max(scale, 1.0))


def test_the_wide_case_really_uses_blas():
    step = MinibatchGradient((40, 30, 3), ACTIVATIONS["tanh"], np.zeros((4, 40)), np.eye(3)[[0, 1, 2, 0]], 1, "float64")
    assert COMPILED_LAYER_SIZE < 40 * 30 and COMPILED_LAYER_SIZE >= 30 * 3
    assert step.compiled == [False, True]


def test_same_inputs_same_bits():
    rng = np.random.default_rng(3)
    widths = (12, 10, 7, 5, 4, 3, 2)
    X, Y = _data(rng, 2, 40, 12, 2, True)
    flat = flatten(init_params(widths, [np.random.default_rng(s) for s in range(2)])).astype("float32")
    step = MinibatchGradient(widths, ACTIVATIONS["tanh"], X, Y, 2, "float32")
    rows = step.rows(np.stack([rng.permutation(40) for _ in range(2)]))[:, :16].copy()
    first, second = np.zeros_like(flat), np.zeros_like(flat)
    step(flat, rows, first)
    step(flat, rows, second)
    assert np.array_equal(first, second)
