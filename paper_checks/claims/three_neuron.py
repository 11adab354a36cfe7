"""Claims of the minimal three-neuron model ([P] §2, Fig 2; App B.2; App C, Fig 13): C9–C13, C18, C21.

Every reference value of the spec (docs/claims.md#nonlinearity, #robustness, #binning) is asserted to the digits the
spec gives: a value printed with d decimals must agree to within half a unit of its last digit. Exact and Monte Carlo
curves must agree within a tolerance built from the multinomial statistics of the bin counts (:func:`mc_tolerance`).

Each check is a pure function of its inputs: the Monte Carlo curves, the noise view, the argmax searches
(``mpmath.findroot``, ≈ 2 s each) and the 80-digit monotonicity sweeps are experiments the claims need
(:mod:`paper_checks.experiments.three_neuron`), computed once and cached by the workflow; closed-form values that
take milliseconds are evaluated in the checks. C18 also holds the network half of App B.2
(:func:`paper_checks.claims.szt.c18_network_checks`, on the Fig 8 runs).

Every check is declared in advance (:mod:`paper_checks.declarations`; network ``three-neuron``, its one hidden
unit = layer 1) and carries the scale of its normalised margin:

* a spec reference value: half a unit of the spec's last printed digit (the tolerance);
* Monte Carlo against the exact curve: the statistical tolerance (:func:`mc_tolerance`, scale 1) or the spec's
  1e-2 bits;
* "strictly increasing"/"decreasing" and every other difference of two exact values that must be positive: the
  difference must exceed the **numerical resolution** of the values compared, which is also its scale —
  :data:`FLOAT_RESOLUTION` for the float64 path, :func:`mp_resolution` for the mpmath path, and
  :data:`NOISE_VIEW_RESOLUTION` for the quadrature of the noise view. A difference within rounding is no evidence
  of a rise, and a margin of 2.6e-33 bits means nothing until it is set against the 1e-75-bit resolution of
  80-digit arithmetic;
* an exact limit that is 0 or 1 bit: 0.5 bit (half the distance between the two outcomes);
* a statement true by construction (Σ p_i = 1, H(T) ≤ log₂ K, p₀ = Φ(Δ/w), the symbolic limits of C12) is
  declared with relation ``identity`` and says so; it can fail only if the code computing it is wrong.

References
----------
.. [P] Saxe et al., "On the Information Bottleneck Theory of Deep Learning", ICLR 2018, §2, App B.2, App C.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import sympy as sp
import xarray as xr
from scipy import stats

from paper_checks.claims.szt import C18_NETWORK_DECLARED, C18_NETWORK_NEEDS, c18_network_checks
from paper_checks.compare import Check, ClaimResult, Comparison, Curve
from paper_checks.declarations import Declared, declare
from paper_checks.experiments.three_neuron import ArgmaxConfig, CurveConfig, IncrementConfig, NoiseConfig
from paper_checks.profiles import Profile
from paper_checks.registry import Inputs, Need, claim
from theory.binning_edges import equal_width_edges, half_line_edges, idnn_edges, net_input_edges
from theory.normal_cdf import Phi
from theory.three_neuron import (
    W,
    bin_probabilities,
    large_weight_limit,
    mutual_information,
    relu_asymptote,
    small_weight_limit,
)
from theory.three_neuron_noise import noisy_mutual_information

__all__ = [
    "C18_MINIMAL_DECLARED",
    "CURVES",
    "FLOAT_RESOLUTION",
    "NOISE_VIEW_RESOLUTION",
    "c18_minimal_checks",
    "c18_minimal_needs",
    "check_c9",
    "check_c10",
    "check_c11",
    "check_c12",
    "check_c13",
    "check_c18",
    "check_c21",
    "curve_needs",
    "mc_comparison",
    "mc_tolerance",
    "mp_resolution",
]

#: Standard errors allowed between the Monte Carlo plug-in entropy and the exact value at one weight: a
#: two-sided 5σ excursion has probability 6e-7, so ~100 compared points fail by chance with probability < 1e-4.
MC_Z = 5.0
#: Upper quantile used for the second-order plug-in deficit χ²_{K−1}/(2 n ln 2) (bias and curvature term).
MC_CHI2_QUANTILE = 1.0 - 1e-7
#: The spec's "cross-check by Monte Carlo (10⁶ samples) to about 1e-2 bits" (C9).
MC_SPEC_BITS = 1e-2
#: The four activations and the binnings their curves are drawn with (Fig 2C/2D, App B.2).
CURVES = (("tanh", "equal"), ("relu", "half_line"), ("softsign", "equal"), ("softplus", "half_line"))
#: Numerical resolution (bits) of a difference of two exact I(T;X) values on the float64 path
#: (:func:`theory.three_neuron.mutual_information` without ``precision``): measured on 2026-12-01 against 40-digit
#: mpmath on every grid these checks use (tanh, softsign 30 bins; ReLU, softplus half-line; tanh net input), the
#: largest error of one value is 2.8e-15 bits, so a difference is good to 5.6e-15; 1e-12 leaves a factor 180 for
#: other libm builds. A difference that must be positive must exceed it.
FLOAT_RESOLUTION = 1e-12
#: Numerical resolution (bits) of the noise view's quadrature: each value is accurate to 1e-4 bits
#: (:func:`theory.three_neuron_noise.noisy_mutual_information`, default cells), so a difference to 2e-4.
NOISE_VIEW_RESOLUTION = 2e-4
#: An exact limit of I(T;X) is 0 or 1 bit: a value is "1 bit" when it exceeds 0.5, and 0.5 is its scale.
LIMIT_SPLIT = 0.5
#: Tolerance of an identity evaluated with 40-digit SymPy/mpmath arithmetic: a sum of ≤ 31 terms each good to
#: 1e-40 is good to ~3e-39, so 1e-30 is rounding with a wide margin.
IDENTITY_TOL_40_DIGITS = 1e-30


def mp_resolution(precision: int) -> float:
    """Numerical resolution (bits) of a difference of two exact I(T;X) values computed with mpmath at `precision`.

    A value is a sum of ≤ 31 terms −p·log₂ p, each of magnitude ≤ 1 bit and good to 10^−precision; 10^(5−precision)
    allows 10⁵ units of the last digit for the sum, the logarithms and the difference (1e-75 at 80 digits).
    """
    return 10.0 ** (5 - int(precision))


def _unit(name: str, quantity: str, relation: str, bound: str, basis: str, where: tuple[str, ...] = ()) -> Declared:
    """A declared check of the minimal model's hidden unit (network ``three-neuron``, layer 1)."""
    return Declared(name, quantity, relation, bound, basis, where, "three-neuron", (1,))


