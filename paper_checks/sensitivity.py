r"""Does the verdict survive the estimator? Compression verdicts over estimator settings, on the same stored runs.

The question asked of every information-plane result is whether it is a property of the network or of the
estimator. Here the *declared* compression tests of :mod:`paper_checks.compression` — the ones every claim uses,
fixed before the data — are applied to the very networks of Fig 1A/B (and Fig 8), measured with every estimator
setting of a grid, without retraining (issue 16). Each cell of a map is one (setting, layer):

* the **drop** of the seed-mean curve from its peak to the end, in units of its seed-to-seed standard error,
  :math:`z = \text{drop} / \max(\text{SE}, \delta_{\min}/3)` (the floor is the 0.02-bit resolution floor of the
  compression test, so a cell whose seeds agree exactly has a finite z and the test ``z > 3`` is the test's own
  drop criterion);
* its **verdict**: *compresses* (the one-sided test: rise and drop beyond δ = max(3 SE, 0.02 bits), early peak),
  *does not compress* (the equivalence test: mean own-peak drop + 3 SE ≤ the margin, 5 % of the estimator's
  ceiling log₂ 4096 = 0.6 bits, the same margin for Kraskov H(T) as claim C19 declares), or *inconclusive*
  (neither test passes; never counted on either side).

The grid (module constants, all overridable, each value validated before any work):

==============  =========================================================================  ===================
estimator       settings                                                                   I(X;T) variable
==============  =========================================================================  ===================
binning         :data:`SWEEP_BIN_COUNTS` × :data:`BIN_RANGES` (fixed [−1, 1]; min–max of     ``I_XT_sweep``
                the run over all layers and logged epochs; min–max per layer)
KDE             σ² in :data:`SWEEP_NOISE_VARIANCES` (upper bound, [P] Eq 7)                  ``I_XT_upper_sweep``
Kraskov         k in :data:`SWEEP_KRASKOV_K` (H(T), [P] Eq 16)                                ``H_kraskov``
EBAB            :data:`SWEEP_EBAB_BINS` equal-count bins per layer and epoch ([CHO19])       ``I_XT_sweep``
adaptive KDE    σ² = κ·max|h|, κ in :data:`SWEEP_AKDE_SCALES` ([CHO19])                      ``I_XT_upper_sweep``
==============  =========================================================================  ===================

The costly kernel estimators (KDE, adaptive KDE) are taken at the epochs of Fig 8's KDE (every 3rd logged epoch
at the fast profile, every 4th at the paper's, and the last); binning, EBAB and Kraskov at every logged epoch.

Every setting is an ordinary registered measurement of the stored run (its own cache key), so a sweep computes
each setting once and a second sweep only reads. :func:`claim_verdicts` re-evaluates the declared checks of
the compression claims (:data:`CLAIM_HALVES`: C1's tanh and ReLU halves, C17's softplus half, [CHO19]'s C47 and C48)
at each setting, for the report.

References
----------
.. [P] Saxe et al., "On the Information Bottleneck Theory of Deep Learning", ICLR 2018, §2, App B.
.. [CHO19] Chelombiev, Houghton & O'Donnell, "Adaptive estimators show information compression in deep neural
   networks", ICLR 2019, arXiv:1902.09037, §3.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import xarray as xr

from paper_checks.claims.szt import HIDDEN_LAYERS, NO_COMPRESSION_MARGIN, SZT_PATTERNS, TANH_BELOW_CEILING
from paper_checks.compression import DELTA_FLOOR, Z_SCORE, compression_summary
from paper_checks.experiments.szt import SZTRun
from paper_checks.measurements import KDE, Binning, Kraskov, every_kth
from paper_checks.measurements_adaptive import EBAB, AdaptiveKDE

__all__ = [
    "ACTIVATIONS",
    "BIN_RANGES",
    "CLAIM_HALVES",
    "COMPRESSES",
    "DOES_NOT_COMPRESS",
    "ESTIMATORS",
    "INCONCLUSIVE",
    "SWEEP_AKDE_SCALES",
    "SWEEP_BIN_COUNTS",
    "SWEEP_EBAB_BINS",
    "SWEEP_KRASKOV_K",
    "SWEEP_NOISE_VARIANCES",
    "Setting",
    "claim_verdicts",
    "profile_settings",
    "setting_curve",
    "sweep_settings",
    "swept_run",
    "verdict_grid",
]

SWEEP_BIN_COUNTS = (10, 30, 100, 300, 1000)
"""Bin counts of the binning sweep (issue 16: 10 … 1 000; [P] uses 30 for tanh, 100 min–max bins for ReLU)."""

BIN_RANGES = {
    "fixed": "fixed [−1, 1]",
    "min_max": "min–max of the run",
    "per_layer": "min–max per layer",
}
"""Range rules of the binning sweep: IDNNs' fixed tanh range, [P]'s ReLU rule (network-global range over all
layers and logged epochs, docs/choices.md#a4) and its per-layer variant."""

SWEEP_NOISE_VARIANCES = (1e-4, 1e-3, 1e-2, 1e-1, 1.0)
"""KDE noise variances σ² (issue 16: 10⁻⁴ … 1; [P] fixed 0.1 "to give results qualitatively similar to binning")."""

SWEEP_KRASKOV_K = (1, 2, 4, 8)
"""Nearest-neighbour orders of the Kraskov sweep ([P]: k = 2)."""

SWEEP_EBAB_BINS = (10, 30, 100)
"""EBAB bin counts ([CHO19]'s adaptive binning, 30 bins by default here, docs/choices.md#e1)."""

SWEEP_AKDE_SCALES = (0.01, 0.1, 1.0)
"""Adaptive-KDE constants κ of σ² = κ·max|h| ([CHO19]; 0.1 gives σ² = 0.1 for a layer whose largest activity is 1)."""

ESTIMATORS = ("binning", "kde", "kraskov", "ebab", "akde")
"""The estimators of a sweep, in the order of the maps' rows."""

ACTIVATIONS = {"tanh": "F1", "relu": "F1", "softsign": "F8", "softplus": "F8"}
"""The networks swept, by activation: Fig 1A/B's runs (tanh, ReLU; Fig 8 measures these same runs) and Fig 8's
softsign and softplus runs."""

COMPRESSES, DOES_NOT_COMPRESS, INCONCLUSIVE = 1, -1, 0
"""Cell verdicts (stored as int8 with CF ``flag_values`` / ``flag_meanings``)."""

_SE_FLOOR = DELTA_FLOOR / Z_SCORE
"""The standard error below which a drop is measured against the resolution floor instead (z = drop / SE)."""


@dataclass(frozen=True)
class Setting:
    """One estimator setting of a sweep: the measurement configuration and where its I(X;T) curve is.

    Attributes
    ----------
    estimator : str
        ``"binning"``, ``"kde"``, ``"kraskov"``, ``"ebab"`` or ``"akde"``.
    label : str
        For people, e.g. ``"binning, 30 bins, fixed [−1, 1]"``.
    parameter : float
        The swept value (bins, σ², k or κ).
    range_rule : str
        The binning range rule (a key of :data:`BIN_RANGES`), ``""`` for other estimators.
    config : frozen dataclass
        The registered measurement configuration.
    variable : str
        The measured variable holding I(X;T) (H(T) for Kraskov).
    select : tuple of (str, float)
        Coordinates to select on the variable (the noise variance of a KDE measured at several).
    """

    estimator: str
    label: str
    parameter: float
    range_rule: str
    config: Any
    variable: str
    select: tuple[tuple[str, float], ...] = ()


def _integers(name: str, values: Iterable[Any], minimum: int, maximum: int | None = None) -> tuple[int, ...]:
    values = tuple(values)
    if not values:
        raise ValueError(f"{name} must list at least one value")
    for v in values:
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)):
            raise TypeError(f"{name} must be integers, got {v!r}")
        if v < minimum or (maximum is not None and v > maximum):
            upper = "" if maximum is None else f" and ≤ {maximum}"
            raise ValueError(f"{name} must be integers ≥ {minimum}{upper}, got {v!r}")
    return tuple(int(v) for v in values)


