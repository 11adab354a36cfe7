"""Claims about the MI estimators: C40 (KT17 bracketing), C41 (KDE noise limits), C46 (SZT ceilings, ibsgd epoch 0).

Tolerances (bits), with where they come from:

* :data:`INTEGRATION_TOL`: the trapezoid integral of :func:`theory.kde.mixture_entropy` agrees with adaptive
  quadrature to < 1e-11 bits; the pairwise bounds are sums of ≤ 36 exponentials (rounding ≈ 1e-15).
* :data:`LARGE_NOISE_BOUND`: by Jensen, the upper bound is at most mean‖h_i − h_j‖²/(2σ² ln 2) ≤ 4·10/(2σ² ln 2)
  for activity in [−1, 1]^10; at σ² = 1e6 that is 2.9e-5 bits.
* :data:`N_STANDARD_ERRORS`: a difference of seed means counts as an ordering violation only beyond 3 standard
  errors of that difference over seeds.

References
----------
.. [P] Saxe et al., "On the Information Bottleneck Theory of Deep Learning", ICLR 2018, App B.1.
.. [KT17] Kolchinsky & Tracey, Entropy 19 (2017) 361.
"""

from __future__ import annotations

import math

import numpy as np

from paper_checks.compare import Check, ClaimResult
from paper_checks.experiments.estimators import (
    IBSGD_KDE_NOISE_VARIANCE,
    MixtureConfig,
    NoiseLimitConfig,
    ibsgd_epoch0_need,
)
from paper_checks.profiles import Profile
from paper_checks.registry import Inputs, Need, claim
from simulate.data.szt import load_szt

__all__ = ["IBSGD_EPOCH0", "check_c40", "check_c41", "check_c46"]

INTEGRATION_TOL = 1e-9
LARGE_NOISE_BOUND = 2.9e-5
#: Exact-arithmetic checks (bounds equal at the ceiling, monotonicity): rounding of sums of 4096 terms.
ROUNDING_TOL = 1e-9
#: "All pairwise distances ≫ σ": the smallest squared distance exceeds 1000 σ², so every off-diagonal kernel
#: term is below e^{-500}.
SEPARATION_FACTOR = 1000.0
N_STANDARD_ERRORS = 3.0
#: The first hidden layer reaches the ceilings within this (ibsgd table: 12.000 and 0.999, printed to 3 decimals).
CEILING_TOL = 0.01
#: H(Y) of the SZT labels (docs/formulas.md#s5-3 [ours], 2118 of 4096 positive), and its printed precision.
H_Y_SPEC, H_Y_PRINTED_TOL = 0.999157, 5e-7

#: The ibsgd table is printed to 3 decimals: differences below this are rounding.
TABLE_ROUNDING = 5e-4
#: ibsgd ``IBnet_ComputeMI`` epoch 0, tanh, its layers 0–5 (our layers 1–6; docs/formulas.md#s5-2): KDE (σ² = 1e-3,
#: "upper") and binned (Δ = 0.07), keyed by our variable names.
IBSGD_EPOCH0 = {
    "I_XT_upper_kde": (12.000, 11.989, 11.768, 11.080, 8.791, 1.802),
    "I_TY_upper_kde": (0.999, 0.996, 0.905, 0.657, 0.205, 0.006),
    "I_XT_bin": (12.000, 11.996, 11.893, 11.424, 9.383, 2.353),
    "I_TY_bin": (0.999, 0.999, 0.957, 0.759, 0.247, 0.010),
}


def _c40_needs(profile: Profile) -> dict[str, Need]:
    return {"mixtures": Need(MixtureConfig.for_profile(profile))}


@claim("C40", needs=_c40_needs)
def check_c40(inputs: Inputs) -> ClaimResult:
    """C40 [KT17]: for a Gaussian mixture, H(X|C) ≤ Ĥ_BD ≤ H(X) ≤ Ĥ_KL ≤ H(X,C); the bounds coincide when clustered.

    H(X) of random 6-component mixtures in 1 and 2 dimensions comes from numerical integration (theory); the
    bounds from the pairwise kernel sums of :mod:`simulate.mi.kde`. No figure of the paper shows this.
    """
    ds = inputs["mixtures"]
    tol = INTEGRATION_TOL
    gaps = {
        "Ĥ_BD − H(X|C)": ds.H_X_lower - ds.H_X_given_C,
        "H(X) − Ĥ_BD": ds.H_X - ds.H_X_lower,
        "Ĥ_KL − H(X)": ds.H_X_upper - ds.H_X,
        "H(X,C) − Ĥ_KL": ds.H_XC - ds.H_X_upper,
    }
    checks = [Check(f"min over mixtures of {name}", float(gap.min()), ">=", -tol) for name, gap in gaps.items()]
    clustered_gap = float(np.max(np.abs(ds.clustered_H_X_upper - ds.clustered_H_X_lower)))
    clustered_error = float(np.max(np.abs(ds.clustered_H_X_upper - ds.clustered_H_X)))
    checks += [
        Check("clustered mixtures: max |Ĥ_KL − Ĥ_BD|", clustered_gap, "<=", tol),
        Check("clustered mixtures: max |Ĥ_KL − H(X)|", clustered_error, "<=", tol),
        Check(
            "random mixtures: some bound is strictly loose (the check can fail)",
            float((ds.H_X_upper - ds.H_X_lower).max()),
            ">",
            10 * tol,
        ),
    ]
    return ClaimResult(
        "C40",
        tuple(checks),
        paper_value="H(X|C) ≤ Ĥ_BD ≤ H(X) ≤ Ĥ_KL ≤ H(X,C); equality in the clustered limit [KT17]",
        note=(
            f"{ds.sizes['seed']} random mixtures × dims {[int(d) for d in ds.dim.values]} × σ² "
            f"{[float(v) for v in ds.variance.values]}; H(X) by trapezoid integration (theory.kde.mixture_entropy)"
        ),
    )


