"""MNIST in the standard IDX format: reading, locating, downloading once, and splitting.

The paper's MNIST networks (784-1024-20-20-20-10, [P] §2 Fig 1C/D, App B.1 Figs 9–10) are trained on pixel
values X/255 ∈ [0, 1] (docs/choices.md#a15, ibsgd's choice) with one-hot labels over the 10 digits.

Where the files come from, in this order (:func:`load_mnist`):

1. the ``directory`` argument;
2. the ``MNIST_DIR`` environment variable;
3. the user cache (:func:`default_cache_dir`, pooch's per-platform convention, e.g. ``~/.cache/ibtheory/mnist``
   or ``$XDG_CACHE_HOME/ibtheory/mnist`` on Linux) if it already holds them;
4. a one-time download into that cache (``download=True``) through pooch [Po]_, which streams each file into a
   temporary file, checks its sha256 and only then moves it into place, so nothing half-written or corrupt is left
   under the final name; the mirrors of :data:`MIRRORS` are tried in order;
5. otherwise :class:`MNISTUnavailableError`, whose message says how to supply the files.

A directory may hold the full data set (``train-*`` and ``t10k-*`` files: the standard 60 000/10 000 split) or a
single pair of files such as the 10 000-digit subset ``mnist10k-*`` shipped for CI, which :func:`load_mnist`
splits deterministically into train and test (:func:`split_train_test`).

References
----------
.. [P] Saxe et al., "On the Information Bottleneck Theory of Deep Learning", ICLR 2018, §2, App B.1.
.. [L] LeCun, Cortes, Burges, "The MNIST database of handwritten digits" (IDX file format).
.. [Po] Uieda et al., "Pooch: A friend to fetch your data files", JOSS 5(45), 1943 (2020).
"""

from __future__ import annotations

import gzip
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
import pooch

__all__ = [
    "KNOWN_SHA256",
    "MIRRORS",
    "MNIST",
    "MNISTUnavailableError",
    "default_cache_dir",
    "download_mnist",
    "find_mnist_files",
    "load_mnist",
    "one_hot",
    "read_idx",
    "split_train_test",
]

#: sha256 of every MNIST file this module knows: the four official archives and the CI subset.
KNOWN_SHA256: dict[str, str] = {
    "train-images-idx3-ubyte.gz": "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
    "train-labels-idx1-ubyte.gz": "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
    "t10k-images-idx3-ubyte.gz": "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
    "t10k-labels-idx1-ubyte.gz": "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
    "mnist10k-images-idx3-ubyte.gz": "f1090beb6d53f57daafec43f6b409ba369454841058ef34d213c0aecae1c996d",
    "mnist10k-labels-idx1-ubyte.gz": "90b79b31da437856c7c5ffa60a3eb8c00ad42771fd6a92d59634aa7b465a324c",
}

#: Download mirrors of the four official archives, tried in order.
MIRRORS: tuple[str, ...] = (
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
    "https://yann.lecun.com/exdb/mnist/",
)

_OFFICIAL = (
    "train-images-idx3-ubyte.gz",
    "train-labels-idx1-ubyte.gz",
    "t10k-images-idx3-ubyte.gz",
    "t10k-labels-idx1-ubyte.gz",
)
_IDX_DTYPES = {0x08: np.uint8, 0x09: np.int8, 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}
_HOW_TO_SUPPLY = (
    "Supply the IDX files (train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz], t10k-images-idx3-ubyte[.gz], "
    "t10k-labels-idx1-ubyte[.gz], or one '<name>-images-idx3-ubyte[.gz]'/'<name>-labels-idx1-ubyte[.gz]' pair) "
    "with load_mnist(directory=...) or the MNIST_DIR environment variable, or place them in the cache "
    "directory {cache}."
)


class MNISTUnavailableError(FileNotFoundError):
    """MNIST files could be neither found nor downloaded; the message says how to supply them."""


