"""``ibtheory reproduce --plan``: what would be computed, what is stored, and what it costs, computing nothing (#12).

The costs are checked against a deterministic clock (:func:`fake_timer`): a fake trainer whose task costs
``EPOCH_COST`` per seed and epoch plus ``LOG_COST`` per logged epoch, and a fake measurement costing
``MEASURE_COST`` per seed and measured epoch. The plan's model (per-epoch and per-log costs from a 1-epoch and an
E-epoch run, measurements per seed and epoch) recovers such costs exactly, so the estimates are compared to 1e-9.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
import workbench_fakes as fakes
import xarray as xr

from paper_checks import registry
from paper_checks.compare import Check, ClaimResult
from paper_checks.profiles import FAST, PAPER_FULL_MNIST
from paper_checks.registry import Need
from paper_checks.workflow import cli
from paper_checks.workflow.ids import select
from paper_checks.workflow.plan import list_schedule, make_plan
from paper_checks.workflow.store import MANIFEST_NAME, SCHEMA_VERSION

#: Deterministic costs of the fake clock, seconds: per seed and epoch of training, per logged epoch of a task,
#: per seed and measured epoch of the fake measurement.
EPOCH_COST, LOG_COST, MEASURE_COST = 0.01, 0.003, 0.002
#: Floating-point slack of the exact estimates (sums of a few hundred products), seconds.
EXACT = 1e-9


@dataclass(frozen=True)
class EpochRun:
    """A fake run trained for `epochs` epochs and logged at `logged_epochs`."""

    seeds: tuple[int, ...] = (0, 1, 2, 3, 4, 5)
    epochs: int = 100
    logged_epochs: tuple[int, ...] = (0, 10, 50, 100)


@dataclass(frozen=True)
class EpochMeasure:
    """A fake measurement of an :class:`EpochRun` at some of its logged epochs (None: all)."""

    epochs: tuple[int, ...] | None = None


def train_epochs(config: EpochRun) -> xr.Dataset:
    """One number per seed and logged epoch."""
    values = np.outer(np.asarray(config.seeds, float), np.asarray(config.logged_epochs, float))
    ds = xr.Dataset(
        {"w": (("seed", "epoch"), values)}, coords={"seed": list(config.seeds), "epoch": list(config.logged_epochs)}
    )
    ds["w"].attrs.update(units="1", long_name="fake weight")
    return ds


def measure_epochs(run: xr.Dataset, config: EpochMeasure) -> xr.Dataset:
    """The fake weight squared at the measured epochs."""
    chosen = run if config.epochs is None else run.sel(epoch=list(config.epochs))
    out = xr.Dataset({"w2": chosen["w"] ** 2})
    out["w2"].attrs.update(units="1", long_name="fake squared weight")
    return out


def fake_timer(function, *arguments):
    """``(answer, cpu, wall)`` with a deterministic cost: the fake clock of the module docstring."""
    answer = function(*arguments)
    if isinstance(arguments[0], EpochRun):
        config = arguments[0]
        cost = EPOCH_COST * len(config.seeds) * config.epochs + LOG_COST * len(config.logged_epochs)
    elif isinstance(arguments[-1], EpochMeasure):
        run, config = arguments
        epochs = run.sizes["epoch"] if config.epochs is None else len(config.epochs)
        cost = MEASURE_COST * run.sizes["seed"] * epochs
    else:
        cost = 0.5
    return answer, cost, cost


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch):
    fakes.isolate(monkeypatch)
    monkeypatch.setattr(registry, "load_all", lambda: None)
    registry.trainer("fake_epochs", EpochRun)(train_epochs)
    registry.measurement("fake_epoch_measure", EpochMeasure, runs=("fake_epochs",))(measure_epochs)
    return fakes


def _register_epoch_claim(run: EpochRun, measure: EpochMeasure) -> None:
    def check(inputs) -> ClaimResult:
        return ClaimResult("C20", (Check("w2 ≥ 0", float(inputs["run"]["w2"].min()), ">=", 0.0, ""),))

    registry.claim("C20", needs=lambda profile: {"run": Need(run, measure)})(check)


def run_main(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _tree(root: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(root)): (p.stat().st_size, p.stat().st_mtime_ns) for p in root.rglob("*")}


def test_list_schedule_is_greedy_in_order() -> None:
    assert list_schedule([3, 1, 1, 1], 2) == 3
    assert list_schedule([2, 2, 2], 2) == 4
    assert list_schedule([2, 2, 2], 1) == 6
    assert list_schedule([], 4) == 0


def test_estimates_follow_the_calibration_model_exactly(fake) -> None:
    run, measure = EpochRun(), EpochMeasure(epochs=(10, 100))
    _register_epoch_claim(run, measure)
    plan = make_plan("/nonexistent/plan-out", FAST, select("C20"), workers=2, timer=fake_timer)
    [group] = [g for g in plan.groups if g.name == "fake_epochs"]
    assert (group.stored, group.missing) == (0, 6)
    per_task = EPOCH_COST * 3 * run.epochs + LOG_COST * len(run.logged_epochs)  # 6 seeds on 2 workers: 2 × 3 seeds
    assert [t.seeds for t in group.tasks if t.phase == 0] == [(0, 1, 2), (3, 4, 5)]
    assert group.cost.cpu == pytest.approx(2 * per_task, abs=EXACT)
    [m] = group.measurements
    assert (m.stored, m.missing, m.epochs) == (0, 6, 2)
    assert m.cost.cpu == pytest.approx(MEASURE_COST * 6 * 2, abs=EXACT)
    assert plan.cpu_seconds == pytest.approx(2 * per_task + MEASURE_COST * 12, abs=EXACT)
    # two workers: the two run tasks side by side, then the two measurement tasks side by side
    assert plan.wall_seconds == pytest.approx(per_task + MEASURE_COST * 3 * 2, abs=EXACT)
    serial = make_plan("/nonexistent/plan-out", FAST, select("C20"), workers=1, timer=fake_timer)
    one_task = EPOCH_COST * 6 * run.epochs + LOG_COST * len(run.logged_epochs)
    assert serial.wall_seconds == pytest.approx(one_task + MEASURE_COST * 12, abs=EXACT)
    assert "calibrated: 3 seeds × 1 and × " in "\n".join(plan.lines())


def test_a_smaller_last_task_is_priced_by_its_own_short_run(fake) -> None:
    run = EpochRun(seeds=(0, 1, 2, 3, 4))
    _register_epoch_claim(run, EpochMeasure())
    plan = make_plan("/nonexistent/plan-out", FAST, select("C20"), workers=2, timer=fake_timer)
    [group] = [g for g in plan.groups if g.name == "fake_epochs"]
    first, last = (t for t in group.tasks if t.phase == 0)
    assert (first.seeds, last.seeds) == ((0, 1, 2), (3, 4))
    assert first.cost.cpu == pytest.approx(EPOCH_COST * 3 * run.epochs + LOG_COST * 4, abs=EXACT)
    ratio = (EPOCH_COST * 2 + LOG_COST) / (EPOCH_COST * 3 + LOG_COST)  # the two 1-epoch runs
    assert last.cost.cpu == pytest.approx(first.cost.cpu * ratio, abs=EXACT)


def test_doubling_the_epochs_doubles_the_training_estimate(fake, monkeypatch: pytest.MonkeyPatch) -> None:
    def estimate(epochs: int) -> float:
        monkeypatch.setattr(registry, "CLAIMS", {})
        _register_epoch_claim(EpochRun(epochs=epochs, logged_epochs=(epochs,)), EpochMeasure())
        plan = make_plan("/nonexistent/plan-out", FAST, select("C20"), workers=2, timer=fake_timer)
        return next(g for g in plan.groups if g.name == "fake_epochs").cost.cpu - 2 * LOG_COST

    assert estimate(400) == pytest.approx(2 * estimate(200), abs=EXACT)


def test_the_plan_computes_and_writes_nothing(fake, capsys, tmp_path: Path) -> None:
    out = tmp_path / "new" / "results"
    code, stdout, err = run_main(capsys, "reproduce", "--plan", "--workers", "1", "--out", str(out))
    assert code == 0, err
    assert not out.exists() and not out.parent.exists(), "--plan must not create the results directory"
    assert "fake_walk 6 seeds" in stdout and "0/6" in stdout and "estimate: CPU" in stdout
    assert "nothing was stored" in stdout
    code, _, err = run_main(capsys, "reproduce", "--only", "C9", "--workers", "1", "--quiet", "--out", str(out))
    assert code == 0, err
    before = _tree(out)
    code, stdout, _ = run_main(capsys, "reproduce", "--plan", "--workers", "1", "--out", str(out))
    assert code == 0
    assert _tree(out) == before, "--plan changed the results directory"


def test_counts_stored_and_missing_after_a_small_reproduce(fake, capsys, tmp_path: Path) -> None:
    out = tmp_path / "o"
    assert run_main(capsys, "reproduce", "--only", "C9", "--workers", "1", "--quiet", "--out", str(out))[0] == 0
    plan = make_plan(out, FAST, select("C9,C10"), workers=1, calibrate=False)
    walk = next(g for g in plan.groups if g.name == "fake_walk")
    scalar = next(g for g in plan.groups if g.name == "fake_scalar")
    assert (walk.stored, walk.missing, walk.tasks) == (6, 0, ())
    assert [(m.label, m.stored, m.missing) for m in walk.measurements] == [("fake_msd", 6, 0)]
    assert (scalar.stored, scalar.missing) == (0, 1)
    # remove one seed's run and another seed's measurement: exactly those are to be computed again
    for stored in ("runs/fake_walk/*/seed-2.nc", "measurements/fake_msd/*/*/seed-4.nc"):
        [path] = out.glob(stored)
        path.unlink()
    plan = make_plan(out, FAST, select("C9"), workers=1, calibrate=False)
    [walk] = plan.groups
    assert (walk.stored, walk.missing) == (5, 1)
    assert [(m.stored, m.missing) for m in walk.measurements] == [(5, 1)]
    assert [(t.phase, t.seeds) for t in walk.tasks] == [(0, (2,)), (1, (4,))]
    assert plan.counts == {
        "runs_stored": 5,
        "runs_missing": 1,
        "measurements_stored": 5,
        "measurements_missing": 1,
        "experiments_stored": 0,
        "experiments_missing": 0,
    }


def test_a_run_starts_with_the_same_summary(fake, capsys, tmp_path: Path) -> None:
    out = str(tmp_path / "o")
    code, stdout, _ = run_main(capsys, "reproduce", "--only", "C9", "--workers", "1", "--out", out)
    assert code == 0
    assert "fake_walk 6 seeds" in stdout and "0/6" in stdout and "to compute: 12 pieces" in stdout
    assert "estimate" not in stdout, "the run's summary is not calibrated"
    code, stdout, _ = run_main(capsys, "reproduce", "--only", "C9", "--workers", "1", "--out", out)
    assert code == 0 and "6/6" in stdout and "to compute: 0 pieces" in stdout


def test_the_calibration_stops_at_its_budget(fake) -> None:
    plan = make_plan("/nonexistent/plan-out", FAST, select("C9"), workers=1, budget=0.0, timer=fake_timer)
    assert plan.cpu_seconds == 0 and plan.not_estimated
    assert "not calibrated: calibration budget spent" in "\n".join(plan.lines())
    assert "not estimated (left out of the totals)" in "\n".join(plan.lines())


@pytest.mark.parametrize("command", [["--plan"], ["--plan", "--no-calibrate"], []])
def test_unusable_directories_fail_as_reproduce_does(fake, capsys, tmp_path: Path, command: list[str]) -> None:
    (tmp_path / "file").write_text("")
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine")
    older = tmp_path / "older"
    older.mkdir()
    (older / MANIFEST_NAME).write_text(json.dumps({"schema": SCHEMA_VERSION - 1, "package": "0.0.1"}))
    for out, fragment in [
        (tmp_path / "file" / "out", "cannot write to output directory"),
        (foreign, "is not empty and is not an ibtheory results directory"),
        (older, f"this version writes schema {SCHEMA_VERSION}"),
    ]:
        code, _, err = run_main(capsys, "reproduce", *command, "--workers", "1", "--out", str(out))
        lines = err.strip().splitlines()
        assert code == cli.EXIT_USAGE and len(lines) == 1 and lines[0].startswith("ibtheory: error:"), err
        assert fragment in lines[0]
    assert (foreign / "notes.txt").read_text() == "mine" and sorted(os.listdir(foreign)) == ["notes.txt"]


def test_no_calibrate_needs_plan(fake, capsys, tmp_path: Path) -> None:
    code, _, err = run_main(capsys, "reproduce", "--no-calibrate", "--out", str(tmp_path / "o"))
    assert code == cli.EXIT_USAGE and "--no-calibrate applies to --plan" in err
    assert not (tmp_path / "o").exists()


def test_real_experiments_are_timed_without_writing(capsys, tmp_path: Path) -> None:
    out = tmp_path / "o"
    code, stdout, err = run_main(capsys, "reproduce", "--only", "F2B", "--plan", "--workers", "1", "--out", str(out))
    assert code == 0, err
    assert "three_neuron_curve tanh 1 seed" in stdout and "timed in full: 1 seed in" in stdout
    assert not out.exists()


def test_the_paper_plan_prices_paper_size_mnist(capsys, tmp_path: Path) -> None:
    """Paper-size MNIST (60 000 training digits) is priced even where only the 10 000-digit subset is present.

    The default paper plan runs MNIST reduced and prices the paper's sizes for reference; ``--mnist full`` plans
    them as part of the run.
    """
    from paper_checks.experiments.mnist import PAPER_REDUCED_EPOCHS, MNISTRun

    run = MNISTRun.for_profile(PAPER_FULL_MNIST, "tanh")
    short, train_scale, scales, note = run.calibration()
    assert short.n_train < 60_000 and train_scale == pytest.approx(60_000 / short.n_train)
    assert scales["kde"] == pytest.approx((10_000 / short.n_mi) ** 2) and "paper-size MNIST" in note
    out = tmp_path / "o"
    argv = ["reproduce", "--profile", "paper", "--only", "F1C", "--plan", "--workers", "2", "--out", str(out)]
    code, stdout, err = run_main(capsys, *argv)
    assert code == 0, err
    this_run, reference = stdout.split("for reference, not part of this run: what --mnist full adds")
    assert f"mnist tanh 5 seeds × {PAPER_REDUCED_EPOCHS} epochs" in this_run and "paper-size" not in this_run
    lines = [x for x in reference.splitlines() if "paper-size MNIST (60000 training digits × 10000 epochs" in x]
    assert [x.split()[1] for x in lines] == ["tanh", "relu"], stdout  # F1C shows both networks
    assert all(x.lstrip().startswith("mnist") and ": CPU " in x for x in lines)
    assert "not calibrated" not in stdout and "  estimate: CPU " in reference
    code, stdout, _ = run_main(capsys, *argv, "--mnist", "full", "--no-calibrate")
    assert code == 0 and "profile paper (MNIST full)" in stdout and "mnist tanh 5 seeds × 10000 epochs" in stdout
    assert not out.exists()
