"""The linear-student runs of [P] §3, §5, Apps F, H, I (Figs 3, 4A/B, 6, 18, 19, 21): one trainer, ``"linear_student"``.

A run (:class:`LinearStudent`) trains seeds of a linear student on data of the linear teacher (docs/formulas.md#s3-3)
with
:func:`simulate.deep_linear.train_linear_student` and keeps every seed's weights at every logged epoch, the
teacher and the training data, the train and exact test error and the weight norms (:func:`train_student`).
Every information quantity is a measurement of the stored weights (:mod:`paper_checks.measurements_linear`:
exact I(T;X), I(T;Y), the relevant/irrelevant split, gradient SNR), so the runs shared by several figures and
claims (Fig 4 by C2, C29, C35, F4, F19; Fig 3 by C2, C27, C28, F3; Fig 6 by C4, C39, F6) are trained once.
:meth:`LinearStudent.for_profile` gives the run of each figure.

Choices where the paper is silent (docs/choices.md#a11), shared by Figs 3, 4, 18 and 19 (N_i = P = N_h = 100, N_o = 1,
SNR = 1, σ_w² = 1, Σ_x = I/N_i):

* **initial scale 0.01** (weights 𝒩(0, 0.01²/fan_in)): "small initial weights" of [AS17], so that I(T;X) starts
  near zero and E_g starts at σ_w² + σ_o²;
* **one learning-rate convention**: the loss of a batch is the batch mean of ½‖y − ŷ‖², so gradient-flow time
  of the summed loss (docs/formulas.md#s3-6–#s3-7) advances by lr/B per step, i.e. lr/B per SGD epoch of P/B steps and
  lr/P per BGD epoch. SGD (batch 5, lr 0.05) and BGD (lr 1.0) both advance 0.01 time units per epoch, so their logged
  epochs are matched in time (Fig 19);
* **durations**: with N_i = P the early-stopping optimum of this setting is at t ≈ 0.5 and the test error
  then rises without bound (α = 1, C30). The Fig 3 run (BGD) stops at t = 0.55 (55 BGD epochs), just past the
  optimum; the Fig 4 run (SGD batch 5) runs to t = 5 (500 epochs, 10⁴ steps). Since SGD with a small learning
  rate follows gradient flow, the difference between the two runs is their duration (docs/choices.md#a11), so
  the claims compare BGD and SGD at equal time on the Fig 19 BGD run, the Fig 3 setting trained to t = 5
  (:mod:`paper_checks.claims.deep_linear`, C28 and C2).

Seed s draws its teacher and data, and its initial weights and SGD shuffles, from the first two of three
generators spawned from ``SeedSequence(s)`` (the third was the per-minibatch SNR stream of the earlier,
non-stored code; measurements now draw from ``SeedSequence([s, stream, epoch])``), so a seed's run does not
depend on which other seeds ran beside it.

References
----------
.. [P] Saxe et al., "On the Information Bottleneck Theory of Deep Learning", ICLR 2018.
.. [AS17] Advani & Saxe, arXiv:1710.03667 (2017).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace

import numpy as np
import xarray as xr

from paper_checks.profiles import Profile
from paper_checks.registry import trainer
from simulate.data.teacher import TeacherData, stack_teacher_data, teacher_student_data
from simulate.deep_linear import train_linear_student

__all__ = [
    "LINEAR_VARIANTS",
    "LinearStudent",
    "run_teacher",
    "run_weights",
    "student_logged_epochs",
    "train_student",
]

LINEAR_VARIANTS = ("F3", "F4", "F19", "F18", "F6", "F21-SGD", "F21-BGD")
"""Which figure's setting a run reproduces (see :meth:`LinearStudent.for_profile`)."""


def student_logged_epochs(epochs: int, n: int) -> tuple[int, ...]:
    """Epoch 0 plus about `n` distinct log-spaced epochs in [1, `epochs`] (always including `epochs`)."""
    spaced = np.unique(np.round(np.logspace(0, np.log10(max(epochs, 1)), max(n, 1))).astype(int))
    return (0, *sorted({int(e) for e in spaced if 1 <= e <= epochs} | ({epochs} if epochs >= 1 else set())))


