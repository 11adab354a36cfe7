"""Benchmarks of the deep linear family (run explicitly: ``pytest tests/benchmarks/test_bench_deep_linear.py -s``).

1. The Fig 4A/B run (100-100-1, P = 100, SGD batch 5; trainer ``linear_student``) measured with the exact
   information plane at 40 logged epochs (measurement ``linear_information``) for 50 seeds in ONE batched run vs
   50 serial single-seed runs of the same code, measured in the same process.
   Reported: the speed-up ratio serial / batched.
2. The Advani–Saxe theory curves E_g(t), E_t(t) at 10³ time points with the fixed φ-substitution rule vs the
   simple reference (adaptive ``scipy.integrate.quad`` per time point, timed on 20 points and scaled to 10³).
   Reported: the time and the ratio.

Timings are noisy on the shared machine; only ratios measured in the same run are asserted (loosely).

Why the batched speed-up is modest (~1.2–2×, not 10×): one SGD step of one 100-100-1 seed costs ~10⁵
multiply-adds plus a read and write of its 80 KB first-layer matrix, i.e. about as long as NumPy's per-call
overhead of the few calls in a step. Batching removes the overhead, not the work; the exact I(T;X), I(T;Y)
recorded at the logged epochs (100 × 100 log-determinants) are pure work too.
"""

from __future__ import annotations

import time
from dataclasses import replace

import numpy as np
from scipy import integrate

from paper_checks import registry
from paper_checks.experiments.deep_linear import LinearStudent, student_logged_epochs
from paper_checks.measurements_linear import ExactInformation
from paper_checks.profiles import FAST
from theory import generalization

#: Epochs of the benchmarked Fig 4 run (2 000 SGD steps; the ratio does not depend on the length).
BENCH_EPOCHS = 100
#: Seeds of the batched run (the paper's 50).
BENCH_SEEDS = 50


def _timed(func):
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


def _batched_vs_serial(n_log: int) -> tuple[float, float]:
    def need(seeds):
        run = replace(
            LinearStudent.for_profile(FAST, "F4"),
            epochs=BENCH_EPOCHS,
            logged_epochs=student_logged_epochs(BENCH_EPOCHS, n_log),
            seeds=seeds,
        )
        return registry.Need(run, ExactInformation() if n_log > 1 else ())

    batched = _timed(lambda: registry.compute(need(tuple(range(BENCH_SEEDS)))))
    serial = _timed(lambda: [registry.compute(need((s,))) for s in range(BENCH_SEEDS)])
    return batched, serial


def test_batched_seeds_vs_serial_runs():
    for label, n_log in (("with the exact information plane at 40 logs", 40), ("training only (2 logs)", 1)):
        batched, serial = _batched_vs_serial(n_log)
        print(
            f"\nFig 4A/B, {BENCH_SEEDS} seeds, {BENCH_EPOCHS} epochs, {label}: batched {batched:.2f} s, "
            f"serial {serial:.2f} s, speed-up {serial / batched:.2f}x"
        )
        assert serial / batched > 1.0


def test_theory_curves_for_a_thousand_times():
    times = np.logspace(-2, 3, 1000)
    generalization.generalization_error(times[:2], 1.0, 1.0, 1.0)  # build the cached quadrature rule once
    fast = _timed(
        lambda: (
            generalization.generalization_error(times, 1.0, 1.0, 1.0),
            generalization.training_error(times, 1.0, 1.0, 1.0),
        )
    )

    def integrand_g(lam, t):
        return generalization.marchenko_pastur_density(lam, 1.0) * (
            2 * np.exp(-2 * lam * t) + (1 - np.exp(-lam * t)) ** 2 / lam
        )

    def integrand_t(lam, t):
        return generalization.marchenko_pastur_density(lam, 1.0) * (1 + lam) * np.exp(-2 * lam * t)

    def reference():
        for t in times[::50]:
            for integrand in (integrand_g, integrand_t):
                integrate.quad(integrand, 0.0, 4.0, args=(t,), limit=200)

    slow = _timed(reference) * 50
    print(
        f"\nAS17 E_g and E_t at 10^3 times: {fast * 1e3:.1f} ms (fixed rule) vs {slow:.2f} s (adaptive quad, "
        f"extrapolated), ratio {slow / fast:.0f}x"
    )
    assert slow > fast
