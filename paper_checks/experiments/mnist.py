"""The MNIST networks of [P] Fig 1C/D and App B.1 (Figs 9–10): 784-1024-20-20-20-10, tanh and ReLU.

One trainer, ``"mnist"``: train the network with plain SGD (batch 128, X/255, Keras' glorot_uniform
initialisation; docs/choices.md#a14, #a15) in float32 and keep it at each logged epoch (a run). :func:`mnist_need`
measures the run as Figs 9–10 do, on the test digits (docs/choices.md#a6): the KDE band of I(X;T) (upper bound with σ²,
lower bound with 4σ², σ² = 0.1), binned I(X;T) with bin size 0.5 and the per-layer gradient SNR over all minibatches
of the epoch and over all training digits (docs/choices.md#a13).

Storage: the 824 k parameters are 3.3 MB per seed and logged epoch in float32, the training precision, so the
stored snapshots are exact: a fast-profile run (14 logged epochs) is 46 MB per seed, a paper-profile run (ibsgd's
213 logged epochs) 0.7 GB per seed.

Sizes (:meth:`MNISTRun.for_profile`):

* ``paper`` (``Profile("paper", mnist="reduced")``, the default; docs/choices.md#r1): the paper's optimiser,
  learning rate and batch (plain SGD, lr 0.001, batch 128; docs/choices.md#a15) on the shipped 10 000-digit subset,
  8 000 training digits and MI on the 2 000 test digits, for :data:`PAPER_REDUCED_EPOCHS` epochs on ibsgd's logging
  schedule, 5 seeds: "paper settings, reduced data and epochs", about an hour of a 2-core machine (measured:
  0.51 CPU-s per seed and epoch, 2.6 CPU-s per seed and logged epoch for the measurements). Its claims say so
  (:attr:`MNISTRun.scope`).
* ``paper`` with ``mnist="full"``: the paper's sizes, full MNIST (60 000 train, MI on the 10 000 test digits),
  10 000 epochs on ibsgd's logging schedule. Full MNIST is not shipped: without it the run stops with a message
  naming ``MNIST_DIR`` (:data:`PAPER_FULL_CPU_HOURS` CPU-hours here, see ``ibtheory reproduce --plan``).
* ``fast`` (CI): 2 000 training digits of the subset, MI on all 2 000 test digits of the subset (the ReLU layers'
  KDE I(X;T) must stay off the log₂N ceiling for "no compression" to be measured, C8), 70 epochs at lr 0.3, 5 seeds,
  14 log-spaced logged epochs, gradient statistics over all 15 minibatches — the learning rate is raised so that
  70 × 16 SGD steps reach the fitting and the saturation phase that the paper's 10 000 × 469 steps at lr 0.001
  reach (lr × steps = 336 vs 4 690); the width stays 1024. Five seeds give the seed-to-seed standard errors of the
  declared compression tests (the paper shows a single run).

References
----------
.. [P] Saxe et al., "On the Information Bottleneck Theory of Deep Learning", ICLR 2018, §2 Fig 1C/D, App B.1.
.. [code] artemyk/ibsgd ``MNIST_SaveActivations.ipynb`` / ``MNIST_ComputeMI.ipynb`` (docs/choices.md#a6, #a14, #a15).
"""

from __future__ import annotations

import itertools
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import xarray as xr

from paper_checks.measurements import KDE, Binning, GradientSNR, register_run_data
from paper_checks.profiles import Profile
from paper_checks.registry import Need, trainer
from simulate.data.mnist import MNISTUnavailableError, load_mnist, one_hot
from simulate.network import Params
from simulate.schedules import ibsgd_logged_epochs, log_spaced_epochs
from simulate.train import TrainingData, train

__all__ = [
    "FULL_MNIST_TRAIN",
    "MNIST_WIDTHS",
    "PAPER_FULL_CPU_HOURS",
    "PAPER_REDUCED_EPOCHS",
    "MNISTRun",
    "glorot_uniform_params",
    "mnist_need",
    "mnist_training_data",
    "resolve_mnist_dir",
    "train_mnist",
]

