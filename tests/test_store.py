"""The on-disk result store: keys, atomic writes, corruption detection, per-seed resumption (issue 7, item 2)."""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path

import numpy as np
import pytest
import workbench_fakes as fakes
import xarray as xr
from hypothesis import given, settings
from hypothesis import strategies as st

from paper_checks import registry
from paper_checks.profiles import FAST
from paper_checks.store import MANIFEST_NAME, SCHEMA_VERSION, ResultsDirectoryError, ResultStore, config_key

# Property tests build a store per example; a handful of examples covers the seed-subset combinatorics.
MAX_EXAMPLES = 4


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch):
    fakes.isolate(monkeypatch)
    return fakes


def run(store: ResultStore, name: str, config):
    with store.activate():
        return registry.EXPERIMENTS[name].run(config)


def walk_config(tmp_path: Path, **changes) -> fakes.WalkConfig:
    return dataclasses.replace(fakes.WalkConfig.for_profile(FAST, log=str(tmp_path / "log")), **changes)


def test_cached_result_is_identical_to_a_fresh_run_and_is_reused(fake, tmp_path: Path) -> None:
    config = walk_config(tmp_path)
    fresh = fakes.walk(dataclasses.replace(config, log=""))
    first = run(ResultStore(tmp_path / "out"), "fake_walk", config)
    xr.testing.assert_identical(first, fresh)
    assert fakes.read_log(tmp_path / "log") == list(config.seeds)
    again = ResultStore(tmp_path / "out")
    xr.testing.assert_identical(run(again, "fake_walk", config), fresh)
    assert fakes.read_log(tmp_path / "log") == list(config.seeds), "a finished result was recomputed"
    assert again.summary() == {"computed": 0, "reused": 1, "corrupt": 0}


def test_seed_pieces_are_shared_between_configurations(fake, tmp_path: Path) -> None:
    store = ResultStore(tmp_path / "out", seed_chunk=2)
    run(store, "fake_walk", walk_config(tmp_path, seeds=(0, 1, 2)))
    bigger = walk_config(tmp_path, seeds=(0, 1, 2, 3, 4))
    result = run(store, "fake_walk", bigger)
    assert fakes.read_log(tmp_path / "log") == [0, 1, 2, 3, 4], "seeds 0-2 must not be recomputed"
    xr.testing.assert_identical(result, fakes.walk(dataclasses.replace(bigger, log="")))


