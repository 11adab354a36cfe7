"""The estimator experiments and ibsgd's epoch-0 measurement through the registry (claims: the registry's test)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

import paper_checks.claims.estimators as claims
from paper_checks import registry
from paper_checks.experiments.estimators import (
    IBSGD_BIN_WIDTH,
    IBSGD_KDE_NOISE_VARIANCE,
    MixtureConfig,
    NoiseLimitConfig,
    ibsgd_epoch0_need,
)
from paper_checks.measurements import KDE, Binning
from paper_checks.profiles import FAST
from paper_checks.workflow.store import Piece, ResultStore


def test_claims_are_registered():
    assert {"C40", "C41", "C46"} <= set(registry.CLAIMS)
    assert {"kde_mixture_bracketing", "kde_noise_limits"} <= set(registry.EXPERIMENTS)


def test_mixture_experiment_is_per_seed_and_round_trips(tmp_path):
    config = MixtureConfig(seeds=(0, 1), variances=(0.03, 3.0))
    both = registry.compute(config)
    alone = registry.compute(replace(config, seeds=(1,)))
    np.testing.assert_array_equal(both.H_X_upper.sel(seed=1).values, alone.H_X_upper.sel(seed=1).values)
    store = ResultStore(tmp_path / "results")
    for s in config.seeds:
        store.save(Piece(replace(config, seeds=(s,)), None, s), both.sel(seed=[s]))
    back = store.join(registry.Need(config))
    for name in both.data_vars:
        np.testing.assert_array_equal(back[name].values, both[name].values)
        assert back[name].attrs["units"] == "bits" and back[name].attrs["long_name"]


def test_noise_limits_layers_are_one_based_and_described(tmp_path):
    config = NoiseLimitConfig(log10_variances=(-12.0, 6.0), seeds=(0,))
    ds = registry.compute(config)
    assert list(ds.layer.values) == [1, 2, 3, 4, 5, 6]
    store = ResultStore(tmp_path / "results")
    back = store.save(Piece(config, None, 0), ds)
    assert back.I_XT_upper_kde.attrs["units"] == "bits"
    assert back.min_squared_distance.attrs["long_name"]
    # At σ² = 1e-12 the first layer keeps every pattern apart: the upper bound is log2(4096) = 12 bits.
    assert abs(float(ds.I_XT_upper_kde.sel(seed=0, layer=1, noise_variance=1e-12)) - 12.0) < 1e-9


def test_ibsgd_epoch0_is_a_measurement_of_a_one_epoch_szt_run():
    need = ibsgd_epoch0_need(FAST)
    assert registry.spec_for(need.source).name == "szt"
    assert need.source.epochs == 1 and need.source.logged_epochs == (0, 1)
    assert KDE((IBSGD_KDE_NOISE_VARIANCE,), name="kde") in need.measurements
    assert Binning("fixed_width", width=IBSGD_BIN_WIDTH, name="bin") in need.measurements


def test_c46_reads_both_logged_epochs_of_the_measured_run():
    need = ibsgd_epoch0_need(FAST)
    small = registry.Need(replace(need.source, seeds=(0,)), need.measurements)
    result = claims.check_c46(registry.Inputs(FAST, {"ibsgd_epoch0": registry.compute(small)}))
    assert len(result.extra["I_XT_upper_kde_z"]) == 6
    assert len(result.extra["I_XT_upper_kde_after_first_epoch_shift"]) == 6
    reached = [c for c in result.checks if c.declared == "I_XT_upper_kde: layer 1 reaches the ceiling"]
    assert len(reached) == 1 and reached[0].layer == 1 and "layer 1" in reached[0].description


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: MixtureConfig(dims=(3,)), "dims"),
        (lambda: MixtureConfig(variances=(0.1, -1.0)), "variances"),
        (lambda: MixtureConfig(seeds=()), "seeds"),
        (lambda: NoiseLimitConfig(log10_variances=(float("nan"),)), "log10_variances"),
        (lambda: NoiseLimitConfig(seeds=(1, 1)), "seeds"),
    ],
)
def test_bad_configurations_name_the_parameter(make, message):
    with pytest.raises((ValueError, TypeError), match=message):
        make()
