"""Binned MI of Monte Carlo samples of the minimal model against its exact value (theory.three_neuron).

Cross-validates the edge semantics of simulate.mi.discretizers with theory.three_neuron ([P] Eqs 1–4): X ~ N(0,1),
h = tanh(wX), every discretiser of the paper, plug-in entropy of N samples vs the exact H(T).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from simulate.mi import binning
from theory.three_neuron import mutual_information as exact_information

N_SAMPLES = 100_000
# Plug-in entropy of N samples: standard error sqrt(Var[log₂ p(T)]/N) (≤ 1.5/√N bits for these ≤ 30-bin laws,
# i.e. 4.7e-3) plus the Miller–Madow bias (K − 1)/(2N ln 2) ≤ 2.2e-4 bits for K ≤ 31 bins; 5 standard errors.
TOLERANCE = 5 * 1.5 / math.sqrt(N_SAMPLES) + 30 / (2 * N_SAMPLES * math.log(2))


@pytest.mark.parametrize("w", [0.5, 2.0])
@pytest.mark.parametrize(
    ("discretizer", "edges", "space"),
    [
        (binning.equal_bins(30, -1, 1), np.linspace(-1, 1, 31), "output"),
        (binning.idnns_edges(30), np.linspace(-1, 1, 30), "output"),  # h = 1.0 exactly never occurs for w ≤ 2
        (binning.net_input_edges(30), np.linspace(-50, 50, 30), "net_input"),  # |wX| > 19 has probability < 1e-20
    ],
    ids=["equal30", "idnns30", "net_input30"],
)
def test_binned_samples_match_exact_minimal_model(w, discretizer, edges, space):
    x = np.random.default_rng(7).normal(size=(N_SAMPLES, 1))
    i_xt, _ = binning.mutual_information(np.tanh(w * x), np.zeros(N_SAMPLES, dtype=int), discretizer)
    assert i_xt == pytest.approx(float(exact_information("tanh", w, edges, space=space)), abs=TOLERANCE)
