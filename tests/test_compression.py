"""The one definition of compression (paper_checks.compression): verdicts on constructed curves."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr
from hypothesis import given, settings
from hypothesis import strategies as st

from paper_checks.compression import (
    DELTA_FLOOR,
    Z_SCORE,
    compresses,
    compression_checks,
    compression_summary,
    no_compression_checks,
    no_compression_margin,
)


def _curve(values, epochs=None):
    values = np.asarray(values, dtype=float)
    epochs = np.arange(values.shape[1]) if epochs is None else epochs
    return xr.DataArray(values, dims=("seed", "epoch"), coords={"epoch": epochs})


def test_rise_and_fall_compresses():
    base = np.concatenate([np.linspace(1, 3, 10), np.linspace(3, 2, 30)])
    assert compresses(_curve([base, base + 0.01, base - 0.01]))


def test_monotone_curve_does_not_compress():
    base = np.linspace(1, 3, 40)
    summary = compression_summary(_curve([base, base + 0.2]))[0]
    assert not summary.compresses and summary.peak_epoch == 39


def test_peak_in_last_ten_percent_is_not_compression():
    base = np.concatenate([np.linspace(1, 3, 37), [2.0, 1.0, 0.5]])  # peak at index 36 of 40: last 10 % is 36..39
    summary = compression_summary(_curve([base, base]))[0]
    assert summary.drop > 2 and not summary.peak_is_early and not summary.compresses


def test_drop_below_floor_is_not_compression():
    base = np.concatenate([np.linspace(1, 2, 10), np.full(30, 2.0 - DELTA_FLOOR / 2)])
    summary = compression_summary(_curve([base, base, base]))[0]
    assert summary.stderr == 0 and summary.delta == DELTA_FLOOR and not summary.compresses


def test_noisy_drop_needs_z_standard_errors():
    base = np.concatenate([np.linspace(1, 2, 10), np.full(10, 1.5)])
    # per-seed drops 0.5 ± 1: mean 0.5, SE = std/√S
    offsets = np.array([1.0, -1.0, 1.0, -1.0])
    values = np.array([base.copy() for _ in offsets])
    values[:, -1] += offsets
    summary = compression_summary(_curve(values))[0]
    assert summary.stderr == pytest.approx(np.std(offsets, ddof=1) / 2)
    assert summary.delta == pytest.approx(Z_SCORE * summary.stderr)
    assert not summary.compresses


def test_layers_are_summarised_separately():
    up = np.linspace(0, 1, 20)
    down = np.concatenate([np.linspace(0, 1, 5), np.linspace(1, 0, 15)])
    data = np.stack([np.stack([up, down], axis=-1)] * 3)  # (seed, epoch, layer)
    arr = xr.DataArray(data, dims=("seed", "epoch", "layer"), coords={"epoch": np.arange(20), "layer": [1, 2]})
    verdicts = [c.compresses for c in compression_summary(arr)]
    assert verdicts == [False, True]


@settings(max_examples=30, deadline=None)
@given(
    increments=st.lists(st.floats(0, 1), min_size=3, max_size=30),
    seed_offsets=st.lists(st.floats(-5, 5), min_size=2, max_size=6),
)
def test_non_decreasing_curves_never_compress(increments, seed_offsets):
    base = np.cumsum(increments)
    values = np.array([base + o for o in seed_offsets])
    assert not compresses(_curve(values))


@settings(max_examples=30, deadline=None)
@given(shift=st.floats(-100, 100), scale=st.floats(0.5, 2))
def test_verdict_invariant_under_shift(shift, scale):
    base = np.concatenate([np.linspace(1, 3, 10), np.linspace(3, 2, 30)]) * scale
    values = np.array([base, base + 0.05, base - 0.03])
    assert compresses(_curve(values)) == compresses(_curve(values + shift))


def test_bad_input():
    with pytest.raises(ValueError, match="2 seeds"):
        compression_summary(_curve([[1.0, 2.0]]))
    with pytest.raises(ValueError, match="dims"):
        compression_summary(xr.DataArray(np.zeros((2, 3)), dims=("a", "b")))
    with pytest.raises(ValueError, match="finite"):
        compression_summary(_curve([[1.0, np.nan], [1.0, 2.0]]))
    with pytest.raises(ValueError, match="one layer"):
        compresses(xr.DataArray(np.zeros((2, 3, 2)), dims=("seed", "epoch", "layer")))
    with pytest.raises(ValueError, match="unexpected dims"):
        compression_summary(xr.DataArray(np.zeros((2, 3, 2)), dims=("seed", "epoch", "noise_variance")))


# ---------------------------------------------------------------- both ways: the rise, and the equivalence test
def test_a_layer_whose_peak_is_its_start_does_not_compress():
    """Compression needs a fitting phase: a curve that only falls from epoch 0 has no rise and does not compress."""
    base = np.linspace(3, 1, 40)
    summary = compression_summary(_curve([base, base + 0.1, base - 0.1]))[0]
    assert summary.peak_epoch == 0 and summary.drop > 1
    assert summary.rise == 0 and not summary.compresses


def test_a_monotone_curve_passes_the_no_compression_test():
    base = np.linspace(1, 3, 40)
    checks = no_compression_checks(_curve([base, base + 0.2, base - 0.1]), None, "up", margin=0.6, declared="d")
    assert [c.passed for c in checks] == [True]
    assert checks[0].measured == pytest.approx(0.0) and checks[0].declared == "d"


def test_noise_makes_the_no_compression_test_harder_never_easier():
    """The equivalence test's statistic grows with the estimator noise (unlike the negation of "compresses")."""
    rng = np.random.default_rng(0)
    base = np.linspace(1, 3, 40)
    stats = []
    for noise in (0.0, 0.05, 0.2, 0.8):
        values = base + noise * rng.standard_normal((8, 40))
        stats.append(no_compression_checks(_curve(values), None, "x", margin=0.6)[0].measured)
    assert stats == sorted(stats) and stats[0] == pytest.approx(0.0)
    assert stats[-1] > 0.6  # very noisy runs cannot show "no compression"


def test_a_compressing_layer_fails_the_no_compression_test():
    base = np.concatenate([np.linspace(1, 3, 10), np.linspace(3, 2, 30)])
    values = np.array([base, base + 0.01, base - 0.01])
    assert compresses(_curve(values))
    assert not no_compression_checks(_curve(values), None, "x", margin=0.6)[0].passed


def test_compression_checks_name_their_layers_and_scales():
    up = np.linspace(0, 1, 20)
    down = np.concatenate([np.linspace(0, 1, 5), np.linspace(1, 0, 15)])
    data = np.stack([np.stack([up, down], axis=-1) + 0.01 * k for k in range(3)])
    arr = xr.DataArray(data, dims=("seed", "epoch", "layer"), coords={"epoch": np.arange(20), "layer": [1, 2]})
    checks = compression_checks(arr, [2], "t", declared="tanh compresses")
    assert [c.layer for c in checks] == [2, 2, 2] and all(c.passed for c in checks)
    assert all(c.declared == "tanh compresses" and c.scale > 0 for c in checks)
    with pytest.raises(ValueError, match="not in the curve"):
        compression_checks(arr, [3], "t")
    with pytest.raises(ValueError, match="margin"):
        no_compression_checks(arr, [1], "t", margin=0.0)


def test_the_no_compression_margin_is_five_percent_of_the_axis():
    assert no_compression_margin(4096) == pytest.approx(0.05 * 12)
    with pytest.raises(ValueError, match="n_patterns"):
        no_compression_margin(1)