def _math(name: str, bound: str, basis: str) -> Declared:
    """A declared symbolic identity that is not about the unit's information (no layer)."""
    return Declared(name, "closed_form", "identity", bound, basis, (), "three-neuron", ())


_SPEC = "the spec prints rounded values: agreement to half a unit of its last digit"
_RISE = "> numerical resolution (scale: that resolution)"
_RISE_BASIS = "a rise within rounding is no rise; strictly increasing = every step on the grid above the resolution"


def _reference_declared(name: str, bound: str, where: tuple[str, ...] = ()) -> Declared:
    return _unit(name, "closed_form", "agrees", bound, _SPEC, where)


def _half_digit(value: str) -> float:
    """Half a unit of the last printed digit of `value` (``"4.900"`` → 5e-4)."""
    decimals = len(value.split(".")[1]) if "." in value else 0
    return 0.5 * 10.0 ** (-decimals)


def _reference(description: str, measured: float, printed: str, declared: str, units: str = "bits") -> Check:
    """|measured − spec value| ≤ half a unit of the spec's last digit (the tolerance, also the scale)."""
    bound = _half_digit(printed)
    return Check(
        f"{description}: |ours − {printed}| (spec to {bound:g})",
        abs(measured - float(printed)),
        "<=",
        bound,
        units,
        scale=bound,
        declared=declared,
        layer=1,
    )


def _positive(description: str, value: float, resolution: float, declared: str, units: str = "bits") -> Check:
    """``value > resolution``: a difference of exact values that must be positive, in units of its resolution."""
    return Check(description, value, ">", resolution, units, scale=resolution, declared=declared, layer=1)


def _negative(description: str, value: float, resolution: float, declared: str, units: str = "bits") -> Check:
    """``value < −resolution``: a difference of exact values that must be negative, in units of its resolution."""
    return Check(description, value, "<", -resolution, units, scale=resolution, declared=declared, layer=1)


def _limit(description: str, value: float, relation: str, declared: str) -> Check:
    """An exact limit (0 or 1 bit) against 0.5 bit, with scale 0.5."""
    return Check(description, value, relation, LIMIT_SPLIT, "bits", scale=LIMIT_SPLIT, declared=declared, layer=1)


def _tolerance(description: str, value: float, bound: float, declared: str, units: str = "bits") -> Check:
    """``value < bound`` for a tolerance `bound` (also the scale)."""
    return Check(description, value, "<", bound, units, scale=bound, declared=declared, layer=1)


def mc_tolerance(stderr: np.ndarray, occupied: np.ndarray, n_samples: int) -> np.ndarray:
    """Allowed |Monte Carlo − exact| per weight, in bits.

    ``MC_Z`` delta-method standard errors of the plug-in entropy (first-order multinomial fluctuation) plus the
    ``MC_CHI2_QUANTILE`` quantile of χ²_{K−1}/(2 n ln 2), the second-order plug-in deficit (its mean is the
    Miller–Madow bias; it dominates when the first-order term vanishes, e.g. at exactly 1 bit).
    """
    k = np.maximum(np.asarray(occupied) - 1, 1)
    second_order = stats.chi2.ppf(MC_CHI2_QUANTILE, k) / (2.0 * n_samples * math.log(2.0))
    return MC_Z * np.asarray(stderr) + second_order


def curve_needs(*curves: tuple[str, str]):
    """``needs(profile)`` of the exact-vs-Monte-Carlo curves `curves` ((activation, binning) pairs), ``"a/b"``."""

    def needs(profile: Profile) -> dict[str, Need]:
        return {f"{a}/{b}": Need(CurveConfig.for_profile(profile, a, b)) for a, b in curves}

    return needs


def mc_comparison(ds: xr.Dataset) -> list[Comparison]:
    """Exact vs Monte Carlo curves (one comparison per seed) of a ``three_neuron_curve`` result."""
    activation, binning = ds.attrs["activation"], ds.attrs["binning"]
    theory_curve = Curve(ds.w.values, ds.I_exact.values, f"{activation}/{binning}, exact")
    out = []
    for seed in ds.seed.values:
        row = ds.sel(seed=seed)
        sim = Curve(ds.w.values, row.I_mc.values, f"{activation}/{binning}, MC seed {seed}", row.stderr_mc.values)
        tol = mc_tolerance(row.stderr_mc.values, row.occupied_bins.values, ds.attrs["n_samples"])
        out.append(Comparison(theory_curve, sim, tol, f"{MC_Z:g} SE + χ² plug-in term, n = {ds.attrs['n_samples']}"))
    return out


def _monotone(values: np.ndarray) -> float:
    """Smallest successive difference (positive ⇔ strictly increasing)."""
    return float(np.min(np.diff(values)))


def _argmax(inputs: Inputs, name: str) -> tuple[float, float]:
    """(w*, I(w*)) of a ``three_neuron_argmax`` input."""
    ds = inputs[name]
    return float(ds.w_argmax), float(ds.I_exact_max)


def _mc_declared(activation: str, binning: str) -> tuple[Declared, Declared]:
    where = (f"{activation}/{binning}",)
    return (
        _unit(
            f"{activation}: Monte Carlo agrees with exact",
            "deviation_ratio",
            "agrees",
            "max over weights of |MC − exact| / (5 SE + χ²_{K−1} quantile 1 − 1e-7 / (2 n ln 2)) ≤ 1, each seed",
            "5 delta-method SE of the plug-in entropy per point (two-sided 6e-7) + the second-order plug-in deficit",
            where,
        ),
        _unit(
            f"{activation}: Monte Carlo within 1e-2 bits of exact",
            "information_difference",
            "<",
            "max over weights of |MC − exact| < 1e-2 bits, each seed (scale 1e-2 bits)",
            "the spec's 'cross-check by Monte Carlo (10⁶ samples) to about 1e-2 bits'",
            where,
        ),
    )


