"""Entropy-based adaptive binning (simulate.mi.ebab, arXiv:1902.09037 §3): known answers, ties, invariances, input.

Known answers: N distinct values in B | N bins give exactly log₂ B bits; otherwise the bin counts are
⌊(k+1)N/B⌋ − ⌊kN/B⌋. Ties (saturated tanh at ±1.0, ReLU's zeros) are never split, and with ``count="unique"``
each tied level counts once (checked against a plain loop over the sorted levels). Equal-count bins are invariant
to strictly increasing transforms of the activity (fixed-range bins are not: a control); the edges are shared by
the units of a layer (per layer, as the paper defines them); the three-neuron tanh unit gives the same estimate for
every weight w > 0 while float64 keeps its values distinct. The population closed forms are tested in
``tests/test_adaptive_binning_theory.py``.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from simulate.mi import binning, ebab

# Plug-in entropies are sums of logs of counts: only float rounding separates them from the exact values.
ROUNDING_ATOL = 1e-12
N = 4096


def _plug_in(counts) -> float:
    p = np.asarray(counts, dtype=float)
    p = p[p > 0] / p.sum()
    return float(-(p * np.log2(p)).sum())


@pytest.fixture(scope="module")
def normal():
    return np.random.default_rng(0).normal(size=(N, 3))


@pytest.mark.parametrize("count", ebab.COUNTS)
@pytest.mark.parametrize("n_bins", [2, 4, 16, 64, 4096])
def test_distinct_values_fill_bins_equally(normal, count, n_bins):
    h = normal[:, :1]
    i_xt, _ = ebab.mutual_information(h, np.zeros(N, dtype=int), n_bins, count=count)
    assert i_xt == pytest.approx(math.log2(n_bins), abs=ROUNDING_ATOL)


@pytest.mark.parametrize("n_bins", [3, 30, 1000])
def test_bin_counts_when_the_bins_do_not_divide_the_sample(normal, n_bins):
    k = np.arange(n_bins + 1)
    counts = np.diff((k * N) // n_bins)
    codes = ebab.entropy_based_bins(n_bins).codes(normal[:, :1])
    assert sorted(np.bincount(codes[:, 0])) == sorted(counts)
    i_xt, _ = ebab.mutual_information(normal[:, :1], np.zeros(N, dtype=int), n_bins)
    assert i_xt == pytest.approx(_plug_in(counts), abs=ROUNDING_ATOL)
    assert i_xt < math.log2(n_bins)


def _saturated_layer(rng: np.random.Generator) -> np.ndarray:
    """1000 values: 600 at exactly 1.0, 200 at exactly −1.0 (saturated tanh), 200 distinct in between."""
    h = np.concatenate([np.ones(600), -np.ones(200), np.tanh(rng.normal(size=200))])
    return rng.permutation(h)[:, None]


def _reference_unique_codes(h: np.ndarray, n_bins: int) -> np.ndarray:
    """A plain loop: rank of each distinct level, bin = number of cut ranks ⌊kU/B⌋ (k ≥ 1) at or below it."""
    levels = sorted(set(h.ravel().tolist()))
    cuts = [(k * len(levels)) // n_bins for k in range(1, n_bins)]
    rank = {v: r for r, v in enumerate(levels)}
    return np.array([[sum(1 for c in set(cuts) if c <= rank[v]) for v in row] for row in h])


def test_ties_are_never_split_and_count_once_as_a_level():
    h = _saturated_layer(np.random.default_rng(1))
    codes = ebab.entropy_based_bins(10).codes(h)
    assert len(set(codes[h == 1.0])) == 1 and len(set(codes[h == -1.0])) == 1
    np.testing.assert_array_equal(codes, _reference_unique_codes(h, 10))
    assert len(np.unique(codes)) == 10, "the atoms take one level each: every bin still resolves the rest"


def test_equal_mass_bins_merge_the_cut_points_inside_an_atom():
    h = _saturated_layer(np.random.default_rng(1))
    # sorted: 200 × −1, 200 distinct, 600 × 1; cuts at 100, 200, …, 900 → edges −1, v₂₀₀, v₃₀₀, 1 (merged)
    codes = ebab.entropy_based_bins(10, "values").codes(h)
    _, counts = np.unique(codes, return_counts=True)
    assert sorted(counts) == [100, 100, 200, 600]
    i_xt, _ = ebab.mutual_information(h, np.zeros(1000, dtype=int), 10, count="values")
    assert i_xt == pytest.approx(_plug_in([200, 100, 100, 600]), abs=ROUNDING_ATOL)


def test_few_levels_are_binned_exactly():
    h = np.repeat([[0.0], [0.25], [3.0]], [5, 2, 1], axis=0)
    for count in ebab.COUNTS:
        i_xt, _ = ebab.mutual_information(h, np.zeros(8, dtype=int), 30, count=count)
        assert i_xt == pytest.approx(_plug_in([5, 2, 1]), abs=ROUNDING_ATOL)


def test_constant_and_signed_zero_activity():
    h = np.array([[0.0], [-0.0], [0.0], [-0.0]])
    assert ebab.entropy_based_bins(4).edges(h).size == 0
    assert ebab.mutual_information(h, [0, 1, 0, 1], 4) == (0.0, 0.0)


STRICTLY_INCREASING = {
    "exp": np.exp,
    "cube": lambda x: x**3,
    "affine": lambda x: 7.0 * x - 3.0,
    "tanh_plus_linear": lambda x: np.tanh(2 * x) + 0.1 * x,
    "arcsinh": np.arcsinh,
}


@pytest.mark.parametrize("count", ebab.COUNTS)
@pytest.mark.parametrize("transform", sorted(STRICTLY_INCREASING))
def test_invariant_to_strictly_increasing_transforms(normal, count, transform):
    labels = (normal[:, 0] + normal[:, 1] > 0).astype(int)
    disc = ebab.entropy_based_bins(30, count)
    g = STRICTLY_INCREASING[transform](normal)
    assert np.unique(g).size == normal.size, "precondition: the transform keeps the values distinct"
    np.testing.assert_array_equal(disc.codes(g), disc.codes(normal))
    assert ebab.mutual_information(g, labels, 30, count=count) == ebab.mutual_information(
        normal, labels, 30, count=count
    )


def test_fixed_range_bins_are_not_invariant(normal):
    """The control: 30 min–max bins change under exp, so the invariance above is a property of EBAB."""
    labels = (normal[:, 0] > 0).astype(int)

    def min_max(h):
        return binning.mutual_information(h, labels, binning.min_max_bins(h.min(), h.max(), 30))

    assert abs(min_max(np.exp(normal))[0] - min_max(normal)[0]) > 1.0


def test_edges_are_shared_by_the_units_of_a_layer(normal):
    """Unit 2 = unit 1 + 10: pooled edges put unit 1 in the low bins and unit 2 in the high ones (1 bit, B = 4);
    per-unit edges would give each unit the same 4-way split (2 bits)."""
    h = np.column_stack([normal[:, 0], normal[:, 0] + 10.0])
    i_xt, _ = ebab.mutual_information(h, np.zeros(N, dtype=int), 4)
    assert i_xt == pytest.approx(1.0, abs=ROUNDING_ATOL)
    assert ebab.mutual_information(h[:, :1], np.zeros(N, dtype=int), 4)[0] == pytest.approx(2.0, abs=ROUNDING_ATOL)


def test_label_information_uses_the_layer_bins():
    h = np.arange(8.0)[:, None]
    assert ebab.mutual_information(h, [0, 0, 0, 0, 1, 1, 1, 1], 2) == (1.0, 1.0)
    assert ebab.mutual_information(h, [0, 1, 0, 1, 0, 1, 0, 1], 2) == (1.0, 0.0)


def test_independent_of_the_order_of_inputs(normal):
    labels = (normal[:, 2] > 0.5).astype(int)
    order = np.random.default_rng(3).permutation(N)
    assert ebab.mutual_information(normal[order], labels[order], 30) == ebab.mutual_information(normal, labels, 30)


@pytest.mark.parametrize("w", [0.05, 0.5, 1.0, 2.0])
def test_three_neuron_tanh_unit_is_the_same_for_every_weight(w):
    """h = tanh(wX) is strictly increasing in X for w > 0: the estimate is EBAB of X itself (and log₂ B, B | N)."""
    x = np.random.default_rng(4).normal(size=(N, 1))
    labels = (x[:, 0] > 0.3).astype(int)
    h = np.tanh(w * x)
    assert np.unique(h).size == N, "precondition: float64 keeps tanh(wX) distinct at this weight"
    assert ebab.mutual_information(h, labels, 32) == ebab.mutual_information(x, labels, 32)
    assert ebab.mutual_information(h, labels, 32)[0] == pytest.approx(5.0, abs=ROUNDING_ATOL)


def test_saturation_in_float64_creates_ties_that_share_one_bin():
    """At w = 50, tanh(wX) rounds to ±1.0 for |X| ≳ 0.37: the ties share a bin and I(X;T) falls below log₂ B."""
    x = np.random.default_rng(4).normal(size=(N, 1))
    h = np.tanh(50.0 * x)
    codes = ebab.entropy_based_bins(32).codes(h)
    assert len(set(codes[h == 1.0])) == 1 and len(set(codes[h == -1.0])) == 1
    assert ebab.mutual_information(h, np.zeros(N, dtype=int), 32)[0] < 5.0 - 0.5


def test_float32_activity_keeps_its_levels():
    h = np.float32(np.linspace(0, 1, 64)[:, None])
    assert ebab.mutual_information(h, np.zeros(64, dtype=int), 8)[0] == pytest.approx(3.0, abs=ROUNDING_ATOL)


@pytest.mark.parametrize(
    ("kwargs", "error", "fragment"),
    [
        ({"n_bins": 1}, ValueError, "n_bins"),
        ({"n_bins": 0}, ValueError, "n_bins"),
        ({"n_bins": 2.5}, ValueError, "n_bins"),
        ({"n_bins": True}, TypeError, "n_bins"),
        ({"n_bins": "30"}, TypeError, "n_bins"),
        ({"count": "median"}, ValueError, "count"),
        ({"count": None}, TypeError, "count"),
    ],
)
def test_bad_parameters_name_themselves(kwargs, error, fragment):
    with pytest.raises(error, match=fragment):
        ebab.entropy_based_bins(**kwargs)
    with pytest.raises(error, match=fragment):
        ebab.mutual_information(np.zeros((4, 1)), [0, 0, 1, 1], **kwargs)


@pytest.mark.parametrize(
    ("activity", "labels", "fragment"),
    [
        (np.array([[0.0], [np.nan]]), [0, 1], "activity"),
        (np.array([[0.0], [np.inf]]), [0, 1], "activity"),
        (np.zeros(4), [0, 0, 1, 1], "activity"),
        (np.zeros((1, 3)), [0], "activity"),
        (np.zeros((4, 2)), [0, 1], "labels"),
        (np.zeros((4, 2)), [0.5, 1, 0, 1], "labels"),
    ],
)
def test_bad_activity_and_labels_are_refused(activity, labels, fragment):
    with pytest.raises(ValueError, match=fragment):
        ebab.mutual_information(activity, labels, 4)


def test_discretiser_refuses_non_finite_or_non_real_activity():
    with pytest.raises(ValueError, match="activity"):
        ebab.entropy_based_bins(4).codes(np.array([1.0, np.nan]))
    with pytest.raises(TypeError, match="activity"):
        ebab.entropy_based_bins(4).edges(np.array(["a", "b"]))
