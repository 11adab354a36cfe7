"""Recorders plugged into the trainer: saturation histograms, binning artefacts, gradient SNR."""

from __future__ import annotations

import numpy as np
import pytest
from simulate.recorders import (
    ActivityHistograms,
    GradientSignalToNoise,
    LayerBinnedInformation,
    streaming_gradient_statistics,
)

from simulate.data.szt import load_szt
from simulate.gradient_snr import gradient_statistics
from simulate.mi.discretizers import machine_precision, net_input_edges
from simulate.network import init_params
from simulate.train import TrainingData, train

# Gradient statistics: the streaming (chunked) combination is exact algebra; only float64 rounding differs.
STREAMING_RTOL = 1e-10
SZT_PATTERNS = 4096  # all 12-bit patterns: log2(4096) = 12 bits is the ceiling of every binned I(X;T)


def _szt_data(n_train: int = 512) -> TrainingData:
    szt = load_szt()
    X, y = szt.X, szt.y
    Y = np.eye(2)[y]
    return TrainingData(X[:n_train], Y[:n_train], X[n_train : 2 * n_train], Y[n_train : 2 * n_train], X, y)


def _run(activation: str, recorders, epochs: int = 3, seeds=(0, 1)):
    params = init_params((12, 10, 7, 5, 4, 3, 2), [np.random.default_rng(s) for s in seeds])
    return train(
        params,
        activation,
        _szt_data(),
        [np.random.default_rng(100 + s) for s in seeds],
        epochs=epochs,
        logged_epochs=(0, epochs),
        batch_size=128,
        recorders=recorders,
    )


def test_streaming_statistics_equal_whole_stack() -> None:
    rng = np.random.default_rng(0)
    stack = rng.normal(size=(3, 23, 4, 5)) + 2.0  # (seed, gradient, fan_in, fan_out)
    m, s, n = streaming_gradient_statistics(stack[:, i : i + 5] for i in range(0, 23, 5))
    reference = gradient_statistics(np.moveaxis(stack, 1, 0))
    assert n == 23
    np.testing.assert_allclose(m, reference.mean_norm, rtol=STREAMING_RTOL)
    np.testing.assert_allclose(s, reference.std_norm, rtol=STREAMING_RTOL)


def test_streaming_statistics_bad_input() -> None:
    with pytest.raises(ValueError, match="at least 2"):
        streaming_gradient_statistics([np.zeros((1, 1, 2, 2))])
    with pytest.raises(FloatingPointError, match="non-finite"):
        streaming_gradient_statistics([np.full((1, 3, 2, 2), np.nan)])


def test_recorders_in_a_training_run() -> None:
    ds = _run(
        "tanh",
        [
            ActivityHistograms(),
            LayerBinnedInformation(net_input_edges(30), "netinput"),
            LayerBinnedInformation(machine_precision(), "machine", dtype=np.float32),
            GradientSignalToNoise([np.random.default_rng(7), np.random.default_rng(8)], 128),
        ],
    )
    assert ds["activity_histogram"].dims == ("seed", "epoch", "layer", "bin")
    np.testing.assert_allclose(ds["activity_histogram"].sum("bin"), 1.0)
    assert ds["extreme_fraction"].shape == (2, 2, 6)
    assert np.all((ds["I_XT_netinput"] >= 0) & (ds["I_XT_netinput"] <= np.log2(SZT_PATTERNS) + 1e-12))
    # machine precision: the first tanh layer (10 units) separates all 4096 patterns, I(X;T) = 12 bits (C23)
    np.testing.assert_allclose(ds["I_XT_machine"].sel(layer=1), np.log2(SZT_PATTERNS))
    # machine precision is at least as fine as net-input bins on the same activity (a refinement)
    assert np.all(ds["I_XT_machine"] >= ds["I_XT_netinput"] - 1e-12)
    assert np.all(ds["grad_snr"] > 0)
    np.testing.assert_allclose(ds["grad_snr"], ds["grad_mean_norm"] / ds["grad_std_norm"])


def test_relu_histograms_and_zero_fraction() -> None:
    ds = _run("relu", [ActivityHistograms(n_bins=20)], epochs=2, seeds=(3,))
    zero = ds["zero_fraction"].sel(layer=slice(1, 5))
    assert np.all((zero > 0) & (zero < 1))  # some but not all ReLU activity is exactly 0
    assert "extreme_fraction" not in ds
    assert ds["activity_histogram"].sizes["bin"] == 20


