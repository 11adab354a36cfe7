"""Claims about what the information plane does and does not show on the SZT task, and the general SNR claims.

C15, C16 (saturation, App E), C19 (Kraskov, App B.3), C22–C25 (binning artefacts, App C), C26 (weight norms,
App D), C37 (SNR transition on SZT, App I) and C5 (the SNR transition is general). All use the experiment
``szt_artefacts`` (the Fig 1A/B runs measured with the artefact recorders); C5 and C26 also use ``mnist``.

References
----------
.. [P] Saxe et al., "On the Information Bottleneck Theory of Deep Learning", ICLR 2018, §4, App B.3, C, D, E, I.
"""

from __future__ import annotations

import math

import numpy as np
import xarray as xr

from paper_checks.claims.mnist import (
    hidden_layers,
    mnist_needs,
    weight_growth_checks,
)
from paper_checks.claims.paper_profile import paper_declared
from paper_checks.claims.szt import NO_COMPRESSION_BASIS, NO_COMPRESSION_BOUND, NO_COMPRESSION_MARGIN
from paper_checks.compare import Check, ClaimResult
from paper_checks.compression import (
    COMPRESSES_BASIS,
    COMPRESSES_BOUND,
    compression_summary,
    no_compression_checks,
    significant_increase,
)
from paper_checks.declarations import Declared, declare
from paper_checks.experiments.szt import artefacts_need, saturation_need
from paper_checks.profiles import Profile
from paper_checks.registry import Inputs, Need, claim, does_not_reproduce, undecided
from paper_checks.snr import MIN_RATIO, levels_note, transition_checks

__all__ = [
    "C19_FAST_NOTE",
    "INFORMATIVE_BITS",
    "MACHINE_PRECISION_TOL",
    "MOST_LAYERS",
    "SATURATED_FRACTION",
    "SATURATION_Z",
    "SEVERAL_LAYERS",
    "SNR_FAST_NOTE",
    "ZERO_FRACTION_BAND",
    "check_c5",
    "check_c15",
    "check_c16",
    "check_c19",
    "check_c22",
    "check_c23",
    "check_c24",
    "check_c25",
    "check_c26",
    "check_c37",
]

SATURATION_Z = 3.0
"""Saturation "increases" when the seed-mean increase of the extreme-bin fraction exceeds 3 standard errors."""

MACHINE_PRECISION_TOL = 0.01
"""C23/C25: "stays at log₂ P = 12 bits" means within 0.01 bits of 12, i.e. at most ≈ 4 of the 4096 patterns share a
float32 activity pattern with another one (merging two patterns lowers H by 2/4096 bits ≈ 0.0005 bits each)."""


C19_FAST_NOTE = (
    "at the fast profile (6 seeds, 600 epochs) no tanh hidden layer passes the declared compression test under "
    "Kraskov H(T) (measured on 2026-12-01: layer 4 rises 2.34 > δ 1.87 but drops 0.73 < 0.86; layer 5 rises 2.64 "
    "< 2.89), and ReLU layers 4–5 fail the equivalence test (own-peak drops 4.7 ± 4.4 and 12.7 ± 5.8 bits): the "
    "seed-to-seed spread of Kraskov H(T) in saturated and in dying layers needs the paper's 50 repeats"
)
"""Why C19 is declared "does not reproduce" at the fast profile (measured; see paper_checks/test_artefacts.py)."""

SNR_FAST_NOTE = (
    "Does not reproduce at the fast profile: the SNR falls in every layer, by 5.0–9.2× (tanh) and 5.3–7.3× (ReLU) "
    "in the SZT hidden layers per sample (tanh's output layer 10.5×) and by 4.5–6.9× (tanh) and 7.2–9.3× (ReLU) on "
    "MNIST over all 15 minibatches, where the threshold max(10, null 99 % quantile ≤ 1.4) is 10. The late SNR sits "
    "at the zero-signal level 1/√(n−1) of the statistic (SZT per sample 0.012–0.033 vs 0.017; MNIST per minibatch "
    "0.20–0.32 vs 0.27), so the ratio is capped near early·√(n−1); a 10 000-epoch SZT run (2 seeds, measured "
    "earlier) gave 2.3–6.8×."
)
"""Why C5 and C37 (and C20) do not reproduce at the fast profile (measured; see paper_checks/test_artefacts.py)."""

FAST_SNR_DECLARATION = {"fast": does_not_reproduce(SNR_FAST_NOTE)}
"""C5 and C37 declare "does not reproduce" at the fast profile (the paper profile: :mod:`paper_profile`)."""


def artefact_needs(profile: Profile) -> dict[str, Need]:
    """The Fig 1A/B tanh and ReLU runs with the artefact estimators (inputs ``tanh``, ``relu``)."""
    return {a: artefacts_need(profile, a) for a in ("tanh", "relu")}


