"""LaTeX export: every collected formula round-trips through SymPy's LaTeX parser; wrong formulas are caught.

The export is also checked with the real clients: pdflatex compiles it (Debian's texlive-latex-base and
texlive-latex-recommended, plus lmodern; skipped, saying so, where pdflatex is not installed) with no error and no
undefined control sequence, and every formula uses only macros MathJax renders by default.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import sympy as sp

from theory import derivation
from theory.latex import MATHJAX_MACROS, Formula, collect, export, lhs_and_relation, round_trip, to_latex, write_tex
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
        lambda s: s.replace("b_{i + 1}", "b_{i}", 1),  # wrong edge
        lambda s: s.replace("{w_{1}}", "{2 w_{1}}", 1),  # wrong scale
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


def test_write_tex_writes_labelled_equations_with_the_papers_numbers(tmp_path):
    path = write_tex(tmp_path / "sub" / "three_neuron.tex", formulas())
    text = path.read_text(encoding="utf-8")
    assert text.startswith(r"\documentclass") and text.rstrip().endswith(r"\end{document}")
    assert text.count(r"\begin{equation}") == len(formulas())
    assert r"\label{three_neuron.p_tanh}" in text and "paper Eq.~3--4" in text and r"\tag{3--4}" in text
    assert r"\tag{1--2}" in text and text.count(r"\notag") == sum(f.equation is None for f in formulas())
    assert "DeclareMathOperator" not in text and r"\operatorname{artanh}" in text


def test_the_papers_notation():
    by_key = {f.key: to_latex(f) for f in FORMULAS}
    assert by_key["three_neuron.p_tanh"].startswith(r"\Phi\left(\frac{\operatorname{artanh}\left(b_{i + 1}")
    assert " - \\Phi" in by_key["three_neuron.p_tanh"]  # Φ(b) − Φ(a), not −Φ(a) + Φ(b)
    assert by_key["three_neuron.entropy"] == r"- \sum_{i=1}^{N} p_{i} \log_{2}\left(p_{i}\right)"
    assert r"\log_{2}\det\left(" in by_key["log_det.information"]
    assert all(r"\log{\left(2 \right)}" not in text for text in by_key.values()), "log(2) in a denominator"
    assert r"\int\limits" in by_key["generalization.generalization_error"]


def test_a_relation_is_written_once(tmp_path):
    kde = [f for f in FORMULAS if f.key in ("kde.upper_bound", "kde.lower_bound")]
    assert [lhs_and_relation(f) for f in kde] == [("I(T;X)", r"\le"), ("I(T;X)", r"\ge")]
    text = write_tex(tmp_path / "kde.tex", kde).read_text()
    assert r"\le =" not in text and r"\ge =" not in text and r"I(T;X) \le " in text


def test_titles_are_text_with_math_in_dollars(tmp_path):
    text = write_tex(tmp_path / "t.tex", formulas()).read_text()
    assert r"bin $k \ge 1$" in text and " sigma^2" not in text and ">=" not in text


def test_every_exported_macro_is_rendered_by_mathjax():
    used = set()
    for f in FORMULAS:
        used |= set(re.findall(r"\\([A-Za-z]+)", to_latex(f) + " " + lhs_and_relation(f)[0]))
    assert used <= MATHJAX_MACROS, f"macros outside MathJax's defaults: {sorted(used - MATHJAX_MACROS)}"


def test_export_refuses_an_unwritable_path_before_any_work(tmp_path, monkeypatch):
    monkeypatch.setattr("theory.latex.collect", lambda: pytest.fail("collect() ran before the path was checked"))
    with pytest.raises(ValueError, match="directory"):
        export(tmp_path)
    with pytest.raises(ValueError, match="cannot write there"):
        export(Path("/proc/ibtheory-no-such-dir/f.tex"))  # a pseudo file system: refused even for root
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        if os.access(locked, os.W_OK):
            pytest.skip("running as a user who can write to a read-only directory (root)")
        with pytest.raises(ValueError, match="cannot write there"):
            export(locked / "f.tex")
    finally:
        locked.chmod(0o700)


def test_export_steps_names_the_known_derivations(tmp_path):
    with pytest.raises(ValueError, match=r"unknown derivation nope.*known: three_neuron\.information"):
        export(tmp_path / "f.tex", steps="nope")


PDFLATEX = shutil.which("pdflatex")


@pytest.mark.skipif(
    PDFLATEX is None,
    reason="pdflatex not installed (apt-get install texlive-latex-base "
    "texlive-latex-recommended lmodern): the compile check needs the real LaTeX",
)
def test_the_export_with_every_step_compiles_with_pdflatex(tmp_path: Path):
    path = write_tex(tmp_path / "all.tex", FORMULAS, derivation.collect())
    run = subprocess.run(
        [PDFLATEX, "-interaction=nonstopmode", "-halt-on-error", path.name],
        cwd=tmp_path,
        capture_output=True,
        timeout=300,
    )
    log = (tmp_path / "all.log").read_text(errors="replace")
    errors = [line for line in log.splitlines() if line.startswith("!")]
    assert run.returncode == 0 and not errors, errors[:5]
    assert "Undefined control sequence" not in log
    assert (tmp_path / "all.pdf").stat().st_size > 10_000


def test_write_tex_rejects_empty_and_duplicate_lists(tmp_path):
    with pytest.raises(ValueError, match="at least one"):
        write_tex(tmp_path / "x.tex", [])
    f = formulas()[0]
    with pytest.raises(ValueError, match="unique keys"):
        write_tex(tmp_path / "x.tex", [f, f])


def test_phi_placeholder_cannot_be_confused():
    assert not round_trip(Formula("demo.acot", "acot", "y", sp.acot(W) + Phi(W), None, "demo"))


def test_non_formulas_are_refused_with_type_error(tmp_path):
    with pytest.raises(TypeError, match="formula must be"):
        to_latex("x + 1")
    with pytest.raises(TypeError, match="formula must be"):
        round_trip(sp.Symbol("x"))
    with pytest.raises(TypeError, match="latex must be"):
        round_trip(formulas()[0], latex=3)
    with pytest.raises(TypeError, match="Formula objects"):
        write_tex(tmp_path / "x.tex", ["x"])
