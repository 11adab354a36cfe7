"""The SZT-network experiments: information planes of 12-10-7-5-4-3-2 networks on the SZT task.

One experiment, ``szt_infoplane``, covers every nonlinear SZT figure of the paper; its configuration says which
(:meth:`SZTConfig.for_profile`): Fig 1A/B and Fig 7 (tanh / ReLU, Adam, batch 256, binning), Fig 4C/D (tanh on
30 % of the data), Fig 5 (offline SGD with batch 1 vs full-batch GD) and Fig 8 (KDE with tanh, ReLU, softsign,
softplus). Each seed s draws its train/test split, its initial weights and its minibatch order from three
generators spawned from ``SeedSequence(s)``, so a seed's result does not depend on which other seeds ran with it.

References
----------
.. [P] Saxe et al., "On the Information Bottleneck Theory of Deep Learning", ICLR 2018, §2 (Fig 1), §3 (Fig 4C/D),
   §4 (Fig 5), App A (Fig 7), App B (Fig 8); spec §4 table, A1–A7, A12, A14, A16, A17.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import xarray as xr

from paper_checks.profiles import Profile
from paper_checks.registry import experiment
from simulate.data.szt import DEFAULT_TRAIN_FRACTION, load_szt, train_test_split
from simulate.infoplane import KDEInformation, paper_binning
from simulate.network import init_params
from simulate.schedules import ibsgd_logged_epochs, log_spaced_epochs
from simulate.train import TrainingData, train

__all__ = ["F8_FAST_LOGGED_EPOCHS", "SZT_VARIANTS", "SZT_WIDTHS", "SZTConfig", "run_szt_infoplane"]

SZT_WIDTHS = (12, 10, 7, 5, 4, 3, 2)
"""The SZT architecture 12-10-7-5-4-3-2 ([P] §2; spec A24)."""

SZT_VARIANTS = ("F1", "F4C", "F5-SGD", "F5-BGD", "F8")
"""Which figure's setting a configuration reproduces (see :meth:`SZTConfig.for_profile`)."""

F8_FAST_LOGGED_EPOCHS = (0, 1, 4, 7, 14, 21, 35, 52, 70, 105, 140, 210, 280, 420, 700)
"""Logged epochs of the fast Fig 8 run (700 epochs); KDE at every 3rd and the last: 0, 7, 35, 105, 280, 700."""