@dataclass(frozen=True, eq=False)
class MNIST:
    """MNIST digits split into train and test.

    Attributes
    ----------
    X_train, X_test : numpy.ndarray
        Pixels as float64 in [0, 1] (raw uint8 / 255, docs/choices.md#a15), shape ``(n, 784)``.
    y_train, y_test : numpy.ndarray
        Integer labels 0–9, shape ``(n,)``.
    source : str
        Where the data came from (directory and file names) and how it was split.
    """

    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    source: str


def default_cache_dir() -> Path:
    """The user cache directory for MNIST: ``pooch.os_cache("ibtheory") / "mnist"``.

    pooch follows each platform's convention (``platformdirs.user_cache_dir``): ``$XDG_CACHE_HOME/ibtheory/mnist``
    or ``~/.cache/ibtheory/mnist`` on Linux, ``~/Library/Caches/ibtheory/mnist`` on macOS.
    """
    return Path(pooch.os_cache("ibtheory")).expanduser() / "mnist"


def _verify_checksum(path: Path) -> None:
    expected = KNOWN_SHA256.get(path.name)
    if expected is None:
        return
    actual = pooch.file_hash(str(path), alg="sha256")
    if actual != expected:
        raise ValueError(f"MNIST file {path} is corrupt: sha256 {actual} differs from the expected {expected}")


def read_idx(path: str | os.PathLike[str]) -> np.ndarray:
    """Read one IDX file (optionally gzip-compressed) into an array.

    Parameters
    ----------
    path : path-like
        An ``*-idx{1,3}-ubyte`` file, or the same gzip-compressed (``.gz``). Files whose name is in
        :data:`KNOWN_SHA256` are checked against their sha256 first.

    Returns
    -------
    numpy.ndarray
        The array with the shape stored in the header (e.g. ``(n, 28, 28)`` uint8 images, ``(n,)`` labels).

    Raises
    ------
    FileNotFoundError
        If `path` does not exist.
    ValueError
        If the checksum differs, the magic number is not an IDX one, or the payload size does not match the header
        (the message names the file).

    References
    ----------
    .. [L] LeCun et al., MNIST database, "file formats" section.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"MNIST file {path} does not exist")
    _verify_checksum(path)
    opener: Callable[..., BinaryIO] = gzip.open if path.suffix == ".gz" else open  # type: ignore[assignment]
    try:
        with opener(path, "rb") as handle:
            raw = handle.read()
    except (OSError, EOFError) as error:
        raise ValueError(f"MNIST file {path} is corrupt or not gzip-compressed: {error}") from None
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] not in _IDX_DTYPES:
        raise ValueError(f"MNIST file {path} is not an IDX file (bad magic number {raw[:4].hex()!r})")
    ndim = raw[3]
    header = 4 + 4 * ndim
    if ndim == 0 or len(raw) < header:
        raise ValueError(f"MNIST file {path} has a truncated IDX header")
    shape = tuple(int.from_bytes(raw[4 + 4 * k : 8 + 4 * k], "big") for k in range(ndim))
    dtype = np.dtype(_IDX_DTYPES[raw[2]])
    expected_bytes = int(np.prod(shape)) * dtype.itemsize
    if len(raw) - header != expected_bytes:
        raise ValueError(
            f"MNIST file {path} is truncated or padded: header shape {shape} needs {expected_bytes} bytes, "
            f"found {len(raw) - header}"
        )
    return np.frombuffer(raw, dtype=dtype, offset=header).reshape(shape).astype(dtype.newbyteorder("="))


def find_mnist_files(directory: str | os.PathLike[str]) -> dict[str, tuple[Path, Path]]:
    """Find the (images, labels) IDX pairs in `directory`, keyed by prefix (``"train"``, ``"t10k"``, ``"mnist10k"``).

    Both the plain and the ``.gz`` name are accepted; an images file without its labels file (or the reverse) is
    ignored.
    """
    directory = Path(directory)
    pairs: dict[str, tuple[Path, Path]] = {}
    for images in sorted(directory.glob("*-images-idx3-ubyte*")):
        if images.suffix not in ("", ".gz"):
            continue
        prefix = images.name.split("-images-idx3-ubyte")[0]
        for suffix in (images.suffix, ".gz" if images.suffix == "" else ""):
            labels = directory / f"{prefix}-labels-idx1-ubyte{suffix}"
            if labels.is_file():
                pairs.setdefault(prefix, (images, labels))
                break
    return pairs


def _read_pair(images_path: Path, labels_path: Path) -> tuple[np.ndarray, np.ndarray]:
    images = read_idx(images_path)
    labels = read_idx(labels_path)
    if images.ndim != 3 or images.shape[1:] != (28, 28) or images.dtype != np.uint8:
        raise ValueError(f"MNIST file {images_path} must hold uint8 images of shape (n, 28, 28), got {images.shape}")
    if labels.ndim != 1 or labels.shape[0] != images.shape[0]:
        raise ValueError(f"MNIST file {labels_path} must hold {images.shape[0]} labels, got shape {labels.shape}")
    if labels.size and (labels.min() < 0 or labels.max() > 9):
        raise ValueError(f"MNIST file {labels_path} holds labels outside 0–9")
    return images.reshape(images.shape[0], 784).astype(np.float64) / 255.0, labels.astype(np.int64)


def split_train_test(
    X: np.ndarray, y: np.ndarray, *, test_fraction: float = 0.2, split_seed: int = 0
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Split one set of digits into train and test with a seeded permutation (deterministic).

    Parameters
    ----------
    X, y : numpy.ndarray
        Digits ``(n, 784)`` and labels ``(n,)``.
    test_fraction : float
        Fraction in (0, 1) that goes to the test set (rounded to the nearest digit). Default 0.2: the 10 000-digit
        CI subset gives 8 000 training and 2 000 test digits.
    split_seed : int
        Seed of the permutation (``numpy.random.default_rng(split_seed)``).

    Returns
    -------
    X_train, y_train, X_test, y_test : numpy.ndarray
    """
    if not 0.0 < test_fraction < 1.0:
        raise ValueError(f"test_fraction must lie in (0, 1), got {test_fraction!r}")
    n = len(y)
    n_test = round(test_fraction * n)
    if n_test < 1 or n_test >= n:
        raise ValueError(f"test_fraction={test_fraction} leaves an empty train or test set for {n} digits")
    order = np.random.default_rng(split_seed).permutation(n)
    test, train = order[:n_test], order[n_test:]
    return X[train], y[train], X[test], y[test]