def artefact_and_mnist_needs(profile: Profile) -> dict[str, Need]:
    """:func:`artefact_needs` and the MNIST networks (inputs ``mnist/tanh``, ``mnist/relu``)."""
    return artefact_needs(profile) | mnist_needs(profile)


def _runs(inputs: Inputs) -> dict[str, xr.Dataset]:
    return {a: inputs[a] for a in ("tanh", "relu")}


def _se(values: np.ndarray) -> float:
    return float(values.std(ddof=1) / math.sqrt(values.size)) if values.size > 1 else 0.0


SATURATED_FRACTION = 0.5
"""C15's "saturate into the top and bottom bins", as a stated level: at the last logged epoch more than half of a
layer's activity values lie in the two extreme of the 30 bins (a lenient reading of the paper's "near 1", Fig 16):
the layer's typical unit is saturated. Tested as final fraction − 3 SE > 0.5."""

ZERO_FRACTION_BAND = 0.1
"""C16's "roughly constant fraction at exactly zero", as a stated band: each seed's largest departure of the
fraction of ReLU activity at exactly 0 from its epoch-0 value, mean + 3 SE ≤ 0.1 (ten percentage points; at
initialisation the fraction is ≈ 0.5 by symmetry). An equivalence test: noise makes it harder to pass."""

INFORMATIVE_BITS = 1.0
"""C22/C23: a layer's "no compression" counts only where the layer carries information: its seed-mean I(X;T) is at
least 1 bit (it tells apart at least two equiprobable groups of patterns) at every logged epoch. A layer near 0 bits
cannot compress and says nothing about compression."""

MOST_LAYERS = 3
"""C22/C23 "most layers": at least 3 of the 5 hidden layers."""

SEVERAL_LAYERS = 2
"""C19 "several tanh layers": at least 2 of the 5 hidden layers."""

_HIDDEN = (1, 2, 3, 4, 5)
NAMES = {"tanh": "tanh", "relu": "ReLU"}
_SATURATING = (3, 4, 5)


C15_DECLARED = declare(
    "C15",
    Declared("extreme-bin fraction rises", "extreme_fraction", ">", "final − initial fraction > 3 SE",
             "one-sided 3 SE of paired per-seed differences", ("saturation",), "szt", _SATURATING),
    Declared("layers end saturated", "extreme_fraction_final", ">", "final fraction − 3 SE > 0.5",
             "SATURATED_FRACTION (a lenient reading of 'near 1'); one-sided 3 SE over seeds", ("saturation",), "szt",
             _SATURATING),
)  # fmt: skip

C15_FAST_NOTE = (
    "at the fast profile (600 epochs at Adam 4e-3, 6 seeds) tanh layers 3–5 saturate increasingly (rises > 3 SE) "
    "but layers 3 and 4 do not end saturated: measured on 2026-12-01, final extreme-bin fractions 0.045, 0.193 and "
    "0.661 in layers 3–5 against the declared level 0.5; the paper profile (10 000 epochs) decides — a 10 000-epoch "
    "run at lr 4e-4 (2 seeds, measured before) left layers 3–4 near 0.1"
)


@claim("C15", needs=lambda p: {"saturation": saturation_need(p)}, figures=("F16",), declares=C15_DECLARED,
       expected={"fast": does_not_reproduce(C15_FAST_NOTE), **paper_declared("C15")})  # fmt: skip
def check_c15(inputs: Inputs) -> ClaimResult:
    """Check claim C15 of the paper.

    C15: "In tanh networks trained from small weights, activities enter saturation. The last three tanh layers
    eventually saturate into the top and bottom bins" ([P] §2, App E, Fig 16).

    Checks, for tanh hidden layers 3–5: the fraction of activity in the two extreme of the 30 bins on [−1, 1]
    (``|h| ≥ 1 − 2/30``) rises from epoch 0 to the last logged epoch by more than 3 seed-to-seed SE, and ends
    above :data:`SATURATED_FRACTION` by more than 3 SE. Run: :func:`paper_checks.experiments.szt.saturation_need`
    (the Fig 1A/B tanh run at the paper profile; at the fast profile 600 epochs and 6 seeds at Adam lr 4e-3).
    """
    ds = inputs["saturation"]
    checks = []
    frac = ds["extreme_fraction"]
    for l in _SATURATING:
        final = frac.sel(layer=l).isel(epoch=-1).values
        checks.append(
            significant_increase(
                f"tanh layer {l}: extreme-bin fraction final − initial, > 3 SE",
                final - frac.sel(layer=l).isel(epoch=0).values,
                "extreme-bin fraction rises",
                l,
                units="",
            )
        )
        se = _se(final)
        checks.append(
            Check(
                f"tanh layer {l}: final extreme-bin fraction − 3 SE (mean {final.mean():.3f})",
                final.mean() - SATURATION_Z * se,
                ">",
                SATURATED_FRACTION,
                "",
                scale=max(se, 1e-3),
                declared="layers end saturated",
                layer=l,
            )
        )
    final = np.round(frac.isel(epoch=-1).mean("seed").values, 3).tolist()
    return ClaimResult(
        "C15",
        tuple(checks),
        paper_value="layers 3–5 end (near) fully in the extreme bins after 10 000 epochs (Fig 16)",
        figures=("F16",),
        note=(
            f"final extreme-bin fraction of layers 1–6 {final}; "
            f"{ds.attrs['epochs']} epochs, Adam lr {ds.attrs['learning_rate']}, {ds.sizes['seed']} seeds "
            f"({inputs.profile.name} profile)"
        ),
    )  # fmt: skip


