r"""LaTeX export of the workbench's derivations, each formula round-trip-checked.

Every theory module that has derivations exposes ``formulas() -> list[Formula]``. :func:`collect` gathers them
from all theory modules; :func:`to_latex` prints one; :func:`round_trip` parses the printed LaTeX back with
SymPy's LaTeX parser (``backend="lark"``) and checks it equals the source expression; :func:`write_tex` writes
them into one standalone ``.tex`` file (the only file :mod:`theory` writes), refusing any formula that fails
the round trip.

The parser's dialect
--------------------
SymPy's lark LaTeX parser does not know every macro the exported LaTeX uses. :func:`round_trip` therefore
rewrites the exported string into the parser's dialect with a fixed, documented mapping (:data:`PARSER_DIALECT`)
before parsing, and maps the placeholders back afterwards:

* ``\Phi\left(z\right)`` (standard normal CDF, :class:`theory.normal_cdf.Phi`) is read through the
  placeholder ``\arccot\left(z\right)``, a function the parser knows, and mapped back to ``Phi`` (a formula
  that itself contains ``acot`` is refused, so the mapping cannot confuse the two);
* Greek letters the parser lacks (``\pi``, ``\sigma``, ``\Delta``, ...) become placeholder symbols
  ``Z_{name}``; ``Z_{pi}`` maps back to :math:`\pi`, the others to the source symbol of that name;
* the symbol ``e`` is read as Euler's number (SymPy prints ``exp(x)`` as ``e^{x}``);
* ``\artanh`` is known to the parser; the written document declares it with ``\DeclareMathOperator``;
* where the grammar is ambiguous, the reading a person would take is chosen: ``x \left(y\right)`` is a
  product, and a function's argument is its delimited group (``\log\left(x\right) + 1`` is ``log(x) + 1``).

Contract for theory modules
---------------------------
A :class:`Formula` holds a SymPy expression ``rhs`` (and a LaTeX left-hand side), the paper's equation
number where there is one, and its source. ``round_trip`` parses the exported LaTeX of ``rhs`` back with SymPy's
LaTeX parser and checks it equals ``rhs``.
"""

from __future__ import annotations

import functools
import importlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import sympy as sp
from sympy.printing.latex import LatexPrinter

__all__ = ["PARSER_DIALECT", "THEORY_MODULES", "Formula", "collect", "round_trip", "to_latex", "write_tex"]

#: Theory modules searched by :func:`collect` for a ``formulas()`` function, in the order of the paper.
THEORY_MODULES: tuple[str, ...] = (
    "theory.three_neuron",
    "theory.gaussian",
    "theory.deep_linear",
    "theory.generalization",
    "theory.kde",
)


@dataclass(frozen=True)
class Formula:
    r"""One derivation result, ready for LaTeX.

    Attributes
    ----------
    key : str
        Unique, stable identifier (``"three_neuron.bin_probability"``); used as the LaTeX ``\\label``.
    title : str
        One line saying what the formula is.
    lhs : str
        LaTeX of the left-hand side (e.g. ``"p_i"``).
    rhs : sympy.Expr
        The right-hand side as a SymPy expression.
    equation : str or None
        The paper's equation number (``"3"``), or None when the formula is not numbered in the paper.
    source : str
        Where it comes from (``"[P] Eq 3"``, ``"[SMG14] Eq 12"``, ``"derived here"``).
    """

    key: str
    title: str
    lhs: str
    rhs: sp.Expr
    equation: str | None
    source: str


def collect() -> list[Formula]:
    """Gather the formulas of every theory module that defines ``formulas()``."""
    found: list[Formula] = []
    for name in THEORY_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as err:
            if err.name == name:
                continue
            raise
        if hasattr(module, "formulas"):
            found.extend(module.formulas())
    return found


# ------------------------------------------------------------------------------------------------- printing

