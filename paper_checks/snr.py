r"""The one operational definition of the drift → diffusion "SNR transition" ([P] §4, App I; C5, C20, C37, C38).

[P] App I (after Shwartz-Ziv & Tishby) describes the gradient signal-to-noise ratio m_l/s_l of Eqs 26–27 as
high early in training ("drift": the examples agree on the direction of the gradient) and then low ("diffusion":
the mean gradient vanishes while the spread over examples stays finite). The paper gives no number. This module
fixes one definition that every claim uses.

The statistic
-------------
``late`` = median SNR over the **last** k logged epochs; ``early`` = the **largest running median** of k
consecutive logged epochs among the windows that end before the late window begins (the drift phase precedes the
diffusion phase); ``ratio = early / late``. The SNR is the seed-median of the per-seed SNR at each logged epoch.

Why a running maximum rather than the first k logs: the drift phase is not always at the very start. In the SZT
networks the deep layers' SNR *rises* for tens of epochs (the error signal has to reach them through small
weights) and peaks around epochs 20–40 before it collapses ([P] Fig 20 shows the same hump); with log-spaced
logging the first five logs are epochs 0–5, before that peak. Medians of k logs make a single noisy log unable to
create or hide a transition. A rising curve has ratio ≤ 1 and never passes.

The threshold: a calibrated null and a minimal effect
-----------------------------------------------------
**A layer shows the SNR transition** when ``ratio ≥ max(MIN_RATIO, q)``, where q is the null quantile of
:func:`null_calibration`:

* **The null model of "no transition"** is a stationary series of the same statistic. At every logged epoch each
  of the S seeds draws n gradients (n = N training examples per sample, or B minibatch gradients per minibatch)
  of a layer with P kernel entries, i.i.d. Gaussian, ``g = μ + σ ξ`` with ξ ~ 𝒩(0, I_P), the same true SNR
  ``ρ = ‖μ‖ / (σ √P)`` at every epoch. The statistic of [P] Eqs 26–27 (population std) is then exactly

  .. math:: \widehat{\mathrm{SNR}} = \sqrt{\chi'^2_P(\lambda P) \,/\, \chi^2_{P(n-1)}},\qquad \lambda = n\rho^2,

  with the two chi-squares independent (noncentral with P degrees of freedom and noncentrality λP for n‖ḡ‖²/σ²,
  central with P(n − 1) for n·s²/σ²). Its floor at ρ = 0 is ≈ 1/√(n − 1) (the "1/√5" of 6 minibatches). The
  series is the seed-median at each of the E logs, and its ratio is computed exactly as for a measured curve.
  q is the 1 − :data:`FALSE_POSITIVE_RATE` quantile of the ratio over :data:`NULL_SERIES` simulated series,
  maximised over the declared grid :data:`NULL_SIGNAL_GRID` of λ (stationary true SNR levels ρ = √(λ/n), from 0
  to 100 × the noise floor; beyond, the relative noise of the statistic falls as 1/√(λP) and the ratio → 1). q is
  a deterministic function of (E, k, n, P, S) (fixed seed :data:`NULL_SEED`), computed before any data is looked
  at and cached.
* **Why a floor of one decade as well** (:data:`MIN_RATIO` = 10, the threshold before the calibration): for a
  layer with many weights the isotropic null is almost noiseless (q ≈ 1.07 for SZT layer 1: P = 120, n = 3277
  examples, 6 seeds), so the null alone would call a 10 % drift a "transition" — the paper's claim is a step
  "from high to low", and its panels drop by 2–6 decades. Isotropic noise is also the *least* noisy case:
  gradients concentrated in fewer directions fluctuate more, up to the rank-one limit (P = 1). The decade covers
  that limit at the project's logging (tests/test_snr_transition.py: for P = 1 and ≥ 2 seeds q < 10 at the fast
  profile's 13–40 logs), so with the floor the false-positive rate stays ≤ 1 % also for strongly anisotropic
  gradient noise. Where the null quantile exceeds a decade (one seed, P = 1, many logs: q ≈ 10.5 at E = 50) it
  governs.
* **Whether the SNR crosses 1** (drift SNR > 1 > diffusion SNR, :attr:`SNRTransition.crosses_one`) is reported
  for every layer and both statistics, not checked: the per-minibatch SNR of minibatches of b examples is ≈ √b
  times the per-sample SNR of the same network, so "crosses 1" depends on which statistic is chosen, while the
  ratio changes little; the paper's claim is the fall, not a level.

The epoch of the transition, for plots, is the first logged epoch from the middle of the early window on at which
the SNR falls below the geometric mean of early and late.

What the null does not model: the epoch-to-epoch change of the network itself (the optimiser's jitter); a real
network's series is stationary in the null's sense only when its true SNR is. The null fixes the noise of the
statistic, the decade the size of the effect.

Which statistic each claim uses (docs/choices.md#a13): Eqs 26–27 define m_l and s_l over **all training samples**
(per-example gradients) — the paper's formal definition and the primary one for SZT (C5, C37); Figs 9–10's
text, and ibsgd, use per-minibatch gradients (C20 and MNIST in C5), over **all** minibatches of the epoch.

References
----------
.. [P] Saxe et al., "On the Information Bottleneck Theory of Deep Learning", ICLR 2018, §4, App I Eqs 26–27,
   Figs 20–21; App B.1 Figs 9–10.
.. [SZT17] Shwartz-Ziv & Tishby, arXiv:1703.00810 (drift and diffusion phases).
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np
import xarray as xr

from paper_checks.compare import Check

__all__ = [
    "FALSE_POSITIVE_RATE",
    "MIN_RATIO",
    "NULL_POOL",
    "NULL_SEED",
    "NULL_SERIES",
    "NULL_SIGNAL_GRID",
    "STATISTICS",
    "WINDOW",
    "NullCalibration",
    "SNRTransition",
    "early_late",
    "layer_transition",
    "levels_note",
    "null_calibration",
    "null_snr_series",
    "seed_median_ranks",
    "snr_transition",
    "transition_check",
    "transition_checks",
    "transition_levels",
    "transition_threshold",
]

#: Number of consecutive logged epochs in each median (the late window and every early window).
WINDOW = 5
#: Minimal early/late ratio of the SNR for a transition (one decade): the size of the effect, combined with the
#: null quantile (module docstring: it also covers gradients concentrated in one direction).
MIN_RATIO = 10.0
#: Largest probability that a stationary series of the statistic (the null model) passes as a transition, per
#: layer: the usual one-sided 1 % level. C5, C20, C37 and C38 make 42 per-layer transition checks (0.4 spurious
#: passes expected if none had a transition), and a claim holds only if every one of its layers passes.
FALSE_POSITIVE_RATE = 0.01
#: Stationary signal levels λ = n·ρ² of the null (true SNR ρ in units of the statistic's noise floor 1/√n),
#: over which the worst case is taken. Over λ ∈ [0, 1000] the null quantile is largest near λ ≈ 0–0.3 and falls
#: monotonically beyond λ ≈ 1 (tests/test_snr_transition.py), so 100 bounds the grid.
NULL_SIGNAL_GRID = (0.0, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0, 100.0)
#: Simulated null series per signal level: the 99 % quantile is estimated from ≈ 200 exceedances.
NULL_SERIES = 20_000
#: Per-seed SNR draws from which the seed-median at each log is sampled (by its order statistics).
NULL_POOL = 2**16
#: Seed of the null simulation (the calibration is a fixed function of its arguments).
NULL_SEED = 20_261_201


def _positive_int(name: str, value: object, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise ValueError(f"{name} must be an integer ≥ {minimum}, got {value!r}")
    return int(value)


def early_late(snr: np.ndarray, window: int = WINDOW) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Drift-phase and final SNR of curves along the last axis: ``(early, late, start)``.

    ``late`` is the median of the last `window` values, ``early`` the largest median of `window` consecutive
    values among the windows that end before the late window, ``start`` the index of that window's first value.
    Shapes: `snr` (..., E) gives arrays of shape (...). Inputs are not validated (see :func:`snr_transition`).
    """
    late = np.median(snr[..., -window:], axis=-1)
    running = np.median(np.lib.stride_tricks.sliding_window_view(snr[..., :-window], window, axis=-1), axis=-1)
    start = np.argmax(running, axis=-1)
    return np.take_along_axis(running, start[..., None], axis=-1)[..., 0], late, start


