"""The ``ibtheory`` command: bad arguments, figures, LaTeX, and resuming an interrupted run (issue 7)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import sympy as sp
import workbench_fakes as fakes
import xarray as xr

from paper_checks import registry
from paper_checks.profiles import FAST
from paper_checks.workflow import cli
from paper_checks.workflow.store import MANIFEST_NAME, SCHEMA_VERSION
from theory import latex

ROOT = Path(__file__).resolve().parents[1]
TESTS_DIR = Path(__file__).resolve().parent
# Seconds each fake seed sleeps in the interrupted runs: the test must see a piece and signal the run before the
# remaining seeds (at least 2 s of sleep) finish, even on a loaded CI machine.
SEED_DELAY = 1.0
# Generous bound on waiting for a subprocess to reach a state (a no-hang guard, not a speed measurement).
WAIT_BOUND = 120.0


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch):
    fakes.isolate(monkeypatch)
    monkeypatch.setattr(registry, "load_all", lambda: None)
    return fakes


def run_main(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def assert_one_line_error(code: int, err: str, fragment: str) -> None:
    assert code == cli.EXIT_USAGE
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("ibtheory: error:"), err
    assert fragment in lines[0], lines[0]


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["reproduce", "--only", "C99"], "unknown claim 'C99'"),
        (["reproduce", "--only", "F99"], "unknown figure 'F99'"),
        (["reproduce", "--only", "F2Q"], "no panel 'F2Q'"),
        (["reproduce", "--profile", "huge"], "invalid choice: 'huge'"),
        (["reproduce", "--workers", "0"], "expected a positive integer"),
        (["reproduce", "--connect-timeout", "inf"], "expected a number of seconds in (0, 3600]"),
        (["reproduce", "--connect-timeout", "nan"], "expected a number of seconds in (0, 3600]"),
        (["reproduce", "--scheduler", "garbage"], "scheduler address must look like 'tcp://host:8786'"),
        (["reproduce", "--scheduler", "tcp://127.0.0.1:1 ; rm"], "scheduler address must look like"),
        (["figure", "C9"], "not a figure id"),
        (["figure", "F13"], "nothing is registered for F13"),
        (["frobnicate"], "invalid choice"),
        (["reproduce", "--mnist", "full"], "--mnist full is a paper-profile option"),
        (["reproduce", "--profile", "paper", "--mnist", "huge"], "invalid choice: 'huge'"),
    ],
)
def test_bad_arguments_are_one_line_errors(fake, capsys, tmp_path: Path, argv: list[str], fragment: str) -> None:
    code, _, err = run_main(capsys, *argv, *(["--out", str(tmp_path / "o")] if argv[0] != "frobnicate" else []))
    assert_one_line_error(code, err, fragment)
    assert not (tmp_path / "o").exists(), "a bad argument must not create the output directory"


def test_unusable_output_directories(fake, capsys, tmp_path: Path) -> None:
    (tmp_path / "file").write_text("")
    code, _, err = run_main(capsys, "reproduce", "--workers", "1", "--out", str(tmp_path / "file" / "out"))
    assert_one_line_error(code, err, "cannot write to output directory")
    older = tmp_path / "older"
    older.mkdir()
    (older / MANIFEST_NAME).write_text(json.dumps({"schema": SCHEMA_VERSION - 1, "package": "0.0.1"}))
    (older / "keep.nc").write_bytes(b"old result")
    code, _, err = run_main(capsys, "reproduce", "--out", str(older))
    assert_one_line_error(code, err, f"this version writes schema {SCHEMA_VERSION}")
    assert (older / "keep.nc").read_bytes() == b"old result"


def test_unreachable_scheduler(fake, capsys, tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    start = time.monotonic()
    argv = ["reproduce", "--scheduler", "tcp://127.0.0.1:9", "--connect-timeout", "1", "--out", str(tmp_path / "o")]
    code, _, err = run_main(capsys, *argv)
    assert_one_line_error(code, err, "did not answer within 1 s")
    assert time.monotonic() - start < WAIT_BOUND


@pytest.mark.parametrize(
    ("only", "expected", "why"),
    [
        ("C9", 0, "holds, as declared"),
        ("C9,C14", 0, "a declared 'does not reproduce' that does not reproduce is a result"),
        ("C10", cli.EXIT_FAILED_CLAIMS, "does not reproduce where it declares holds"),
        ("C15", cli.EXIT_FAILED_CLAIMS, "holds where it declares 'does not reproduce'"),
        ("C11", cli.EXIT_FAILED_CLAIMS, "the check errored"),
        ("C99", cli.EXIT_USAGE, "bad argument"),
    ],
)
def test_exit_status_follows_the_declared_verdicts(fake, capsys, tmp_path: Path, only, expected, why) -> None:
    code, out, err = run_main(capsys, "reproduce", "--only", only, "--workers", "1", "--out", str(tmp_path / "o"))
    assert code == expected, (why, out, err)
    if expected == cli.EXIT_FAILED_CLAIMS:
        assert f"verdict differs from its declaration: {only}" in err
        assert "DIFFERS from the declared" in out
    if only == "C9,C14":
        assert "C14  does not reproduce" in out and "(declared: does not reproduce)" in out and "DIFFERS" not in out


def test_the_declaration_is_per_profile(fake, capsys, tmp_path: Path) -> None:
    """C14 declares 'does not reproduce' at the fast profile only: at the paper profile its failure counts."""
    out = str(tmp_path / "o")
    code, _, _ = run_main(capsys, "reproduce", "--only", "C14", "--workers", "1", "--quiet", "--out", out)
    assert code == 0
    code, _, err = run_main(capsys, "reproduce", "--only", "C14", "--profile", "paper", "--workers", "1", "--out", out)
    assert code == cli.EXIT_FAILED_CLAIMS and "differs from its declaration: C14" in err


def test_figure_command_draws_only_figures(fake, capsys, tmp_path: Path) -> None:
    code, out, _ = run_main(capsys, "figure", "F2", "--workers", "1", "--quiet", "--out", str(tmp_path / "o"))
    assert code == 0, out
    assert (tmp_path / "o" / "figures" / "F2C.png").is_file() and (tmp_path / "o" / "figures" / "F2C.pdf").is_file()
    assert not (tmp_path / "o" / "report.md").exists()


def test_list_and_help(fake, capsys) -> None:
    code, out, _ = run_main(capsys, "list")
    assert code == 0 and "  C9  registered" in out and "C33  untestable" in out
    assert "trainers (runs): fake_walk" in out and "measurements: fake_msd" in out and "fake_scalar" in out
    code, out, _ = run_main(capsys, "reproduce", "--help")
    assert code == 0 and "--scheduler" in out


def test_latex_writes_every_formula_round_tripped(capsys, tmp_path: Path, monkeypatch) -> None:
    w = sp.Symbol("w", positive=True)
    formulas = [
        latex.Formula("demo.log", "a logarithm in bits", "I", sp.log(w) / sp.log(2), "3", "[P] Eq 3"),
        latex.Formula("demo.square", "a square", "y", w**2 + 1, None, "derived here"),
    ]
    monkeypatch.setattr(latex, "collect", lambda: formulas)
    code, out, _ = run_main(capsys, "latex", "--out", str(tmp_path / "f.tex"))
    assert code == 0, out
    text = (tmp_path / "f.tex").read_text()
    assert text.count(r"\begin{equation}") == 2 and r"\label{demo.log}" in text and "Eq.~3" in text
    wrong = latex.Formula("demo.bad", "unparseable", "x", sp.Function("zeta_q")(w), None, "here")
    monkeypatch.setattr(latex, "collect", lambda: [*formulas, wrong])
    monkeypatch.setattr(latex, "round_trip", lambda f, text=None: f.key != "demo.bad")
    code, _, err = run_main(capsys, "latex", "--out", str(tmp_path / "g.tex"))
    assert_one_line_error(code, err, "demo.bad")


def _start(out: Path, log: Path, *extra: str) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(TESTS_DIR), str(ROOT)]), WORKBENCH_FAKE_LOG=str(log))
    env["WORKBENCH_FAKE_DELAY"] = str(SEED_DELAY)
    argv = ["reproduce", "--registry", "workbench_fakes", "--workers", "1", "--seed-chunk", "1", "--quiet"]
    return subprocess.Popen(
        [sys.executable, "-m", "paper_checks", *argv, "--out", str(out), *extra],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _stored_seeds(out: Path) -> set[int]:
    return {int(p.name.split("-")[1].split(".")[0]) for p in out.glob("runs/fake_walk/*/seed-*.nc.sha256")}


def _wait_for_pieces(process: subprocess.Popen, out: Path, n: int) -> None:
    deadline = time.monotonic() + WAIT_BOUND
    while len(_stored_seeds(out)) < n:
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the run never stored its pieces"
        time.sleep(0.05)


def test_interrupted_runs_resume_without_recomputing_finished_pieces(tmp_path: Path) -> None:
    out, log = tmp_path / "out", tmp_path / "log"
    first = _start(out, log)
    _wait_for_pieces(first, out, 2)
    first.send_signal(signal.SIGINT)  # Ctrl-C
    _, err = first.communicate(timeout=WAIT_BOUND)
    assert first.returncode == cli.EXIT_INTERRUPTED and "interrupted" in err and "rerun" in err
    after_first, n_log = _stored_seeds(out), len(fakes.read_log(log))

    second = _start(out, log)
    _wait_for_pieces(second, out, len(after_first) + 1)
    second.kill()  # SIGKILL: no chance to clean up
    second.communicate(timeout=WAIT_BOUND)
    computed_second = fakes.read_log(log)[n_log:]
    assert not set(computed_second) & after_first, "a finished piece was recomputed after Ctrl-C"
    after_second, n_log = _stored_seeds(out), len(fakes.read_log(log))
    missing = [s for s in range(fakes.N_SEEDS_FAST) if s not in after_second]

    third = _start(out, log)
    third.communicate(timeout=WAIT_BOUND)
    assert third.returncode == cli.EXIT_FAILED_CLAIMS, "the fakes hold a failing and a broken claim"
    assert fakes.read_log(log)[n_log:] == missing, "only the missing pieces are computed after a kill"

    pieces = sorted(out.glob("runs/fake_walk/*/seed-*.nc"), key=lambda p: int(p.stem.split("-")[1]))
    assert len(pieces) == fakes.N_SEEDS_FAST
    joined = xr.concat([xr.load_dataset(p, engine="h5netcdf") for p in pieces], dim="seed", data_vars="minimal")
    xr.testing.assert_equal(joined, fakes.walk(fakes.WalkConfig.for_profile(FAST)))
    assert len(fakes.read_log(log, "m")) == fakes.N_SEEDS_FAST, "each seed's measurement computed once"
    assert (out / "report.html").is_file() and (out / "figures" / "F2C.png").is_file()
    assert not list(out.rglob("*.tmp")), "temporary files left behind"


def test_python_dash_m_with_the_real_registry(tmp_path: Path) -> None:
    """Smoke test: the built-in registry loads and a tiny selection produces a report."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    argv = [sys.executable, "-m", "paper_checks", "reproduce", "--only", "C46", "--workers", "1", "--quiet"]
    done = subprocess.run([*argv, "--out", str(tmp_path / "o")], env=env, capture_output=True, text=True, check=False)
    assert done.returncode in (0, cli.EXIT_FAILED_CLAIMS), done.stderr
    assert "| C46 |" in (tmp_path / "o" / "report.md").read_text()


