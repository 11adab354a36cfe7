"""The SZT-network runs: 12-10-7-5-4-3-2 networks trained on the SZT task (one trainer, ``"szt"``).

A run (:class:`SZTRun`) is one training configuration over several seeds; its result keeps every seed's network
at every logged epoch (:func:`train_szt`), and every estimator of the paper is a measurement of it
(:mod:`paper_checks.measurements`). :meth:`SZTRun.for_profile` gives the run of each nonlinear SZT figure: Fig 1A/B
and Fig 7 (tanh / ReLU, Adam, batch 256), Fig 4C/D (tanh on 30 % of the data), Fig 5 (offline SGD with batch 1
and full-batch GD), Fig 8 (tanh, ReLU, softsign, softplus, measured with KDE), the saturation run of C15 and the
L2-regularised twin of Fig 1A/B's run (claim C50, after [CHO19]). At the
paper profile Fig 1A/B, Fig 7, Fig 8 (tanh, ReLU), the artefact figures (F12, F14–F17, F20) and C15 all measure
the very same networks. Each seed s draws its train/test split, its initial weights and its minibatch order from
three generators spawned from ``SeedSequence(s)``, so a seed's run does not depend on which other seeds ran with
it (the store keeps runs per seed).

References
----------
.. [P] Saxe et al., "On the Information Bottleneck Theory of Deep Learning", ICLR 2018, §2 (Fig 1), §3 (Fig 4C/D),
   §4 (Fig 5), App A (Fig 7), App B (Fig 8), App E (Fig 16); docs/figures.md#szt-setting, docs/choices.md#a1–#a7, #a12,
   #a14, #a16, #a17.
.. [CHO19] Chelombiev, Houghton & O'Donnell, "Adaptive estimators show information compression in deep neural
   networks", ICLR 2019, arXiv:1902.09037 (the L2-regularised run, docs/choices.md#e6).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import xarray as xr

from paper_checks.measurements import KDE, Binning, GradientSNR, Histograms, Kraskov, every_kth, register_run_data
from paper_checks.profiles import Profile
from paper_checks.registry import Need, trainer
from simulate.data.szt import DEFAULT_TRAIN_FRACTION, load_szt, train_test_split
from simulate.network import init_params
from simulate.schedules import ibsgd_logged_epochs, log_spaced_epochs
from simulate.train import TrainingData, train

__all__ = [
    "F8_FAST_LOGGED_EPOCHS",
    "L2_PENALTY",
    "SATURATION_LEARNING_RATE",
    "SZT_VARIANTS",
    "SZT_WIDTHS",
    "SZTRun",
    "artefacts_need",
    "fig8_kde",
    "infoplane_need",
    "saturation_need",
    "szt_needs",
    "szt_training_data",
    "train_szt",
]

SZT_WIDTHS = (12, 10, 7, 5, 4, 3, 2)
"""The SZT architecture 12-10-7-5-4-3-2 ([P] §2; docs/choices.md#a24)."""

SZT_VARIANTS = ("F1", "F4C", "F5-SGD", "F5-BGD", "F8", "saturation", "L2")
"""Which figure's setting a run reproduces (see :meth:`SZTRun.for_profile`)."""

SATURATION_LEARNING_RATE = 4e-3
"""Adam step of the fast saturation run (ten times docs/choices.md#a1's 4e-4; see :meth:`SZTRun.for_profile`)."""

L2_PENALTY = 1e-3
"""L2 penalty λ of the regularised run ([CHO19]'s L2 experiment; the value is this workbench's, docs/choices.md#e6):
the loss is the cross-entropy + λ·Σ‖W‖² over the kernels, Keras' ``l2(λ)`` convention."""

F8_FAST_LOGGED_EPOCHS = (0, 1, 4, 7, 14, 21, 35, 52, 70, 105, 140, 210, 280, 420, 700)
"""Logged epochs of the fast Fig 8 run (700 epochs); KDE at every 3rd and the last: 0, 7, 35, 105, 280, 700."""


@dataclass(frozen=True)
class SZTRun:
    """Training configuration of one SZT run (all fields hashable); the run's key is made of these fields alone.

    Attributes
    ----------
    activation : str
        Hidden nonlinearity: ``"tanh"``, ``"relu"``, ``"softsign"``, ``"softplus"`` (or ``"linear"``).
    seeds : tuple of int
        Repetitions; each is an independent split, initialisation and minibatch order.
    epochs : int
        Training epochs.
    logged_epochs : tuple of int
        Epochs at which the networks are stored (with their losses, accuracies and weight norms).
    batch_size : int or None
        Minibatch size; 1 = offline SGD, None = the whole training set (BGD).
    optimizer : str
        ``"adam"`` (default, docs/choices.md#a1) or ``"sgd"``.
    learning_rate : float
        Step size (4e-4, docs/choices.md#a1).
    train_fraction : float
        Fraction of the 4096 patterns used for training (0.8, docs/choices.md#a5; 0.3 for Fig 4C).
    init : str
        ``"ibsgd"`` or ``"idnns"`` (docs/choices.md#a14).
    dtype : str
        Training precision, ``"float64"`` or ``"float32"`` (as TensorFlow trained the paper's networks).
    l2 : float
        L2 penalty λ on the kernels (0: none, as in every figure of [P]; :data:`L2_PENALTY` for ``"L2"``).
    """

    activation: str = "tanh"
    seeds: tuple[int, ...] = tuple(range(50))
    epochs: int = 10_000
    logged_epochs: tuple[int, ...] = ibsgd_logged_epochs(10_000)
    batch_size: int | None = 256
    optimizer: str = "adam"
    learning_rate: float = 4e-4
    train_fraction: float = DEFAULT_TRAIN_FRACTION
    init: str = "ibsgd"
    dtype: str = "float64"
    l2: float = 0.0

    @classmethod
    def for_profile(cls, profile: Profile, activation: str = "tanh", variant: str = "F1") -> SZTRun:
        """The run of a paper figure at a run profile.

        Paper profile: the paper's sizes — 50 seeds (docs/choices.md#a16), 10 000 epochs (colour bars of Fig 1), ibsgd's
        logged epochs, Adam 4e-4, batch 256, all 4096 patterns for MI, float32 training arithmetic (as TensorFlow;
        measurements in float64). Fig 5 (docs/choices.md#a12, lr and length not stated): BGD runs 10 000 epochs (10 000
        Adam steps); offline SGD runs 100 epochs (327 700 single-example steps, 33× more updates than BGD: one SGD-1
        epoch costs as much as 3277 BGD epochs, so equal epochs would be infeasible). Fig 8 (KDE) and the
        saturation run of C15 are the Fig 1A/B run itself (``variant="F8"``/``"saturation"`` return it): the
        KDE measurement (:data:`paper_checks.measurements.FIG8_KDE`) is taken at every 4th logged epoch.

        Fast profile (the default test run; ≈ 150 s of CPU for F1–F5 and ≈ 110 s for the four F8 runs), chosen
        from exploratory runs so that each fast-profile claim holds with a margin (README section "nonlinear"):

        * F1/F7 and F4C: 12 seeds, 600 epochs, 22 log-spaced logged epochs. The tanh layer-5 peak is
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
        * saturation (C15, Fig 16): the 600 epochs at Adam's lr 4e-4 stop before the late, saturated regime
          (lr × epochs = 0.24 against the paper's 4), so this run raises the step tenfold to
          :data:`SATURATION_LEARNING_RATE` (lr × epochs = 2.4), with the first 6 seeds.
        * F5-BGD: 8 seeds, 1000 epochs on ibsgd's logging schedule (one Adam step per epoch; the tanh peak is
          near epoch 250–450 and layer 5 has lost > 2 bits by epoch 800).
        * F5-SGD: 4 seeds, 12 epochs of batch 1 (39 000 updates); per-step overhead makes batch 1 the costliest
          variant per epoch.

        ``"L2"`` (both profiles, claim C50 after [CHO19]) is the F1 run with the L2 penalty :data:`L2_PENALTY`:
        the same seeds, splits, initial weights and minibatch orders, so each seed is paired with its unpenalised
        F1 twin.

        Parameters
        ----------
        profile : Profile
            ``FAST`` or ``PAPER``.
        activation : str
            Hidden nonlinearity.
        variant : {"F1", "F4C", "F5-SGD", "F5-BGD", "F8", "saturation", "L2"}
            The figure whose setting to reproduce (F1 also serves F7 and the artefact figures; L2 is F1 with the
            L2 penalty).

        Returns
        -------
        SZTRun

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
            dtype=profile.pick(fast="float64", paper="float32"),
        )
        if variant == "F4C":
            return replace(base, train_fraction=0.3)
        if variant == "L2":
            return replace(base, l2=L2_PENALTY)
        if variant == "F8" and profile.pick(fast=True, paper=False):
            return replace(
                base,
                seeds=base.seeds[:8],
                epochs=F8_FAST_LOGGED_EPOCHS[-1],
                logged_epochs=F8_FAST_LOGGED_EPOCHS,
                learning_rate=6e-3,
            )
        if variant == "saturation" and profile.pick(fast=True, paper=False):
            return replace(base, seeds=base.seeds[:6], learning_rate=SATURATION_LEARNING_RATE)
        if variant == "F5-BGD":
            e = profile.pick(fast=1000, paper=10_000)
            logged = ibsgd_logged_epochs(e)  # dense late logging: the BGD peak is late (epoch ≈ 250–450)
            return replace(
                base,
                seeds=base.seeds[: profile.pick(fast=8, paper=50)],
                batch_size=None,
                epochs=e,
                logged_epochs=logged,
            )
        if variant == "F5-SGD":
            e = profile.pick(fast=12, paper=100)
            return replace(
                base,
                seeds=base.seeds[: profile.pick(fast=4, paper=50)],
                batch_size=1,
                epochs=e,
                logged_epochs=tuple(range(e + 1)) if e <= 20 else log_spaced_epochs(e, 40),
            )
        return base  # F1 (and, at the paper profile, F8 and the saturation run): one run, measured many ways


def _seed_generators(seed: int) -> tuple[np.random.Generator, np.random.Generator, np.random.Generator]:
    split, init, order = np.random.SeedSequence(seed).spawn(3)
    return np.random.default_rng(split), np.random.default_rng(init), np.random.default_rng(order)


def szt_training_data(train_index: np.ndarray, test_index: np.ndarray) -> TrainingData:
    """The training, test and measurement data of SZT runs from their split indices, (S, n_train), (S, n_test).

    Every measurement is taken on all 4096 patterns (docs/choices.md#a6), shared by the seeds.
    """
    data = load_szt()
    return TrainingData(
        X_train=data.X[train_index],
        Y_train=data.Y[train_index],
        X_test=data.X[test_index],
        Y_test=data.Y[test_index],
        X_mi=data.X,
        y_mi=data.y,
    )


@register_run_data("szt")
def _run_data(run: xr.Dataset) -> TrainingData:
    return szt_training_data(run["train_index"].values, run["test_index"].values)


@trainer("szt", SZTRun)
def train_szt(config: SZTRun) -> xr.Dataset:
    """Train the SZT network for each seed of `config` and keep it at every logged epoch.

    Parameters
    ----------
    config : SZTRun
        What to train (see :meth:`SZTRun.for_profile`).

    Returns
    -------
    xarray.Dataset
        A run: ``parameters`` (seed, epoch, parameter) in the training precision, ``train_index`` and
        ``test_index`` (seed, example) into the 4096 SZT patterns, ``train_loss``/``test_loss`` (nats),
        ``train_accuracy``/``test_accuracy``, ``weight_norm`` (seed, epoch, layer). Attributes name the
        activation and widths (:func:`simulate.train.train`) and ``task = "szt"``.

    References
    ----------
    .. [P] Saxe et al. (2018), Figs 1A/B, 4C/D, 5, 7, 8.
    """
    data = load_szt()
    generators = [_seed_generators(s) for s in config.seeds]
    splits = [train_test_split(data.n_patterns, config.train_fraction, g[0]) for g in generators]
    train_idx = np.stack([s.train for s in splits])
    test_idx = np.stack([s.test for s in splits])
    params = init_params(SZT_WIDTHS, [g[1] for g in generators], scheme=config.init)
    batch_size = train_idx.shape[1] if config.batch_size is None else config.batch_size
    result = train(
        params,
        config.activation,
        szt_training_data(train_idx, test_idx),
        [g[2] for g in generators],
        epochs=config.epochs,
        logged_epochs=config.logged_epochs,
        batch_size=batch_size,
        optimizer=config.optimizer,
        learning_rate=config.learning_rate,
        seeds=config.seeds,
        dtype=config.dtype,
        l2=config.l2,
    )
    result["train_index"] = xr.DataArray(train_idx, dims=("seed", "train_example"))
    result["test_index"] = xr.DataArray(test_idx, dims=("seed", "test_example"))
    result.attrs.update(task="szt", train_fraction=float(config.train_fraction), init=config.init)
    return result


def fig8_kde(profile: Profile, run: SZTRun) -> KDE:
    """Fig 8's KDE (σ² = 0.1, [P] App B): at every 3rd (fast) or 4th (paper) logged epoch of `run` and the last.

    KDE on 4096 patterns is most of the cost of a reproduction (≈ 0.045 s per layer, seed and epoch), and Fig 8
    needs no denser sampling: at the fast profile 6 of the 15 logged epochs, at the paper's 54 of 213.
    """
    return KDE((0.1,), epochs=every_kth(run.logged_epochs, profile.pick(fast=3, paper=4)))


def infoplane_need(profile: Profile, activation: str, variant: str = "F1") -> Need:
    """The information plane of an SZT figure: its run with the paper's binning (and Fig 8's KDE for ``"F8"``)."""
    run = SZTRun.for_profile(profile, activation, variant)
    if variant == "F8":
        return Need(run, (Binning(), fig8_kde(profile, run)))
    return Need(run, Binning())


def szt_needs(*runs: tuple[str, str]):
    """``needs(profile)`` reading the SZT runs `runs`, (activation, variant) pairs, named ``"<activation>/<variant>"``.

    Each is :func:`infoplane_need`: the run with the paper's binning (and Fig 8's KDE for ``"F8"``).
    """

    def needs(profile: Profile) -> dict[str, Need]:
        return {f"{a}/{v}": infoplane_need(profile, a, v) for a, v in runs}

    return needs


def artefacts_need(profile: Profile, activation: str) -> Need:
    """The Fig 1A/B run measured with the estimators of App B.3, C, E and I (F12, F14–F17, F20).

    The very networks of Fig 1A/B (at the fast profile their first 6 seeds: the artefact estimators cost more per
    logged epoch than binning): the paper's binning; net-input binning with ``tanh(linspace(−50, 50, 30))`` edges
    (Fig 14, docs/choices.md#a18); machine-precision binning of float32 activity (Fig 15); Kraskov H(T) with k = 2 (Fig
    12; at every 3rd logged epoch at the fast profile); activity histograms (Figs 16–17); the gradient SNR over all
    training samples (Eqs 26–27, ``grad_*``) and over minibatches of 256 (Figs 9–10, ``grad_batch_*``;
    docs/choices.md#a13).
    """
    run = SZTRun.for_profile(profile, activation, "F1")
    run = replace(run, seeds=run.seeds[: profile.pick(fast=6, paper=len(run.seeds))])
    kraskov_epochs = profile.pick(fast=every_kth(run.logged_epochs, 3), paper=None)
    return Need(
        run,
        (
            Binning(),
            Binning("net_input", name="netinput"),
            Binning("machine", name="machine"),
            Kraskov(2, epochs=kraskov_epochs),
            Histograms(),
            GradientSNR("sample"),
            GradientSNR("minibatch", batch_size=run.batch_size or 256, prefix="grad_batch", stream=2),
        ),
    )


def saturation_need(profile: Profile, activation: str = "tanh") -> Need:
    """C15's run (the Fig 1A/B run at the paper profile; the lr-4e-3 run at fast) with activity histograms."""
    return Need(SZTRun.for_profile(profile, activation, "saturation"), Histograms())