@dataclass(frozen=True)
class SNRTransition:
    """Drift-phase and final SNR of one curve, where it falls, and the threshold it is held to.

    Attributes
    ----------
    early : float
        Largest median SNR over `window` consecutive logged epochs ending before the late window (dimensionless).
    late : float
        Median SNR over the last `window` logged epochs (dimensionless).
    ratio : float
        ``early / late`` (``inf`` if late is 0).
    epoch : float
        First logged epoch, from `peak_epoch` on, with SNR below ``sqrt(early · late)`` (NaN if never).
    window : int
        Number of logged epochs in each median.
    peak_epoch : float
        The middle logged epoch of the early (drift) window.
    threshold : float
        ``max(MIN_RATIO, null_quantile)`` when the null is known (NaN otherwise: the check cannot pass).
    null_quantile : float
        The null model's worst-case quantile of the ratio (:func:`null_calibration`; NaN if not computed).
    """

    early: float
    late: float
    ratio: float
    epoch: float
    window: int
    peak_epoch: float = float("nan")
    threshold: float = float("nan")
    null_quantile: float = float("nan")

    @property
    def crosses_one(self) -> bool:
        """Whether the drift phase has SNR > 1 and the diffusion phase SNR < 1 (reported, not checked)."""
        return bool(self.early > 1.0 > self.late)

    def check(self, label: str, *, declared: str = "", layer: int | None = None) -> Check:
        """The transition as a :class:`~paper_checks.compare.Check` ``ratio ≥ max(MIN_RATIO, null quantile)``.

        Its scale is the threshold, so the normalised margin is ``ratio / threshold − 1``.
        """
        return Check(
            f"{label}: max running median of {self.window} SNR logs (centred at epoch {self.peak_epoch:g}) / median "
            f"of the last {self.window} (early {self.early:.3g}, late {self.late:.3g}) ≥ max({MIN_RATIO:g}, null "
            f"{100 * (1 - FALSE_POSITIVE_RATE):g} % quantile {self.null_quantile:.3g})",
            self.ratio,
            ">=",
            self.threshold,
            "",
            scale=self.threshold if np.isfinite(self.threshold) and self.threshold > 0 else None,
            declared=declared,
            layer=layer,
        )