@dataclass(frozen=True)
class LinearStudent:
    """Training configuration of a linear teacher–student run; its key is made of these fields alone.

    See docs/formulas.md#s3-3.

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
    learning_rate : float
        Learning rate on the batch-mean loss ½‖y − ŷ‖².
    epochs : int
        Training epochs (BGD: steps).
    logged_epochs : tuple of int
        Epochs at which the weights are kept (0 = before training).
    batch_size : int or None
        SGD batch size, None for BGD.
    init_scale : float
        Initial weights 𝒩(0, init_scale²/fan_in).
    seeds : tuple of int
        One run per seed; seed s draws the teacher, data, initial weights and shuffles from ``SeedSequence(s)``.
    """

    n_inputs: int = 100
    n_irrelevant: int = 0
    n_samples: int = 100
    hidden: tuple[int, ...] = (100,)
    snr: float = 1.0
    sigma_w2: float = 1.0
    learning_rate: float = 1.0
    epochs: int = 55
    logged_epochs: tuple[int, ...] = student_logged_epochs(55, 40)
    batch_size: int | None = None
    init_scale: float = 0.01
    seeds: tuple[int, ...] = (0, 1, 2, 3)

    def __post_init__(self) -> None:
        for name in ("n_inputs", "n_samples", "epochs"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < (0 if name == "epochs" else 1):
                raise ValueError(f"{name} must be a {'non-negative' if name == 'epochs' else 'positive'} integer")
        if isinstance(self.n_irrelevant, bool) or not isinstance(self.n_irrelevant, int) or self.n_irrelevant < 0:
            raise ValueError(f"n_irrelevant must be a non-negative integer, got {self.n_irrelevant!r}")
        if not (isinstance(self.learning_rate, int | float) and np.isfinite(self.learning_rate)) or (
            self.learning_rate <= 0
        ):
            raise ValueError(f"learning_rate must be a finite number > 0, got {self.learning_rate!r}")
        if self.batch_size is not None and (
            isinstance(self.batch_size, bool) or not isinstance(self.batch_size, int) or self.batch_size < 1
        ):
            raise ValueError(f"batch_size must be a positive integer or None (full batch), got {self.batch_size!r}")
        object.__setattr__(self, "hidden", tuple(int(h) for h in self.hidden))
        object.__setattr__(self, "logged_epochs", tuple(int(e) for e in self.logged_epochs))
        object.__setattr__(self, "seeds", tuple(int(s) for s in self.seeds))
        if not self.seeds:
            raise ValueError("seeds must hold at least one seed")

    @property
    def time_per_epoch(self) -> float:
        """Gradient-flow time of the summed loss per epoch, lr / B (B = P for BGD)."""
        return self.learning_rate / (self.n_samples if self.batch_size is None else self.batch_size)

    @classmethod
    def for_profile(cls, profile: Profile, variant: str) -> LinearStudent:
        """The run of a paper figure at a run profile.

        The sizes are the paper's at both profiles; only the number of seeds changes (8 fast — they keep each
        claim's statistical margin —, 50 at the paper profile, docs/choices.md#a16; Fig 18 runs 4 fast seeds: its deep
        net costs 6 layers).

        * ``"F3"``: 100-100-1, BGD, P = 100, SNR 1, lr 1.0, 55 epochs (t = 0.55, just past the optimum; module
          docstring), 40 log-spaced logs.
        * ``"F4"`` (Fig 4A/B, Fig 19A): SGD batch 5, lr 0.05, 500 epochs (10⁴ steps, t = 5).
        * ``"F19"`` (Fig 19B): the F4 setting trained by BGD with lr 1.0 = 0.05 · P / 5, matched in gradient-flow
          time (0.01 per epoch).
        * ``"F18"``: 5 hidden layers of 50 units, BGD, lr 0.05, 1000 epochs (t = 0.5), init scale 0.7 (not
          0.01: the product of six 0.01-scaled matrices is ~10⁻¹² and would sit on the saddle at zero for an
          astronomically long time, [SMG14]: at depth the learning time grows like 1/u₀; lr 0.1 already
          reaches the edge of stability once the weights have grown).
        * ``"F6"``: 30 relevant + 70 irrelevant inputs, 100 hidden units, SGD batch 5. The paper gives neither P,
          N_h, SNR nor lr: P = 400 (so that spurious correlations with the irrelevant inputs are small and do
          not refill them), SNR = 10 with σ_w² = 30 (teacher output variance 9 ≫ σ²_MI = 1, so the relevant
          signal can mask the irrelevant one in the output), init scale 1 (ibsgd-like 1/√fan_in: the irrelevant
          inputs start with a share of the information), lr 0.02, 100 epochs (t = 0.4), 60 logs.
        * ``"F21-SGD"``, ``"F21-BGD"``: the 1-1-1 network, SNR 1, P = 100; [P]'s lr 0.001 on the summed loss is
          lr 0.001 for SGD with batch 1 and lr 0.1 = 0.001·P for BGD with our batch-mean loss (docs/formulas.md#s3-6),
          so both advance 0.001 time units per epoch; 300 epochs (t = 0.3; 3·10⁴ SGD steps): with the summed loss
          the mode strength is s = Σ_μ x y ≈ P·w_o, so from init scale 0.01 the mode is learned by t ≈ 0.1
          ([SMG14] Eq 11) and the gradient SNR has collapsed well before t = 0.3; 50 logs.

        Parameters
        ----------
        profile : Profile
            ``FAST`` or ``PAPER``.
        variant : {"F3", "F4", "F19", "F18", "F6", "F21-SGD", "F21-BGD"}
            The figure whose setting to reproduce.

        Returns
        -------
        LinearStudent

        Raises
        ------
        ValueError
            If `variant` is unknown.
        """
        if variant not in LINEAR_VARIANTS:
            raise ValueError(f"variant must be one of {LINEAR_VARIANTS}, got {variant!r}")
        seeds = tuple(range(profile.pick(fast=8, paper=50)))

        def run(epochs: int, n_logs: int, **fields) -> LinearStudent:
            return cls(epochs=epochs, logged_epochs=student_logged_epochs(epochs, n_logs), seeds=seeds, **fields)

        if variant == "F3":
            return run(55, 40, learning_rate=1.0, batch_size=None)
        if variant == "F4":
            return run(500, 40, learning_rate=0.05, batch_size=5)
        if variant == "F19":
            return run(500, 40, learning_rate=1.0, batch_size=None)
        if variant == "F18":
            deep = run(1000, 40, hidden=(50,) * 5, learning_rate=0.05, batch_size=None, init_scale=0.7)
            return replace(deep, seeds=tuple(range(profile.pick(fast=4, paper=50))))
        if variant == "F6":
            return run(
                100,
                60,
                n_inputs=30,
                n_irrelevant=70,
                n_samples=400,
                snr=10.0,
                sigma_w2=30.0,
                learning_rate=0.02,
                batch_size=5,
                init_scale=1.0,
            )
        one = {"n_inputs": 1, "n_samples": 100, "hidden": (1,)}
        if variant == "F21-SGD":
            return run(300, 50, learning_rate=0.001, batch_size=1, **one)
        return run(300, 50, learning_rate=0.1, batch_size=None, **one)


def _teacher_data(config: LinearStudent, data_stream: np.random.SeedSequence) -> TeacherData:
    return teacher_student_data(
        config.n_inputs,
        config.n_samples,
        np.random.default_rng(data_stream),
        sigma_w2=config.sigma_w2,
        snr=config.snr,
        n_irrelevant=config.n_irrelevant,
    )


@trainer("linear_student", LinearStudent)
def train_student(config: LinearStudent) -> xr.Dataset:
    """Train every seed of `config` in one batched run and keep it at every logged epoch.

    Parameters
    ----------
    config : LinearStudent
        The run (see :meth:`LinearStudent.for_profile`).

    Returns
    -------
    xarray.Dataset
        A run, dims ``seed``, ``epoch``, ``layer`` (1 … L: the hidden layers, then the output), ``parameter``,
        ``train_example``, ``input``, ``output``:

        * ``parameters`` (seed, epoch, parameter): the weights W_1, …, W_L of the student (no biases), each
          flattened row-major from its (n_out, n_in) matrix and concatenated in layer order; the attribute
          ``widths`` (N_i, N_1, …, N_o) gives the shapes (:func:`run_weights` rebuilds them);
        * ``X_train`` (seed, train_example, input), ``Y_train`` (seed, train_example, output): the training data;
        * ``W_o`` (seed, output, input) and ``relevant`` (input): the teacher and which inputs it reads;
          attribute ``sigma_o2`` (σ_o²), Σ_x = I/N_i (:func:`run_teacher`);
        * ``W_tot`` (seed, epoch, output, input): the total map; ``train_error``, ``test_error`` (exact E_g,
          [P] Eq 5) (seed, epoch); ``weight_norm`` (seed, epoch, layer); coordinate ``time`` (epoch):
          gradient-flow time of the summed loss.
    """
    streams = [np.random.SeedSequence(seed).spawn(3) for seed in config.seeds]
    data = stack_teacher_data([_teacher_data(config, data_seq) for data_seq, _, _ in streams])
    run = train_linear_student(
        data,
        config.hidden,
        learning_rate=config.learning_rate,
        epochs=config.epochs,
        batch_size=config.batch_size,
        init_scale=config.init_scale,
        rngs=[np.random.default_rng(train_seq) for _, train_seq, _ in streams],
        logged_epochs=config.logged_epochs,
        record_information=False,
    )
    S, E = run.train_error.shape
    widths = (data.n_inputs, *config.hidden, data.W_o.shape[-2])
    parameters = np.concatenate([W.reshape(S, E, -1) for W in run.weights], axis=-1)
    ds = xr.Dataset(
        {
            "parameters": xr.DataArray(
                parameters,
                dims=("seed", "epoch", "parameter"),
                attrs={
                    "units": "1",
                    "long_name": "linear-student weights W_1 … W_L, each row-major (n_out, n_in), in layer order",
                },
            ),
            "X_train": (("seed", "train_example", "input"), data.X),
            "Y_train": (("seed", "train_example", "output"), data.Y),
            "W_o": (("seed", "output", "input"), data.W_o),
            "relevant": ("input", data.relevant.astype(np.int8)),
            "W_tot": (("seed", "epoch", "output", "input"), run.W_tot),
            "train_error": (("seed", "epoch"), run.train_error),
            "test_error": (("seed", "epoch"), run.test_error),
            "weight_norm": (("seed", "epoch", "layer"), run.weight_norm),
        },
        coords={
            "seed": list(config.seeds),
            "epoch": run.epochs,
            "layer": np.arange(1, len(run.weights) + 1),
            "time": ("epoch", run.time),
        },
        attrs={
            "task": "linear_student",
            "widths": ",".join(str(w) for w in widths),
            "n_inputs": config.n_inputs,
            "n_irrelevant": config.n_irrelevant,
            "n_samples": config.n_samples,
            "snr": float(config.snr),
            "sigma_w2": float(config.sigma_w2),
            "sigma_o2": float(data.sigma_o2),
            "learning_rate": float(config.learning_rate),
            "epochs": int(config.epochs),
            "batch_size": "full" if config.batch_size is None else int(config.batch_size),
            "init_scale": float(config.init_scale),
            "time_per_epoch": config.time_per_epoch,
        },
    )
    return ds


def run_weights(run: xr.Dataset, epoch_index: int | None = None) -> list[np.ndarray]:
    """The layers of a stored linear-student run, each (S, E, n_out, n_in) (or (S, n_out, n_in) at one epoch).

    Parameters
    ----------
    run : xarray.Dataset
        A ``"linear_student"`` run (``parameters`` and the ``widths`` attribute; :func:`train_student`) or an
        ``"aligned_modes"`` run (:func:`paper_checks.experiments.linear_theory.train_modes`), which stores its
        weights the same way.
    epoch_index : int, optional
        Position along ``epoch`` to take (None: every logged epoch).
    """
    if (
        not isinstance(run, xr.Dataset)
        or "parameters" not in run
        or run.attrs.get("task") not in ("linear_student", "aligned_modes")
    ):
        raise ValueError(
            "run must be a stored 'linear_student' or 'aligned_modes' run (with 'parameters' and its task attribute)"
        )
    widths = [int(w) for w in str(run.attrs["widths"]).split(",")]
    flat = run["parameters"].transpose("seed", "epoch", "parameter").values
    if epoch_index is not None:
        flat = flat[:, epoch_index : epoch_index + 1]
    sizes = [n_in * n_out for n_in, n_out in itertools.pairwise(widths)]
    if sum(sizes) != flat.shape[-1]:
        raise ValueError(f"parameters has {flat.shape[-1]} entries per network, widths {widths} need {sum(sizes)}")
    offsets = np.cumsum([0, *sizes])
    layers = [
        flat[..., a:b].reshape(*flat.shape[:2], n_out, n_in)
        for a, b, n_in, n_out in zip(offsets[:-1], offsets[1:], widths[:-1], widths[1:])
    ]
    return [W[:, 0] for W in layers] if epoch_index is not None else layers


def run_teacher(run: xr.Dataset) -> TeacherData:
    """The teacher and training data of a stored linear-student run, stacked over its seeds (Σ_x = I/N_i)."""
    W_o = run["W_o"].transpose("seed", "output", "input").values
    N_i = W_o.shape[-1]
    return TeacherData(
        run["X_train"].transpose("seed", "train_example", "input").values,
        run["Y_train"].transpose("seed", "train_example", "output").values,
        W_o,
        float(run.attrs["sigma_o2"]),
        np.eye(N_i) / N_i,
        run["relevant"].values.astype(bool),
    )