def _positive(name: str, values: Iterable[Any]) -> tuple[float, ...]:
    values = tuple(values)
    if not values:
        raise ValueError(f"{name} must list at least one value")
    out = []
    for v in values:
        if isinstance(v, (bool, str, bytes)) or not isinstance(v, (int, float, np.integer, np.floating)):
            raise TypeError(f"{name} must be numbers, got {v!r}")
        if not (math.isfinite(float(v)) and float(v) > 0):
            raise ValueError(f"{name} must be finite and > 0, got {v!r}")
        out.append(float(v))
    return tuple(out)


def sweep_settings(
    logged_epochs: Sequence[int],
    *,
    kernel_every: int = 3,
    bins: Iterable[int] = SWEEP_BIN_COUNTS,
    ranges: Iterable[str] = tuple(BIN_RANGES),
    noise_variances: Iterable[float] = SWEEP_NOISE_VARIANCES,
    kraskov_k: Iterable[int] = SWEEP_KRASKOV_K,
    ebab_bins: Iterable[int] = SWEEP_EBAB_BINS,
    akde_scales: Iterable[float] = SWEEP_AKDE_SCALES,
    estimators: Iterable[str] = ESTIMATORS,
    n_patterns: int = SZT_PATTERNS,
) -> list[Setting]:
    """The settings of a sweep over a run logged at `logged_epochs`, every value checked before any work.

    Parameters
    ----------
    logged_epochs : sequence of int
        The run's logged epochs (the kernel estimators take every `kernel_every`-th and the last).
    kernel_every : int
        Subsampling of the logged epochs for KDE and adaptive KDE (Fig 8's: 3 fast, 4 paper).
    bins, ranges, noise_variances, kraskov_k, ebab_bins, akde_scales
        The grid (module constants by default). An empty sequence is refused; pass the defaults to keep one.
    estimators : iterable of str
        Which of :data:`ESTIMATORS` to sweep (default all; the others' values are still validated).
    n_patterns : int
        Patterns the estimators see (4096 on SZT): Kraskov's k must be below it.

    Returns
    -------
    list of Setting

    Raises
    ------
    ValueError
        A bin count < 2, an unknown range rule, σ² or κ ≤ 0 (or not finite), or k < 1 or k ≥ N, naming the
        parameter and what is accepted.
    TypeError
        A value of the wrong type (e.g. a string or a float bin count).
    """
    bins = _integers("bins", bins, 2, 10_000_000)
    ranges = tuple(ranges)
    unknown = [r for r in ranges if r not in BIN_RANGES]
    if not ranges or unknown:
        raise ValueError(f"ranges must be some of {tuple(BIN_RANGES)}, got {ranges!r}")
    variances = _positive("noise_variances", noise_variances)
    ks = _integers("kraskov_k", kraskov_k, 1, n_patterns - 1)
    ebab_bins = _integers("ebab_bins", ebab_bins, 2, 10_000_000)
    scales = _positive("akde_scales", akde_scales)
    estimators = tuple(estimators)
    if not estimators or any(e not in ESTIMATORS for e in estimators):
        raise ValueError(f"estimators must be some of {ESTIMATORS}, got {estimators!r}")
    kernel_epochs = every_kth(logged_epochs, kernel_every)

    settings: list[Setting] = []
    for rule in ranges:
        for n in bins:
            if rule == "fixed":
                config = Binning("equal", n_bins=n, low=-1.0, high=1.0, name="sweep")
            else:
                config = Binning("min_max", n_bins=n, per_layer=rule == "per_layer", name="sweep")
            settings.append(Setting("binning", f"binning, {n} bins, {BIN_RANGES[rule]}", n, rule, config, "I_XT_sweep"))
    kde = KDE(variances, name="sweep", epochs=kernel_epochs)
    for v in variances:
        settings.append(Setting("kde", f"KDE, σ² = {v:g}", v, "", kde, "I_XT_upper_sweep", (("noise_variance", v),)))
    kraskov = Kraskov(ks)  # every order from one neighbour query per layer, seed and epoch
    for k in ks:
        settings.append(Setting("kraskov", f"Kraskov H(T), k = {k}", k, "", kraskov, "H_kraskov", (("kraskov_k", k),)))
    for n in ebab_bins:
        settings.append(Setting("ebab", f"EBAB, {n} bins", n, "", EBAB(n, name="sweep"), "I_XT_sweep"))
    akde = AdaptiveKDE(scales, name="sweep", epochs=kernel_epochs)
    for s in scales:
        settings.append(
            Setting("akde", f"adaptive KDE, κ = {s:g}", s, "", akde, "I_XT_upper_sweep", (("noise_scale", s),))
        )
    return [s for s in settings if s.estimator in estimators]


