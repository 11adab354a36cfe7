"""Fuzz suite, part 1: every public function, every parameter, every bad value of its kind (issue 14).

For each :class:`fuzz_strategies.Spec`, the valid call must return a finite value, and replacing one parameter by
a bad value of its kind must raise ``ValueError``/``TypeError`` naming that parameter. Cases of functions in modules
rewritten on branch issue-13 that break the contract today are listed in :data:`PENDING_ISSUE_13` and marked
``xfail(strict=True)``: they turn into failures (to be removed from the list) once the fix is merged.
"""

from __future__ import annotations

import warnings

import pytest
from fuzz_harness import ContractViolation, call
from fuzz_strategies import BAD, build, specs

SPECS = specs()

#: Contract breaches in modules owned by branch issue-13, found by this suite (each is listed in the issue-14
#: report); they are expected to fail until that branch is merged.
PENDING_ISSUE_13: frozenset[str] = frozenset(
    {
        "theory.activations.get_activation-name-choice0",
        "theory.activations.get_activation-name-choice1",
        "theory.activations.get_activation-name-choice2",
        "theory.deep_modes.deep_mode_strength-n_layers-count2",
        "theory.deep_modes.deep_mode_strength-n_layers-count3",
        "theory.deep_modes.deep_mode_strength-n_layers-count4",
        "theory.deep_modes.deep_mode_strength-n_layers-count5",
        "theory.deep_modes.deep_mode_strength-s-positive0",
        "theory.deep_modes.deep_mode_strength-s-positive1",
        "theory.deep_modes.deep_mode_strength-s-positive2",
        "theory.deep_modes.deep_mode_strength-s-positive3",
        "theory.deep_modes.deep_mode_strength-t-finite_array1",
        "theory.deep_modes.deep_mode_strength-tau-positive0",
        "theory.deep_modes.deep_mode_strength-tau-positive1",
        "theory.deep_modes.deep_mode_strength-tau-positive2",
        "theory.deep_modes.deep_mode_strength-tau-positive3",
        "theory.deep_modes.deep_mode_strength-u0-positive0",
        "theory.deep_modes.deep_mode_strength-u0-positive1",
        "theory.deep_modes.deep_mode_strength-u0-positive2",
        "theory.deep_modes.deep_mode_strength-u0-positive3",
        "theory.generalization.generalization_error-alpha-positive0",
        "theory.generalization.generalization_error-alpha-positive1",
        "theory.generalization.generalization_error-alpha-positive2",
        "theory.generalization.generalization_error-alpha-positive3",
        "theory.generalization.generalization_error-sigma_eps2-nonnegative0",
        "theory.generalization.generalization_error-sigma_eps2-nonnegative1",
        "theory.generalization.generalization_error-sigma_eps2-nonnegative2",
        "theory.generalization.generalization_error-sigma_eps2-nonnegative3",
        "theory.generalization.generalization_error-sigma_w2-positive0",
        "theory.generalization.generalization_error-sigma_w2-positive1",
        "theory.generalization.generalization_error-sigma_w2-positive2",
        "theory.generalization.generalization_error-sigma_w2-positive3",
        "theory.generalization.generalization_error-sigma_w2-positive6",
        "theory.generalization.generalization_error-t-finite_array1",
        "theory.generalization.optimal_stopping_time-alpha-positive0",
        "theory.generalization.optimal_stopping_time-alpha-positive1",
        "theory.generalization.optimal_stopping_time-alpha-positive2",
        "theory.generalization.optimal_stopping_time-alpha-positive3",
        "theory.generalization.optimal_stopping_time-sigma_eps2-positive0",
        "theory.generalization.optimal_stopping_time-sigma_eps2-positive1",
        "theory.generalization.optimal_stopping_time-sigma_eps2-positive2",
        "theory.generalization.optimal_stopping_time-sigma_eps2-positive3",
        "theory.generalization.optimal_stopping_time-sigma_eps2-positive6",
        "theory.generalization.optimal_stopping_time-sigma_w2-positive0",
        "theory.generalization.optimal_stopping_time-sigma_w2-positive1",
        "theory.generalization.optimal_stopping_time-sigma_w2-positive2",
        "theory.generalization.optimal_stopping_time-sigma_w2-positive3",
        "theory.generalization.optimal_stopping_time-sigma_w2-positive6",
        "theory.marchenko_pastur.inverse_eigenvalue_mean-alpha-positive0",
        "theory.marchenko_pastur.inverse_eigenvalue_mean-alpha-positive1",
        "theory.marchenko_pastur.inverse_eigenvalue_mean-alpha-positive2",
        "theory.marchenko_pastur.inverse_eigenvalue_mean-alpha-positive3",
        "theory.marchenko_pastur.marchenko_pastur_density-alpha-positive0",
        "theory.marchenko_pastur.marchenko_pastur_density-alpha-positive1",
        "theory.marchenko_pastur.marchenko_pastur_density-alpha-positive2",
        "theory.marchenko_pastur.marchenko_pastur_density-alpha-positive3",
        "theory.marchenko_pastur.marchenko_pastur_density-lam-finite_array0",
        "theory.marchenko_pastur.marchenko_pastur_density-lam-finite_array1",
        "theory.marchenko_pastur.marchenko_pastur_density-lam-finite_array3",
        "theory.mode_dynamics.balanced_learning_time-s-positive0",
        "theory.mode_dynamics.balanced_learning_time-s-positive1",
        "theory.mode_dynamics.balanced_learning_time-s-positive2",
        "theory.mode_dynamics.balanced_learning_time-s-positive3",
        "theory.mode_dynamics.balanced_learning_time-tau-positive0",
        "theory.mode_dynamics.balanced_learning_time-tau-positive1",
        "theory.mode_dynamics.balanced_learning_time-tau-positive2",
        "theory.mode_dynamics.balanced_learning_time-tau-positive3",
        "theory.mode_dynamics.balanced_learning_time-u0-positive0",
        "theory.mode_dynamics.balanced_learning_time-u0-positive1",
        "theory.mode_dynamics.balanced_learning_time-u0-positive2",
        "theory.mode_dynamics.balanced_learning_time-u0-positive3",
        "theory.mode_dynamics.balanced_learning_time-uf-positive0",
        "theory.mode_dynamics.balanced_learning_time-uf-positive1",
        "theory.mode_dynamics.balanced_learning_time-uf-positive2",
        "theory.mode_dynamics.balanced_learning_time-uf-positive3",
        "theory.mode_dynamics.balanced_mode_strength-s-positive0",
        "theory.mode_dynamics.balanced_mode_strength-s-positive1",
        "theory.mode_dynamics.balanced_mode_strength-s-positive2",
        "theory.mode_dynamics.balanced_mode_strength-s-positive3",
        "theory.mode_dynamics.balanced_mode_strength-t-finite_array1",
        "theory.mode_dynamics.balanced_mode_strength-tau-positive0",
        "theory.mode_dynamics.balanced_mode_strength-tau-positive1",
        "theory.mode_dynamics.balanced_mode_strength-tau-positive2",
        "theory.mode_dynamics.balanced_mode_strength-tau-positive3",
        "theory.mode_dynamics.balanced_mode_strength-u0-positive0",
        "theory.mode_dynamics.balanced_mode_strength-u0-positive1",
        "theory.mode_dynamics.balanced_mode_strength-u0-positive2",
        "theory.mode_dynamics.balanced_mode_strength-u0-positive3",
        "theory.three_neuron.mutual_information-w-finite_array1",
        "theory.three_neuron_limits.argmax_weight-precision-count0",
        "theory.three_neuron_limits.argmax_weight-precision-count1",
        "theory.three_neuron_limits.argmax_weight-precision-count2",
        "theory.three_neuron_limits.argmax_weight-precision-count3",
        "theory.three_neuron_limits.argmax_weight-precision-count4",
        "theory.three_neuron_limits.argmax_weight-precision-count5",
        "theory.three_neuron_limits.argmax_weight-precision-count6",
        "theory.three_neuron_limits.argmax_weight-precision-count7",
        "theory.three_neuron_limits.argmax_weight-precision-count8",
        "theory.three_neuron_limits.relu_asymptote-delta-positive0",
        "theory.three_neuron_limits.relu_asymptote-delta-positive1",
        "theory.three_neuron_limits.relu_asymptote-delta-positive2",
        "theory.three_neuron_limits.relu_asymptote-delta-positive3",
        "theory.three_neuron_limits.relu_asymptote-w-finite_array1",
        "theory.three_neuron_noise.noisy_mutual_information-w-finite_array1",
    }
)