def download_mnist(
    cache_dir: str | os.PathLike[str] | None = None,
    *,
    mirrors: Sequence[str] = MIRRORS,
    downloader: Any = None,
) -> Path:
    """Download the four official MNIST archives once into `cache_dir` with pooch, each verified against its sha256.

    Files already present with the right checksum are kept (pooch compares the hash before fetching). Each download
    is streamed into a temporary file in `cache_dir` and moved into place only after its checksum matched, so an
    interrupted or corrupt download never leaves a file under the final name.

    Parameters
    ----------
    cache_dir : path-like, optional
        Target directory (default :func:`default_cache_dir`); created if needed.
    mirrors : sequence of str
        Base URLs (ending in ``/``) tried in order for each file (default :data:`MIRRORS`).
    downloader : callable, optional
        A pooch downloader, e.g. ``pooch.HTTPDownloader(timeout=60)``; default: pooch's choice for the URL's
        protocol (HTTP(S) with pooch's 30 s timeout).

    Returns
    -------
    pathlib.Path
        The cache directory holding the four archives.

    Raises
    ------
    MNISTUnavailableError
        If a file could be fetched from no mirror (offline, not found, or wrong checksum at every mirror); the message
        lists each mirror's error and says how to supply the files (``MNIST_DIR``, the directory argument, or the
        cache directory).
    """
    if isinstance(mirrors, str) or not mirrors:
        raise ValueError(f"mirrors must be a non-empty sequence of base URLs, got {mirrors!r}")
    cache = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    cache.mkdir(parents=True, exist_ok=True)
    for name in _OFFICIAL:
        errors = []
        for mirror in mirrors:
            url = mirror + name
            try:
                pooch.retrieve(
                    url, known_hash=f"sha256:{KNOWN_SHA256[name]}", fname=name, path=cache, downloader=downloader
                )
                break
            except (OSError, ValueError) as error:  # requests' errors are OSErrors; a wrong hash is a ValueError
                errors.append(f"{url}: {error}")
        else:
            raise MNISTUnavailableError(
                f"could not download MNIST file {name} ({'; '.join(errors)}). " + _HOW_TO_SUPPLY.format(cache=cache)
            )
    return cache


