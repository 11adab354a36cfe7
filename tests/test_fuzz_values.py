"""Fuzz suite, part 2: valid inputs across their documented range, checked against independent references (issue 14).

* KDE bounds against the SciPy reference (exact pairwise distances from ``cdist`` and ``logsumexp``), 1e-6 bits, for
  duplicated and near-duplicate rows, widths up to 64 (1024 in the regression tests), magnitudes up to 1e148 and
  σ² from 1e-12 to 1e3 relative to the data's scale;
* binned I(X;T), I(T;Y) independent of how the labels are encoded;
* the Gaussian log-det MI (NumPy) against the mpmath witness (``theory.gaussian``) for rank-deficient maps, at every
  σ² the NumPy function accepts;
* the edge constructors and the estimators return finite values on every valid input.

The number of examples is ``--fuzz-examples`` (default 25 per test); every call goes through :func:`fuzz_harness.call`.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from fuzz_harness import FUZZ_EXAMPLES, ContractViolation, call, wrong
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulate.mi import binning, gaussian, kde, kraskov
from simulate.mi.kde_reference import mutual_information_bounds_reference
from theory import binning_edges
from theory import gaussian as theory_gaussian

FUZZ = settings(
    max_examples=FUZZ_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)
#: Issue 14: KDE bounds agree with exactly computed pairwise distances to this many bits.
KDE_TOLERANCE_BITS = 1e-6
#: NumPy vs mpmath Gaussian MI: both are exact to float rounding of I ≈ up to 1e3 bits; 1e-6 bits absolute plus a
#: relative 1e-9 (LAPACK's singular values carry a relative error ~ n ε).
GAUSSIAN_TOLERANCE_BITS = 1e-6
GAUSSIAN_RELATIVE = 1e-9


def _checked(fn, **kwargs):
    try:
        return call(fn, kwargs)
    except ContractViolation as violation:
        pytest.fail(str(violation))


@st.composite
def layer_activity(draw):
    """(activity, labels, variance): clusters of duplicated and near-duplicate rows at any magnitude."""
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    n = draw(st.integers(2, 48))
    d = draw(st.sampled_from([1, 2, 3, 10, 64]))
    scale = 10.0 ** draw(st.floats(-6, 148))
    n_patterns = draw(st.integers(1, 6))
    patterns = rng.choice([-1.0, 1.0], size=(n_patterns, d)) * rng.uniform(0.5, 1, size=(n_patterns, d))
    activity = patterns[rng.integers(0, n_patterns, n)]
    jitter = 10.0 ** draw(st.floats(-17, 0))
    if draw(st.booleans()):
        activity = activity + jitter * rng.normal(size=activity.shape) * (rng.random(size=(n, 1)) < 0.5)
    activity = activity * scale
    labels = rng.integers(0, draw(st.integers(1, 3)), n)
    variance = scale**2 * 10.0 ** draw(st.floats(-12, 3))
    return activity, labels, variance


@FUZZ
@given(layer_activity())
def test_kde_bounds_match_exact_pairwise_distances(case):
    activity, labels, variance = case
    bounds = _checked(kde.mutual_information_bounds, activity=activity, labels=labels, noise_variance=variance)
    reference = mutual_information_bounds_reference(activity, labels, variance)
    ours = (bounds.i_xt_upper, bounds.i_xt_lower, bounds.i_ty_upper, bounds.i_ty_lower)
    gap = max(abs(a - b) for a, b in zip(ours, reference))
    if not gap <= KDE_TOLERANCE_BITS:
        raise wrong(f"KDE bounds {ours} vs exact {reference}: gap {gap:.3g} bits (σ² = {variance:.3g})")


@FUZZ
@given(st.integers(0, 2**32 - 1), st.sampled_from(["float_huge", "negative", "sparse", "bool", "float_negative"]))
def test_binned_information_independent_of_label_encoding(seed, encoding):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 64))
    activity = np.tanh(rng.normal(size=(n, 3)))
    labels = rng.integers(0, 2, n)
    encoded = {
        "float_huge": np.where(labels == 0, 1e300, 2e300),
        "negative": labels.astype(np.int64) * -(2**62),
        "sparse": labels * 1_000_003 + 7,
        "bool": labels.astype(bool),
        "float_negative": labels * 3.0 - 5.0,
    }[encoding]
    discretizer = binning.equal_bins(30, -1, 1)
    expected = _checked(binning.mutual_information, activity=activity, labels=labels, discretizer=discretizer)
    got = _checked(binning.mutual_information, activity=activity, labels=encoded, discretizer=discretizer)
    if got is None or not np.allclose(got, expected, rtol=0, atol=1e-12):  # summation order only
        raise wrong(f"binned MI with {encoding} labels {got} != {expected} with integer labels")
    kde_expected = kde.mutual_information_bounds(activity, labels, 0.01)
    kde_got = _checked(kde.mutual_information_bounds, activity=activity, labels=encoded, noise_variance=0.01)
    if kde_got.i_ty_upper != pytest.approx(kde_expected.i_ty_upper, abs=1e-12):
        raise wrong(f"KDE I(T;Y) with {encoding} labels differs from integer labels")


@st.composite
def linear_channel(draw):
    """(W, Σ, σ²): maps of any rank (product of random factors), magnitudes 1e-3 … 1e150."""
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    n_out, n_in = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    rank = draw(st.integers(0, min(n_out, n_in)))
    W = rng.normal(size=(n_out, rank)) @ rng.normal(size=(rank, n_in)) if rank else np.zeros((n_out, n_in))
    W = W * 10.0 ** draw(st.floats(-3, 150))
    A = rng.normal(size=(n_in, n_in))
    cov = A @ A.T / n_in + np.eye(n_in) * draw(st.sampled_from([0.0, 1e-3, 1.0]))
    variance = 10.0 ** draw(st.floats(-300, 300))
    return W, cov, variance


@FUZZ
@given(linear_channel())
def test_gaussian_information_matches_mpmath(case):
    W, cov, variance = case
    try:
        ours = call(gaussian.mutual_information, {"W": W, "input_cov": cov, "noise_variance": variance})
    except ContractViolation as violation:
        pytest.fail(str(violation))
    if ours is None:  # refused with a clear error: only below the documented smallest variance
        with pytest.raises(ValueError, match="noise_variance must be >="):
            gaussian.mutual_information(W, cov, variance)
        return
    exact = theory_gaussian.mutual_information(W, cov, variance, dps=30)
    if not abs(ours - exact) <= GAUSSIAN_TOLERANCE_BITS + GAUSSIAN_RELATIVE * abs(exact):
        raise wrong(f"Gaussian MI {ours} vs mpmath {exact} (σ² = {variance:.3g}, W scale {np.abs(W).max():.3g})")


@FUZZ
@given(
    st.integers(1, 2000),
    st.floats(-1e300, 1e300, allow_nan=False),
    st.floats(1e-300, 1e300),
    st.booleans(),
)
def test_equal_width_edges_are_finite_and_increasing_or_refused(n_bins, low, width, exact):
    edges = call(binning_edges.equal_width_edges, {"n_bins": n_bins, "low": low, "high": low + width, "exact": False})
    if edges is not None:
        assert edges.size == n_bins + 1 and np.all(np.diff(edges) > 0)
    simulate_edges = call(binning.equal_bins, {"n_bins": n_bins, "low": low, "high": low + width})
    if simulate_edges is not None:
        assert np.all(np.diff(simulate_edges.edges) > 0)


@FUZZ
@given(st.floats(1e-300, 1e300), st.floats(1e-300, 1e300))
def test_half_line_edges_bounded_or_refused(delta, w_max):
    edges = call(binning_edges.half_line_edges, {"delta": delta, "w_max": w_max})
    if edges is not None:
        assert edges.size <= binning_edges.MAX_EDGES and np.all(np.diff(edges) > 0)


@FUZZ
@given(layer_activity(), st.integers(1, 3))
def test_kraskov_and_binning_finite_on_valid_activity(case, k):
    activity, labels, _ = case
    if activity.shape[0] > k and np.max(np.abs(activity)) <= 1e150:
        _checked(kraskov.entropy, activity=activity, k=k)
    for discretizer in (binning.equal_bins(30, -1, 1), binning.machine_precision(), binning.idnns_edges(30)):
        _checked(binning.mutual_information, activity=activity, labels=labels, discretizer=discretizer)


# ------------------------------------------------------------------ the examples of issue 14, one test each
def test_issue_kde_saturated_1024_unit_layer_at_tiny_variance():
    rng = np.random.default_rng(0)
    patterns = np.sign(rng.normal(size=(2, 1024)))
    which = np.arange(256) % 2
    bounds = kde.mutual_information_bounds(patterns[which], which, 1e-12)
    # two distinct, equiprobable patterns: exactly 1 bit, and the labels follow the patterns
    assert bounds.i_xt_upper == pytest.approx(1.0, abs=1e-9)
    assert bounds.i_xt_lower == pytest.approx(1.0, abs=1e-9)
    assert bounds.i_ty_upper == pytest.approx(1.0, abs=1e-9)


def test_issue_kde_near_duplicates_at_large_magnitude():
    rng = np.random.default_rng(1)
    base = rng.normal(size=(1, 1024)) * 1e160
    activity = np.repeat(base, 64, axis=0)
    activity[::2, 0] *= 1 + 1e-15  # near-duplicates at 1e160: distances ~1e290, σ² = 1e300 sees them
    labels = np.arange(64) % 2
    assert kde.mutual_information_bounds(activity, labels, 1e-12).i_xt_upper == pytest.approx(1.0, abs=1e-12)
    unit = 2.0**-531  # exact power-of-two rescaling brings the reference into float64 range
    for variance in (1e280, 1e290, 1e300):
        bounds = kde.mutual_information_bounds(activity, labels, variance)
        reference = mutual_information_bounds_reference(activity * unit, labels, variance * unit * unit)
        assert bounds.i_xt_upper == pytest.approx(reference[0], abs=KDE_TOLERANCE_BITS)
        assert bounds.i_xt_lower == pytest.approx(reference[1], abs=KDE_TOLERANCE_BITS)


def test_issue_kde_lower_bound_never_exceeds_upper_at_tiny_variance():
    rng = np.random.default_rng(2)
    activity = np.tanh(rng.normal(size=(200, 1024)) * 20)
    activity[100:] = activity[:100] + 1e-9 * rng.normal(size=(100, 1024))
    bounds = kde.mutual_information_bounds(activity, np.arange(200) % 2, [1e-12, 1e-6])
    reference = [mutual_information_bounds_reference(activity, np.arange(200) % 2, v) for v in (1e-12, 1e-6)]
    assert np.all(bounds.i_xt_lower <= bounds.i_xt_upper + 1e-12)
    np.testing.assert_allclose(bounds.i_xt_upper, [r[0] for r in reference], atol=KDE_TOLERANCE_BITS)


def test_issue_binned_labels_as_huge_integral_floats():
    activity = np.array([[-0.9], [0.9]])
    i_xt, i_ty = binning.mutual_information(activity, np.array([1e300, 2e300]), binning.equal_bins(2, -1, 1))
    assert (i_xt, i_ty) == (1.0, 1.0)


def test_issue_gaussian_rank_deficient_at_tiny_variance():
    W = np.array([[1.0, 2.0, 3.0, 4.0], [2.0, 4.0, 6.0, 8.0], [0.5, 1.0, 1.5, 2.0]])  # rank 1, exactly
    exact = 0.5 * math.log2(1 + 30 * 5.25 / 1e-12)
    assert gaussian.mutual_information(W, np.eye(4), 1e-12) == pytest.approx(exact, abs=1e-9)
    with pytest.raises(ValueError, match="noise_variance must be >="):
        gaussian.mutual_information(W, np.eye(4), 1e-16)
    assert theory_gaussian.mutual_information(W, np.eye(4), 1e-16) == pytest.approx(
        0.5 * math.log2(1 + 157.5 / 1e-16), abs=1e-9
    )


@pytest.mark.parametrize(
    ("call_", "error"),
    [
        (lambda: kraskov.entropy(np.zeros((5, 0))), ValueError),
        (lambda: theory_gaussian.mutual_information(np.zeros((0, 2)), np.eye(2), 1.0), ValueError),
        (lambda: binning.equal_bins(float("inf")), ValueError),
        (lambda: binning_edges.half_line_edges(2 / 29, 1e308), ValueError),
        (lambda: binning_edges.half_line_edges(2 / 29, 1e6), ValueError),
        (
            lambda: binning.mutual_information(
                np.zeros((4, 2), np.longdouble), [0, 1, 0, 1], binning.machine_precision()
            ),
            None,
        ),
        (lambda: theory_gaussian.mutual_information(np.eye(2), -np.eye(2), 1.0), ValueError),
        (lambda: theory_gaussian.subspace_mutual_information(np.eye(2), np.eye(2), 1.0, [5]), ValueError),
        (lambda: theory_gaussian.entropy_expr([["__import__('os').getcwd()", 0], [0, 1]]), TypeError),
        (lambda: binning.mutual_information(np.zeros((2, 1)), [0, 1], ["0", "1"]), ValueError),
        (lambda: binning_edges.equal_width_edges("30"), TypeError),
    ],
)
def test_issue_examples_raise_clear_errors(call_, error):
    if error is None:
        call_()
        return
    with pytest.raises(error):
        call_()


def test_issue_kde_explicit_upper_bound_of_nothing_is_refused():
    from theory.kde import explicit_upper_bound

    with pytest.raises(ValueError, match="distances"):
        explicit_upper_bound([], 1)
    with pytest.raises(TypeError, match="distances"):
        explicit_upper_bound([[0, "x"], ["x", 0]], 1)
