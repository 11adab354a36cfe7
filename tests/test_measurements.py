"""Measurements of stored runs (simulate.measurements): every estimator against a direct call on rebuilt networks.

A small run of the SZT network is trained once per activation; each measurement function is then applied to its
stored parameters (:class:`~simulate.measurements.RunStates`) and compared with the estimator called directly on
the activity of networks rebuilt here from the same parameters. Also: dims and epoch coordinates, information
ceilings (bits), the run-global min–max range, epoch subsets, the gradient SNR against explicitly materialised
per-example and per-minibatch gradients, determinism, per-seed independence and bad input.
"""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

from simulate.data.szt import load_szt, train_test_split
from simulate.gradient_snr import RunningGradientMoments, gradient_statistics, per_example_gradient_norms
from simulate.measurements import (
    PAPER_KDE_VARIANCES,
    RunStates,
    activity_histograms,
    binned_information,
    gradient_signal_to_noise,
    kde_information,
    kraskov_entropy,
    layer_measure,
    min_max_binned_information,
    paper_binning,
)
from simulate.mi import binning, kraskov
from simulate.mi.discretizers import machine_precision, net_input_edges
from simulate.mi.kde import mutual_information_bounds
from simulate.network import backward, forward, group_kernel_gradients, init_params, params_from_flat
from simulate.saturation import histogram_edges
from simulate.train import TrainingData, train

SZT_WIDTHS = (12, 10, 7, 5, 4, 3, 2)
N_LAYERS = len(SZT_WIDTHS) - 1
SEEDS = (0, 1)
LOGGED = (0, 2, 4)
SZT_PATTERNS = 4096
P_POSITIVE = 2118 / 4096
# 0.999157 bits, docs/claims.md#c46
H_Y = -(P_POSITIVE * np.log2(P_POSITIVE) + (1 - P_POSITIVE) * np.log2(1 - P_POSITIVE))
# Binned I(X;T) ≤ log₂ 4096 = 12 bits and I(T;Y) ≤ H(Y); plug-in values are exact sums of logs, so the only slack
# needed is float rounding of those sums.
ROUNDING_ATOL = 1e-9
# The measurement and the direct call evaluate the same float64 expression on the same rebuilt parameters; they may
# differ only by the summation order of batched vs single BLAS products (a few ulps of O(1) activities).
SAME_COMPUTATION_RTOL = 1e-12
# Chan et al.'s chunked update and the one-shot mean/std are the same algebra; only float64 rounding differs.
STREAMING_RTOL = 1e-10
# Sample-mode s_l comes from Σ‖a‖²‖δ‖²/G − ‖mean‖² (no materialised gradients): its relative float64 error is
# ≈ ε·(1 + SNR²), below 1e-12 for the SNRs (< 10) of these networks; 1e-9 leaves room for the summation order.
OUTER_PRODUCT_RTOL = 1e-9
# KDE on fewer patterns keeps the test fast; the estimator itself is tested in tests/test_mi_kde.py.
N_KDE_PATTERNS = 512
# Training inputs for the gradient SNR: few enough to materialise every per-example gradient explicitly.
N_SNR_TRAIN = 96


def _szt_data() -> TrainingData:
    d = load_szt()
    splits = [train_test_split(SZT_PATTERNS, 0.8, np.random.default_rng([s, 1])) for s in SEEDS]
    tr, te = np.stack([s.train for s in splits]), np.stack([s.test for s in splits])
    return TrainingData(d.X[tr], d.Y[tr], d.X[te], d.Y[te], d.X, d.y)


def _train(activation: str):
    data = _szt_data()
    params = init_params(SZT_WIDTHS, [np.random.default_rng([s, 2]) for s in SEEDS])
    rngs = [np.random.default_rng([s, 3]) for s in SEEDS]
    run = train(params, activation, data, rngs, epochs=LOGGED[-1], logged_epochs=LOGGED, batch_size=128, seeds=SEEDS)
    return run, data


@pytest.fixture(scope="module")
def tanh_run():
    return _train("tanh")


@pytest.fixture(scope="module")
def relu_run():
    return _train("relu")


