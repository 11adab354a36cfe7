"""Exact Gaussian MI: simulate.mi.gaussian (NumPy slogdet) against theory.gaussian (SymPy / mpmath).

Known answers: the scalar channel ½log₂(1+SNR), Monte-Carlo I(T;Y) for a jointly Gaussian sample, and the
chain rule of the relevant/irrelevant split (docs/formulas.md#s3-5).
"""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from simulate.mi import gaussian as sim
from theory import gaussian as th
from theory.latex import round_trip

# slogdet in float64 vs mpmath at 40 digits: both exact up to rounding; 1e-9 bits leaves room for the
# conditioning (≤ 1e4) of the random matrices below times float64 epsilon.
CROSS_ATOL = 1e-9
# Monte-Carlo check of I(T;Y) via the sample covariance with N_MC samples: the plug-in Gaussian MI from
# a sample covariance has standard error ≈ sqrt(d/N) nats; 5 standard errors for d = 3, N = 200 000.
N_MC = 200_000
MC_ATOL = 5 * np.sqrt(3 / N_MC) / np.log(2)


def _random_problem(rng: np.random.Generator, batch=(), n_out=3, n_in=4):
    W = rng.normal(size=(*batch, n_out, n_in))
    A = rng.normal(size=(n_in, n_in))
    cov = A @ A.T / n_in + 0.1 * np.eye(n_in)
    return W, cov


def test_scalar_channel_is_half_log_one_plus_snr():
    for snr in (1e-6, 0.3, 1.0, 7.0, 1e6):
        expected = 0.5 * np.log2(1 + snr)
        assert sim.mutual_information(np.array([[np.sqrt(snr)]]), np.eye(1), 1.0) == pytest.approx(expected, rel=1e-12)
        assert th.mutual_information(np.array([[np.sqrt(snr)]]), np.eye(1), 1.0) == pytest.approx(expected, rel=1e-12)


def test_batched_matches_loop_and_theory():
    rng = np.random.default_rng(0)
    W, cov = _random_problem(rng, batch=(2, 3))
    batched = sim.mutual_information(W, cov, 0.7)
    assert batched.shape == (2, 3)
    for index in np.ndindex(2, 3):
        assert batched[index] == pytest.approx(sim.mutual_information(W[index], cov, 0.7), abs=1e-12)
    np.testing.assert_allclose(batched, th.mutual_information(W, cov, 0.7), atol=CROSS_ATOL)


def test_label_mutual_information_matches_theory():
    rng = np.random.default_rng(1)
    W, cov = _random_problem(rng, batch=(4,))
    W_o = rng.normal(size=(2, 4))
    got = sim.label_mutual_information(W, W_o, cov, 0.5, 1.0)
    np.testing.assert_allclose(got, th.label_mutual_information(W, W_o, cov, 0.5, 1.0), atol=CROSS_ATOL)
    assert np.all(got <= sim.mutual_information(W, cov, 1.0) + 1e-12)  # data processing: I(T;Y) ≤ I(T;X)


def test_label_mutual_information_monte_carlo():
    rng = np.random.default_rng(2)
    W, cov = _random_problem(rng, n_out=2, n_in=3)
    W_o = rng.normal(size=(1, 3))
    X = rng.multivariate_normal(np.zeros(3), cov, size=N_MC)
    T = X @ W.T + rng.normal(size=(N_MC, 2))
    Y = X @ W_o.T + np.sqrt(0.5) * rng.normal(size=(N_MC, 1))
    C = np.cov(np.hstack([T, Y]).T)
    plug_in = 0.5 * np.log2(np.linalg.det(C[:2, :2]) * C[2, 2] / np.linalg.det(C))
    assert sim.label_mutual_information(W, W_o, cov, 0.5, 1.0) == pytest.approx(plug_in, abs=MC_ATOL)


def test_subspace_split_and_chain_rule():
    rng = np.random.default_rng(3)
    W = rng.normal(size=(5, 3, 6))
    cov = np.diag(rng.uniform(0.5, 2.0, size=6))
    rel = sim.subspace_mutual_information(W, cov, 1.0, slice(0, 2))
    irr = sim.subspace_mutual_information(W, cov, 1.0, np.array([2, 3, 4, 5]))
    total = sim.mutual_information(W, cov, 1.0)
    np.testing.assert_allclose(rel, th.subspace_mutual_information(W, cov, 1.0, [0, 1]), atol=CROSS_ATOL)
    assert np.all(total >= np.maximum(rel, irr) - 1e-12)
    # Chain rule: I(T;X) = I(T;X_rel) + I(T;X_irr | X_rel), and given X_rel the layer sees X_irr through the
    # Gaussian channel W_irr alone, so I(T;X_irr | X_rel) = I(W_irr X_irr + ε; X_irr).
    conditional = sim.mutual_information(W[..., 2:], cov[2:, 2:], 1.0)
    np.testing.assert_allclose(total, rel + conditional, atol=1e-12)
    mask = np.zeros(6, dtype=bool)
    mask[:2] = True
    np.testing.assert_allclose(sim.subspace_mutual_information(W, cov, 1.0, mask), rel, atol=1e-12)
    np.testing.assert_allclose(sim.subspace_mutual_information(W, cov, 1.0, slice(0, 6)), total, atol=1e-12)
    assert sim.subspace_mutual_information(W[0], cov, 1.0, []) == 0.0