def _mc_checks(ds: xr.Dataset, activation: str, spec_bits: bool = True) -> list[Check]:
    """The Monte Carlo comparisons of one curve, declared as :func:`_mc_declared` of `activation`."""
    checks = []
    for comparison in mc_comparison(ds):
        checks.append(replace(comparison.as_check(), declared=f"{activation}: Monte Carlo agrees with exact", layer=1))
        if spec_bits:
            checks.append(
                _tolerance(
                    f"{comparison.simulation.label}: max |MC − exact|",
                    float(comparison.deviation.max()),
                    MC_SPEC_BITS,
                    f"{activation}: Monte Carlo within 1e-2 bits of exact",
                )
            )
    return checks


C9_DECLARED = declare(
    "C9",
    *(d for a, b in CURVES for d in _mc_declared(a, b)),
    _unit(
        "Σ p_i = 1 (identity)",
        "closed_form",
        "identity",
        "|Σ p_i − 1| < 1e-30 at 40 digits (tanh, 30 bins, w = 0.869; scale 1e-30)",
        "identity: the exact bin masses are differences of Φ at consecutive thresholds from −∞ to +∞, which "
        "telescope to 1; it checks only that the bins cover the line",
    ),
)


@claim("C9", needs=curve_needs(*CURVES), figures=("F2B", "F2C", "F2D"), declares=C9_DECLARED)
def check_c9(inputs: Inputs) -> ClaimResult:
    """C9: "X ~ N(0,1), h = f(w₁X), T = bin(h): I(T;X) = H(T), computed exactly from the Gaussian CDF" ([P] §2).

    Figures F2C/F2D. The exact curves (Eqs 3–4) agree with 10⁶-sample Monte Carlo for all four activations
    within the statistical tolerance and within the spec's 1e-2 bits; the exact p_i sum to 1 (an identity).
    """
    checks = []
    for activation, binning in CURVES:
        checks += _mc_checks(inputs[f"{activation}/{binning}"], activation)
    probabilities = bin_probabilities("tanh", equal_width_edges(30, exact=True))
    total = sp.N(sp.Add(*probabilities).subs(W, sp.Rational(869, 1000)), 40)
    checks.append(
        Check(
            "identity (the masses telescope): tanh, 30 bins, w = 0.869: |Σ p_i − 1| (40 digits)",
            abs(float(total - 1)),
            "<",
            IDENTITY_TOL_40_DIGITS,
            "",
            scale=IDENTITY_TOL_40_DIGITS,
            declared="Σ p_i = 1 (identity)",
            layer=1,
        )
    )
    return ClaimResult(
        "C9",
        tuple(checks),
        "exact from Eqs 3–4",
        ("F2C", "F2D"),
        "Monte Carlo: 10⁶ samples per weight, common X across weights within a seed.",
    )


def _c10_needs(profile: Profile) -> dict[str, Need]:
    return {
        "argmax": Need(ArgmaxConfig("tanh", "equal")),
        "argmax_idnn": Need(ArgmaxConfig("tanh", "idnn")),
        "plateau": Need(IncrementConfig("tanh", "equal", w_low=5e-3, w_high=0.02)),
    }


_C10_TABLE = {
    0.01: "1.000",
    0.1: "2.644",
    0.5: "4.631",
    1: "4.877",
    2: "4.157",
    5: "2.775",
    10: "2.044",
    100: "1.151",
    1000: "1.020",
}

C10_DECLARED = declare(
    "C10",
    _reference_declared(
        "I(w) table (30 bins)", "|I(w) − spec| ≤ 5e-4 bits at w = " + ", ".join(f"{w:g}" for w in _C10_TABLE)
    ),
    _reference_declared("argmax w* (30 bins)", "|w* − 0.869| ≤ 5e-4 (dI/dw = 0, mpmath.findroot)", ("argmax",)),
    _reference_declared("max I(w*) (30 bins)", "|I(w*) − 4.900| ≤ 5e-4 bits", ("argmax",)),
    _unit(
        "rises on [0.005, 0.02] (80 digits)",
        "closed_form",
        ">",
        "min step of I over 20 log-spaced w > mp_resolution(80) = 1e-75 bits " + _RISE,
        _RISE_BASIS + "; the rise ~Φ(−artanh(1/15)/w) is below float64 resolution there",
        ("plateau",),
    ),
    _unit(
        "rises on [0.02, w*]",
        "closed_form",
        ">",
        "min step of I over 300 log-spaced w > 1e-12 bits (FLOAT_RESOLUTION) " + _RISE,
        _RISE_BASIS,
        ("argmax",),
    ),
    _unit(
        "falls on (w*, 1e4)",
        "closed_form",
        "<",
        "max step of I over 300 log-spaced w < −1e-12 bits (FLOAT_RESOLUTION) " + _RISE,
        _RISE_BASIS,
        ("argmax",),
    ),
    _unit(
        "I(w*) ≤ log₂30 (identity)",
        "closed_form",
        "identity",
        "I(w*) ≤ log₂30 = 4.907 bits (scale 1e-12 bits, the float64 resolution)",
        "identity: the entropy of 30 bins is at most log₂30 (the spec's check); it fails only if I is miscomputed",
        ("argmax",),
    ),
    _unit(
        "lim w→∞ I = 1 bit",
        "closed_form",
        ">",
        "exact limit (0 or 1 bit) > 0.5 bit (scale 0.5)",
        "exact: the saturated unit lands in the two extreme bins (1 bit), or in one (0 bit)",
    ),
    _unit(
        "I(10⁶) within 1e-4 bits of 1 bit",
        "closed_form",
        "<",
        "|I(10⁶) − 1| < 1e-4 bits (scale 1e-4)",
        "the interior bins hold < 1e-5 of the mass at w = 10⁶, so I is within 1e-4 bits of its limit",
    ),
    _unit(
        "lim w→0⁺ I = 1 bit (edge at 0)",
        "closed_form",
        ">",
        "exact limit (0 or 1 bit) > 0.5 bit (scale 0.5)",
        "exact: with an even number of bins an edge sits at 0, so T → sign(X): 1 bit",
    ),
    _unit(
        "I(10⁻⁶) within 1e-6 bits of 1 bit",
        "closed_form",
        "<",
        "|I(10⁻⁶) − 1| < 1e-6 bits (scale 1e-6)",
        "at w = 10⁻⁶ the two central bins hold all but Φ(−artanh(1/15)·10⁶) of the mass, 0 in float64",
    ),
    _unit(
        "29 bins: lim w→0⁺ I = 0",
        "closed_form",
        "<",
        "exact limit (0 or 1 bit) < 0.5 bit (scale 0.5)",
        "exact: with 29 bins (IDNNs edges) the central bin contains 0, so T → constant: 0 bit",
    ),
    _reference_declared("29 bins: argmax", "|w* − 0.869| ≤ 5e-4", ("argmax_idnn",)),
    _reference_declared("29 bins: max I", "|I(w*) − 4.851| ≤ 5e-4 bits", ("argmax_idnn",)),
    _reference_declared("29 bins: I(10)", "|I(10) − 2.030| ≤ 5e-4 bits"),
)