def _states(run_and_data, data: TrainingData | None = None) -> RunStates:
    run, training_data = run_and_data
    return RunStates(
        run.parameters.values, SZT_WIDTHS, run.attrs["activation"], data or training_data, run.epoch.values
    )


def _activity(run, data: TrainingData, epoch_index: int, space: str = "post") -> list[np.ndarray]:
    """Each layer's activity (S, N, width) of the networks rebuilt here from the stored parameters."""
    params = params_from_flat(run.parameters.isel(epoch=epoch_index).values, SZT_WIDTHS)
    return getattr(forward(params, data.X_mi, run.attrs["activation"]), space)


def _seed_slice(data: TrainingData, seeds: list[int]) -> TrainingData:
    return TrainingData(
        data.X_train[seeds], data.Y_train[seeds], data.X_test[seeds], data.Y_test[seeds], data.X_mi, data.y_mi
    )


def _with_mi_patterns(data: TrainingData, n: int) -> TrainingData:
    return TrainingData(data.X_train, data.Y_train, data.X_test, data.Y_test, data.X_mi[:n], data.y_mi[:n])


def _with_train_examples(data: TrainingData, n: int) -> TrainingData:
    return TrainingData(data.X_train[:, :n], data.Y_train[:, :n], data.X_test, data.Y_test, data.X_mi, data.y_mi)


# --- RunStates ---------------------------------------------------------------------------------------------------


def test_run_states_rebuild_the_logged_networks(tanh_run):
    run, data = tanh_run
    states = _states(tanh_run)
    assert (len(states), states.n_seeds, states.n_layers) == (len(LOGGED), len(SEEDS), N_LAYERS)
    assert [state.epoch for state in states] == list(LOGGED)
    for i, state in enumerate(states):
        expected = params_from_flat(run.parameters.isel(epoch=i).values, SZT_WIDTHS)
        for w, v in zip(state.params.W, expected.W):
            np.testing.assert_array_equal(w, v)
        assert state.data is data and state.activation.name == "tanh"


def test_run_states_widen_float32_parameters_exactly(tanh_run):
    run, data = tanh_run
    single = run.parameters.values.astype(np.float32)
    states = RunStates(single, SZT_WIDTHS, "tanh", data, LOGGED)
    W = states.params_at(1).W[0]
    assert W.dtype == np.float64
    np.testing.assert_array_equal(W, params_from_flat(single[:, 1], SZT_WIDTHS).W[0].astype(np.float64))


def test_run_states_subset(tanh_run):
    states = _states(tanh_run)
    assert states.subset(None) is states
    sub = states.subset([4, 0])  # any order: the subset is in epoch order
    assert sub.epochs == (0, 4) and len(sub) == 2
    np.testing.assert_array_equal(sub.parameters[:, 1], states.parameters[:, 2])
    with pytest.raises(ValueError, match="epochs"):
        states.subset([1])


def test_run_states_bad_input(tanh_run):
    run, data = tanh_run
    with pytest.raises(ValueError, match="parameters"):
        RunStates(run.parameters.values[0], SZT_WIDTHS, "tanh", data, LOGGED)
    with pytest.raises(ValueError, match="parameters"):
        RunStates(run.parameters.values, SZT_WIDTHS, "tanh", data, LOGGED[:2])
    with pytest.raises(ValueError, match="flat"):
        RunStates(run.parameters.values, (12, 10, 2), "tanh", data, LOGGED)
    with pytest.raises(TypeError, match="data"):
        RunStates(run.parameters.values, SZT_WIDTHS, "tanh", {"X": data.X_mi}, LOGGED)
    with pytest.raises(ValueError, match="activation"):
        RunStates(run.parameters.values, SZT_WIDTHS, "sigmoid", data, LOGGED)


# --- binning -----------------------------------------------------------------------------------------------------