def swept_run(profile: Any, activation: str) -> SZTRun:
    """The stored run a sweep measures for `activation` at `profile` (:data:`ACTIVATIONS`)."""
    if activation not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {tuple(ACTIVATIONS)}, got {activation!r}")
    return SZTRun.for_profile(profile, activation, ACTIVATIONS[activation])


def profile_settings(profile: Any, activation: str, **grid: Any) -> list[Setting]:
    """:func:`sweep_settings` for the swept run of `activation`, the kernel estimators at Fig 8's KDE epochs.

    Fig 8's rule (:func:`paper_checks.experiments.szt.fig8_kde`): every 3rd logged epoch at the fast profile, every
    4th at the paper's, and the last. `grid` overrides the grid (see :func:`sweep_settings`).
    """
    run = swept_run(profile, activation)
    return sweep_settings(run.logged_epochs, kernel_every=profile.pick(fast=3, paper=4), **grid)


def setting_curve(measured: xr.Dataset, setting: Setting) -> xr.DataArray:
    """The (seed, epoch, layer) curve of `setting` in `measured` (its run joined with the setting's measurement)."""
    curve = measured[setting.variable]
    for dim, value in setting.select:
        curve = curve.sel({dim: value})
    return curve.dropna("epoch", how="all").transpose("seed", "epoch", "layer")