def snr_transition(
    epochs: np.ndarray,
    snr: np.ndarray,
    window: int = WINDOW,
    *,
    n_gradients: int | None = None,
    n_parameters: int | None = None,
    n_seeds: int = 1,
) -> SNRTransition:
    """Measure the drift → diffusion transition of one SNR curve (definition in the module docstring).

    Parameters
    ----------
    epochs : array_like, shape (E,)
        Logged epochs, increasing.
    snr : array_like, shape (E,)
        Gradient SNR m_l/s_l at those epochs (≥ 0; ``inf`` allowed where s_l = 0), the seed-median if several.
    window : int, default :data:`WINDOW`
        Logs in each median; needs E ≥ 2·window.
    n_gradients, n_parameters : int, optional
        Gradients the statistic is taken over (N examples or B minibatches) and kernel entries of the layer; with
        both, the threshold ``max(MIN_RATIO, q)`` of the null model is attached (:func:`transition_threshold`).
    n_seeds : int, default 1
        Seeds whose median `snr` is.

    Returns
    -------
    SNRTransition

    Raises
    ------
    ValueError
        On mismatched shapes, too few logs, NaN or negative SNR, or bad null parameters (named).

    References
    ----------
    .. [P] Saxe et al., ICLR 2018, App I Eqs 26–27, Figs 20–21.

    Examples
    --------
    >>> t = snr_transition(np.arange(10), np.array([2.0] * 5 + [0.1] * 5))
    >>> float(t.ratio), float(t.epoch), t.crosses_one
    (20.0, 5.0, True)
    >>> hump = snr_transition(np.arange(12), np.array([0.1, 0.2, 5, 9, 10, 9, 8, 1, 0.5, 0.4, 0.3, 0.5]))
    >>> float(hump.early), float(hump.late), float(hump.peak_epoch)
    (9.0, 0.5, 3.0)
    """
    epochs = np.asarray(epochs, dtype=float)
    snr = np.asarray(snr, dtype=float)
    if epochs.ndim != 1 or snr.shape != epochs.shape:
        raise ValueError(f"epochs and snr must be 1-D of equal length, got {epochs.shape} and {snr.shape}")
    if isinstance(window, bool) or int(window) != window or window < 1:
        raise ValueError(f"window must be a positive integer, got {window!r}")
    window = int(window)
    if epochs.size < 2 * window:
        raise ValueError(f"need at least 2·window = {2 * window} logged epochs, got {epochs.size}")
    if np.any(np.isnan(snr)) or np.any(snr < 0):
        raise ValueError("snr must be non-negative and not NaN")
    threshold = quantile = float("nan")
    if (n_gradients is None) != (n_parameters is None):
        raise ValueError("n_gradients and n_parameters must be given together (or neither)")
    if n_gradients is not None:
        quantile = null_calibration(epochs.size, window, n_gradients, n_parameters, n_seeds).quantile
        threshold = max(MIN_RATIO, quantile)
    early, late, start = (float(v) for v in early_late(snr, window))
    middle = int(start) + window // 2
    ratio = float("inf") if late == 0 else early / late
    geometric = np.sqrt(early * late) if np.isfinite(early) else late
    below = middle + np.nonzero(snr[middle:] < geometric)[0]
    epoch = float(epochs[below[0]]) if below.size else float("nan")
    return SNRTransition(early, late, ratio, epoch, window, float(epochs[middle]), threshold, quantile)