C16_FAST_NOTE = (
    "at the fast profile (6 seeds, 600 epochs) the fraction of ReLU activity at exactly 0 moves by more than the "
    "declared band of 0.1: measured on 2026-12-01, each seed's largest departure from its initial fraction, mean + "
    "3 SE, is 0.20, 0.47, 0.41, 0.34 and 0.36 in layers 1–5 (initial 0.41–0.55); the mean activity and the output "
    "layer's saturation rise as stated; the paper profile decides"
)

C16_DECLARED = declare(
    "C16",
    Declared("zero fraction roughly constant", "zero_fraction", "<=",
             "each seed's max |zero fraction − its epoch-0 value|, mean + 3 SE ≤ 0.1",
             "ZERO_FRACTION_BAND; equivalence test, 3 SE over seeds", ("relu",), "szt", _HIDDEN),
    Declared("nonzero activity spreads out", "activity_histogram", ">", "mean activity final − initial > 3 SE",
             "one-sided 3 SE of paired per-seed differences", ("relu",), "szt", _HIDDEN),
    Declared("output layer saturates", "activity_histogram", ">", "outer-bin fraction final − initial > 3 SE",
             "one-sided 3 SE of paired per-seed differences", ("relu",), "szt", (6,)),
)  # fmt: skip


@claim("C16", needs=artefact_needs, figures=("F17",), declares=C16_DECLARED,
       expected={"fast": does_not_reproduce(C16_FAST_NOTE), **paper_declared("C16")})  # fmt: skip
def check_c16(inputs: Inputs) -> ClaimResult:
    """Check claim C16 of the paper.

    C16: "ReLU layers 1–5 keep a roughly constant fraction of activities at exactly zero; the nonzero activities
    spread out without bound; the sigmoid output layer 6 goes to its saturation limits" ([P] App E, Fig 17).

    Checks: for ReLU layers 1–5 the fraction at exactly 0 stays within the band :data:`ZERO_FRACTION_BAND` of its
    initial value (equivalence test on each seed's largest departure); the mean activity (from the histograms over
    [0, max]) rises by > 3 SE in every hidden layer; the output layer's fraction in the outer bins of [0, 1] rises
    by > 3 SE.
    """
    ds = _runs(inputs)["relu"]
    checks = []
    zero = ds["zero_fraction"]
    for l in _HIDDEN:
        z = zero.sel(layer=l).transpose("seed", "epoch").values
        departure = np.abs(z - z[:, :1]).max(axis=1)
        bound = departure.mean() + SATURATION_Z * _se(departure)
        checks.append(
            Check(
                f"ReLU layer {l}: each seed's max |zero fraction − initial|, mean + 3 SE "
                f"(initial {z[:, 0].mean():.3f})",
                bound,
                "<=",
                ZERO_FRACTION_BAND,
                "",
                scale=ZERO_FRACTION_BAND,
                declared="zero fraction roughly constant",
                layer=l,
            )
        )
    edges = ds["hidden_edges"].transpose("seed", "bin_edge").values  # each seed's own range [0, its max]
    centres = xr.DataArray(0.5 * (edges[:, 1:] + edges[:, :-1]), dims=("seed", "bin"))
    for l in _HIDDEN:
        mean_activity = (ds["activity_histogram"].sel(layer=l) * centres).sum("bin")
        rise = (mean_activity.isel(epoch=-1) - mean_activity.isel(epoch=0)).values
        checks.append(
            significant_increase(
                f"ReLU layer {l}: mean activity final − initial, > 3 SE",
                rise,
                "nonzero activity spreads out",
                l,
                units="",
            )
        )
    hist = ds["activity_histogram"].sel(layer=ds["layer"].values[-1])
    outer = (hist.isel(bin=0) + hist.isel(bin=-1)).values  # (seed, epoch)
    checks.append(
        significant_increase(
            "ReLU output layer: outer-bin fraction final − initial, > 3 SE",
            outer[:, -1] - outer[:, 0],
            "output layer saturates",
            6,
            units="",
        )
    )
    return ClaimResult("C16", tuple(checks), paper_value="Fig 17: constant zero bin; output layer saturates",
                       figures=("F17",))  # fmt: skip


