"""Paper checks of saturation, Kraskov, binning artefacts, weight norms and the SNR transition (SZT + MNIST)."""

from __future__ import annotations

from pathlib import Path

import pytest

from paper_checks.claims import artefacts
from paper_checks.compare import assert_claim
from paper_checks.figures.artefacts import (
    draw_histograms,
    draw_kraskov,
    draw_machine_precision,
    draw_net_input,
    draw_snr,
)
from paper_checks.profiles import Profile

FAST_CLAIMS = ("c16", "c22", "c23", "c24", "c25", "c26")

# Claims that the fast profile (the fast Fig 1A/B run: 600 Adam epochs, 6 seeds; MNIST on 2 000 digits) cannot
# show, checked at the paper profile only. Measured at the fast profile:
# * C15: after 600 epochs only tanh layer 5 has entered the extreme bins (0.30 of its activity, > 3 SE); layers 3
#   and 4 hold 0.001 and 0.03 — the paper's saturation of layers 3–5 takes thousands of epochs.
# * C19: Kraskov H(T) of tanh layer 5 compresses (drop 4.6 bits > δ 3.9) but layer 4's drop (0.73) is below its
#   δ (0.86): the estimator's seed-to-seed spread of saturated layers needs the paper's 50 repeats.
# * C37, C5: the early/late SNR ratio (paper_checks.snr, ≥ 10 required) is 4.3–7.6 on SZT and 2.6–5.2 on MNIST: the
#   drift peak of the deep SZT layers comes at epochs 20–40, after the definition's first five logs, and the
#   late SNR over minibatches is floored near 1/√(minibatches per epoch) (12 for SZT; 6 sampled for MNIST at this size).
PAPER_CLAIMS = ("c5", "c15", "c19", "c37")


@pytest.mark.parametrize("name", FAST_CLAIMS)
def test_claim(profile: Profile, name: str) -> None:
    assert_claim(getattr(artefacts, f"check_{name}")(profile))


@pytest.mark.paper
@pytest.mark.parametrize("name", PAPER_CLAIMS)
def test_claim_at_paper_size(profile: Profile, name: str) -> None:
    assert_claim(getattr(artefacts, f"check_{name}")(profile))


def test_artefact_figures_are_written(profile: Profile, figure_dir: Path) -> None:
    paths = []
    for draw in (draw_kraskov, draw_net_input, draw_machine_precision, draw_histograms, draw_snr):
        paths += draw(profile, figure_dir)
    names = {p.name for p in paths}
    for panel in ("F12A", "F12B", "F14", "F15A", "F15B", "F16", "F17", "F20A", "F20B"):
        assert {f"{panel}.png", f"{panel}.pdf"} <= names
    assert all(p.is_file() and p.stat().st_size > 0 for p in paths)