def test_measure_applies_a_measurement_to_stored_runs_without_training(fake, capsys, tmp_path: Path) -> None:
    out, log = tmp_path / "o", tmp_path / "log"
    code, _, err = run_main(capsys, "measure", "fake_msd", "--of", "C9", "--results", str(out))
    assert_one_line_error(code, err, "holds no ibtheory results")
    fakes.SETTINGS["log"] = str(log)
    code, _, _ = run_main(capsys, "reproduce", "--only", "C9", "--workers", "1", "--quiet", "--out", str(out))
    assert code == 0
    trained = fakes.read_log(log)
    assert trained == list(range(fakes.N_SEEDS_FAST))
    argv = ["measure", "fake_msd", "scale=2.5", "--of", "C9", "--results", str(out), "--workers", "1"]
    code, printed, err = run_main(capsys, *argv)
    assert code == 0, err
    assert fakes.read_log(log) == trained, "ibtheory measure trained a network"
    written = [Path(line.split("wrote ", 1)[1]) for line in printed.splitlines() if "wrote" in line]
    assert len(written) == 1 and written[0].is_file()
    ds = xr.load_dataset(written[0], engine="h5netcdf")
    np.testing.assert_allclose(ds["squared"], 2.5 * ds["position"] ** 2)
    assert ds["squared"].attrs["units"] and json.loads(ds.attrs["measurement_configuration"])["scale"]


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["measure", "nope", "--of", "C9"], "unknown measurement 'nope'; registered: fake_msd"),
        (["measure", "fake_msd", "sigma=1", "--of", "C9"], "unknown parameter 'sigma'; MSDConfig accepts scale, log"),
        (["measure", "fake_msd", "scale=big", "--of", "C9"], "parameter scale='big': expected float"),
        (["measure", "fake_msd", "scale", "--of", "C9"], "parameters are key=value"),
        (["measure", "fake_msd", "--of", "C10"], "uses no training run"),
        (["measure", "fake_msd", "--of", "C9"], "store it with `ibtheory reproduce --profile fast --only C9"),
    ],
)
def test_measure_bad_input_is_one_line(fake, capsys, tmp_path: Path, argv: list[str], fragment: str) -> None:
    out = tmp_path / "o"
    code, _, _ = run_main(capsys, "reproduce", "--only", "C10", "--workers", "1", "--quiet", "--out", str(out))
    code, _, err = run_main(capsys, *argv, "--results", str(out))
    assert_one_line_error(code, err, fragment)


