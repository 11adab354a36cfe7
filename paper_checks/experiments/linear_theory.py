"""Deep linear experiments that put a closed form beside a simulation: SMG14 modes, AS17 curves, Eq 21.

* ``"aligned_modes"`` (a trainer) and ``"smg14_theory"`` (C42–C44): full-batch GD of linear networks on an
  exactly whitened task from small aligned initial conditions (balanced, unbalanced, depth-4 runs,
  :meth:`SMG14Theory.runs`), beside the closed forms of :mod:`theory.mode_dynamics` and :mod:`theory.deep_modes`.
* ``"as17_generalization"`` (C45, C30): the single-layer student from zero weights, N_i = 400, α ∈ {0.5, 1, 2},
  beside the Marchenko–Pastur curves of :mod:`theory.generalization` (evaluated for the same GD step, so that
  the only difference left is the finite size N_i).
* the information planes in closed form beside the simulated ones (figures ``F18B-smg14``, ``F3D-as17``; the
  comparisons are :func:`paper_checks.claims.linear_theory.aligned_plane_comparisons` and
  :func:`~paper_checks.claims.linear_theory.student_plane_comparisons`): the ``balanced`` mode run measured with
  ``"aligned_information"`` (:func:`smg14_plane_needs`), and a single-layer ``"linear_student"`` run
  (:func:`student_plane_run`, :func:`student_plane_needs`) measured with ``"linear_information"``.
* ``"linear_reparametrisation"`` (C14): the scalar network with w̃₁ = w₁/c, w̃₂ = c·w₂ ([P] App C Eq 21).

References
----------
.. [SMG14] Saxe, McClelland & Ganguli, ICLR 2014.
.. [AS17] Advani & Saxe, arXiv:1710.03667 (2017).
.. [P] Saxe et al., ICLR 2018, §2 and App C Eq 21 (C14), §3 (C30).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import xarray as xr

from paper_checks.experiments.deep_linear import LinearStudent, student_logged_epochs
from paper_checks.measurements_linear import AlignedInformation, ExactInformation
from paper_checks.profiles import Profile
from paper_checks.registry import Need, experiment, trainer
from simulate.data.teacher import TeacherData, stack_teacher_data, teacher_student_data
from simulate.deep_linear import train_linear_student
from simulate.linear_modes import train_aligned_modes, whitened_task
from simulate.mi.gaussian import mutual_information as sim_mutual_information
from theory import deep_linear, generalization, mode_dynamics
from theory.gaussian import mutual_information as theory_mutual_information

__all__ = [
    "AS17Config",
    "AlignedModes",
    "ReparametrisationConfig",
    "SMG14Theory",
    "run_as17",
    "run_reparametrisation",
    "run_smg14_theory",
    "smg14_needs",
    "smg14_plane_needs",
    "student_plane_needs",
    "student_plane_run",
    "train_modes",
]


@dataclass(frozen=True)
class AlignedModes:
    """Training configuration of an aligned-mode run ([SMG14] §2–3); its key is made of these fields alone.

    A linear network of ``len(initial_strengths)`` weight matrices trained by full-batch GD (one epoch is one
    step) on the whitened task of :func:`simulate.linear_modes.whitened_task`, from aligned initial conditions.

    Attributes
    ----------
    singular_values : tuple of float
        Modes s_α of Σ³¹ (three distinct strengths: stronger modes are learned first).
    n_inputs, n_samples, hidden : int
        Whitened task size and hidden width.
    initial_strengths : tuple of tuple of float
        a_{l,α}(0), one row per weight matrix, one entry per mode.
    learning_rate : float
        GD learning rate η = 1/τ; 0.001 keeps the O(η s) discretisation error below 0.3 % of s.
    epochs : int
        GD steps (t = η·epochs = 7, when even the weakest mode s = 1 has been learned from u₀ = 10⁻³).
    logged_epochs : tuple of int
        Steps at which the weights are kept.
    seeds : tuple of int
        Seed s draws the task and then the hidden bases from ``default_rng(s)``.
    """

    singular_values: tuple[float, ...] = (3.0, 2.0, 1.0)
    n_inputs: int = 8
    n_samples: int = 32
    hidden: int = 8
    initial_strengths: tuple[tuple[float, ...], ...] = ((1e-3**0.5,) * 3,) * 2
    learning_rate: float = 0.001
    epochs: int = 7000
    logged_epochs: tuple[int, ...] = tuple(range(0, 7001, 50))
    seeds: tuple[int, ...] = (0,)

    def __post_init__(self) -> None:
        object.__setattr__(self, "singular_values", tuple(float(v) for v in self.singular_values))
        rows = tuple(tuple(float(a) for a in row) for row in self.initial_strengths)
        if not rows or any(len(r) != len(self.singular_values) for r in rows):
            raise ValueError(
                f"initial_strengths must hold one row of {len(self.singular_values)} strengths per weight matrix"
            )
        object.__setattr__(self, "initial_strengths", rows)
        object.__setattr__(self, "logged_epochs", tuple(int(e) for e in self.logged_epochs))
        object.__setattr__(self, "seeds", tuple(int(s) for s in self.seeds))
        if not self.logged_epochs or self.logged_epochs[-1] > self.epochs:
            raise ValueError(f"logged_epochs must be non-empty and within [0, epochs={self.epochs}]")


@trainer("aligned_modes", AlignedModes)
def train_modes(config: AlignedModes) -> xr.Dataset:
    """Train the aligned-mode network for each seed and keep it at every logged step.

    Returns
    -------
    xarray.Dataset
        A run, dims ``seed``, ``epoch`` (GD steps), ``layer`` (1 … D, the weight matrices), ``mode``,
        ``parameter``: ``parameters`` (seed, epoch, parameter) — W_1 … W_D, each row-major (n_out, n_in), in layer
        order, shapes from the ``widths`` attribute; ``mode_strength`` (seed, epoch, layer, mode), the a_{l,α}
        read back from the weights; ``mode_product`` (seed, epoch, mode), u_α of the whole map;
        ``off_manifold`` (seed, epoch); ``weight_norm`` (seed, epoch, layer); ``W_o`` (seed, output, input), the
        teacher map U diag(s) Vᵀ with Y = X W_oᵀ (noiseless) and Xᵀ X / P = I exactly (so Σ_x = I, what
        :func:`paper_checks.measurements_linear.measure_aligned_information` reads); coordinates ``time``
        (η × steps) and ``s`` (mode).
    """
    s = np.asarray(config.singular_values)
    runs, teachers = [], []
    for seed in config.seeds:
        rng = np.random.default_rng(seed)
        X, Y, U, V = whitened_task(s, config.n_inputs, config.n_samples, rng)
        teachers.append((U * s) @ V.T)
        runs.append(
            train_aligned_modes(
                X,
                Y,
                U,
                V,
                np.array(config.initial_strengths),
                hidden=config.hidden,
                learning_rate=config.learning_rate,
                logged_epochs=config.logged_epochs,
                rng=rng,
            )
        )
    D = len(config.initial_strengths)
    widths = (config.n_inputs, *(config.hidden,) * (D - 1), s.size)
    first = runs[0]
    return xr.Dataset(
        {
            "parameters": xr.DataArray(
                np.stack([np.concatenate([W.reshape(W.shape[0], -1) for W in r.weights], -1) for r in runs]),
                dims=("seed", "epoch", "parameter"),
                attrs={"units": "1", "long_name": "weights W_1 … W_D, each row-major (n_out, n_in), in layer order"},
            ),
            "mode_strength": (("seed", "epoch", "layer", "mode"), np.stack([r.strengths for r in runs])),
            "mode_product": (("seed", "epoch", "mode"), np.stack([r.product for r in runs])),
            "off_manifold": (("seed", "epoch"), np.stack([r.off_manifold for r in runs])),
            "weight_norm": (("seed", "epoch", "layer"), np.stack([r.weight_norm for r in runs])),
            "W_o": (("seed", "output", "input"), np.stack(teachers)),
        },
        coords={
            "seed": list(config.seeds),
            "epoch": first.epochs,
            "layer": np.arange(1, D + 1),
            "mode": np.arange(s.size),
            "time": ("epoch", first.time),
            "s": ("mode", s),
        },
        attrs={
            "task": "aligned_modes",
            "widths": ",".join(str(w) for w in widths),
            "learning_rate": float(config.learning_rate),
            "epochs": int(config.epochs),
        },
    )


@dataclass(frozen=True)
class SMG14Theory:
    """The [SMG14] closed forms beside the mode runs (sizes are the same at both profiles: small and exact).

    Attributes
    ----------
    singular_values : tuple of float
        Modes s_α.
    u0 : float
        Initial balanced strength a₀b₀ (small: the saddle at zero).
    a0, b0 : float
        Unbalanced initial strengths (a₀² − b₀² = 0.0099 is the conserved quantity of C43).
    n_layers : int
        Depth N_l of the deep case (N_l − 1 = 3 weight matrices).
    learning_rate : float
        GD learning rate η of the runs (time = η × steps).
    epochs : int
        GD steps.
    n_records : int
        Logged steps, evenly spaced.
    """

    singular_values: tuple[float, ...] = (3.0, 2.0, 1.0)
    u0: float = 1e-3
    a0: float = 0.1
    b0: float = 0.01
    n_layers: int = 4
    learning_rate: float = 0.001
    epochs: int = 7000
    n_records: int = 141

    @classmethod
    def for_profile(cls, profile: Profile) -> SMG14Theory:
        """The same (small, exact) configuration at both profiles."""
        return cls()

    @property
    def logged_epochs(self) -> tuple[int, ...]:
        """The logged steps of the mode runs (evenly spaced)."""
        return tuple(int(e) for e in np.unique(np.linspace(0, self.epochs, self.n_records).round().astype(int)))

    def runs(self, n_inputs: int = 8, n_samples: int = 32, hidden: int = 8, seed: int = 0) -> dict[str, AlignedModes]:
        """The simulated runs beside the closed forms, by case.

        ``balanced`` (D = 2, a₀ = b₀ = √u₀), ``unbalanced`` (a₀, b₀) and ``deep`` (N_l − 1 matrices,
        a_l = u₀^{1/(N_l−1)}); the task and hidden bases of each are drawn from ``default_rng(seed)``.
        """
        n_modes = len(self.singular_values)
        depth = self.n_layers - 1
        starts = {
            "balanced": ((float(np.sqrt(self.u0)),) * n_modes,) * 2,
            "unbalanced": ((self.a0,) * n_modes, (self.b0,) * n_modes),
            "deep": ((float(self.u0 ** (1.0 / depth)),) * n_modes,) * depth,
        }
        return {
            case: AlignedModes(
                singular_values=self.singular_values,
                n_inputs=n_inputs,
                n_samples=n_samples,
                hidden=hidden,
                initial_strengths=a0,
                learning_rate=self.learning_rate,
                epochs=self.epochs,
                logged_epochs=self.logged_epochs,
                seeds=(seed,),
            )
            for case, a0 in starts.items()
        }


@experiment("smg14_theory", SMG14Theory)
def run_smg14_theory(config: SMG14Theory) -> xr.Dataset:
    """[SMG14] closed forms at the logged times of the mode runs (dims ``case``, ``epoch``, ``mode``).

    Variables: ``u_theory`` (case, epoch, mode) for the cases ``balanced`` (Eq 12), ``unbalanced`` (a·b of the
    closed-form unbalanced flow) and ``deep`` (the integrated depth-N_l ODE); ``a_theory``, ``b_theory`` (epoch,
    mode) of the unbalanced layers; ``I_XT_theory``, ``I_TY_theory`` (epoch, layer), the closed-form
    information plane of the ``balanced`` run's hidden (1) and output (2) layers in bits
    (:func:`theory.deep_linear.aligned_information_plane`: whitened inputs, noiseless teacher, σ²_MI = 1);
    coordinate ``time`` (epoch) = η × steps.
    """
    s = np.asarray(config.singular_values)
    epochs = np.asarray(config.logged_epochs)
    t = epochs * float(config.learning_rate)
    ab = [mode_dynamics.unbalanced_mode_weights(t, si, config.a0, config.b0) for si in s]
    a_th, b_th = np.stack([a for a, _ in ab], -1), np.stack([b for _, b in ab], -1)
    theory = {
        "balanced": np.stack([mode_dynamics.balanced_mode_strength(t, si, config.u0) for si in s], -1),
        "unbalanced": a_th * b_th,
        "deep": np.stack([mode_dynamics.deep_mode_strength(t, si, config.u0, config.n_layers) for si in s], -1),
    }
    cases = list(theory)
    plane = deep_linear.aligned_information_plane(t, s, config.u0)  # t = η × steps: τ = 1
    return xr.Dataset(
        {
            "u_theory": (("case", "epoch", "mode"), np.stack([theory[c] for c in cases])),
            "a_theory": (("epoch", "mode"), a_th),
            "b_theory": (("epoch", "mode"), b_th),
            "I_XT_theory": (("epoch", "layer"), plane["I_XT"]),
            "I_TY_theory": (("epoch", "layer"), plane["I_TY"]),
        },
        coords={
            "case": cases,
            "epoch": epochs,
            "mode": np.arange(s.size),
            "layer": [1, 2],
            "time": ("epoch", t),
            "s": ("mode", s),
        },
        attrs={
            "learning_rate": config.learning_rate,
            "u0": config.u0,
            "a0": config.a0,
            "b0": config.b0,
            "n_layers": config.n_layers,
        },
    )


def smg14_needs(profile: Profile) -> dict[str, Need]:
    """The three mode runs (``balanced``, ``unbalanced``, ``deep``) and their closed forms (``theory``)."""
    theory = SMG14Theory.for_profile(profile)
    return {case: Need(run) for case, run in theory.runs().items()} | {"theory": Need(theory)}


def smg14_plane_needs(profile: Profile) -> dict[str, Need]:
    """The ``balanced`` mode run measured with the exact log-det information per layer, and the closed forms."""
    theory = SMG14Theory.for_profile(profile)
    return {"balanced": Need(theory.runs()["balanced"], AlignedInformation()), "theory": Need(theory)}


def student_plane_run(profile: Profile) -> LinearStudent:
    """The single-layer student whose information plane is drawn over its closed forms (``F3D-as17``).

    N_i = 100, P = 200 (α = 2: E_g stays finite, [AS17]), SNR 1, σ_w² = 1, no hidden layer, full-batch GD with
    lr 2 on the batch-mean loss (step lr/P = 0.01 of gradient-flow time; η λ_max ≈ 0.06 < 1), 2000 epochs
    (t = 20, when E_g and I(T;X) have settled), 30 log-spaced logs, initial scale 0.01 (the A11 "small initial
    weights" of Figs 3–4: σ₀² = 10⁻⁴/N_i). 16 seeds fast (the seeds of the large-N tolerance's measurement),
    50 at the paper profile.
    """
    return LinearStudent(
        n_inputs=100,
        n_samples=200,
        hidden=(),
        learning_rate=2.0,
        epochs=2000,
        logged_epochs=student_logged_epochs(2000, 30),
        batch_size=None,
        init_scale=0.01,
        seeds=tuple(range(profile.pick(fast=16, paper=50))),
    )


def student_plane_needs(profile: Profile) -> dict[str, Need]:
    """The single-layer student run of :func:`student_plane_run`, measured and bare (trained once for both).

    ``student``: measured with the exact information; ``student_data``: the bare run, whose training data and
    initial weights the exact closed form reads.
    """
    run = student_plane_run(profile)
    return {"student": Need(run, ExactInformation()), "student_data": Need(run)}


@dataclass(frozen=True)
class AS17Config:
    """Single-layer student from zero weights vs the Marchenko–Pastur theory (docs/formulas.md#s3-7).

    Attributes
    ----------
    n_inputs : int
        N_i = 400 (the issue's N_i ≥ 400: finite-size deviations of E_g are then ~1 %).
    alphas : tuple of float
        Loads α = P/N_i.
    sigma_w2, sigma_eps2 : float
        Teacher weight and label-noise variances (SNR 1, the paper's value).
    step : float
        GD step in gradient-flow time of the summed loss (lr on the batch-mean loss = step·P); the theory is
        evaluated for the same discrete step, so no discretisation error enters the comparison.
    t_max : float
        Last time (E_g at α = 1 has overtrained well past its minimum at t ≈ 0.7).
    n_log : int
        Log-spaced records.
    seeds : tuple of int
        Independent draws (teacher, data) per seed.
    """

    n_inputs: int = 400
    alphas: tuple[float, ...] = (0.5, 1.0, 2.0)
    sigma_w2: float = 1.0
    sigma_eps2: float = 1.0
    step: float = 0.04
    t_max: float = 10.0
    n_log: int = 30
    seeds: tuple[int, ...] = tuple(range(10))

    @classmethod
    def for_profile(cls, profile: Profile) -> AS17Config:
        """N_i = 400 at both profiles; fast 10 draws to t = 5, paper 40 draws to t = 10.

        At t = 5 the α = 1 curve is already 60 % above its optimum; docs/formulas.md#s3-7 used 20 draws at N = 200.
        """
        return cls(seeds=tuple(range(profile.pick(fast=10, paper=40))), t_max=profile.pick(fast=5.0, paper=10.0))


@experiment("as17_generalization", AS17Config)
def run_as17(config: AS17Config) -> xr.Dataset:
    """Simulated E_g(t), E_t(t) (dims ``alpha``, ``seed``, ``time``) beside the AS17 theory (``alpha``, ``time``)."""
    n_steps = round(config.t_max / config.step)
    steps = (0, *np.unique(np.round(np.logspace(0, np.log10(n_steps), config.n_log)).astype(int)))
    E_g, E_t, E_g_th, E_t_th = [], [], [], []
    for alpha in config.alphas:
        P = round(alpha * config.n_inputs)
        streams = [np.random.SeedSequence([seed, P]).spawn(2) for seed in config.seeds]
        data: TeacherData = stack_teacher_data(
            [
                teacher_student_data(
                    config.n_inputs,
                    P,
                    np.random.default_rng(a),
                    sigma_w2=config.sigma_w2,
                    snr=config.sigma_w2 / config.sigma_eps2,
                )
                for a, _ in streams
            ]
        )
        run = train_linear_student(
            data,
            (),
            learning_rate=config.step * P,
            epochs=n_steps,
            batch_size=None,
            init_scale=0.0,
            rngs=[np.random.default_rng(b) for _, b in streams],
            logged_epochs=steps,
            record_information=False,
        )
        E_g.append(run.test_error)
        E_t.append(run.train_error)
        t = run.time
        args = (alpha, config.sigma_w2, config.sigma_eps2)
        E_g_th.append(generalization.generalization_error(t, *args, step=config.step))
        E_t_th.append(generalization.training_error(t, *args, step=config.step))
    return xr.Dataset(
        {
            "E_g_sim": (("alpha", "seed", "time"), np.stack(E_g)),
            "E_t_sim": (("alpha", "seed", "time"), np.stack(E_t)),
            "E_g_theory": (("alpha", "time"), np.stack(E_g_th)),
            "E_t_theory": (("alpha", "time"), np.stack(E_t_th)),
        },
        coords={"alpha": list(config.alphas), "seed": list(config.seeds), "time": t},
        attrs={
            "n_inputs": config.n_inputs,
            "step": config.step,
            "sigma_w2": config.sigma_w2,
            "sigma_eps2": config.sigma_eps2,
        },
    )


@dataclass(frozen=True)
class ReparametrisationConfig:
    """The scalar network x → w₁x/c → c·w₂·(w₁x/c) of [P] App C Eq 21 (X ~ N(0,1), σ²_MI = 1)."""

    w1: float = 1.0
    w2: float = 0.8
    w_o: float = 1.0
    sigma_o2: float = 1.0
    cs: tuple[float, ...] = (0.25, 0.5, 1.0, 2.0, 4.0)
    noise_variance: float = 1.0

    @classmethod
    def for_profile(cls, profile: Profile) -> ReparametrisationConfig:
        """Exact quantities: the same at both profiles."""
        return cls()


@experiment("linear_reparametrisation", ReparametrisationConfig)
def run_reparametrisation(config: ReparametrisationConfig) -> xr.Dataset:
    """I(T;X) of the hidden layer and E_g of the map for each c, by both witnesses (dim ``c``)."""
    cs = np.asarray(config.cs, dtype=float)
    W1 = (config.w1 / cs)[:, None, None]
    teacher = TeacherData(
        np.zeros((1, 1)), np.zeros((1, 1)), np.array([[config.w_o]]), config.sigma_o2, np.eye(1), np.ones(1, dtype=bool)
    )
    W_tot = (cs * config.w2)[:, None, None] * W1
    I_sim = sim_mutual_information(W1, np.eye(1), config.noise_variance)
    I_th = np.asarray(theory_mutual_information(W1, np.eye(1), config.noise_variance), dtype=float)
    return xr.Dataset(
        {
            "I_XT_sim": ("c", np.asarray(I_sim, float)),
            "I_XT_theory": ("c", I_th),
            "E_g_sim": ("c", teacher.generalization_error(W_tot)),
        },
        coords={"c": cs},
        attrs={"w1": config.w1, "w2": config.w2, "units_MI": "bits"},
    )