def test_binned_information_matches_direct_estimate_and_ceilings(tanh_run):
    run, data = tanh_run
    out = binned_information(_states(tanh_run), binning.equal_bins(30, -1, 1))
    assert set(out) == {"I_XT_bin", "I_TY_bin"}
    i_xt, i_ty = out["I_XT_bin"], out["I_TY_bin"]
    assert i_xt.dims == ("seed", "epoch", "layer") and i_xt.shape == (len(SEEDS), len(LOGGED), N_LAYERS)
    assert list(i_xt.epoch.values) == list(LOGGED)
    assert float(i_xt.max()) <= np.log2(SZT_PATTERNS) + ROUNDING_ATOL and float(i_ty.max()) <= H_Y + ROUNDING_ATOL
    assert np.all(i_ty <= i_xt + ROUNDING_ATOL)  # I(T;Y) ≤ H(T) = I(X;T)
    # the first hidden layer of a tanh net at init separates all 4096 patterns (docs/formulas.md#s5-2: 12.000 bits)
    np.testing.assert_allclose(i_xt.isel(epoch=0, layer=0), 12.0, atol=0.02)
    activity = _activity(run, data, 1)
    for s, layer in ((1, 3), (0, 5)):
        direct = binning.mutual_information(activity[layer][s], data.y_mi, binning.equal_bins(30, -1, 1))
        assert i_xt.isel(seed=s, epoch=1, layer=layer).item() == pytest.approx(direct[0], abs=1e-12)
        assert i_ty.isel(seed=s, epoch=1, layer=layer).item() == pytest.approx(direct[1], abs=1e-12)


def test_paper_binning_choice(tanh_run, relu_run):
    tanh_paper = paper_binning(_states(tanh_run))
    tanh_equal = binned_information(_states(tanh_run), binning.equal_bins(30, -1.0, 1.0))
    for key in tanh_equal:
        np.testing.assert_array_equal(tanh_paper[key], tanh_equal[key])
    assert "bin_low_bin" not in tanh_paper
    relu_paper = paper_binning(_states(relu_run), name="paper")
    relu_min_max = min_max_binned_information(_states(relu_run), 100, name="paper")
    assert set(relu_paper) == {"I_XT_paper", "I_TY_paper", "bin_low_paper", "bin_high_paper"}
    for key in relu_min_max:
        np.testing.assert_array_equal(relu_paper[key], relu_min_max[key])


def _run_range(run, data) -> tuple[np.ndarray, np.ndarray]:
    """Minimum and maximum activity (seed, layer) over every logged epoch, from networks rebuilt here."""
    lows, highs = [], []
    for e in range(run.sizes["epoch"]):
        post = _activity(run, data, e)
        lows.append(np.stack([a.min(axis=(1, 2)) for a in post], axis=1))
        highs.append(np.stack([a.max(axis=(1, 2)) for a in post], axis=1))
    return np.min(lows, axis=0), np.max(highs, axis=0)


@pytest.mark.parametrize("per_layer", [False, True])
def test_min_max_binning_uses_the_run_range(relu_run, per_layer):
    run, data = relu_run
    out = min_max_binned_information(_states(relu_run), 100, per_layer=per_layer)
    low, high = _run_range(run, data)
    if not per_layer:  # one range over all layers and epochs of each seed
        low = np.repeat(low.min(axis=1, keepdims=True), N_LAYERS, axis=1)
        high = np.repeat(high.max(axis=1, keepdims=True), N_LAYERS, axis=1)
    assert out["bin_low_bin"].dims == ("seed", "layer")
    np.testing.assert_array_equal(out["bin_low_bin"], low)
    np.testing.assert_array_equal(out["bin_high_bin"], high)
    assert len(np.unique(out["bin_high_bin"])) == (N_LAYERS * len(SEEDS) if per_layer else len(SEEDS))
    # the second pass bins every logged network with that range
    activity = _activity(run, data, -1)
    for s, layer in ((0, 1), (1, 4)):
        bins = binning.min_max_bins(low[s, layer], high[s, layer], 100)
        direct = binning.mutual_information(activity[layer][s], data.y_mi, bins)
        assert out["I_XT_bin"].isel(seed=s, epoch=-1, layer=layer).item() == pytest.approx(direct[0], abs=1e-12)
        assert out["I_TY_bin"].isel(seed=s, epoch=-1, layer=layer).item() == pytest.approx(direct[1], abs=1e-12)