C19_DECLARED = declare(
    "C19",
    Declared("several tanh layers compress", "count", ">=",
             "≥ 2 of the 5 tanh hidden layers pass 'compresses' (" + COMPRESSES_BOUND + ")",
             "the statement's 'several'; " + COMPRESSES_BASIS + "; every hidden layer is tested", ("tanh",)),
    Declared("ReLU does not compress (Kraskov)", "H_kraskov", "does not compress", NO_COMPRESSION_BOUND,
             NO_COMPRESSION_BASIS + "; under homoscedastic noise H(T) = I(X;T) + const (Eqs 13–15), the same axis",
             ("relu",), "szt", _HIDDEN),
)  # fmt: skip


@claim("C19", needs=artefact_needs, figures=("F12",), declares=C19_DECLARED,
       expected={"fast": does_not_reproduce(C19_FAST_NOTE), **paper_declared("C19")})  # fmt: skip
def check_c19(inputs: Inputs) -> ClaimResult:
    """Check claim C19 of the paper.

    C19: "Kraskov k-NN entropy (k = 2, ε = 1e-16), SZT data, 50 repeats: several tanh layers show decreasing H(T)
    (compression); ReLU layers do not" ([P] App B.3, Fig 12).

    Checks with the one compression definition applied to H(T) (bits): every tanh hidden layer is tested and at
    least :data:`SEVERAL_LAYERS` of them must compress (no layer is chosen by its result); no ReLU hidden layer
    compresses (equivalence test, margin 0.6 bits).
    """
    runs = _runs(inputs)
    # Kraskov is measured at a subset of the logged epochs (ArtefactsConfig.kraskov_every); drop the others.
    tanh, relu = (runs[a]["H_kraskov"].dropna("epoch", how="all") for a in ("tanh", "relu"))
    summary = compression_summary(tanh.sel(layer=list(_HIDDEN)))
    compressing = [c.layer for c in summary if c.compresses]
    checks = [
        Check(
            f"tanh hidden layers that compress under Kraskov H(T): {compressing}",
            len(compressing),
            ">=",
            SEVERAL_LAYERS,
            "layers",
            scale=1.0,
            declared="several tanh layers compress",
        )
    ]
    checks += no_compression_checks(
        relu,
        _HIDDEN,
        "ReLU Kraskov H(T)",
        NO_COMPRESSION_MARGIN,
        declared="ReLU does not compress (Kraskov)",
        what="H(T)",
    )
    return ClaimResult("C19", tuple(checks), paper_value="Fig 12: some tanh layers decrease, no ReLU layer does",
                       figures=("F12",), note="tanh H(T) per layer: " + "; ".join(
                           f"{c.layer}: rise {c.rise:.2f} (δ {c.rise_delta:.2f}), drop {c.drop:.2f} (δ {c.delta:.2f})"
                           for c in summary))  # fmt: skip


def _steady_informative(curve: xr.DataArray, layers) -> tuple[list[int], list[str]]:
    """Layers that pass the no-compression test and carry ≥ INFORMATIVE_BITS at every logged epoch."""
    steady, notes = [], []
    nones = no_compression_checks(curve, layers, "", NO_COMPRESSION_MARGIN)
    for layer, check in zip(layers, nones, strict=True):
        low = float(curve.sel(layer=layer).mean("seed").min())
        if check.passed and low >= INFORMATIVE_BITS:
            steady.append(layer)
        notes.append(f"{layer}: {'steady' if check.passed else 'not steady'}, min {low:.2f} bits")
    return steady, notes


C22_FAST_NOTE = (
    "at the fast profile the tanh layers carry almost no information under net-input binning (measured on "
    "2026-12-01: minimum seed-mean I(X;T) 0.58, 0.04, 0.00, 0.00, 0.00 bits in layers 1–5; the 30 edges "
    "tanh(linspace(−50, 50, 30)) put the activity of small weights into one or two central bins), so no layer "
    "counts as steady and informative: 'no compression' here is the absence of information, not a finding about "
    "compression; the paper profile decides"
)

C22_DECLARED = declare(
    "C22",
    Declared("most layers steady under net-input binning", "count", ">=",
             "≥ 3 of 5 tanh hidden layers pass 'does not compress' (margin 0.6 bits) with I(X;T) ≥ 1 bit throughout",
             "the statement's 'most'; INFORMATIVE_BITS so that a layer near 0 bits does not count", ("tanh",)),
    Declared("net-input binning hides compression", "count", ">",
             "tanh hidden layers that compress with the paper's bins − with net-input bins > 0",
             "the figure's contrast (Fig 14 vs Fig 1A)", ("tanh",)),
)  # fmt: skip


