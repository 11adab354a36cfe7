"""Claim tests of the deep linear family (C14, C27–C31, C35, C38, C39, C42–C45, C2 linear cells) and its figures.

Each test asserts one claim of the paper with the margins stated in :mod:`paper_checks.claims.deep_linear` and
:mod:`paper_checks.claims.linear_theory`; a failing check prints every measured number.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from paper_checks.claims import deep_linear as linear_claims
from paper_checks.claims import linear_theory as theory_claims
from paper_checks.compare import assert_claim
from paper_checks.figures import deep_linear as linear_figures

#: Every panel the family draws (PNG and PDF each).
PANELS = (
    "F3C",
    "F3D",
    "F4A",
    "F4B",
    "F6A",
    "F6B",
    "F6C",
    "F18A",
    "F18B",
    "F19A",
    "F19B",
    "F21A",
    "F21B",
    "F21C",
    "F21D",
    "F3C-as17",
    "F18A-smg14",
)


def test_c2_linear_cells(profile):
    assert_claim(linear_claims.check_c2_linear_cells(profile))


def test_c14_reparametrisation(profile):
    assert_claim(theory_claims.check_c14(profile))


def test_c27_exact_quantities(profile):
    assert_claim(linear_claims.check_c27(profile))


def test_c28_bgd_no_compression_minimal_overtraining(profile):
    assert_claim(linear_claims.check_c28(profile))


def test_c29_sgd_overtraining_loses_label_information(profile):
    assert_claim(linear_claims.check_c29(profile))


def test_c30_overtraining_worst_at_alpha_one(profile):
    assert_claim(theory_claims.check_c30(profile))


def test_c31_deep_linear_no_compression(profile):
    assert_claim(linear_claims.check_c31(profile))


def test_c35_sgd_and_bgd_similar(profile):
    assert_claim(linear_claims.check_c35(profile))


def test_c38_snr_transition_in_111_network(profile):
    assert_claim(linear_claims.check_c38(profile))


def test_c39_irrelevant_information_compresses(profile):
    assert_claim(linear_claims.check_c39(profile))


def test_c42_balanced_modes(profile):
    assert_claim(theory_claims.check_c42(profile))


def test_c43_conserved_quantity(profile):
    assert_claim(theory_claims.check_c43(profile))


def test_c44_depth(profile):
    assert_claim(theory_claims.check_c44(profile))


def test_c45_advani_saxe_curves(profile):
    assert_claim(theory_claims.check_c45(profile))


@pytest.mark.parametrize("draw", [linear_figures.draw_linear_figures])
def test_figures_are_drawn(profile, figure_dir: Path, draw):
    paths = draw(profile, figure_dir)
    names = {p.name for p in paths}
    for panel in PANELS:
        for suffix in (".png", ".pdf"):
            assert f"{panel}{suffix}" in names, f"{panel}{suffix} missing"
            assert (figure_dir / f"{panel}{suffix}").stat().st_size > 0