def test_sample_mode_equals_direct_per_example_statistics() -> None:
    data = _szt_data(64)
    params = init_params((12, 10, 7, 5, 4, 3, 2), [np.random.default_rng(1)])
    recorder = GradientSignalToNoise([np.random.default_rng(2)], 1, mode="sample", chunk=10)
    ds = train(
        params, "tanh", data, [np.random.default_rng(3)], epochs=1, logged_epochs=(0,), batch_size=64,
        recorders=[recorder],
    )  # fmt: skip
    from simulate.network import forward, group_kernel_gradients

    fp = forward(params, data.X_train, "tanh")
    per_example = group_kernel_gradients(params, fp, data.X_train, data.Y_train, "tanh", np.arange(64)[:, None])
    for l, g in enumerate(per_example):
        ref = gradient_statistics(np.moveaxis(g, 1, 0))
        np.testing.assert_allclose(ds["grad_mean_norm"].isel(epoch=0, layer=l), ref.mean_norm, rtol=1e-9)
        np.testing.assert_allclose(ds["grad_std_norm"].isel(epoch=0, layer=l), ref.std_norm, rtol=1e-9)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: GradientSignalToNoise([], 0), "batch_size"),
        (lambda: GradientSignalToNoise([], 4, mode="epoch"), "mode"),
        (lambda: GradientSignalToNoise([], 4, max_groups=1), "max_groups"),
        (lambda: LayerBinnedInformation(net_input_edges(30), "bad name"), "name"),
        (lambda: LayerBinnedInformation("nonsense", "x"), "discretizer"),
        (lambda: ActivityHistograms(n_bins=1), "n_bins"),
    ],
)
def test_bad_recorder_arguments(make, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        make()


def test_minibatch_mode_equals_group_kernel_gradients() -> None:
    """The BLAS per-minibatch path equals the trainer's generic group gradients (einsum) on the same groups."""
    data = _szt_data(256)
    params = init_params((12, 10, 7, 5, 4, 3, 2), [np.random.default_rng(4), np.random.default_rng(5)])
    recorder = GradientSignalToNoise([np.random.default_rng(6), np.random.default_rng(7)], 32, chunk=3)
    from simulate.activations import get_activation
    from simulate.train import TrainingState

    state = TrainingState(0, params, get_activation("tanh"), data)
    groups = recorder._groups(data.n_train)
    fast = recorder._chunk_gradients(state, groups)
    generic = state.kernel_gradients(groups)
    for a, b in zip(fast, generic):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-14)


def test_kraskov_recorder_at_selected_epochs() -> None:
    from simulate.recorders import KraskovEntropy

    from simulate.mi.kraskov import entropy

    ds = _run("tanh", [KraskovEntropy(at_epochs={3})], epochs=3, seeds=(0,))
    assert np.all(np.isnan(ds["H_kraskov"].sel(epoch=0)))
    assert np.all(np.isfinite(ds["H_kraskov"].sel(epoch=3)))
    with pytest.raises(ValueError, match="k must"):
        KraskovEntropy(k=0)
    assert callable(entropy)


def test_sample_mode_without_materialising_equals_per_example_gradients() -> None:
    """The outer-product identity of sample mode equals the explicit per-example statistics (two seeds, a subset)."""
    from simulate.activations import get_activation
    from simulate.network import group_kernel_gradients
    from simulate.train import TrainingState

    data = _szt_data(200)
    params = init_params((12, 10, 7, 5, 4, 3, 2), [np.random.default_rng(8), np.random.default_rng(9)])
    recorder = GradientSignalToNoise(
        [np.random.default_rng(10), np.random.default_rng(11)], 1, mode="sample", max_groups=150, prefix="per_example"
    )
    state = TrainingState(0, params, get_activation("relu"), data)
    out = recorder.record(state)
    assert set(out) == {"per_example_mean_norm", "per_example_std_norm", "per_example_snr"}
    groups = GradientSignalToNoise([np.random.default_rng(10), np.random.default_rng(11)], 1, mode="sample",
                                   max_groups=150)._groups(200)  # fmt: skip
    explicit = group_kernel_gradients(params, state.train_forward, data.X_train, data.Y_train, "relu", groups)
    for l, g in enumerate(explicit):
        for s in range(2):
            ref = gradient_statistics(g[s])
            np.testing.assert_allclose(out["per_example_mean_norm"][s, l], ref.mean_norm, rtol=STREAMING_RTOL)
            np.testing.assert_allclose(out["per_example_std_norm"][s, l], ref.std_norm, rtol=STREAMING_RTOL)
    with pytest.raises(ValueError, match="prefix"):
        GradientSignalToNoise([], 1, mode="sample", prefix="not an identifier")
