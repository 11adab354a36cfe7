"""The registered measurements of stored runs (paper_checks.measurements) on a tiny SZT run.

Each configuration's measurement is compared with the estimator of :mod:`simulate.measurements` it documents
(its rule, defaults, random streams), on the same stored run: dims and coordinates (seed labels, 1-based layers,
logged epochs), epoch subsets, bits, determinism, a seed's result alone or with others, configuration validation
and a user's own function (:func:`~paper_checks.measurements.measure_with`). Also the trainer's per-seed
independence (the store keeps one seed per file).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
import xarray as xr

from paper_checks import registry
from paper_checks.experiments.szt import SZT_WIDTHS, SZTRun, train_szt
from paper_checks.measurements import (
    BINNING_RULES,
    KDE,
    Binning,
    GradientSNR,
    Histograms,
    Kraskov,
    measure_with,
    run_states,
)
from simulate import measurements as sm
from simulate.mi import discretizers
from simulate.mi.kde import mutual_information_bounds
from simulate.network import forward, params_from_flat

SEEDS = (0, 1)
LOGGED = (0, 1, 3)
N_LAYERS = len(SZT_WIDTHS) - 1
SZT_PATTERNS = 4096
P_POSITIVE = 2118 / 4096
# 0.999157 bits, docs/claims.md#c46
H_Y = -(P_POSITIVE * np.log2(P_POSITIVE) + (1 - P_POSITIVE) * np.log2(1 - P_POSITIVE))
# Plug-in binned information is an exact sum of logs: only float rounding separates it from its ceilings.
ROUNDING_ATOL = 1e-9
# A seed alone or in a batch: BLAS may sum a stack of matrices in another order than one matrix (a few ulps after
# a few hundred Adam steps), and every estimator here is continuous in the activity except at bin edges.
BATCH_AGREEMENT_ATOL = 1e-9


def _tiny(activation: str) -> SZTRun:
    return replace(SZTRun(activation=activation), seeds=SEEDS, epochs=3, logged_epochs=LOGGED)


@pytest.fixture(scope="module")
def tanh_run() -> xr.Dataset:
    return registry.compute(_tiny("tanh"))


@pytest.fixture(scope="module")
def relu_run() -> xr.Dataset:
    return registry.compute(_tiny("relu"))


def _measure(run: xr.Dataset, config) -> xr.Dataset:
    return registry.measurement_spec_for(config).function(run, config)


def _check_layout(ds: xr.Dataset, variable: str, epochs=LOGGED, seeds=SEEDS) -> None:
    value = ds[variable]
    assert value.dims[:3] == ("seed", "epoch", "layer"), value.dims
    assert list(value.seed.values) == list(seeds)
    assert list(value.epoch.values) == list(epochs)
    assert list(value.layer.values) == list(range(1, N_LAYERS + 1))


# --- binning -----------------------------------------------------------------------------------------------------

# (configuration, the simulate.measurements call it documents)
BINNING_CASES = {
    "paper": (Binning(), lambda st: sm.paper_binning(st)),
    "equal": (Binning("equal"), lambda st: sm.binned_information(st, discretizers.equal_bins(30, -1.0, 1.0))),
    "equal_10_half": (
        Binning("equal", n_bins=10, low=-0.5, high=0.5, name="half"),
        lambda st: sm.binned_information(st, discretizers.equal_bins(10, -0.5, 0.5), "half"),
    ),
    "min_max": (Binning("min_max"), lambda st: sm.min_max_binned_information(st, 100)),
    "min_max_per_layer": (
        Binning("min_max", n_bins=40, per_layer=True),
        lambda st: sm.min_max_binned_information(st, 40, per_layer=True),
    ),
    "fixed_width": (Binning("fixed_width"), lambda st: sm.binned_information(st, discretizers.fixed_width(0.5))),
    "fixed_width_0.1": (
        Binning("fixed_width", width=0.1),
        lambda st: sm.binned_information(st, discretizers.fixed_width(0.1)),
    ),
    "net_input": (Binning("net_input"), lambda st: sm.binned_information(st, discretizers.net_input_edges(30))),
    "machine": (
        Binning("machine", name="machine"),
        lambda st: sm.binned_information(st, discretizers.machine_precision(), "machine", dtype=np.float32),
    ),
    "idnns": (Binning("idnns", n_bins=20), lambda st: sm.binned_information(st, discretizers.idnns_edges(20))),
}


def test_every_binning_rule_is_covered():
    assert {config.rule for config, _ in BINNING_CASES.values()} == set(BINNING_RULES)


@pytest.mark.parametrize("activation", ["tanh", "relu"])
@pytest.mark.parametrize("case", sorted(BINNING_CASES))
def test_binning_rules(tanh_run, relu_run, activation, case):
    run = {"tanh": tanh_run, "relu": relu_run}[activation]
    config, direct = BINNING_CASES[case]
    ds = _measure(run, config)
    expected = direct(run_states(run))
    assert set(ds.data_vars) == set(expected)
    for key, value in expected.items():
        np.testing.assert_array_equal(ds[key].values, value.values, err_msg=key)
    i_xt, i_ty = ds[f"I_XT_{config.name}"], ds[f"I_TY_{config.name}"]
    _check_layout(ds, i_xt.name)
    assert ds.attrs["binning_rule"] == config.rule
    assert float(i_xt.min()) >= 0 and float(i_xt.max()) <= np.log2(SZT_PATTERNS) + ROUNDING_ATOL
    assert float(i_ty.min()) >= -ROUNDING_ATOL and float(i_ty.max()) <= H_Y + ROUNDING_ATOL
    if config.rule == "machine":  # the first hidden layer separates all 4096 patterns (C23)
        np.testing.assert_allclose(i_xt.sel(layer=1), np.log2(SZT_PATTERNS))
    if config.rule == "min_max":
        assert ds[f"bin_low_{config.name}"].dims == ("seed", "layer")


def test_paper_binning_follows_the_activation(tanh_run, relu_run):
    tanh = _measure(tanh_run, Binning())
    xr.testing.assert_identical(tanh.I_XT_bin, _measure(tanh_run, Binning("equal")).I_XT_bin)
    relu = _measure(relu_run, Binning())
    xr.testing.assert_identical(relu.I_XT_bin, _measure(relu_run, Binning("min_max")).I_XT_bin)
    assert "bin_low_bin" in relu and "bin_low_bin" not in tanh


def test_binning_on_an_epoch_subset(tanh_run):
    full = _measure(tanh_run, Binning())
    subset = _measure(tanh_run, Binning(epochs=(0, 3)))
    _check_layout(subset, "I_XT_bin", epochs=(0, 3))
    xr.testing.assert_identical(subset.I_XT_bin, full.I_XT_bin.sel(epoch=[0, 3]))
    with pytest.raises(ValueError, match="epochs"):
        _measure(tanh_run, Binning(epochs=(2,)))  # not a logged epoch


def test_min_max_range_is_over_all_logged_epochs_whatever_the_subset(relu_run):
    full = _measure(relu_run, Binning("min_max"))
    initial = _measure(relu_run, Binning("min_max", epochs=(0,)))  # ReLU activity grows: epoch 0's max is lower
    np.testing.assert_array_equal(initial.bin_high_bin, full.bin_high_bin)
    np.testing.assert_array_equal(initial.I_XT_bin.sel(epoch=0), full.I_XT_bin.sel(epoch=0))


# --- KDE, Kraskov, histograms ------------------------------------------------------------------------------------


def test_kde_on_an_epoch_subset(tanh_run):
    # one seed (KDE on 4096 patterns costs ≈ 0.5 s per layer; per-seed independence: tests/test_measurements.py)
    run = tanh_run.sel(seed=[1])
    ds = _measure(run, KDE(noise_variances=(0.1, 1e-3), epochs=(3,)))
    names = {"I_XT_upper_kde", "I_XT_lower_kde", "I_TY_upper_kde", "I_TY_lower_kde"}
    assert set(ds.data_vars) == names
    _check_layout(ds, "I_XT_upper_kde", epochs=(3,), seeds=(1,))
    assert ds.I_XT_upper_kde.dims == ("seed", "epoch", "layer", "noise_variance")
    assert list(ds.noise_variance.values) == [0.1, 1e-3]
    assert not any(bool(ds[v].isnull().any()) for v in names)  # NaN-free on the measured epochs
    assert np.all(ds.I_XT_lower_kde <= ds.I_XT_upper_kde + ROUNDING_ATOL)
    assert float(ds.I_XT_upper_kde.max()) <= np.log2(SZT_PATTERNS) + ROUNDING_ATOL
    # one value against the estimator on the network rebuilt here from the stored parameters
    states = run_states(run)
    params = params_from_flat(run.parameters.sel(epoch=3).values, SZT_WIDTHS)
    activity = forward(params, states.data.X_mi, "tanh").post[4][0]
    direct = mutual_information_bounds(activity, states.data.y_mi, [0.1, 1e-3])
    np.testing.assert_allclose(ds.I_XT_upper_kde.sel(seed=1, epoch=3, layer=5), direct.i_xt_upper, rtol=1e-12)
    # what a claim sees: the run's summaries at every logged epoch, the KDE NaN at the epochs it skipped
    merged = registry.merge_run_and_measurement(run, [ds])
    assert list(merged.epoch.values) == list(LOGGED) and "parameters" not in merged
    assert bool(merged.I_XT_upper_kde.sel(epoch=[0, 1]).isnull().all())
    assert not bool(merged.I_XT_upper_kde.sel(epoch=3).isnull().any())


def test_kraskov(tanh_run):
    ds = _measure(tanh_run, Kraskov(k=3, epochs=(1, 3)))
    _check_layout(ds, "H_kraskov", epochs=(1, 3))
    assert ds.attrs["kraskov_k"] == 3 and bool(np.isfinite(ds.H_kraskov).all())
    expected = sm.kraskov_entropy(run_states(tanh_run, (1, 3)), k=3)["H_kraskov"]
    np.testing.assert_array_equal(ds.H_kraskov.values, expected.values)
    assert not np.allclose(ds.H_kraskov, _measure(tanh_run, Kraskov(k=2, epochs=(1, 3))).H_kraskov)


def test_kraskov_at_several_orders(tanh_run):
    config = Kraskov(k=[3, 2], epochs=(1, 3))
    assert config == Kraskov(k=(3, 2), epochs=(1, 3)) and hash(config) == hash(Kraskov(k=(3, 2), epochs=(1, 3)))
    ds = _measure(tanh_run, config)
    assert ds.H_kraskov.dims == ("seed", "epoch", "layer", "kraskov_k") and "kraskov_k" not in ds.attrs
    for k in (3, 2):
        single = _measure(tanh_run, Kraskov(k=k, epochs=(1, 3))).H_kraskov
        np.testing.assert_array_equal(ds.H_kraskov.sel(kraskov_k=k).values, single.values)


@pytest.mark.parametrize("activation", ["tanh", "relu"])
def test_histograms(tanh_run, relu_run, activation):
    run = {"tanh": tanh_run, "relu": relu_run}[activation]
    ds = _measure(run, Histograms(n_bins=12))
    _check_layout(ds, "activity_histogram")
    assert ds.activity_histogram.dims == ("seed", "epoch", "layer", "bin") and ds.sizes["bin"] == 12
    np.testing.assert_allclose(ds.activity_histogram.sum("bin"), 1.0, rtol=1e-12)
    assert ("extreme_fraction" in ds) == (activation == "tanh")
    expected = sm.activity_histograms(run_states(run), 12)
    for key, value in expected.items():
        np.testing.assert_array_equal(ds[key].values, value.values, err_msg=key)


# --- gradient SNR ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("config", "prefix", "kwargs"),
    [
        (GradientSNR("sample"), "grad", {"mode": "sample"}),
        (GradientSNR("sample", max_groups=100, stream=4), "grad", {"mode": "sample", "max_groups": 100}),
        (
            GradientSNR("minibatch", batch_size=256, prefix="grad_batch", stream=2),
            "grad_batch",
            {"mode": "minibatch", "batch_size": 256},
        ),
        (GradientSNR("minibatch", batch_size=128), "grad_batch", {"mode": "minibatch", "batch_size": 128}),
    ],
)
def test_gradient_snr_modes(tanh_run, config, prefix, kwargs):
    ds = _measure(tanh_run, config)
    names = {f"{prefix}_mean_norm", f"{prefix}_std_norm", f"{prefix}_snr"}
    assert set(ds.data_vars) == names and ds.attrs["snr_mode"] == config.mode
    _check_layout(ds, f"{prefix}_snr")
    np.testing.assert_allclose(ds[f"{prefix}_snr"], ds[f"{prefix}_mean_norm"] / ds[f"{prefix}_std_norm"])
    assert bool((ds[f"{prefix}_snr"] > 0).all())
    # the documented streams: seed s at logged epoch e draws its examples/minibatches from SeedSequence([s, stream, e])
    states = run_states(tanh_run)
    for epoch in states.epochs:
        rngs = [np.random.default_rng(np.random.SeedSequence([s, config.stream, epoch])) for s in SEEDS]
        expected = sm.gradient_signal_to_noise(states.subset([epoch]), rngs, **kwargs)
        for key, value in expected.items():
            np.testing.assert_array_equal(ds[key].sel(epoch=[epoch]).values, value.values, err_msg=key)
    xr.testing.assert_identical(ds, _measure(tanh_run, config))  # same configuration ⇒ same result
    if config.mode == "minibatch" or config.max_groups is not None:  # a random subset: another stream differs
        other = _measure(tanh_run, replace(config, stream=config.stream + 10))
        assert not np.allclose(other[f"{prefix}_snr"], ds[f"{prefix}_snr"])


def test_minibatch_snr_of_an_epoch_does_not_depend_on_the_subset(tanh_run):
    full = _measure(tanh_run, GradientSNR("minibatch"))
    late = _measure(tanh_run, GradientSNR("minibatch", epochs=(3,)))
    np.testing.assert_allclose(late.grad_batch_snr.sel(epoch=3), full.grad_batch_snr.sel(epoch=3), rtol=1e-12)


# --- a seed's measurement does not depend on the seeds measured with it ------------------------------------------

PER_SEED_CONFIGS = {
    "binning_paper": Binning(),
    "binning_min_max": Binning("min_max", per_layer=True),
    "kraskov": Kraskov(epochs=(3,)),
    "histograms": Histograms(),
    "snr_sample": GradientSNR("sample", max_groups=200),
    "snr_minibatch": GradientSNR("minibatch", batch_size=256, stream=2),
}


def _check_per_seed(run: xr.Dataset, config) -> None:
    both = _measure(run, config)
    alone = _measure(run.sel(seed=[1]), config)
    assert list(alone.seed.values) == [1]
    for name, value in both.data_vars.items():
        if "seed" in value.dims:
            np.testing.assert_allclose(value.sel(seed=[1]), alone[name], atol=BATCH_AGREEMENT_ATOL, err_msg=name)
        else:
            np.testing.assert_allclose(value, alone[name], atol=BATCH_AGREEMENT_ATOL, err_msg=name)


@pytest.mark.parametrize("name", sorted(PER_SEED_CONFIGS))
@pytest.mark.parametrize("activation", ["tanh", "relu"])
def test_a_seed_is_measured_the_same_alone_or_with_others(tanh_run, relu_run, activation, name):
    run = {"tanh": tanh_run, "relu": relu_run}[activation]
    if activation == "relu":
        # seed 1's largest hidden activity is below seed 0's: a ReLU range shared by the seeds would move its bins
        top = np.zeros(2)
        for state in run_states(run):
            top = np.maximum(top, [max(float(a[s].max()) for a in state.activations[:-1]) for s in (0, 1)])
        assert top[1] < top[0]
    _check_per_seed(run, PER_SEED_CONFIGS[name])


# --- configuration validation and a user's function --------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "field"),
    [
        (lambda: Binning(rule="nope"), "rule"),
        (lambda: Binning(n_bins=1), "n_bins"),
        (lambda: Binning(n_bins=True), "n_bins"),
        (lambda: Binning(width=-0.5), "width"),
        (lambda: Binning("equal", low=1.0, high=-1.0), "low"),
        (lambda: Binning(name="a b"), "name"),
        (lambda: Binning(epochs=(3, 1)), "epochs"),
        (lambda: Binning(epochs=(-1,)), "epochs"),
        (lambda: Binning(epochs=()), "epochs"),
        (lambda: KDE(noise_variances=(0,)), "noise_variances"),
        (lambda: KDE(noise_variances=(0.1, float("nan"))), "noise_variances"),
        (lambda: KDE(epochs=(1, 1)), "epochs"),
        (lambda: Kraskov(k=0), "k"),
        (lambda: Kraskov(k=()), "k"),
        (lambda: Kraskov(k=(2, True)), "k"),
        (lambda: Kraskov(epochs=(2, 0)), "epochs"),
        (lambda: Histograms(n_bins=1), "n_bins"),
        (lambda: GradientSNR(mode="epoch"), "mode"),
        (lambda: GradientSNR(batch_size=0), "batch_size"),
        (lambda: GradientSNR(stream=-1), "stream"),
        (lambda: GradientSNR(epochs=(5, 4)), "epochs"),
    ],
)
def test_bad_configuration_names_the_field(make, field):
    with pytest.raises(ValueError, match=field):
        make()


def test_configurations_normalise_epochs():
    assert Binning(epochs=[0, 3]).epochs == (0, 3)
    assert KDE(noise_variances=0.1).noise_variances == (0.1,)


def test_run_states_bad_input(tanh_run):
    with pytest.raises(ValueError, match="run"):
        run_states(tanh_run.drop_vars("parameters"))
    with pytest.raises(ValueError, match="task"):
        run_states(tanh_run.assign_attrs(task="not a task"))
    with pytest.raises(ValueError, match="epochs"):
        run_states(tanh_run, (2,))


def test_run_states_unknown_task_raises_value_error(tanh_run):
    with pytest.raises(ValueError, match="task"):
        run_states(tanh_run.assign_attrs(task="no_such_task"))


def test_measure_with_applies_a_user_function(tanh_run):
    ds = measure_with(tanh_run, lambda h, y: float(np.abs(h).mean()), "mean_abs", epochs=(1, 3))
    _check_layout(ds, "mean_abs", epochs=(1, 3))
    states = run_states(tanh_run)
    params = params_from_flat(tanh_run.parameters.sel(epoch=3).values, SZT_WIDTHS)
    post = forward(params, states.data.X_mi, "tanh").post
    for s, layer in ((0, 1), (1, 6)):
        expected = np.abs(post[layer - 1][s]).mean()
        assert ds.mean_abs.sel(seed=s, epoch=3, layer=layer).item() == pytest.approx(expected, rel=1e-12)
    net = measure_with(tanh_run, lambda h, y: float(h[y == 1].mean()), "net_mean", space="net_input")
    pre = forward(params, states.data.X_mi, "tanh").pre[2][0]
    assert net.net_mean.sel(seed=0, epoch=3, layer=3).item() == pytest.approx(pre[states.data.y_mi == 1].mean())
    with pytest.raises(ValueError, match="name"):
        measure_with(tanh_run, lambda h, y: 0.0, "bad name")
    with pytest.raises(TypeError, match="function"):
        measure_with(tanh_run, "mean", "x")


# --- the trainer: a seed's run does not depend on the seeds trained with it --------------------------------------


def test_a_seed_trains_the_same_alone_or_with_others(tmp_path):
    tiny = _tiny("relu")
    both = train_szt(tiny)
    alone = train_szt(replace(tiny, seeds=(1,)))
    for name in ("parameters", "train_loss", "test_loss", "weight_norm"):
        np.testing.assert_allclose(both[name].sel(seed=[1]), alone[name], atol=BATCH_AGREEMENT_ATOL, err_msg=name)
    for name in ("train_index", "test_index", "train_accuracy", "test_accuracy"):
        np.testing.assert_array_equal(both[name].sel(seed=[1]), alone[name], err_msg=name)
    path = tmp_path / "szt.nc"
    both.to_netcdf(path, engine="h5netcdf")
    xr.testing.assert_identical(xr.load_dataset(path, engine="h5netcdf"), both)