@claim("C10", needs=_c10_needs, figures=("F2C",), declares=C10_DECLARED)
def check_c10(inputs: Inputs) -> ClaimResult:
    """C10: tanh, "I(T;X) first increases with w₁, then decreases … I → ≈1 bit" ([P] §2, Fig 2C).

    Figure F2C. Spec values for 30 equal bins on [−1, 1], the argmax from dI/dw = 0, monotonicity on either side
    (every step beyond the numerical resolution), the limits (1 bit at both ends with an even bin count), the
    identity I ≤ log₂30, and the 29-bin IDNNs variant.
    """
    edges = equal_width_edges(30)
    checks = [
        _reference(f"I(w={w:g})", mutual_information("tanh", w, edges), v, "I(w) table (30 bins)")
        for w, v in _C10_TABLE.items()
    ]
    w_star, I_star = _argmax(inputs, "argmax")
    checks += [
        _reference("argmax w*", float(w_star), "0.869", "argmax w* (30 bins)", ""),
        _reference("max I(w*)", float(I_star), "4.900", "max I(w*) (30 bins)"),
    ]
    # Near w = 0 the rise is exponentially small (~Φ(−artanh(1/15)/w)), below float resolution for w < 0.02: there
    # the increments are computed with 80-digit mpmath (strictly positive, ~1e-33 at w = 0.005).
    plateau = inputs["plateau"]
    rising = mutual_information("tanh", np.geomspace(0.02, float(w_star), 300), edges)
    falling = mutual_information("tanh", np.geomspace(float(w_star), 1e4, 300), edges)
    checks += [
        _positive(
            f"min ΔI on [0.005, 0.02] ({plateau.attrs['precision']}-digit mpmath) > its resolution",
            float(plateau.min_increment_I),
            mp_resolution(plateau.attrs["precision"]),
            "rises on [0.005, 0.02] (80 digits)",
        ),
        _positive(
            "min ΔI on [0.02, w*] > float64 resolution", _monotone(rising), FLOAT_RESOLUTION, "rises on [0.02, w*]"
        ),
        _negative(
            "max ΔI on (w*, 1e4) < −float64 resolution", -_monotone(-falling), FLOAT_RESOLUTION, "falls on (w*, 1e4)"
        ),
        Check(
            "identity: max I ≤ log₂30 (entropy of 30 bins)",
            float(I_star),
            "<=",
            math.log2(30),
            "bits",
            scale=FLOAT_RESOLUTION,
            declared="I(w*) ≤ log₂30 (identity)",
            layer=1,
        ),
        _limit("lim w→∞ I (exact; 0 or 1 bit)", large_weight_limit("tanh", edges), ">", "lim w→∞ I = 1 bit"),
        _tolerance(
            "|I(1e6) − 1| (interior mass < 1e-5 at w = 1e6)",
            abs(mutual_information("tanh", 1e6, edges) - 1),
            1e-4,
            "I(10⁶) within 1e-4 bits of 1 bit",
        ),
        _limit(
            "lim w→0⁺ I (edge at 0; 0 or 1 bit)",
            small_weight_limit("tanh", edges),
            ">",
            "lim w→0⁺ I = 1 bit (edge at 0)",
        ),
        _tolerance(
            "|I(1e-6) − 1|", abs(mutual_information("tanh", 1e-6, edges) - 1), 1e-6, "I(10⁻⁶) within 1e-6 bits of 1 bit"
        ),
    ]
    idnn = idnn_edges(30)
    w29, I29 = _argmax(inputs, "argmax_idnn")
    checks += [
        _limit("29 bins: lim w→0⁺ I (0 or 1 bit)", small_weight_limit("tanh", idnn), "<", "29 bins: lim w→0⁺ I = 0"),
        _reference("29 bins: argmax", float(w29), "0.869", "29 bins: argmax", ""),
        _reference("29 bins: max I", float(I29), "4.851", "29 bins: max I"),
        _reference("29 bins: I(10)", mutual_information("tanh", 10.0, idnn), "2.030", "29 bins: I(10)"),
    ]
    return ClaimResult(
        "C10",
        tuple(checks),
        "rises then falls; → ≈1 bit (Fig 2C)",
        ("F2C",),
        "30 equal bins on [−1, 1] (31 edges), docs/choices.md#a3/#a21.",
    )


def _no_needs(profile: Profile) -> dict[str, Need]:
    """Checks made of closed-form values that take milliseconds (evaluated in the check itself)."""
    return {}


_C11_TABLE = {
    0.1: "1.109",
    0.5: "2.695",
    1: "3.297",
    2: "3.861",
    5: "4.570",
    10: "5.089",
    100: "6.771",
    1000: "8.435",
}