def transition_check(
    epochs: np.ndarray,
    snr: np.ndarray,
    label: str,
    *,
    n_gradients: int,
    n_parameters: int,
    n_seeds: int = 1,
    window: int = WINDOW,
) -> Check:
    """:func:`snr_transition` of the curve, as a check ``ratio ≥ max(MIN_RATIO, null quantile)``."""
    t = snr_transition(epochs, snr, window, n_gradients=n_gradients, n_parameters=n_parameters, n_seeds=n_seeds)
    return t.check(label)


def seed_median_ranks(rng: np.random.Generator, n_seeds: int, shape: tuple[int, ...]) -> tuple[np.ndarray, ...]:
    """Ranks (in [0, 1)) of the middle order statistic(s) of `n_seeds` i.i.d. draws, for :func:`null_snr_series`.

    The k-th smallest of S uniforms is Beta(k, S − k + 1); for even S the next one is ``u + (1 − u)·Beta(1, S − k)``
    (the least of the S − k uniforms above u). Returns ``(u,)`` for odd S and ``(u, u_next)`` for even S.
    """
    if not isinstance(rng, np.random.Generator):
        raise ValueError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
    S = _positive_int("n_seeds", n_seeds, 1)
    k = (S + 1) // 2  # rank of the (lower) middle order statistic
    u = rng.beta(k, S - k + 1, shape)
    return (u,) if S % 2 else (u, u + (1.0 - u) * rng.beta(1, S - k, shape))


def null_snr_series(
    rng: np.random.Generator,
    signal: float,
    n_logs: int,
    n_gradients: int,
    n_parameters: int,
    n_seeds: int = 1,
    size: int = 1,
    pool: int = NULL_POOL,
    ranks: tuple[np.ndarray, ...] | None = None,
) -> np.ndarray:
    r"""Stationary series of the seed-median gradient SNR under the null model (module docstring).

    Each seed's SNR at each log is :math:`\sqrt{\chi'^2_P(\lambda P)/\chi^2_{P(n-1)}}` (exact for n i.i.d.
    isotropic Gaussian gradients of P entries with true SNR ρ = √(λ/n)); the median of S seeds is drawn from its
    order statistics (:func:`seed_median_ranks`) over a pool of `pool` per-seed draws.

    Parameters
    ----------
    rng : numpy.random.Generator
    signal : float
        λ = n·ρ² ≥ 0 (dimensionless).
    n_logs, n_gradients, n_parameters, n_seeds : int
        E logs, n ≥ 2 gradients, P ≥ 1 kernel entries, S ≥ 1 seeds.
    size : int
        Number of series.
    pool : int
        Per-seed draws of the empirical distribution the seed-median is sampled from.
    ranks : tuple of numpy.ndarray, optional
        :func:`seed_median_ranks` of shape (size, n_logs) to use (drawn from `rng` after the pool if None); the
        calibration shares them between signal levels (common random numbers: the ranks do not depend on λ).

    Returns
    -------
    numpy.ndarray, shape (size, n_logs)
    """
    if not isinstance(rng, np.random.Generator):
        raise ValueError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
    if (
        isinstance(signal, bool)
        or not isinstance(signal, (int, float, np.floating, np.integer))
        or not (math.isfinite(signal) and signal >= 0)
    ):
        raise ValueError(f"signal must be a finite number ≥ 0, got {signal!r}")
    n_logs = _positive_int("n_logs", n_logs, 1)
    n = _positive_int("n_gradients", n_gradients, 2)
    P = _positive_int("n_parameters", n_parameters, 1)
    S = _positive_int("n_seeds", n_seeds, 1)
    size = _positive_int("size", size, 1)
    pool = _positive_int("pool", pool, 2)
    mean_part = (rng.standard_normal(pool) + math.sqrt(signal * P)) ** 2
    if P > 1:
        mean_part += rng.chisquare(P - 1, pool)
    draws = np.sort(np.sqrt(mean_part / rng.chisquare(P * (n - 1), pool)))
    if ranks is None:
        ranks = seed_median_ranks(rng, S, (size, n_logs))
    if len(ranks) != 2 - S % 2 or any(np.shape(r) != (size, n_logs) for r in ranks):
        raise ValueError(f"ranks must be seed_median_ranks(rng, {S}, ({size}, {n_logs}))")
    picked = [draws[np.minimum((r * pool).astype(np.int64), pool - 1)] for r in ranks]
    return picked[0] if len(picked) == 1 else 0.5 * (picked[0] + picked[1])