def test_a_changed_configuration_never_reuses_a_stale_result(fake, tmp_path: Path) -> None:
    store = ResultStore(tmp_path / "out")
    short = run(store, "fake_walk", walk_config(tmp_path, n_steps=10))
    longer = run(store, "fake_walk", walk_config(tmp_path, n_steps=11))
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
    config = walk_config(tmp_path)
    reference = run(ResultStore(tmp_path / "out"), "fake_walk", config)
    combined = sorted((tmp_path / "out" / "experiments" / "fake_walk").glob("*.nc"))
    pieces = sorted((tmp_path / "out" / "experiments" / "fake_walk").glob("*/seed-3.nc"))
    assert len(combined) == 1 and len(pieces) == 1
    for path in (combined[0], pieces[0]):
        data = path.read_bytes()
        if damage == "truncate":
            path.write_bytes(data[: len(data) // 2])
        elif damage == "flip":
            path.write_bytes(data[:-100] + bytes([data[-100] ^ 0xFF]) + data[-99:])
        else:
            path.with_name(path.name + ".sha256").unlink()
    store = ResultStore(tmp_path / "out")
    with pytest.warns(UserWarning, match="discarding corrupt result"):
        again = run(store, "fake_walk", config)
    xr.testing.assert_identical(again, reference)
    assert store.summary()["corrupt"] == 2
    assert fakes.read_log(tmp_path / "log")[fakes.N_SEEDS_FAST :] == [3], "only the damaged seed is recomputed"


def test_a_failed_write_never_replaces_a_finished_result(fake, tmp_path: Path, monkeypatch) -> None:
    store = ResultStore(tmp_path / "out")
    config = fakes.ScalarConfig(scale=3.0)
    run(store, "fake_scalar", config)
    path = store.path_for("fake_scalar", config)
    before = path.read_bytes()

    def broken_fsync(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(OSError, match="No space"):
        store._write(path, b"partial")
    assert path.read_bytes() == before
    assert not [p for p in path.parent.iterdir() if p.name.endswith(".tmp")], "temporary file left behind"
    monkeypatch.undo()
    fakes.isolate(monkeypatch)
    xr.testing.assert_identical(run(ResultStore(tmp_path / "out"), "fake_scalar", config), fakes.scalar(config))


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
    with pytest.raises(ResultsDirectoryError, match="cannot write"):
        ResultStore(tmp_path / "file" / "out")
    with pytest.raises(ResultsDirectoryError, match="not a directory"):
        ResultStore(tmp_path / "file")
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / MANIFEST_NAME).write_text("{not json")
    with pytest.raises(ResultsDirectoryError, match="unreadable"):
        ResultStore(broken)
    with pytest.raises(ValueError, match="seed_chunk"):
        ResultStore(tmp_path / "new", seed_chunk=0)


def test_an_experiment_without_a_seed_dimension_is_cached_whole(monkeypatch, tmp_path: Path) -> None:
    fakes.isolate(monkeypatch)

    @registry.experiment("fake_pooled")
    def pooled(config: fakes.WalkConfig) -> xr.Dataset:
        return xr.Dataset({"mean": ((), float(np.mean(config.seeds)))})

    store = ResultStore(tmp_path / "out")
    with pytest.warns(UserWarning, match="cached per configuration"):
        result = run(store, "fake_pooled", fakes.WalkConfig(seeds=(1, 2, 3)))
    assert float(result["mean"]) == 2.0
    assert store.path_for("fake_pooled", fakes.WalkConfig(seeds=(1, 2, 3))).exists()


def test_bad_experiment_results_are_named(monkeypatch, tmp_path: Path) -> None:
    fakes.isolate(monkeypatch)

    @registry.experiment("fake_not_a_dataset")
    def not_a_dataset(config: fakes.ScalarConfig):
        return {"y": 1}

    @registry.experiment("fake_bool_attr")
    def bool_attr(config: fakes.ScalarConfig):
        return xr.Dataset(attrs={"flag": {"nested": 1}})

    store = ResultStore(tmp_path / "out")
    with pytest.raises(ValueError, match=r"'fake_not_a_dataset' must return an xarray\.Dataset"):
        run(store, "fake_not_a_dataset", fakes.ScalarConfig())
    with pytest.raises(ValueError, match="'fake_bool_attr' returned a Dataset that cannot be saved"):
        run(store, "fake_bool_attr", fakes.ScalarConfig())


@settings(max_examples=MAX_EXAMPLES, deadline=None)
@given(
    first=st.lists(st.integers(0, 40), min_size=1, max_size=4, unique=True),
    second=st.lists(st.integers(0, 40), min_size=1, max_size=4, unique=True),
    chunk=st.integers(1, 3),
)
def test_joined_seed_pieces_equal_one_batched_run(tmp_path_factory, first, second, chunk) -> None:
    with pytest.MonkeyPatch.context() as monkeypatch:
        fakes.isolate(monkeypatch)
        store = ResultStore(tmp_path_factory.mktemp("prop"), seed_chunk=chunk)
        run(store, "fake_walk", fakes.WalkConfig(seeds=tuple(first), n_steps=7))
        config = fakes.WalkConfig(seeds=tuple(second), n_steps=7)
        xr.testing.assert_identical(run(store, "fake_walk", config), fakes.walk(config))


def test_seed_dependent_variables_without_a_seed_dim_fall_back_to_one_call(monkeypatch, tmp_path: Path) -> None:
    fakes.isolate(monkeypatch)

    @registry.experiment("fake_pooled_mean")
    def pooled_mean(config: fakes.WalkConfig) -> xr.Dataset:
        walk = fakes.walk(config)
        return walk.assign(mean_final=walk["position"].isel(step=-1).mean("seed"))

    config = fakes.WalkConfig(seeds=(0, 1, 2, 3), n_steps=5)
    with pytest.warns(UserWarning, match="cannot be joined along 'seed'"):
        result = run(ResultStore(tmp_path / "out", seed_chunk=2), "fake_pooled_mean", config)
    xr.testing.assert_identical(result, pooled_mean.__wrapped__(config))