def test_net_input_and_machine_precision_binning(tanh_run):
    states = _states(tanh_run)
    net = binned_information(states, net_input_edges(30), "netinput")
    machine = binned_information(states, machine_precision(), "machine", dtype=np.float32)
    assert np.all((net["I_XT_netinput"] >= 0) & (net["I_XT_netinput"] <= np.log2(SZT_PATTERNS) + ROUNDING_ATOL))
    # machine precision: the first tanh layer (10 units) separates all 4096 patterns, I(X;T) = 12 bits (C23)
    np.testing.assert_allclose(machine["I_XT_machine"].isel(layer=0), np.log2(SZT_PATTERNS))
    # machine precision is at least as fine as net-input bins on the same activity (a refinement)
    assert np.all(machine["I_XT_machine"] >= net["I_XT_netinput"] - ROUNDING_ATOL)


def test_binning_in_net_input_space_bins_the_net_inputs(tanh_run):
    run, data = tanh_run
    edges = np.linspace(-3.0, 3.0, 31)
    out = binned_information(_states(tanh_run), edges, "z", space="net_input")
    pre = _activity(run, data, 2, space="pre")
    direct = binning.mutual_information(pre[2][0], data.y_mi, edges)
    assert out["I_XT_z"].isel(seed=0, epoch=2, layer=2).item() == pytest.approx(direct[0], abs=1e-12)


def test_binning_bad_input(tanh_run):
    states = _states(tanh_run)
    with pytest.raises(ValueError, match="n_bins"):
        min_max_binned_information(states, 0)
    with pytest.raises(ValueError, match="name"):
        binned_information(states, binning.equal_bins(30, -1, 1), name="a b")
    with pytest.raises(ValueError, match="discretizer"):
        binned_information(states, 30)
    with pytest.raises(ValueError, match="space"):
        binned_information(states, binning.equal_bins(30, -1, 1), space="weights")


# --- KDE and Kraskov ---------------------------------------------------------------------------------------------


def test_kde_information_matches_direct_bounds_on_an_epoch_subset(tanh_run):
    run, data = tanh_run
    few = _with_mi_patterns(data, N_KDE_PATTERNS)
    out = kde_information(_states(tanh_run, few).subset([0, 4]), PAPER_KDE_VARIANCES)
    assert set(out) == {"I_XT_upper_kde", "I_XT_lower_kde", "I_TY_upper_kde", "I_TY_lower_kde"}
    upper = out["I_XT_upper_kde"]
    assert upper.dims == ("seed", "epoch", "layer", "noise_variance")
    assert list(upper.epoch.values) == [0, 4] and list(upper.noise_variance.values) == list(PAPER_KDE_VARIANCES)
    assert all(np.all(np.isfinite(v)) for v in out.values())
    assert np.all(out["I_XT_lower_kde"] <= upper + ROUNDING_ATOL)
    assert float(upper.max()) <= np.log2(N_KDE_PATTERNS) + ROUNDING_ATOL
    # less noise, more information
    assert np.all(upper.sel(noise_variance=1e-3) >= upper.sel(noise_variance=0.1))
    activity = _activity(run, few, -1)
    direct = mutual_information_bounds(activity[2][1], few.y_mi, list(PAPER_KDE_VARIANCES))
    np.testing.assert_allclose(upper.isel(seed=1, epoch=1, layer=2), direct.i_xt_upper, rtol=SAME_COMPUTATION_RTOL)
    np.testing.assert_allclose(
        out["I_TY_lower_kde"].isel(seed=1, epoch=1, layer=2), direct.i_ty_lower, rtol=SAME_COMPUTATION_RTOL
    )
    with pytest.raises(ValueError, match="noise_variances"):
        kde_information(_states(tanh_run, few), (0.1, -1.0))


def test_kde_scalar_noise_variance_is_one_variance(tanh_run):
    states = _states(tanh_run).subset([4])
    scalar, listed = kde_information(states, 0.1), kde_information(states, (0.1,))
    xr.testing.assert_identical(scalar["I_XT_upper_kde"], listed["I_XT_upper_kde"])
    with pytest.raises(ValueError, match="noise_variances"):
        kde_information(states, "0.1x")