@dataclass(frozen=True)
class NullCalibration:
    """The null model's quantile of the transition ratio for one logging and statistic.

    Attributes
    ----------
    quantile : float
        Worst case over :data:`NULL_SIGNAL_GRID` of the 1 − :data:`FALSE_POSITIVE_RATE` quantile of the ratio.
    worst_signal : float
        The λ = n·ρ² at which it is reached.
    per_signal : tuple of float
        The quantile at each λ of the grid.
    n_logs, window, n_gradients, n_parameters, n_seeds : int
        The arguments.
    """

    quantile: float
    worst_signal: float
    per_signal: tuple[float, ...]
    n_logs: int
    window: int
    n_gradients: int
    n_parameters: int
    n_seeds: int


def null_calibration(
    n_logs: int, window: int = WINDOW, n_gradients: int = 2, n_parameters: int = 1, n_seeds: int = 1
) -> NullCalibration:
    """The worst-case null quantile of the transition ratio (module docstring), cached per argument tuple.

    Parameters
    ----------
    n_logs : int
        Logged epochs E of the curve (≥ 2·window).
    window : int
        Logs per median (≥ 1).
    n_gradients : int
        Gradients the statistic is taken over: N examples (per sample) or B minibatches (per minibatch), ≥ 2.
    n_parameters : int
        Kernel entries P of the layer (the null's isotropic dimension), ≥ 1.
    n_seeds : int
        Seeds whose median is the checked curve, ≥ 1.

    Returns
    -------
    NullCalibration

    Raises
    ------
    ValueError
        Naming the parameter that is not an integer in its range.

    Examples
    --------
    >>> c = null_calibration(14, 5, n_gradients=15, n_parameters=1, n_seeds=2)
    >>> 2.5 < c.quantile < 5.0
    True
    """
    window = _positive_int("window", window, 1)
    n_logs = _positive_int("n_logs", n_logs, 1)
    if n_logs < 2 * window:
        raise ValueError(f"n_logs must be at least 2·window = {2 * window}, got {n_logs}")
    return _null_calibration(
        n_logs,
        window,
        _positive_int("n_gradients", n_gradients, 2),
        _positive_int("n_parameters", n_parameters, 1),
        _positive_int("n_seeds", n_seeds, 1),
    )


@functools.lru_cache(maxsize=256)
def _null_calibration(n_logs: int, window: int, n_gradients: int, n_parameters: int, n_seeds: int) -> NullCalibration:
    rng = np.random.default_rng(NULL_SEED)
    ranks = seed_median_ranks(rng, n_seeds, (NULL_SERIES, n_logs))
    per_signal = []
    for signal in NULL_SIGNAL_GRID:
        series = null_snr_series(rng, signal, n_logs, n_gradients, n_parameters, n_seeds, NULL_SERIES, ranks=ranks)
        early, late, _ = early_late(series, window)
        per_signal.append(float(np.quantile(early / late, 1.0 - FALSE_POSITIVE_RATE)))
    worst = int(np.argmax(per_signal))
    return NullCalibration(
        per_signal[worst], NULL_SIGNAL_GRID[worst], tuple(per_signal), n_logs, window, n_gradients, n_parameters,
        n_seeds,
    )  # fmt: skip


def transition_threshold(
    n_logs: int, window: int = WINDOW, n_gradients: int = 2, n_parameters: int = 1, n_seeds: int = 1
) -> float:
    """``max(MIN_RATIO, null_calibration(...).quantile)``: the ratio a transition must reach."""
    return max(MIN_RATIO, null_calibration(n_logs, window, n_gradients, n_parameters, n_seeds).quantile)


