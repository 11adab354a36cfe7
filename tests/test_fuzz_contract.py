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

#: Contract breaches still open in the theory modules of the derivations branch (empty since its merge: every
#: breach this suite found there is fixed).
PENDING_ISSUE_13: frozenset[str] = frozenset()


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
    """The examples of issue 14 in the three-neuron and generalization modules (each broke the contract before)."""
    import numpy as np

    from theory import generalization
    from theory import three_neuron as t3
    from theory.binning_edges import equal_width_edges

    edges = equal_width_edges(30)
    cases = [
        (
            "argmax_weight-search-(0.01,)",
            t3.argmax_weight,
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
        yield pytest.param(fn, kwargs, bad, id=case_id)


@pytest.mark.parametrize(("fn", "kwargs", "bad"), list(_pending_examples()))
def test_pending_issue_13_examples(fn, kwargs, bad):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            call(fn, kwargs, bad, pending=True)
        except ContractViolation as violation:
            pytest.fail(str(violation))