#: Greek-letter macros the lark parser does not know, rewritten to placeholder symbols ``Z_{name}``.
_UNPARSED_GREEK = (
    "pi",
    "sigma",
    "varsigma",
    "iota",
    "Gamma",
    "Delta",
    "Theta",
    "Lambda",
    "Xi",
    "Pi",
    "Sigma",
    "Upsilon",
    "Psi",
    "Omega",
)

#: The documented mapping applied by :func:`round_trip` before parsing (see the module docstring).
PARSER_DIALECT: dict[str, str] = {
    r"\Phi\left(": r"\arccot\left(",
    **{f"\\{name}": f"Z_{{{name}}}" for name in _UNPARSED_GREEK},
    "e": r"Euler's number (sympy.E)",
}


class _Printer(LatexPrinter):
    r"""SymPy's LaTeX printer with ``\artanh`` for the inverse hyperbolic tangent."""

    def _print_atanh(self, expr: sp.Expr, exp: str | None = None) -> str:
        body = r"\artanh\left(" + self._print(expr.args[0]) + r"\right)"
        return body if exp is None else rf"\left({body}\right)^{{{exp}}}"

    def _print_Mul(self, expr: sp.Mul) -> str:
        # The lark parser cannot read a function followed by a juxtaposed factor ("\log(p) p"): print the
        # function factors of a product last ("p \log(p)").
        factors = expr.as_ordered_factors()
        is_function = [isinstance(f.as_base_exp()[0], sp.Function) or f.as_base_exp()[0] == sp.E for f in factors]
        if not any(is_function) or is_function == sorted(is_function):
            return super()._print_Mul(expr)
        ordered = [f for f, fn in zip(factors, is_function) if not fn]
        ordered += [f for f, fn in zip(factors, is_function) if fn]
        saved = self._settings["order"]
        self._settings["order"] = "none"
        try:
            return super()._print_Mul(sp.Mul(*ordered, evaluate=False))
        finally:
            self._settings["order"] = saved

    def _print_Indexed(self, expr: sp.Indexed) -> str:
        indices = ",".join(self._print(i) for i in expr.indices)
        return f"{self._print(expr.base.label)}_{{{indices}}}"


def to_latex(formula: Formula | sp.Expr) -> str:
    r"""LaTeX of a formula's right-hand side (or of a bare SymPy expression).

    Parameters
    ----------
    formula : Formula or sympy.Expr
        What to print.

    Returns
    -------
    str
        LaTeX in SymPy's style, with :math:`\Phi` for the standard normal CDF and ``\artanh`` for the inverse
        hyperbolic tangent.

    Examples
    --------
    >>> import sympy as sp
    >>> to_latex(sp.atanh(sp.Symbol("y")) / sp.Symbol("w"))
    '\\frac{\\artanh\\left(y\\right)}{w}'
    """
    expr = formula.rhs if isinstance(formula, Formula) else formula
    return _Printer().doprint(expr)


# ------------------------------------------------------------------------------------------------- parsing


def _to_dialect(text: str) -> str:
    text = text.replace(r"\Phi\left(", r"\arccot\left(")
    pattern = r"\\(" + "|".join(_UNPARSED_GREEK) + r")(?![A-Za-z])"
    return re.sub(pattern, lambda m: f"Z_{{{m.group(1)}}}", text)


def _name_map(expr: sp.Expr) -> dict[str, sp.Expr]:
    """Parsed-symbol name → source object (symbols, indexed objects, and the fixed constants)."""
    names: dict[str, sp.Expr] = {"e": sp.E, "Z_{pi}": sp.pi}
    atoms = expr.atoms(sp.Symbol, sp.Indexed)
    for atom in atoms:
        if isinstance(atom, sp.Symbol) and any(atom in idx.free_symbols for idx in expr.atoms(sp.Indexed)):
            names.setdefault(atom.name, atom)
        printed = _to_dialect(to_latex(atom)).replace(" ", "")
        names[printed] = atom
    return names


