"""MNIST IDX loader: parsing, checksums, the deterministic split, download with a fake opener, and bad input."""

from __future__ import annotations

import gzip
import io
import os
from pathlib import Path

import numpy as np
import pytest

from simulate.data import mnist
from simulate.data.mnist import MNISTUnavailableError, download_mnist, load_mnist, one_hot, read_idx

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "data" / "mnist"
# Per-digit counts of the 10 000-digit subset, from its README.
SUBSET_COUNTS = [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]


def _subset_dir() -> Path | None:
    env = os.environ.get("MNIST_DIR")
    if env and Path(env).is_dir():
        return Path(env)
    return SHARED if SHARED.is_dir() else None


needs_subset = pytest.mark.skipif(_subset_dir() is None, reason="MNIST subset not available (set MNIST_DIR)")


def _idx_bytes(array: np.ndarray) -> bytes:
    codes = {np.dtype(np.uint8): 0x08}
    header = bytes([0, 0, codes[array.dtype], array.ndim]) + b"".join(d.to_bytes(4, "big") for d in array.shape)
    return header + array.tobytes()


def _write_pair(folder: Path, prefix: str, n: int, rng: np.random.Generator, compress: bool = True) -> None:
    images = rng.integers(0, 256, size=(n, 28, 28), dtype=np.uint8)
    labels = (np.arange(n) % 10).astype(np.uint8)
    suffix = ".gz" if compress else ""
    for kind, array in (("images-idx3", images), ("labels-idx1", labels)):
        data = _idx_bytes(array)
        path = folder / f"{prefix}-{kind}-ubyte{suffix}"
        path.write_bytes(gzip.compress(data) if compress else data)