def _c41_needs(profile: Profile) -> dict[str, Need]:
    return {"noise_limits": Need(NoiseLimitConfig.for_profile(profile))}


@claim("C41", needs=_c41_needs)
def check_c41(inputs: Inputs) -> ClaimResult:
    """C41 [KT17 + P Eq 7]: the upper-bound MI estimate lies in [0, log P], → 0 as σ² → ∞, → log P if separated.

    "→ log P when all pairwise distances ≫ σ". Evaluated in bits on the six layers of the SZT network at
    initialisation (P = 4096, log₂ P = 12) for
    σ² from 1e-12 to 1e6 (the KDE estimator of [P] App B.1, Fig 8 uses σ² = 0.1).
    """
    ds = inputs["noise_limits"]
    ceiling = math.log2(ds.attrs["n_inputs"])
    upper, lower = ds.I_XT_upper_kde, ds.I_XT_lower_kde
    smallest = float(ds.noise_variance.min())
    separated = ds.min_squared_distance >= SEPARATION_FACTOR * smallest
    at_small = upper.sel(noise_variance=smallest).where(separated)
    increase = upper.diff("noise_variance").max()
    checks = (
        Check("min upper bound over layers and σ²", float(upper.min()), ">=", 0.0),
        Check("max upper bound over layers and σ²", float(upper.max()), "<=", ceiling + ROUNDING_TOL),
        Check("min (upper − lower) over layers and σ²", float((upper - lower).min()), ">=", -ROUNDING_TOL),
        Check("largest increase of the upper bound as σ² grows", float(increase), "<=", ROUNDING_TOL),
        Check(
            f"max upper bound at σ² = {float(ds.noise_variance.max()):g}",
            float(upper.isel(noise_variance=-1).max()),
            "<=",
            LARGE_NOISE_BOUND,
        ),
        Check(
            f"layers with all squared distances ≥ {SEPARATION_FACTOR:g}σ² at σ² = {smallest:g}: max |upper − log₂ P|",
            float(np.abs(at_small - ceiling).max()),
            "<=",
            ROUNDING_TOL,
        ),
        Check(
            "number of such well-separated layers (the limit is exercised)",
            float(separated.sum()),
            ">=",
            1.0,
            units="layers",
        ),
    )
    return ClaimResult("C41", checks, paper_value="upper bound ∈ [0, log P]; → 0 (σ² → ∞); → log P (separated)")


