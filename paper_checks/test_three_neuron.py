"""Claims C9–C13, C18, C21 of the minimal three-neuron model, and its figures (F2B–D, F11, F13, variants)."""

from __future__ import annotations

from paper_checks.claims.three_neuron import (
    check_c9,
    check_c10,
    check_c11,
    check_c12,
    check_c13,
    check_c18,
    check_c21,
)
from paper_checks.compare import assert_claim
from paper_checks.figures.three_neuron import draw_activations, draw_curves, draw_f2b
from paper_checks.registry import CLAIMS, FIGURES


def test_c9_exact_equals_monte_carlo(profile):
    assert_claim(check_c9(profile))


def test_c10_tanh_rises_then_falls(profile):
    assert_claim(check_c10(profile))


def test_c11_relu_grows_without_bound(profile):
    assert_claim(check_c11(profile))


def test_c12_true_information_is_infinite(profile):
    assert_claim(check_c12(profile))


def test_c13_noise_view_matches_binning_qualitatively(profile):
    assert_claim(check_c13(profile))


def test_c18_softsign_and_softplus(profile):
    assert_claim(check_c18(profile))


def test_c21_net_input_binning_keeps_increasing(profile):
    assert_claim(check_c21(profile))


def test_claims_and_figures_are_registered():
    assert {"C9", "C10", "C11", "C12", "C13", "C18", "C21"} <= set(CLAIMS)
    assert {"F2B", "F2C", "F2D", "F11", "F13", "F2C-softsign", "F2D-softplus"} <= set(FIGURES)


def test_figures_are_written(profile, figure_dir):
    paths = draw_f2b(profile, figure_dir) + draw_activations(profile, figure_dir) + draw_curves(profile, figure_dir)
    names = {p.name for p in paths}
    for panel in ("F2B", "F2C", "F2D", "F11", "F13", "F2C-softsign", "F2D-softplus"):
        assert {f"{panel}.png", f"{panel}.pdf"} <= names
    for path in paths:
        assert path.exists() and path.stat().st_size > 1000, path


def test_curve_experiment_is_per_seed_and_netcdf_serialisable(tmp_path):
    import numpy as np
    import xarray as xr

    from paper_checks.experiments.three_neuron import CurveConfig, run_curve

    small = {"weights": (0.5, 2.0), "n_samples": 2_000}
    both = run_curve(CurveConfig(activation="relu", binning="half_line", seeds=(0, 1), **small))
    alone = run_curve(CurveConfig(activation="relu", binning="half_line", seeds=(1,), **small))
    np.testing.assert_array_equal(both.I_mc.sel(seed=1).values, alone.I_mc.sel(seed=1).values)
    path = tmp_path / "curve.nc"
    both.to_netcdf(path, engine="h5netcdf")
    with xr.open_dataset(path, engine="h5netcdf") as back:
        np.testing.assert_array_equal(back.I_exact.values, both.I_exact.values)
        assert back.attrs["binning"] == "half_line"