@claim("C22", needs=artefact_needs, figures=("F14",), declares=C22_DECLARED,
       expected={"fast": does_not_reproduce(C22_FAST_NOTE), **paper_declared("C22")})  # fmt: skip
def check_c22(inputs: Inputs) -> ClaimResult:
    """Check claim C22 of the paper.

    C22: "The same tanh run as Fig 1A, measured with net-input binning, shows no compression in most layers"
    ([P] App C, Fig 14; edges ``tanh(linspace(−50, 50, 30))``, docs/choices.md#a18).

    Checks: at least :data:`MOST_LAYERS` of the 5 tanh hidden layers are steady under net-input binning — they
    pass the no-compression equivalence test and carry at least :data:`INFORMATIVE_BITS` at every epoch — and
    more hidden layers compress under the paper's 30 bins on [−1, 1] than under net-input binning.
    """
    ds = _runs(inputs)["tanh"]
    steady, notes = _steady_informative(ds["I_XT_netinput"], _HIDDEN)
    net = sum(c.compresses for c in compression_summary(ds["I_XT_netinput"].sel(layer=list(_HIDDEN))))
    paper = sum(c.compresses for c in compression_summary(ds["I_XT_bin"].sel(layer=list(_HIDDEN))))
    checks = (
        Check(f"tanh hidden layers steady and informative under net-input binning: {steady}", len(steady), ">=",
              MOST_LAYERS, "layers", scale=1.0, declared="most layers steady under net-input binning"),
        Check("tanh hidden layers compressing with the paper's bins − with net-input bins", paper - net, ">", 0,
              "layers", scale=1.0, declared="net-input binning hides compression"),
    )  # fmt: skip
    return ClaimResult("C22", checks, paper_value="Fig 14: no compression in most layers", figures=("F14",),
                       note=f"net-input binning per layer: {'; '.join(notes)}; compressing layers: net-input {net}, "
                       f"paper binning {paper} of 5")  # fmt: skip


C23_DECLARED = declare(
    "C23",
    Declared("tanh layers at 12 bits", "I_XT_machine", ">=",
             "≥ 3 of 5 tanh hidden layers within 0.01 bits of 12 at every logged epoch (seed mean)",
             "MACHINE_PRECISION_TOL: at most ≈ 4 of 4096 patterns merged", ("tanh",)),
    Declared("most layers steady at machine precision", "count", ">=",
             "≥ 3 of 5 hidden layers pass 'does not compress' (margin 0.6 bits) with I(X;T) ≥ 1 bit throughout",
             "the statement's 'most'; INFORMATIVE_BITS", ("tanh", "relu")),
    Declared("lowest layers do not compress at machine precision", "I_XT_machine", "does not compress",
             NO_COMPRESSION_BOUND,
             NO_COMPRESSION_BASIS + "; the statement's compression is only in the highest, smallest layers",
             ("tanh", "relu"), "szt", (1, 2)),
)  # fmt: skip


@claim("C23", needs=artefact_needs, figures=("F15",), declares=C23_DECLARED)
def check_c23(inputs: Inputs) -> ClaimResult:
    """Check claim C23 of the paper.

    C23: "Binning at full machine precision: information in most layers stays at log₂(P) = 12 bits. Compression
    appears only in the highest, smallest layers near the very end of training" ([P] App C, Fig 15).

    Checks (float32 activity, every distinct pattern its own bin): in the tanh run at least 3 of the 5 hidden
    layers stay within ``MACHINE_PRECISION_TOL`` of 12 bits at every logged epoch; in both runs at least 3 of the 5
    hidden layers are steady (pass the no-compression equivalence test and carry ≥ 1 bit throughout), and the first
    two hidden layers do not compress (equivalence test).
    """
    checks = []
    notes = []
    for activation, ds in _runs(inputs).items():
        curve = ds["I_XT_machine"]
        minimum = curve.mean("seed").sel(layer=list(_HIDDEN)).min("epoch")
        notes.append(f"{activation}: min I(X;T) per hidden layer {np.round(minimum.values, 3).tolist()} bits")
        if activation == "tanh":
            at_ceiling = int((12.0 - minimum <= MACHINE_PRECISION_TOL).sum())
            checks.append(
                Check(
                    f"tanh: hidden layers within {MACHINE_PRECISION_TOL} bits of 12 at every epoch",
                    at_ceiling,
                    ">=",
                    MOST_LAYERS,
                    "layers",
                    scale=1.0,
                    declared="tanh layers at 12 bits",
                )
            )
        steady, _ = _steady_informative(curve, _HIDDEN)
        checks.append(
            Check(
                f"{activation}: hidden layers steady and informative at machine precision: {steady}",
                len(steady),
                ">=",
                MOST_LAYERS,
                "layers",
                scale=1.0,
                declared="most layers steady at machine precision",
            )
        )
        checks += no_compression_checks(
            curve,
            (1, 2),
            f"{activation} machine precision",
            NO_COMPRESSION_MARGIN,
            declared="lowest layers do not compress at machine precision",
        )
    return ClaimResult("C23", tuple(checks), paper_value="Fig 15: most layers at 12 bits", figures=("F15",),
                       note="; ".join(notes))  # fmt: skip