def layer_transition(ds: xr.Dataset, prefix: str, layer: int, window: int = WINDOW) -> SNRTransition:
    """The transition of layer `layer`'s seed-median ``<prefix>_snr`` in a measured run, with its threshold.

    The null's parameters come from the run: n from the ``n_gradients`` attribute of ``<prefix>_snr`` (written by
    the gradient-SNR measurements), P = fan-in × fan-out from the ``widths`` attribute, S from the seeds.

    Raises
    ------
    ValueError
        If the variable, its ``n_gradients`` attribute, the ``widths`` attribute or the layer is missing.
    """
    name = f"{prefix}_snr"
    if name not in ds:
        raise ValueError(f"the run has no variable {name!r} (measure it with a gradient-SNR measurement)")
    n_gradients = ds[name].attrs.get("n_gradients")
    if n_gradients is None:
        raise ValueError(f"{name!r} has no 'n_gradients' attribute (re-measure it: the null model needs it)")
    if "widths" not in ds.attrs:
        raise ValueError("the run has no 'widths' attribute (the null model needs each layer's parameter count)")
    widths = [int(w) for w in str(ds.attrs["widths"]).split(",")]
    if not (isinstance(layer, (int, np.integer)) and 1 <= layer < len(widths)):
        raise ValueError(f"layer must be in 1..{len(widths) - 1}, got {layer!r}")
    curve = ds[name].sel(layer=int(layer)).median("seed").values
    return snr_transition(
        ds["epoch"].values,
        curve,
        window,
        n_gradients=int(n_gradients),
        n_parameters=widths[layer - 1] * widths[layer],
        n_seeds=int(ds.sizes["seed"]),
    )


STATISTICS = {"grad": "per sample", "grad_batch": "per minibatch"}
"""Variable prefixes of the two gradient statistics (docs/choices.md#a13) and their names in the reports."""


def transition_checks(ds: xr.Dataset, prefix: str, layers, label: str, *, declared: str = "") -> list[Check]:
    """One :meth:`SNRTransition.check` per layer of ``<prefix>_snr`` (:func:`layer_transition`)."""
    return [
        layer_transition(ds, prefix, int(l)).check(f"{label} layer {int(l)}", declared=declared, layer=int(l))
        for l in layers
    ]


def transition_levels(ds: xr.Dataset, layers) -> dict[str, dict[int, SNRTransition]]:
    """The transitions of every gradient statistic of :data:`STATISTICS` that `ds` holds, per layer."""
    return {
        STATISTICS[p]: {int(l): layer_transition(ds, p, int(l)) for l in layers} for p in STATISTICS if f"{p}_snr" in ds
    }


def levels_note(name: str, ds: xr.Dataset, layers) -> tuple[str, dict]:
    """Early and late SNR, ratio, threshold and whether the SNR crosses 1, per statistic and layer of `ds`.

    Each statistic's text also gives its zero-signal level 1/√(n − 1) (the root-mean-square SNR of the null at
    ρ = 0: E m̂² / E ŝ² = 1/(n − 1) for any P), which a late SNR at the level of pure sampling noise sits at.

    Returns the text for a claim's note and the same numbers as a dict for :attr:`ClaimResult.extra`
    (keys ``"<name>/<statistic>/layer <l>"``).
    """
    parts, extra = [], {}
    for statistic, per_layer in transition_levels(ds, layers).items():
        prefix = next(p for p, s in STATISTICS.items() if s == statistic)
        n = int(ds[f"{prefix}_snr"].attrs["n_gradients"])
        items = []
        for l, t in per_layer.items():
            items.append(
                f"L{l} {t.early:.3g}→{t.late:.3g} (×{t.ratio:.3g} vs {t.threshold:.3g}"
                f"{', crosses 1' if t.crosses_one else ''})"
            )
            extra[f"{name}/{statistic}/layer {l}"] = {
                "early": t.early,
                "late": t.late,
                "ratio": t.ratio,
                "threshold": t.threshold,
                "null_quantile": t.null_quantile,
                "crosses_one": t.crosses_one,
                "n_gradients": n,
                "zero_signal_level": 1 / math.sqrt(n - 1),
            }
        parts.append(
            f"{name} {statistic} SNR early→late (n = {n}, zero-signal level 1/√(n−1) = {1 / math.sqrt(n - 1):.3g}): "
            + ", ".join(items)
        )
    return "; ".join(parts), extra
