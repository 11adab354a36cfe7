"""The MNIST networks of [P] Fig 1C/D and App B.1 (Figs 9–10): 784-1024-20-20-20-10, tanh and ReLU.

One experiment, ``"mnist"``: train the network with plain SGD (batch 128, X/255, Keras' glorot_uniform
initialisation; spec A14, A15) and record at each logged epoch, on the test digits (A6): the KDE band of I(X;T)
(upper bound with σ², lower bound with 4σ², σ² = 0.1), binned I(X;T) with bin size 0.5, train/test loss, the
per-layer gradient SNR over minibatches (A13) and the weight norms.

Sizes (:meth:`MNISTConfig.for_profile`):

* ``paper``: full MNIST (60 000 train, MI on the 10 000 test digits) when its files are available (else the
  10 000-digit subset, split 8 000/2 000), lr 0.001, 10 000 epochs on ibsgd's logging schedule (A15).
* ``fast`` (CI): 2 000 training digits of the subset, MI on 1 000 test digits, 70 epochs at lr 0.3, 2 seeds,
  14 log-spaced logged epochs, gradient statistics over 6 minibatches — the learning rate is raised so that
  70 × 16 SGD steps reach the fitting and the saturation phase that the paper's 10 000 × 469 steps at lr 0.001
  reach (lr × steps = 336 vs 4 690); the width stays 1024. Two seeds give the seed-to-seed standard error that the
  compression test needs (the paper shows a single run). These sizes keep both networks within ≈ 75 s of CPU.

References
----------
.. [P] Saxe et al., "On the Information Bottleneck Theory of Deep Learning", ICLR 2018, §2 Fig 1C/D, App B.1.
.. [code] artemyk/ibsgd ``MNIST_SaveActivations.ipynb`` / ``MNIST_ComputeMI.ipynb`` (spec A6, A14, A15).
"""

from __future__ import annotations

import itertools
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import xarray as xr

from paper_checks.profiles import Profile
from paper_checks.registry import experiment
from simulate.data.mnist import load_mnist, one_hot
from simulate.infoplane import BinnedInformation, KDEInformation
from simulate.mi.discretizers import fixed_width
from simulate.network import Params
from simulate.recorders import GradientSignalToNoise
from simulate.schedules import ibsgd_logged_epochs, log_spaced_epochs
from simulate.train import TrainingData, train

__all__ = ["MNIST_WIDTHS", "MNISTConfig", "glorot_uniform_params", "resolve_mnist_dir", "run_mnist"]

MNIST_WIDTHS = (784, 1024, 20, 20, 20, 10)
"""[P] App B.1: 784-1024-20-20-20-10 (four hidden layers, softmax output)."""


@dataclass(frozen=True)
class MNISTConfig:
    """One MNIST run (tanh or ReLU), possibly several seeds.

    Attributes
    ----------
    activation : str
        ``"tanh"`` (Fig 9, 1C) or ``"relu"`` (Fig 10, 1D).
    epochs : int
        Training epochs.
    logged_epochs : tuple of int
        Epochs at which everything is recorded.
    n_train : int or None
        Number of training digits used (the first ones of the training split); None = all.
    n_mi : int or None
        Number of test digits on which I(X;T) is measured (A6: the test set); None = all.
    learning_rate : float
        Plain SGD step (A15: 0.001).
    batch_size : int
        Minibatch size ([P]: 128).
    seeds : tuple of int
        Each seed s trains its own network from ``numpy.random.SeedSequence(s)``.
    widths : tuple of int
        Layer widths (default 784-1024-20-20-20-10).
    kde_variance : float
        σ² of the KDE bounds ([P] App B.1: 0.1; the lower bound uses 4σ²).
    bin_size : float
        Width of the fixed bins ([P] Fig 9 row 3: 0.5).
    snr_max_batches : int or None
        Cap on the number of minibatches in the gradient statistics per logged epoch (None = all).
    mnist_dir : str or None
        Directory of the IDX files (None: ``MNIST_DIR``, cache or download, see :func:`simulate.data.mnist.load_mnist`).
    """

    activation: str
    epochs: int
    logged_epochs: tuple[int, ...]
    n_train: int | None = None
    n_mi: int | None = None
    learning_rate: float = 0.001
    batch_size: int = 128
    seeds: tuple[int, ...] = (0,)
    widths: tuple[int, ...] = MNIST_WIDTHS
    kde_variance: float = 0.1
    bin_size: float = 0.5
    snr_max_batches: int | None = None
    mnist_dir: str | None = None

    @classmethod
    def for_profile(cls, profile: Profile, activation: str) -> MNISTConfig:
        """Sizes for `profile` (see the module docstring for why each number is what it is)."""
        epochs = profile.pick(fast=70, paper=10_000)
        logged = profile.pick(fast=log_spaced_epochs(70, 14), paper=ibsgd_logged_epochs(10_000))
        return cls(
            activation=activation,
            epochs=epochs,
            logged_epochs=tuple(int(e) for e in logged),
            n_train=profile.pick(fast=2000, paper=None),
            n_mi=profile.pick(fast=1000, paper=None),
            learning_rate=profile.pick(fast=0.3, paper=0.001),
            seeds=(0, 1),  # the compression test needs a seed-to-seed standard error (paper: a single run)
            snr_max_batches=profile.pick(fast=6, paper=None),
        )