C24_DECLARED = declare(
    "C24",
    Declared("DPI broken under net-input binning", "information_difference", ">",
             "largest seed-mean I(X;T_{l+1}) − I(X;T_l) over adjacent hidden layers and epochs > 3 SE",
             "one-sided 3 SE over seeds; a true MI obeys the DPI", ("tanh",)),
)  # fmt: skip


@claim("C24", needs=artefact_needs, figures=("F14",), declares=C24_DECLARED)
def check_c24(inputs: Inputs) -> ClaimResult:
    """Check claim C24 of the paper.

    C24: "The data processing inequality does not hold for per-layer binned/noisy estimates, so I(X;T_{l+1}) >
    I(X;T_l) can happen" ([P] App C, Fig 14 "broken DPI").

    Check: in the tanh run under net-input binning, the largest seed-mean violation
    ``I(X;T_{l+1}) − I(X;T_l)`` over adjacent hidden layers and logged epochs exceeds 3 seed-to-seed SE of that
    same difference (a measured violation, not estimator noise). A true (noise-free) MI obeys the DPI, so any
    significant positive difference is an artefact of binning each layer separately. (Taking the largest of
    several differences favours a pass; the 3-SE bound is kept as declared and the selection is stated here.)
    """
    ds = _runs(inputs)["tanh"]
    I_XT = ds["I_XT_netinput"].sel(layer=hidden_layers(ds)).transpose("seed", "epoch", "layer").values
    diff = I_XT[:, :, 1:] - I_XT[:, :, :-1]  # (seed, epoch, layer pair)
    mean = diff.mean(axis=0)
    e, p = np.unravel_index(int(np.argmax(mean)), mean.shape)
    layer = int(hidden_layers(ds)[p])
    epoch = int(ds["epoch"].values[e])
    check = significant_increase(
        f"tanh net-input binning: I(X;T_{layer + 1}) − I(X;T_{layer}) at epoch {epoch}, > 3 SE",
        diff[:, e, p],
        "DPI broken under net-input binning",
        units="bits",
    )
    return ClaimResult("C24", (check,), paper_value="Fig 14: a deeper layer above a shallower one", figures=("F14",))


C25_DECLARED = declare(
    "C25",
    Declared("distinct patterns give log P", "I_XT_machine", "identity",
             "layer 1 of tanh: 12 − min over seeds and epochs of I(X;T) ≤ 0.01 bits",
             "definitional: when every input gives a distinct pattern, the plug-in entropy is log₂P exactly; the "
             "check confirms the inputs stay distinct in float32 (MACHINE_PRECISION_TOL)", ("tanh",), "szt", (1,)),
    Declared("no change during training", "I_XT_machine", "identity",
             "layer 1: max − min over epochs of seed-mean I(X;T) ≤ 0.01 bits",
             "definitional, given distinct patterns at every epoch (the claim's 'if'); MACHINE_PRECISION_TOL",
             ("tanh", "relu"), "szt", (1,)),
)  # fmt: skip


@claim("C25", needs=artefact_needs, figures=("F15",), declares=C25_DECLARED)
def check_c25(inputs: Inputs) -> ClaimResult:
    """Check claim C25 of the paper — a definitional statement, checked as identities.

    C25: "Single precision corresponds to about 2³² bins per unit ... If each input gives a distinct binned
    pattern, H(h) = log P and there is little or no change during training" ([P] App C).

    The statement is conditional and holds by the definition of the plug-in entropy: P distinct patterns give
    H = log₂P, whatever the network does. Both checks are therefore labelled identities (relation
    ``identity``): they confirm the condition (the first hidden layer's float32 patterns stay distinct, so I(X;T)
    is within ``MACHINE_PRECISION_TOL`` of 12 bits) and its consequence (no change over training). The empirical
    content — that most layers of trained networks stay there — is C23's.
    """
    checks = []
    runs = _runs(inputs)
    worst = float(12.0 - runs["tanh"]["I_XT_machine"].sel(layer=1).min())
    checks.append(
        Check(
            "identity (definitional): tanh layer 1, 12 − min over seeds and epochs of I(X;T)",
            worst,
            "<=",
            MACHINE_PRECISION_TOL,
            scale=MACHINE_PRECISION_TOL,
            declared="distinct patterns give log P",
            layer=1,
        )
    )
    for activation, ds in runs.items():
        curve = ds["I_XT_machine"].sel(layer=1).mean("seed")
        checks.append(
            Check(
                f"identity (definitional): {activation} layer 1, max − min over epochs of I(X;T)",
                float(curve.max() - curve.min()),
                "<=",
                MACHINE_PRECISION_TOL,
                scale=MACHINE_PRECISION_TOL,
                declared="no change during training",
                layer=1,
            )
        )
    return ClaimResult("C25", tuple(checks), paper_value="H(h) = log P = 12 bits, no change", figures=("F15",),
                       note="a definitional statement: its checks are identities given distinct patterns")  # fmt: skip