def verdict_grid(curves: Mapping[Setting, xr.DataArray], margin: float = NO_COMPRESSION_MARGIN) -> xr.Dataset:
    """Both compression tests of every layer at every setting, as one self-describing Dataset.

    Parameters
    ----------
    curves : mapping of Setting to xarray.DataArray
        The curve of each setting (:func:`setting_curve`), dims (seed, epoch, layer), bits.
    margin : float
        Margin of the "does not compress" equivalence test, bits (default 0.6 = 5 % of log₂ 4096).

    Returns
    -------
    xarray.Dataset
        Dims (setting, layer): ``drop``, ``drop_stderr``, ``drop_z``, ``rise``, ``rise_stderr``, ``peak_epoch``,
        ``equivalence_bound`` and ``verdict`` (int8: 1 compresses, −1 does not compress, 0 inconclusive), with
        coordinates ``label``, ``estimator``, ``parameter`` and ``range_rule`` along ``setting``.
    """
    if not curves:
        raise ValueError("curves must hold at least one setting")
    settings = list(curves)
    layers = sorted({int(layer) for c in curves.values() for layer in c["layer"].values})
    fields = ("drop", "drop_stderr", "drop_z", "rise", "rise_stderr", "peak_epoch", "equivalence_bound")
    values = {f: np.full((len(settings), len(layers)), np.nan) for f in fields}
    verdict = np.zeros((len(settings), len(layers)), dtype=np.int8)
    for i, setting in enumerate(settings):
        for c in compression_summary(curves[setting]):
            j = layers.index(c.layer)
            values["drop"][i, j] = c.drop
            values["drop_stderr"][i, j] = c.stderr
            values["drop_z"][i, j] = c.drop / max(c.stderr, _SE_FLOOR)
            values["rise"][i, j] = c.rise
            values["rise_stderr"][i, j] = c.rise_stderr
            values["peak_epoch"][i, j] = c.peak_epoch
            values["equivalence_bound"][i, j] = c.equivalence_bound()
            verdict[i, j] = (
                COMPRESSES if c.compresses else DOES_NOT_COMPRESS if c.does_not_compress(margin) else INCONCLUSIVE
            )
    dims = ("setting", "layer")
    described = {
        "drop": ("bits", "drop of the seed-mean curve from its peak to the last logged epoch"),
        "drop_stderr": ("bits", "seed-to-seed standard error of the paired per-seed drops"),
        "drop_z": ("1", f"drop / max(standard error, {_SE_FLOOR:.4g} bits): the drop in units of its standard error"),
        "rise": ("bits", "rise of the seed-mean curve from the first logged epoch to its peak"),
        "rise_stderr": ("bits", "seed-to-seed standard error of the paired per-seed rises"),
        "peak_epoch": ("epoch", "logged epoch of the seed-mean peak"),
        "equivalence_bound": ("bits", "mean own-peak drop + 3 standard errors (the equivalence test's statistic)"),
    }
    ds = xr.Dataset(
        {
            name: xr.DataArray(values[name], dims=dims, attrs={"units": u, "long_name": ln})
            for name, (u, ln) in described.items()
        },
        coords={
            "setting": np.arange(len(settings)),
            "layer": xr.DataArray(layers, dims="layer", attrs={"units": "1", "long_name": "layer (1 = first hidden)"}),
            "label": ("setting", [s.label for s in settings], {"long_name": "estimator setting"}),
            "estimator": ("setting", [s.estimator for s in settings], {"long_name": "estimator"}),
            "parameter": (
                "setting",
                [float(s.parameter) for s in settings],
                {"long_name": "swept value: bins, noise variance σ² (activity units squared), k or κ"},
            ),
            "range_rule": ("setting", [s.range_rule for s in settings], {"long_name": "binning range rule"}),
        },
    )
    ds["verdict"] = xr.DataArray(
        verdict,
        dims=dims,
        attrs={
            "units": "1",
            "long_name": "compression verdict of the declared tests",
            "flag_values": np.array([COMPRESSES, DOES_NOT_COMPRESS, INCONCLUSIVE], dtype=np.int8),
            "flag_meanings": "compresses does_not_compress inconclusive",
        },
    )
    ds["setting"].attrs.update(units="1", long_name="setting index")
    ds.attrs.update(no_compression_margin=float(margin), z_score=Z_SCORE, delta_floor=DELTA_FLOOR)
    return ds