MNIST_WIDTHS = (784, 1024, 20, 20, 20, 10)
"""[P] App B.1: 784-1024-20-20-20-10 (four hidden layers, softmax output)."""

PAPER_REDUCED_EPOCHS = 1000
"""Epochs of the paper-profile MNIST run on the subset (docs/choices.md#r1): 1 000 × 63 steps of SGD at lr 0.001.

The longest run that fits in about an hour of the 2-core reference machine, from the rates measured in the cost
ledger of the published 300-epoch run: 10 networks (tanh, ReLU × 5 seeds) × (1 000 epochs × 0.51 CPU-s + 82
logged epochs × 2.6 CPU-s of KDE, binning and gradient SNR) ≈ 7 200 CPU-s, an hour of both cores."""

PAPER_FULL_CPU_HOURS = 130.0
"""CPU-hours of the paper-size MNIST runs (``mnist="full"``: tanh and ReLU × 5 seeds, 60 000 training digits,
10 000 epochs, 212 logged epochs measured with KDE on the 10 000 test digits and the gradient SNR) on the 2-core
reference machine, as ``ibtheory reproduce --profile paper --mnist full --plan`` calibrated it on 2 048 digits and
scaled it (training and SNR ∝ digits, KDE ∝ digits²): 105–146 CPU-hours over four plans on a loaded machine,
≈ 13 CPU-hours per network. The plan measures it on your machine."""

FULL_MNIST_TRAIN = 60_000
"""Training digits of full MNIST; a paper-size (``mnist="full"``) run refuses data with fewer."""