C26_DECLARED = declare(
    "C26",
    *(
        Declared(f"{net} {a} weights grow", "weight_norm", ">", "‖W_l‖ final − initial > 3 SE",
                 "one-sided 3 SE of paired per-seed differences", (where,), net.lower(), layers)
        for net, layers in (("SZT", (1, 2, 3, 4, 5, 6)), ("MNIST", (1, 2, 3, 4, 5)))
        for a, where in (("tanh", "tanh" if net == "SZT" else "mnist/tanh"),
                         ("relu", "relu" if net == "SZT" else "mnist/relu"))
    ),
)  # fmt: skip


C26_FAST_NOTE = (
    "at the fast profile (5 MNIST seeds, 70 epochs) the verdict depends on the machine's rounding, measured: every "
    "seed's ‖W‖ grows in every layer on both machines, but on 2026-12-02 (Intel, OpenBLAS SkylakeX kernels, training "
    "on one BLAS thread) MNIST-ReLU seed 4 grew by 5.9, 6.4 and 11.0 in layers 2–4 where seeds 0–3 grew by 1.5–1.7, "
    "so the mean growths 2.45, 2.59 and 3.53 fell below their 3 SE of 2.62, 2.82 and 5.62 (does not reproduce); on "
    "2026-12-03 (AMD EPYC, OpenBLAS Haswell kernels, one BLAS thread) seed 4 grew like the others, the mean growths "
    "1.57, 1.64 and 1.65 are 17–29 times their 3 SE of 0.063, 0.099 and 0.057, and the claim holds (margin +1.44, "
    "SZT tanh layer 1). One chaotic seed of five decides a 5-seed t-test, so this profile cannot carry the claim; the "
    "paper profile (50 seeds) decides"
)


@claim("C26", needs=artefact_and_mnist_needs, figures=("F9", "F10", "F20"), declares=C26_DECLARED,
       expected={"fast": undecided(C26_FAST_NOTE), **paper_declared("C26")})  # fmt: skip
def check_c26(inputs: Inputs) -> ClaimResult:
    """Check claim C26 of the paper.

    C26: "Weights start small and grow in norm during training in every network studied (tanh, ReLU, MNIST,
    linear)" ([P] App D; Figs 9, 10, 20, 21).

    Checks: ‖W_l‖_F at the last logged epoch exceeds its initial value (by > 3 seed-to-seed SE) for every layer of
    the SZT tanh and ReLU networks and the MNIST tanh and ReLU networks. (The linear network is C38's.)
    """
    checks = []
    for activation, ds in _runs(inputs).items():
        checks += weight_growth_checks(ds, f"SZT {activation}", declared=f"SZT {activation} weights grow")
    for activation in ("tanh", "relu"):
        checks += weight_growth_checks(
            inputs[f"mnist/{activation}"], f"MNIST {activation}", declared=f"MNIST {activation} weights grow"
        )
    return ClaimResult("C26", tuple(checks), paper_value="‖W‖ grows (green lines, Figs 9, 10, 20, 21)",
                       figures=("F9", "F10", "F20"))  # fmt: skip


_SNR_BOUND = "drift/diffusion ratio ≥ max(10, the null model's 99 % quantile)"
_SNR_BASIS = "a stationary series of the same statistic passes with probability ≤ 1 % (paper_checks.snr)"


def _snr_declared(name: str, where: str, network: str, layers: tuple[int, ...]) -> Declared:
    return Declared(name, "snr_transition", ">=", _SNR_BOUND, _SNR_BASIS, (where,), network, layers)


C37_DECLARED = declare(
    "C37",
    _snr_declared("SZT tanh SNR transition (per sample)", "tanh", "szt", (1, 2, 3, 4, 5, 6)),
    _snr_declared("SZT ReLU SNR transition (per sample)", "relu", "szt", (1, 2, 3, 4, 5, 6)),
)