def _parse(text: str, expr: sp.Expr) -> sp.Expr:
    from sympy.parsing.latex import parse_latex

    from theory.normal_cdf import Phi

    if expr.atoms(sp.acot):
        raise ValueError("formulas containing acot cannot be round-tripped (acot is the placeholder for Phi)")
    parsed = parse_latex(_to_dialect(text), backend="lark")
    if not isinstance(parsed, sp.Basic):
        parsed = _disambiguate(parsed, text)
    names = _name_map(expr)
    replacements = {}
    for symbol in parsed.atoms(sp.Symbol):
        replacements[symbol] = names.get(symbol.name, sp.Symbol(symbol.name))
    return parsed.xreplace(replacements).replace(sp.acot, Phi)


def _disambiguate(tree: object, text: str) -> sp.Expr:
    r"""Resolve the lark grammar's ambiguities the way a reader of the LaTeX does.

    ``x \left(y\right)`` is a product, not the application of an undefined function ``x`` (the exported formulas
    contain no undefined functions and no relations); and in ``\log\left(x\right) + 1`` a function's argument
    is its delimited group, so the reading whose function arguments are smallest is chosen.
    """
    alternatives = [
        child
        for child in getattr(tree, "children", ())
        if isinstance(child, sp.Basic)
        and not child.atoms(sp.core.function.AppliedUndef)
        and not isinstance(child, sp.core.relational.Relational)
    ]
    if not alternatives:
        raise ValueError(f"no unambiguous reading of {text!r}")

    def argument_size(expr: sp.Expr) -> int:
        return sum(sp.count_ops(arg) for fn in expr.atoms(sp.Function) for arg in fn.args)

    return min(alternatives, key=argument_size)


def _canonical(expr: sp.Expr) -> sp.Expr:
    from theory.normal_cdf import Phi

    # No doit(): evaluating symbolic sums (upper limit P) is not needed for comparison and can fail inside SymPy.
    return expr.replace(Phi, lambda z: (1 + sp.erf(z / sp.sqrt(2))) / 2).rewrite(sp.erf)


def _numerically_equal(a: sp.Expr, b: sp.Expr, n_points: int = 5, digits: int = 30) -> bool:
    """Compare at random points: positive reals in (0.15, 0.85) for symbols, small integers for sum limits."""
    rng = np.random.default_rng(20180215)
    limit_symbols = set()
    for s in (*a.atoms(sp.Sum), *b.atoms(sp.Sum)):
        for _, low, high in s.limits:
            limit_symbols |= low.free_symbols | high.free_symbols  # Sum stores its limits as SymPy objects
    indexed = a.atoms(sp.Indexed) | b.atoms(sp.Indexed)
    free = (a.free_symbols | b.free_symbols) - limit_symbols
    for _ in range(n_points):
        values: dict[sp.Expr, sp.Expr] = {s: sp.Integer(int(rng.integers(2, 6))) for s in limit_symbols}
        values.update({s: sp.Float(rng.uniform(0.15, 0.85), digits) for s in free})
        offset = int(rng.integers(2, 9))
        index_rule = {i: sp.Integer(1) / (offset + i.indices[0]) for i in indexed}

        def evaluate(e: sp.Expr) -> sp.Expr:
            e = e.xreplace(index_rule).xreplace(values).doit()  # noqa: B023
            return sp.N(e, digits)

        left, right = evaluate(a), evaluate(b)
        if not (left.is_number and right.is_number):
            return False
        if abs(complex(left - right)) > 1e-20 * (1 + abs(complex(left))):
            return False
    return True