@dataclass(frozen=True)
class SZTConfig:
    """Configuration of one SZT information-plane experiment (all fields hashable).

    Attributes
    ----------
    activation : str
        Hidden nonlinearity: ``"tanh"``, ``"relu"``, ``"softsign"``, ``"softplus"`` (or ``"linear"``).
    seeds : tuple of int
        Repetitions; each is an independent split, initialisation and minibatch order.
    epochs : int
        Training epochs.
    logged_epochs : tuple of int
        Epochs at which binned information, losses and weight norms are recorded.
    batch_size : int or None
        Minibatch size; 1 = offline SGD, None = the whole training set (BGD).
    optimizer : str
        ``"adam"`` (default, A1) or ``"sgd"``.
    learning_rate : float
        Step size (4e-4, A1).
    train_fraction : float
        Fraction of the 4096 patterns used for training (0.8, A5; 0.3 for Fig 4C).
    binning : bool
        Record the paper's binning (30 bins on [−1, 1] for saturating units, 100 min–max bins otherwise).
    kde_variances : tuple of float
        Noise variances of the KDE estimates (empty: no KDE).
    kde_every : int
        KDE is computed at every `kde_every`-th logged epoch (and the last); elsewhere its variables are NaN.
    init : str
        ``"ibsgd"`` or ``"idnns"`` (A14).
    dtype : str
        Training precision, ``"float64"`` or ``"float32"`` (as TensorFlow trained the paper's networks).
    """

    activation: str = "tanh"
    seeds: tuple[int, ...] = tuple(range(50))
    epochs: int = 10_000
    logged_epochs: tuple[int, ...] = ibsgd_logged_epochs(10_000)
    batch_size: int | None = 256
    optimizer: str = "adam"
    learning_rate: float = 4e-4
    train_fraction: float = DEFAULT_TRAIN_FRACTION
    binning: bool = True
    kde_variances: tuple[float, ...] = ()
    kde_every: int = 1
    init: str = "ibsgd"
    dtype: str = "float64"

    @classmethod
    def for_profile(cls, profile: Profile, activation: str = "tanh", variant: str = "F1") -> SZTConfig:
        """The configuration of a paper figure at a run profile.

        Paper profile: the paper's sizes — 50 seeds (A16), 10 000 epochs (colour bars of Fig 1), ibsgd's logged
        epochs, Adam 4e-4, batch 256, all 4096 patterns for MI, float32 training arithmetic (as TensorFlow;
        measurements in float64). Fig 5 (A12, lr and length not stated): BGD runs 10 000 epochs (10 000 Adam
        steps); offline SGD runs 100 epochs (327 700 single-example steps, 33× more updates than BGD: one SGD-1
        epoch costs as much as 3277 BGD epochs, so equal epochs would be infeasible). KDE (Fig 8) with the
        paper's σ² = 0.1 at every 4th of ibsgd's 212 logged epochs (54 epochs): KDE on 4096 patterns is ~90 % of
        the reproduction time (``tests/benchmarks/test_bench_szt.py``), and Fig 8 needs no denser sampling.
        ibsgd's σ² = 1e-3 (A7) doubles the KDE cost; add it with ``replace(config, kde_variances=(0.1, 1e-3))``.

        Fast profile (the default test run; ≈ 150 s of CPU for F1–F5 and ≈ 110 s for the four F8 runs), chosen
        from exploratory runs so that each fast-profile claim holds with a margin (README section "nonlinear"):

        * F1/F7 and F4C: 12 seeds, 600 epochs, 22 log-spaced logged epochs, binning only. The tanh layer-5 peak is
          near epoch 30 and its I(X;T) has fallen by > 1.5 bits by epoch 400. Training cost is dominated by
          per-step overhead, so 12 seeds cost little more than 5, and they shrink the seed-to-seed standard error
          of the drop (≈ 0.76 bits with 5 seeds) that sets δ.
        * F8 (KDE, σ² = 0.1, all 4096 patterns): 8 seeds, 700 epochs at a **15× larger Adam step, 6e-3** (as the
          MNIST fast profile uses a larger SGD step, for the same reason): KDE compression of tanh is a late,
          saturation-phase effect, and at 4e-4 even 5 seeds × 1500 epochs leave tanh layer 5 short of it (drop
          0.15 ± 0.16 bits; 6 seeds × 5000 epochs: 0.38 ± 0.21). lr × steps = 6e-3 × 9100 = 55 is close to the
          paper's 4e-4 × 130 000 = 52, and the weights reach the saturated regime: in exploratory 12-seed runs
          tanh layer 5's KDE I(X;T) peaks near epoch 105 and falls by 0.47 bits (δ = 0.15) by epoch 700, while
          ReLU and softplus hidden layers still rise (4e-3 × 1000 epochs: drop 0.45, δ = 0.24; 8e-3 × 500:
          0.33, δ = 0.20). Training costs ≈ 2.5 s of CPU per 100 epochs (per-step overhead: 8 seeds cost about
          what 1 does) and KDE ≈ 0.045 s per layer, seed and epoch, so KDE is taken at 6 of the 15 logged
          epochs (every 3rd and the last: 0, 7, 35, 105, 280, 700); ≈ 30 s of CPU per activation. At this step
          size a ReLU network occasionally dies (seed 11 of 12 ends with test accuracy 0.52; not among seeds
          0–7); such runs would be kept as ReLU's behaviour, not filtered.
        * F5-BGD: 8 seeds, 1000 epochs on ibsgd's logging schedule (one Adam step per epoch; the tanh peak is
          near epoch 250–450 and layer 5 has lost > 2 bits by epoch 800).
        * F5-SGD: 4 seeds, 12 epochs of batch 1 (39 000 updates); per-step overhead makes batch 1 the costliest
          variant per epoch.

        Parameters
        ----------
        profile : Profile
            ``FAST`` or ``PAPER``.
        activation : str
            Hidden nonlinearity.
        variant : {"F1", "F4C", "F5-SGD", "F5-BGD", "F8"}
            The figure whose setting to reproduce (F1 also serves F7; F8 adds KDE to F1).

        Returns
        -------
        SZTConfig

        Raises
        ------
        ValueError
            If `variant` is unknown.
        """
        if variant not in SZT_VARIANTS:
            raise ValueError(f"variant must be one of {SZT_VARIANTS}, got {variant!r}")
        epochs = profile.pick(fast=600, paper=10_000)
        base = cls(
            activation=activation,
            seeds=tuple(range(profile.pick(fast=12, paper=50))),
            epochs=epochs,
            logged_epochs=profile.pick(fast=log_spaced_epochs(epochs, 22), paper=ibsgd_logged_epochs(epochs)),
            kde_variances=profile.pick(fast=(), paper=(0.1,)),
            kde_every=profile.pick(fast=1, paper=4),
            dtype=profile.pick(fast="float64", paper="float32"),
        )
        if variant == "F4C":
            return replace(base, train_fraction=0.3, kde_variances=(), kde_every=1)
        if variant == "F8":
            e = profile.pick(fast=F8_FAST_LOGGED_EPOCHS[-1], paper=epochs)
            logged = profile.pick(fast=F8_FAST_LOGGED_EPOCHS, paper=base.logged_epochs)
            return replace(
                base,
                seeds=base.seeds[: profile.pick(fast=8, paper=50)],
                epochs=e,
                logged_epochs=logged,
                learning_rate=profile.pick(fast=6e-3, paper=base.learning_rate),
                kde_variances=(0.1,),
                kde_every=profile.pick(fast=3, paper=4),
            )
        if variant == "F5-BGD":
            e = profile.pick(fast=1000, paper=10_000)
            logged = ibsgd_logged_epochs(e)  # dense late logging: the BGD peak is late (epoch ≈ 250–450)
            seeds = base.seeds[: profile.pick(fast=8, paper=50)]
            return replace(
                base, seeds=seeds, batch_size=None, epochs=e, logged_epochs=logged, kde_variances=(), kde_every=1
            )
        if variant == "F5-SGD":
            e = profile.pick(fast=12, paper=100)
            return replace(
                base,
                seeds=base.seeds[: profile.pick(fast=4, paper=50)],
                batch_size=1,
                epochs=e,
                logged_epochs=tuple(range(e + 1)) if e <= 20 else log_spaced_epochs(e, 40),
                kde_variances=(),
                kde_every=1,
            )
        return base  # at the paper profile F1 and F8 share one run: binning and KDE are recorded together


