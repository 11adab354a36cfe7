"""The published paper profile (docs/paper-profile/) matches today's claims, so it cannot go stale silently.

Every registered claim must be in ``claims-paper.json``, checked against today's declaration, declared verdict and
check source (:func:`paper_checks.workflow.publish.stale_claims`). When one of them changes, this test names the
verdicts to regenerate; regenerate them from the stored runs (only the claim checks rerun; see the README section
"The paper profile").
"""

from __future__ import annotations

import json
from pathlib import Path

import xarray as xr

from paper_checks import registry
from paper_checks.workflow.publish import stale_claims

PUBLISHED = Path(__file__).resolve().parents[1] / "docs" / "paper-profile"
REGENERATE = (
    "ibtheory reproduce --profile paper --out results-paper && ibtheory publish results-paper --to docs/paper-profile"
)


def test_published_paper_verdicts_match_the_registered_claims() -> None:
    registry.load_all()
    stale = stale_claims(PUBLISHED / "claims-paper.json", "paper")
    assert not stale, f"published paper-profile verdicts are stale; regenerate them ({REGENERATE}): " + "; ".join(
        f"{cid}: {why}" for cid, why in sorted(stale.items())
    )


def test_published_folder_is_complete_and_self_describing() -> None:
    meta = json.loads((PUBLISHED / "metadata.json").read_text(encoding="utf-8"))
    assert meta["profile"] == "paper" and meta["commit"] and meta["machine"]["cores"] >= 1
    assert meta["costs"]["total_cpu_seconds"] > 0 and meta["costs"]["per_experiment"]
    body = json.loads((PUBLISHED / "claims-paper.json").read_text(encoding="utf-8"))
    assert body["profile"] == "paper"
    for record in body["claims"].values():
        assert record["status"] in ("holds", "does not reproduce", "not run", "error")
    figures = {p.stem for p in (PUBLISHED / "figures").glob("*.png")}
    assert {"F1A", "F1B", "F8A", "F12A", "F20A"} <= figures
    with xr.open_datatree(PUBLISHED / "curves.nc", engine="h5netcdf") as tree:
        groups = [node for node in tree.subtree if node.ds.data_vars]
        assert groups, "curves.nc holds no run"
        for node in groups:
            for name, var in node.ds.data_vars.items():
                assert var.attrs.get("units") and var.attrs.get("long_name"), f"{node.path}/{name} undocumented"
                assert name.endswith(("_mean", "_se"))