def test_kraskov_entropy_matches_direct_call(tanh_run):
    run, data = tanh_run
    out = kraskov_entropy(_states(tanh_run).subset([4]), k=2)
    h = out["H_kraskov"]
    assert h.dims == ("seed", "epoch", "layer") and list(h.epoch.values) == [4]
    assert np.all(np.isfinite(h))
    activity = _activity(run, data, -1)
    for s, layer in ((0, 0), (1, 4)):
        direct = kraskov.entropy(activity[layer][s], k=2, epsilon=1e-16)
        assert h.isel(seed=s, epoch=0, layer=layer).item() == pytest.approx(direct, rel=SAME_COMPUTATION_RTOL)
    with pytest.raises(ValueError, match="k must"):
        kraskov_entropy(_states(tanh_run), k=0)


def test_kraskov_entropy_at_several_orders_is_each_order_alone(tanh_run):
    states = _states(tanh_run).subset([4])
    several = kraskov_entropy(states, k=(1, 4))["H_kraskov"]
    assert several.dims == ("seed", "epoch", "layer", "kraskov_k") and list(several.kraskov_k.values) == [1, 4]
    for k in (1, 4):
        np.testing.assert_array_equal(several.sel(kraskov_k=k).values, kraskov_entropy(states, k=k)["H_kraskov"].values)
    for bad, error in (((), ValueError), ((2, 0), ValueError), ("2", TypeError), (2.0, TypeError)):
        with pytest.raises(error, match="k must"):
            kraskov_entropy(states, k=bad)


# --- activity histograms -----------------------------------------------------------------------------------------


def test_tanh_histograms(tanh_run):
    out = activity_histograms(_states(tanh_run))
    hist = out["activity_histogram"]
    assert hist.dims == ("seed", "epoch", "layer", "bin") and hist.sizes["bin"] == 30
    np.testing.assert_allclose(hist.sum("bin"), 1.0, rtol=1e-12)
    assert out["extreme_fraction"].shape == (len(SEEDS), len(LOGGED), N_LAYERS)
    assert out["hidden_edges"].dims == ("seed", "bin_edge")
    for s in range(len(SEEDS)):
        np.testing.assert_array_equal(out["hidden_edges"][s], histogram_edges("tanh", 30))


def test_relu_histograms_and_zero_fraction(relu_run):
    run, data = relu_run
    out = activity_histograms(_states(relu_run), n_bins=20)
    zero = out["zero_fraction"].isel(layer=slice(0, N_LAYERS - 1))
    assert np.all((zero > 0) & (zero < 1))  # some but not all ReLU activity is exactly 0
    assert "extreme_fraction" not in out
    assert out["activity_histogram"].sizes["bin"] == 20
    # ReLU bins span [0, each seed's largest hidden activity over all logged epochs]
    edges = out["hidden_edges"]
    assert edges.dims == ("seed", "bin_edge") and edges.sizes["bin_edge"] == 21
    for s in range(len(SEEDS)):
        upper = max(float(np.max(a[s])) for e in range(len(LOGGED)) for a in _activity(run, data, e)[:-1])
        assert float(edges[s, 0]) == 0.0 and float(edges[s, -1]) == pytest.approx(upper, rel=1e-12)
    assert float(edges[0, -1]) != float(edges[1, -1])
    # the histogram of a hidden layer is the activity binned on its seed's edges (outermost bins open-ended)
    h = _activity(run, data, 2)[1][1]
    index = np.clip(np.searchsorted(edges[1].values, h.ravel(), side="right") - 1, 0, 19)
    expected = np.bincount(index, minlength=20) / h.size
    np.testing.assert_allclose(out["activity_histogram"].isel(seed=1, epoch=2, layer=1), expected, rtol=1e-12)
    with pytest.raises(ValueError, match="n_bins"):
        activity_histograms(_states(relu_run), n_bins=1)


# --- your own estimator ------------------------------------------------------------------------------------------


