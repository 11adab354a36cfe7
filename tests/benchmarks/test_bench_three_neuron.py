"""Benchmark of the exact minimal model (run explicitly: ``pytest tests/benchmarks/test_bench_three_neuron.py -s``).

:func:`theory.three_neuron.mutual_information` for 10⁴ weights × 4 activations with 30 bins, vectorised through
SciPy's erf/erfc, against the simple reference: a Python loop of mpmath evaluations (``precision=15``, mpmath's
default working precision) of the same quantity, timed on a subset of weights and scaled to 4 × 10⁴
evaluations. Both are measured in the same run; the ratio is reported (expected ≥ 1000×) and asserted loosely
(> 100×) because timings on the shared machine are noisy. The two results are also compared on the subset.
"""

from __future__ import annotations

import time

import numpy as np

from theory.three_neuron import mutual_information

#: Weights per activation (the issue's 10⁴).
N_WEIGHTS = 10_000
#: Weights of the mpmath loop per activation (its time is scaled by N_WEIGHTS / N_REFERENCE).
N_REFERENCE = 25
#: 30 bins: 30 equal bins on [−1, 1] for the saturating units, 30 half-line bins of width 2/29 for the others.
EDGES = {
    "tanh": np.linspace(-1.0, 1.0, 31),
    "softsign": np.linspace(-1.0, 1.0, 31),
    "relu": np.arange(31) * (2 / 29),
    "softplus": np.arange(31) * (2 / 29),
}


def test_vectorised_vs_mpmath_loop():
    weights = np.geomspace(1e-3, 1e3, N_WEIGHTS)
    subset = weights[:: N_WEIGHTS // N_REFERENCE][:N_REFERENCE]
    vector_time, loop_time = 0.0, 0.0
    for activation, edges in EDGES.items():
        start = time.perf_counter()
        fast = mutual_information(activation, weights, edges)
        vector_time += time.perf_counter() - start
        start = time.perf_counter()
        slow = [mutual_information(activation, float(w), edges, precision=15) for w in subset]
        loop_time += (time.perf_counter() - start) * (N_WEIGHTS / N_REFERENCE)
        reference = np.array([float(v) for v in slow])
        np.testing.assert_allclose(fast[:: N_WEIGHTS // N_REFERENCE][:N_REFERENCE], reference, atol=1e-10)
    ratio = loop_time / vector_time
    print(
        f"\nmutual_information, {N_WEIGHTS} weights × 4 activations × 30 bins: vectorised {vector_time * 1e3:.1f} ms,"
        f" mpmath loop (scaled from {N_REFERENCE}/activation) {loop_time:.1f} s, ratio {ratio:.0f}×"
    )
    assert ratio > 100
