"""The results store and the runner: keys, atomic writes, corruption, per-seed resumption, runs vs measurements."""

from __future__ import annotations

import dataclasses
import json
import os
import stat
from pathlib import Path

import numpy as np
import pytest
import workbench_fakes as fakes
import xarray as xr
from hypothesis import given, settings
from hypothesis import strategies as st

from paper_checks import registry
from paper_checks.profiles import FAST
from paper_checks.registry import Need
from paper_checks.workflow.config_key import config_key
from paper_checks.workflow.runner import Runner
from paper_checks.workflow.store import MANIFEST_NAME, SCHEMA_VERSION, Piece, ResultsDirectoryError, ResultStore

# Property tests build a store per example; a handful of examples covers the seed-subset combinatorics.
MAX_EXAMPLES = 4


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch):
    fakes.isolate(monkeypatch)
    return fakes


def load(store: ResultStore, need, **runner_options) -> xr.Dataset:
    need = need if isinstance(need, Need) else Need(need)
    return Runner(store, FAST, **runner_options).load(need)


def walk_config(tmp_path: Path, **changes) -> fakes.WalkConfig:
    return dataclasses.replace(fakes.WalkConfig.for_profile(FAST, log=str(tmp_path / "log")), **changes)


def test_a_stored_run_equals_a_fresh_run_and_is_reused(fake, tmp_path: Path) -> None:
    config = walk_config(tmp_path)
    fresh = fakes.walk(dataclasses.replace(config, log=""))
    first = load(ResultStore(tmp_path / "out"), config)
    xr.testing.assert_equal(first, fresh)
    assert fakes.read_log(tmp_path / "log") == list(config.seeds)
    again = ResultStore(tmp_path / "out")
    xr.testing.assert_identical(load(again, config), first)
    assert fakes.read_log(tmp_path / "log") == list(config.seeds), "a finished run was retrained"
    assert again.summary()["runs_trained"] == 0 and again.summary()["runs_reused"] == fakes.N_SEEDS_FAST


def test_measuring_never_retrains_and_a_new_setting_only_measures(fake, tmp_path: Path) -> None:
    config, log = walk_config(tmp_path), str(tmp_path / "log")
    store = ResultStore(tmp_path / "out")
    first = load(store, Need(config, fakes.MSDConfig(log=log)))
    np.testing.assert_allclose(first["squared"], first["position"] ** 2)
    assert fakes.read_log(tmp_path / "log") == list(config.seeds)
    assert fakes.read_log(tmp_path / "log", "m") == list(config.seeds)
    scaled = load(store, Need(config, fakes.MSDConfig(scale=3.0, log=log)))
    np.testing.assert_allclose(scaled["squared"], 3.0 * first["squared"])
    assert fakes.read_log(tmp_path / "log") == list(config.seeds), "a new measurement setting retrained the run"
    assert fakes.read_log(tmp_path / "log", "m") == 2 * list(config.seeds)
    load(store, Need(config, fakes.MSDConfig(scale=3.0, log=log)))
    assert fakes.read_log(tmp_path / "log", "m") == 2 * list(config.seeds), "a stored measurement was recomputed"
    counts = store.summary()
    assert counts["runs_trained"] == fakes.N_SEEDS_FAST
    assert counts["measurements_computed"] == 2 * fakes.N_SEEDS_FAST


def test_seed_pieces_are_shared_between_configurations(fake, tmp_path: Path) -> None:
    store = ResultStore(tmp_path / "out")
    load(store, walk_config(tmp_path, seeds=(0, 1, 2)), seed_chunk=2)
    bigger = walk_config(tmp_path, seeds=(0, 1, 2, 3, 4))
    result = load(store, bigger, seed_chunk=2)
    assert fakes.read_log(tmp_path / "log") == [0, 1, 2, 3, 4], "seeds 0-2 must not be retrained"
    xr.testing.assert_equal(result, fakes.walk(dataclasses.replace(bigger, log="")))


def test_a_changed_configuration_never_reuses_a_stale_result(fake, tmp_path: Path) -> None:
    store = ResultStore(tmp_path / "out")
    short = load(store, walk_config(tmp_path, n_steps=10))
    longer = load(store, walk_config(tmp_path, n_steps=11))
    assert short.sizes["step"] == 10 and longer.sizes["step"] == 11
    assert fakes.read_log(tmp_path / "log") == 2 * list(range(fakes.N_SEEDS_FAST))


