"""The follow-up paper's estimators as measurements of stored runs (paper_checks.measurements_adaptive, issue 16).

On a tiny SZT run stored in a results directory: each measurement equals its estimator called on networks rebuilt
from the stored parameters, has the (seed, epoch, layer[, noise_scale]) layout with units, stays within its
ceilings, measures an epoch subset the same as the whole run, and never retrains. ``ibtheory measure`` finds both
measurements and refuses bad parameters with exit 2 and a line naming the parameter.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
import xarray as xr

from paper_checks import registry
from paper_checks.experiments.szt import SZT_WIDTHS, SZTRun
from paper_checks.measurements import run_states
from paper_checks.measurements_adaptive import EBAB, AdaptiveKDE
from paper_checks.profiles import FAST
from paper_checks.workflow.cli import main
from paper_checks.workflow.runner import Runner
from paper_checks.workflow.store import ResultStore
from simulate.mi import adaptive_kde, ebab

SEEDS = (0, 1)
LOGGED = (0, 1, 3)
N_LAYERS = len(SZT_WIDTHS) - 1
SZT_PATTERNS = 4096
# Plug-in binned information is an exact sum of logs; the KDE sums are float64 sums of exponentials (1e-12 bits).
ROUNDING_ATOL = 1e-9
# aKDE on all 4096 patterns costs ≈ 0.1 s per layer, seed and epoch: one logged epoch keeps the test short.
AKDE_EPOCHS = (3,)


def _tiny(activation: str) -> SZTRun:
    return replace(SZTRun(activation=activation), seeds=SEEDS, epochs=3, logged_epochs=LOGGED)


@pytest.fixture(scope="module")
def stored(tmp_path_factory):
    """A results directory holding the tiny tanh and ReLU runs, and a runner on it."""
    store = ResultStore(tmp_path_factory.mktemp("results"))
    runner = Runner(store, FAST)
    runs = {a: runner.load(registry.Need(_tiny(a))) for a in ("tanh", "relu")}
    return store, runner, runs


def _direct(run: xr.Dataset, epochs, estimator, seeds=SEEDS) -> np.ndarray:
    """The estimator on every (seed, epoch, layer) of networks rebuilt from the stored parameters."""
    out = []
    for state in run_states(run, epochs):
        out.append([[estimator(h[s], state.data.y_mi) for h in state.activations] for s in range(len(seeds))])
    return np.moveaxis(np.array(out), 0, 1)  # (seed, epoch, layer, …)


def _measure(stored, activation, config) -> xr.Dataset:
    store, runner, _ = stored
    result = runner.load(registry.Need(_tiny(activation), config))
    assert not any(kind == "run" and action == "computed" for action, kind, _ in store.events[2 * len(SEEDS) :]), (
        "measuring trained a network"
    )
    return result


@pytest.mark.parametrize("activation", ["tanh", "relu"])
@pytest.mark.parametrize("config", [EBAB(), EBAB(n_bins=10, count="values", name="ebab10")])
def test_ebab_of_a_stored_run(stored, activation, config):
    ds = _measure(stored, activation, config)
    xt, ty = ds[f"I_XT_{config.name}"], ds[f"I_TY_{config.name}"]
    assert xt.dims == ("seed", "epoch", "layer") and xt.attrs["units"] == "bits"
    assert list(xt.epoch.values) == list(LOGGED) and list(xt.layer.values) == list(range(1, N_LAYERS + 1))
    run = stored[2][activation]
    direct = _direct(run, None, lambda h, y: ebab.mutual_information(h, y, config.n_bins, count=config.count))
    np.testing.assert_allclose(xt.values, direct[..., 0], atol=ROUNDING_ATOL)
    np.testing.assert_allclose(ty.values, direct[..., 1], atol=ROUNDING_ATOL)
    assert float(xt.max()) <= np.log2(SZT_PATTERNS) + ROUNDING_ATOL and float(ty.min()) >= 0.0
    assert float(xt.sel(layer=1).min()) > 4.0, "a 10-unit layer in 30 adaptive bins keeps most of the 12 bits"


def test_ebab_epoch_subset_is_the_same_as_the_whole_run(stored):
    whole = _measure(stored, "tanh", EBAB())
    part = _measure(stored, "tanh", EBAB(epochs=(1,)))
    assert bool(part["I_XT_ebab"].sel(epoch=[0, 3]).isnull().all()), "epochs not measured are NaN in the merged view"
    xr.testing.assert_allclose(part["I_XT_ebab"].sel(epoch=[1]), whole["I_XT_ebab"].sel(epoch=[1]))


@pytest.mark.parametrize("activation", ["relu"])  # the unbounded units the adaptive variance is for
def test_akde_of_a_stored_run(stored, activation):
    config = AdaptiveKDE(noise_scales=(0.1, 0.01), epochs=AKDE_EPOCHS)
    ds = _measure(stored, activation, config).sel(epoch=list(AKDE_EPOCHS))
    upper = ds["I_XT_upper_akde"]
    assert upper.dims == ("seed", "epoch", "layer", "noise_scale") and upper.attrs["units"] == "bits"
    assert list(upper.noise_scale.values) == [0.1, 0.01] and ds["noise_scale"].attrs["long_name"]
    run = stored[2][activation]

    def estimator(h, y):
        b = adaptive_kde.mutual_information_bounds(h, y, [0.1, 0.01])
        return [b.i_xt_upper, b.i_xt_lower, b.i_ty_upper, b.i_ty_lower, b.noise_variance]

    direct = _direct(run, AKDE_EPOCHS, estimator, seeds=SEEDS[:1])  # (seed 0, epoch, layer, field, scale)
    for i, name in enumerate(["I_XT_upper", "I_XT_lower", "I_TY_upper", "I_TY_lower", "noise_variance"]):
        np.testing.assert_allclose(ds[f"{name}_akde"].values[:1], direct[..., i, :], atol=ROUNDING_ATOL)
    assert np.all(upper.values >= ds["I_XT_lower_akde"].values - ROUNDING_ATOL)
    assert np.all(upper.sel(noise_scale=0.01).values >= upper.sel(noise_scale=0.1).values - ROUNDING_ATOL)
    variance = ds["noise_variance_akde"]
    assert variance.attrs["units"] and float(variance.min()) > 0.0


@pytest.mark.parametrize(
    ("make", "field"),
    [
        (lambda: EBAB(n_bins=1), "n_bins"),
        (lambda: EBAB(n_bins=True), "n_bins"),
        (lambda: EBAB(count="median"), "count"),
        (lambda: EBAB(name="a b"), "name"),
        (lambda: EBAB(epochs=(3, 1)), "epochs"),
        (lambda: AdaptiveKDE(noise_scales=(0.0,)), "noise_scales"),
        (lambda: AdaptiveKDE(noise_scales=(float("nan"),)), "noise_scales"),
        (lambda: AdaptiveKDE(noise_scales=()), "noise_scales"),
        (lambda: AdaptiveKDE(rule="min"), "rule"),
    ],
)
def test_bad_configuration_names_the_field(make, field):
    with pytest.raises(ValueError, match=field):
        make()


def test_the_registry_loads_both_measurements():
    registry.load_all()
    assert {"ebab", "akde"} <= set(registry.MEASUREMENTS)
    assert registry.MEASUREMENTS["ebab"].runs == ("szt", "mnist")


@pytest.mark.parametrize(
    ("parameters", "fragment"),
    [
        (["n_bins=1"], "n_bins"),
        (["n_bins=many"], "n_bins"),
        (["count=median"], "count"),
        (["bins=30"], "unknown parameter 'bins'"),
    ],
)
def test_cli_refuses_bad_ebab_parameters_naming_them(capsys, tmp_path, parameters, fragment):
    code = main(["measure", "ebab", *parameters, "--of", "F1A", "--results", str(tmp_path)])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1 and fragment in err[0], err


@pytest.mark.parametrize(("parameters", "fragment"), [(["noise_scales=0"], "noise_scales"), (["rule=min"], "rule")])
def test_cli_refuses_bad_akde_parameters_naming_them(capsys, tmp_path, parameters, fragment):
    code = main(["measure", "akde", *parameters, "--of", "F1B", "--results", str(tmp_path)])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1 and fragment in err[0], err


def test_cli_says_which_command_stores_missing_runs(capsys, stored):
    store, _, _ = stored
    code = main(["measure", "ebab", "--of", "F1A", "--results", str(store.root)])
    err = capsys.readouterr().err
    assert code == 2 and "ibtheory reproduce --profile fast --only F1A" in err