def test_read_idx_round_trip(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    _write_pair(tmp_path, "fake", 7, rng, compress=False)
    images = read_idx(tmp_path / "fake-images-idx3-ubyte")
    assert images.shape == (7, 28, 28) and images.dtype == np.uint8
    np.testing.assert_array_equal(read_idx(tmp_path / "fake-labels-idx1-ubyte"), np.arange(7) % 10)


def test_load_single_pair_is_split_deterministically(tmp_path: Path) -> None:
    _write_pair(tmp_path, "fake", 50, np.random.default_rng(1))
    a = load_mnist(tmp_path, test_fraction=0.2, split_seed=3)
    b = load_mnist(tmp_path, test_fraction=0.2, split_seed=3)
    assert a.X_train.shape == (40, 784) and a.X_test.shape == (10, 784)
    np.testing.assert_array_equal(a.X_train, b.X_train)
    assert a.X_train.min() >= 0.0 and a.X_train.max() <= 1.0
    # train and test partition the 50 digits
    assert sorted(np.concatenate([a.y_train, a.y_test]).tolist()) == sorted((np.arange(50) % 10).tolist())


def test_full_layout_uses_standard_split(tmp_path: Path) -> None:
    rng = np.random.default_rng(2)
    _write_pair(tmp_path, "train", 30, rng, compress=False)  # unknown names: no checksum
    _write_pair(tmp_path, "t10k", 12, rng, compress=False)
    data = load_mnist(tmp_path)
    assert data.X_train.shape == (30, 784) and data.X_test.shape == (12, 784)


@needs_subset
def test_shared_subset_loads_with_checksums() -> None:
    data = load_mnist(_subset_dir())
    assert data.X_train.shape == (8000, 784) and data.X_test.shape == (2000, 784)
    counts = np.bincount(np.concatenate([data.y_train, data.y_test]), minlength=10)
    assert counts.tolist() == SUBSET_COUNTS
    assert data.X_train.max() == 1.0 and data.X_train.min() == 0.0


def test_mnist_dir_environment_variable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write_pair(tmp_path, "fake", 20, np.random.default_rng(4))
    monkeypatch.setenv("MNIST_DIR", str(tmp_path))
    assert load_mnist().X_test.shape == (4, 784)


def test_corrupt_known_file_names_file_and_checksum(tmp_path: Path) -> None:
    _write_pair(tmp_path, "mnist10k", 10, np.random.default_rng(5))  # known name, wrong content
    with pytest.raises(ValueError, match=r"mnist10k-images-idx3-ubyte\.gz is corrupt: sha256 [0-9a-f]{64}"):
        load_mnist(tmp_path)


@pytest.mark.parametrize(
    ("payload", "message"),
    [(b"\x00\x00\x08\x01\x00\x00\x00\x05\x01\x02", "truncated or padded"), (b"PK\x03\x04", "not an IDX file")],
)
def test_malformed_idx(tmp_path: Path, payload: bytes, message: str) -> None:
    path = tmp_path / "bad-labels-idx1-ubyte"
    path.write_bytes(payload)
    with pytest.raises(ValueError, match=message):
        read_idx(path)


def test_bad_gzip_names_file(tmp_path: Path) -> None:
    path = tmp_path / "bad-labels-idx1-ubyte.gz"
    path.write_bytes(b"not gzip at all")
    with pytest.raises(ValueError, match=r"bad-labels-idx1-ubyte\.gz is corrupt"):
        read_idx(path)


def test_missing_directory_says_how_to_supply(tmp_path: Path) -> None:
    with pytest.raises(MNISTUnavailableError, match="MNIST_DIR"):
        load_mnist(tmp_path / "nowhere")
    with pytest.raises(FileNotFoundError):
        read_idx(tmp_path / "absent-images-idx3-ubyte")


def test_bad_split_parameters(tmp_path: Path) -> None:
    _write_pair(tmp_path, "fake", 5, np.random.default_rng(6))
    with pytest.raises(ValueError, match="test_fraction"):
        load_mnist(tmp_path, test_fraction=1.5)
    with pytest.raises(ValueError, match="labels"):
        one_hot(np.array([0, 11]))


class _FakeResponse(io.BytesIO):
    def __enter__(self) -> _FakeResponse:
        return self

    def __exit__(self, *args: object) -> None:
        self.close()


def test_download_verifies_and_writes_atomically(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MNIST_DIR", raising=False)  # CI sets it; this test reads the cache it downloads into
    rng = np.random.default_rng(7)
    blobs = {
        "train-images-idx3-ubyte.gz": gzip.compress(_idx_bytes(rng.integers(0, 256, (6, 28, 28), dtype=np.uint8))),
        "train-labels-idx1-ubyte.gz": gzip.compress(_idx_bytes(np.arange(6, dtype=np.uint8))),
        "t10k-images-idx3-ubyte.gz": gzip.compress(_idx_bytes(rng.integers(0, 256, (3, 28, 28), dtype=np.uint8))),
        "t10k-labels-idx1-ubyte.gz": gzip.compress(_idx_bytes(np.arange(3, dtype=np.uint8))),
    }
    import hashlib

    sums = {name: hashlib.sha256(blob).hexdigest() for name, blob in blobs.items()}
    monkeypatch.setattr(mnist, "KNOWN_SHA256", {**mnist.KNOWN_SHA256, **sums})
    calls: list[str] = []

    def opener(url: str) -> _FakeResponse:
        calls.append(url)
        if url.startswith("https://first/"):
            raise OSError("mirror down")
        return _FakeResponse(blobs[url.rsplit("/", 1)[1]])

    cache = download_mnist(tmp_path / "cache", opener=opener, mirrors=("https://first/", "https://second/"))
    assert sorted(p.name for p in cache.iterdir()) == sorted(blobs)  # no leftover temporary files
    data = load_mnist(cache_dir=tmp_path / "cache", download=False)
    assert data.X_train.shape == (6, 784) and data.X_test.shape == (3, 784)
    # second call: files present with the right checksum, nothing fetched
    calls.clear()
    download_mnist(tmp_path / "cache", opener=opener, mirrors=("https://second/",))
    assert calls == []


def test_download_with_wrong_checksum_leaves_nothing(tmp_path: Path) -> None:
    def opener(url: str) -> _FakeResponse:
        return _FakeResponse(b"tampered")

    with pytest.raises(MNISTUnavailableError, match="differs from the expected"):
        download_mnist(tmp_path, opener=opener, mirrors=("https://m/",))
    assert list(tmp_path.iterdir()) == []


def test_offline_download_says_how_to_supply(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MNIST_DIR", raising=False)

    def offline(url: str) -> _FakeResponse:
        raise OSError("Name or service not known")

    with pytest.raises(MNISTUnavailableError, match=r"could not download.*MNIST_DIR"):
        load_mnist(cache_dir=tmp_path, opener=offline)
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(MNISTUnavailableError, match="download=False"):
        load_mnist(cache_dir=tmp_path, download=False)
