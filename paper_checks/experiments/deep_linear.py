"""Deep linear teacher–student experiments of [P] §3, §5, Apps F, H, I (Figs 3, 4A/B, 6, 18, 19, 21).

Every experiment trains seeds of a linear student on data of the linear teacher (spec §3.3) with
:func:`simulate.deep_linear.train_linear_student` and returns an ``xarray.Dataset`` with dims ``seed``,
``epoch``, ``layer`` (and ``output``/``input`` for the maps): train and exact test error, exact I(T;X), I(T;Y)
per layer (bits, σ²_MI = 1), weight norms, and where relevant the subspace MI or the gradient statistics.

Choices where the paper is silent (A11), shared by Figs 3, 4, 18 and 19 (N_i = P = N_h = 100, N_o = 1, SNR = 1,
σ_w² = 1, Σ_x = I/N_i):

* **initial scale 0.01** (weights 𝒩(0, 0.01²/fan_in)): "small initial weights" of [AS17], so that I(T;X) starts
  near zero and E_g starts at σ_w² + σ_o²;
* **one learning-rate convention**: the loss of a batch is the batch mean of ½‖y − ŷ‖², so gradient-flow time
  of the summed loss (spec §3.6–3.7) advances by lr/B per step, i.e. lr/B per SGD epoch of P/B steps and lr/P per
  BGD epoch. SGD (batch 5, lr 0.05) and BGD (lr 1.0) both advance 0.01 time units per epoch, so their logged
  epochs are matched in time (Fig 19);
* **durations**: with N_i = P the early-stopping optimum of this setting is at t ≈ 0.5 and the test error
  then rises without bound (α = 1, C30). Fig 3's "minimal overtraining" (BGD) is reproduced by training to
  t = 0.55 (55 BGD epochs), just past the optimum; Fig 4's "substantial overtraining" (SGD batch 5) by
  training to t = 5 (500 epochs, 10⁴ steps). Since SGD with a small learning rate follows
  gradient flow, the difference between the two figures is the duration, as A11 anticipates.

References
----------
.. [P] Saxe et al., "On the Information Bottleneck Theory of Deep Learning", ICLR 2018.
.. [AS17] Advani & Saxe, arXiv:1710.03667 (2017).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import xarray as xr

from paper_checks.profiles import Profile
from paper_checks.registry import experiment
from simulate.data.teacher import stack_teacher_data, teacher_student_data
from simulate.deep_linear import train_linear_student

__all__ = [
    "Figure3Config",
    "Figure4Config",
    "Figure6Config",
    "Figure18Config",
    "Figure19Config",
    "Figure21Config",
    "LinearStudentConfig",
    "log_epochs",
    "run_student",
]


def log_epochs(n_epochs: int, n_log: int) -> tuple[int, ...]:
    """Epoch 0 plus about `n_log` distinct log-spaced epochs in [1, n_epochs] (always including n_epochs)."""
    spaced = np.unique(np.round(np.logspace(0, np.log10(max(n_epochs, 1)), max(n_log, 1))).astype(int))
    return (0, *sorted({int(e) for e in spaced if 1 <= e <= n_epochs} | ({n_epochs} if n_epochs >= 1 else set())))


@dataclass(frozen=True)
class LinearStudentConfig:
    """A linear teacher–student run (spec §3.3); every field is hashable.

    Attributes
    ----------
    n_inputs : int
        Task-relevant inputs (the teacher reads them).
    n_irrelevant : int
        Extra inputs with zero teacher weight ([P] §5).
    n_samples : int
        Training examples P.
    hidden : tuple of int
        Hidden widths.
    snr, sigma_w2 : float
        Teacher SNR σ_w²/σ_o² and weight variance σ_w².
    lr : float
        Learning rate on the batch-mean loss ½‖y − ŷ‖².
    n_epochs : int
        Training epochs (BGD: steps).
    batch_size : int or None
        SGD batch size, None for BGD.
    init_scale : float
        Initial weights 𝒩(0, init_scale²/fan_in).
    n_log : int
        Number of log-spaced logged epochs (plus epoch 0).
    seeds : tuple of int
        One run per seed; seed s draws the teacher, data, initial weights and shuffles from
        ``SeedSequence(s)`` alone.
    record_subspaces, record_gradients : bool
        Also record I(T;X_rel)/I(T;X_irrel), and the gradient statistics of App I.
    snr_batch_size : int or None
        Minibatch size of the per-minibatch gradient statistics (A13).
    """

    n_inputs: int = 100
    n_irrelevant: int = 0
    n_samples: int = 100
    hidden: tuple[int, ...] = (100,)
    snr: float = 1.0
    sigma_w2: float = 1.0
    lr: float = 1.0
    n_epochs: int = 55
    batch_size: int | None = None
    init_scale: float = 0.01
    n_log: int = 40
    seeds: tuple[int, ...] = (0, 1, 2, 3)
    record_subspaces: bool = False
    record_gradients: bool = False
    snr_batch_size: int | None = None

    @property
    def time_per_epoch(self) -> float:
        """Gradient-flow time of the summed loss per epoch, lr / B (B = P for BGD)."""
        return self.lr / (self.n_samples if self.batch_size is None else self.batch_size)


def _seeds(profile: Profile) -> tuple[int, ...]:
    # 8 seeds keep each claim's statistical margin at the fast profile; the paper averages 50 (A16).
    return tuple(range(profile.pick(fast=8, paper=50)))


@dataclass(frozen=True)
class Figure3Config(LinearStudentConfig):
    """Fig 3: 100-100-1, BGD, P = 100, SNR 1 — trained to t = 0.55, just past the optimum (A11, module doc)."""

    @classmethod
    def for_profile(cls, profile: Profile) -> Figure3Config:
        """Paper sizes of Fig 3 at both profiles; only the number of seeds changes (8 fast, 50 paper)."""
        return cls(lr=1.0, n_epochs=55, batch_size=None, seeds=_seeds(profile))


@dataclass(frozen=True)
class Figure4Config(LinearStudentConfig):
    """Fig 4A/B: 100-100-1, SGD batch 5, P = 100, SNR 1, lr 0.05, trained to t = 5 (10⁴ steps)."""

    @classmethod
    def for_profile(cls, profile: Profile) -> Figure4Config:
        """500 epochs (10⁴ SGD steps, t = 5) at both profiles; 8 seeds fast, 50 paper."""
        return cls(lr=0.05, n_epochs=500, batch_size=5, seeds=_seeds(profile))


@dataclass(frozen=True)
class Figure19Config(LinearStudentConfig):
    """Fig 19B: BGD with lr 1.0, matched in gradient-flow time to the SGD run of Fig 4 (0.01 per epoch)."""

    @classmethod
    def for_profile(cls, profile: Profile) -> Figure19Config:
        """Same epochs and seeds as :meth:`Figure4Config.for_profile`, full batch, lr = 0.05 · P / 5."""
        return cls(lr=1.0, n_epochs=500, batch_size=None, seeds=_seeds(profile))


@dataclass(frozen=True)
class Figure18Config(LinearStudentConfig):
    """Fig 18: 5 hidden layers of 50 units, BGD, P = 100, SNR 1.

    The deep network starts from init scale 0.7 (not 0.01): the product of six 0.01-scaled matrices is ~10⁻¹²
    and would sit on the saddle at zero for an astronomically long time ([SMG14]: at depth the learning time
    grows like 1/u₀). BGD with lr 0.05 for 1000 steps (t = 0.5): lr 0.1 already reaches the edge of stability
    once the weights have grown (the training error oscillates), which is not what Fig 18 is about.
    """

    @classmethod
    def for_profile(cls, profile: Profile) -> Figure18Config:
        """BGD, lr 0.05, 1000 epochs at both profiles; 4 seeds fast (the deep net costs 6 layers), 50 paper."""
        return cls(
            hidden=(50,) * 5,
            lr=0.05,
            n_epochs=1000,
            batch_size=None,
            init_scale=0.7,
            seeds=tuple(range(profile.pick(fast=4, paper=50))),
        )


@dataclass(frozen=True)
class Figure6Config(LinearStudentConfig):
    """Fig 6: 30 relevant + 70 irrelevant inputs, 100 hidden units, SGD batch 5 ([P] §5; A11 choices).

    The paper gives neither P, N_h, SNR nor lr for Fig 6. Chosen: P = 400 (so that spurious correlations with the
    irrelevant inputs are small and do not refill them), SNR = 10 with σ_w² = 30 (teacher output variance 9 ≫
    σ²_MI = 1, so the relevant signal can mask the irrelevant one in the output), init scale 1 (ibsgd-like
    1/√fan_in initialisation: the irrelevant inputs start with a share of the information), lr 0.02, 100 epochs
    (t = 0.4, training error at its floor).
    """

    @classmethod
    def for_profile(cls, profile: Profile) -> Figure6Config:
        """100 epochs of 80 SGD steps at both profiles; 8 seeds fast, 50 paper."""
        return cls(
            n_inputs=30,
            n_irrelevant=70,
            n_samples=400,
            snr=10.0,
            sigma_w2=30.0,
            lr=0.02,
            n_epochs=100,
            batch_size=5,
            init_scale=1.0,
            n_log=60,
            seeds=_seeds(profile),
            record_subspaces=True,
        )


@dataclass(frozen=True)
class Figure21Config(LinearStudentConfig):
    """Fig 21: the 1-1-1 network, SNR 1, P = 100, lr 0.001 on the summed loss; SGD batch 1 or BGD.

    [P] gives lr 0.001. With our batch-mean loss that is lr 0.001 for SGD with batch 1 and lr 0.1 = 0.001·P for
    BGD (spec §3.6: SMG14's batch rule sums over the P examples), so both advance 0.001 time units per epoch.
    Both run 300 epochs (t = 0.3; 3·10⁴ SGD steps): with the summed loss the mode strength is s = Σ_μ x y ≈
    P·w_o, so from init scale 0.01 the mode is learned by t ≈ 0.1 ([SMG14] Eq 11) and the gradient SNR has
    collapsed well before t = 0.3. Statistics over all samples and over minibatches of the SGD batch size (A13).
    """

    @classmethod
    def for_profile(cls, profile: Profile, *, sgd: bool) -> Figure21Config:
        """SGD batch 1 or BGD, 300 epochs each (both profiles); 8 seeds fast, 50 paper."""
        common = {
            "n_inputs": 1,
            "n_samples": 100,
            "hidden": (1,),
            "n_epochs": 300,
            "n_log": 50,
            "record_gradients": True,
            "seeds": _seeds(profile),
        }
        if sgd:
            return cls(lr=0.001, batch_size=1, snr_batch_size=1, **common)
        return cls(lr=0.1, batch_size=None, snr_batch_size=None, **common)


def _attrs(config: LinearStudentConfig) -> dict[str, str | int | float]:
    out: dict[str, str | int | float] = {"config": type(config).__name__}
    for key, value in asdict(config).items():
        out[key] = value if isinstance(value, int | float | str) and not isinstance(value, bool) else str(value)
    out["time_per_epoch"] = config.time_per_epoch
    return out


def run_student(config: LinearStudentConfig) -> xr.Dataset:
    """Train every seed of `config` in one batched run and label the result (dims seed, epoch, layer).

    Parameters
    ----------
    config : LinearStudentConfig
        The run.

    Returns
    -------
    xarray.Dataset
        ``train_error``, ``test_error`` (seed, epoch); ``I_XT``, ``I_YT``, ``weight_norm`` (seed, epoch, layer), in
        bits for the MI; ``W_tot`` (seed, epoch, output, input), ``W_o`` (seed, output, input); optionally
        ``I_X_rel``, ``I_X_irrel`` and ``grad_{mean,std}_{sample,batch}``; coordinate ``time`` (epoch).
    """
    streams = [np.random.SeedSequence(seed).spawn(3) for seed in config.seeds]
    draws = [
        teacher_student_data(
            config.n_inputs,
            config.n_samples,
            np.random.default_rng(data_seq),
            sigma_w2=config.sigma_w2,
            snr=config.snr,
            n_irrelevant=config.n_irrelevant,
        )
        for data_seq, _, _ in streams
    ]
    data = stack_teacher_data(draws)
    run = train_linear_student(
        data,
        config.hidden,
        lr=config.lr,
        n_epochs=config.n_epochs,
        batch_size=config.batch_size,
        init_scale=config.init_scale,
        rngs=[np.random.default_rng(train_seq) for _, train_seq, _ in streams],
        log_epochs=log_epochs(config.n_epochs, config.n_log),
        record_subspaces=config.record_subspaces,
        record_gradients=config.record_gradients,
        snr_batch_size=config.snr_batch_size,
        snr_rngs=[np.random.default_rng(snr_seq) for _, _, snr_seq in streams] if config.snr_batch_size else None,
    )
    per_layer = ("seed", "epoch", "layer")
    variables = {
        "train_error": (("seed", "epoch"), run.train_error),
        "test_error": (("seed", "epoch"), run.test_error),
        "W_tot": (("seed", "epoch", "output", "input"), run.W_tot),
        "W_o": (("seed", "output", "input"), data.W_o),
    }
    gradient_names = tuple(f"grad_{a}_{b}" for b in ("sample", "batch") for a in ("mean", "std"))
    for name in ("I_XT", "I_YT", "weight_norm", "I_X_rel", "I_X_irrel", *gradient_names):
        value = getattr(run, name)
        if value is not None:
            variables[name] = (per_layer, value)
    L = run.weight_norm.shape[-1]
    ds = xr.Dataset(
        variables,
        coords={
            "seed": list(config.seeds),
            "epoch": run.epochs,
            "layer": np.arange(1, L + 1),
            "time": ("epoch", run.time),
        },
        attrs=_attrs(config) | {"sigma_o2": data.sigma_o2, "units_MI": "bits", "noise_variance_MI": 1.0},
    )
    ds["relevant"] = ("input", data.relevant.astype(np.int8))
    return ds


@experiment("linear_fig3_bgd")
def run_figure3(config: Figure3Config) -> xr.Dataset:
    """[P] Fig 3 (C28, C2): 100-100-1 linear student, BGD, minimal overtraining (A11 choices in module doc)."""
    return run_student(config)


@experiment("linear_fig4_sgd")
def run_figure4(config: Figure4Config) -> xr.Dataset:
    """[P] Fig 4A/B and Fig 19A (C29, C35, C2): 100-100-1, SGD batch 5, substantial overtraining."""
    return run_student(config)


@experiment("linear_fig19_bgd")
def run_figure19(config: Figure19Config) -> xr.Dataset:
    """[P] Fig 19B (C35): the Fig 4 setting trained by BGD for the same gradient-flow time."""
    return run_student(config)


@experiment("linear_fig18_deep")
def run_figure18(config: Figure18Config) -> xr.Dataset:
    """[P] Fig 18 (C31): 5 hidden layers of 50 linear units."""
    return run_student(config)


@experiment("linear_fig6_relevant")
def run_figure6(config: Figure6Config) -> xr.Dataset:
    """[P] Fig 6 (C39, C4): 30 task-relevant + 70 task-irrelevant inputs, SGD batch 5."""
    return run_student(config)


@experiment("linear_fig21_snr")
def run_figure21(config: Figure21Config) -> xr.Dataset:
    """[P] Fig 21 (C38): 1-1-1 linear network under SGD (batch 1) or BGD, with gradient SNR statistics."""
    return run_student(config)