def test_key_depends_on_every_field_on_the_class_and_on_exact_floats() -> None:
    base = fakes.ScalarConfig(scale=0.1)
    key = config_key("x", base)
    assert key == config_key("x", fakes.ScalarConfig(scale=0.1))
    assert key != config_key("x", fakes.ScalarConfig(scale=0.1 + 2**-56))
    assert key != config_key("y", base)
    assert key != config_key("x", base, source="other code")

    @dataclasses.dataclass(frozen=True)
    class ScalarConfig:  # same name and fields, other class
        scale: float = 0.1

    assert key != config_key("x", ScalarConfig())
    walk = fakes.WalkConfig(seeds=(0, 1))
    assert config_key("w", walk, drop=("seeds",)) == config_key("w", fakes.WalkConfig(seeds=(5,)), drop=("seeds",))


def test_unkeyable_config_values_are_rejected() -> None:
    @dataclasses.dataclass(frozen=True)
    class Bad:
        weights: object

    with pytest.raises(ValueError, match=r"config field config\.weights"):
        config_key("x", Bad(weights=np.zeros(2)))


@pytest.mark.parametrize("damage", ["truncate", "flip", "drop_checksum"])
def test_a_corrupt_file_is_detected_and_recomputed(fake, tmp_path: Path, damage: str) -> None:
    config, log = walk_config(tmp_path), str(tmp_path / "log")
    need = Need(config, fakes.MSDConfig(log=log))
    reference = load(ResultStore(tmp_path / "out"), need)
    run_piece = sorted((tmp_path / "out" / "runs" / "fake_walk").glob("*/seed-3.nc"))
    measured = sorted((tmp_path / "out" / "measurements" / "fake_msd").glob("*/*/seed-4.nc"))
    assert len(run_piece) == 1 and len(measured) == 1
    for path in (run_piece[0], measured[0]):
        data = path.read_bytes()
        if damage == "truncate":
            path.write_bytes(data[: len(data) // 2])
        elif damage == "flip":
            path.write_bytes(data[:-100] + bytes([data[-100] ^ 0xFF]) + data[-99:])
        else:
            path.with_name(path.name + ".sha256").unlink()
    store = ResultStore(tmp_path / "out")
    with pytest.warns(UserWarning, match="discarding corrupt result"):
        again = load(store, need)
    xr.testing.assert_identical(again, reference)
    assert store.summary()["corrupt"] == 2
    assert fakes.read_log(tmp_path / "log")[fakes.N_SEEDS_FAST :] == [3], "only the damaged run is retrained"
    assert fakes.read_log(tmp_path / "log", "m")[fakes.N_SEEDS_FAST :] == [4], "only the damaged measurement"


def test_a_failed_write_never_replaces_a_finished_result(fake, tmp_path: Path, monkeypatch) -> None:
    store = ResultStore(tmp_path / "out")
    config = fakes.ScalarConfig(scale=3.0)
    load(store, config)
    piece = Piece(config)
    path = store.path_of(piece)
    before = path.read_bytes()

    def broken_fsync(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(OSError, match="No space"):
        store.save(piece, fakes.scalar(fakes.ScalarConfig(scale=4.0)))
    assert path.read_bytes() == before
    assert not [p for p in path.parent.iterdir() if p.name.endswith(".tmp")], "temporary file left behind"
    monkeypatch.undo()
    fakes.isolate(monkeypatch)
    xr.testing.assert_equal(load(ResultStore(tmp_path / "out"), config), fakes.scalar(config))


def test_stored_files_describe_themselves_and_follow_the_umask(fake, tmp_path: Path) -> None:
    config = walk_config(tmp_path, seeds=(0, 1))
    store = ResultStore(tmp_path / "out")
    load(store, Need(config, fakes.MSDConfig()))
    files = sorted((tmp_path / "out").rglob("*.nc"))
    assert len(files) == 4  # two run pieces, two measurement pieces
    mask = os.umask(0)
    os.umask(mask)
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~mask, path
        ds = xr.load_dataset(path, engine="h5netcdf")
        assert ds.attrs["ibtheory_schema"] == SCHEMA_VERSION and ds.attrs["config_key"]
        assert json.loads(ds.attrs["configuration"])["class"].endswith("WalkConfig")
        for name in ds.data_vars:
            assert {"units", "long_name"} <= set(ds[name].attrs), (path, name)
        sidecar = json.loads(path.parent.with_suffix(".json").read_text())
        assert sidecar["key"] == ds.attrs["config_key"]
        assert "seeds" not in sidecar["config"], "the sidecar describes every seed's piece: no seeds in it"


def test_results_directory_checks(tmp_path: Path) -> None:
    older = tmp_path / "older"
    older.mkdir()
    (older / MANIFEST_NAME).write_text(json.dumps({"schema": SCHEMA_VERSION - 1, "package": "0.0.1"}))
    with pytest.raises(ResultsDirectoryError, match="schema"):
        ResultStore(older)
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine")
    with pytest.raises(ResultsDirectoryError, match="not an ibtheory results directory"):
        ResultStore(foreign)
    (tmp_path / "file").write_text("")
    with pytest.raises(ResultsDirectoryError, match="cannot"):
        ResultStore(tmp_path / "file" / "out")
    with pytest.raises(ResultsDirectoryError, match="not a directory"):
        ResultStore(tmp_path / "file")
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / MANIFEST_NAME).write_text("{not json")
    with pytest.raises(ResultsDirectoryError, match="unreadable"):
        ResultStore(broken)
    with pytest.raises(ValueError, match="seed_chunk"):
        Runner(ResultStore(tmp_path / "new"), FAST, seed_chunk=0)


def test_a_piece_of_another_schema_is_refused_and_recomputed(fake, tmp_path: Path) -> None:
    config = walk_config(tmp_path, seeds=(0,))
    store = ResultStore(tmp_path / "out")
    load(store, config)
    piece = Piece(config, None, 0)
    path = store.path_of(piece)
    ds = xr.load_dataset(path, engine="h5netcdf")
    ds.attrs["ibtheory_schema"] = SCHEMA_VERSION + 1
    store.save(piece, ds)  # save() stamps the current schema: write the foreign one by hand
    foreign = ds.copy()
    foreign.attrs["ibtheory_schema"] = SCHEMA_VERSION + 1
    data = foreign.to_netcdf(engine="h5netcdf")
    path.write_bytes(data)
    import hashlib

    path.with_name(path.name + ".sha256").write_text(hashlib.sha256(data).hexdigest())
    fresh = ResultStore(tmp_path / "out")
    with pytest.warns(UserWarning, match="results schema"):
        load(fresh, config)
    assert fakes.read_log(tmp_path / "log") == [0, 0]


def test_failures_are_named_and_never_pass(monkeypatch, tmp_path: Path) -> None:
    fakes.isolate(monkeypatch)

    @dataclasses.dataclass(frozen=True)
    class Broken:
        seeds: tuple[int, ...] = (0, 1)

    def broken(config):
        raise ArithmeticError("the fake trainer diverged")

    registry.trainer("fake_broken", Broken)(broken)

    @dataclasses.dataclass(frozen=True)
    class NotADataset:
        scale: float = 1.0

    registry.experiment("fake_not_a_dataset", NotADataset)(lambda config: {"y": 1})
    store = ResultStore(tmp_path / "out")
    runner = Runner(store, FAST)
    with pytest.raises(RuntimeError, match="ArithmeticError: the fake trainer diverged"):
        runner.load(Need(Broken()))
    with pytest.raises(RuntimeError, match=r"must return an xarray\.Dataset"):
        runner.load(Need(NotADataset()))
    registry.claim("C12", needs=lambda profile: {"run": Need(Broken())})(lambda inputs: None)
    outcome = runner.check("C12")
    assert outcome.status == "error" and "diverged" in outcome.error


def test_a_seeded_result_without_a_seed_dimension_is_an_error(monkeypatch, tmp_path: Path) -> None:
    fakes.isolate(monkeypatch)

    @dataclasses.dataclass(frozen=True)
    class Pooled:
        seeds: tuple[int, ...] = (1, 2, 3)

    registry.experiment("fake_pooled", Pooled)(lambda config: xr.Dataset({"mean": ((), 2.0)}))
    with pytest.raises(RuntimeError, match="no matching 'seed' coordinate"):
        Runner(ResultStore(tmp_path / "out"), FAST).load(Need(Pooled()))


def test_needs_are_validated() -> None:
    from paper_checks.experiments.szt import SZTRun
    from paper_checks.measurements import KDE

    with pytest.raises(TypeError, match="not the configuration of a registered trainer"):
        Need(fakes.ScalarConfig())
    with pytest.raises(TypeError, match="not the configuration of a registered measurement"):
        Need(SZTRun(), fakes.MSDConfig())
    Need(SZTRun(), KDE())


@settings(max_examples=MAX_EXAMPLES, deadline=None)
@given(
    first=st.lists(st.integers(0, 40), min_size=1, max_size=4, unique=True),
    second=st.lists(st.integers(0, 40), min_size=1, max_size=4, unique=True),
    chunk=st.integers(1, 3),
)
def test_joined_seed_pieces_equal_one_batched_run(tmp_path_factory, first, second, chunk) -> None:
    with pytest.MonkeyPatch.context() as monkeypatch:
        fakes.isolate(monkeypatch)
        store = ResultStore(tmp_path_factory.mktemp("prop"))
        load(store, fakes.WalkConfig(seeds=tuple(first), n_steps=7), seed_chunk=chunk)
        config = fakes.WalkConfig(seeds=tuple(second), n_steps=7)
        xr.testing.assert_equal(load(store, Need(config, fakes.MSDConfig()), seed_chunk=chunk),
                                registry.compute(Need(config, fakes.MSDConfig())))  # fmt: skip