C11_DECLARED = declare(
    "C11",
    _unit(
        "p₀ = Φ(Δ/w) (identity)",
        "closed_form",
        "identity",
        "SymPy: simplify(p₀ − Φ(Δ/w)) = 0 (1 = differs; < 0.5, scale 0.5)",
        "identity: the zero bin is {wX < Δ} = {X < Δ/w}; it checks the symbolic bin masses",
    ),
    _math(
        "Φ(z) > ½ for z > 0 (identity)",
        "SymPy proves (Φ(z) − ½).is_positive for positive z (1 = proved; > 0.5, scale 0.5)",
        "identity: a property of Φ (erf > 0 on z > 0), the step p₀ ≥ ½ of the claim; it fails only if SymPy "
        "cannot prove it",
    ),
    _reference_declared(
        "I(w) table (half-line bins)",
        "|I(w) − spec| ≤ 5e-4 bits at w = " + ", ".join(f"{w:g}" for w in _C11_TABLE) + " (Δ = 2/29)",
    ),
    _unit(
        "rises on [0.01, 10]",
        "closed_form",
        ">",
        "min step of I over 300 log-spaced w > 1e-12 bits (FLOAT_RESOLUTION) " + _RISE,
        _RISE_BASIS,
    ),
    _unit(
        "asymptote at w = 1000",
        "closed_form",
        "<",
        "|I(1000) − (1 + ½[log₂(w/Δ) + ½log₂(πe/2)])| < 1e-3 bits (scale 1e-3)",
        "the spec's asymptote: its error falls from 0.025 bits at w = 10; 1e-3 is two units of the spec's "
        "third decimal",
    ),
    _unit(
        "asymptote gap shrinks",
        "closed_form",
        ">",
        "gap(10) − gap(1000) > 1e-12 bits (FLOAT_RESOLUTION) " + _RISE,
        "a difference of exact values: it must exceed the float64 resolution",
    ),
    _unit(
        "½·log₂ w growth",
        "closed_form",
        "<",
        "|[I(1000) − I(100)] / (½·log₂10) − 1| < 0.01 (scale 0.01)",
        "growth like ½·log₂ w, within 1 % over the last decade",
    ),
)


@claim("C11", needs=_no_needs, figures=("F2D",), declares=C11_DECLARED)
def check_c11(inputs: Inputs) -> ClaimResult:
    """C11: ReLU, "half of the inputs land in the zero bin … I(T;X) increases without bound" ([P] §2, Fig 2D).

    Figure F2D. Half-line bins [kΔ, (k+1)Δ), Δ = 2/29 (docs/choices.md#a19): p₀ = Φ(Δ/w) and Φ(z) > ½ for z > 0
    (identities, symbolic), the spec's reference values, strict increase on [0.01, 10], and the ½·log₂ w asymptote.
    """
    delta = 2 / 29
    edges = half_line_edges(delta, 1000.0)
    p0 = bin_probabilities("relu", half_line_edges(delta, 1.0, exact=True))[0]
    z = sp.Symbol("z", positive=True)
    above_half = (Phi(z) - sp.S.Half).rewrite(sp.erf).is_positive
    checks = [
        Check(
            "identity: p₀ ≠ Φ(Δ/w) (symbolic; 0 = identical)",
            float(sp.simplify(p0 - Phi(sp.Rational(2, 29) / W)) != 0),
            "<",
            LIMIT_SPLIT,
            "",
            scale=LIMIT_SPLIT,
            declared="p₀ = Φ(Δ/w) (identity)",
            layer=1,
        ),
        Check(
            "identity: Φ(z) > ½ for every z > 0 (SymPy: 1 = proved)",
            float(bool(above_half)),
            ">",
            LIMIT_SPLIT,
            "",
            scale=LIMIT_SPLIT,
            declared="Φ(z) > ½ for z > 0 (identity)",
        ),
    ]
    checks += [
        _reference(f"I(w={w:g})", mutual_information("relu", w, edges), v, "I(w) table (half-line bins)")
        for w, v in _C11_TABLE.items()
    ]
    grid = mutual_information("relu", np.geomspace(0.01, 10.0, 300), half_line_edges(delta, 10.0))
    checks.append(
        _positive("min ΔI on [0.01, 10] > float64 resolution", _monotone(grid), FLOAT_RESOLUTION, "rises on [0.01, 10]")
    )
    gaps = [abs(mutual_information("relu", w, edges) - relu_asymptote(w, delta)) for w in (10.0, 100.0, 1000.0)]
    growth = (mutual_information("relu", 1000.0, edges) - mutual_information("relu", 100.0, edges)) / (
        0.5 * math.log2(10)
    )
    checks += [
        _tolerance("|I − asymptote| at w = 1000", gaps[-1], 1e-3, "asymptote at w = 1000"),
        _positive(
            "asymptote gap shrinks: gap(10) − gap(1000)", gaps[0] - gaps[-1], FLOAT_RESOLUTION, "asymptote gap shrinks"
        ),
        _tolerance(
            "|[I(1000) − I(100)] / (½·log₂10) − 1| (½·log₂ w growth, within 1 %)",
            abs(growth - 1.0),
            0.01,
            "½·log₂ w growth",
            "",
        ),
    ]
    return ClaimResult(
        "C11",
        tuple(checks),
        "P(zero bin) ≥ ½; I unbounded (Fig 2D)",
        ("F2D",),
        "Δ = 2/29 half-line bins (the paper does not state Fig 2D's bins, docs/choices.md#a19).",
    )


#: Smallest gain of the binned and noise-view I per decade of resolution, as a fraction of log₂10: 0.95 allows the
#: finite-resolution correction at the coarsest step (measured ≥ 0.99 of log₂10 otherwise); the allowed shortfall,
#: 0.05·log₂10, is the checks' scale.
C12_GAIN_FRACTION = 0.95

