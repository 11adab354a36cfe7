"""Information-plane recorders: agreement with direct estimator calls, run-global ReLU ranges, ceilings."""

from __future__ import annotations

import numpy as np
import pytest
from simulate.infoplane import BinnedInformation, KDEInformation, MinMaxBinnedInformation, paper_binning

from simulate.data.szt import load_szt, train_test_split
from simulate.mi import binning
from simulate.network import forward, init_params, params_from_flat
from simulate.train import TrainingData, train

SZT_WIDTHS = (12, 10, 7, 5, 4, 3, 2)
P_POSITIVE = 2118 / 4096
H_Y = -(P_POSITIVE * np.log2(P_POSITIVE) + (1 - P_POSITIVE) * np.log2(1 - P_POSITIVE))  # 0.999157 bits, spec C46
# Binned I(X;T) ≤ log₂ 4096 = 12 bits and I(T;Y) ≤ H(Y); plug-in values are exact sums of logs, so the only
# slack needed is float rounding of those sums.
ROUNDING_ATOL = 1e-9


def _run(activation, recorders, seeds=(0, 1), epochs=6):
    d = load_szt()
    split = train_test_split(4096, 0.8, np.random.default_rng(0))
    data = TrainingData(d.X[split.train], d.Y[split.train], d.X[split.test], d.Y[split.test], d.X, d.y)
    params = init_params(SZT_WIDTHS, [np.random.default_rng([s, 2]) for s in seeds])
    rngs = [np.random.default_rng([s, 3]) for s in seeds]
    logged = (0, epochs // 2, epochs)
    ds = train(
        params,
        activation,
        data,
        rngs,
        epochs=epochs,
        logged_epochs=logged,
        recorders=recorders,
        keep_parameters=True,
        batch_size=128,
    )
    return ds, data


def test_paper_binning_choice():
    assert isinstance(paper_binning("tanh"), BinnedInformation)
    assert isinstance(paper_binning("softsign"), BinnedInformation)
    assert isinstance(paper_binning("relu"), MinMaxBinnedInformation)
    assert isinstance(paper_binning("softplus"), MinMaxBinnedInformation)


def test_binned_recorder_matches_direct_estimate_and_ceilings():
    ds, data = _run("tanh", [paper_binning("tanh")])
    assert ds.I_XT_bin.dims == ("seed", "epoch", "layer")
    assert float(ds.I_XT_bin.max()) <= 12 + ROUNDING_ATOL and float(ds.I_TY_bin.max()) <= H_Y + ROUNDING_ATOL
    # first hidden layer of a tanh net at init separates all 4096 patterns (spec §5.2: 12.000 bits)
    assert ds.I_XT_bin.isel(epoch=0, layer=0).values == pytest.approx(12.0, abs=0.02)
    params = params_from_flat(ds.parameters.isel(epoch=1).values, SZT_WIDTHS)
    activity = forward(params, data.X_mi, "tanh").post
    direct = binning.mutual_information(activity[3][1], data.y_mi, binning.equal_bins(30, -1, 1))
    assert ds.I_XT_bin.isel(seed=1, epoch=1, layer=3).item() == pytest.approx(direct[0], abs=1e-12)
    assert ds.I_TY_bin.isel(seed=1, epoch=1, layer=3).item() == pytest.approx(direct[1], abs=1e-12)


@pytest.mark.parametrize("per_layer", [False, True])
def test_min_max_recorder_uses_the_run_range(per_layer):
    ds, data = _run("relu", [MinMaxBinnedInformation(100, per_layer=per_layer)])
    lows, highs = [], []
    for e in range(ds.sizes["epoch"]):
        params = params_from_flat(ds.parameters.isel(epoch=e).values, SZT_WIDTHS)
        post = forward(params, data.X_mi, "relu").post
        lows.append(np.stack([a.min(axis=(1, 2)) for a in post], axis=1))
        highs.append(np.stack([a.max(axis=(1, 2)) for a in post], axis=1))
    low, high = np.min(lows, axis=0), np.max(highs, axis=0)  # (seed, layer)
    if not per_layer:
        low = np.repeat(low.min(axis=1, keepdims=True), low.shape[1], axis=1)
        high = np.repeat(high.max(axis=1, keepdims=True), high.shape[1], axis=1)
    np.testing.assert_allclose(ds.bin_low_bin.isel(epoch=0).values, low)
    np.testing.assert_allclose(ds.bin_high_bin.isel(epoch=0).values, high)
    # the second pass measures the logged networks with that range
    params = params_from_flat(ds.parameters.isel(epoch=-1).values, SZT_WIDTHS)
    activity = forward(params, data.X_mi, "relu").post[1][0]
    direct = binning.mutual_information(activity, data.y_mi, binning.min_max_bins(low[0, 1], high[0, 1], 100))
    assert ds.I_XT_bin.isel(seed=0, epoch=-1, layer=1).item() == pytest.approx(direct[0], abs=1e-12)


def test_kde_recorder_bounds_are_ordered():
    pytest.importorskip("simulate.mi.kde")
    ds, _ = _run("tanh", [KDEInformation((0.1, 1e-3))], seeds=(0,), epochs=2)
    assert ds.I_XT_upper_kde.dims == ("seed", "epoch", "layer", "noise_variance")
    assert np.all(ds.I_XT_lower_kde <= ds.I_XT_upper_kde + ROUNDING_ATOL)
    assert float(ds.I_XT_upper_kde.max()) <= 12 + ROUNDING_ATOL
    # less noise, more information
    assert np.all(ds.I_XT_upper_kde.sel(noise_variance=1e-3) >= ds.I_XT_upper_kde.sel(noise_variance=0.1))


def test_bad_recorder_arguments():
    with pytest.raises(ValueError, match="n_bins"):
        MinMaxBinnedInformation(0)
    with pytest.raises(ValueError, match="suffix"):
        BinnedInformation(binning.equal_bins(30, -1, 1), suffix="a b")
    with pytest.raises(ValueError, match="discretizer"):
        BinnedInformation(30)
    with pytest.raises(ValueError, match="noise_variances"):
        KDEInformation((0.1, -1.0))
    with pytest.raises(ValueError, match="activation"):
        paper_binning("sigmoid")
