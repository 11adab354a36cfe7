"""The deep linear family's claim checks (paper_checks.claims.deep_linear) on synthetic runs: margins fixed by the
configuration, per-seed overtraining, the paired BGD/SGD contrast at equal time, and conformance to the declarations.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import xarray as xr

from paper_checks.claims import deep_linear as dl
from paper_checks.declarations import conformance
from paper_checks.profiles import FAST
from paper_checks.registry import Inputs


def _run(test_error, *, snr=1.0, n_inputs=100, n_irrelevant=0, I_XT=None, time=None) -> xr.Dataset:
    """A synthetic linear-student result: test error (seed, epoch) and I(T;X) (seed, epoch, layer)."""
    test_error = np.asarray(test_error, dtype=float)
    S, E = test_error.shape
    if I_XT is None:
        I_XT = np.broadcast_to(np.linspace(0.0, 1.0, E)[None, :, None], (S, E, 2))
    time = np.linspace(0.0, 5.0, E) if time is None else np.asarray(time)
    return xr.Dataset(
        {
            "test_error": (("seed", "epoch"), test_error),
            "I_XT_exact": (("seed", "epoch", "layer"), np.asarray(I_XT, dtype=float)),
            "W_o": (("seed", "output", "input"), np.zeros((S, 1, n_inputs + n_irrelevant))),
        },
        coords={"seed": np.arange(S), "epoch": np.arange(E), "layer": [1, 2], "time": ("epoch", time)},
        attrs={"snr": snr, "n_inputs": n_inputs, "n_irrelevant": n_irrelevant},
    )


def _u_shaped(rise: np.ndarray, epochs: int = 20) -> np.ndarray:
    """Test-error curves falling from 2 to 1 by mid-run, then rising by `rise` (one per seed)."""
    half = epochs // 2
    down = np.linspace(2.0, 1.0, half)
    up = 1.0 + np.linspace(0.0, 1.0, epochs - half)[None, :] * np.asarray(rise)[:, None]
    return np.concatenate([np.broadcast_to(down, (len(rise), half)), up], axis=1)


def test_the_no_compression_margin_is_a_number_of_the_configuration():
    fig3 = _run(_u_shaped(np.ones(4)))
    assert dl.teacher_information(fig3) == pytest.approx(0.5)  # ½ log₂(1 + 1)
    fig6 = _run(_u_shaped(np.ones(4)), snr=10.0, n_inputs=30, n_irrelevant=70)
    assert dl.teacher_information(fig6) == pytest.approx(1.0)  # ½ log₂(1 + 10·0.3)
    assert dl.no_compression_margin(fig3) == pytest.approx(dl.LINEAR_NO_COMPRESSION * 0.5)
    # the measured curves do not move it
    other = _run(_u_shaped(5 * np.ones(4)), I_XT=np.random.default_rng(0).normal(size=(4, 20, 2)))
    assert dl.no_compression_margin(other) == dl.no_compression_margin(fig3)


def test_overtraining_per_seed_and_bad_input():
    E = _u_shaped(np.array([0.0, 0.5, 2.0]))
    np.testing.assert_allclose(dl.overtraining(E), [0.0, 0.5, 2.0])
    assert dl.overtraining(E[1]) == pytest.approx(0.5)
    with pytest.raises(ValueError, match="positive errors"):
        dl.overtraining(np.zeros((2, 3)))


def test_the_contrast_at_equal_time_can_fail_and_can_pass():
    rng = np.random.default_rng(1)
    bgd = _run(_u_shaped(3.0 + 0.1 * rng.normal(size=8)))
    same = _run(_u_shaped(3.0 + 0.1 * rng.normal(size=8)))
    more = _run(_u_shaped(4.0 + 0.1 * rng.normal(size=8)))
    assert not dl._contrast_check(same, bgd, "x").passed
    assert dl._contrast_check(more, bgd, "x").passed
    early = _run(_u_shaped(np.full(8, 0.05)), time=np.linspace(0.0, 0.55, 20))
    with pytest.raises(ValueError, match="same gradient-flow time"):
        dl._contrast_check(more, early, "x")


def test_minimal_overtraining_is_an_equivalence_test():
    """More seed noise makes "minimal" harder to pass, never easier."""
    quiet = _run(_u_shaped(np.full(8, 0.05) + 0.001 * np.arange(8)))
    noisy = _run(_u_shaped(np.abs(0.05 + 0.2 * np.random.default_rng(2).normal(size=8))))
    assert dl._minimal_overtraining_check(quiet, "q", "x").passed
    assert not dl._minimal_overtraining_check(noisy, "n", "x").passed


def test_a_compressing_linear_layer_fails_no_compression():
    E = _u_shaped(np.ones(6))
    rise_fall = np.minimum(np.arange(20), 20 - np.arange(20)) * 0.05  # 0.5 bits up, then down
    I_XT = np.stack([np.tile(rise_fall, (6, 1)), np.tile(np.linspace(0, 1, 20), (6, 1))], axis=-1)
    ds = _run(E, I_XT=I_XT + 1e-3 * np.random.default_rng(3).normal(size=I_XT.shape))
    checks = dl._no_compression_checks(ds, dl.LINEAR, "synthetic", "d")
    assert [c.passed for c in checks] == [False, True]


def test_c2_linear_and_c28_checks_follow_their_declarations():
    rng = np.random.default_rng(4)
    bgd, sgd = _run(_u_shaped(3.0 + 0.1 * rng.normal(size=8))), _run(_u_shaped(3.0 + 0.1 * rng.normal(size=8)))
    early = _run(_u_shaped(np.full(8, 0.05)), time=np.linspace(0.0, 0.55, 20))
    inputs = Inputs(FAST, {"F19": bgd, "F4": sgd, "F3": early})
    from paper_checks.claims.headline import C2_DECLARED

    linear_only = [d for d in C2_DECLARED.checks if d in dl.C2_LINEAR_DECLARED]
    assert len(linear_only) == len(dl.C2_LINEAR_DECLARED)
    names = {c.declared for c in dl.c2_linear_checks(inputs)}
    assert names == {d.name for d in dl.C2_LINEAR_DECLARED}
    assert conformance(dl.C28_DECLARED, dl.check_c28(inputs).checks) == []
    assert math.isfinite(dl.check_c28(inputs).checks[-1].normalised_margin)