C12_DECLARED = declare(
    "C12",
    _unit(
        "H(h+ε|X) → −∞ as σ → 0⁺ (identity)",
        "closed_form",
        "identity",
        "SymPy: lim σ→0⁺ ½log₂(2πeσ²) = −∞ (1 = yes; > 0.5, scale 0.5)",
        "identity: the limit of the closed form written in the check (Gaussian noise entropy); it verifies the "
        "derivation's last step and fails only if SymPy disagrees",
    ),
    _unit(
        "I(wX+ε;X) → +∞ as σ → 0⁺ (identity)",
        "closed_form",
        "identity",
        "SymPy: lim σ→0⁺ ½log₂(1 + w²/σ²) = +∞ (1 = yes; > 0.5, scale 0.5)",
        "identity: the limit of the linear unit's closed form written in the check",
    ),
    _unit(
        "binned I grows by log₂10 per decade of bins",
        "closed_form",
        ">",
        "smallest gain of tanh I(w=1) per 10× more bins (30 … 30000) > 0.95·log₂10 (scale 0.05·log₂10)",
        "finite-resolution correction at the coarsest step; measured ≥ 0.99·log₂10 otherwise",
    ),
    _unit(
        "noise-view I grows by log₂10 per decade of 1/σ",
        "closed_form",
        ">",
        "smallest gain of tanh noise-view I(w=1) per 10× smaller σ (1e-2 … 1e-4) > 0.95·log₂10 (scale 0.05·log₂10)",
        "finite-resolution correction at the coarsest step; quadrature good to 1e-4 bits",
    ),
)


@claim("C12", needs=_no_needs, figures=(), declares=C12_DECLARED)
def check_c12(inputs: Inputs) -> ClaimResult:
    """C12: "the true I(h;X) is infinite for a deterministic continuous network" ([P] §2, App C, Eqs 17–20).

    Symbolic (identities of the closed forms): H(h+ε|X) = ½log₂(2πeσ²) → −∞ as σ → 0⁺, and the linear unit's
    I = ½log₂(1 + w²/σ²) → +∞. Numerical witness: the tanh unit's binned I grows by log₂10 per decade of bin count,
    and its noise-view I by log₂10 per decade of 1/σ — the finite I of the binned and noisy views is set by the bins
    or the noise, not by the network.
    """
    s = sp.Symbol("sigma", positive=True)
    h_cond = sp.log(2 * sp.pi * sp.E * s**2, 2) / 2
    linear = sp.log(1 + W**2 / s**2, 2) / 2
    checks = [
        _limit(
            "identity: lim σ→0⁺ H(h+ε|X) = −∞ (SymPy: 1 = yes)",
            float(sp.limit(h_cond, s, 0, "+") == -sp.oo),
            ">",
            "H(h+ε|X) → −∞ as σ → 0⁺ (identity)",
        ),
        _limit(
            "identity: lim σ→0⁺ I(wX+ε;X) = +∞ (SymPy: 1 = yes)",
            float(sp.limit(linear, s, 0, "+") == sp.oo),
            ">",
            "I(wX+ε;X) → +∞ as σ → 0⁺ (identity)",
        ),
    ]
    binned = [mutual_information("tanh", 1.0, equal_width_edges(n)) for n in (30, 300, 3000, 30000)]
    noisy = [noisy_mutual_information("tanh", 1.0, sigma) for sigma in (1e-2, 1e-3, 1e-4)]
    bound, allowance = C12_GAIN_FRACTION * math.log2(10), (1 - C12_GAIN_FRACTION) * math.log2(10)
    checks += [
        Check(
            "binned tanh I(w=1): smallest gain per 10× more bins",
            float(np.min(np.diff(binned))),
            ">",
            bound,
            scale=allowance,
            declared="binned I grows by log₂10 per decade of bins",
            layer=1,
        ),
        Check(
            "noise-view tanh I(w=1): smallest gain per 10× smaller σ",
            float(np.min(np.diff(noisy))),
            ">",
            bound,
            scale=allowance,
            declared="noise-view I grows by log₂10 per decade of 1/σ",
            layer=1,
        ),
    ]
    return ClaimResult("C12", tuple(checks), "I(h;X) = +∞", (), "Symbolic limits with SymPy; numbers for tanh, w = 1.")


def _c13_needs(profile: Profile) -> dict[str, Need]:
    return {a: Need(NoiseConfig.for_profile(profile, a)) for a in ("tanh", "relu")}


#: C13's effect sizes, fixed with the check (the noise view is deterministic quadrature, good to 1e-4 bits): the
#: tanh noise-view curve must fall by more than 1 bit from its maximum to w = 100 (a fifth of the binned peak),
#: its argmax must lie within 0.3 decades of the binned one (about two grid steps of 0.13 decades), and the ReLU
#: curve must gain more than 3 bits from w = 0.05 to 100 (the binned ReLU gains 6.3 bits over that range).
C13_TANH_DROP_BITS = 1.0
C13_ARGMAX_DECADES = 0.3
C13_RELU_GAIN_BITS = 3.0

C13_DECLARED = declare(
    "C13",
    _unit(
        "tanh noise view: interior maximum",
        "closed_form",
        ">=",
        "argmax index ≥ 1 grid point from either end (scale 1 grid point)",
        "a rise then a fall, as the binned curve",
        ("tanh",),
    ),
    _unit(
        "tanh noise view compresses",
        "closed_form",
        ">",
        "max I − I(w=100) > 1 bit (scale 1 bit)",
        "C13_TANH_DROP_BITS: a fifth of the binned peak, far above the 1e-4-bit quadrature error",
        ("tanh",),
    ),
    _unit(
        "tanh: noise-view argmax near the binned one",
        "closed_form",
        "<=",
        "|log₁₀(argmax noise / argmax binned)| ≤ 0.3 decades (scale 0.3)",
        "C13_ARGMAX_DECADES: about two steps of the 0.13-decade grid",
        ("tanh",),
    ),
    _unit(
        "ReLU noise view increases",
        "closed_form",
        ">",
        "min step of I over the grid > 2e-4 bits (NOISE_VIEW_RESOLUTION) " + _RISE,
        _RISE_BASIS + "; quadrature values good to 1e-4 bits",
        ("relu",),
    ),
    _unit(
        "ReLU noise view keeps growing",
        "closed_form",
        ">",
        "I(100) − I(0.05) > 3 bits (scale 3 bits)",
        "C13_RELU_GAIN_BITS: the binned ReLU curve gains 6.3 bits over the same range",
        ("relu",),
    ),
)


