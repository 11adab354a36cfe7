"""Activity histograms and saturation statistics (App E; C15, C16)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from simulate.saturation import activity_histogram, extreme_bin_fraction, histogram_edges, zero_fraction

# Binomial tolerance: with n = 200 000 uniform draws the fraction's standard error is ≤ 0.5/√n ≈ 0.0011; 5 SE.
UNIFORM_DRAWS = 200_000
UNIFORM_TOL = 5 * 0.5 / np.sqrt(UNIFORM_DRAWS)


def test_uniform_activity_fills_extreme_bins_in_proportion() -> None:
    rng = np.random.default_rng(0)
    h = rng.uniform(-1, 1, size=(1, UNIFORM_DRAWS, 1))
    assert abs(extreme_bin_fraction(h)[0] - 2 / 30) < UNIFORM_TOL
    hist = activity_histogram(h, histogram_edges("tanh"))
    assert hist.shape == (1, 30)
    assert np.max(np.abs(hist - 1 / 30)) < UNIFORM_TOL


def test_saturated_tanh_is_all_extreme() -> None:
    z = np.random.default_rng(1).standard_normal((2, 100, 3))
    h = np.tanh(np.sign(z) * (3.0 + 50 * np.abs(z)))  # |net input| ≥ 3: tanh ≥ 0.995
    np.testing.assert_allclose(extreme_bin_fraction(h), 1.0)
    hist = activity_histogram(h, histogram_edges("tanh"))
    np.testing.assert_allclose(hist[:, 0] + hist[:, -1], 1.0)


def test_relu_zero_fraction_of_symmetric_input_is_half() -> None:
    rng = np.random.default_rng(2)
    h = np.maximum(rng.standard_normal((3, UNIFORM_DRAWS // 3, 1)), 0.0)
    np.testing.assert_allclose(zero_fraction(h), 0.5, atol=UNIFORM_TOL * np.sqrt(3))


def test_out_of_range_values_land_in_outer_bins() -> None:
    hist = activity_histogram(np.array([[[-5.0], [0.5], [7.0]]]), histogram_edges("relu", 4, upper=2.0))
    np.testing.assert_allclose(hist, [[1 / 3, 1 / 3, 0, 1 / 3]])


@settings(max_examples=30, deadline=None)
@given(arrays(np.float64, (2, 7, 3), elements=st.floats(-3, 3)))
def test_histogram_rows_are_probability_vectors(h: np.ndarray) -> None:
    hist = activity_histogram(h, np.linspace(-1, 1, 11))
    np.testing.assert_allclose(hist.sum(axis=1), 1.0)
    assert np.all(hist >= 0)
    frac = extreme_bin_fraction(np.tanh(h))
    assert np.all((frac >= 0) & (frac <= 1))


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: extreme_bin_fraction(np.zeros((4, 3))), "activity must have shape"),
        (lambda: zero_fraction(np.full((1, 2, 2), np.nan)), "finite"),
        (lambda: extreme_bin_fraction(np.zeros((1, 2, 2)), n_bins=1), "n_bins"),
        (lambda: histogram_edges("relu"), "upper"),
        (lambda: histogram_edges("sigmoid"), "activation"),
        (lambda: activity_histogram(np.zeros((1, 2, 2)), np.array([1.0, 0.0])), "edges"),
    ],
)
def test_bad_input(call, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call()
