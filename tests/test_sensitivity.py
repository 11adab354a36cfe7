"""The estimator sweep (paper_checks.sensitivity): its grid, its input checks, the verdict of every cell, the report.

The cells are checked on curves whose verdict is known by construction: a rise-then-fall curve compresses, a flat
one does not, and a noisy one with a real but unresolved drop is inconclusive. The end-to-end sweep over the real
fast-profile runs is ``paper_checks/test_sensitivity_sweep.py``.
"""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

from paper_checks import sensitivity as sens
from paper_checks.compression import DELTA_FLOOR, Z_SCORE
from paper_checks.measurements import KDE, Binning, Kraskov
from paper_checks.workflow.sensitivity import report_section

LOGGED = tuple(range(0, 100, 5))


def curve(values: np.ndarray, epochs=None) -> xr.DataArray:
    """(seed, epoch, layer) curve from an array of that shape."""
    s, e, l = values.shape
    return xr.DataArray(
        values,
        dims=("seed", "epoch", "layer"),
        coords={"seed": np.arange(s), "epoch": list(epochs or range(e)), "layer": np.arange(1, l + 1)},
    )


def rise_fall(n_seeds: int = 8, n_epochs: int = 20, height: float = 2.0, noise: float = 0.05, seed: int = 0):
    rng = np.random.default_rng(seed)
    t = np.arange(n_epochs)
    shape = height * np.minimum(t, n_epochs - t) / (n_epochs / 2)
    return shape[None, :] + noise * rng.standard_normal((n_seeds, n_epochs))


def test_the_default_grid_is_the_issue_grid() -> None:
    settings = sens.sweep_settings(LOGGED)
    by = {e: [s for s in settings if s.estimator == e] for e in sens.ESTIMATORS}
    assert len(by["binning"]) == len(sens.SWEEP_BIN_COUNTS) * len(sens.BIN_RANGES) == 15
    assert [s.parameter for s in by["kde"]] == list(sens.SWEEP_NOISE_VARIANCES)
    assert [s.parameter for s in by["kraskov"]] == list(sens.SWEEP_KRASKOV_K)
    assert len(by["ebab"]) == 3 and len(by["akde"]) == 3
    # one KDE computation serves every σ² (the pairwise distances are shared); it runs at Fig 8's epochs
    assert len({s.config for s in by["kde"]}) == 1
    assert by["kde"][0].config == KDE(sens.SWEEP_NOISE_VARIANCES, name="sweep", epochs=(0, 15, 30, 45, 60, 75, 90, 95))
    fixed = [s.config for s in by["binning"] if s.range_rule == "fixed"]
    assert fixed[1] == Binning("equal", n_bins=30, low=-1.0, high=1.0, name="sweep")
    per_layer = [s.config for s in by["binning"] if s.range_rule == "per_layer"]
    assert all(c.rule == "min_max" and c.per_layer for c in per_layer)
    # one neighbour query serves every k
    assert {s.config for s in by["kraskov"]} == {Kraskov(sens.SWEEP_KRASKOV_K)}
    assert by["kraskov"][1].select == (("kraskov_k", 2),)
    assert len({s.label for s in settings}) == len(settings)


def test_estimators_subset_and_order() -> None:
    settings = sens.sweep_settings(LOGGED, estimators=("kraskov", "binning"), bins=(10,), ranges=("fixed",))
    assert [s.estimator for s in settings] == ["binning", "kraskov", "kraskov", "kraskov", "kraskov"]


@pytest.mark.parametrize(
    ("grid", "error", "fragment"),
    [
        ({"bins": (1,)}, ValueError, "bins must be integers ≥ 2"),
        ({"bins": (30, 0)}, ValueError, "bins must be integers ≥ 2"),
        ({"bins": (30.0,)}, TypeError, "bins must be integers"),
        ({"bins": ("30",)}, TypeError, "bins must be integers"),
        ({"bins": ()}, ValueError, "bins must list at least one value"),
        ({"ranges": ("log",)}, ValueError, "ranges must be some of"),
        ({"noise_variances": (0.0,)}, ValueError, "noise_variances must be finite and > 0"),
        ({"noise_variances": (-1e-3,)}, ValueError, "noise_variances must be finite and > 0"),
        ({"noise_variances": (float("nan"),)}, ValueError, "noise_variances must be finite and > 0"),
        ({"noise_variances": ("0.1",)}, TypeError, "noise_variances must be numbers"),
        ({"kraskov_k": (0,)}, ValueError, "kraskov_k must be integers ≥ 1 and ≤ 4095"),
        ({"kraskov_k": (4096,)}, ValueError, "kraskov_k must be integers ≥ 1 and ≤ 4095"),
        ({"ebab_bins": (1,)}, ValueError, "ebab_bins must be integers ≥ 2"),
        ({"akde_scales": (0,)}, ValueError, "akde_scales must be finite and > 0"),
        ({"estimators": ("mine",)}, ValueError, "estimators must be some of"),
    ],
)
def test_settings_outside_an_estimators_range_are_refused(grid, error, fragment) -> None:
    with pytest.raises(error, match=fragment):
        sens.sweep_settings(LOGGED, **grid)


