"""Claims about the MI estimators: C40 (KT17 bracketing), C41 (KDE noise limits), C46 (SZT ceilings, ibsgd epoch 0).

Tolerances (bits), with where they come from:

* :data:`INTEGRATION_TOL`: the trapezoid integral of :func:`theory.kde.mixture_entropy` agrees with adaptive
  quadrature to < 1e-11 bits; the pairwise bounds are sums of ≤ 36 exponentials (rounding ≈ 1e-15).
* :data:`LARGE_NOISE_BOUND`: by Jensen, the upper bound is at most mean‖h_i − h_j‖²/(2σ² ln 2) ≤ 4·10/(2σ² ln 2)
  for activity in [−1, 1]^10; at σ² = 1e6 that is 2.9e-5 bits.
* :data:`N_STANDARD_ERRORS`: the orderings of C46 are equivalence tests — a deeper layer (or the KDE estimate)
  may exceed a shallower layer (or the binned estimate) by at most :data:`TABLE_ROUNDING`, the rounding of the
  ibsgd table, with the seed mean of the excess + 3 standard errors, so that seed noise makes them harder to pass.

Every check is declared in advance (:mod:`paper_checks.declarations`); its scale is its tolerance (the rounding or
integration accuracy, the Jensen bound, the table's rounding). Properties that hold by construction of the
pairwise estimators — every kernel sum includes its own term and is at most P, so Ĥ_BD ≥ H(X|C), Ĥ_KL ≤ H(X,C),
the MI estimate lies in [0, log₂P] and falls as σ² grows, and the estimates of I(T;Y) cannot exceed H(Y) — are
declared with relation ``identity`` and say so: they fail only if the implementation is wrong.

References
----------
.. [P] Saxe et al., "On the Information Bottleneck Theory of Deep Learning", ICLR 2018, App B.1.
.. [KT17] Kolchinsky & Tracey, Entropy 19 (2017) 361.
"""

from __future__ import annotations

import math

import numpy as np

from paper_checks.claims.paper_profile import paper_declared
from paper_checks.compare import Check, ClaimResult
from paper_checks.declarations import Declared, declare
from paper_checks.experiments.estimators import (
    IBSGD_KDE_NOISE_VARIANCE,
    MixtureConfig,
    NoiseLimitConfig,
    ibsgd_epoch0_need,
)
from paper_checks.profiles import Profile
from paper_checks.registry import Inputs, Need, claim, does_not_reproduce
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


_MIXTURES = ("mixtures",)
_INTEGRATION = "INTEGRATION_TOL: trapezoid H(X) agrees with adaptive quadrature to < 1e-11 bits (scale 1e-9)"
_BY_CONSTRUCTION = (
    "every pairwise kernel sum Σ_j e^{−D_ij}/P includes its own term 1/P and is at most 1, so the bound lies in "
    "[H(X|C), H(X|C) + log₂P] = [H(X|C), H(X,C)]"
)

C40_DECLARED = declare(
    "C40",
    Declared(
        "Ĥ_BD ≥ H(X|C) (identity)",
        "information_difference",
        "identity",
        "min over mixtures of Ĥ_BD − H(X|C) ≥ −1e-9 bits (scale 1e-9)",
        "identity: " + _BY_CONSTRUCTION,
        _MIXTURES,
    ),
    Declared(
        "Ĥ_BD ≤ H(X)",
        "information_difference",
        ">=",
        "min over mixtures of H(X) − Ĥ_BD ≥ −1e-9 bits",
        "[KT17] lower bound against numerically integrated H(X); " + _INTEGRATION,
        _MIXTURES,
    ),
    Declared(
        "H(X) ≤ Ĥ_KL",
        "information_difference",
        ">=",
        "min over mixtures of Ĥ_KL − H(X) ≥ −1e-9 bits",
        "[KT17] upper bound against numerically integrated H(X); " + _INTEGRATION,
        _MIXTURES,
    ),
    Declared(
        "Ĥ_KL ≤ H(X,C) (identity)",
        "information_difference",
        "identity",
        "min over mixtures of H(X,C) − Ĥ_KL ≥ −1e-9 bits (scale 1e-9)",
        "identity: " + _BY_CONSTRUCTION,
        _MIXTURES,
    ),
    Declared(
        "clustered: the bounds coincide",
        "information_difference",
        "<=",
        "max |Ĥ_KL − Ĥ_BD| ≤ 1e-9 bits on the clustered mixture (scale 1e-9)",
        "[KT17] clustered limit: off-diagonal kernels below e^{−500}; rounding of ≤ 36 exponentials ≈ 1e-15",
        _MIXTURES,
    ),
    Declared(
        "clustered: the bounds equal H(X)",
        "information_difference",
        "<=",
        "max |Ĥ_KL − H(X)| ≤ 1e-9 bits on the clustered mixture (scale 1e-9)",
        _INTEGRATION,
        _MIXTURES,
    ),
    Declared(
        "the bracket is exercised",
        "information_difference",
        ">",
        "max over random mixtures of Ĥ_KL − Ĥ_BD > 1e-8 bits (10 × INTEGRATION_TOL; scale 1e-9)",
        "some random mixture has a strictly loose bracket, so the ordering checks could fail",
        _MIXTURES,
    ),
)


