"""Adaptive KDE (simulate.mi.adaptive_kde, arXiv:1902.09037 §3): the adapted σ², agreement with the fixed KDE, scaling.

The adapted variance is σ² = κ·max|h| (the paper) or κ·max|h|² (the scale-invariant variant). Where it equals a
fixed σ², aKDE must be the fixed KDE of [P] App B.1 exactly, and agree with the straightforward SciPy reference
(``kde_reference``, pairwise distances by ``cdist``). Scaling the activity by c: with σ² ∝ max|h|, Î(c h; κ) =
Î(h; κ/c) exactly; with σ² ∝ max|h|², Î(c h) = Î(h); a control shows the first rule is not scale-invariant.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from simulate.mi import adaptive_kde, kde
from simulate.mi.kde_reference import mutual_information_bounds_reference

FIELDS = ("i_xt_upper", "i_xt_lower", "i_ty_upper", "i_ty_lower")
# kde.mutual_information_bounds agrees with exactly computed pairwise distances to 1e-6 bits (README, fuzz suite).
REFERENCE_ATOL = 1e-6
# Scaling h by c and σ² by c² leaves every kernel exponent −‖h_i − h_j‖²/2σ² the same up to float rounding of the
# products (a few ulps of exponents ≤ 80): far below 1e-9 bits.
SCALING_ATOL = 1e-9
N = 512


@pytest.fixture(scope="module")
def layer():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(N, 4))
    h = np.maximum(0.0, x @ rng.normal(size=(4, 3)))  # a ReLU layer: max activity well above 1
    labels = (x[:, 0] > 0).astype(int)
    return h, labels


def _fields(bounds):
    return np.array([np.asarray(getattr(bounds, f), dtype=float) for f in FIELDS])


def test_adapted_variance_follows_the_largest_activity(layer):
    h, _ = layer
    M = float(np.abs(h).max())
    assert adaptive_kde.adaptive_noise_variance(h) == pytest.approx(0.1 * M, rel=1e-15)
    assert adaptive_kde.adaptive_noise_variance(-h, 0.5) == pytest.approx(0.5 * M, rel=1e-15)
    assert adaptive_kde.adaptive_noise_variance(h, rule="max_squared") == pytest.approx(0.1 * M * M, rel=1e-15)
    np.testing.assert_allclose(adaptive_kde.adaptive_noise_variance(h, [0.1, 1.0]), [0.1 * M, M], rtol=1e-15)


def test_equals_the_fixed_kde_where_the_adapted_variance_is_the_fixed_one():
    """A saturated tanh layer (max |h| = 1): κ = 0.1 is [P]'s σ² = 0.1, to the last bit."""
    rng = np.random.default_rng(1)
    h = np.tanh(3 * rng.normal(size=(N, 3)))
    h[0, 0] = 1.0
    labels = (rng.random(N) < 0.5).astype(int)
    adaptive = adaptive_kde.mutual_information_bounds(h, labels)
    fixed = kde.mutual_information_bounds(h, labels, 0.1)
    np.testing.assert_array_equal(_fields(adaptive), _fields(fixed))
    assert adaptive.noise_variance == 0.1


@pytest.mark.parametrize("rule", adaptive_kde.VARIANCE_RULES)
@pytest.mark.parametrize("scale", [0.01, 0.1, 1.0])
def test_agrees_with_the_reference_kde_at_the_adapted_variance(layer, rule, scale):
    h, labels = layer
    bounds = adaptive_kde.mutual_information_bounds(h, labels, scale, rule=rule)
    variance = adaptive_kde.adaptive_noise_variance(h, scale, rule=rule)
    assert bounds.noise_variance == variance
    reference = mutual_information_bounds_reference(h, labels, variance)
    np.testing.assert_allclose(_fields(bounds), reference, atol=REFERENCE_ATOL)


@pytest.mark.parametrize("c", [1e-3, 0.5, 3.0, 1e4])
def test_scaling_the_activity_rescales_kappa_under_the_papers_rule(layer, c):
    h, labels = layer
    scaled = adaptive_kde.mutual_information_bounds(c * h, labels, 0.1)
    rescaled = adaptive_kde.mutual_information_bounds(h, labels, 0.1 / c)
    np.testing.assert_allclose(_fields(scaled), _fields(rescaled), atol=SCALING_ATOL)


