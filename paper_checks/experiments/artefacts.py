"""The SZT tanh and ReLU runs of Fig 1A/B measured with the artefact recorders (App B.3, C, D, E, I).

One experiment, ``"szt_artefacts"``: the SZT network 12-10-7-5-4-3-2 in the setting of Fig 1A/B (Adam lr 4e-4,
batch 256, ibsgd's initialisation, a seeded 80/20 split per seed, every measurement on all 4096 patterns; spec
§4 table, A1, A5, A6, A14) trained once per activation, recording at each logged epoch:

* the paper's binning (``I_XT_bin``: 30 bins on [−1, 1] for tanh, 100 min–max bins for ReLU), for reference;
* net-input binning, edges ``tanh(linspace(−50, 50, 30))`` (``I_XT_netinput``; F14, C22, C24; A18);
* machine-precision binning of float32 activity (``I_XT_machine``; F15, C23, C25);
* Kraskov entropy, k = 2 (``H_kraskov``; F12, C19; A22);
* activity histograms and saturation fractions (F16, F17; C15, C16);
* per-layer gradient SNR m_l/s_l over all training samples (``grad_snr``, App I Eqs 26–27, the paper's formal
  definition; F20, C37) and over minibatches of 256 (``grad_batch_snr``, the ibsgd / Figs 9–10 variant; A13),
  and the weight norms (C26).

The per-sample statistic costs one backward pass over the training set per logged epoch
(:class:`simulate.recorders.GradientSignalToNoise` never materialises the per-example gradients).

Sizes (:meth:`ArtefactsConfig.for_profile`) are those of the Fig 1A/B experiment
(:class:`paper_checks.experiments.szt.SZTConfig`): ``paper`` = 50 seeds (Fig 12's repeats), 10 000 epochs on
ibsgd's schedule; ``fast`` = the epochs and logged epochs of the fast Fig 1A/B run with its first 6 seeds (enough
for a seed-to-seed standard error; the artefact recorders cost more per logged epoch than binning) and Kraskov
at every third logged epoch. The fast profile adds a lean saturation variant (tanh, Adam lr 4e-3, histograms
only) for C15; at the paper profile that variant is the Fig 1A/B run itself.

References
----------
.. [P] Saxe et al., "On the Information Bottleneck Theory of Deep Learning", ICLR 2018, App B.3, C, D, E, I.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import xarray as xr

from paper_checks.experiments.szt import SZT_WIDTHS, SZTConfig
from paper_checks.profiles import Profile
from paper_checks.registry import experiment
from simulate.data.szt import DEFAULT_TRAIN_FRACTION, load_szt, train_test_split
from simulate.infoplane import paper_binning
from simulate.mi.discretizers import machine_precision, net_input_edges
from simulate.network import init_params
from simulate.recorders import ActivityHistograms, GradientSignalToNoise, KraskovEntropy, LayerBinnedInformation
from simulate.train import TrainingData, train

__all__ = ["MEASUREMENTS", "SATURATION_LEARNING_RATE", "ArtefactsConfig", "run_szt_artefacts"]

SATURATION_LEARNING_RATE = 4e-3
"""Adam step of the fast saturation variant (ten times A1's 4e-4; see :meth:`ArtefactsConfig.for_profile`)."""

MEASUREMENTS = ("binning", "netinput", "machine", "kraskov", "histograms", "snr")
"""Names of the recorder groups of the experiment (see the module docstring), in recording order."""


@dataclass(frozen=True)
class ArtefactsConfig:
    """One SZT run (tanh or ReLU) measured with the artefact recorders.

    Attributes
    ----------
    activation : str
        ``"tanh"`` (Fig 1A) or ``"relu"`` (Fig 1B).
    epochs : int
        Training epochs.
    logged_epochs : tuple of int
        Epochs at which everything is recorded.
    seeds : tuple of int
        Seed s draws its split, initialisation, minibatch order and SNR minibatches from
        ``numpy.random.SeedSequence(s)``.
    learning_rate : float
        Adam step (A1: 4e-4).
    batch_size : int
        Minibatch size ([P]: 256); also the SNR minibatch size (A13).
    train_fraction : float
        Fraction of the 4096 patterns used for training (A5: 0.8).
    n_net_input_edges : int
        Number of net-input edges (A18: 30).
    kraskov_k : int
        Nearest-neighbour order of the Kraskov estimator ([P] App B.3: 2).
    kraskov_every : int
        Kraskov H(T) is measured at every `kraskov_every`-th logged epoch and the last (NaN elsewhere).
    snr_max_batches : int or None
        Cap on the number of minibatches in the per-minibatch gradient statistics (None: all, 12 for 3277
        patterns). The per-sample statistics always use every training sample.
    measurements : tuple of str
        Which recorders to run, a subset of :data:`MEASUREMENTS` (default all); a lean run (e.g. only
        ``("histograms",)``) costs a fraction of the full one.
    """

    activation: str
    epochs: int
    logged_epochs: tuple[int, ...]
    seeds: tuple[int, ...]
    learning_rate: float = 4e-4
    batch_size: int = 256
    train_fraction: float = DEFAULT_TRAIN_FRACTION
    n_net_input_edges: int = 30
    kraskov_k: int = 2
    kraskov_every: int = 1
    snr_max_batches: int | None = None
    measurements: tuple[str, ...] = MEASUREMENTS

    @classmethod
    def for_profile(cls, profile: Profile, activation: str, variant: str = "fig1") -> ArtefactsConfig:
        """The Fig 1A/B run of `profile`, or its saturation variant.

        ``variant="fig1"``: seeds, epochs, logged epochs, optimiser and split are those of
        :meth:`paper_checks.experiments.szt.SZTConfig.for_profile`, so that each seed trains exactly the
        network of Fig 1A/B (at the fast profile only its first 6 seeds).

        ``variant="saturation"`` (C15, Fig 16): at the paper profile the very same run. At the fast profile the
        600 epochs at Adam's lr 4e-4 stop before the late, saturated regime (lr × epochs = 0.24 against the
        paper's 4), so this variant raises the step tenfold to lr 4e-3 (lr × epochs = 2.4, as the MNIST fast
        profile raises SGD's step for the same reason) and records only the activity histograms (a lean run).
        """
        if variant not in ("fig1", "saturation"):
            raise ValueError(f"variant must be 'fig1' or 'saturation', got {variant!r}")
        szt = SZTConfig.for_profile(profile, activation, "F1")
        if variant == "saturation" and profile.pick(fast=True, paper=False):
            fast = cls.for_profile(profile, activation)
            return replace(fast, learning_rate=SATURATION_LEARNING_RATE, measurements=("histograms",))
        return cls(
            activation=activation,
            epochs=szt.epochs,
            logged_epochs=szt.logged_epochs,
            seeds=szt.seeds[: profile.pick(fast=6, paper=len(szt.seeds))],
            learning_rate=szt.learning_rate,
            batch_size=szt.batch_size,
            train_fraction=szt.train_fraction,
            kraskov_every=profile.pick(fast=3, paper=1),
        )


@experiment("szt_artefacts")
def run_szt_artefacts(config: ArtefactsConfig) -> xr.Dataset:
    """Train the SZT networks of `config` and record the artefact measurements (see the module docstring).

    Returns
    -------
    xarray.Dataset
        Dims (seed, epoch, layer[, bin]); layer 1–5 hidden, 6 the softmax output. Information in bits
        (``I_XT_bin``, ``I_XT_netinput``, ``I_XT_machine``, ``H_kraskov`` and the ``I_TY_*``), losses in nats;
        gradient statistics per sample (``grad_mean_norm``, ``grad_std_norm``, ``grad_snr``) and per minibatch
        (``grad_batch_mean_norm``, ``grad_batch_std_norm``, ``grad_batch_snr``). Only the variables of
        ``config.measurements`` (and the trainer's losses, accuracies and weight norms) are present.
    """
    if config.activation not in ("tanh", "relu"):
        raise ValueError(f"activation must be 'tanh' or 'relu', got {config.activation!r}")
    unknown = set(config.measurements) - set(MEASUREMENTS)
    if unknown or not config.measurements:
        raise ValueError(f"measurements must be a non-empty subset of {MEASUREMENTS}, got {config.measurements!r}")
    szt = load_szt()
    # The first three streams are those of the Fig 1A/B experiment (split, init, minibatch order), so each seed
    # trains the very same network; the fourth draws the SNR minibatches, the fifth the (unused) order of the
    # per-sample statistics over all samples. spawn(5)[:4] equals spawn(4): adding a stream changed no run.
    streams = [np.random.SeedSequence(s).spawn(5) for s in config.seeds]
    split_rngs, init_rngs, shuffle_rngs, snr_rngs, sample_rngs = (
        [np.random.default_rng(st[i]) for st in streams] for i in range(5)
    )
    splits = [train_test_split(szt.n_patterns, config.train_fraction, rng) for rng in split_rngs]
    data = TrainingData(
        np.stack([szt.X[s.train] for s in splits]),
        np.stack([szt.Y[s.train] for s in splits]),
        np.stack([szt.X[s.test] for s in splits]),
        np.stack([szt.Y[s.test] for s in splits]),
        szt.X,
        szt.y,
    )
    logged = config.logged_epochs
    kraskov_epochs = {e for i, e in enumerate(logged) if i % config.kraskov_every == 0} | {logged[-1]}
    groups = {
        "binning": [paper_binning(config.activation)],
        "netinput": [LayerBinnedInformation(net_input_edges(config.n_net_input_edges), "netinput")],
        "machine": [LayerBinnedInformation(machine_precision(), "machine", dtype=np.float32)],
        "kraskov": [KraskovEntropy(k=config.kraskov_k, at_epochs=kraskov_epochs)],
        "histograms": [ActivityHistograms()],
        "snr": [
            GradientSignalToNoise(sample_rngs, 1, mode="sample"),
            GradientSignalToNoise(snr_rngs, config.batch_size, max_groups=config.snr_max_batches, prefix="grad_batch"),
        ],
    }
    recorders = [r for name in MEASUREMENTS if name in config.measurements for r in groups[name]]
    ds = train(
        init_params(SZT_WIDTHS, init_rngs),
        config.activation,
        data,
        shuffle_rngs,
        epochs=config.epochs,
        logged_epochs=config.logged_epochs,
        batch_size=config.batch_size,
        optimizer="adam",
        learning_rate=config.learning_rate,
        recorders=recorders,
        seeds=config.seeds,
    )
    ds.attrs.update(H_X=float(np.log2(szt.n_patterns)))
    return ds
