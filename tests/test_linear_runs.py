"""Stored linear runs and their measurements: the ``linear_student`` and ``aligned_modes`` trainers, the exact
information and gradient-SNR measurements of :mod:`paper_checks.measurements_linear`, and the family's figures.

The runs here are small versions of the paper's (few seeds, few epochs), so that every property is checked in
seconds: a run is a function of its configuration, a seed's run does not depend on the seeds beside it, the stored
weights reproduce the stored errors, and a measurement of a stored run equals the formula evaluated on the stored
weights (and the numbers recorded during training).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import xarray as xr

from paper_checks import registry
from paper_checks.experiments.deep_linear import LinearStudent, run_teacher, run_weights, student_logged_epochs
from paper_checks.experiments.linear_theory import AlignedModes, AS17Config, SMG14Theory
from paper_checks.measurements_linear import ExactInformation, LinearGradientSNR
from paper_checks.profiles import FAST
from simulate.data.teacher import stack_teacher_data, teacher_student_data
from simulate.deep_linear import train_linear_student
from simulate.gradient_snr import gradient_statistics
from simulate.linear_student import forward_maps
from simulate.mi.gaussian import label_mutual_information, mutual_information

#: Seeds batched together run in one ``np.matmul``; BLAS may block the batch differently from a single seed, so
#: a seed's numbers agree with its solo run to rounding (observed: exact; bound: a few ulps of O(1) values).
BATCH_RTOL = 1e-12
#: Recomputing errors and information from stored float64 weights repeats the same operations: exact, up to
#: rounding in a different evaluation order (the errors are sums over ≤ 400 examples).
RECOMPUTE_RTOL = 1e-12
#: I(T;X) ≥ I(T;X_rel) + I(T;X_irrel) for independent input subspaces (chain rule; docs/formulas.md#s3-5), up to
#: rounding.
SPLIT_ATOL = 1e-12


def _small(variant: str, seeds=(3, 4), epochs: int = 12) -> LinearStudent:
    config = LinearStudent.for_profile(FAST, variant)
    return replace(config, seeds=seeds, epochs=epochs, logged_epochs=student_logged_epochs(epochs, 6))


@pytest.fixture(scope="module")
def f6_run() -> xr.Dataset:
    return registry.compute(_small("F6"))


def test_same_configuration_gives_the_identical_run(f6_run):
    again = registry.compute(_small("F6"))
    xr.testing.assert_identical(f6_run, again)


@pytest.mark.parametrize("variant", ["F6", "F21-SGD", "F3"])
def test_a_seed_does_not_depend_on_the_seeds_beside_it(variant):
    config = _small(variant)
    both = registry.compute(config)
    alone = registry.compute(replace(config, seeds=(4,)))
    for name in alone.data_vars:
        pick = both[name].sel(seed=4) if "seed" in alone[name].dims else both[name]
        target = alone[name].sel(seed=4) if "seed" in alone[name].dims else alone[name]
        np.testing.assert_allclose(pick.values, target.values, rtol=BATCH_RTOL, atol=1e-15, err_msg=name)


def test_run_layout_and_seed_streams(f6_run):
    run = f6_run
    assert run.attrs["task"] == "linear_student" and run.attrs["widths"] == "100,100,1"
    assert run["parameters"].dims == ("seed", "epoch", "parameter") and run.sizes["parameter"] == 100 * 100 + 100
    assert list(run.layer.values) == [1, 2] and int(run["relevant"].sum()) == 30
    # seed 3's teacher and data are drawn from the first stream spawned from SeedSequence(3)
    data_stream = np.random.SeedSequence(3).spawn(3)[0]
    expected = teacher_student_data(
        30, 400, np.random.default_rng(data_stream), sigma_w2=30.0, snr=10.0, n_irrelevant=70
    )
    np.testing.assert_array_equal(run["X_train"].sel(seed=3).values, expected.X)
    np.testing.assert_array_equal(run["W_o"].sel(seed=3).values, expected.W_o)
    np.testing.assert_allclose(run.time.values, run.epoch.values * 0.02 / 5)


def test_stored_weights_reproduce_the_stored_errors_and_norms(f6_run):
    run, teacher = f6_run, run_teacher(f6_run)
    layers = run_weights(run)
    W_tot = forward_maps(layers)[-1]  # (S, E, 1, N_i)
    np.testing.assert_allclose(W_tot, run["W_tot"].values, rtol=RECOMPUTE_RTOL)
    residual = np.einsum("spi,seoi->sepo", teacher.X, W_tot) - teacher.Y[:, None]
    train_error = np.mean(np.sum(residual**2, axis=-1), axis=-1)
    np.testing.assert_allclose(train_error, run["train_error"].values, rtol=RECOMPUTE_RTOL)
    test_error = teacher.generalization_error(np.swapaxes(W_tot, 0, 1)).T  # W_o broadcasts over seeds
    np.testing.assert_allclose(test_error, run["test_error"].values, rtol=RECOMPUTE_RTOL)
    norms = np.stack([np.sqrt(np.sum(W**2, axis=(-2, -1))) for W in layers], -1)
    np.testing.assert_allclose(norms, run["weight_norm"].values, rtol=RECOMPUTE_RTOL)


def test_exact_information_is_the_formula_on_the_stored_weights(f6_run):
    run = f6_run
    measured = registry.compute(registry.Need(_small("F6"), ExactInformation(subspaces=True)))
    teacher = run_teacher(run)
    k = 3
    maps = forward_maps(run_weights(run, k))
    for l, Wbar in enumerate(maps, start=1):
        I_XT = mutual_information(Wbar, teacher.Sigma_x, 1.0)
        I_TY = label_mutual_information(Wbar, teacher.W_o, teacher.Sigma_x, teacher.sigma_o2, 1.0)
        np.testing.assert_allclose(measured.I_XT_exact.isel(epoch=k).sel(layer=l).values, I_XT, rtol=RECOMPUTE_RTOL)
        np.testing.assert_allclose(measured.I_TY_exact.isel(epoch=k).sel(layer=l).values, I_TY, rtol=RECOMPUTE_RTOL)
    total = measured.I_XT_exact
    rel, irr = measured.I_X_rel_exact, measured.I_X_irrel_exact
    assert float(rel.min()) >= 0 and float(irr.min()) >= 0
    assert float((rel + irr - total).max()) <= SPLIT_ATOL  # chain rule for independent subspaces
    assert float(rel.isel(epoch=-1).sel(layer=2).mean()) > float(rel.isel(epoch=0).sel(layer=2).mean())


def test_measurement_equals_the_record_made_during_training():
    """The stored-run measurement and the training-time record are the same function of the same weights."""
    config = _small("F6")
    measured = registry.compute(registry.Need(config, ExactInformation(subspaces=True, noise_variance=0.5)))
    streams = [np.random.SeedSequence(s).spawn(3) for s in config.seeds]
    data = stack_teacher_data(
        [
            teacher_student_data(30, 400, np.random.default_rng(d), sigma_w2=30.0, snr=10.0, n_irrelevant=70)
            for d, _, _ in streams
        ]
    )
    recorded = train_linear_student(
        data,
        config.hidden,
        learning_rate=config.learning_rate,
        epochs=config.epochs,
        batch_size=config.batch_size,
        init_scale=config.init_scale,
        rngs=[np.random.default_rng(t) for _, t, _ in streams],
        logged_epochs=config.logged_epochs,
        noise_variance=0.5,
        record_subspaces=True,
    )
    for name in ("I_XT", "I_TY", "I_X_rel", "I_X_irrel"):
        np.testing.assert_allclose(measured[f"{name}_exact"].values, getattr(recorded, name), rtol=RECOMPUTE_RTOL)


def test_measuring_a_subset_of_epochs_gives_the_same_values(f6_run):
    epochs = tuple(int(e) for e in f6_run.epoch.values[[0, 2, -1]])
    sub = registry.compute(registry.Need(_small("F6"), ExactInformation(epochs=epochs)))
    full = registry.compute(registry.Need(_small("F6"), ExactInformation()))
    picked = sub.I_XT_exact.sel(epoch=list(epochs)).values
    np.testing.assert_array_equal(picked, full.I_XT_exact.sel(epoch=list(epochs)).values)
    assert np.isnan(sub.I_XT_exact.drop_sel(epoch=list(epochs)).values).all()  # epochs not measured are NaN
    with pytest.raises(ValueError, match="not logged epochs"):
        registry.compute(registry.Need(_small("F6"), ExactInformation(epochs=(0, 999))))


def _explicit_gradients(W1: np.ndarray, W2: np.ndarray, X: np.ndarray, Y: np.ndarray):
    """Per-example gradients of ½(y − W2 W1 x)² of one 2-layer network, written out by hand, (P, n_out, n_in)."""
    error = X @ (W2 @ W1).T - Y  # (P, 1)
    g1 = np.einsum("po,oh,pi->phi", error, W2, X)
    g2 = np.einsum("po,ph->poh", error, X @ W1.T)
    return g1, g2


def test_gradient_snr_against_gradient_statistics_on_explicit_gradients():
    config = replace(_small("F3", seeds=(5,), epochs=6), hidden=(4,), n_inputs=6, n_samples=20)
    run = registry.compute(config)
    measured = registry.compute(
        registry.Need(config, (LinearGradientSNR("sample"), LinearGradientSNR("minibatch", batch_size=4, stream=7)))
    )
    teacher = run_teacher(run)
    X, Y = teacher.X[0], teacher.Y[0]
    for k, epoch in enumerate(run.epoch.values):
        W1, W2 = (W[0] for W in run_weights(run, k))
        per_sample = _explicit_gradients(W1, W2, X, Y)
        perm = np.random.default_rng(np.random.SeedSequence([5, 7, int(epoch)])).permutation(20)
        batches = [perm[b * 4 : (b + 1) * 4] for b in range(5)]
        per_batch = [np.stack([g[idx].mean(axis=0) for idx in batches]) for g in per_sample]
        for layer, (gs, gb) in enumerate(zip(per_sample, per_batch), start=1):
            st, sb = gradient_statistics(gs), gradient_statistics(gb)
            at = {"seed": 5, "epoch": epoch, "layer": layer}
            np.testing.assert_allclose(float(measured.grad_mean_norm.sel(at)), st.mean_norm, rtol=1e-10)
            np.testing.assert_allclose(float(measured.grad_std_norm.sel(at)), st.std_norm, rtol=1e-10)
            np.testing.assert_allclose(float(measured.grad_batch_mean_norm.sel(at)), sb.mean_norm, rtol=1e-10)
            np.testing.assert_allclose(float(measured.grad_batch_std_norm.sel(at)), sb.std_norm, rtol=1e-10)
            np.testing.assert_allclose(float(measured.grad_batch_snr.sel(at)), sb.snr, rtol=1e-10)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: ExactInformation(noise_variance=0.0), "noise_variance"),
        (lambda: ExactInformation(name="a b"), "name"),
        (lambda: LinearGradientSNR("batch"), "mode"),
        (lambda: LinearGradientSNR("minibatch", batch_size=0), "batch_size"),
        (lambda: LinearStudent(n_inputs=0), "n_inputs"),
        (lambda: LinearStudent(learning_rate=0.0), "learning_rate"),
        (lambda: LinearStudent(batch_size=0), "batch_size"),
        (lambda: LinearStudent.for_profile(FAST, "F5"), "variant"),
        (lambda: AlignedModes(initial_strengths=((1.0,),)), "initial_strengths"),
    ],
)
def test_bad_configurations(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_subspace_split_needs_irrelevant_inputs():
    with pytest.raises(ValueError, match="relevant and irrelevant"):
        registry.compute(registry.Need(_small("F3"), ExactInformation(subspaces=True)))


def test_aligned_mode_run_is_stored_with_its_weights():
    theory = SMG14Theory(epochs=600, n_records=7)
    run = registry.compute(theory.runs()["unbalanced"])
    assert run.attrs["task"] == "aligned_modes" and run.sizes["parameter"] == 8 * 8 + 8 * 3
    assert list(run.layer.values) == [1, 2] and list(run.epoch.values) == [0, 100, 200, 300, 400, 500, 600]
    np.testing.assert_allclose(run.mode_strength.isel(seed=0, epoch=0).values, [[0.1] * 3, [0.01] * 3], rtol=1e-12)
    W2 = run["parameters"].isel(seed=0, epoch=-1).values[64:].reshape(3, 8)
    np.testing.assert_allclose(np.sqrt(np.sum(W2**2)), float(run.weight_norm.isel(seed=0, epoch=-1, layer=1)))
    xr.testing.assert_identical(run, registry.compute(theory.runs()["unbalanced"]))


def _shrunk(need: registry.Need) -> registry.Need:
    """The same need on a tiny run (figures only need the variables, not the paper's sizes)."""
    source = need.source
    if isinstance(source, LinearStudent):
        source = replace(source, seeds=source.seeds[:2], epochs=20, logged_epochs=student_logged_epochs(20, 8))
    elif isinstance(source, AS17Config):
        source = replace(source, seeds=(0, 1), t_max=0.5, n_log=5)
    return registry.Need(source, need.measurements)


def test_figures_are_drawn(tmp_path: Path):
    import paper_checks.figures.deep_linear  # noqa: F401  (registers the figures)

    panels = ["F3C", "F4A", "F6A", "F18A", "F19A", "F21A", "F3C-as17", "F18A-smg14", "F3D-as17", "F18B-smg14"]
    names: set[str] = set()
    for panel in panels:
        spec = registry.FIGURES[panel]
        inputs = registry.Inputs(FAST, {k: registry.compute(_shrunk(n)) for k, n in spec.needs(FAST).items()})
        names |= {p.name for p in spec.draw(inputs, tmp_path)}
    expected = [f"F{p}" for p in ("3C", "3D", "4A", "4B", "6A", "6B", "6C", "18A", "18B", "19A", "19B")]
    expected += ["F21A", "F21B", "F21C", "F21D", "F3C-as17", "F18A-smg14", "F3D-as17", "F18B-smg14"]
    for panel in expected:
        for suffix in (".png", ".pdf"):
            assert f"{panel}{suffix}" in names, f"{panel}{suffix} missing"
            assert (tmp_path / f"{panel}{suffix}").stat().st_size > 0
