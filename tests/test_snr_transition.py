"""The operational SNR-transition definition (paper_checks/snr.py): its null calibration and what it rejects.

A transition must be a sustained high-SNR phase followed by a sustained low-SNR phase, by a ratio that a stationary
series of the same statistic reaches with probability ≤ 1 % and by at least one decade. These tests verify the null
model's false-positive rate by an independent simulation (explicit Gaussian gradients through
:func:`simulate.gradient_snr.gradient_statistics`), and pin down that a flat noisy curve and a monotonically rising
curve never count, whatever their noise, and that a late drift peak (the SZT deep layers' hump, [P] Fig 20) does.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import xarray as xr
from hypothesis import given, settings
from hypothesis import strategies as st

from paper_checks.snr import (
    FALSE_POSITIVE_RATE,
    MIN_RATIO,
    NULL_SEED,
    NULL_SERIES,
    NULL_SIGNAL_GRID,
    WINDOW,
    early_late,
    layer_transition,
    levels_note,
    null_calibration,
    null_snr_series,
    seed_median_ranks,
    snr_transition,
    transition_check,
    transition_threshold,
)
from simulate.gradient_snr import gradient_statistics

# Log-normal noise of a flat SNR curve: σ = 0.5 in natural-log units is a factor ≈ 1.65 per log, larger than the
# log-to-log scatter of the measured SZT and MNIST SNR curves in their plateaus (≈ factor 1.3–1.6).
FLAT_LOG_SIGMA = 0.5
EPOCHS = np.unique(np.round(np.logspace(0, 4, 30))).astype(float)
#: Null parameters for the curve-shape tests (the MNIST fast profile's minibatch statistic of a 20×20 layer).
SHAPE_NULL = {"n_gradients": 15, "n_parameters": 400, "n_seeds": 2}
#: Independent null series per configuration of the false-positive test.
N_NULL_SERIES = 2000
#: Binomial standard error of a 1 % rate estimated from N_NULL_SERIES series.
RATE_SE = math.sqrt(FALSE_POSITIVE_RATE * (1 - FALSE_POSITIVE_RATE) / N_NULL_SERIES)


def test_step_down_is_a_transition() -> None:
    epochs = np.arange(20.0)
    drop = snr_transition(epochs, np.r_[np.full(10, 1.0), np.full(10, 1e-3)], **SHAPE_NULL)
    assert drop.ratio == pytest.approx(1e3) and drop.epoch == 10 and drop.peak_epoch == 2
    assert drop.threshold == max(MIN_RATIO, drop.null_quantile) and drop.check("drop").passed
    assert drop.crosses_one is False  # early 1.0 is not > 1: reported, not checked
    # The declared bound at work: where the null quantile is below a decade, a 9.5× step is not a transition and a
    # 10.5× step is (the rate of the null quantile is tested by simulation below).
    assert drop.null_quantile < 9.5
    for factor, passes in ((9.5, False), (10.5, True)):
        step = snr_transition(epochs, np.r_[np.full(10, 1.0), np.full(10, 1.0 / factor)], **SHAPE_NULL)
        assert step.check("drop").passed is passes, factor


def test_late_drift_peak_is_found() -> None:
    """A hump (SNR rises for a while, then collapses): the early value is the hump, not the first logs."""
    snr = np.r_[np.full(6, 0.1), np.full(8, 2.0), np.full(8, 0.02)]
    t = snr_transition(np.arange(snr.size, dtype=float), snr, **SHAPE_NULL)
    # The best window is logs 4–8 (three of its five logs in the hump); its middle log is 6.
    assert t.early == 2.0 and t.late == 0.02 and t.peak_epoch == 6 and t.epoch == 14
    assert t.check("hump").passed and t.crosses_one


def test_without_null_parameters_the_check_cannot_pass() -> None:
    t = snr_transition(np.arange(20.0), np.r_[np.full(10, 1.0), np.full(10, 1e-3)])
    assert math.isnan(t.threshold) and not t.check("no null").passed


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), level=st.floats(1e-3, 1e2))
def test_flat_noisy_curve_is_not_a_transition(seed: int, level: float) -> None:
    snr = level * np.exp(FLAT_LOG_SIGMA * np.random.default_rng(seed).standard_normal(EPOCHS.size))
    assert not transition_check(EPOCHS, snr, "flat", **SHAPE_NULL).passed


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), decades=st.floats(0.0, 4.0))
def test_rising_curve_is_not_a_transition(seed: int, decades: float) -> None:
    """A monotonically rising SNR (by up to 4 decades, with random increments) never passes: ratio ≤ 1."""
    steps = np.random.default_rng(seed).uniform(0.0, 1.0, EPOCHS.size)
    snr = 1e-2 * 10 ** (decades * np.cumsum(steps) / steps.sum())
    t = snr_transition(EPOCHS, snr, **SHAPE_NULL)
    assert t.ratio <= 1.0
    assert not t.check("rising").passed


def test_a_single_outlier_does_not_make_a_transition() -> None:
    snr = np.full(EPOCHS.size, 0.1)
    snr[3] = 100.0  # one wild log early on: medians of 5 ignore it
    assert snr_transition(EPOCHS, snr).ratio == pytest.approx(1.0)


# ---------------------------------------------------------------- the null model


def _explicit_null_ratios(rng, signal, n_logs, n, P, S) -> np.ndarray:
    """Transition ratios of N_NULL_SERIES stationary series built from explicit i.i.d. Gaussian gradients.

    Independent of :func:`paper_checks.snr.null_snr_series`: each seed draws n gradients of P entries at each log,
    ``g = μ + ξ`` with ‖μ‖ = ρ√P and ρ = √(signal / n); the statistic is that of the measurements
    (:func:`simulate.gradient_snr.gradient_statistics`), the seed-median curve goes through :func:`snr_transition`.
    """
    mu = np.zeros(P)
    mu[0] = math.sqrt(signal / n) * math.sqrt(P)
    G = rng.standard_normal((n, N_NULL_SERIES, n_logs, S, P)) + mu
    curves = np.median(gradient_statistics(G, n_weight_axes=1).snr, axis=-1)  # (series, logs)
    epochs = np.arange(n_logs, dtype=float)
    return np.array([snr_transition(epochs, c).ratio for c in curves])


@pytest.mark.parametrize(
    ("n_logs", "n", "P", "S"),
    [
        (13, 15, 6, 2),  # the MNIST fast profile's logging and minibatches, a small layer, 2 seeds
        (22, 13, 3, 3),  # the SZT fast profile's logging and minibatches; an odd number of seeds
        (50, 100, 1, 1),  # the 1-1-1 network's samples, 50 logs and one seed: the null quantile exceeds a decade
    ],
)
def test_null_false_positive_rate_by_independent_simulation(n_logs, n, P, S) -> None:
    calibration = null_calibration(n_logs, WINDOW, n, P, S)
    rng = np.random.default_rng(12345 + n_logs)
    for signal in sorted({0.0, calibration.worst_signal}):
        ratios = _explicit_null_ratios(rng, signal, n_logs, n, P, S)
        rate = float(np.mean(ratios >= calibration.quantile))
        assert rate <= FALSE_POSITIVE_RATE + 3 * RATE_SE, (signal, rate, calibration)
    # Not vacuous: at the worst level the quantile is reached by about 1 % of null series, not by none.
    assert rate >= FALSE_POSITIVE_RATE - 3 * RATE_SE, (rate, calibration)


def test_null_series_matches_direct_seed_medians() -> None:
    """The order-statistic sampling of the seed-median equals the median of S explicit draws (in distribution)."""
    rng = np.random.default_rng(3)
    for S in (2, 5):
        sampled = null_snr_series(rng, 0.3, 1, 15, 3, S, size=40_000)[:, 0]
        m2 = rng.noncentral_chisquare(3, 0.3 * 3, (40_000, S))
        direct = np.median(np.sqrt(m2 / rng.chisquare(3 * 14, (40_000, S))), axis=1)
        # quantiles of 40 000 draws agree to a few % of the spread (sampling error ≈ 1 % at these quantiles)
        q = [0.05, 0.5, 0.95]
        np.testing.assert_allclose(np.quantile(sampled, q), np.quantile(direct, q), rtol=0.03)
        # the floor at ρ = 0 is ≈ 1/√(n − 1)
    floor = np.median(null_snr_series(rng, 0.0, 1, 6, 1000, 1, size=2000))
    assert floor == pytest.approx(1 / math.sqrt(5), rel=0.01)


def test_the_signal_grid_bounds_the_worst_case() -> None:
    """Beyond the declared grid the null quantile only falls: the worst case is inside it."""
    calibration = null_calibration(13, WINDOW, 15, 1, 2)
    assert calibration.worst_signal in NULL_SIGNAL_GRID and calibration.worst_signal <= 1.0
    rng = np.random.default_rng(4)
    for signal in (300.0, 1000.0):
        early, late, _ = early_late(null_snr_series(rng, signal, 13, 15, 1, 2, size=20_000), WINDOW)
        assert np.quantile(early / late, 1 - FALSE_POSITIVE_RATE) < calibration.quantile
    assert calibration.per_signal[-1] < calibration.quantile


@pytest.mark.parametrize(
    ("n_logs", "n", "S"),
    [(13, 15, 2), (20, 12, 6), (40, 100, 8)],  # the MNIST, SZT (per minibatch) and 1-1-1 fast-profile loggings
)
def test_the_decade_covers_gradients_in_one_direction(n_logs, n, S) -> None:
    """With ≥ 2 seeds even the noisiest covariance (one direction, P = 1) stays below MIN_RATIO (module docs)."""
    assert null_calibration(n_logs, WINDOW, n, 1, S).quantile < MIN_RATIO


def test_calibration_is_deterministic_and_depends_on_its_arguments() -> None:
    a = null_calibration(13, WINDOW, 15, 6, 2)
    assert null_calibration(13, 5, 15, 6, 2) is a  # cached
    rng = np.random.default_rng(NULL_SEED)  # the documented computation, redone: a fixed function of its arguments
    ranks = seed_median_ranks(rng, 2, (NULL_SERIES, 13))
    for signal, quantile in zip(NULL_SIGNAL_GRID, a.per_signal, strict=True):
        series = null_snr_series(rng, signal, 13, 15, 6, 2, size=NULL_SERIES, ranks=ranks)
        early, late, _ = early_late(series, WINDOW)
        assert np.quantile(early / late, 1 - FALSE_POSITIVE_RATE) == quantile
    assert a.quantile == max(a.per_signal)
    more_noise = null_calibration(13, WINDOW, 15, 6, 1)
    assert more_noise.quantile > a.quantile  # one seed is noisier than the median of two
    many_weights = null_calibration(13, WINDOW, 15, 10_000, 2)
    assert a.quantile > 1.1 > many_weights.quantile > 1.0  # an isotropic layer of 10⁴ weights is nearly noiseless
    assert transition_threshold(13, WINDOW, 15, 10_000, 2) == MIN_RATIO
    assert transition_threshold(50, WINDOW, 100, 1, 1) == null_calibration(50, WINDOW, 100, 1, 1).quantile > MIN_RATIO


def _measured_run(snr: np.ndarray, **attrs) -> xr.Dataset:
    ds = xr.Dataset(
        {"grad_snr": (("seed", "epoch", "layer"), snr)},
        coords={"seed": np.arange(snr.shape[0]), "epoch": np.arange(snr.shape[1]), "layer": [1, 2]},
        attrs={"widths": "3,2,1"},
    )
    ds["grad_snr"].attrs.update(attrs)
    return ds


def test_layer_transition_reads_the_null_parameters_from_the_run() -> None:
    curve = np.r_[np.full(10, 3.0), np.full(10, 0.01)]
    ds = _measured_run(np.broadcast_to(curve[None, :, None], (2, 20, 2)).copy(), n_gradients=15)
    t = layer_transition(ds, "grad", 1)
    assert t.null_quantile == null_calibration(20, WINDOW, 15, 6, 2).quantile and t.check("x").passed
    assert layer_transition(ds, "grad", 2).null_quantile == null_calibration(20, WINDOW, 15, 2, 2).quantile
    note, extra = levels_note("net", ds, [1, 2])
    assert "per sample" in note and "crosses 1" in note and extra["net/per sample/layer 2"]["crosses_one"]
    with pytest.raises(ValueError, match="n_gradients"):
        layer_transition(_measured_run(ds["grad_snr"].values), "grad", 1)
    with pytest.raises(ValueError, match="grad_batch_snr"):
        layer_transition(ds, "grad_batch", 1)
    with pytest.raises(ValueError, match="layer"):
        layer_transition(ds, "grad", 3)


@pytest.mark.parametrize(
    ("epochs", "snr", "kwargs", "message"),
    [
        (np.arange(5), np.ones(5), {}, "at least"),
        (np.arange(12), np.ones(11), {}, "equal length"),
        (np.arange(12), -np.ones(12), {}, "non-negative"),
        (np.arange(12), np.r_[np.ones(11), np.nan], {}, "NaN"),
        (np.arange(12), np.ones(12), {"window": 0}, "window"),
        (np.arange(12), np.ones(12), {"window": 2.5}, "window"),
        (np.arange(12), np.ones(12), {"n_gradients": 10}, "together"),
        (np.arange(12), np.ones(12), {"n_gradients": 1, "n_parameters": 4}, "n_gradients"),
        (np.arange(12), np.ones(12), {"n_gradients": 10, "n_parameters": 0}, "n_parameters"),
        (np.arange(12), np.ones(12), {"n_gradients": 10, "n_parameters": 4, "n_seeds": 0}, "n_seeds"),
    ],
)
def test_transition_bad_input(epochs, snr, kwargs, message) -> None:
    with pytest.raises(ValueError, match=message):
        snr_transition(epochs, snr, **kwargs)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((9, 5, 10, 4, 1), "n_logs"),
        ((12, 0, 10, 4, 1), "window"),
        ((12, True, 10, 4, 1), "window"),
        ((12, 5, 1, 4, 1), "n_gradients"),
        ((12, 5, 10.0, 4, 1), "n_gradients"),
        ((12, 5, 10, 0, 1), "n_parameters"),
        ((12, 5, 10, 4, 0), "n_seeds"),
    ],
)
def test_calibration_bad_input(args, message) -> None:
    with pytest.raises(ValueError, match=message):
        null_calibration(*args)


def test_null_series_bad_input() -> None:
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match="signal"):
        null_snr_series(rng, -1.0, 12, 10, 4)
    with pytest.raises(ValueError, match="signal"):
        null_snr_series(rng, float("nan"), 12, 10, 4)
    with pytest.raises(ValueError, match="rng"):
        null_snr_series(np.random.RandomState(0), 0.0, 12, 10, 4)
    with pytest.raises(ValueError, match="size"):
        null_snr_series(rng, 0.0, 12, 10, 4, size=0)
    with pytest.raises(ValueError, match="ranks"):
        null_snr_series(rng, 0.0, 12, 10, 4, n_seeds=2, size=3, ranks=seed_median_ranks(rng, 3, (3, 12)))
    with pytest.raises(ValueError, match="n_seeds"):
        seed_median_ranks(rng, 0, (3, 12))