def test_layer_measure_applies_a_user_function(tanh_run):
    run, data = tanh_run
    states = _states(tanh_run)
    out = layer_measure(states, lambda h, y: h[y == 1].mean() - h[y == 0].mean(), "contrast")
    assert out["contrast"].dims == ("seed", "epoch", "layer")
    post = _activity(run, data, 1)
    expected = post[3][0][data.y_mi == 1].mean() - post[3][0][data.y_mi == 0].mean()
    assert out["contrast"].isel(seed=0, epoch=1, layer=3).item() == pytest.approx(expected, rel=1e-12)
    net = layer_measure(states.subset([2]), lambda h, y: h.std(axis=0)[:2], "spread", space="net_input")
    assert net["spread"].dims == ("seed", "epoch", "layer", "spread_dim0") and net["spread"].sizes["spread_dim0"] == 2
    np.testing.assert_allclose(
        net["spread"].isel(seed=1, epoch=0, layer=0), _activity(run, data, 1, "pre")[0][1].std(0)[:2]
    )
    with pytest.raises(ValueError, match="name"):
        layer_measure(states, lambda h, y: 0.0, "not a name")
    with pytest.raises(TypeError, match="function"):
        layer_measure(states, 3.0, "x")
    with pytest.raises(ValueError, match="space"):
        layer_measure(states, lambda h, y: 0.0, "x", space="weights")


def test_results_carry_one_based_layer_coordinates(tanh_run):
    out = binned_information(_states(tanh_run), binning.equal_bins(30, -1, 1))
    assert list(out["I_XT_bin"].layer.values) == list(range(1, N_LAYERS + 1))
    assert list(out["I_XT_bin"].seed.values) == list(SEEDS)


# --- gradient signal-to-noise ------------------------------------------------------------------------------------


def _explicit_gradient_statistics(states: RunStates, groups_per_epoch: list[np.ndarray]):
    """m_l, s_l (seed, epoch, layer) from gradients materialised one group (minibatch or example) at a time."""
    f = states.activation
    d = states.data
    seed_index = np.arange(states.n_seeds)[:, None]
    means, stds = [], []
    for i, groups in enumerate(groups_per_epoch):  # groups: (S, G, B)
        params = states.params_at(i)
        per_group = []
        for g in range(groups.shape[1]):
            X, Y = d.X_train[seed_index, groups[:, g]], d.Y_train[seed_index, groups[:, g]]
            per_group.append(backward(params, forward(params, X, f), X, Y, f).dW)
        stats = [gradient_statistics(np.stack([grads[l] for grads in per_group])) for l in range(states.n_layers)]
        means.append(np.stack([s.mean_norm for s in stats], axis=1))
        stds.append(np.stack([s.std_norm for s in stats], axis=1))
    return np.stack(means, axis=1), np.stack(stds, axis=1)


def _documented_groups(seeds, n: int, size: int, n_groups: int, n_epochs: int) -> list[np.ndarray]:
    """The documented draw: each seed's generator gives one permutation per logged epoch, in epoch order."""
    rngs = [np.random.default_rng(s) for s in seeds]
    return [
        np.stack([r.permutation(n)[: n_groups * size] for r in rngs]).reshape(len(rngs), n_groups, size)
        for _ in range(n_epochs)
    ]


@pytest.fixture(scope="module")
def snr_states(tanh_run):
    return _states(tanh_run, _with_train_examples(tanh_run[1], N_SNR_TRAIN))


def test_sample_snr_equals_statistics_of_explicit_per_example_gradients(snr_states):
    out = gradient_signal_to_noise(snr_states, [np.random.default_rng(10), np.random.default_rng(11)], mode="sample")
    assert set(out) == {"grad_mean_norm", "grad_std_norm", "grad_snr"}
    assert out["grad_snr"].dims == ("seed", "epoch", "layer") and list(out["grad_snr"].epoch.values) == list(LOGGED)
    everyone = [np.broadcast_to(np.arange(N_SNR_TRAIN)[:, None], (2, N_SNR_TRAIN, 1))] * len(LOGGED)
    m, s = _explicit_gradient_statistics(snr_states, everyone)  # every example: the order does not matter
    np.testing.assert_allclose(out["grad_mean_norm"], m, rtol=OUTER_PRODUCT_RTOL)
    np.testing.assert_allclose(out["grad_std_norm"], s, rtol=OUTER_PRODUCT_RTOL)
    np.testing.assert_allclose(out["grad_snr"], m / s, rtol=OUTER_PRODUCT_RTOL)
    assert np.all(out["grad_snr"] > 0)
    assert out["grad_snr"].attrs["n_gradients"] == N_SNR_TRAIN  # the SNR null model's n (paper_checks/snr.py)


