"""Kozachenko–Leonenko entropy: Gaussian samples of known entropy, exact equivariances, bad input.

See docs/formulas.md#s3-9.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pytest
from scipy.special import digamma

from simulate.mi import kraskov

N_SAMPLES = 3000
# The estimate is a mean of d·log r_i over N samples: its standard error is ≈ d·std(log₂ r_i)/√N (measured
# 0.03 bits for N = 3000, d ≤ 3, matching the spread over 20 seeds). The k = 2 estimator's finite-N bias on
# Gaussians is about −0.03 bits in d = 3 (≈ 1 SE), so 4 standard errors bound noise plus bias.
N_STANDARD_ERRORS = 4.0


@dataclass(frozen=True)
class GaussianSampler:
    """Correlated Gaussian with exact differential entropy ½ log₂ det(2πeC) bits (the ground truth)."""

    covariance: np.ndarray

    def sample(self, n: int, rng: np.random.Generator) -> np.ndarray:
        return rng.multivariate_normal(np.zeros(len(self.covariance)), self.covariance, size=n)

    def entropy(self) -> float:
        return 0.5 * math.log2(np.linalg.det(2 * math.pi * math.e * self.covariance))


@pytest.mark.parametrize("dim", [1, 2, 3])
def test_gaussian_entropy_within_standard_errors(dim):
    rng = np.random.default_rng(dim)
    A = rng.normal(size=(dim, dim))
    sampler = GaussianSampler(A @ A.T + 0.5 * np.eye(dim))
    x = sampler.sample(N_SAMPLES, rng)
    standard_error = dim * np.std(np.log2(kraskov.neighbour_distances(x, 2))) / math.sqrt(N_SAMPLES)
    assert abs(kraskov.entropy(x) - sampler.entropy()) < N_STANDARD_ERRORS * standard_error


def test_exact_translation_and_scale_equivariance():
    x = np.random.default_rng(5).normal(size=(500, 2))
    h = kraskov.entropy(x)
    assert kraskov.entropy(x + 3.0) == pytest.approx(h, abs=1e-10)
    # H(aX) = H(X) + d log₂ a; ε = 1e-16 is negligible against distances of order 0.1
    assert kraskov.entropy(4.0 * x) == pytest.approx(h + 2 * 2.0, abs=1e-10)


def test_permutation_invariance():
    x = np.random.default_rng(8).normal(size=(300, 3))
    order = np.random.default_rng(9).permutation(300)
    assert kraskov.entropy(x[order]) == pytest.approx(kraskov.entropy(x), abs=1e-12)


def test_duplicates_are_finite_and_lower_the_entropy():
    x = np.random.default_rng(6).normal(size=(200, 2))
    duplicated = np.vstack([x, x, x])
    h = kraskov.entropy(duplicated)
    assert np.isfinite(h) and h < kraskov.entropy(x) - 10  # r_i = 0 contributes log ε = −53 bits per unit
    assert np.isfinite(kraskov.entropy(np.zeros((10, 3))))  # constant (saturated) activity is valid input


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"activity": np.zeros((2, 1)), "k": 2}, "k must"),
        ({"activity": np.zeros((5, 1)), "k": 0}, "k must"),
        ({"activity": np.zeros((5, 1)), "k": 1.5}, "k must"),
        ({"activity": np.full((5, 1), np.nan)}, "activity"),
        ({"activity": np.zeros(5)}, "activity"),
        ({"activity": np.zeros((5, 1)), "epsilon": 0.0}, "epsilon"),
    ],
)
def test_bad_input(kwargs, match):
    with pytest.raises(ValueError, match=match):
        kraskov.entropy(**kwargs)


def test_several_orders_from_one_query_equal_one_query_per_order():
    rng = np.random.default_rng(3)
    # saturated tanh activity: many exact duplicates and ties between neighbour distances
    activity = np.tanh(4 * rng.normal(size=(600, 3))).round(2)
    ks = (8, 1, 4, 2)
    several = kraskov.entropies(activity, ks)
    assert several.shape == (4,)
    for k, value in zip(ks, several):
        assert value == kraskov.entropy(activity, k=k)  # bit for bit, in the order asked


def test_several_orders_match_brute_force_distances():
    rng = np.random.default_rng(4)
    activity = rng.normal(size=(200, 2))
    distances = np.sort(np.linalg.norm(activity[:, None] - activity[None], axis=-1), axis=1)
    n, d = activity.shape
    for k, value in zip((1, 3), kraskov.entropies(activity, (1, 3), epsilon=1e-16)):
        nats = (
            d * np.mean(np.log(distances[:, k] + 1e-16))
            + 0.5 * d * math.log(math.pi)
            - math.lgamma(0.5 * d + 1)
            + float(digamma(n))
            - float(digamma(k))
        )
        assert value == pytest.approx(nats / math.log(2), rel=1e-12)


@pytest.mark.parametrize(
    ("ks", "error", "match"),
    [((), ValueError, "at least one"), (3, TypeError, "sequence"), ("12", TypeError, "sequence"),
     ((2, 0), ValueError, "ks"), ((2, 600), ValueError, "ks"), ((2.5,), ValueError, "ks")],
)  # fmt: skip
def test_bad_orders(ks, error, match):
    with pytest.raises(error, match=match):
        kraskov.entropies(np.random.default_rng(0).normal(size=(600, 2)), ks)