def round_trip(formula: Formula, latex: str | None = None) -> bool:
    r"""Whether the exported LaTeX parses back to an expression equal to the formula's ``rhs``.

    Parameters
    ----------
    formula : Formula
        The formula whose ``rhs`` is the reference expression.
    latex : str, optional
        LaTeX to check against ``rhs``; default :func:`to_latex` of `formula` (pass another string to check a
        hand-written or corrupted version).

    Returns
    -------
    bool
        True if SymPy's lark LaTeX parser reads the LaTeX (after the :data:`PARSER_DIALECT` mapping) into an
        expression equal to ``rhs``: symbolically (``simplify`` of the difference is 0, after rewriting
        :math:`\Phi` to ``erf``) or, failing that, numerically to 20 digits at
        five random points of the free symbols. False if it does not parse or is not equal.

    Examples
    --------
    >>> import sympy as sp
    >>> w = sp.Symbol("w", positive=True)
    >>> f = Formula("demo", "demo", "I", sp.log(w) / sp.log(2), None, "here")
    >>> round_trip(f), round_trip(f, latex=r"\frac{\log{\left(w \right)}}{\log{\left(3 \right)}}")
    (True, False)
    """
    text = to_latex(formula) if latex is None else latex
    return _round_trip_text(formula, text)


@functools.lru_cache(maxsize=512)
def _round_trip_text(formula: Formula, text: str) -> bool:
    """:func:`round_trip` for one LaTeX string, memoised (parsing is the slow part)."""
    source = _canonical(formula.rhs)
    try:
        parsed = _canonical(_parse(text, formula.rhs))
    except Exception:  # the parser raises many exception types (lark, SymPy); any of them means "not parsed"
        return False
    if parsed == source:
        return True
    try:
        if sp.simplify(parsed - source) == 0:
            return True
    except Exception:  # simplify can fail on unusual expressions: fall back to numbers
        pass
    return _numerically_equal(parsed, source)


# ------------------------------------------------------------------------------------------------- writing

_TEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


def _escape_text(text: str) -> str:
    return "".join(_TEX_SPECIAL.get(ch, ch) for ch in text)


def write_tex(path: str | Path, formulas: Sequence[Formula] | None = None) -> Path:
    r"""Write the formulas as a standalone LaTeX document with numbered, labelled equations.

    Parameters
    ----------
    path : str or pathlib.Path
        Output ``.tex`` file (its directory is created if needed).
    formulas : sequence of Formula, optional
        What to write; default :func:`collect` (every theory module's formulas).

    Returns
    -------
    pathlib.Path
        The written file. Each formula gets a numbered ``equation`` with ``\label{<key>}``, preceded by its title,
        its source and the paper's equation number.

    Raises
    ------
    ValueError
        If `formulas` is empty, if two formulas share a key, or if any formula fails :func:`round_trip` (the
        message lists the failing keys).
    """
    chosen = collect() if formulas is None else list(formulas)
    if not chosen:
        raise ValueError("formulas must contain at least one Formula, got none")
    keys = [f.key for f in chosen]
    if len(set(keys)) != len(keys):
        raise ValueError(f"formulas must have unique keys, got duplicates in {keys}")
    failing = [f.key for f in chosen if not round_trip(f)]
    if failing:
        raise ValueError(f"formulas failed the LaTeX round trip (parse back != source): {failing}")
    lines = [
        r"\documentclass{article}",
        r"\usepackage[utf8]{inputenc}",
        r"\usepackage{amsmath,amssymb}",
        r"\DeclareMathOperator{\artanh}{artanh}",
        r"\title{ibtheory: derivations}",
        r"\begin{document}",
        r"\maketitle",
        r"\noindent $\Phi$ is the standard normal CDF; logarithms without a base are natural; information in bits.",
        "",
    ]
    for f in chosen:
        paper = f"paper Eq.~{_escape_text(f.equation)}" if f.equation else "not numbered in the paper"
        lines += [
            rf"\paragraph{{{_escape_text(f.title)}}} Source: {_escape_text(f.source)}; {paper}.",
            r"\begin{equation}",
            rf"  {f.lhs} = {to_latex(f)}",
            rf"  \label{{{f.key}}}",
            r"\end{equation}",
            "",
        ]
    lines.append(r"\end{document}")
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out