def _case_id(spec, parameter, value) -> str:
    if parameter is None:
        return f"{spec.name}-valid"
    kind = spec.kinds[parameter]
    index = next(i for i, bad in enumerate(BAD[kind]) if bad is value)
    return f"{spec.name}-{parameter}-{kind}{index}"


def _cases():
    for spec in SPECS:
        yield pytest.param(spec, None, None, id=f"{spec.name}-valid")
        for parameter, kind in spec.kinds.items():
            for value in BAD[kind]:
                if any(repr(value) == repr(accepted) for accepted in spec.accepts.get(parameter, [])):
                    continue
                case_id = _case_id(spec, parameter, value)
                marks = []
                if not spec.owned and case_id in PENDING_ISSUE_13:
                    marks = [pytest.mark.xfail(strict=True, reason="fixed on branch issue-13 / pending")]
                yield pytest.param(spec, parameter, value, id=case_id, marks=marks)


@pytest.mark.parametrize(("spec", "parameter", "value"), list(_cases()))
def test_contract(spec, parameter, value):
    kwargs = build(spec.valid)
    if parameter is not None:
        kwargs[parameter] = value
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a warning is not the contract's business; errors and values are
        pending = not spec.owned and _case_id(spec, parameter, value) in PENDING_ISSUE_13
        try:
            call(spec.fn, kwargs, parameter, pending=pending)
        except ContractViolation as violation:
            pytest.fail(str(violation))


