"""Gradient SNR statistics ([P] App I Eqs 26–27; simulate/gradient_snr.py) and the SNR-transition definition
(paper_checks/snr.py) used by C5, C20, C37, C38.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulate.data.teacher import stack_teacher_data, teacher_student_data
from simulate.gradient_snr import gradient_statistics
from simulate.linear_student import gradients, init_weights, minibatch_gradients, per_sample_gradients

#: Two evaluations of the same float64 quantity by different summation orders agree to this (relative).
ROUNDING_RTOL = 1e-10


def test_statistics_match_their_definition():
    rng = np.random.default_rng(0)
    G = rng.normal(size=(50, 3, 4, 5))  # (samples, seeds, out, in)
    stats = gradient_statistics(G)
    for k in range(3):
        mean = G[:, k].mean(axis=0)
        std = np.sqrt(((G[:, k] - mean) ** 2).mean(axis=0))  # population std (ddof = 0)
        assert stats.mean_norm[k] == pytest.approx(np.linalg.norm(mean), rel=ROUNDING_RTOL)
        assert stats.std_norm[k] == pytest.approx(np.linalg.norm(std), rel=ROUNDING_RTOL)
    np.testing.assert_allclose(stats.snr, stats.mean_norm / stats.std_norm)
    assert stats.n == 50 and stats.snr.shape == (3,)


def test_vector_weights_and_limits():
    agree = np.ones((4, 6))
    assert gradient_statistics(agree, n_weight_axes=1).snr == np.inf
    cancel = np.stack([np.ones(3), -np.ones(3)])
    assert float(gradient_statistics(cancel, n_weight_axes=1).snr) == 0.0


@settings(max_examples=25, deadline=None)
@given(scale=st.floats(1e-3, 1e3), seed=st.integers(0, 2**16))
def test_snr_is_scale_and_order_invariant(scale, seed):
    rng = np.random.default_rng(seed)
    G = rng.normal(size=(20, 3, 2)) + 0.3
    base = gradient_statistics(G).snr
    np.testing.assert_allclose(gradient_statistics(scale * G).snr, base, rtol=1e-9)
    np.testing.assert_allclose(gradient_statistics(G[rng.permutation(20)]).snr, base, rtol=1e-9)


@pytest.mark.parametrize(
    ("G", "kwargs", "message"),
    [
        (np.ones((1, 2, 2)), {}, "at least 2"),
        (np.ones((3, 2)), {}, "shape"),
        (np.full((3, 2, 2), np.nan), {}, "finite"),
        (np.ones((3, 2, 2)), {"n_weight_axes": 0}, "n_weight_axes"),
    ],
)
def test_bad_gradients_raise(G, kwargs, message):
    with pytest.raises(ValueError, match=message):
        gradient_statistics(G, **kwargs)


def _network(S=2, P=40):
    rngs = [np.random.default_rng(s) for s in range(S)]
    data = stack_teacher_data([teacher_student_data(6, P, np.random.default_rng(10 + s)) for s in range(S)])
    return init_weights((6, 4, 1), rngs, 0.5), data, rngs


def test_per_sample_gradients_average_to_the_batch_gradient():
    weights, data, _ = _network()
    per_sample = per_sample_gradients(weights, data.X, data.Y)
    full = gradients(weights, data.X, data.Y)
    for ps, g in zip(per_sample, full):
        np.testing.assert_allclose(ps.mean(axis=0), g, rtol=1e-10, atol=1e-14)


def test_minibatch_gradients_partition_the_data():
    weights, data, rngs = _network(P=40)
    mini = minibatch_gradients(weights, data.X, data.Y, 8, rngs)
    full = gradients(weights, data.X, data.Y)
    for m, g in zip(mini, full):
        assert m.shape[0] == 5
        np.testing.assert_allclose(m.mean(axis=0), g, rtol=1e-10, atol=1e-14)  # equal batches: mean of means
    with pytest.raises(ValueError, match="batch_size"):
        minibatch_gradients(weights, data.X, data.Y, 30, rngs)


# The transition definition (paper_checks/snr.py) is tested in tests/test_snr_transition.py.
