"""Paper checks of the nonlinear SZT family: C1, C3, C6, C7, C17, C32, C34 (+ network checks of C18, C2).

Margins are stated inside each check (δ = max(3 SE, 0.02 bits) from paper_checks.compression; accuracies against
GENERALIZES_ACCURACY); sizes per profile are documented in SZTConfig.for_profile.
"""

from __future__ import annotations

from paper_checks.claims.szt import (
    c2_nonlinear_checks,
    c18_network_checks,
    check_c1,
    check_c3,
    check_c6,
    check_c7,
    check_c17,
    check_c32,
    check_c34,
)
from paper_checks.compare import ClaimResult, assert_claim
from paper_checks.figures.szt import draw_szt_figures


def test_c1_tanh_compresses_relu_does_not(profile):
    assert_claim(check_c1(profile))


def test_c6_fitting_then_compression(profile):
    assert_claim(check_c6(profile))


def test_c7_relu_information_increases(profile):
    assert_claim(check_c7(profile))


def test_c3_batch_gradient_descent_compresses(profile):
    assert_claim(check_c3(profile))


def test_c34_sgd_and_bgd_consistent(profile):
    assert_claim(check_c34(profile))


def test_c32_small_data_overfits_and_compresses(profile):
    assert_claim(check_c32(profile))


def test_c17_kde_split_by_nonlinearity(profile):
    assert_claim(check_c17(profile))


def test_c18_on_networks(profile):
    assert_claim(c18_network_checks(profile))


def test_c2_nonlinear_cells(profile):
    assert_claim(ClaimResult("C2 (nonlinear cells)", c2_nonlinear_checks(profile)))


def test_figures_are_written(profile, figure_dir):
    paths = draw_szt_figures(profile, figure_dir)
    names = {p.name for p in paths}
    for panel in ("F1A", "F1B", "F4C", "F4D", "F5A", "F5B", "F5C", "F5D", "F7A", "F7B", "F8A", "F8B", "F8C", "F8D"):
        assert {f"{panel}.png", f"{panel}.pdf"} <= names
    assert all(p.is_file() and p.stat().st_size > 0 for p in paths)


def test_experiment_seed_result_independent_of_batch_and_netcdf_safe(tmp_path):
    """A seed's result is the same run alone or with others (the on-disk cache splits runs by seed)."""
    from dataclasses import replace

    import numpy as np
    import xarray as xr

    from paper_checks.experiments.szt import SZTConfig, run_szt_infoplane
    from paper_checks.profiles import FAST

    tiny = replace(SZTConfig.for_profile(FAST, "relu", "F1"), epochs=3, logged_epochs=(0, 1, 3))
    both = run_szt_infoplane(replace(tiny, seeds=(0, 1)))
    alone = run_szt_infoplane(replace(tiny, seeds=(1,)))
    # BLAS may sum a batch of matrices in another order than one matrix: agreement to float rounding.
    np.testing.assert_allclose(both.sel(seed=[1]).I_XT_bin, alone.I_XT_bin, atol=1e-9)
    np.testing.assert_allclose(both.sel(seed=[1]).test_loss, alone.test_loss, atol=1e-9)
    path = tmp_path / "szt.nc"
    both.to_netcdf(path, engine="h5netcdf")
    xr.testing.assert_allclose(xr.load_dataset(path, engine="h5netcdf"), both)
