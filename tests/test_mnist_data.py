"""MNIST IDX loader: parsing, checksums, the split, download through pooch from a local mirror, and bad input."""

from __future__ import annotations

import gzip
import hashlib
import http.server
import os
import socket
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pooch
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


def _official_blobs(rng: np.random.Generator) -> dict[str, bytes]:
    """Tiny stand-ins for the four official archives (6 training and 3 test digits)."""
    return {
        "train-images-idx3-ubyte.gz": gzip.compress(_idx_bytes(rng.integers(0, 256, (6, 28, 28), dtype=np.uint8))),
        "train-labels-idx1-ubyte.gz": gzip.compress(_idx_bytes(np.arange(6, dtype=np.uint8))),
        "t10k-images-idx3-ubyte.gz": gzip.compress(_idx_bytes(rng.integers(0, 256, (3, 28, 28), dtype=np.uint8))),
        "t10k-labels-idx1-ubyte.gz": gzip.compress(_idx_bytes(np.arange(3, dtype=np.uint8))),
    }


class _Mirror:
    """A local HTTP mirror on 127.0.0.1 serving the files of one directory, counting the requests it answers."""

    def __init__(self, root: Path) -> None:
        self.requests: list[str] = []
        mirror = self

        class Handler(http.server.SimpleHTTPRequestHandler):
            def __init__(self, *args: object, **kwargs: object) -> None:
                super().__init__(*args, directory=str(root), **kwargs)  # type: ignore[arg-type]

            def do_GET(self) -> None:
                mirror.requests.append(self.path)
                super().do_GET()

            def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.timeout = SERVER_POLL_S
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(SERVER_POLL_S,), daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=SERVER_JOIN_S)


# The mirror thread polls for shutdown every SERVER_POLL_S and is joined for at most SERVER_JOIN_S: the server
# cannot outlive its test. Downloads use a short timeout: everything is on the loopback interface.
SERVER_POLL_S = 0.05
SERVER_JOIN_S = 5.0
DOWNLOAD_TIMEOUT_S = 10


@pytest.fixture
def mirror_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[_Mirror, dict[str, bytes]]]:
    """A local mirror serving tiny official archives, whose sha256 are registered as the known ones."""
    monkeypatch.delenv("MNIST_DIR", raising=False)  # CI sets it; these tests read the cache they download into
    blobs = _official_blobs(np.random.default_rng(7))
    root = tmp_path / "served"
    root.mkdir()
    for name, blob in blobs.items():
        (root / name).write_bytes(blob)
    sums = {name: hashlib.sha256(blob).hexdigest() for name, blob in blobs.items()}
    monkeypatch.setattr(mnist, "KNOWN_SHA256", {**mnist.KNOWN_SHA256, **sums})
    server = _Mirror(root)
    try:
        yield server, blobs
    finally:
        server.close()


def _closed_port_url() -> str:
    """The URL of a loopback port nobody listens on: connecting is refused at once (offline stand-in)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/"


def _downloader() -> pooch.HTTPDownloader:
    return pooch.HTTPDownloader(timeout=DOWNLOAD_TIMEOUT_S)


def test_download_through_pooch_checks_and_caches(
    tmp_path: Path, mirror_files: tuple[_Mirror, dict[str, bytes]]
) -> None:
    server, blobs = mirror_files
    cache = tmp_path / "cache"
    # the first mirror is down: the second one serves every file
    mirrors = (_closed_port_url(), server.url)
    assert download_mnist(cache, mirrors=mirrors, downloader=_downloader()) == cache
    assert sorted(p.name for p in cache.iterdir()) == sorted(blobs)  # no leftover temporary files
    assert all((cache / name).read_bytes() == blob for name, blob in blobs.items())
    assert len(server.requests) == 4
    data = load_mnist(cache_dir=cache, download=False)
    assert data.X_train.shape == (6, 784) and data.X_test.shape == (3, 784)
    # second call: files present with the right checksum, nothing fetched
    download_mnist(cache, mirrors=(server.url,), downloader=_downloader())
    assert len(server.requests) == 4


def test_load_mnist_downloads_into_empty_cache(tmp_path: Path, mirror_files: tuple[_Mirror, dict[str, bytes]]) -> None:
    server, _ = mirror_files
    data = load_mnist(cache_dir=tmp_path / "cache", mirrors=(server.url,), downloader=_downloader())
    assert data.X_train.shape == (6, 784) and "standard split" in data.source
    np.testing.assert_array_equal(data.y_train, np.arange(6))


def test_corrupt_download_is_rejected_and_not_kept(
    tmp_path: Path, mirror_files: tuple[_Mirror, dict[str, bytes]]
) -> None:
    server, _ = mirror_files
    (tmp_path / "served" / "train-labels-idx1-ubyte.gz").write_bytes(b"tampered")
    cache = tmp_path / "cache"
    with pytest.raises(MNISTUnavailableError, match=r"train-labels-idx1-ubyte\.gz.*does not match the known hash"):
        download_mnist(cache, mirrors=(server.url,), downloader=_downloader())
    assert sorted(p.name for p in cache.iterdir()) == ["train-images-idx3-ubyte.gz"]  # the good one, nothing else


def test_corrupt_cached_file_is_fetched_again(tmp_path: Path, mirror_files: tuple[_Mirror, dict[str, bytes]]) -> None:
    server, blobs = mirror_files
    cache = tmp_path / "cache"
    download_mnist(cache, mirrors=(server.url,), downloader=_downloader())
    (cache / "t10k-images-idx3-ubyte.gz").write_bytes(b"bit rot")
    with pytest.raises(ValueError, match=r"t10k-images-idx3-ubyte\.gz is corrupt: sha256 [0-9a-f]{64} differs"):
        load_mnist(cache_dir=cache, download=False)
    download_mnist(cache, mirrors=(server.url,), downloader=_downloader())
    assert (cache / "t10k-images-idx3-ubyte.gz").read_bytes() == blobs["t10k-images-idx3-ubyte.gz"]
    assert len(server.requests) == 5  # only the damaged file was fetched again


def test_offline_download_says_how_to_supply(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MNIST_DIR", raising=False)
    cache = tmp_path / "cache"
    offline = (_closed_port_url(),)
    with pytest.raises(MNISTUnavailableError, match=r"could not download MNIST file train-images") as caught:
        load_mnist(cache_dir=cache, mirrors=offline, downloader=_downloader())
    message = str(caught.value)
    assert "MNIST_DIR" in message and "load_mnist(directory=...)" in message and str(cache) in message
    assert offline[0] in message  # which mirror failed
    assert list(cache.iterdir()) == []
    with pytest.raises(MNISTUnavailableError, match="download=False"):
        load_mnist(cache_dir=cache, download=False)


def test_default_cache_follows_pooch_convention(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    expected = Path(pooch.os_cache("ibtheory")).expanduser() / "mnist"
    assert mnist.default_cache_dir() == expected
    if sys.platform.startswith("linux"):
        assert expected == tmp_path / "ibtheory" / "mnist"


def test_bad_mirrors() -> None:
    with pytest.raises(ValueError, match="mirrors"):
        download_mnist(mirrors="https://one-string/")
    with pytest.raises(ValueError, match="mirrors"):
        download_mnist(mirrors=())