@dataclass(frozen=True)
class ClaimAtSetting:
    """One of this paper's declared checks re-evaluated at one estimator setting.

    Attributes
    ----------
    claim : str
        The claim and its half, e.g. ``"C1: tanh compresses (layers 4, 5)"``.
    label : str
        The setting.
    holds : bool
        Whether every declared layer passes the declared test at this setting.
    layers : tuple of int
        The declared layers.
    """

    claim: str
    label: str
    holds: bool
    layers: tuple[int, ...]


CLAIM_HALVES: tuple[tuple[str, str, tuple[int, ...], int, str], ...] = (
    ("tanh", "C1: tanh compresses", TANH_BELOW_CEILING, COMPRESSES, "every"),
    ("relu", "C1: ReLU does not compress", HIDDEN_LAYERS, DOES_NOT_COMPRESS, "every"),
    ("softplus", "C17: softplus does not compress", HIDDEN_LAYERS, DOES_NOT_COMPRESS, "every"),
    ("relu", "C47 [CHO19]: a ReLU layer compresses", HIDDEN_LAYERS, COMPRESSES, "any"),
    ("softplus", "C48 [CHO19]: a softplus layer compresses", HIDDEN_LAYERS, COMPRESSES, "any"),
)
"""The compression claims re-evaluated at every setting: (activation, claim and half, declared layers, the cell
verdict each layer must reach, ``"every"`` declared layer or ``"any"`` one of them). The layers and tests are the
claims' own declared ones (C1: tanh layers 4 and 5 below the binning ceiling, every ReLU hidden layer; C17's
softplus half: every softplus hidden layer; [CHO19]'s C47 and C48: at least one hidden layer), whatever the
estimator; where [P] and [CHO19] state the opposite (C1 against C47, C17 against C48), both rows are shown."""


def claim_verdicts(grids: Mapping[str, xr.Dataset]) -> list[ClaimAtSetting]:
    """The declared checks of :data:`CLAIM_HALVES` at every setting of the grids present.

    A half holds at a setting when every declared layer (``"every"``) or at least one (``"any"``) has the wanted
    cell verdict there — *compresses* (the one-sided test) or *does not compress* (the equivalence test).
    """
    out = []
    for activation, name, layers, wanted, rule in CLAIM_HALVES:
        if activation not in grids:
            continue
        grid = grids[activation]
        cells = grid["verdict"].sel(layer=list(layers))
        combine = np.all if rule == "every" else np.any
        layer_text = ", ".join(str(x) for x in layers)
        for i in range(grid.sizes["setting"]):
            holds = bool(combine(cells.isel(setting=i).values == wanted))
            out.append(ClaimAtSetting(f"{name} (layers {layer_text})", str(grid["label"].values[i]), holds, layers))
    return out
