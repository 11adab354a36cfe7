"""Claims of [P] §3–5 and Apps F, H, I about deep linear networks: C27–C29, C31, C35, C38, C39, C2 (linear).

Operational definitions (docs/claims.md preamble), used by every check here:

* **no compression** of a layer: the seed-mean I(T;X) never falls below its running maximum by more than
  :data:`NO_COMPRESSION_TOL` bits;
* **overtraining**: the relative rise of the seed-mean test error after its minimum,
  (E_g(final) − min E_g) / min E_g; "minimal" ≤ :data:`MINIMAL_OVERTRAINING`, "substantial" ≥
  :data:`SUBSTANTIAL_OVERTRAINING`.

Every check is a pure function of its inputs: the ``linear_student`` runs of
:meth:`~paper_checks.experiments.deep_linear.LinearStudent.for_profile`, named by variant (``"F3"``, ``"F4"``, …),
measured with the exact information (``I_XT_exact``, ``I_TY_exact``; σ²_MI = 1) or the gradient statistics
(:func:`linear_need`). Layers are 1 … L (the hidden layers, then the output).

References
----------
.. [P] Saxe et al., "On the Information Bottleneck Theory of Deep Learning", ICLR 2018.
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from paper_checks.compare import Check, ClaimResult
from paper_checks.experiments.deep_linear import LinearStudent
from paper_checks.measurements_linear import ExactInformation, LinearGradientSNR
from paper_checks.profiles import Profile
from paper_checks.registry import Inputs, Need, claim
from paper_checks.snr import levels_note, transition_checks
from simulate.mi.gaussian import label_mutual_information, mutual_information
from theory.gaussian import label_mutual_information as exact_label_mi
from theory.gaussian import mutual_information as exact_mi

__all__ = [
    "C2_LINEAR_NEEDS",
    "C39_NEEDS",
    "MINIMAL_OVERTRAINING",
    "NO_COMPRESSION_TOL",
    "SUBSTANTIAL_OVERTRAINING",
    "c2_linear_checks",
    "check_c27",
    "check_c28",
    "check_c29",
    "check_c31",
    "check_c35",
    "check_c38",
    "check_c39",
    "linear_need",
    "linear_needs",
    "max_drop",
    "overtraining",
]

#: Largest allowed fall of the seed-mean I(T;X) below its running maximum (bits). SGD noise moves the
#: seed-mean exact I(T;X) of these runs by < 10⁻³ bits between logs; compression in [P] Figs 1, 4C is ≥ 0.5 bits.
NO_COMPRESSION_TOL = 0.01
#: "Minimal overtraining" (Fig 3): the test error ends at most 10 % above its minimum.
MINIMAL_OVERTRAINING = 0.10
#: "Substantial overtraining" (Fig 4A): the test error ends at least 50 % above its minimum.
SUBSTANTIAL_OVERTRAINING = 0.50
#: Generalization (Fig 3): the minimum test error is below 90 % of the initial one (σ_w² + σ_o² ≈ 2).
GENERALIZES = 0.90
#: "Not dramatically different" (C35): SGD and BGD seed-mean I(T;X), I(T;Y) curves at matched gradient-flow
#: time differ by at most 25 % of the BGD curve's range (a curve of the other shape, e.g. a compressing one,
#: differs by ~100 %).
SGD_BGD_RELATIVE_GAP = 0.25
#: Number of seed standard errors a difference must exceed to count as a real effect.
N_STDERR = 3.0
#: Exact I(T;X), I(T;Y) by LAPACK (simulate) and by mpmath at 40 digits (theory) agree to this (bits).
EXACT_MI_AGREEMENT = 1e-9
#: |w₁| may shrink at most by twice its initial scale (an initial sign alignment of the 1-1-1 network).
WEIGHT_SHRINK_TOL = 0.02


#: The exact information of [P] (σ²_MI = 1): ``I_XT_exact``, ``I_TY_exact`` of every layer.
EXACT = ExactInformation()


def linear_need(profile: Profile, variant: str) -> Need:
    """A linear-student figure's run with what its claims and figures read.

    Every run but Fig 21 is measured with the exact information (σ²_MI = 1), Fig 6 with its relevant/irrelevant
    split; the Fig 21 runs with the gradient statistics over all training samples and, under SGD, over
    minibatches of the training batch size 1 (docs/choices.md#a13).
    """
    run = LinearStudent.for_profile(profile, variant)
    if variant == "F6":
        return Need(run, ExactInformation(subspaces=True))
    if variant == "F21-SGD":
        return Need(run, (LinearGradientSNR("sample"), LinearGradientSNR("minibatch", batch_size=1)))
    if variant == "F21-BGD":
        return Need(run, LinearGradientSNR("sample"))
    return Need(run, EXACT)


def linear_needs(*variants: str):
    """``needs(profile)`` of checks reading the linear-student runs `variants` (inputs named by variant)."""

    def needs(profile: Profile) -> dict[str, Need]:
        return {v: linear_need(profile, v) for v in variants}

    return needs


C2_LINEAR_NEEDS = linear_needs("F3", "F4")
"""Needs of :func:`c2_linear_checks` (the C2 claim adds them to its own)."""
C39_NEEDS = linear_needs("F6")
"""Needs of :func:`check_c39` (also read by C4)."""


def max_drop(curve: np.ndarray) -> float:
    """Largest fall of `curve` below its running maximum (0 for a non-decreasing curve)."""
    curve = np.asarray(curve, dtype=float)
    return float(np.max(np.maximum.accumulate(curve) - curve))


def overtraining(test_error: np.ndarray) -> float:
    """Relative rise of a test-error curve after its minimum, (final − min) / min."""
    test_error = np.asarray(test_error, dtype=float)
    return float((test_error[-1] - test_error.min()) / test_error.min())


def _mean(ds: xr.Dataset, name: str) -> xr.DataArray:
    return ds[name].mean("seed")


def _no_compression_checks(ds: xr.Dataset, label: str) -> list[Check]:
    I_XT = _mean(ds, "I_XT_exact")
    return [
        Check(
            f"{label}, layer {int(l)}: max fall of I(T;X) below its running max",
            max_drop(I_XT.sel(layer=l)),
            "<=",
            NO_COMPRESSION_TOL,
        )
        for l in I_XT.layer
    ]


def _overtraining_check(ds: xr.Dataset, label: str, relation: str, bound: float) -> Check:
    return Check(
        f"{label}: (final − min)/min of the seed-mean test error",
        overtraining(_mean(ds, "test_error")),
        relation,
        bound,
        "",
    )


def _generalization_check(ds: xr.Dataset, label: str) -> Check:
    E = _mean(ds, "test_error")
    return Check(f"{label}: min test error / initial test error", float(E.min() / E[0]), "<=", GENERALIZES, "")


@claim("C27", needs=linear_needs("F3"), figures=("F3",))
def check_c27(inputs: Inputs) -> ClaimResult:
    """C27: with X ~ N(0, I/N_i), Y = W_o X + ε_o and a deep linear student, E_g and the MI (σ²_MI = 1) are exact.

    [P] §3, Eqs 5, 6, 22–25. Checks on the Fig 3 runs: the exact E_g (trace form) matches a Monte-Carlo test
    error on 2·10⁴ fresh teacher examples within 3 standard errors, and the exact I(T;X), I(T;Y) of the output
    layer by the simulation witness (LAPACK log-det) match the theory witness (mpmath, 40 digits).
    """
    ds = inputs["F3"]
    W_tot = ds.W_tot.isel(epoch=-1, seed=0).values
    W_o = ds.W_o.isel(seed=0).values
    sigma_o2 = float(ds.attrs["sigma_o2"])
    N_i = W_o.shape[-1]
    rng = np.random.default_rng(20_180_427)
    X = rng.normal(0.0, 1.0 / np.sqrt(N_i), size=(20_000, N_i))
    Y = X @ W_o.T + rng.normal(0.0, np.sqrt(sigma_o2), size=(20_000, 1))
    squared = np.sum((Y - X @ W_tot.T) ** 2, axis=1)
    exact = float(ds.test_error.isel(epoch=-1, seed=0))
    z = abs(squared.mean() - exact) / (squared.std() / np.sqrt(squared.size))
    Sigma_x = np.eye(N_i) / N_i
    gaps = [
        abs(float(mutual_information(W_tot, Sigma_x, 1.0)) - float(exact_mi(W_tot, Sigma_x, 1.0))),
        abs(
            float(label_mutual_information(W_tot, W_o, Sigma_x, sigma_o2, 1.0))
            - float(exact_label_mi(W_tot, W_o, Sigma_x, sigma_o2, 1.0))
        ),
    ]
    return ClaimResult(
        "C27",
        (
            Check("|Monte-Carlo test MSE − exact E_g| in standard errors (seed 0, final epoch)", z, "<=", N_STDERR, ""),
            Check("|I(T;X) LAPACK − I(T;X) mpmath|, output layer", gaps[0], "<=", EXACT_MI_AGREEMENT),
            Check("|I(T;Y) LAPACK − I(T;Y) mpmath|, output layer", gaps[1], "<=", EXACT_MI_AGREEMENT),
        ),
        paper_value="exact formulas Eqs 5, 6, 22–25 (we use the ½·log det form with Σ_x = I/N_i, "
        "docs/choices.md#a9/#a10)",
        figures=("F3",),
    )


@claim("C28", needs=linear_needs("F3"), figures=("F3",))
def check_c28(inputs: Inputs) -> ClaimResult:
    """C28: 100-100-1 linear network, BGD, P = 100, SNR 1: no compression; good generalization, "minimal overtraining".

    [P] §3, Fig 3. docs/choices.md#a11 settings in
    :meth:`~paper_checks.experiments.deep_linear.LinearStudent.for_profile` (``"F3"``).
    """
    ds = inputs["F3"]
    checks = [
        *_no_compression_checks(ds, "Fig 3 BGD"),
        _generalization_check(ds, "Fig 3 BGD"),
        _overtraining_check(ds, "Fig 3 BGD", "<=", MINIMAL_OVERTRAINING),
    ]
    return ClaimResult(
        "C28",
        tuple(checks),
        paper_value="no compression; minimal overtraining",
        figures=("F3",),
        note="BGD trained to t = 0.55, just past the early-stopping optimum (docs/choices.md#a11)",
    )


def _label_information_loss(ds: xr.Dataset, layer: int) -> tuple[float, float]:
    """Peak − final of the seed-mean I(T;Y) of `layer`, and its standard error over seeds."""
    I_TY = ds.I_TY_exact.sel(layer=layer)
    k = int(I_TY.mean("seed").argmax("epoch"))
    per_seed = (I_TY.isel(epoch=k) - I_TY.isel(epoch=-1)).values
    return float(per_seed.mean()), float(per_seed.std(ddof=1) / np.sqrt(per_seed.size))


@claim("C29", needs=linear_needs("F4"), figures=("F4A", "F4B"))
def check_c29(inputs: Inputs) -> ClaimResult:
    """C29: N_i = P = N_h = 100, SGD batch 5: substantial overtraining; no compression; I(T;Y) falls while overtraining.

    [P] §3, Fig 4A–B. I(T;Y) loss: the seed-mean I(T;Y) of the output layer falls from its peak by more than
    :data:`N_STDERR` standard errors (over seeds) of that fall. The 100-unit hidden layer is reported, not
    required: its I(T;Y) counts every direction of T, and overfitting adds directions, so in some seeds it keeps
    rising while the test error rises (the output, the network's prediction, loses label information in all).
    """
    ds = inputs["F4"]
    checks = [
        *_no_compression_checks(ds, "Fig 4 SGD"),
        _overtraining_check(ds, "Fig 4 SGD", ">=", SUBSTANTIAL_OVERTRAINING),
    ]
    out = int(ds.layer.values[-1])
    loss, se = _label_information_loss(ds, out)
    checks.append(
        Check(
            f"Fig 4 SGD, output layer {out}: I(T;Y) peak − final, in seed standard errors",
            loss / se,
            ">=",
            N_STDERR,
            "",
        )
    )
    hidden = [_label_information_loss(ds, int(l)) for l in ds.layer.values[:-1]]
    return ClaimResult(
        "C29",
        tuple(checks),
        paper_value="substantial overtraining; I(T;Y) lost; no compression",
        figures=("F4A", "F4B"),
        note="hidden-layer I(T;Y) peak − final (bits, ± SE): " + ", ".join(f"{m:.4f} ± {s:.4f}" for m, s in hidden),
    )


@claim("C31", needs=linear_needs("F18"), figures=("F18",))
def check_c31(inputs: Inputs) -> ClaimResult:
    """C31: a deeper linear network (5 hidden layers of 50 units) also does not compress. [P] App F, Fig 18."""
    ds = inputs["F18"]
    I_first, I_last = _mean(ds, "I_XT_exact").isel(epoch=0), _mean(ds, "I_XT_exact").isel(epoch=-1)
    grew = Check(
        "Fig 18: smallest growth of I(T;X) over training, across layers", float((I_last - I_first).min()), ">", 0.0
    )
    return ClaimResult("C31", (*_no_compression_checks(ds, "Fig 18 deep"), grew), figures=("F18",))


@claim("C35", needs=linear_needs("F4", "F19"), figures=("F19",))
def check_c35(inputs: Inputs) -> ClaimResult:
    """C35: linear network, SGD (batch 5) vs BGD: the information-plane dynamics are "not dramatically different".

    [P] App H, Fig 19. The runs are matched in gradient-flow time (lr/B per epoch; ``LinearStudent.for_profile``);
    for each layer the largest gap between the seed-mean SGD and BGD curves of I(T;X) and of I(T;Y) must stay
    below :data:`SGD_BGD_RELATIVE_GAP` of the BGD curve's range, and neither compresses.
    """
    sgd, bgd = inputs["F4"], inputs["F19"]
    if not np.allclose(sgd.time.values, bgd.time.values):
        raise ValueError("C35 needs SGD and BGD runs logged at the same gradient-flow times")
    checks = [*_no_compression_checks(sgd, "Fig 19A SGD"), *_no_compression_checks(bgd, "Fig 19B BGD")]
    for name in ("I_XT", "I_TY"):
        a, b = _mean(sgd, f"{name}_exact"), _mean(bgd, f"{name}_exact")
        for layer in a.layer.values:
            gap = float(np.abs(a.sel(layer=layer) - b.sel(layer=layer)).max())
            span = float(b.sel(layer=layer).max() - b.sel(layer=layer).min())
            checks.append(
                Check(
                    f"layer {layer}: max |SGD − BGD| {name} / range of BGD {name}",
                    gap / span,
                    "<=",
                    SGD_BGD_RELATIVE_GAP,
                    "",
                )
            )
    return ClaimResult("C35", tuple(checks), paper_value="not dramatically different", figures=("F19",))


@claim("C38", needs=linear_needs("F21-SGD", "F21-BGD"), figures=("F21",))
def check_c38(inputs: Inputs) -> ClaimResult:
    """C38: the 1-1-1 linear network (SNR 1, P = 100, lr 0.001) shows the SNR transition while |w₁| grows.

    [P] App I, Fig 21: under SGD (minibatch 1) and BGD (statistics over all training samples) the gradient SNR
    falls from high to low (definition: :mod:`paper_checks.snr`, ratio ≥ max(10, the null model's 99 % quantile)
    — for these one-weight layers the null is exact) while the weights grow, so there is no compression. Checked
    on the seed-median SNR of each layer, and |w₁| per seed. The note reports the early and late SNR of each
    statistic and whether it crosses 1 (reported, not checked).
    """
    checks = []
    notes, extra = [], {}
    for variant, prefix, label in (
        ("F21-SGD", "grad_batch", "SGD, per minibatch of 1"),
        ("F21-BGD", "grad", "BGD, per sample"),
    ):
        ds = inputs[variant]
        checks += transition_checks(ds, prefix, ds.layer.values, f"{label},")
        note, levels = levels_note(variant, ds, ds.layer.values)
        notes.append(note)
        extra |= levels
        w1 = ds.weight_norm.sel(layer=1).values  # |w₁| of the 1-1-1 network, (seed, epoch)
        drop = max(max_drop(row) for row in w1)
        checks.append(
            Check(f"{label}: largest fall of |w₁| below its running max, any seed", drop, "<=", WEIGHT_SHRINK_TOL, "")
        )
        checks.append(
            Check(f"{label}: median final |w₁| / initial |w₁|", float(np.median(w1[:, -1] / w1[:, 0])), ">=", 10.0, "")
        )
    return ClaimResult(
        "C38",
        tuple(checks),
        figures=("F21",),
        note="SNR transition = max running median of 5 logs / median of the last 5 ≥ max(10, null 99 % quantile); "
        + "; ".join(notes),
        extra=extra,
    )


@claim("C39", needs=C39_NEEDS, figures=("F6",))
def check_c39(inputs: Inputs) -> ClaimResult:
    """C39: with 30 relevant + 70 irrelevant inputs, I(T;X_irrel) rises, then compresses while fitting.

    [P] §5, Fig 6 (SGD batch 5): I(T;X) does not compress, I(T;X_rel) rises, I(T;X_irrel) rises then
    compresses while the relevant information is being fitted.

    Checked on the output layer, where the teacher's single relevant direction lives (a 100-unit hidden layer
    keeps the initial irrelevant information in its 99 other directions; see the README): the seed-mean
    I(T;X_irrel) has an interior maximum that exceeds its final value by :data:`N_STDERR` standard errors,
    reached before the training error has made 90 % of its total fall.
    """
    ds = inputs["F6"]
    out = int(ds.layer.values[-1])
    irr = ds.I_X_irrel_exact.sel(layer=out)
    k = int(irr.mean("seed").argmax("epoch"))
    fall = (irr.isel(epoch=k) - irr.isel(epoch=-1)).values
    E_t = _mean(ds, "train_error").values
    fitted = int(np.argmax(E_t <= E_t[0] - 0.9 * (E_t[0] - E_t[-1])))
    rel = _mean(ds, "I_X_rel_exact").sel(layer=out)
    checks = [
        *_no_compression_checks(ds, "Fig 6 total"),
        Check("Fig 6 output: I(T;X_rel) final − initial", float(rel[-1] - rel[0]), ">", 0.1),
        Check("Fig 6 output: fall of I(T;X_rel) below its running max", max_drop(rel), "<=", NO_COMPRESSION_TOL),
        Check(
            "Fig 6 output: I(T;X_irrel) peak − final, in seed standard errors",
            fall.mean() / (fall.std(ddof=1) / np.sqrt(fall.size)),
            ">=",
            N_STDERR,
            "",
        ),
        Check("Fig 6 output: log index of the I(T;X_irrel) peak (interior: > 0)", k, ">", 0, ""),
        Check(
            "Fig 6: time of the I(T;X_irrel) peak − time the training error made 90 % of its fall",
            float(ds.time[k] - ds.time[fitted]),
            "<",
            0.0,
            "time",
        ),
    ]
    return ClaimResult(
        "C39",
        tuple(checks),
        figures=("F6",),
        note="docs/choices.md#a11 choices for §5 (P = 400, SNR 10, σ_w² = 30, init 1, lr 0.02) in "
        "LinearStudent.for_profile",
    )


def c2_linear_checks(inputs: Inputs) -> tuple[Check, ...]:
    """The linear cells of C2: no compression + generalizes (Fig 3, BGD); no compression + overfits (Fig 4A–B, SGD).

    [P] abstract, §3. Not registered (C2 also has tanh cells owned by the nonlinear family): the C2 claim
    (:mod:`paper_checks.claims.headline`) reads :data:`C2_LINEAR_NEEDS` and adds these checks.
    """
    fig3, fig4 = inputs["F3"], inputs["F4"]
    checks = [
        *_no_compression_checks(fig3, "no compression + generalizes (Fig 3)"),
        _generalization_check(fig3, "no compression + generalizes (Fig 3)"),
        _overtraining_check(fig3, "no compression + generalizes (Fig 3)", "<=", MINIMAL_OVERTRAINING),
        *_no_compression_checks(fig4, "no compression + overfits (Fig 4A-B)"),
        _overtraining_check(fig4, "no compression + overfits (Fig 4A-B)", ">=", SUBSTANTIAL_OVERTRAINING),
    ]
    return tuple(checks)