def test_kraskov_k_is_bounded_by_the_patterns_the_estimator_sees() -> None:
    with pytest.raises(ValueError, match="≤ 99"):
        sens.sweep_settings(LOGGED, kraskov_k=(100,), n_patterns=100)
    assert sens.sweep_settings(LOGGED, kraskov_k=(99,), n_patterns=100, estimators=("kraskov",))[0].parameter == 99


def test_cells_compress_hold_still_or_stay_inconclusive() -> None:
    rng = np.random.default_rng(1)
    compressing = rise_fall()
    flat = 5.0 + 0.001 * rng.standard_normal((8, 20))
    # a real mean drop (0.5 bits) that 8 seeds cannot resolve: each seed's rise and fall has its own height
    heights = 0.5 + 2.0 * rng.standard_normal(8)
    unresolved = heights[:, None] * rise_fall(n_seeds=1, height=1.0, noise=0.0)
    values = np.stack([compressing, flat, unresolved], axis=-1)
    setting = sens.sweep_settings(LOGGED, estimators=("binning",), bins=(10,), ranges=("fixed",))[0]
    grid = sens.verdict_grid({setting: curve(values)})
    assert grid["verdict"].dims == ("setting", "layer")
    assert grid["verdict"].values[0].tolist() == [sens.COMPRESSES, sens.DOES_NOT_COMPRESS, sens.INCONCLUSIVE]
    drop, se = grid["drop"].values[0], grid["drop_stderr"].values[0]
    floor = DELTA_FLOOR / Z_SCORE
    np.testing.assert_allclose(grid["drop_z"].values[0], drop / np.maximum(se, floor))
    assert grid["drop_z"].values[0, 0] > Z_SCORE
    for name in ("drop", "drop_stderr", "drop_z", "rise", "equivalence_bound", "verdict"):
        assert {"units", "long_name"} <= set(grid[name].attrs)
    assert grid["verdict"].attrs["flag_meanings"] == "compresses does_not_compress inconclusive"
    assert str(grid["label"].values[0]) == setting.label


def test_more_noise_never_turns_a_flat_layer_into_does_not_compress() -> None:
    """The equivalence test gets harder with noise: the same flat curve, noisier, loses its '=' verdict."""
    rng = np.random.default_rng(3)
    setting = sens.sweep_settings(LOGGED, estimators=("binning",), bins=(10,), ranges=("fixed",))[0]
    verdicts = []
    for noise in (0.001, 0.05, 0.5):
        flat = 5.0 + noise * rng.standard_normal((8, 20, 1))
        verdicts.append(int(sens.verdict_grid({setting: curve(flat)})["verdict"].values[0, 0]))
    assert verdicts[0] == sens.DOES_NOT_COMPRESS
    assert verdicts[-1] == sens.INCONCLUSIVE


def test_setting_curve_selects_the_noise_variance_and_the_measured_epochs() -> None:
    kde = next(s for s in sens.sweep_settings(LOGGED, estimators=("kde",)) if s.parameter == 0.01)
    values = np.arange(2 * 3 * 2 * 5, dtype=float).reshape(2, 3, 2, 5)
    values[:, 1] = np.nan  # an epoch the kernel estimator skipped
    measured = xr.Dataset(
        {
            "I_XT_upper_sweep": xr.DataArray(
                values,
                dims=("seed", "epoch", "layer", "noise_variance"),
                coords={"epoch": [0, 5, 10], "layer": [1, 2], "noise_variance": list(sens.SWEEP_NOISE_VARIANCES)},
            )
        }
    )
    c = sens.setting_curve(measured, kde)
    assert c.dims == ("seed", "epoch", "layer")
    assert c["epoch"].values.tolist() == [0, 10]
    np.testing.assert_array_equal(c.values, values[:, [0, 2]][..., 2])