def resolve_mnist_dir(mnist_dir: str | None = None) -> str | None:
    """Directory of the MNIST files to use.

    `mnist_dir`, else ``MNIST_DIR``, else the shared ``../shared/data/mnist`` beside the repository (the
    10 000-digit subset used by CI), else None (the user cache, downloading once).
    """
    if mnist_dir is not None:
        return mnist_dir
    if os.environ.get("MNIST_DIR"):
        return os.environ["MNIST_DIR"]
    shared = Path(__file__).resolve().parents[3] / "shared" / "data" / "mnist"
    return str(shared) if shared.is_dir() else None


def glorot_uniform_params(widths: tuple[int, ...], rngs: list[np.random.Generator]) -> Params:
    """Keras' default initialisation, used by ibsgd's MNIST networks (spec A14): glorot_uniform kernels, zero biases.

    Kernel entries of layer l are uniform on ``±√(6 / (fan_in + fan_out))``; network s draws only from ``rngs[s]``.
    """
    W = [np.empty((len(rngs), a, b)) for a, b in itertools.pairwise(widths)]
    for s, rng in enumerate(rngs):
        for l, (a, b) in enumerate(itertools.pairwise(widths)):
            limit = np.sqrt(6.0 / (a + b))
            W[l][s] = rng.uniform(-limit, limit, size=(a, b))
    return Params(W, [np.zeros((len(rngs), b)) for b in widths[1:]])


@experiment("mnist")
def run_mnist(config: MNISTConfig) -> xr.Dataset:
    """Train the MNIST network(s) of `config` and record the quantities of [P] Figs 9–10.

    Returns
    -------
    xarray.Dataset
        Dims (seed, epoch, layer): ``train_loss``, ``test_loss`` (nats), accuracies, ``weight_norm``,
        ``I_XT_upper_kde`` / ``I_XT_lower_kde`` (bits; noise σ², bound with 4σ²), ``I_TY_upper_kde``,
        ``I_TY_lower_kde``, ``I_XT_bin`` / ``I_TY_bin`` (bits, bin 0.5),
        ``grad_mean_norm``, ``grad_std_norm``, ``grad_snr``. Attribute ``H_X`` = log₂(number of MI digits).
    """
    if config.activation not in ("tanh", "relu"):
        raise ValueError(f"activation must be 'tanh' or 'relu' for the MNIST experiment, got {config.activation!r}")
    data = load_mnist(resolve_mnist_dir(config.mnist_dir))
    n_train = len(data.y_train) if config.n_train is None else int(config.n_train)
    n_mi = len(data.y_test) if config.n_mi is None else int(config.n_mi)
    if not (0 < n_train <= len(data.y_train) and 1 < n_mi <= len(data.y_test)):
        raise ValueError(f"n_train={config.n_train} / n_mi={config.n_mi} exceed the available digits ({data.source})")
    X_mi, y_mi = data.X_test[:n_mi], data.y_test[:n_mi]
    training = TrainingData(data.X_train[:n_train], one_hot(data.y_train[:n_train]), X_mi, one_hot(y_mi), X_mi, y_mi)
    streams = [np.random.SeedSequence(s).spawn(3) for s in config.seeds]
    init_rngs, shuffle_rngs, snr_rngs = ([np.random.default_rng(st[i]) for st in streams] for i in range(3))
    params = glorot_uniform_params(config.widths, init_rngs)
    recorders = [
        KDEInformation((config.kde_variance,), suffix="kde"),
        BinnedInformation(fixed_width(config.bin_size), suffix="bin"),
        GradientSignalToNoise(snr_rngs, config.batch_size, max_groups=config.snr_max_batches),
    ]
    ds = train(
        params,
        config.activation,
        training,
        shuffle_rngs,
        epochs=config.epochs,
        logged_epochs=config.logged_epochs,
        batch_size=config.batch_size,
        optimizer="sgd",
        learning_rate=config.learning_rate,
        recorders=recorders,
        seeds=config.seeds,
    )
    ds = ds.isel(noise_variance=0, drop=True)
    ds.attrs.update(
        kde_variance=float(config.kde_variance),
        H_X=float(np.log2(n_mi)),
        n_train=n_train,
        n_mi=n_mi,
        data_source=data.source,
    )
    return ds