def _pending_examples():
    """The examples of issue 14 in modules owned by branch issue-13 (each breaks the contract today)."""
    import numpy as np

    from theory import generalization
    from theory import three_neuron as t3
    from theory import three_neuron_limits as t3l
    from theory.binning_edges import equal_width_edges

    edges = equal_width_edges(30)
    cases = [
        (
            "argmax_weight-search-(0.01,)",
            t3l.argmax_weight,
            {"activation": "tanh", "edges": edges, "search": (0.01,)},
            "search",
        ),
        (
            "three_neuron.mutual_information-w-1e-300-precision-20",
            t3.mutual_information,
            {"activation": "tanh", "w": 1e-300, "edges": edges, "precision": 20},
            None,
        ),
        (
            "three_neuron.mutual_information-w-'1.0'",
            t3.mutual_information,
            {"activation": "tanh", "w": "1.0", "edges": edges},
            "w",
        ),
        (
            "three_neuron.mutual_information-edges-strings",
            t3.mutual_information,
            {"activation": "tanh", "w": 1.0, "edges": ["-1", "0", "1"]},
            "edges",
        ),
        (
            "generalization_error-sigma_eps2-1e308",
            generalization.generalization_error,
            {"t": np.array([1.0]), "alpha": 1.0, "sigma_w2": 1.0, "sigma_eps2": 1e308},
            None,
        ),
    ]
    for case_id, fn, kwargs, bad in cases:
        yield pytest.param(
            fn,
            kwargs,
            bad,
            id=case_id,
            marks=pytest.mark.xfail(strict=True, reason="fixed on branch issue-13 / pending"),
        )


@pytest.mark.parametrize(("fn", "kwargs", "bad"), list(_pending_examples()))
def test_pending_issue_13_examples(fn, kwargs, bad):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            call(fn, kwargs, bad, pending=True)
        except ContractViolation as violation:
            pytest.fail(str(violation))
