"""The three-neuron experiments and figures through the registry (the claims are run by the registry's test).

Small configurations keep these fast: the point is the contract (per-seed results, netCDF round trip through the
store, every variable described, bad configurations rejected, figure files written), not the claims' numbers.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

import paper_checks.claims.three_neuron  # noqa: F401  (registers the claims)
import paper_checks.figures.three_neuron as figures
from paper_checks import registry
from paper_checks.experiments.three_neuron import ArgmaxConfig, CurveConfig, IncrementConfig, NoiseConfig
from paper_checks.profiles import FAST
from paper_checks.workflow.store import Piece, ResultStore

SMALL = {"weights": (0.5, 2.0), "n_samples": 2_000}


def test_claims_and_figures_are_registered():
    assert {"C9", "C10", "C11", "C12", "C13", "C18", "C21"} <= set(registry.CLAIMS)
    assert {"F2B", "F2C", "F2D", "F11", "F13", "F2C-softsign", "F2D-softplus"} <= set(registry.FIGURES)
    names = {"three_neuron_curve", "three_neuron_noise", "three_neuron_argmax", "three_neuron_increments"}
    assert names <= set(registry.EXPERIMENTS)


def test_c18_needs_include_the_network_half():
    from paper_checks.claims.szt import C18_NETWORK_NEEDS

    needs = registry.CLAIMS["C18"].needs(FAST)
    assert set(C18_NETWORK_NEEDS(FAST)) <= set(needs)
    assert {"tanh/F8", "relu/F8", "softsign/F8", "softplus/F8", "argmax_softsign"} == set(needs)


def test_curve_experiment_is_per_seed():
    both = registry.compute(CurveConfig(activation="relu", binning="half_line", seeds=(0, 1), **SMALL))
    alone = registry.compute(CurveConfig(activation="relu", binning="half_line", seeds=(1,), **SMALL))
    np.testing.assert_array_equal(both.I_mc.sel(seed=1).values, alone.I_mc.sel(seed=1).values)
    assert not np.array_equal(both.I_mc.sel(seed=0).values, both.I_mc.sel(seed=1).values)


@pytest.mark.parametrize(
    "config",
    [
        CurveConfig(activation="tanh", binning="equal", seeds=(0, 1), **SMALL),
        NoiseConfig(activation="relu", weights=(0.5, 2.0)),
        ArgmaxConfig("tanh", "idnn"),
        IncrementConfig("tanh", "equal", w_low=5e-3, w_high=0.02, n_weights=4),
    ],
    ids=["curve", "noise", "argmax", "increments"],
)
def test_results_round_trip_through_the_store_with_described_variables(tmp_path, config):
    store = ResultStore(tmp_path / "results")
    result = registry.compute(config)
    seeds = getattr(config, "seeds", None)
    pieces = [Piece(replace(config, seeds=(s,)), None, s) for s in seeds] if seeds else [Piece(config)]
    for piece in pieces:
        part = result.sel(seed=[piece.seed]) if piece.seed is not None else result
        store.save(piece, part)
    back = store.join(registry.Need(config))
    for name in result.data_vars:
        np.testing.assert_array_equal(back[name].values, result[name].values)
        assert back[name].attrs["units"] and back[name].attrs["long_name"]


def test_theory_experiments_give_the_spec_values():
    argmax = registry.compute(ArgmaxConfig("tanh", "equal"))
    assert abs(float(argmax.w_argmax) - 0.869) <= 5e-4 and abs(float(argmax.I_exact_max) - 4.900) <= 5e-4
    rise = registry.compute(IncrementConfig("tanh", "equal", w_low=5e-3, w_high=0.02, n_weights=20))
    # I ≈ 1 bit there, where float64 resolves differences of ~2e-16 only: this increment needs mpmath.
    assert 0.0 < float(rise.min_increment_I) < 1e-20


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: CurveConfig(activation="sigmoid"), "activation"),
        (lambda: CurveConfig(binning="quantile"), "binning"),
        (lambda: CurveConfig(n_samples=0), "n_samples"),
        (lambda: CurveConfig(weights=(1.0, -2.0)), "weights"),
        (lambda: CurveConfig(seeds=(0, 0)), "seeds"),
        (lambda: NoiseConfig(sigma=0.0), "sigma"),
        (lambda: ArgmaxConfig(search=(10.0, 1.0)), "search"),
        (lambda: IncrementConfig(w_low=1.0, w_high=0.5), "w_low"),
        (lambda: IncrementConfig(precision=8), "precision"),
    ],
)
def test_bad_configurations_name_the_parameter(make, message):
    with pytest.raises((ValueError, TypeError), match=message):
        make()


def test_figures_are_written(tmp_path):
    curves = {k: registry.compute(replace(n.source, **SMALL)) for k, n in figures.CURVE_PANEL_NEEDS(FAST).items()}
    inputs = registry.Inputs(FAST, curves)
    paths = figures.draw_f2b(registry.Inputs(FAST), tmp_path) + figures.draw_activations(
        registry.Inputs(FAST), tmp_path
    )
    paths += figures.draw_curves(inputs, tmp_path)
    names = {p.name for p in paths}
    for panel in ("F2B", "F2C", "F2D", "F11", "F13", "F2C-softsign", "F2D-softplus"):
        assert {f"{panel}.png", f"{panel}.pdf"} <= names
        spec = registry.FIGURES[panel]
        assert set(spec.needs(FAST)) <= set(curves)
    for path in paths:
        assert path.exists() and path.stat().st_size > 1000, path
