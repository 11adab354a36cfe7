"""LaTeX export: every collected formula round-trips through SymPy's LaTeX parser; wrong formulas are caught."""

from __future__ import annotations

import pytest
import sympy as sp

from theory.latex import Formula, collect, round_trip, to_latex, write_tex
from theory.normal_cdf import Phi
from theory.three_neuron import W, formulas

FORMULAS = collect()


def test_collect_includes_the_three_neuron_formulas():
    keys = {f.key for f in FORMULAS}
    assert {f.key for f in formulas()} <= keys
    assert len(keys) == len(FORMULAS), "formula keys must be unique"


@pytest.mark.parametrize("formula", FORMULAS, ids=[f.key for f in FORMULAS])
def test_every_formula_round_trips(formula):
    assert round_trip(formula), f"{formula.key}: {to_latex(formula)!r} does not parse back to {formula.rhs}"


def _p_tanh() -> Formula:
    return next(f for f in formulas() if f.key == "three_neuron.p_tanh")


@pytest.mark.parametrize(
    "corrupt",
    [
        lambda s: s.replace("b_{i}", "a_{i}", 1),  # wrong edge
        lambda s: s.replace("{w}", "{2 w}", 1),  # wrong scale
        lambda s: s.replace(r"- \Phi", r"+ \Phi", 1),  # wrong sign
    ],
)
def test_a_corrupted_latex_is_caught(corrupt):
    formula = _p_tanh()
    text = to_latex(formula)
    assert corrupt(text) != text
    assert not round_trip(formula, latex=corrupt(text))


def test_a_formula_the_parser_cannot_read_is_refused(tmp_path):
    bad = Formula("demo.gamma", "Gamma function", "g", sp.gamma(W), None, "demo")
    assert not round_trip(bad)
    with pytest.raises(ValueError, match=r"demo\.gamma"):
        write_tex(tmp_path / "bad.tex", [bad])


def test_write_tex_writes_labelled_numbered_equations(tmp_path):
    path = write_tex(tmp_path / "sub" / "three_neuron.tex", formulas())
    text = path.read_text(encoding="utf-8")
    assert text.startswith(r"\documentclass") and text.rstrip().endswith(r"\end{document}")
    assert text.count(r"\begin{equation}") == len(formulas())
    assert r"\label{three_neuron.p_tanh}" in text and "paper Eq.~3-4" in text
    assert r"\DeclareMathOperator{\artanh}" in text


def test_write_tex_rejects_empty_and_duplicate_lists(tmp_path):
    with pytest.raises(ValueError, match="at least one"):
        write_tex(tmp_path / "x.tex", [])
    f = formulas()[0]
    with pytest.raises(ValueError, match="unique keys"):
        write_tex(tmp_path / "x.tex", [f, f])


def test_phi_placeholder_cannot_be_confused():
    assert not round_trip(Formula("demo.acot", "acot", "y", sp.acot(W) + Phi(W), None, "demo"))
