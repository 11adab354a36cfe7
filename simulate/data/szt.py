"""The SZT task: 4096 twelve-bit patterns with the binary label of Shwartz-Ziv & Tishby (``var_u.mat``).

The file ships with the package (``simulate/data/var_u.mat``) and its SHA-256 checksum is verified on every load
(docs/formulas.md#sources, docs/design.md#data). The inputs are all of {0,1}¹² in binary order; 2118 of the 4096
labels are 1 (docs/claims.md#c46).

References
----------
.. [P] Saxe et al., "On the Information Bottleneck Theory of Deep Learning", ICLR 2018, §2 (the SZT setting).
.. [SZT17] Shwartz-Ziv & Tishby, "Opening the black box of deep neural networks via information",
   arXiv:1703.00810 (the task; docs/choices.md#a23).
"""

from __future__ import annotations

import hashlib
import importlib.resources
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from simulate.validation import real_float

__all__ = [
    "DEFAULT_TRAIN_FRACTION",
    "SZT_SHA256",
    "SZTData",
    "Split",
    "load_szt",
    "train_test_split",
]

SZT_SHA256 = "0ba9551878a855396a8de0cbaae620788ede1e7b1eb2b8373bbe017d5ea02036"
"""SHA-256 of the ``var_u.mat`` committed in ibsgd ``datasets/`` and IDNNs ``data/`` (docs/design.md#data)."""

DEFAULT_TRAIN_FRACTION = 0.8
"""ibsgd and IDNNs train on 80 % of the patterns (docs/figures.md#szt-setting, docs/choices.md#a5); Fig 4C uses 0.3."""


@dataclass(frozen=True, eq=False)
class SZTData:
    """The SZT data set.

    Attributes
    ----------
    X : numpy.ndarray
        Inputs, shape (4096, 12), float64 with entries 0.0 or 1.0 (all 12-bit patterns, binary order).
    y : numpy.ndarray
        Labels, shape (4096,), int64 in {0, 1}, as stored in ``var_u.mat``.
    Y : numpy.ndarray
        One-hot targets as ibsgd builds them, shape (4096, 2), float64, columns ``[y, 1 - y]`` (so network
        output unit 0 stands for ``y = 1``; docs/figures.md#szt-setting).
    """

    X: np.ndarray
    y: np.ndarray
    Y: np.ndarray

    @property
    def n_patterns(self) -> int:
        """Number of input patterns (4096)."""
        return int(self.X.shape[0])


@dataclass(frozen=True, eq=False)
class Split:
    """Indices of a train/test split of the patterns.

    Attributes
    ----------
    train, test : numpy.ndarray
        Disjoint int64 index arrays whose union is ``range(n)``.
    """

    train: np.ndarray
    test: np.ndarray


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 16), b""):
            digest.update(chunk)
    return digest.hexdigest()


def load_szt(path: str | Path | None = None) -> SZTData:
    """Load the SZT task from ``var_u.mat`` and verify its checksum.

    Parameters
    ----------
    path : str or pathlib.Path, optional
        A ``var_u.mat`` file. Default: the copy shipped as package data of :mod:`simulate.data`.

    Returns
    -------
    SZTData
        Inputs (4096 × 12), labels (4096,) and ibsgd's one-hot targets (4096 × 2).

    Raises
    ------
    FileNotFoundError
        If `path` does not exist.
    ValueError
        If the file's SHA-256 is not :data:`SZT_SHA256` (corrupt or different file), or its contents do not have
        the expected shapes; the message names the file and the expected checksum.

    References
    ----------
    .. [SZT17] Shwartz-Ziv & Tishby (2017), the task; docs/claims.md#c46 and docs/choices.md#a23.

    Examples
    --------
    >>> data = load_szt()
    >>> data.X.shape, int(data.y.sum())
    ((4096, 12), 2118)
    """
    if path is None:
        resource = importlib.resources.files("simulate.data").joinpath("var_u.mat")
        with importlib.resources.as_file(resource) as file:
            return _load_verified(Path(file))
    return _load_verified(Path(path))


def _load_verified(path: Path) -> SZTData:
    import scipy.io

    if not path.is_file():
        raise FileNotFoundError(f"SZT data file {str(path)!r} not found (expected var_u.mat, sha256 {SZT_SHA256})")
    checksum = _sha256(path)
    if checksum != SZT_SHA256:
        raise ValueError(
            f"SZT data file {str(path)!r} has sha256 {checksum}, expected {SZT_SHA256}: the file is corrupt or "
            "is not the var_u.mat of ibsgd/IDNNs"
        )
    contents = scipy.io.loadmat(str(path))
    F = np.asarray(contents["F"], dtype=np.float64)
    y = np.asarray(contents["y"], dtype=np.int64).reshape(-1)
    if F.shape != (4096, 12) or y.shape != (4096,):
        raise ValueError(
            f"SZT data file {str(path)!r}: expected F (4096, 12) and y (1, 4096), got {F.shape}, {y.shape}"
        )
    Y = np.stack([y, 1 - y], axis=1).astype(np.float64)
    for array in (F, y, Y):
        array.setflags(write=False)
    return SZTData(X=F, y=y, Y=Y)


def train_test_split(n: int, train_fraction: float, rng: np.random.Generator) -> Split:
    """A seeded random split of ``n`` patterns into a training and a test set.

    The training set has ``round(train_fraction * n)`` patterns (3277 of 4096 at 80 %, as in ibsgd; 1229 at
    30 %, Fig 4C). Unlike IDNNs (which takes the first patterns in binary order, a biased test set) the split is
    a uniformly random permutation (docs/choices.md#a5).

    Parameters
    ----------
    n : int
        Number of patterns, ≥ 2.
    train_fraction : float
        Fraction of patterns in the training set, in (0, 1); both sets must be non-empty.
    rng : numpy.random.Generator
        Source of randomness.

    Returns
    -------
    Split
        Sorted training and test indices.

    Raises
    ------
    ValueError
        If `n` < 2, `train_fraction` is outside (0, 1) or leaves an empty set, or `rng` is not a Generator.

    References
    ----------
    .. [P] Saxe et al. (2018), §3 (30 % of the data in Fig 4C); docs/choices.md#a5.

    Examples
    --------
    >>> split = train_test_split(4096, 0.8, np.random.default_rng(0))
    >>> len(split.train), len(split.test)
    (3277, 819)
    """
    if not isinstance(rng, np.random.Generator):
        raise ValueError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 2:
        raise ValueError(f"n must be an integer ≥ 2, got {n!r}")
    fraction = real_float("train_fraction", train_fraction)
    if not 0.0 < fraction < 1.0:
        raise ValueError(f"train_fraction must lie in (0, 1), got {train_fraction!r}")
    n_train = round(fraction * n)
    if not 0 < n_train < n:
        raise ValueError(f"train_fraction={train_fraction!r} leaves an empty train or test set for n={n}")
    order = rng.permutation(n)
    return Split(train=np.sort(order[:n_train]), test=np.sort(order[n_train:]))