C5_DECLARED = declare(
    "C5",
    _snr_declared("SZT tanh SNR transition (per sample)", "tanh", "szt", _HIDDEN),
    _snr_declared("SZT ReLU SNR transition (per sample)", "relu", "szt", _HIDDEN),
    _snr_declared("MNIST tanh SNR transition (per minibatch)", "mnist/tanh", "mnist", (1, 2, 3, 4)),
    _snr_declared("MNIST ReLU SNR transition (per minibatch)", "mnist/relu", "mnist", (1, 2, 3, 4)),
)


@claim("C37", needs=artefact_needs, expected=FAST_SNR_DECLARATION | paper_declared("C37"), figures=("F20",),
       declares=C37_DECLARED)  # fmt: skip
def check_c37(inputs: Inputs) -> ClaimResult:
    """Check claim C37 of the paper.

    C37: "The gradient SNR m_l/s_l (Eqs 26–27) undergoes a step-like transition from high to low in every layer,
    for tanh and for ReLU in the SZT setting" ([P] App I, Fig 20).

    Checks: the transition of :mod:`paper_checks.snr` (the highest running median of 5 logs before the final five
    over the median of the final five, ≥ max(10, the null model's 99 % quantile)) in every layer (hidden and
    output) of both networks, on the seed-median SNR of Eqs 26–27 over all training samples (per-example
    gradients; docs/choices.md#a13, the paper's formal definition). The note reports, per layer, the early and late
    SNR of both statistics (per sample and over all minibatches of 256, ibsgd's), their ratio and threshold, and
    whether the SNR crosses 1 (reported, not checked).
    """
    checks = []
    notes, extra = [], {}
    for activation, ds in _runs(inputs).items():
        layers = [int(l) for l in ds["layer"].values]
        checks += transition_checks(ds, "grad", layers, f"SZT {activation} SNR (per sample)",
                                    declared=f"SZT {NAMES[activation]} SNR transition (per sample)")  # fmt: skip
        note, levels = levels_note(f"SZT {activation}", ds, layers)
        notes.append(note)
        extra |= levels
    return ClaimResult("C37", tuple(checks), paper_value="Fig 20: a transition in every layer", figures=("F20",),
                       note="; ".join(notes) + f" ({inputs.profile.name} profile; threshold = max({MIN_RATIO:g}, "
                       f"null 99 % quantile)). {SNR_FAST_NOTE}", extra=extra)  # fmt: skip


@claim("C5", needs=artefact_and_mnist_needs, expected=FAST_SNR_DECLARATION | paper_declared("C5"),
       figures=("F20", "F9", "F10"),
       declares=C5_DECLARED)  # fmt: skip
def check_c5(inputs: Inputs) -> ClaimResult:
    """Check claim C5 of the paper.

    C5: "The drift→diffusion transition in gradient SNR is general (tanh, ReLU, MNIST, and a 1-1-1 linear network)
    and therefore not causally related to compression" ([P] §4, App I; F20, F21, F9/F10 row 4).

    Checks: the SNR transition (:mod:`paper_checks.snr`, ratio ≥ max(10, the null model's 99 % quantile)) in every
    hidden layer of the SZT tanh and ReLU networks and the MNIST tanh and ReLU networks — including the ReLU
    networks, which do not compress (C1/C7, C8). Each network's checked SNR is the statistic of its figure
    (docs/choices.md#a13): per training sample on SZT (Fig 20, Eqs 26–27), per minibatch (all minibatches of the
    epoch) on MNIST (Figs 9–10). The note reports both statistics' early and late SNR per layer and whether they
    cross 1. The 1-1-1 linear network is C38.
    """
    checks = []
    notes, extra = [], {}
    for activation, ds in _runs(inputs).items():
        checks += transition_checks(ds, "grad", hidden_layers(ds), f"SZT {activation} (per sample)",
                                    declared=f"SZT {NAMES[activation]} SNR transition (per sample)")  # fmt: skip
        note, levels = levels_note(f"SZT {activation}", ds, hidden_layers(ds))
        notes.append(note)
        extra |= levels
    for activation in ("tanh", "relu"):
        ds = inputs[f"mnist/{activation}"]
        checks += transition_checks(ds, "grad_batch", hidden_layers(ds), f"MNIST {activation} (per minibatch)",
                                    declared=f"MNIST {NAMES[activation]} SNR transition (per minibatch)")  # fmt: skip
        note, levels = levels_note(f"MNIST {activation}", ds, hidden_layers(ds))
        notes.append(note)
        extra |= levels
    return ClaimResult("C5", tuple(checks), paper_value="transition in tanh, ReLU, MNIST and linear networks",
                       figures=("F20", "F9", "F10"),
                       note="; ".join(notes) + f"; threshold = max({MIN_RATIO:g}, null 99 % quantile); the 1-1-1 "
                       f"linear network is checked under C38. {SNR_FAST_NOTE}", extra=extra)  # fmt: skip