@claim("C13", needs=_c13_needs, figures=(), declares=C13_DECLARED)
def check_c13(inputs: Inputs) -> ClaimResult:
    """C13: "binning ≈ adding noise of fixed variance after h" ([P] §2, citing Laughlin 1981) — qualitatively.

    With T = h + ε, σ = Δ/√12 (the variance of uniform quantisation by the paper's bins), the tanh curve rises
    and falls like the binned one, with its maximum at a similar weight, and the ReLU curve keeps increasing.
    """
    tanh, relu = inputs["tanh"], inputs["relu"]
    w = tanh.w.values
    k_noise, k_bins = int(np.argmax(tanh.I_noise.values)), int(np.argmax(tanh.I_binned.values))
    checks = [
        Check(
            "tanh noise view: argmax is interior (index from the ends)",
            min(k_noise, w.size - 1 - k_noise),
            ">=",
            1.0,
            "grid points",
            scale=1.0,
            declared="tanh noise view: interior maximum",
            layer=1,
        ),
        Check(
            "tanh noise view: max − I(w=100) (compression)",
            float(tanh.I_noise.max() - tanh.I_noise[-1]),
            ">",
            C13_TANH_DROP_BITS,
            scale=C13_TANH_DROP_BITS,
            declared="tanh noise view compresses",
            layer=1,
        ),
        Check(
            "tanh: |log₁₀(argmax noise / argmax binned)| (grid spacing 0.13)",
            abs(math.log10(w[k_noise] / w[k_bins])),
            "<=",
            C13_ARGMAX_DECADES,
            "decades",
            scale=C13_ARGMAX_DECADES,
            declared="tanh: noise-view argmax near the binned one",
            layer=1,
        ),
        _positive(
            "ReLU noise view: min ΔI over the grid > quadrature resolution",
            _monotone(relu.I_noise.values),
            NOISE_VIEW_RESOLUTION,
            "ReLU noise view increases",
        ),
        Check(
            "ReLU noise view: I(100) − I(0.05) (keeps growing)",
            float(relu.I_noise[-1] - relu.I_noise[0]),
            ">",
            C13_RELU_GAIN_BITS,
            scale=C13_RELU_GAIN_BITS,
            declared="ReLU noise view keeps growing",
            layer=1,
        ),
    ]
    return ClaimResult("C13", tuple(checks), None, (), f"σ = Δ/√12 = {tanh.attrs['sigma']:.4f}; quadrature, no bins.")


def c18_minimal_needs(profile: Profile) -> dict[str, Need]:
    """Needs of :func:`c18_minimal_checks`: the softsign argmax search."""
    return {"argmax_softsign": Need(ArgmaxConfig("softsign", "equal"))}


def _c18_needs(profile: Profile) -> dict[str, Need]:
    return c18_minimal_needs(profile) | C18_NETWORK_NEEDS(profile)


C18_MINIMAL_DECLARED = (
    _reference_declared("softsign argmax", "|w* − 1.78| ≤ 5e-3 (dI/dw = 0)", ("argmax_softsign",)),
    _reference_declared("softsign max I", "|I(w*) − 4.52| ≤ 5e-3 bits", ("argmax_softsign",)),
    _reference_declared("softsign I(w) table", "|I(w) − spec| ≤ 5e-3 bits at w = 10 (3.86), 100 (1.76)"),
    _unit(
        "softsign lim w→∞ I = 1 bit",
        "closed_form",
        ">",
        "exact limit (0 or 1 bit) > 0.5 bit (scale 0.5)",
        "exact: the saturated unit lands in the two extreme bins (1 bit), or in one (0 bit)",
    ),
    _unit(
        "softsign compresses less than tanh",
        "closed_form",
        ">",
        "min over w ∈ {2, 5, 10, 100} of I_softsign − I_tanh > 1e-12 bits (FLOAT_RESOLUTION) " + _RISE,
        "a difference of exact values (30 equal bins): it must exceed the float64 resolution",
    ),
    _unit(
        "softplus rises on [0.01, 10]",
        "closed_form",
        ">",
        "min step of I over 300 log-spaced w > 1e-12 bits (FLOAT_RESOLUTION) " + _RISE,
        _RISE_BASIS,
    ),
    _unit(
        "softplus retains more than ReLU",
        "closed_form",
        ">",
        "min over 300 log-spaced w ∈ [0.01, 10] of I_softplus − I_ReLU > 1e-12 bits (FLOAT_RESOLUTION) " + _RISE,
        "a difference of exact values (half-line bins Δ = 2/29): it must exceed the float64 resolution",
    ),
    _reference_declared("softplus I(1)", "|I(1) − 4.75| ≤ 5e-3 bits"),
    _reference_declared("ReLU I(1)", "|I(1) − 3.30| ≤ 5e-3 bits"),
)
"""The declared checks of :func:`c18_minimal_checks` (the minimal-model half of C18's declaration)."""