@pytest.mark.parametrize(
    ("extra", "fragment"),
    [
        (["--bins", "1,30"], "bins must be integers ≥ 2 and ≤ 10000000, got 1"),
        (["--noise-variances", "0"], "noise_variances must be finite and > 0, got 0.0"),
        (["--kraskov-k", "4096"], "kraskov_k must be integers ≥ 1 and ≤ 4095, got 4096"),
        (["--bins", "ten"], "expected comma-separated integers, got 'ten'"),
        (["--activations", "sigmoid"], "activations must be some of"),
        (["--estimators", "mine"], "estimators must be some of"),
        ([], "no stored szt run for seeds"),
    ],
)
def test_sensitivity_bad_input_is_one_line_before_any_work(capsys, tmp_path: Path, extra, fragment) -> None:
    from paper_checks.workflow.store import ResultStore

    ResultStore(tmp_path / "r")  # an empty results directory
    code, _, err = run_main(capsys, "sensitivity", "--results", str(tmp_path / "r"), "--workers", "1", *extra)
    assert_one_line_error(code, err, fragment)
    if not extra:
        assert "store it with `ibtheory reproduce --profile fast --only F1A --out" in err
    assert not (tmp_path / "r" / "measurements").exists()


def test_sensitivity_refuses_a_directory_without_results(capsys, tmp_path: Path) -> None:
    code, _, err = run_main(capsys, "sensitivity", "--results", str(tmp_path))
    assert_one_line_error(code, err, "holds no ibtheory results")


