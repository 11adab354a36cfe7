"""Batched networks: shapes, initialisation statistics (docs/choices.md#a14), backprop against finite differences."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulate.network import (
    accuracy,
    backward,
    cross_entropy,
    forward,
    group_kernel_gradients,
    init_params,
)

SZT_WIDTHS = (12, 10, 7, 5, 4, 3, 2)
ACTIVATIONS = ("tanh", "relu", "softsign", "softplus", "linear")
# Central differences with step 1e-6 have truncation error O(h²·f''') ≈ 1e-12 and rounding error
# O(eps·|f|/h) ≈ 1e-10 for losses of order 1: a relative tolerance of 1e-6 leaves a wide safety margin.
FD_STEP = 1e-6
FD_RTOL = 1e-6
FD_ATOL = 1e-8
# Std of a 2σ-truncated normal = σ·sqrt(1 − 2·2φ(2)/(2Φ(2) − 1)) ≈ 0.8796σ; with ≥ 10⁴ draws its standard error is
# < 1 %, so a 4 % tolerance is > 4 standard errors.
TRUNCATED_STD_FACTOR = 0.8796
INIT_RTOL = 0.04


def _rngs(n, base=0):
    return [np.random.default_rng(base + s) for s in range(n)]


def _data(n=13, d=12, classes=2, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.integers(0, 2, size=(n, d)).astype(float)
    Y = np.eye(classes)[rng.integers(0, classes, size=n)]
    return X, Y


def test_shapes_of_forward_pass():
    p = init_params(SZT_WIDTHS, _rngs(3))
    X, _ = _data()
    fp = forward(p, X, "tanh")
    assert [a.shape for a in fp.post] == [(3, 13, w) for w in SZT_WIDTHS[1:]]
    assert [z.shape for z in fp.pre] == [(3, 13, w) for w in SZT_WIDTHS[1:]]
    np.testing.assert_allclose(fp.probabilities.sum(axis=-1), 1.0)


def test_seed_is_a_batch_axis():
    """Network s of a batch equals the same seed run alone (same weights, same outputs)."""
    batch = init_params(SZT_WIDTHS, _rngs(4))
    alone = init_params(SZT_WIDTHS, [np.random.default_rng(2)])
    for Wb, Wa in zip(batch.W, alone.W):
        np.testing.assert_array_equal(Wb[2], Wa[0])
    X, _ = _data()
    np.testing.assert_allclose(forward(batch, X, "relu").post[-1][2], forward(alone, X, "relu").post[-1][0])


def test_ibsgd_init_statistics():
    widths = (100, 400, 50, 2)
    p = init_params(widths, _rngs(30))
    # hidden: std 1/sqrt(fan-out), truncated at 2 std
    for l in (0, 1):
        sigma = 1 / np.sqrt(widths[l + 1])
        assert np.abs(p.W[l]).max() <= 2 * sigma
        assert p.W[l].std() == pytest.approx(TRUNCATED_STD_FACTOR * sigma, rel=INIT_RTOL)
    limit = np.sqrt(6 / (50 + 2))
    assert np.abs(p.W[2]).max() <= limit
    assert p.W[2].std() == pytest.approx(limit / np.sqrt(3), rel=INIT_RTOL)
    assert all(np.all(b == 0) for b in p.b)


def test_idnns_init_uses_fan_in():
    widths = (100, 400, 50, 2)
    p = init_params(widths, _rngs(30), scheme="idnns")
    for l in range(3):
        sigma = 1 / np.sqrt(widths[l])
        assert p.W[l].std() == pytest.approx(TRUNCATED_STD_FACTOR * sigma, rel=INIT_RTOL)


def _loss_of(p, X, Y, activation, which, l, s, index):
    arr = (p.W if which == "W" else p.b)[l]
    old = arr[(s, *index)]
    arr[(s, *index)] = old + FD_STEP
    up = cross_entropy(forward(p, X, activation), Y)[s]
    arr[(s, *index)] = old - FD_STEP
    down = cross_entropy(forward(p, X, activation), Y)[s]
    arr[(s, *index)] = old
    return (up - down) / (2 * FD_STEP)


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_backprop_matches_finite_differences(activation):
    p = init_params((5, 4, 3, 2), _rngs(2, base=activation.__len__()))
    for b in p.b:  # non-zero biases so ReLU units sit away from the kink
        b += 0.1
    X, Y = _data(n=7, d=5)
    grads = backward(p, forward(p, X, activation), X, Y, activation)
    for l in range(3):
        for s in range(2):
            for index in np.ndindex(p.W[l].shape[1:]):
                fd = _loss_of(p, X, Y, activation, "W", l, s, index)
                assert grads.dW[l][(s, *index)] == pytest.approx(fd, rel=FD_RTOL, abs=FD_ATOL)
            for index in np.ndindex(p.b[l].shape[1:]):
                fd = _loss_of(p, X, Y, activation, "b", l, s, index)
                assert grads.db[l][(s, *index)] == pytest.approx(fd, rel=FD_RTOL, abs=FD_ATOL)


def test_per_seed_inputs_give_same_gradients_as_shared():
    p = init_params(SZT_WIDTHS, _rngs(3))
    X, Y = _data()
    Xs, Ys = np.broadcast_to(X, (3, *X.shape)), np.broadcast_to(Y, (3, *Y.shape))
    g1 = backward(p, forward(p, X, "tanh"), X, Y, "tanh")
    g2 = backward(p, forward(p, Xs, "tanh"), Xs, Ys, "tanh")
    for a, b in zip(g1.dW, g2.dW):
        np.testing.assert_allclose(a, b, atol=1e-14)


@settings(max_examples=15, deadline=None)
@given(group_size=st.sampled_from([1, 2, 4]), activation=st.sampled_from(ACTIVATIONS))
def test_group_gradients_average_to_the_full_gradient(group_size, activation):
    """Per-example / per-minibatch kernel gradients of a partition average to the mean-loss gradient."""
    p = init_params(SZT_WIDTHS, _rngs(2))
    X, Y = _data(n=12)
    fp = forward(p, X, activation)
    full = backward(p, fp, X, Y, activation)
    groups = np.random.default_rng(group_size).permutation(12).reshape(-1, group_size)
    per_group = group_kernel_gradients(p, fp, X, Y, activation, groups)
    for g, dW in zip(per_group, full.dW):
        assert g.shape[:2] == (2, 12 // group_size)
        np.testing.assert_allclose(g.mean(axis=1), dW, atol=1e-13)


def test_per_seed_groups():
    p = init_params(SZT_WIDTHS, _rngs(2))
    X, Y = _data(n=6)
    fp = forward(p, X, "tanh")
    shared = group_kernel_gradients(p, fp, X, Y, "tanh", np.arange(6).reshape(6, 1))
    per_seed = group_kernel_gradients(p, fp, X, Y, "tanh", np.stack([np.arange(6), np.arange(6)]).reshape(2, 6, 1))
    np.testing.assert_allclose(shared[0], per_seed[0])


def test_loss_and_accuracy_of_a_perfect_classifier():
    p = init_params((2, 2), _rngs(1))
    p.W[0][0] = np.array([[50.0, -50.0], [-50.0, 50.0]])
    X = np.eye(2)
    fp = forward(p, X, "tanh")
    assert 0 <= cross_entropy(fp, np.eye(2))[0] < 1e-30
    assert accuracy(fp, np.eye(2))[0] == 1.0
    assert accuracy(fp, np.eye(2)[::-1])[0] == 0.0
    # chance-level logits give log 2 nats
    p.W[0][0] = 0.0
    assert cross_entropy(forward(p, X, "tanh"), np.eye(2))[0] == pytest.approx(np.log(2))


@pytest.mark.parametrize("widths", [(12, 0, 2), (12, -3, 2), (12,), (12, 10, 1), (12, 2.5, 2)])
def test_bad_widths(widths):
    with pytest.raises(ValueError, match="widths"):
        init_params(widths, _rngs(1))


def test_bad_init_arguments():
    with pytest.raises(ValueError, match="scheme"):
        init_params(SZT_WIDTHS, _rngs(1), scheme="he")
    with pytest.raises(ValueError, match="rngs"):
        init_params(SZT_WIDTHS, [])
    with pytest.raises(ValueError, match="rngs"):
        init_params(SZT_WIDTHS, [0])


def test_bad_forward_arguments():
    p = init_params(SZT_WIDTHS, _rngs(2))
    with pytest.raises(ValueError, match="activation"):
        forward(p, np.zeros((3, 12)), "sigmoidal")
    with pytest.raises(ValueError, match="X must have shape"):
        forward(p, np.zeros((3, 11)), "tanh")
    with pytest.raises(ValueError, match="finite"):
        forward(p, np.full((3, 12), np.nan), "tanh")
    fp = forward(p, np.zeros((3, 12)), "tanh")
    with pytest.raises(ValueError, match="Y must be one-hot"):
        cross_entropy(fp, np.zeros((3, 3)))
    with pytest.raises(ValueError, match="groups"):
        group_kernel_gradients(p, fp, np.zeros((3, 12)), np.eye(2)[[0, 1, 0]], "tanh", np.array([[0, 5]]))
    with pytest.raises(ValueError, match="groups"):
        group_kernel_gradients(p, fp, np.zeros((3, 12)), np.eye(2)[[0, 1, 0]], "tanh", np.array([[0.5]]))