def test_claim_verdicts_use_c1s_declared_layers_and_tests() -> None:
    settings = sens.sweep_settings(LOGGED, estimators=("binning",), bins=(10, 30), ranges=("fixed",))
    rng = np.random.default_rng(4)
    tanh_yes = np.stack([5 + 0.001 * rng.standard_normal((8, 20))] * 3 + [rise_fall(seed=i) for i in (5, 6)], -1)
    tanh_no = tanh_yes.copy()
    tanh_no[..., 4] = 5 + 0.001 * rng.standard_normal((8, 20))  # layer 5 flat: C1's tanh half fails
    relu = 5 + 0.001 * rng.standard_normal((8, 20, 5))
    relu_compressing = relu + np.stack([rise_fall()] * 5, -1)
    grids = {
        "tanh": sens.verdict_grid({settings[0]: curve(tanh_yes), settings[1]: curve(tanh_no)}),
        "relu": sens.verdict_grid({settings[0]: curve(relu), settings[1]: curve(relu_compressing)}),
    }
    verdicts = sens.claim_verdicts(grids)
    tanh = [v for v in verdicts if v.claim.startswith("C1: tanh")]
    relu_half = [v for v in verdicts if v.claim.startswith("C1: ReLU")]
    assert [v.holds for v in tanh] == [True, False] and tanh[0].layers == (4, 5)
    assert [v.holds for v in relu_half] == [True, False] and relu_half[0].layers == (1, 2, 3, 4, 5)
    # [CHO19]'s C47 on the same ReLU cells: at least one compressing layer, the opposite of C1's ReLU half.
    c47 = [v for v in verdicts if v.claim.startswith("C47")]
    assert [v.holds for v in c47] == [False, True] and c47[0].layers == (1, 2, 3, 4, 5)
    one_layer = relu.copy()
    one_layer[..., 2] += rise_fall()
    single = sens.claim_verdicts({"relu": sens.verdict_grid({settings[0]: curve(one_layer)})})
    assert [v.holds for v in single if v.claim.startswith("C47")] == [True], "one layer suffices for C47"
    assert [v.holds for v in single if v.claim.startswith("C1: ReLU")] == [False]
    lines = report_section(grids, "fast")
    text = "\n".join(lines)
    assert "C1: tanh compresses (layers 4, 5)** holds at 1 of 2 settings: binning, 10 bins, fixed [−1, 1]" in text
    assert "C47 [CHO19]: a ReLU layer compresses (layers 1, 2, 3, 4, 5)** holds at 1 of 2 settings" in text
    assert "| binning, 30 bins, fixed [−1, 1] |" in text


def test_the_report_shows_a_stored_sweep_and_flags_one_computed_on_other_runs(tmp_path) -> None:
    from paper_checks import registry
    from paper_checks.experiments.szt import SZTRun
    from paper_checks.profiles import FAST
    from paper_checks.workflow.ids import Selection
    from paper_checks.workflow.report import write_reports
    from paper_checks.workflow.runner import RunSummary
    from paper_checks.workflow.sensitivity import SENSITIVITY_DIR, grid_path, stored_section
    from paper_checks.workflow.store import ResultStore

    registry.load_all()
    store = ResultStore(tmp_path / "out")
    setting = sens.sweep_settings(LOGGED, estimators=("binning",), bins=(10,), ranges=("fixed",))[0]
    grid = sens.verdict_grid({setting: curve(np.stack([rise_fall(seed=i) for i in range(5)], -1))})
    grid.attrs["run_key"] = store.source_key(SZTRun.for_profile(FAST, "tanh", "F1"))
    path = grid_path(store.root / SENSITIVITY_DIR, "fast")
    path.parent.mkdir()
    grid.to_netcdf(path, group="tanh", engine="h5netcdf")

    summary = RunSummary("fast", store.root, Selection((), ()), {}, {}, {}, "this process", 0.0)
    md, page = write_reports(summary)
    text = md.read_text(encoding="utf-8")
    assert "## Does the verdict survive the estimator? (fast profile)" in text
    assert "C1: tanh compresses (layers 4, 5)** holds at 1 of 1 settings: binning, 10 bins, fixed [−1, 1]" in text
    assert "<h2>Does the verdict survive the estimator? (fast profile)</h2>" in page.read_text(encoding="utf-8")

    grid.attrs["run_key"] = "0" * 24  # the sweep of runs that are no longer the stored ones
    grid.to_netcdf(path, group="tanh", engine="h5netcdf", mode="w")
    stale = "\n".join(stored_section(store.root, FAST))
    assert "computed on other runs of tanh" in stale and "ibtheory sensitivity --results" in stale
    assert "holds at" not in stale