def test_sample_snr_on_a_subset_of_examples(snr_states):
    out = gradient_signal_to_noise(
        snr_states, [np.random.default_rng(10), np.random.default_rng(11)], mode="sample", max_groups=40, prefix="pe"
    )
    assert set(out) == {"pe_mean_norm", "pe_std_norm", "pe_snr"}
    groups = _documented_groups((10, 11), N_SNR_TRAIN, 1, 40, len(LOGGED))
    m, s = _explicit_gradient_statistics(snr_states, groups)
    np.testing.assert_allclose(out["pe_mean_norm"], m, rtol=OUTER_PRODUCT_RTOL)
    np.testing.assert_allclose(out["pe_std_norm"], s, rtol=OUTER_PRODUCT_RTOL)


def test_minibatch_snr_equals_statistics_of_explicit_minibatch_gradients(snr_states):
    rngs = lambda: [np.random.default_rng(6), np.random.default_rng(7)]  # noqa: E731
    out = gradient_signal_to_noise(snr_states, rngs(), batch_size=16, chunk=4)
    assert set(out) == {"grad_batch_mean_norm", "grad_batch_std_norm", "grad_batch_snr"}
    groups = _documented_groups((6, 7), N_SNR_TRAIN, 16, N_SNR_TRAIN // 16, len(LOGGED))
    m, s = _explicit_gradient_statistics(snr_states, groups)
    np.testing.assert_allclose(out["grad_batch_mean_norm"], m, rtol=STREAMING_RTOL)
    np.testing.assert_allclose(out["grad_batch_std_norm"], s, rtol=STREAMING_RTOL)
    np.testing.assert_allclose(out["grad_batch_snr"], m / s, rtol=STREAMING_RTOL)
    assert out["grad_batch_snr"].attrs["n_gradients"] == N_SNR_TRAIN // 16
    # same seeds ⇒ the same result, whatever the chunking; other seeds draw other minibatches
    again = gradient_signal_to_noise(snr_states, rngs(), batch_size=16, chunk=1)
    np.testing.assert_allclose(again["grad_batch_snr"], out["grad_batch_snr"], rtol=STREAMING_RTOL)
    np.testing.assert_array_equal(
        gradient_signal_to_noise(snr_states, rngs(), batch_size=16, chunk=4)["grad_batch_snr"], out["grad_batch_snr"]
    )
    other = gradient_signal_to_noise(snr_states, [np.random.default_rng(8), np.random.default_rng(9)], batch_size=16)
    assert not np.allclose(other["grad_batch_snr"], out["grad_batch_snr"])


def test_per_example_gradient_norms_equal_group_kernel_gradients(snr_states):
    state = next(iter(snr_states.subset([2])))
    d = state.data
    index = np.stack([np.arange(0, N_SNR_TRAIN, 2), np.arange(1, N_SNR_TRAIN, 2)])
    m, s = per_example_gradient_norms(state.params, state.train_forward, d.X_train, d.Y_train, state.activation, index)
    explicit = group_kernel_gradients(
        state.params, state.train_forward, d.X_train, d.Y_train, state.activation, index[:, :, None]
    )
    for l, g in enumerate(explicit):  # g: (S, G, fan_in, fan_out)
        reference = gradient_statistics(np.moveaxis(g, 1, 0))
        np.testing.assert_allclose(m[:, l], reference.mean_norm, rtol=OUTER_PRODUCT_RTOL)
        np.testing.assert_allclose(s[:, l], reference.std_norm, rtol=OUTER_PRODUCT_RTOL)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"mode": "epoch"}, "mode"),
        ({"batch_size": 0}, "batch_size"),
        ({"batch_size": N_SNR_TRAIN}, "batch_size"),  # fewer than 2 minibatches
        ({"max_groups": 1}, "max_groups"),
        ({"prefix": "not an identifier"}, "prefix"),
        ({"rngs": [np.random.default_rng(0)]}, "rngs"),
        ({"rngs": [0, 1]}, "rngs"),
    ],
)
def test_gradient_snr_bad_input(snr_states, kwargs, message):
    rngs = kwargs.pop("rngs", [np.random.default_rng(0), np.random.default_rng(1)])
    with pytest.raises(ValueError, match=message):
        gradient_signal_to_noise(snr_states, rngs, **kwargs)


