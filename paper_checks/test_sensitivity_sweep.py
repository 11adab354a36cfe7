"""``ibtheory sensitivity`` on the real stored runs of this profile: no network trained, the grid self-described.

It reuses the session's runner (:func:`paper_checks.pytest_plugin.claim_runner`), whose store holds the Fig 1A/B
runs once the C1 checks have been prepared (if this file runs alone, they are trained here first). The sweep takes
the cheap estimators (binning, EBAB) so that it adds seconds to the suite; the others are the same code path with
another measurement (tests/test_sensitivity.py checks their settings and curves).
"""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
import xarray as xr

from paper_checks import registry, sensitivity
from paper_checks.experiments.szt import SZTRun
from paper_checks.workflow import cli
from paper_checks.workflow.sensitivity import grid_path, read_grids, stored_section, sweep

registry.load_all()


def test_a_sweep_of_stored_runs_trains_nothing(claim_runner, profile, capsys) -> None:
    runs = [SZTRun.for_profile(profile, a, "F1") for a in ("tanh", "relu")]
    claim_runner.prepare(registry.Need(r) for r in runs)
    root = claim_runner.store.root
    grid = {"estimators": ("binning", "ebab"), "bins": (10, 100), "ebab_bins": (30,)}
    result = sweep(root, profile=profile, activations=("tanh", "relu"), **grid)
    assert set(result.grids) == {"tanh", "relu"}
    settings = sensitivity.sweep_settings(runs[0].logged_epochs, **grid)
    for g in result.grids.values():
        assert g.sizes == {"setting": len(settings), "layer": 6}
        assert set(g["verdict"].values.ravel()) <= {sensitivity.COMPRESSES, sensitivity.DOES_NOT_COMPRESS, 0}
    path = grid_path(root / "sensitivity", profile.name)
    assert path in result.files and all(p.is_file() for p in result.files)
    stored = read_grids(path)
    xr.testing.assert_identical(stored["tanh"].drop_attrs(), result.grids["tanh"].drop_attrs())
    assert stored["tanh"].attrs["run_key"] == claim_runner.store.source_key(runs[0])
    section = "\n".join(stored_section(root, profile))
    assert "C1: tanh compresses (layers 4, 5)** holds at" in section and "sensitivity/sensitivity-tanh.png" in section

    # through the CLI: everything is stored now, so nothing is computed and nothing trained
    argv = ["sensitivity", "--results", str(root), "--profile", profile.name, "--estimators", "binning,ebab"]
    argv += ["--bins", "10,100", "--ebab-bins", "30", "--workers", "1", "--quiet"]
    assert cli.main(argv) == 0
    printed = capsys.readouterr().out
    assert "0 measurement pieces computed" in printed and "no network trained" in printed

    # ncdump (the netCDF C library's reader) describes every variable
    ncdump = shutil.which("ncdump")
    if ncdump is None:  # pragma: no cover - netcdf-bin not installed (.ci/run installs it)
        print("ncdump unavailable: the netCDF C reader's view is not checked", file=sys.stderr)
        return
    done = subprocess.run([ncdump, "-h", str(path)], capture_output=True, text=True, check=True)
    assert "drop_z:long_name" in done.stdout and "verdict:flag_meanings" in done.stdout


def test_a_stored_sweep_is_added_to_a_published_folder(claim_runner, profile, tmp_path) -> None:
    import json

    from paper_checks.workflow.publish import PublishError, add_sensitivity

    runs = [SZTRun.for_profile(profile, a, "F1") for a in ("tanh", "relu")]
    claim_runner.prepare(registry.Need(r) for r in runs)
    root = claim_runner.store.root
    sweep(root, profile=profile, activations=("tanh", "relu"), estimators=("binning",), bins=(10,))
    pub = tmp_path / "pub"
    pub.mkdir()
    (pub / f"claims-{profile.name}.json").write_text(json.dumps({"profile": profile.name, "claims": {}}))
    (pub / "report.md").write_text("# report\n\n## Verdicts\n\nrows\n", encoding="utf-8")
    written = add_sensitivity(root, pub, profile)
    assert (pub / "sensitivity" / f"sensitivity-{profile.name}.nc").is_file()
    assert (pub / "sensitivity" / "sensitivity-tanh.png") in written
    report = (pub / "report.md").read_text(encoding="utf-8")
    assert report.startswith("# report") and "## Verdicts\n\nrows" in report
    assert report.count("## Does the verdict survive the estimator?") == 1 and "C1: tanh compresses" in report
    add_sensitivity(root, pub, profile)  # again: the section is replaced, never repeated
    assert (pub / "report.md").read_text(encoding="utf-8").count("## Does the verdict survive") == 1
    meta = json.loads((pub / "metadata.json").read_text())
    assert meta["sensitivity"]["activations"] == ["tanh", "relu"] and meta["sensitivity"]["commit"] is not None
    with pytest.raises(PublishError, match="holds no estimator sweep"):
        add_sensitivity(tmp_path, pub, profile)


def test_a_sweep_is_published_one_activation_at_a_time(claim_runner, profile, tmp_path) -> None:
    import json

    from paper_checks.workflow.publish import PublishError, add_sensitivity

    runs = [SZTRun.for_profile(profile, a, "F1") for a in ("tanh", "relu")]
    claim_runner.prepare(registry.Need(r) for r in runs)
    root = claim_runner.store.root
    pub = tmp_path / "pub"
    pub.mkdir()
    (pub / f"claims-{profile.name}.json").write_text(json.dumps({"profile": profile.name, "claims": {}}))
    (pub / "report.md").write_text("# report\n", encoding="utf-8")
    grid = {"estimators": ("binning",), "bins": (10,)}
    # one session sweeps and publishes ReLU, a later one tanh (each sweep replaces the stored one)
    for activation in ("relu", "tanh"):
        sweep(root, profile=profile, activations=(activation,), **grid)
        assert list(read_grids(grid_path(root / "sensitivity", profile.name))) == [activation]
        add_sensitivity(root, pub, profile)
    published = read_grids(grid_path(pub / "sensitivity", profile.name))
    assert list(published) == ["tanh", "relu"]  # the order of sensitivity.ACTIVATIONS
    both = sweep(root, profile=profile, activations=("tanh", "relu"), **grid).grids
    for a in ("tanh", "relu"):
        xr.testing.assert_identical(published[a].drop_attrs(), both[a].drop_attrs())
    report = (pub / "report.md").read_text(encoding="utf-8")
    assert report.count("## Does the verdict survive the estimator?") == 1
    assert "### tanh" in report and "### relu" in report and "C1: ReLU does not compress" in report
    assert "sensitivity/sensitivity-relu.png" in report and "sensitivity/sensitivity-tanh.png" in report
    meta = json.loads((pub / "metadata.json").read_text())["sensitivity"]
    assert meta["activations"] == ["tanh", "relu"] and set(meta["added"]) == {"tanh", "relu"}
    assert meta["added"]["relu"]["recorded"] <= meta["added"]["tanh"]["recorded"] == meta["recorded"]

    # a kept grid of other runs than this code trains is refused, not mixed in
    path = grid_path(pub / "sensitivity", profile.name)
    stale = read_grids(path)
    stale["relu"].attrs["run_key"] = "szt-0000"
    path.unlink()
    for i, (a, g) in enumerate(stale.items()):
        g.to_netcdf(path, mode="w" if i == 0 else "a", group=a, engine="h5netcdf")
    sweep(root, profile=profile, activations=("tanh",), **grid)
    with pytest.raises(PublishError, match=r"published sweep of relu .* other runs"):
        add_sensitivity(root, pub, profile)