def _seed_generators(seed: int) -> tuple[np.random.Generator, np.random.Generator, np.random.Generator]:
    split, init, order = np.random.SeedSequence(seed).spawn(3)
    return np.random.default_rng(split), np.random.default_rng(init), np.random.default_rng(order)


class _EveryKth(KDEInformation):
    """KDE at every k-th logged epoch and the last; NaN elsewhere (keeps the Dataset rectangular)."""

    def __init__(self, noise_variances: tuple[float, ...], every: int, logged: tuple[int, ...]) -> None:
        super().__init__(noise_variances)
        self.measured = {e for i, e in enumerate(logged) if i % every == 0} | {logged[-1]}

    def record(self, state):
        out = super().record(state) if state.epoch in self.measured else None
        if out is not None:
            return out
        S, L, V = state.params.n_seeds, len(state.params.W), len(self.noise_variances)
        nan = np.full((S, L, V), np.nan)
        coords = {"noise_variance": np.asarray(self.noise_variances)}
        dims = ("seed", "layer", "noise_variance")
        return {
            f"I_{q}_{b}_kde": xr.DataArray(nan, dims=dims, coords=coords)
            for q in ("XT", "TY")
            for b in ("upper", "lower")
        }


@experiment("szt_infoplane")
def run_szt_infoplane(config: SZTConfig) -> xr.Dataset:
    """Train the SZT network for each seed and record its information plane.

    Parameters
    ----------
    config : SZTConfig
        What to run (see :meth:`SZTConfig.for_profile`).

    Returns
    -------
    xarray.Dataset
        Dims (seed, epoch, layer[, noise_variance]). Variables: ``I_XT_bin``, ``I_TY_bin`` (bits; plus
        ``bin_low_bin``/``bin_high_bin`` for min–max binning), ``I_XT_upper_kde`` … (bits, if KDE),
        ``train_loss``/``test_loss`` (nats), ``train_accuracy``/``test_accuracy``, ``weight_norm``.

    References
    ----------
    .. [P] Saxe et al. (2018), Figs 1A/B, 4C/D, 5, 7, 8.
    """
    data = load_szt()
    generators = [_seed_generators(s) for s in config.seeds]
    splits = [train_test_split(data.n_patterns, config.train_fraction, g[0]) for g in generators]
    train_idx = np.stack([s.train for s in splits])
    test_idx = np.stack([s.test for s in splits])
    training_data = TrainingData(
        X_train=data.X[train_idx],
        Y_train=data.Y[train_idx],
        X_test=data.X[test_idx],
        Y_test=data.Y[test_idx],
        X_mi=data.X,
        y_mi=data.y,
    )
    params = init_params(SZT_WIDTHS, [g[1] for g in generators], scheme=config.init)
    recorders = []
    if config.binning:
        recorders.append(paper_binning(config.activation))
    if config.kde_variances:
        recorders.append(_EveryKth(config.kde_variances, config.kde_every, config.logged_epochs))
    batch_size = training_data.n_train if config.batch_size is None else config.batch_size
    result = train(
        params,
        config.activation,
        training_data,
        [g[2] for g in generators],
        epochs=config.epochs,
        logged_epochs=config.logged_epochs,
        batch_size=batch_size,
        optimizer=config.optimizer,
        learning_rate=config.learning_rate,
        recorders=recorders,
        seeds=config.seeds,
        dtype=config.dtype,
    )
    result.attrs.update(train_fraction=float(config.train_fraction), init=config.init, experiment="szt_infoplane")
    return result