@claim("C40", needs=_c40_needs, declares=C40_DECLARED)
def check_c40(inputs: Inputs) -> ClaimResult:
    """C40 [KT17]: for a Gaussian mixture, H(X|C) ≤ Ĥ_BD ≤ H(X) ≤ Ĥ_KL ≤ H(X,C); the bounds coincide when clustered.

    H(X) of random 6-component mixtures in 1 and 2 dimensions comes from numerical integration (theory); the
    bounds from the pairwise kernel sums of :mod:`simulate.mi.kde`. The outer inequalities hold by construction of
    the pairwise estimators (identities); the inner ones test the bounds against H(X). No figure of the paper
    shows this.
    """
    ds = inputs["mixtures"]
    tol = INTEGRATION_TOL
    gaps = (
        ("Ĥ_BD − H(X|C)", ds.H_X_lower - ds.H_X_given_C, "Ĥ_BD ≥ H(X|C) (identity)", "identity: "),
        ("H(X) − Ĥ_BD", ds.H_X - ds.H_X_lower, "Ĥ_BD ≤ H(X)", ""),
        ("Ĥ_KL − H(X)", ds.H_X_upper - ds.H_X, "H(X) ≤ Ĥ_KL", ""),
        ("H(X,C) − Ĥ_KL", ds.H_XC - ds.H_X_upper, "Ĥ_KL ≤ H(X,C) (identity)", "identity: "),
    )
    checks = [
        Check(f"{label}min over mixtures of {name}", float(gap.min()), ">=", -tol, scale=tol, declared=declared)
        for name, gap, declared, label in gaps
    ]
    clustered_gap = float(np.max(np.abs(ds.clustered_H_X_upper - ds.clustered_H_X_lower)))
    clustered_error = float(np.max(np.abs(ds.clustered_H_X_upper - ds.clustered_H_X)))
    checks += [
        Check(
            "clustered mixtures: max |Ĥ_KL − Ĥ_BD|",
            clustered_gap,
            "<=",
            tol,
            scale=tol,
            declared="clustered: the bounds coincide",
        ),
        Check(
            "clustered mixtures: max |Ĥ_KL − H(X)|",
            clustered_error,
            "<=",
            tol,
            scale=tol,
            declared="clustered: the bounds equal H(X)",
        ),
        Check(
            "random mixtures: some bound is strictly loose (the check can fail)",
            float((ds.H_X_upper - ds.H_X_lower).max()),
            ">",
            10 * tol,
            scale=tol,
            declared="the bracket is exercised",
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


_NOISE_LIMITS = ("noise_limits",)
_KDE_SUMS = (
    "the estimate is U = log₂P − mean_i log₂ Σ_j e^{−‖h_i − h_j‖²/(2σ²)}, each sum in [1, P] (its own term is 1) and "
    "increasing in σ²"
)

C41_DECLARED = declare(
    "C41",
    Declared(
        "upper bound ≥ 0 (identity)",
        "I_XT_upper_kde",
        "identity",
        "min over layers and σ² ≥ 0 bits (scale ROUNDING_TOL = 1e-9)",
        "identity: " + _KDE_SUMS,
        _NOISE_LIMITS,
    ),
    Declared(
        "upper bound ≤ log₂P (identity)",
        "I_XT_upper_kde",
        "identity",
        "max over layers and σ² ≤ log₂4096 + 1e-9 bits (scale 1e-9)",
        "identity: " + _KDE_SUMS,
        _NOISE_LIMITS,
    ),
    Declared(
        "upper ≥ lower (identity)",
        "I_XT_lower_kde",
        "identity",
        "min over layers and σ² of upper − lower ≥ −1e-9 bits (scale 1e-9)",
        "identity: the lower bound's kernel e^{−d²/(8σ²)} ≥ the upper's e^{−d²/(2σ²)}, so its sums are larger",
        _NOISE_LIMITS,
    ),
    Declared(
        "upper bound falls as σ² grows (identity)",
        "I_XT_upper_kde",
        "identity",
        "largest increase over successive σ² (1e-12 … 1e6) ≤ 1e-9 bits (scale 1e-9)",
        "identity: " + _KDE_SUMS,
        _NOISE_LIMITS,
    ),
    Declared(
        "→ 0 as σ² → ∞",
        "I_XT_upper_kde",
        "<=",
        "max over layers at σ² = 1e6 ≤ 2.9e-5 bits (LARGE_NOISE_BOUND; scale 2.9e-5)",
        "Jensen: U ≤ mean‖h_i − h_j‖²/(2σ² ln 2) ≤ 4·10/(2σ² ln 2) for activity in [−1, 1]^10",
        _NOISE_LIMITS,
    ),
    Declared(
        "→ log₂P when separated",
        "I_XT_upper_kde",
        "<=",
        "max over layers with all squared distances ≥ 1000σ² at σ² = 1e-12 of |upper − 12| ≤ 1e-9 bits (scale 1e-9)",
        "off-diagonal kernels below e^{−500}: every sum is 1 to rounding",
        _NOISE_LIMITS,
    ),
    Declared(
        "the separated limit is exercised",
        "count",
        ">=",
        "number of well-separated layers ≥ 1 (scale 1 layer)",
        "the previous check is not vacuous",
        _NOISE_LIMITS,
    ),
)


@claim("C41", needs=_c41_needs, declares=C41_DECLARED)
def check_c41(inputs: Inputs) -> ClaimResult:
    """C41 [KT17 + P Eq 7]: the upper-bound MI estimate lies in [0, log P], → 0 as σ² → ∞, → log P if separated.

    "→ log P when all pairwise distances ≫ σ". Evaluated in bits on the six layers of the SZT network at
    initialisation (P = 4096, log₂ P = 12) for
    σ² from 1e-12 to 1e6 (the KDE estimator of [P] App B.1, Fig 8 uses σ² = 0.1). The range, the ordering of the
    bounds and the monotonicity in σ² hold by construction of the kernel sums (identities); the two limits are
    witnessed at the ends of the σ² range.
    """
    ds = inputs["noise_limits"]
    ceiling = math.log2(ds.attrs["n_inputs"])
    upper, lower = ds.I_XT_upper_kde, ds.I_XT_lower_kde
    smallest = float(ds.noise_variance.min())
    separated = ds.min_squared_distance >= SEPARATION_FACTOR * smallest
    at_small = upper.sel(noise_variance=smallest).where(separated)
    increase = upper.diff("noise_variance").max()
    rounding = {"scale": ROUNDING_TOL}
    checks = (
        Check(
            "identity: min upper bound over layers and σ²",
            float(upper.min()),
            ">=",
            0.0,
            declared="upper bound ≥ 0 (identity)",
            **rounding,
        ),
        Check(
            "identity: max upper bound over layers and σ²",
            float(upper.max()),
            "<=",
            ceiling + ROUNDING_TOL,
            declared="upper bound ≤ log₂P (identity)",
            **rounding,
        ),
        Check(
            "identity: min (upper − lower) over layers and σ²",
            float((upper - lower).min()),
            ">=",
            -ROUNDING_TOL,
            declared="upper ≥ lower (identity)",
            **rounding,
        ),
        Check(
            "identity: largest increase of the upper bound as σ² grows",
            float(increase),
            "<=",
            ROUNDING_TOL,
            declared="upper bound falls as σ² grows (identity)",
            **rounding,
        ),
        Check(
            f"max upper bound at σ² = {float(ds.noise_variance.max()):g}",
            float(upper.isel(noise_variance=-1).max()),
            "<=",
            LARGE_NOISE_BOUND,
            scale=LARGE_NOISE_BOUND,
            declared="→ 0 as σ² → ∞",
        ),
        Check(
            f"layers with all squared distances ≥ {SEPARATION_FACTOR:g}σ² at σ² = {smallest:g}: max |upper − log₂ P|",
            float(np.abs(at_small - ceiling).max()),
            "<=",
            ROUNDING_TOL,
            declared="→ log₂P when separated",
            **rounding,
        ),
        Check(
            "number of such well-separated layers (the limit is exercised)",
            float(separated.sum()),
            ">=",
            1.0,
            units="layers",
            scale=1.0,
            declared="the separated limit is exercised",
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


_IBSGD = ("ibsgd_epoch0",)
_XT_ESTIMATES = ("I_XT_upper_kde", "I_XT_bin")
_TY_ESTIMATES = ("I_TY_upper_kde", "I_TY_lower_kde", "I_TY_bin")
#: The ibsgd table's layers as ours (1–6); the orderings compare each layer with the one before (2–6).
SZT_LAYERS = (1, 2, 3, 4, 5, 6)
_EQUIVALENCE = (
    "equivalence test: seed mean + 3 SE of the excess ≤ TABLE_ROUNDING (5e-4 bits), the ibsgd table's rounding, "
    "below which the table cannot show an excess; scale 5e-4 bits"
)
_CEILING_BASIS = {
    "I_XT_upper_kde": "identity: the KDE estimate's kernel sums lie in [1, 4096], so it is at most log₂4096",
    "I_XT_bin": "identity: the binned I(X;T) is the entropy of the bins of 4096 equiprobable patterns, ≤ log₂4096",
    "I_TY_upper_kde": "identity: the class-conditional kernel sums are parts of the full sums, so I(T;Y) ≤ H(Y)",
    "I_TY_lower_kde": "identity: the class-conditional kernel sums are parts of the full sums, so I(T;Y) ≤ H(Y)",
    "I_TY_bin": "identity: a plug-in I(T;Y) of the empirical labels is at most their entropy H(Y)",
}


def _ceiling_declared(name: str) -> Declared:
    ceiling = "12 bits" if name.startswith("I_XT") else "H(Y)"
    return Declared(
        f"{name} ≤ {ceiling} (identity)",
        name,
        "identity",
        f"max over seeds and layers ≤ {ceiling} + 1e-9 bits (ROUNDING_TOL; scale 1e-9)",
        _CEILING_BASIS[name],
        _IBSGD,
        "szt",
        (),
    )


def _c46_table_declared(name: str) -> tuple[Declared, Declared]:
    ceiling = "12 bits" if name.startswith("I_XT") else "H(Y)"
    return (
        Declared(
            f"{name}: layer 1 reaches the ceiling",
            name,
            "<=",
            f"{ceiling} − seed mean of layer 1 ≤ 0.01 bits (CEILING_TOL; scale 0.01)",
            "the ibsgd table: 12.000 and 0.999, printed to 3 decimals",
            _IBSGD,
            "szt",
            (1,),
        ),
        Declared(
            f"{name}: no layer exceeds the one before",
            name,
            "<=",
            "per layer l = 2…6: mean over seeds of I(layer l) − I(layer l−1) + 3 SE ≤ 5e-4 bits",
            _EQUIVALENCE,
            _IBSGD,
            "szt",
            SZT_LAYERS[1:],
        ),
    )


def _kde_below_binned_declared(kind: str) -> Declared:
    return Declared(
        f"I_{kind}: KDE does not exceed binned",
        "information_difference",
        "<=",
        f"per layer 2…6: mean over seeds of I_{kind}_upper_kde − I_{kind}_bin + 3 SE ≤ 5e-4 bits",
        _EQUIVALENCE + "; layer 1 is at the ceiling for both (the ceiling checks)",
        _IBSGD,
        "szt",
        SZT_LAYERS[1:],
    )


C46_DECLARED = declare(
    "C46",
    Declared(
        "H(Y) of var_u.mat",
        "label_entropy",
        "agrees",
        "|H(Y) − 0.999157| ≤ 5e-7 bits (scale 5e-7)",
        "the spec prints H(Y) to 6 decimals (2118 of 4096 labels positive)",
    ),
    *(_ceiling_declared(name) for name in (*_XT_ESTIMATES, *_TY_ESTIMATES)),
    *(d for name in IBSGD_EPOCH0 for d in _c46_table_declared(name)),
    *(_kde_below_binned_declared(kind) for kind in ("XT", "TY")),
)


def _excess_checks(excess: np.ndarray, label: str, declared: str) -> list[Check]:
    """Equivalence tests, one per layer 2–6: mean + 3 SE of the per-seed `excess` (seed, layer 2–6) ≤ rounding."""
    mean, err = _seed_mean_and_stderr(excess)
    return [
        Check(
            f"{label}, layer {layer}: mean + {N_STANDARD_ERRORS:g} SE (mean {m:+.2g} bits)",
            float(m + N_STANDARD_ERRORS * e),
            "<=",
            TABLE_ROUNDING,
            scale=TABLE_ROUNDING,
            declared=declared,
            layer=layer,
        )
        for layer, m, e in zip(SZT_LAYERS[1:], mean, err)
    ]


C46_FAST_NOTE = (
    "at the fast profile (6 seeds) two of the declared ordering equivalence tests are not resolved to the table's "
    "5e-4-bit rounding: measured on 2026-12-01 with the declared check, KDE I(T;Y) falls from layer 5 to the output "
    "layer 6 in every seed (mean −0.108 bits) but the drops spread from 0.02 to 0.28 bits, so mean + 3 SE = "
    "+0.0056 > 5e-4; and at layer 6 KDE I(T;Y) − binned I(T;Y) is −0.0007 ± 0.0006 bits (2 of 6 seeds above), "
    "mean + 3 SE = +0.0010 > 5e-4. The ceilings, H(Y) and every other ordering hold; the paper profile's seeds decide"
)


@claim(
    "C46",
    needs=_c46_needs,
    declares=C46_DECLARED,
    expected={"fast": does_not_reproduce(C46_FAST_NOTE), **paper_declared("C46")},
)
def check_c46(inputs: Inputs) -> ClaimResult:
    """C46 [SZT17 data, ours]: H(Y) = 0.999157 bits, so every I(T;Y) ≤ 0.99916 bits and every I(X;T) ≤ 12 bits.

    Checked on every estimator at the SZT network's initialisation, the setting of ibsgd's committed epoch-0
    table (docs/formulas.md#s5-2; tanh, KDE σ² = 1e-3, bins Δ = 0.07, all 4096 patterns): the ceilings are respected
    (identities of the estimators) and reached by the first hidden layer, and the layers are ordered as in the table
    (equivalence tests: no layer holds more than the one before it, and KDE with σ² = 1e-3 holds no more than binning
    with Δ = 0.07, beyond the table's rounding). The table's per-layer numbers come from one unseeded
    initialisation; ours are seed averages, so only their spread is comparable (see ``extra``). ibsgd logs "epoch 0"
    at the end of the first epoch (``on_epoch_end``: 13 Adam steps at lr 4e-4); the run is also measured there, and
    how far that moves our seed means is reported (``extra``, note), but the comparison is made at initialisation.
    Layers are numbered 1–6 (ibsgd's 0–5).
    """
    labels = load_szt().y
    p = np.bincount(labels) / labels.size
    H_Y = float(-np.sum(p * np.log2(p)))
    ds = inputs["ibsgd_epoch0"]
    at0 = {v: _at_epoch(ds, v, 0) for v in (*_XT_ESTIMATES, *_TY_ESTIMATES)}
    checks = [
        Check(
            "|H(Y) − 0.999157| of var_u.mat",
            abs(H_Y - H_Y_SPEC),
            "<=",
            H_Y_PRINTED_TOL,
            scale=H_Y_PRINTED_TOL,
            declared="H(Y) of var_u.mat",
        )
    ]
    for name in (*_XT_ESTIMATES, *_TY_ESTIMATES):
        ceiling, label = (12.0, "12 bits") if name.startswith("I_XT") else (H_Y, "H(Y)")
        checks.append(
            Check(
                f"identity: max {name} over seeds and layers − {label}",
                float(at0[name].max()) - ceiling,
                "<=",
                ROUNDING_TOL,
                scale=ROUNDING_TOL,
                declared=f"{name} ≤ {label} (identity)",
            )
        )
    extra: dict[str, list[float]] = {}
    shift = {}
    for name, table in IBSGD_EPOCH0.items():
        values = at0[name]
        mean, _ = _seed_mean_and_stderr(values)
        ceiling = 12.0 if name.startswith("I_XT") else H_Y
        checks.append(
            Check(
                f"{name}: ceiling − seed mean of layer 1",
                ceiling - float(mean[0]),
                "<=",
                CEILING_TOL,
                scale=CEILING_TOL,
                declared=f"{name}: layer 1 reaches the ceiling",
                layer=1,
            )
        )
        checks += _excess_checks(
            values[:, 1:] - values[:, :-1],
            f"{name}: layer l − layer l−1",
            f"{name}: no layer exceeds the one before",
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
        checks += _excess_checks(
            at0[f"I_{kind}_upper_kde"][:, 1:] - at0[f"I_{kind}_bin"][:, 1:],
            f"I_{kind}: KDE − binned",
            f"I_{kind}: KDE does not exceed binned",
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
            f"{int(np.argmax(np.abs(shift[moved_at]))) + 1})"
        ),
        extra=extra,
    )
