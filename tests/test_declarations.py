"""Claim checks declared in advance (paper_checks.declarations): validation at import, conformance of results."""

from __future__ import annotations

import pytest

from paper_checks import registry
from paper_checks.compare import Check
from paper_checks.declarations import Declared, conformance, declare


def _declared(**overrides):
    fields = {
        "name": "tanh compresses",
        "quantity": "I_XT_bin",
        "relation": "compresses",
        "bound": "δ = max(3 SE, 0.02 bits)",
        "basis": "one-sided 3 SE",
        "where": ("tanh/F1",),
        "network": "szt",
        "layers": (4, 5),
    }
    return Declared(**(fields | overrides))


@pytest.mark.parametrize(
    ("overrides", "match"),
    [
        ({"quantity": "I_XT_nonsense_estimator_"}, "unknown quantity"),
        ({"quantity": "no_such_variable"}, "unknown quantity"),
        ({"relation": "roughly"}, "relation must be one of"),
        ({"layers": (7,)}, r"layers \[7\] do not exist in network 'szt'"),
        ({"layers": (4, 4)}, "repeat"),
        ({"network": "resnet"}, "unknown network"),
        ({"bound": " "}, "bound must be stated"),
        ({"basis": ""}, "basis must be stated"),
        ({"name": ""}, "name"),
    ],
)
def test_a_bad_declaration_fails_naming_what_is_wrong(overrides, match):
    with pytest.raises(ValueError, match=match):
        _declared(**overrides)


def test_declare_names_an_unknown_claim_and_repeated_checks():
    with pytest.raises(ValueError, match="unknown claim 'C99'"):
        declare("C99", _declared())
    with pytest.raises(ValueError, match="repeat"):
        declare("C1", _declared(), _declared())
    with pytest.raises(TypeError, match="Declared"):
        declare("C1", "tanh compresses")
    with pytest.raises(ValueError, match="at least one"):
        declare("C1")


def _check(declared, layer=None, passed=True):
    return Check("x", 1.0 if passed else -1.0, ">", 0.0, declared=declared, layer=layer)


def test_conformance_accepts_exactly_the_declared_checks():
    d = declare(
        "C1", _declared(), _declared(name="accuracy", quantity="test_accuracy", relation=">", layers=(), network="none")
    )
    ok = [_check("tanh compresses", 4), _check("tanh compresses", 5), _check("accuracy")]
    assert conformance(d, ok) == []
    # a failing check still conforms: conformance is about *what* is checked, not whether it passes
    assert conformance(d, [_check("tanh compresses", 4, False), _check("tanh compresses", 5), _check("accuracy")]) == []


def test_conformance_names_every_departure():
    d = declare("C1", _declared())
    assert "names no declared check" in conformance(d, [_check("other", 4), _check("tanh compresses", 5)])[0]
    assert "produced no result" in conformance(d, [])[0]
    moved = conformance(d, [_check("tanh compresses", 5)])  # the layer that passed only
    assert moved == ["declared check 'tanh compresses' is on layers [4, 5], the result checked [5]"]
    extra = conformance(d, [_check("tanh compresses", l) for l in (3, 4, 5)])
    assert "the result checked [3, 4, 5]" in extra[0]


def test_claim_refuses_a_declaration_of_another_claim():
    with pytest.raises(ValueError, match="its declaration is for 'C1'"):
        registry.claim("C6", needs=lambda profile: {}, declares=declare("C1", _declared()))
    with pytest.raises(TypeError, match="declares must be a Declaration"):
        registry.claim("C6", needs=lambda profile: {}, declares=("tanh compresses",))


def test_every_declared_claim_declares_the_same_checks_at_every_profile():
    """Declarations are data, not functions of the profile: the registry holds one per claim."""
    registry.load_all()
    declared = {cid: spec.declaration for cid, spec in registry.CLAIMS.items() if spec.declaration is not None}
    assert declared, "no claim declares its checks"
    for cid, declaration in declared.items():
        assert declaration.claim == cid


def test_every_stored_quantity_is_described():
    from paper_checks.declarations import STORED_QUANTITIES
    from paper_checks.variables import describe_variable

    for name in STORED_QUANTITIES:
        units, long_name = describe_variable(name)
        assert units and long_name
