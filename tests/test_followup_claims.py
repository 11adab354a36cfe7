"""The statistics of the [CHO19] claims C49 and C50 (paper_checks.claims.followup) and the report's side-by-side."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

from paper_checks.claims.followup import COUNTERPARTS, VARIATION_MARGIN, seed_spread
from paper_checks.compare import Check, ClaimResult
from paper_checks.compression import compression_summary, own_peak_drops
from paper_checks.registry import CLAIMS, load_all
from paper_checks.workflow.report import counterpart_lines


def test_own_peak_drops_are_the_per_seed_statistic_of_the_equivalence_test() -> None:
    rng = np.random.default_rng(3)
    curve = xr.DataArray(rng.normal(size=(6, 9, 3)), dims=("seed", "epoch", "layer"), coords={"layer": [1, 2, 3]})
    drops = own_peak_drops(curve)
    assert drops.dims == ("seed", "layer") and np.all(drops >= 0)
    for c in compression_summary(curve):
        assert c.own_drop == pytest.approx(float(drops.sel(layer=c.layer).mean()), abs=1e-15)
    with pytest.raises(ValueError, match="at least 2 seeds"):
        own_peak_drops(curve.isel(seed=[0]))


def test_seed_spread_standard_error_matches_normal_theory_and_widens_for_heavy_tails() -> None:
    rng = np.random.default_rng(0)
    n, trials = 50, 4000
    normal = rng.normal(0.0, 2.0, size=(trials, n))
    sds, ses = np.transpose([seed_spread(row) for row in normal])
    # For normal data SE(s) ≈ σ/√(2(n−1)) = 0.202; the estimate and the spread of s over trials both agree with it.
    assert np.mean(ses) == pytest.approx(2.0 / np.sqrt(2 * (n - 1)), rel=0.1)
    assert np.std(sds) == pytest.approx(2.0 / np.sqrt(2 * (n - 1)), rel=0.1)
    heavy = rng.standard_t(5, size=(trials, n))
    sd_h, se_h = np.transpose([seed_spread(row) for row in heavy])
    assert np.mean(se_h / sd_h) > 1.2 * np.mean(ses / sds), "kurtosis widens the error instead of being ignored"
    assert seed_spread(np.ones(5)) == (0.0, 0.0)
    with pytest.raises(ValueError, match="at least 4"):
        seed_spread([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="finite"):
        seed_spread([1.0, 2.0, 3.0, np.nan])
    assert pytest.approx(0.6, abs=1e-3) == VARIATION_MARGIN


class _Outcome:
    def __init__(self, cid: str, passed: dict[str, bool]):
        checks = tuple(Check(name, 1.0 if ok else -1.0, ">", 0.0, declared=name) for name, ok in passed.items())
        self.result = ClaimResult(cid, checks)


class _Summary:
    def __init__(self, claims):
        self.claims = claims


def test_the_report_sets_each_followup_claim_beside_the_opposite_paper_claim() -> None:
    load_all()
    for pair in COUNTERPARTS:
        assert set(pair.paper_checks) <= set(CLAIMS[pair.paper].declaration.names), "a declared [P] check"
    summary = _Summary(
        {
            "C47": _Outcome("C47", {"ReLU compresses under EBAB": False}),
            # C1's tanh half fails here; only its ReLU half states the opposite of C47, and it holds.
            "C1": _Outcome("C1", {"tanh compresses": False, "ReLU does not compress": True}),
            "C48": _Outcome("C48", {"softplus compresses under EBAB": True}),
            "C17": _Outcome("C17", {"softplus does not compress under KDE": True}),
        }
    )
    lines = counterpart_lines(summary)
    rows = {line.split(":")[0].strip("| "): line for line in lines if line.startswith("| C4")}
    assert "| does not reproduce |" in rows["C47"] and rows["C47"].endswith("| holds | [P]'s |")
    assert rows["C48"].endswith("both hold: the verdict depends on the estimator |")
    assert counterpart_lines(_Summary({"C47": summary.claims["C47"]})) == [], "a pair that did not run is left out"