def test_symbolic_forms_agree_with_numeric():
    a, b, s = sp.symbols("a b s", positive=True)
    W = sp.Matrix([[a, b]])
    expr = th.mutual_information_expr(W, sp.eye(2), s)
    assert sp.simplify(expr - sp.log(1 + (a**2 + b**2) / s, 2) / 2) == 0
    rel = th.subspace_mutual_information_expr(W, sp.eye(2), s, [0])
    irr = th.subspace_mutual_information_expr(W, sp.eye(2), s, [1])
    # chain rule: I(T;X) = I(T;X_0) + I(T;X_1 | X_0), and I(T;X_1 | X_0) = ½log₂(1 + b²/s) (noise only)
    assert sp.simplify(expr - rel - sp.log(1 + b**2 / s, 2) / 2) == 0
    assert sp.simplify(irr - (expr - sp.log(1 + a**2 / s, 2) / 2)) == 0
    values = {a: sp.Rational(3, 2), b: sp.Rational(-1, 3), s: sp.Rational(7, 10)}
    numeric = sim.mutual_information(np.array([[1.5, -1 / 3]]), np.eye(2), 0.7)
    assert float(expr.subs(values)) == pytest.approx(numeric, abs=1e-12)


def test_symbolic_label_mi_eqs_22_to_25():
    w, v, so, s = sp.symbols("w v sigma_o s", positive=True)
    expr = th.label_mutual_information_expr(sp.Matrix([[w]]), sp.Matrix([[v]]), sp.eye(1), so, s)
    # scalar: I = ½log₂[(w²+s)(v²+σ_o)/((w²+s)(v²+σ_o) − w²v²)]
    closed = sp.log((w**2 + s) * (v**2 + so) / ((w**2 + s) * (v**2 + so) - w**2 * v**2), 2) / 2
    assert sp.simplify(sp.expand_log(expr - closed, force=True)) == 0
    got = sim.label_mutual_information(np.array([[0.8]]), np.array([[1.3]]), np.eye(1), 0.4, 0.9)
    assert float(closed.subs({w: 0.8, v: 1.3, so: 0.4, s: 0.9})) == pytest.approx(got, abs=1e-12)


def test_printed_eq6_is_twice_the_exact_nats():
    ratio = th.printed_eq6_scalar() / (th.scalar_mutual_information().subs(th.s, 1) * sp.log(2))
    assert sp.simplify(ratio) == 2
    reparam = th.reparametrized_mutual_information()
    assert sp.diff(reparam, th.c) != 0  # depends on c although w̃₂w̃₁ does not (C14)


def test_formulas_are_well_formed_and_round_trip():
    forms = th.formulas()
    assert len({f.key for f in forms}) == len(forms)
    assert all(isinstance(f.rhs, sp.Expr) and round_trip(f) for f in forms)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), variance=st.floats(1e-3, 1e3))
def test_property_nonnegative_and_monotone_in_noise(seed, variance):
    rng = np.random.default_rng(seed)
    W, cov = _random_problem(rng)
    low_noise = sim.mutual_information(W, cov, variance)
    assert low_noise >= 0
    assert sim.mutual_information(W, cov, 2 * variance) <= low_noise + 1e-12
    # data processing along X → (T, Y): I(T;Y) ≤ I(T;X) and ≤ I(X;Y)
    W_o = rng.normal(size=(2, W.shape[1]))
    I_TY = sim.label_mutual_information(W, W_o, cov, 0.3, variance)
    assert 0 <= I_TY <= low_noise + 1e-9
    I_XY = sim.mutual_information(W_o, cov, 0.3)
    assert I_TY <= I_XY + 1e-9


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: sim.mutual_information(np.ones((2, 2)), np.eye(2), 0.0), "noise_variance"),
        (lambda: sim.mutual_information(np.ones((2, 2)), np.eye(2), -1.0), "noise_variance"),
        (lambda: sim.mutual_information(np.ones(2), np.eye(2), 1.0), "W"),
        (lambda: sim.mutual_information(np.full((2, 2), np.nan), np.eye(2), 1.0), "W"),
        (lambda: sim.mutual_information(np.ones((2, 2)), np.eye(3), 1.0), "input_cov"),
        (lambda: sim.mutual_information(np.ones((2, 2)), -np.eye(2), 1.0), "input_cov"),
        (lambda: sim.mutual_information(np.ones((2, 2)), np.array([[1.0, 0.5], [0.0, 1.0]]), 1.0), "input_cov"),
        (lambda: sim.label_mutual_information(np.ones((2, 2)), np.ones((1, 3)), np.eye(2), 1.0, 1.0), "W_o"),
        (lambda: sim.label_mutual_information(np.ones((2, 2)), np.ones((1, 2)), np.eye(2), -1.0, 1.0), "output"),
        (lambda: sim.subspace_mutual_information(np.ones((2, 2)), np.ones((2, 2)) + np.eye(2), 1.0, [0]), "block"),
        (lambda: sim.subspace_mutual_information(np.ones((2, 2)), np.eye(2), 1.0, [5]), "subset"),
        (lambda: th.mutual_information(np.ones((2, 2)), np.eye(2), 0.0), "noise_variance"),
    ],
)
def test_bad_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()