def c18_minimal_checks(inputs: Inputs) -> tuple[Check, ...]:
    """The minimal-model half of C18 (values of docs/claims.md#robustness), declared in :data:`C18_MINIMAL_DECLARED`.

    Softsign compresses less than tanh; softplus keeps more information than ReLU.
    """
    edges = equal_width_edges(30)
    w_star, I_star = _argmax(inputs, "argmax_softsign")
    checks = [
        _reference("softsign argmax", float(w_star), "1.78", "softsign argmax", ""),
        _reference("softsign max I", float(I_star), "4.52", "softsign max I"),
        _reference("softsign I(10)", mutual_information("softsign", 10.0, edges), "3.86", "softsign I(w) table"),
        _reference("softsign I(100)", mutual_information("softsign", 100.0, edges), "1.76", "softsign I(w) table"),
        _limit(
            "softsign lim w→∞ I (0 or 1 bit)", large_weight_limit("softsign", edges), ">", "softsign lim w→∞ I = 1 bit"
        ),
    ]
    later = np.array([2.0, 5.0, 10.0, 100.0])
    checks.append(
        _positive(
            "min over w ∈ {2,5,10,100} of I_softsign − I_tanh (compresses less)",
            float(np.min(mutual_information("softsign", later, edges) - mutual_information("tanh", later, edges))),
            FLOAT_RESOLUTION,
            "softsign compresses less than tanh",
        )
    )
    half = half_line_edges(2 / 29, 10.0)
    grid = np.geomspace(0.01, 10.0, 300)
    softplus, relu = mutual_information("softplus", grid, half), mutual_information("relu", grid, half)
    checks += [
        _positive(
            "softplus: min ΔI on [0.01, 10] > float64 resolution",
            _monotone(softplus),
            FLOAT_RESOLUTION,
            "softplus rises on [0.01, 10]",
        ),
        _positive(
            "min over [0.01, 10] of I_softplus − I_relu",
            float(np.min(softplus - relu)),
            FLOAT_RESOLUTION,
            "softplus retains more than ReLU",
        ),
        _reference("softplus I(1)", mutual_information("softplus", 1.0, half), "4.75", "softplus I(1)"),
        _reference("ReLU I(1)", mutual_information("relu", 1.0, half), "3.30", "ReLU I(1)"),
    ]
    return tuple(checks)


C18_DECLARED = declare("C18", *C18_MINIMAL_DECLARED, *C18_NETWORK_DECLARED)


@claim(
    "C18",
    needs=_c18_needs,
    figures=("F11", "F2C-softsign", "F2D-softplus", "F8C", "F8D"),
    declares=C18_DECLARED,
)
def check_c18(inputs: Inputs) -> ClaimResult:
    """C18: "Softsign saturates more slowly than tanh … softplus retains more information than ReLUs" ([P] App B.2).

    Figures F11, F2C-softsign, F2D-softplus (minimal model, docs/claims.md#robustness values:
    :func:`c18_minimal_checks`) and F8C/F8D (the SZT networks of Fig 8:
    :func:`paper_checks.claims.szt.c18_network_checks`).
    """
    network = c18_network_checks(inputs)
    return ClaimResult(
        "C18",
        c18_minimal_checks(inputs) + tuple(network.checks),
        "softsign: modest compression; softplus ≥ ReLU",
        ("F11", "F8C", "F8D"),
        "Minimal model — softsign: 30 equal bins; softplus/ReLU: half-line bins Δ = 2/29. Networks: the Fig 8 "
        "runs (binned drops; KDE σ² = 0.1 at the final epoch).",
    )


def _c21_needs(profile: Profile) -> dict[str, Need]:
    return {
        "low": Need(IncrementConfig("tanh", "net_input", w_low=0.1, w_high=0.5)),
        "argmax": Need(ArgmaxConfig("tanh", "net_input", search=(1.0, 1000.0))),
    } | curve_needs(("tanh", "net_input"))(profile)


C21_DECLARED = declare(
    "C21",
    _unit(
        "rises on [0.1, 0.5] (80 digits)",
        "closed_form",
        ">",
        "min step of I over 20 log-spaced w > mp_resolution(80) = 1e-75 bits " + _RISE,
        _RISE_BASIS + "; the rise ~Φ(−1.72/w) is below float64 resolution there",
        ("low",),
    ),
    _unit(
        "rises on [0.5, 10]",
        "closed_form",
        ">",
        "min step of I over 300 log-spaced w > 1e-12 bits (FLOAT_RESOLUTION) " + _RISE,
        _RISE_BASIS,
    ),
    _reference_declared("I(10)", "|I(10) − 3.59| ≤ 5e-3 bits"),
    _reference_declared("caveat: argmax", "|w* − 29.4| ≤ 0.05 (dI/dw = 0 on [1, 1000])", ("argmax",)),
    _reference_declared("caveat: max I", "|I(w*) − 4.77| ≤ 5e-3 bits", ("argmax",)),
    _mc_declared("tanh", "net_input")[0],
)


@claim("C21", needs=_c21_needs, figures=("F13",), declares=C21_DECLARED)
def check_c21(inputs: Inputs) -> ClaimResult:
    """C21: with edges "evenly spaced in net input", I(T;X) "continues to increase as weights grow" ([P] App C, Fig 13).

    Figure F13. N = 30 edges tanh(linspace(−50, 50, 30)) (docs/choices.md#a18): increasing on (0, 10] (every step
    beyond the numerical resolution), I(10) = 3.59 bits; the caveat of the spec (a maximum at w ≈ 29.4, 4.77 bits,
    from the outer edges at ±50) is checked too, and the exact curve is compared with Monte Carlo.
    """
    edges = net_input_edges(30)
    # Below w ≈ 0.5 the rise is exponentially small (~Φ(−1.72/w)): on [0.1, 0.5] the increments are computed with
    # 80-digit mpmath (strictly positive, ~1e-54 at w = 0.1); on [0.5, 10] in float64.
    low = inputs["low"]
    grid = mutual_information("tanh", np.geomspace(0.5, 10.0, 300), edges, space="net_input")
    w_star, I_star = _argmax(inputs, "argmax")
    checks = [
        _positive(
            f"min ΔI on [0.1, 0.5] ({low.attrs['precision']}-digit mpmath) > its resolution",
            float(low.min_increment_I),
            mp_resolution(low.attrs["precision"]),
            "rises on [0.1, 0.5] (80 digits)",
        ),
        _positive("min ΔI on [0.5, 10] > float64 resolution", _monotone(grid), FLOAT_RESOLUTION, "rises on [0.5, 10]"),
        _reference("I(10)", mutual_information("tanh", 10.0, edges, space="net_input"), "3.59", "I(10)"),
        _reference("caveat: argmax", float(w_star), "29.4", "caveat: argmax", ""),
        _reference("caveat: max I", float(I_star), "4.77", "caveat: max I"),
    ]
    checks += _mc_checks(inputs["tanh/net_input"], "tanh", spec_bits=False)
    return ClaimResult(
        "C21",
        tuple(checks),
        "keeps increasing (Fig 13)",
        ("F13",),
        "Binned in net input at linspace(−50, 50, 30) (= tanh edges without float rounding).",
    )