def load_mnist(
    directory: str | os.PathLike[str] | None = None,
    *,
    download: bool = True,
    cache_dir: str | os.PathLike[str] | None = None,
    test_fraction: float = 0.2,
    split_seed: int = 0,
    mirrors: Sequence[str] = MIRRORS,
    downloader: Any = None,
) -> MNIST:
    """Load MNIST as pixels in [0, 1] (X/255, docs/choices.md#a15) with integer labels, split into train and test.

    Parameters
    ----------
    directory : path-like, optional
        Directory holding IDX files. If omitted: ``MNIST_DIR``, then the cache, then a download.
    download : bool
        Whether to download into the cache when no files are found (default True).
    cache_dir : path-like, optional
        Cache directory (default :func:`default_cache_dir`).
    test_fraction, split_seed
        Used only when the directory holds a single pair of files (e.g. the 10 000-digit CI subset), which is split
        by :func:`split_train_test`. A directory with ``train-*`` and ``t10k-*`` files uses the standard split.
    mirrors, downloader
        Passed to :func:`download_mnist`.

    Returns
    -------
    MNIST

    Raises
    ------
    MNISTUnavailableError
        If no files are found and they cannot be downloaded; the message says how to supply them.
    ValueError
        If a file is corrupt (the message names it and its checksum).
    """
    cache = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    if directory is not None:
        origin, folder = "directory argument", Path(directory)
    elif os.environ.get("MNIST_DIR"):
        origin, folder = "MNIST_DIR", Path(os.environ["MNIST_DIR"])
    else:
        origin, folder = "cache", cache
    pairs = find_mnist_files(folder) if folder.is_dir() else {}
    if not pairs and origin != "cache":
        raise MNISTUnavailableError(
            f"no MNIST IDX files in {folder} (given by the {origin}). " + _HOW_TO_SUPPLY.format(cache=cache)
        )
    if not pairs:
        if not download:
            raise MNISTUnavailableError(
                f"no MNIST files in the cache {cache} and download=False. " + _HOW_TO_SUPPLY.format(cache=cache)
            )
        folder = download_mnist(cache, mirrors=mirrors, downloader=downloader)
        pairs = find_mnist_files(folder)
    if "train" in pairs and "t10k" in pairs:
        X_train, y_train = _read_pair(*pairs["train"])
        X_test, y_test = _read_pair(*pairs["t10k"])
        source = f"{folder}: train-* ({len(y_train)}) and t10k-* ({len(y_test)}), standard split"
        return MNIST(X_train, y_train, X_test, y_test, source)
    if len(pairs) != 1:
        raise ValueError(
            f"MNIST directory {folder} holds the pairs {sorted(pairs)}; expected 'train' and 't10k' or a single pair"
        )
    (prefix, (images_path, labels_path)) = next(iter(pairs.items()))
    X, y = _read_pair(images_path, labels_path)
    X_train, y_train, X_test, y_test = split_train_test(X, y, test_fraction=test_fraction, split_seed=split_seed)
    source = (
        f"{folder}: {prefix}-* ({len(y)} digits) split {len(y_train)}/{len(y_test)} "
        f"(test_fraction={test_fraction}, split_seed={split_seed})"
    )
    return MNIST(X_train, y_train, X_test, y_test, source)


def one_hot(labels: np.ndarray, n_classes: int = 10) -> np.ndarray:
    """One-hot encode integer `labels` into a float64 ``(n, n_classes)`` array."""
    labels = np.asarray(labels)
    if labels.ndim != 1 or not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(f"labels must be a 1-D integer array, got shape {labels.shape} and dtype {labels.dtype}")
    if labels.size and (labels.min() < 0 or labels.max() >= n_classes):
        raise ValueError(f"labels must lie in 0..{n_classes - 1}")
    out = np.zeros((labels.size, n_classes))
    out[np.arange(labels.size), labels] = 1.0
    return out
