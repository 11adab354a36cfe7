"""KDE bounds (docs/formulas.md#s3-8, [P] Eqs 7–12): against a SciPy reference, limits (C41), properties."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.integrate import quad

from simulate.mi import kde
from simulate.mi.kde_reference import mutual_information_bounds_reference

# float64 path vs cdist + logsumexp: both are exact up to rounding of sums of ≤ 300 terms (≈ 1e-13 bits).
FLOAT64_ATOL = 1e-9
# float32 path: kde chooses float32 only when the exponent's rounding error is < 1e-3 nats, so each row sum
# is off by < 0.1 % and every bound by < 1e-3 nats = 1.443e-3 bits.
FLOAT32_ATOL = 1e-3 / math.log(2)
# C41: for σ² = 1e6 and activity in [-1, 1]^3 the bound is ≈ mean‖h_i − h_j‖²/(2σ² ln 2) ≤ 12/(2e6 ln2) < 1e-5.
LARGE_NOISE_BOUND = 1e-5


def _layer(seed: int, n: int = 300, width: int = 3, n_classes: int = 3, gain: float = 1.5):
    rng = np.random.default_rng(seed)
    return np.tanh(gain * rng.normal(size=(n, width))), rng.integers(0, n_classes, n)


@pytest.mark.parametrize("variance", [1e-3, 0.1, 10.0])
def test_matches_scipy_reference(variance):
    activity, labels = _layer(0)
    expected = mutual_information_bounds_reference(activity, labels, variance)
    got64 = kde.mutual_information_bounds(activity, labels, variance, dtype=np.float64)
    np.testing.assert_allclose(
        [got64.i_xt_upper, got64.i_xt_lower, got64.i_ty_upper, got64.i_ty_lower], expected, atol=FLOAT64_ATOL
    )
    auto = kde.mutual_information_bounds(activity, labels, variance)
    np.testing.assert_allclose(
        [auto.i_xt_upper, auto.i_xt_lower, auto.i_ty_upper, auto.i_ty_lower], expected, atol=FLOAT32_ATOL
    )


def test_sequence_of_variances_reuses_distances_and_matches_single_calls():
    activity, labels = _layer(1)
    variances = [1e-3, 0.1]
    many = kde.mutual_information_bounds(activity, labels, variances, dtype=np.float64)
    assert many.i_xt_upper.shape == (2,)
    for k, variance in enumerate(variances):
        one = kde.mutual_information_bounds(activity, labels, variance, dtype=np.float64)
        assert many.i_xt_upper[k] == pytest.approx(one.i_xt_upper, abs=1e-12)
        assert many.i_ty_lower[k] == pytest.approx(one.i_ty_lower, abs=1e-12)


def test_extreme_variances_in_one_call_match_separate_calls():
    activity, labels = _layer(5, n=150)
    variances = [1e6, 1e-12, 0.1]
    many = kde.mutual_information_bounds(activity, labels, variances, dtype=np.float64)
    for k, variance in enumerate(variances):
        one = kde.mutual_information_bounds(activity, labels, variance, dtype=np.float64)
        np.testing.assert_allclose(
            [many.i_xt_upper[k], many.i_xt_lower[k], many.i_ty_upper[k], many.i_ty_lower[k]],
            [one.i_xt_upper, one.i_xt_lower, one.i_ty_upper, one.i_ty_lower],
            atol=FLOAT64_ATOL,
        )


def test_panels_cover_every_pair(monkeypatch):
    # Force many small panels (including a class boundary inside a panel): same result as one panel.
    activity, labels = _layer(2, n=123)
    whole = kde.mutual_information_bounds(activity, labels, 0.05, dtype=np.float64)
    monkeypatch.setattr(kde, "_PANEL_ENTRIES", 123 * 7)
    split = kde.mutual_information_bounds(activity, labels, 0.05, dtype=np.float64)
    np.testing.assert_allclose(
        [split.i_xt_upper, split.i_xt_lower, split.i_ty_upper, split.i_ty_lower],
        [whole.i_xt_upper, whole.i_xt_lower, whole.i_ty_upper, whole.i_ty_lower],
        atol=1e-12,
    )


def test_c41_limits():
    activity, labels = _layer(3, n=64)
    huge = kde.mutual_information_bounds(activity, labels, 1e6)
    assert 0.0 <= huge.i_xt_lower <= huge.i_xt_upper < LARGE_NOISE_BOUND
    separated = np.arange(64.0)[:, None] * 10.0
    tiny = kde.mutual_information_bounds(separated, labels, 1e-2)
    assert tiny.i_xt_upper == pytest.approx(6.0, abs=1e-12) and tiny.i_xt_lower == pytest.approx(6.0, abs=1e-12)
    assert tiny.i_ty_upper == pytest.approx(tiny.i_ty_lower, abs=1e-12)


@pytest.mark.parametrize("variance", [1e-12, 1e-6, 1.0, 1e6])
def test_stable_over_the_whole_variance_range(variance):
    rng = np.random.default_rng(4)
    spacing = math.sqrt(variance)  # neighbours one noise standard deviation apart: the bound is non-trivial
    activity = np.cumsum(rng.uniform(0.5, 1.5, size=(200, 2)) * spacing, axis=0)
    labels = rng.integers(0, 2, 200)
    got = kde.mutual_information_bounds(activity, labels, variance)
    expected = mutual_information_bounds_reference(activity, labels, variance)
    assert np.all(np.isfinite([got.i_xt_upper, got.i_xt_lower, got.i_ty_upper, got.i_ty_lower]))
    np.testing.assert_allclose(
        [got.i_xt_upper, got.i_xt_lower, got.i_ty_upper, got.i_ty_lower], expected, atol=FLOAT32_ATOL
    )


def test_constant_activity_and_duplicates():
    labels = np.array([0, 1] * 10)
    zero = kde.mutual_information_bounds(np.ones((20, 4)), labels, 0.1)
    np.testing.assert_allclose([zero.i_xt_upper, zero.i_xt_lower, zero.i_ty_upper, zero.i_ty_lower], 0.0, atol=1e-12)
    # 10 far-apart points, each twice: I(X;T) → log₂ 10 at small noise, not log₂ 20.
    pairs = np.repeat(np.arange(10.0) * 100, 2)[:, None]
    assert kde.mutual_information_bounds(pairs, labels, 1e-3).i_xt_upper == pytest.approx(math.log2(10), abs=1e-12)


def _mixture_entropy_1d(centers, variance):
    """Differential entropy (bits) of an equal-weight 1-D Gaussian mixture, by adaptive quadrature."""
    centers = np.asarray(centers, float)

    def integrand(x):
        p = np.mean(np.exp(-((x - centers) ** 2) / (2 * variance))) / math.sqrt(2 * math.pi * variance)
        return -p * math.log2(p) if p > 0 else 0.0

    sd = math.sqrt(variance)
    points = sorted(centers)
    total = 0.0
    edges = [points[0] - 12 * sd, *[(a + b) / 2 for a, b in itertools.pairwise(points)], points[-1] + 12 * sd]
    for a, b in itertools.pairwise(edges):
        total += quad(integrand, a, b, limit=200, epsabs=1e-12)[0]
    return total


@pytest.mark.parametrize("variance", [0.01, 0.3, 3.0])
def test_mixture_entropy_bounds_bracket_the_true_entropy(variance):
    centers = np.array([[-1.0], [-0.8], [0.0], [0.1], [2.0]])
    lower, upper = kde.mixture_entropy_bounds(centers, variance)
    exact = _mixture_entropy_1d(centers[:, 0], variance)
    conditional = 0.5 * math.log2(2 * math.pi * math.e * variance)
    assert conditional <= lower <= exact <= upper <= conditional + math.log2(5) + 1e-12


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), log_variance=st.floats(-6, 2), gain=st.floats(0.1, 10))
def test_properties(seed, log_variance, gain):
    activity, labels = _layer(seed, n=40, width=2, n_classes=2, gain=gain)
    variance = 10.0**log_variance
    b = kde.mutual_information_bounds(activity, labels, variance)
    counts = np.bincount(labels)
    p = counts[counts > 0] / counts.sum()
    label_entropy = float(-np.sum(p * np.log2(p)))
    assert 0.0 <= b.i_xt_lower <= b.i_xt_upper + 1e-12 <= math.log2(40) + 2e-12
    assert b.i_ty_upper <= label_entropy + 1e-12 and b.i_ty_lower <= label_entropy + 1e-12
    more_noise = kde.mutual_information_bounds(activity, labels, 2 * variance)
    assert more_noise.i_xt_upper <= b.i_xt_upper + FLOAT32_ATOL
    rng = np.random.default_rng(seed)
    order = rng.permutation(40)
    relabelled = np.array([5, -3])[labels]
    shuffled = kde.mutual_information_bounds(activity[order], relabelled[order], variance)
    np.testing.assert_allclose(
        [shuffled.i_xt_upper, shuffled.i_xt_lower, shuffled.i_ty_upper, shuffled.i_ty_lower],
        [b.i_xt_upper, b.i_xt_lower, b.i_ty_upper, b.i_ty_lower],
        atol=2 * FLOAT32_ATOL,
    )


@pytest.mark.parametrize(
    ("args", "match"),
    [
        ((np.array([[np.nan], [0.0]]), [0, 1], 0.1), "activity"),
        ((np.zeros((1, 2)), [0], 0.1), "N >= 2"),
        ((np.zeros((3, 2)), [0, 1], 0.1), "labels"),
        ((np.zeros((2, 2)), [0.5, 1], 0.1), "labels"),
        ((np.zeros((2, 2)), [0, 1], 0.0), "noise_variance"),
        ((np.zeros((2, 2)), [0, 1], -1.0), "noise_variance"),
        ((np.zeros((2, 2)), [0, 1], [0.1, np.inf]), "noise_variance"),
    ],
)
def test_bad_input(args, match):
    with pytest.raises(ValueError, match=match):
        kde.mutual_information_bounds(*args)
    with pytest.raises(ValueError, match="dtype"):
        kde.mutual_information_bounds(np.zeros((2, 1)), [0, 1], 0.1, dtype=np.int32)
