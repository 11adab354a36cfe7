"""Binned MI: exact on discrete patterns, the paper's discretisers, docs/choices.md#a27, properties, bad input.

See docs/formulas.md#s3-1.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulate.mi import binning

# Binning is exact on samples whose pattern counts are the pmf times N: plug-in entropy = true entropy up to
# float rounding of Σ p log p (≤ 1e-12 bits for the sizes below).
EXACT_ATOL = 1e-12


@dataclass(frozen=True)
class DiscretePatterns:
    """Sampler of layer activity whose binned symbols have a known pmf; ground truth travels with it.

    Pattern k (a random bin index per unit, in bins of ``equal_bins(n_bins, -1, 1)``) is repeated ``counts[k]``
    times, with activity jittered uniformly inside its bins. Class labels are a deterministic function of the
    pattern (``label_of[k]``), so I(T;Y) = H(Y) exactly.
    """

    counts: tuple[int, ...]
    label_of: tuple[int, ...]
    width: int = 3
    n_bins: int = 30

    def sample(self, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
        patterns = set()
        while len(patterns) < len(self.counts):
            patterns.add(tuple(rng.integers(0, self.n_bins, self.width)))
        bins = np.repeat(np.array(sorted(patterns)), self.counts, axis=0)
        labels = np.repeat(self.label_of, self.counts)
        edges = np.linspace(-1, 1, self.n_bins + 1)
        low, high = edges[bins], edges[bins + 1]
        activity = low + (high - low) * rng.uniform(0.05, 0.95, size=bins.shape)
        order = rng.permutation(len(labels))
        return activity[order], labels[order]

    def entropy(self) -> float:
        p = np.array(self.counts) / sum(self.counts)
        return float(-np.sum(p * np.log2(p)))

    def label_entropy(self) -> float:
        totals = np.bincount(np.repeat(self.label_of, self.counts))
        p = totals[totals > 0] / totals.sum()
        return float(-np.sum(p * np.log2(p)))


def test_exact_on_known_pmf():
    sampler = DiscretePatterns(counts=(8, 4, 2, 1, 1), label_of=(0, 1, 1, 0, 2))
    activity, labels = sampler.sample(np.random.default_rng(0))
    i_xt, i_ty = binning.mutual_information(activity, labels, binning.equal_bins(30, -1, 1))
    assert i_xt == pytest.approx(sampler.entropy(), abs=EXACT_ATOL)  # 1.875 bits
    assert i_ty == pytest.approx(sampler.label_entropy(), abs=EXACT_ATOL)
    assert binning.entropy([0, 0, 1, 2]) == 1.5


def test_label_information_subtracts_class_conditional_entropy():
    # T takes 4 values uniformly; Y splits them {0,1} vs {2,3}: I(T;Y) = H(T) − H(T|Y) = 2 − 1 = 1 bit.
    h = np.array([[-0.9], [-0.4], [0.1], [0.6]])
    i_xt, i_ty = binning.mutual_information(h, [0, 0, 1, 1], binning.equal_bins(4, -1, 1))
    assert (i_xt, i_ty) == (2.0, 1.0)
    assert binning.mutual_information(h, [0, 1, 0, 1], binning.equal_bins(4, -1, 1))[1] == 1.0
    assert binning.mutual_information(h, [0, 0, 0, 0], binning.equal_bins(4, -1, 1))[1] == 0.0


def test_general_form_uses_unique_inputs_a27():
    # Two inputs, each presented 4 times; input 0 lands in 2 bins equally, input 1 always in one bin.
    activity = np.array([[-0.9], [-0.9], [-0.1], [-0.1], [0.9], [0.9], [0.9], [0.9]])
    inputs = np.array([0, 0, 0, 0, 1, 1, 1, 1])
    labels = inputs
    i_xt, i_ty = binning.mutual_information_general(activity, labels, binning.equal_bins(4, -1, 1), inputs)
    # H(T) = 1.5, H(T|X) = ½·1 + ½·0 = 0.5 ⇒ I(X;T) = 1. The docs/choices.md#a27 bug (sum over samples) gives 1.5 −
    # 4·0.5·1 < 0.
    assert i_xt == pytest.approx(1.0, abs=EXACT_ATOL)
    assert i_ty == pytest.approx(1.0, abs=EXACT_ATOL)
    rng = np.random.default_rng(1)
    distinct = rng.normal(size=(50, 3))
    labels = rng.integers(0, 3, 50)
    disc = binning.fixed_width(0.3)
    assert binning.mutual_information_general(distinct, labels, disc, np.arange(50)) == pytest.approx(
        binning.mutual_information(distinct, labels, disc), abs=EXACT_ATOL
    )


def test_discretizer_semantics():
    h = np.array([-2.0, -1.0, -0.999, 0.0, 0.9999, 1.0, 3.0])
    np.testing.assert_array_equal(binning.equal_bins(30, -1, 1).codes(h), [0, 0, 0, 15, 29, 29, 29])
    np.testing.assert_array_equal(
        binning.equal_bins(30, -1, 1).codes(h), np.clip(np.floor(15 * (h + 1)), 0, 29).astype(int)
    )
    idnns = binning.idnns_edges(30).codes(np.array([0.9999, 1.0]))
    assert idnns[0] != idnns[1]  # h = 1.0 gets its own symbol (docs/choices.md#a3)
    np.testing.assert_array_equal(
        binning.fixed_width(0.07).codes(np.array([-0.07, -0.01, 0.0, 0.0699, 0.07])), [-1, -1, 0, 0, 1]
    )
    mp = binning.machine_precision().codes(np.array([0.0, -0.0, 1e-300, np.nextafter(1.0, 2.0)]))
    assert mp[0] == mp[1] and len(set(mp.tolist())) == 3
    f32 = binning.machine_precision().codes(np.array([1.0, np.nextafter(np.float32(1), np.float32(2))], np.float32))
    assert f32[0] != f32[1]
    net = binning.net_input_edges(30)
    assert np.all(np.diff(net.edges) > 0) and net.edges[0] == -1.0 and net.edges[-1] == 1.0
    np.testing.assert_array_equal(binning.min_max_bins(0.0, 2.0, 100).codes(np.array([0.0, 1.0, 2.0])), [0, 50, 99])


def test_min_max_range_global_and_per_layer():
    minimum = np.array([[0.0, -1.0], [0.0, -3.0]])  # (epoch, layer)
    maximum = np.array([[1.0, 2.0], [5.0, 2.5]])
    assert binning.min_max_range(minimum, maximum) == (-3.0, 5.0)
    low, high = binning.min_max_range(minimum, maximum, per_layer=True)
    np.testing.assert_array_equal(low, [0.0, -3.0])
    np.testing.assert_array_equal(high, [5.0, 2.5])
    low, high = binning.min_max_range(np.zeros((3, 1)), np.zeros((3, 1)), per_layer=True)
    assert high[0] > low[0]  # a constant layer still gets valid bins


def test_constant_and_saturated_activity_are_valid():
    labels = np.array([0, 1] * 8)
    assert binning.mutual_information(np.zeros((16, 3)), labels, binning.equal_bins()) == (0.0, 0.0)
    saturated = np.where(np.arange(16)[:, None] % 2 == 0, 1.0, -1.0) * np.ones((16, 2))
    assert binning.mutual_information(saturated, labels, binning.equal_bins()) == (1.0, 1.0)
    assert binning.mutual_information(saturated, labels, binning.machine_precision()) == (1.0, 1.0)


def test_machine_precision_gives_log2_n_for_distinct_rows():
    rng = np.random.default_rng(2)
    activity = rng.normal(size=(4096, 2)).astype(np.float32)
    assert binning.mutual_information(activity, rng.integers(0, 2, 4096), binning.machine_precision())[0] == 12.0


def test_row_symbols_survive_int64_overflow():
    # 40 columns of bit patterns: a naive mixed-radix code would overflow int64; equal rows must stay equal.
    rng = np.random.default_rng(3)
    rows = rng.normal(size=(100, 40))
    rows = np.vstack([rows, rows[:10]])
    codes = binning.machine_precision().codes(rows)
    symbols = binning.row_symbols(codes)
    assert len(np.unique(symbols)) == 100
    np.testing.assert_array_equal(symbols[100:], symbols[:10])


activity_strategy = st.integers(0, 2**32 - 1).map(
    lambda seed: (np.random.default_rng(seed).normal(size=(40, 3)), np.random.default_rng(seed + 1).integers(0, 3, 40))
)


@settings(max_examples=40, deadline=None)
@given(data=activity_strategy, delta=st.floats(0.05, 5.0), seed=st.integers(0, 1000))
def test_properties(data, delta, seed):
    activity, labels = data
    disc = binning.fixed_width(delta)
    i_xt, i_ty = binning.mutual_information(activity, labels, disc)
    assert 0.0 <= i_xt <= np.log2(len(labels)) + 1e-12
    assert 0.0 <= i_ty <= binning.entropy(labels) + 1e-12
    assert i_ty <= i_xt + 1e-12
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(labels))
    relabel = rng.permutation(3)[labels] + 7
    permuted = binning.mutual_information(activity[order], relabel[order], disc)
    assert permuted == pytest.approx((i_xt, i_ty), abs=1e-12)


@settings(max_examples=40, deadline=None)
@given(data=activity_strategy, n_bins=st.integers(1, 20), extra=st.lists(st.floats(-3, 3), max_size=10))
def test_refining_edges_never_decreases_binned_information(data, n_bins, extra):
    activity, labels = data
    coarse = np.linspace(-3, 3, n_bins + 1)
    fine = np.union1d(coarse, np.asarray(extra, dtype=float))
    assert binning.mutual_information(activity, labels, fine)[0] >= (
        binning.mutual_information(activity, labels, coarse)[0] - 1e-12
    )


@pytest.mark.parametrize(
    ("args", "match"),
    [
        ((np.array([[np.nan], [0.0]]), [0, 1], binning.equal_bins()), "activity"),
        ((np.array([[np.inf], [0.0]]), [0, 1], binning.equal_bins()), "activity"),
        ((np.zeros((1, 2)), [0], binning.equal_bins()), "N >= 2"),
        ((np.zeros(4), [0, 1, 0, 1], binning.equal_bins()), "activity"),
        ((np.zeros((4, 1)), [0, 1, 0], binning.equal_bins()), "labels"),
        ((np.zeros((4, 1)), [0.5, 1, 0, 1], binning.equal_bins()), "labels"),
        ((np.zeros((4, 1)), [0, 1, 0, 1], [0.0, 0.0, 1.0]), "increasing"),
        ((np.zeros((4, 1)), [0, 1, 0, 1], "tanh"), "discretizer"),
    ],
)
def test_bad_input(args, match):
    with pytest.raises(ValueError, match=match):
        binning.mutual_information(*args)


def test_bad_constructor_arguments():
    with pytest.raises(ValueError, match="delta"):
        binning.fixed_width(0.0)
    with pytest.raises(ValueError, match="n_bins"):
        binning.equal_bins(0)
    with pytest.raises(ValueError, match="low"):
        binning.min_max_bins(1.0, 1.0)
    with pytest.raises(ValueError, match="inputs"):
        binning.mutual_information_general(np.zeros((4, 1)), [0, 1, 0, 1], binning.equal_bins(), [0, 1])