def _seed_mean_and_stderr(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    n = values.shape[0]
    return values.mean(axis=0), values.std(axis=0, ddof=1) / math.sqrt(n) if n > 1 else np.zeros(values.shape[1:])


def _c46_needs(profile: Profile) -> dict[str, Need]:
    return {"ibsgd_epoch0": ibsgd_epoch0_need(profile)}


def _at_epoch(ds, name: str, epoch: int) -> np.ndarray:
    """Values (seed, layer) of `name` at logged `epoch` (KDE at σ² = 1e-3)."""
    values = ds[name].sel(epoch=epoch)
    if "noise_variance" in values.dims:
        values = values.sel(noise_variance=IBSGD_KDE_NOISE_VARIANCE)
    return values.transpose("seed", "layer").values


@claim("C46", needs=_c46_needs)
def check_c46(inputs: Inputs) -> ClaimResult:
    """C46 [SZT17 data, ours]: H(Y) = 0.999157 bits, so every I(T;Y) ≤ 0.99916 bits and every I(X;T) ≤ 12 bits.

    Checked on every estimator at the SZT network's initialisation, the setting of ibsgd's committed epoch-0
    table (docs/formulas.md#s5-2; tanh, KDE σ² = 1e-3, bins Δ = 0.07, all 4096 patterns): the ceilings are respected and
    reached by the first hidden layer, and the layers are ordered as in the table (information falls with
    depth; binning with Δ = 0.07 keeps more than KDE with σ² = 1e-3). The table's per-layer numbers come from one
    unseeded initialisation; ours are seed averages, so only their spread is comparable (see ``extra``). ibsgd
    logs "epoch 0" at the end of the first epoch (``on_epoch_end``: 13 Adam steps at lr 4e-4); the run is also
    measured there, and how far that moves our seed means is reported (``extra``, note), but the comparison is
    made at initialisation. Layers are numbered 1–6 (ibsgd's 0–5).
    """
    labels = load_szt().y
    p = np.bincount(labels) / labels.size
    H_Y = float(-np.sum(p * np.log2(p)))
    ds = inputs["ibsgd_epoch0"]
    at0 = {
        v: _at_epoch(ds, v, 0) for v in ("I_XT_upper_kde", "I_TY_upper_kde", "I_TY_lower_kde", "I_XT_bin", "I_TY_bin")
    }
    checks = [
        Check("|H(Y) − 0.999157| of var_u.mat", abs(H_Y - H_Y_SPEC), "<=", H_Y_PRINTED_TOL),
        Check(
            "max I(X;T) over estimators, seeds, layers",
            float(max(at0[v].max() for v in ("I_XT_upper_kde", "I_XT_bin"))),
            "<=",
            12.0 + ROUNDING_TOL,
        ),
        Check(
            "max I(T;Y) over estimators, seeds, layers − H(Y)",
            float(max(at0[v].max() for v in ("I_TY_upper_kde", "I_TY_lower_kde", "I_TY_bin"))) - H_Y,
            "<=",
            ROUNDING_TOL,
        ),
    ]
    extra: dict[str, list[float]] = {}
    shift = {}
    for name, table in IBSGD_EPOCH0.items():
        values = at0[name]
        mean, _ = _seed_mean_and_stderr(values)
        ceiling = 12.0 if name.startswith("I_XT") else H_Y
        checks.append(Check(f"{name}: ceiling − seed mean of layer 1", ceiling - float(mean[0]), "<=", CEILING_TOL))
        diffs = values[:, :-1] - values[:, 1:]
        d_mean, d_err = _seed_mean_and_stderr(diffs)
        worst = int(np.argmin(d_mean + N_STANDARD_ERRORS * d_err))
        checks.append(
            Check(
                f"{name}: layer {worst + 1} − layer {worst + 2} (seed mean + {N_STANDARD_ERRORS:g} SE), "
                "information falls with depth",
                float(d_mean[worst] + N_STANDARD_ERRORS * d_err[worst]),
                ">=",
                0.0,
            )
        )
        spread = values.std(axis=0, ddof=1) if values.shape[0] > 1 else np.zeros(values.shape[1])
        after = _seed_mean_and_stderr(_at_epoch(ds, name, 1))[0]
        shift[name] = after - mean
        extra[f"{name}_ours_mean"] = mean.tolist()
        extra[f"{name}_ours_seed_sd"] = spread.tolist()
        extra[f"{name}_after_first_epoch_shift"] = shift[name].tolist()
        extra[f"{name}_ibsgd"] = list(table)
        extra[f"{name}_z"] = [
            0.0 if abs(t - m) <= TABLE_ROUNDING else float((t - m) / max(s, TABLE_ROUNDING))
            for t, m, s in zip(table, mean, spread)
        ]
    for kind in ("XT", "TY"):
        kde_name, bin_name = f"I_{kind}_upper_kde", f"I_{kind}_bin"
        diff = at0[bin_name][:, 1:] - at0[kde_name][:, 1:]
        d_mean, d_err = _seed_mean_and_stderr(diff)
        worst = int(np.argmin(d_mean + N_STANDARD_ERRORS * d_err))
        checks.append(
            Check(
                f"I_{kind}, layer {worst + 2}: binned − KDE (seed mean + {N_STANDARD_ERRORS:g} SE), as in "
                "the ibsgd table",
                float(d_mean[worst] + N_STANDARD_ERRORS * d_err[worst]),
                ">=",
                0.0,
            )
        )
    z = np.array(extra["I_XT_upper_kde_z"])
    moved = max(float(np.abs(v).max()) for v in shift.values())
    moved_at = max(shift, key=lambda k: float(np.abs(shift[k]).max()))
    return ClaimResult(
        "C46",
        tuple(checks),
        paper_value="ibsgd epoch 0 (one init): KDE I(X;M) 12.000, 11.989, 11.768, 11.080, 8.791, 1.802",
        note=(
            f"{ds.sizes['seed']} seeds; ibsgd's single initialisation lies {', '.join(f'{v:+.1f}' for v in z)} seed "
            "standard deviations from our seed mean (KDE I(X;T), layers 1–6); one epoch of Adam (13 steps, when "
            f"ibsgd logs epoch 0) moves our seed means by ≤ {moved:.2f} bits ({moved_at}, layer "
            f"{int(np.argmax(np.abs(shift[moved_at]))) + 1}); ceilings and ordering agree"
        ),
        extra=extra,
    )
