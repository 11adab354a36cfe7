"""``ibtheory publish``: the committed folder of a profile's results, and its staleness check (issue 12, item 4)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import workbench_fakes as fakes
import xarray as xr

from paper_checks.profiles import FAST
from paper_checks.workflow import cli
from paper_checks.workflow.publish import (
    PublishError,
    add_verdicts,
    curves,
    publish,
    record_not_run,
    stale_claims,
)
from paper_checks.workflow.runner import reproduce


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch):
    fakes.isolate(monkeypatch)
    return fakes


def test_curves_are_seed_means_and_standard_errors() -> None:
    rng = np.random.default_rng(0)
    values = rng.normal(size=(5, 3, 2))
    run = xr.Dataset(
        {
            "I_XT_bin": (("seed", "epoch", "layer"), values, {"units": "bits", "long_name": "binned I(X;T)"}),
            "parameters": (("seed", "epoch", "parameter"), rng.normal(size=(5, 3, 4))),
            "counts": (("seed", "epoch", "layer"), np.ones((5, 3, 2), dtype=np.int64)),
        },
        coords={"seed": np.arange(5), "epoch": [0, 1, 2], "layer": [1, 2]},
    )
    out = curves(run)
    assert set(out.data_vars) == {"I_XT_bin_mean", "I_XT_bin_se"}, "raw parameters and integer counts stay out"
    np.testing.assert_allclose(out["I_XT_bin_mean"], values.mean(0), rtol=0, atol=1e-15)
    np.testing.assert_allclose(out["I_XT_bin_se"], values.std(0, ddof=1) / np.sqrt(5), rtol=1e-14)
    assert out["I_XT_bin_se"].attrs["units"] == "bits" and "standard error" in out["I_XT_bin_se"].attrs["long_name"]
    assert out.attrs["n_seeds"] == 5


def test_publish_writes_the_folder_and_it_is_current(fake, tmp_path: Path) -> None:
    results = tmp_path / "results"
    reproduce(FAST, results, quiet=True)
    written = publish(results, tmp_path / "pub", FAST)
    names = {p.relative_to(tmp_path / "pub").as_posix() for p in written}
    assert {"claims-fast.json", "report.md", "metadata.json", "figures/F2C.png"} <= names
    meta = json.loads((tmp_path / "pub" / "metadata.json").read_text())
    assert meta["machine"]["cores"] >= 1 and meta["packages"]["numpy"] == np.__version__
    assert meta["costs"]["total_cpu_seconds"] > 0 and meta["costs"]["sessions"], "costs come from the ledger"
    assert "ibtheory publish" in meta["regenerate"]
    assert stale_claims(tmp_path / "pub" / "claims-fast.json", "fast") == {}


def test_published_costs_leave_out_runs_no_verdict_reads(fake, tmp_path: Path) -> None:
    results = tmp_path / "results"
    reproduce(FAST, results, quiet=True)
    stale = {"cpu_seconds": 1234.5, "key": "0" * 24, "kind": "run", "measurements": [], "name": "walk", "seeds": [0]}
    with (results / "costs.jsonl").open("a", encoding="utf-8") as ledger:
        ledger.write(json.dumps(stale) + "\n")
    publish(results, tmp_path / "pub", FAST)
    costs = json.loads((tmp_path / "pub" / "metadata.json").read_text())["costs"]
    assert costs["not_read"] == {"cpu_seconds": 1234.5, "tasks": 1, "keys": ["0" * 24]}
    assert costs["total_cpu_seconds"] == round(sum(e["cpu_seconds"] for e in costs["per_experiment"].values()), 1)
    assert costs["total_cpu_seconds"] < 1234.5 and "0" * 24 not in {e["key"] for e in costs["per_experiment"].values()}
    assert "no published verdict reads" in (tmp_path / "pub" / "README.md").read_text()


def test_a_changed_or_missing_declaration_makes_the_published_verdict_stale(fake, tmp_path: Path) -> None:
    results = tmp_path / "results"
    reproduce(FAST, results, quiet=True)
    body = json.loads((results / "claims-fast.json").read_text())
    body["claims"]["C9"]["fingerprint"]["check_source_sha256"] = "0" * 64
    body["claims"]["C14"]["fingerprint"]["expected_reason"] = "an older reason"
    del body["claims"]["C10"]
    body["claims"]["C2"] = {"status": "holds"}
    edited = tmp_path / "claims-fast.json"
    edited.write_text(json.dumps(body))
    stale = stale_claims(edited, "fast")
    assert set(stale) == {"C9", "C10", "C14", "C2"}
    assert "check_source_sha256" in stale["C9"] and "expected_reason" in stale["C14"]
    assert "not in the published file" in stale["C10"] and "no longer registered" in stale["C2"]


def test_publish_refuses_results_without_a_report(fake, tmp_path: Path, capsys) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(PublishError, match="run `ibtheory reproduce --profile fast"):
        publish(tmp_path / "empty", tmp_path / "pub", FAST)
    code = cli.main(["publish", str(tmp_path / "nowhere"), "--to", str(tmp_path / "pub")])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == cli.EXIT_USAGE and len(err) == 1 and "is not a results directory" in err[0]


def test_claims_declared_not_run_are_recorded_without_a_results_directory(fake, tmp_path: Path, capsys) -> None:
    from paper_checks import registry

    results = tmp_path / "results"
    reproduce(FAST, results, quiet=True)
    publish(results, tmp_path / "pub", FAST)
    before = json.loads((tmp_path / "pub" / "claims-fast.json").read_text())

    def never(*args):
        raise AssertionError("a claim declared not run was evaluated")

    registry.claim("C21", needs=never, expected={"fast": registry.not_run("2 h here")})(never)
    stale = stale_claims(tmp_path / "pub" / "claims-fast.json", "fast")
    assert set(stale) == {"C21"}, "a newly registered claim is stale until recorded"
    assert cli.main(["publish", "--record-not-run", "--to", str(tmp_path / "pub"), "--profile", "fast"]) == 0
    assert "recorded 1 not-run claims" in capsys.readouterr().out
    after = json.loads((tmp_path / "pub" / "claims-fast.json").read_text())
    assert after["claims"]["C21"]["status"] == "not run" and after["claims"]["C21"]["expected_reason"] == "2 h here"
    assert {k: v for k, v in after["claims"].items() if k != "C21"} == before["claims"], "other records are kept"
    assert stale_claims(tmp_path / "pub" / "claims-fast.json", "fast") == {}
    meta = json.loads((tmp_path / "pub" / "metadata.json").read_text())
    assert set(meta["not_run_recorded"]) == {"C21"} and meta["costs"], "the run's metadata is kept"
    readme = (tmp_path / "pub" / "README.md").read_text()
    assert readme.count("Declared not run at this profile") == 1 and "**C21**: 2 h here" in readme
    assert record_not_run(tmp_path / "pub", FAST) == [], "recording twice changes nothing"
    with pytest.raises(PublishError, match="publish a run"):
        record_not_run(tmp_path / "nowhere", FAST)
    code = cli.main(["publish", str(results), "--record-not-run", "--to", str(tmp_path / "pub")])
    assert code == cli.EXIT_USAGE and "drop RESULTS" in capsys.readouterr().err


def test_a_later_claims_verdict_is_added_to_the_publication_keeping_the_others(fake, tmp_path: Path, capsys) -> None:
    from paper_checks import registry

    results, pub = tmp_path / "results", tmp_path / "pub"
    reproduce(FAST, results, quiet=True)
    publish(results, pub, FAST)
    before = json.loads((pub / "claims-fast.json").read_text())
    curves_before = xr.open_datatree(pub / "curves.nc", engine="h5netcdf")
    groups_before = {n.path for n in curves_before.subtree}
    curves_before.close()

    def check_c21(inputs):
        return fake.ClaimResult("C21", (fake.Check("y(1) − 2", float(inputs["curve"]["y"][-1]) - 2.0, "<", 1.0),))

    registry.claim("C21", needs=lambda profile: {"curve": fake.Need(fake.ScalarConfig.for_profile(profile))})(check_c21)
    assert set(stale_claims(pub / "claims-fast.json", "fast")) == {"C21"}
    with pytest.raises(PublishError, match="no verdict"):
        add_verdicts(results, pub, FAST, ["C21"])
    later = tmp_path / "later"
    reproduce(FAST, later, only="C21", quiet=True)
    code = cli.main(["publish", str(later), "--to", str(pub), "--profile", "fast", "--claims", "c21"])
    assert code == 0 and "added the verdicts of C21" in capsys.readouterr().out
    after = json.loads((pub / "claims-fast.json").read_text())
    assert after["claims"]["C21"]["status"] == "holds"
    assert {k: v for k, v in after["claims"].items() if k != "C21"} == before["claims"], "other records are kept"
    assert stale_claims(pub / "claims-fast.json", "fast") == {}
    meta = json.loads((pub / "metadata.json").read_text())
    (addition,) = meta["additions"]
    assert addition["claims"] == ["C21"] and addition["commit"] == meta["commit"] and addition["costs"]["sessions"]
    assert "--claims C21" in addition["regenerate"] and meta["costs"], "the run's own metadata is kept"
    with xr.open_datatree(pub / "curves.nc", engine="h5netcdf") as tree:
        assert {n.path for n in tree.subtree} >= groups_before
    readme, report = (pub / "README.md").read_text(), (pub / "report.md").read_text()
    assert readme.count("## Verdicts added after the run") == 1 and "- **C21**: holds" in readme
    assert report.count("### C21 — holds") == 1
    add_verdicts(later, pub, FAST, ["C21"])  # adding again replaces, never duplicates
    readme, report = (pub / "README.md").read_text(), (pub / "report.md").read_text()
    assert readme.count("- **C21**") == 1 and report.count("### C21 — ") == 1
    assert len(json.loads((pub / "metadata.json").read_text())["additions"]) == 2
    body = json.loads((later / "claims-fast.json").read_text())
    body["claims"]["C21"]["fingerprint"]["check_source_sha256"] = "0" * 64
    (later / "claims-fast.json").write_text(json.dumps(body))
    with pytest.raises(PublishError, match="stale"):
        add_verdicts(later, pub, FAST, ["C21"])
    with pytest.raises(PublishError, match="not a registered claim"):
        add_verdicts(later, pub, FAST, ["C33"])


def test_check_source_leaves_out_the_declared_verdicts_and_the_formatting(tmp_path: Path) -> None:
    import importlib.util

    from paper_checks.workflow.runner import check_source

    variants = {
        "plain": '@claim("C9", needs=n, declares=D)\ndef check(inputs):\n    return inputs["a"] > 1\n',
        "declared": '@claim("C9", needs=n, declares=D,\n       expected={"fast": x})  # a comment\n'
        "def check(inputs):\n    return inputs['a'] > 1\n",
        "other needs": '@claim("C9", needs=m, declares=D)\ndef check(inputs):\n    return inputs["a"] > 1\n',
        "other code": '@claim("C9", needs=n, declares=D)\ndef check(inputs):\n    return inputs["a"] > 2\n',
    }
    sources = {}
    for name, body in variants.items():
        path = tmp_path / f"m{len(sources)}.py"
        path.write_text("def claim(*a, **k):\n    return lambda f: f\n\nn = m = D = x = None\n\n\n" + body)
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        sources[name] = check_source(module.check)
    assert sources["declared"] == sources["plain"]  # a declared verdict is fingerprinted on its own
    assert sources["other needs"] != sources["plain"] and sources["other code"] != sources["plain"]