def test_sensitivity_plan_counts_the_sweep_and_computes_nothing(capsys, tmp_path: Path) -> None:
    from paper_checks.workflow.store import ResultStore

    ResultStore(tmp_path / "r")
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    argv = ("sensitivity", "--results", str(tmp_path / "r"), "--profile", "paper", "--plan", "--no-calibrate")
    code, out, _ = run_main(capsys, *argv, "--estimators", "kraskov,akde")
    assert code == 0
    assert "szt tanh 50 seeds × 10000 epochs" in out and "szt relu 50 seeds × 10000 epochs" in out
    # one neighbour query serves the four k, one adaptive-KDE computation the three κ
    assert out.count("kraskov (4 values) at 212 epochs") == 2 and out.count("akde (0.01, 0.1, 1) at 54 epochs") == 2
    assert "to compute: 300 pieces (100 seed-runs, 200 measurements, 0 experiments)" in out
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before
    code, _, err = run_main(capsys, "sensitivity", "--results", str(tmp_path / "r"), "--no-calibrate")
    assert_one_line_error(code, err, "--no-calibrate applies to --plan")


def test_a_full_reproduce_ends_with_the_estimator_sweep_and_a_subset_does_not() -> None:
    import argparse

    from paper_checks.workflow.sensitivity import REPRODUCE_ACTIVATIONS, sweep_needs

    registry.load_all()

    full = argparse.Namespace(no_sensitivity=False, registry=None)
    assert cli._swept(full, None, None) == REPRODUCE_ACTIVATIONS == ("tanh", "relu", "softplus")
    assert cli._swept(full, "C1", None) == (), "a subset run sweeps nothing"
    assert cli._swept(full, None, ("F2C",)) == (), "ibtheory figure sweeps nothing"
    assert cli._swept(argparse.Namespace(no_sensitivity=True, registry=None), None, None) == ()
    assert cli._swept(argparse.Namespace(no_sensitivity=False, registry="workbench_fakes"), None, None) == ()
    needs = sweep_needs(FAST, ("tanh",))
    assert len(needs) == 30 and all(n.source.activation == "tanh" for n in needs), "one need per default setting"
    assert cli._sweep_extra(FAST, ()) == []
