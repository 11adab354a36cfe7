"""The SZT data set (docs/claims.md#c46) and its seeded splits (docs/choices.md#a5)."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from simulate.data.szt import SZT_SHA256, load_szt, train_test_split

PACKAGED_COPY = Path(__file__).resolve().parents[1] / "simulate" / "data" / "var_u.mat"
SHARED_COPY = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "szt" / "var_u.mat"


def test_contents_match_spec_c46():
    data = load_szt()
    assert data.X.shape == (4096, 12) and data.X.dtype == np.float64
    # all 4096 distinct 12-bit patterns
    codes = data.X @ (2 ** np.arange(11, -1, -1))
    assert np.array_equal(np.sort(codes), np.arange(4096))
    assert int(data.y.sum()) == 2118
    assert np.array_equal(data.Y[:, 0], data.y) and np.array_equal(data.Y.sum(axis=1), np.ones(4096))
    # fraction y = 1 by number of active bits (docs/claims.md#c46 table)
    k = data.X.sum(axis=1)
    assert data.y[k <= 4].sum() == 0 and data.y[k >= 8].all()
    assert data.y[k == 6].mean() == pytest.approx(0.5758, abs=1e-4)


def test_loaded_arrays_are_read_only():
    data = load_szt()
    with pytest.raises(ValueError):
        data.X[0, 0] = 5.0


@pytest.mark.skipif(not SHARED_COPY.is_file(), reason="shared copy of var_u.mat not present")
def test_explicit_path_gives_same_data():
    assert np.array_equal(load_szt(SHARED_COPY).X, load_szt().X)


def test_corrupt_file_names_file_and_checksum(tmp_path):
    bad = tmp_path / "var_u.mat"
    shutil.copy(PACKAGED_COPY, bad)
    raw = bytearray(bad.read_bytes())
    raw[-1] ^= 0xFF
    bad.write_bytes(bytes(raw))
    with pytest.raises(ValueError, match=SZT_SHA256) as info:
        load_szt(bad)
    assert str(bad) in str(info.value)


def test_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"var_u\.mat"):
        load_szt(tmp_path / "nothing.mat")


@pytest.mark.parametrize(("fraction", "n_train"), [(0.8, 3277), (0.3, 1229)])
def test_split_sizes_and_partition(fraction, n_train):
    split = train_test_split(4096, fraction, np.random.default_rng(1))
    assert len(split.train) == n_train
    assert np.array_equal(np.sort(np.concatenate([split.train, split.test])), np.arange(4096))


def test_split_is_seeded():
    a = train_test_split(4096, 0.8, np.random.default_rng(3))
    b = train_test_split(4096, 0.8, np.random.default_rng(3))
    c = train_test_split(4096, 0.8, np.random.default_rng(4))
    assert np.array_equal(a.train, b.train) and not np.array_equal(a.train, c.train)


@pytest.mark.parametrize(
    ("n", "fraction", "rng", "match"),
    [
        (4096, 1.0, np.random.default_rng(0), "train_fraction"),
        (4096, 0.0, np.random.default_rng(0), "train_fraction"),
        (3, 0.01, np.random.default_rng(0), "train_fraction"),
        (1, 0.5, np.random.default_rng(0), "n must"),
        (4096, 0.8, 0, "rng"),
    ],
)
def test_split_bad_input(n, fraction, rng, match):
    with pytest.raises(ValueError, match=match):
        train_test_split(n, fraction, rng)