@dataclass(frozen=True)
class MNISTRun:
    """One MNIST run (tanh or ReLU), possibly several seeds: the training configuration alone.

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
        Number of test digits on which I(X;T) is measured (docs/choices.md#a6: the test set); None = all.
    learning_rate : float
        Plain SGD step (docs/choices.md#a15: 0.001).
    batch_size : int
        Minibatch size ([P]: 128).
    seeds : tuple of int
        Each seed s trains its own network from ``numpy.random.SeedSequence(s)``.
    widths : tuple of int
        Layer widths (default 784-1024-20-20-20-10).
    dtype : {"float32", "float64"}
        Training precision. float32 (as Keras trained the paper's networks): the stored snapshots are then exact
        (3.3 MB per snapshot of the 824 k parameters), and measurements widen them to float64 without loss.
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
    dtype: str = "float32"
    mnist_dir: str | None = None

    @classmethod
    def for_profile(cls, profile: Profile, activation: str) -> MNISTRun:
        """Sizes for `profile` (see the module docstring for why each number is what it is)."""
        full = profile.name == "paper" and profile.mnist == "full"
        epochs = profile.pick(fast=70, paper=10_000 if full else PAPER_REDUCED_EPOCHS)
        logged = profile.pick(fast=log_spaced_epochs(70, 14), paper=ibsgd_logged_epochs(epochs))
        return cls(
            activation=activation,
            epochs=epochs,
            logged_epochs=tuple(int(e) for e in logged),
            n_train=profile.pick(fast=2000, paper=None if full else 8000),
            n_mi=profile.pick(fast=2000, paper=None if full else 2000),
            learning_rate=profile.pick(fast=0.3, paper=0.001),
            seeds=(0, 1, 2, 3, 4),  # C8's tests need a seed-to-seed standard error from ≥ 5 seeds (paper: one run)
        )

    @property
    def scope(self) -> str | None:
        """What a claim measured on this run stands for, when it is not the paper's own size (None when it is).

        The paper-profile run on the subset is "paper settings, reduced data and epochs"; the report prints this
        beside every verdict that reads it. Fast-profile runs are reduced by definition and say nothing here.
        """
        if self.n_train is None or (self.learning_rate, self.batch_size) != (0.001, 128):
            return None
        return (
            f"MNIST at paper settings, reduced data and epochs: SGD lr 0.001, batch 128, {self.n_train} training "
            f"digits, MI on {self.n_mi}, {self.epochs} epochs (paper: {FULL_MNIST_TRAIN}, 10000, 10000)"
        )

    def calibration(self) -> tuple[MNISTRun, float, dict[str, float], str]:
        """How ``ibtheory reproduce --plan`` prices this run: timed on few digits, scaled by the number of digits.

        ``n_train=None`` / ``n_mi=None`` mean paper-size MNIST (``--mnist full``), the 60 000 training and 10 000
        test digits of the full data set, and are priced as such even where only the 10 000-digit subset is present
        (there the run itself stops and asks for ``MNIST_DIR``). The run is timed on n_c = min(n_train, 2048)
        training digits (16 minibatches of 128: fewer would let the per-epoch overhead, ≈ 0.1 s for 3 seeds, pass
        for work that grows with the digits) and m_c = min(n_mi, 2000) MI digits of the MNIST found here (no
        download), then scaled: training ∝ n_train (⌈n/128⌉ SGD steps per epoch and the losses on every digit),
        the gradient SNR per sample or per minibatch ∝ n_train, KDE ∝ n_mi² (pairwise distances), aKDE ∝ n_mi²,
        binning, EBAB, histograms and Kraskov ∝ n_mi.

        Returns
        -------
        tuple
            The configuration to time, the training scale, the scale of each measurement by name, and a note
            (:class:`paper_checks.workflow.plan.Calibration`).
        """
        import dataclasses

        data = load_mnist(resolve_mnist_dir(self.mnist_dir), download=False)
        n_train = FULL_MNIST_TRAIN if self.n_train is None else int(self.n_train)
        n_mi = 10_000 if self.n_mi is None else int(self.n_mi)
        n_c, m_c = min(n_train, 2048, len(data.y_train)), min(n_mi, 2000, len(data.y_test))
        train, mi = n_train / n_c, n_mi / m_c
        scales = {"gradient_snr": train, "kde": mi**2, "akde": mi**2}
        scales |= dict.fromkeys(("binning", "ebab", "histograms", "kraskov"), mi)
        note = f"priced from {n_c} training and {m_c} MI digits: ×{train:.3g} training and SNR, ×{mi**2:.3g} KDE"
        if self.n_train is None:
            found = len(data.y_train)
            here = "" if found >= n_train else f"; not present here ({found} training digits): the run needs MNIST_DIR"
            note = f"paper-size MNIST ({n_train} training digits × {self.epochs} epochs{here}), {note}"
        return dataclasses.replace(self, n_train=n_c, n_mi=m_c), train, scales, note


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
    """Keras' default initialisation, used by ibsgd's MNIST networks: glorot_uniform kernels, zero biases.

    See docs/choices.md#a14.

    Kernel entries of layer l are uniform on ``±√(6 / (fan_in + fan_out))``; network s draws only from ``rngs[s]``.
    """
    W = [np.empty((len(rngs), a, b)) for a, b in itertools.pairwise(widths)]
    for s, rng in enumerate(rngs):
        for l, (a, b) in enumerate(itertools.pairwise(widths)):
            limit = np.sqrt(6.0 / (a + b))
            W[l][s] = rng.uniform(-limit, limit, size=(a, b))
    return Params(W, [np.zeros((len(rngs), b)) for b in widths[1:]])


def mnist_training_data(config: MNISTRun) -> tuple[TrainingData, str]:
    """The training digits, and the test digits on which I(X;T) is measured, of `config`, with their source.

    See docs/choices.md#a6.
    """
    full = config.n_train is None
    how = (
        f"set MNIST_DIR to a directory holding the four MNIST IDX files (cost: about {PAPER_FULL_CPU_HOURS:g} "
        "CPU-hours on 2 cores, see `ibtheory reproduce --profile paper --mnist full --plan`)"
    )
    try:  # a paper-size run never downloads at run time: it names what to supply instead
        data = load_mnist(resolve_mnist_dir(config.mnist_dir), download=not full)
    except MNISTUnavailableError as err:
        if not full:
            raise
        raise ValueError(f"paper-size MNIST needs full MNIST: {how}; {err}") from None
    if full and len(data.y_train) < FULL_MNIST_TRAIN:
        raise ValueError(
            f"paper-size MNIST (all {FULL_MNIST_TRAIN} training digits) needs full MNIST, but {data.source} has "
            f"{len(data.y_train)}: {how}"
        )
    n_train = len(data.y_train) if config.n_train is None else int(config.n_train)
    n_mi = len(data.y_test) if config.n_mi is None else int(config.n_mi)
    if not (0 < n_train <= len(data.y_train) and 1 < n_mi <= len(data.y_test)):
        raise ValueError(f"n_train={config.n_train} / n_mi={config.n_mi} exceed the available digits ({data.source})")
    X_mi, y_mi = data.X_test[:n_mi], data.y_test[:n_mi]
    training = TrainingData(data.X_train[:n_train], one_hot(data.y_train[:n_train]), X_mi, one_hot(y_mi), X_mi, y_mi)
    return training, data.source


@register_run_data("mnist")
def _run_data(run: xr.Dataset) -> TrainingData:
    n_train, n_mi = int(run.attrs["n_train"]), int(run.attrs["n_mi"])
    mnist_dir = run.attrs.get("mnist_dir") or None
    return mnist_training_data(MNISTRun("tanh", 1, (0, 1), n_train=n_train, n_mi=n_mi, mnist_dir=mnist_dir))[0]


@trainer("mnist", MNISTRun)
def train_mnist(config: MNISTRun) -> xr.Dataset:
    """Train the MNIST network(s) of `config` with plain SGD and keep them at every logged epoch.

    Returns
    -------
    xarray.Dataset
        A run (:func:`simulate.train.train`): ``parameters`` (seed, epoch, parameter; float32), ``train_loss``,
        ``test_loss`` (nats), accuracies, ``weight_norm``. Attributes ``task = "mnist"``, ``n_train``, ``n_mi``,
        ``H_X`` = log₂(number of MI digits), ``data_source``.
    """
    if config.activation not in ("tanh", "relu"):
        raise ValueError(f"activation must be 'tanh' or 'relu' for the MNIST experiment, got {config.activation!r}")
    training, source = mnist_training_data(config)
    streams = [np.random.SeedSequence(s).spawn(3) for s in config.seeds]
    init_rngs, shuffle_rngs = ([np.random.default_rng(st[i]) for st in streams] for i in range(2))
    params = glorot_uniform_params(config.widths, init_rngs)
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
        seeds=config.seeds,
        dtype=config.dtype,
    )
    ds.attrs.update(
        task="mnist",
        H_X=float(np.log2(training.X_mi.shape[0])),
        n_train=int(training.n_train),
        n_mi=int(training.X_mi.shape[0]),
        data_source=source,
    )
    if config.mnist_dir is not None:
        ds.attrs["mnist_dir"] = config.mnist_dir
    return ds


def mnist_need(profile: Profile, activation: str) -> Need:
    """The quantities of [P] Figs 9–10 on the MNIST run of `profile`: KDE (σ² = 0.1), 0.5-wide bins, gradient SNR.

    The gradient SNR (docs/choices.md#a13) is taken at every profile over **all** the SGD minibatches of 128 of
    the epoch (``grad_batch_*``, what Figs 9–10 plot; 15 at the fast profile) and over all training digits
    (``grad_*``, Eqs 26–27), as on SZT.
    """
    run = MNISTRun.for_profile(profile, activation)
    return Need(
        run,
        (
            KDE((0.1,)),
            Binning("fixed_width", width=0.5),
            GradientSNR("sample"),
            GradientSNR("minibatch", batch_size=run.batch_size, prefix="grad_batch", stream=2),
        ),
    )