def test_running_moments_equal_one_shot_statistics():
    rng = np.random.default_rng(0)
    stack = rng.normal(size=(3, 23, 4, 5)) + 2.0  # (seed, gradient, fan_in, fan_out)
    moments = RunningGradientMoments()
    for start, stop in ((0, 1), (1, 6), (6, 7), (7, 23)):  # uneven chunks, including single gradients
        moments.add(stack[:, start:stop])
    m, s, n = moments.norms()
    reference = gradient_statistics(np.moveaxis(stack, 1, 0))
    assert n == 23 == reference.n
    np.testing.assert_allclose(m, reference.mean_norm, rtol=STREAMING_RTOL)
    np.testing.assert_allclose(s, reference.std_norm, rtol=STREAMING_RTOL)


def test_running_moments_bad_input():
    moments = RunningGradientMoments()
    with pytest.raises(ValueError, match="at least 2"):
        moments.norms()
    moments.add(np.zeros((1, 1, 2, 2)))
    with pytest.raises(ValueError, match="at least 2"):
        moments.norms()
    with pytest.raises(ValueError, match="chunk"):
        moments.add(np.zeros((2, 2)))
    with pytest.raises(FloatingPointError, match="non-finite"):
        moments.add(np.full((1, 3, 2, 2), np.nan))


# --- a seed's measurement does not depend on the other seeds measured with it ------------------------------------

# measurement(states, seed labels): each seed's generators are derived from its label alone
MEASUREMENTS = {
    "paper_binning": lambda states, seeds: paper_binning(states),
    "min_max": lambda states, seeds: min_max_binned_information(states, 50),
    "min_max_per_layer": lambda states, seeds: min_max_binned_information(states, 50, per_layer=True),
    "kde": lambda states, seeds: kde_information(_few_patterns(states).subset([4]), (0.1,)),
    "kraskov": lambda states, seeds: kraskov_entropy(states.subset([4])),
    "histograms": lambda states, seeds: activity_histograms(states),
    "layer_measure": lambda states, seeds: layer_measure(states, lambda h, y: float(np.abs(h).max()), "peak"),
    "snr_sample": lambda states, seeds: gradient_signal_to_noise(
        states, [np.random.default_rng([s, 5]) for s in seeds], mode="sample", max_groups=64
    ),
    "snr_minibatch": lambda states, seeds: gradient_signal_to_noise(
        states, [np.random.default_rng([s, 6]) for s in seeds], batch_size=64
    ),
}


def _few_patterns(states: RunStates) -> RunStates:
    data = _with_mi_patterns(states.data, N_KDE_PATTERNS)
    return RunStates(states.parameters, states.widths, states.activation, data, states.epochs)


def _relu_seed_below_the_max(relu_run) -> int:
    """The seed whose largest hidden activity is not the largest of both seeds (the one a shared range would move)."""
    run, data = relu_run
    peaks = [max(float(a[s].max()) for e in range(len(LOGGED)) for a in _activity(run, data, e)[:-1]) for s in (0, 1)]
    return int(np.argmin(peaks))


def _check_seed_independent(run_and_data, name: str, seed: int) -> None:
    run, data = run_and_data
    both = MEASUREMENTS[name](_states(run_and_data), SEEDS)
    alone_states = RunStates(
        run.parameters.values[[seed]], SZT_WIDTHS, run.attrs["activation"], _seed_slice(data, [seed]), LOGGED
    )
    alone = MEASUREMENTS[name](alone_states, [SEEDS[seed]])
    assert set(both) == set(alone)
    for key, value in both.items():
        if "seed" in value.dims:
            # BLAS may sum a batch of matrices in another order than one matrix: agreement to float rounding.
            np.testing.assert_allclose(value.isel(seed=[seed]), alone[key], rtol=1e-9, atol=1e-12, err_msg=key)
        else:
            np.testing.assert_allclose(value, alone[key], rtol=1e-9, err_msg=key)


@pytest.mark.parametrize("name", sorted(MEASUREMENTS))
def test_a_seed_is_measured_the_same_alone_or_with_others(tanh_run, relu_run, name):
    _check_seed_independent(tanh_run, name, 1)
    # for ReLU, the seed whose activity peak is the lower one: a range shared by the seeds would move its bins
    _check_seed_independent(relu_run, name, _relu_seed_below_the_max(relu_run))