@pytest.mark.parametrize("c", [1e-3, 0.5, 3.0, 1e4])
def test_variance_proportional_to_the_squared_maximum_is_scale_invariant(layer, c):
    h, labels = layer
    scaled = adaptive_kde.mutual_information_bounds(c * h, labels, 0.1, rule="max_squared")
    plain = adaptive_kde.mutual_information_bounds(h, labels, 0.1, rule="max_squared")
    np.testing.assert_allclose(_fields(scaled), _fields(plain), atol=SCALING_ATOL)


def test_the_papers_rule_is_not_scale_invariant(layer):
    """The control for the two tests above: tripling a ReLU layer's activity changes its aKDE estimate."""
    h, labels = layer
    a = adaptive_kde.mutual_information_bounds(h, labels).i_xt_upper
    b = adaptive_kde.mutual_information_bounds(3 * h, labels).i_xt_upper
    assert abs(a - b) > 0.1


def test_known_answers():
    two = np.array([[0.0, 0.0], [10.0, 10.0]] * 8)
    labels = np.array([0, 1] * 8)
    b = adaptive_kde.mutual_information_bounds(two, labels, 1e-3)  # σ² = 0.01 against a distance² of 200
    assert (b.i_xt_upper, b.i_xt_lower, b.i_ty_upper, b.i_ty_lower) == pytest.approx((1, 1, 1, 1), abs=1e-12)
    dead = adaptive_kde.mutual_information_bounds(np.zeros((8, 3)), [0, 1] * 4, [0.1, 1.0])
    np.testing.assert_array_equal(_fields(dead), np.zeros((4, 2)))
    np.testing.assert_array_equal(dead.noise_variance, [0.0, 0.0])
    constant = adaptive_kde.mutual_information_bounds(np.full((8, 3), -2.5), [0, 1] * 4)
    assert constant.i_xt_upper == pytest.approx(0.0, abs=1e-12) and constant.noise_variance == 0.25


def test_several_scales_from_one_call_and_the_upper_bound_never_rises_with_noise(layer):
    h, labels = layer
    scales = [1e-3, 1e-2, 0.1, 1.0, 10.0]
    several = adaptive_kde.mutual_information_bounds(h, labels, scales)
    for i, s in enumerate(scales):
        one = adaptive_kde.mutual_information_bounds(h, labels, s)
        np.testing.assert_allclose(_fields(several)[:, i], _fields(one), atol=REFERENCE_ATOL)
    upper = np.asarray(several.i_xt_upper)
    assert np.all(np.diff(upper) <= 0) and np.all(upper >= np.asarray(several.i_xt_lower))
    assert np.all((upper >= 0) & (upper <= math.log2(N)))


@pytest.mark.parametrize(
    ("kwargs", "error", "fragment"),
    [
        ({"noise_scale": 0.0}, ValueError, "noise_scale"),
        ({"noise_scale": -0.1}, ValueError, "noise_scale"),
        ({"noise_scale": float("nan")}, ValueError, "noise_scale"),
        ({"noise_scale": float("inf")}, ValueError, "noise_scale"),
        ({"noise_scale": [0.1, 0.0]}, ValueError, "noise_scale"),
        ({"noise_scale": []}, ValueError, "noise_scale"),
        ({"noise_scale": "0.1"}, TypeError, "noise_scale"),
        ({"rule": "median"}, ValueError, "rule"),
        ({"rule": 2}, TypeError, "rule"),
    ],
)
def test_bad_parameters_name_themselves(layer, kwargs, error, fragment):
    h, labels = layer
    with pytest.raises(error, match=fragment):
        adaptive_kde.mutual_information_bounds(h, labels, **kwargs)
    with pytest.raises(error, match=fragment):
        adaptive_kde.adaptive_noise_variance(h, **kwargs)


@pytest.mark.parametrize(
    ("activity", "labels", "fragment"),
    [
        (np.array([[0.0], [np.nan]]), [0, 1], "activity"),
        (np.zeros(4), [0, 0, 1, 1], "activity"),
        (np.zeros((1, 2)), [0], "activity"),
        (np.ones((4, 2)), [0, 1], "labels"),
    ],
)
def test_bad_activity_and_labels_are_refused(activity, labels, fragment):
    with pytest.raises(ValueError, match=fragment):
        adaptive_kde.mutual_information_bounds(activity, labels)


def test_an_adapted_variance_below_the_kde_range_is_refused():
    with pytest.raises(ValueError, match="noise_scale"):
        adaptive_kde.mutual_information_bounds(np.array([[0.0], [1e-300]]), [0, 1], 1e-3)
