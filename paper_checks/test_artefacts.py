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

FAST_CLAIMS = ("c15", "c16", "c22", "c23", "c24", "c25", "c26")

# Claims that the fast profile (the fast Fig 1A/B run: 600 Adam epochs, 6 seeds; MNIST on 2 000 digits) cannot
# show, checked at the paper profile only. Measured at the fast profile (numbers in the report of helper G):
# * C19: Kraskov H(T) of tanh layer 5 compresses (drop 4.6 bits > δ 3.9) but layer 4's drop (0.73) is below its
#   δ (0.86): the estimator's seed-to-seed spread of saturated layers needs the paper's 50 repeats. A tenfold
#   Adam step (lr 4e-3, as C15's fast variant) does not help: layer 4 drops 0.88 bits against δ 1.86.
# * C37, C5: the transition ratio of paper_checks.snr (≥ 10 required) of the per-sample SNR (Eqs 26–27) is
#   5–10.5 on SZT (only the tanh output layer reaches 10; the per-minibatch variant gives similar ratios,
#   4.6–12.9: m_l/s_l over minibatches that partition the data is ≈ √256 × the per-sample value) and 2.6–5 on
#   MNIST. The late, diffusion-phase SNR is not floored by the statistic but by the optimiser's jitter around the
#   minimum: on SZT it stays at 0.01–0.06 from epoch 50 to epoch 10 000 (measured on 2 seeds at the paper's
#   length, ratios 2.8–6.8 tanh, 2.3–4.8 ReLU), so a fast run cannot show more than the paper-size run does, and
#   these tests are expected to FAIL at the paper profile too: under the one-decade definition the SZT networks'
#   SNR falls 3–10×, not 10×. This is reported, not tuned away.
PAPER_CLAIMS = ("c5", "c19", "c37")


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


def test_bad_artefact_configs_are_rejected() -> None:
    from dataclasses import replace

    from paper_checks.experiments.artefacts import ArtefactsConfig, run_szt_artefacts
    from paper_checks.profiles import FAST, PAPER

    with pytest.raises(ValueError, match="variant"):
        ArtefactsConfig.for_profile(FAST, "tanh", variant="late")
    config = ArtefactsConfig.for_profile(FAST, "tanh")
    for measurements in (("binning", "spectra"), ()):
        with pytest.raises(ValueError, match="measurements"):
            run_szt_artefacts(replace(config, measurements=measurements))
    # The saturation variant is the Fig 1A/B run itself at the paper profile (one cached run), lean at fast.
    paper = ArtefactsConfig.for_profile(PAPER, "tanh")
    assert ArtefactsConfig.for_profile(PAPER, "tanh", variant="saturation") == paper
    lean = ArtefactsConfig.for_profile(FAST, "tanh", variant="saturation")
    assert lean.measurements == ("histograms",) and lean.learning_rate > config.learning_rate
