r"""LaTeX export of the workbench's derivations, each formula round-trip-checked.

Every theory module that has derivations exposes ``formulas() -> list[Formula]``. :func:`collect` gathers them
from all theory modules; :func:`to_latex` prints one; :func:`round_trip` parses the printed LaTeX back with
SymPy's LaTeX parser (``backend="lark"``) and checks it equals the source expression; :func:`write_tex` writes
them into one standalone ``.tex`` file (the only file :mod:`theory` writes), refusing any formula that fails
the round trip.

Notation of the export
----------------------
The LaTeX is in the paper's notation and uses only standard amsmath macros (MathJax renders it by default, see
:data:`MATHJAX_MACROS`): :math:`\Phi(b) - \Phi(a)` with the positive terms first; information in bits written
with :math:`\log_2` (or one :math:`\tfrac{1}{\ln 2}` prefactor when the logarithms are inside a sum or an
integral), never a ``\log(2)`` in every denominator; ``\log\det`` for log-determinants;
``\operatorname{artanh}``; a relation other than ``=`` (the KDE bounds' ``\le``, ``\ge``) written once.

The parser's dialect
--------------------
SymPy's lark LaTeX parser does not know every macro the exported LaTeX uses. :func:`round_trip` therefore
rewrites the exported string into the parser's dialect with a fixed, documented mapping (:data:`PARSER_DIALECT`)
before parsing, and maps the placeholders back afterwards:

* ``\Phi\left(z\right)`` (standard normal CDF, :class:`theory.normal_cdf.Phi`) is read through the
  placeholder ``\arccot\left(z\right)``, a function the parser knows, and mapped back to ``Phi`` (a formula
  that itself contains ``acot`` is refused, so the mapping cannot confuse the two); likewise ``\det\left(``
  is read as ``\arcsin\left(`` (formulas containing ``asin`` are refused);
* Greek letters the parser lacks (``\pi``, ``\sigma``, ``\Delta``, ...), with their subscript if any, and
  accented letters (``\bar{W}``, ``\tilde{z}``) become placeholder symbols ``Z_{name}``; ``Z_{pi}`` maps back
  to :math:`\pi`, the others to the source symbol of that name; ``\operatorname{artanh}`` is read as
  ``\artanh``;
* the symbol ``e`` is read as Euler's number (SymPy prints ``exp(x)`` as ``e^{x}``);
* matrix expressions are compared as the parser reads them, as products of commuting symbols (the source is
  mapped the same way: matrix symbols to symbols, :math:`A^\top` to ``A**T``, :math:`I` to a symbol): the
  order of non-commuting factors is printed by SymPy and checked by the derivations of :mod:`theory.log_det`,
  not by the parser;
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
import os
import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import sympy as sp
from sympy.printing.latex import LatexPrinter

__all__ = [
    "MATHJAX_MACROS",
    "PARSER_DIALECT",
    "THEORY_MODULES",
    "Formula",
    "collect",
    "export",
    "round_trip",
    "to_latex",
    "write_tex",
]

#: Theory modules searched by :func:`collect` for a ``formulas()`` function, in the order of the paper.
THEORY_MODULES: tuple[str, ...] = (
    "theory.three_neuron",
    "theory.log_det",
    "theory.gaussian",
    "theory.generalization",
    "theory.deep_linear",
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
    relation : str
        LaTeX of the relation between lhs and rhs (``"="``, ``"\\le"``, ``"\\ge"``). A lhs that ends with
        ``\\le``/``\\ge`` (the KDE bounds) is read as that relation (see :func:`lhs_and_relation`).
    """

    key: str
    title: str
    lhs: str
    rhs: sp.Expr
    equation: str | None
    source: str
    relation: str = "="


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
    r"\det\left(": r"\arcsin\left(",
    r"\operatorname{artanh}": r"\artanh",
    **{f"\\{name}": f"Z_{{{name}}}" for name in _UNPARSED_GREEK},
    r"\bar{X}, \tilde{X}, \hat{X}": "Z_{barX}, Z_{tildeX}, Z_{hatX}",
    "b_{i + 1}": "b_{iplusone} (compound subscripts as one placeholder)",
    "I (identity matrix)": "Z_{Id}",
    "x^{2} y": r"x^{2} \cdot y (a factor after a power)",
    "e": r"Euler's number (sympy.E)",
}

#: Every macro the exported formulas may use: each is in MathJax's default TeX input (with the ams package,
#: loaded by JupyterLab) and in LaTeX with amsmath/amssymb. ``tests/test_latex.py`` checks the export against it.
MATHJAX_MACROS: frozenset[str] = frozenset(
    {
        "frac", "left", "right", "sqrt", "log", "ln", "det", "max", "min", "lim", "sum", "int", "limits",
        "operatorname", "Phi", "pi", "sigma", "tau", "lambda", "alpha", "epsilon", "varepsilon", "rho", "Delta",
        "Sigma", "mu", "nu", "infty", "to", "le", "ge", "leq", "geq", "approx", "mid", "cdot", "bar", "tilde",
        "hat", "dot", "mathbf", "mathbb", "mathrm", "mathcal", "tfrac", "lVert", "rVert", "Vert", "nabla", "top",
        "begin", "end", "partial", "prod", "exp", "quad", "qquad", "text", "mathit", "wedge", "vee", "prime",
    }
)  # fmt: skip

_LN2 = sp.log(2)


def _is_inverse_ln2(factor: sp.Expr) -> bool:
    return factor == 1 / _LN2


class _Printer(LatexPrinter):
    r"""SymPy's LaTeX printer in the paper's notation (see the module docstring)."""

    def _print_atanh(self, expr: sp.Expr, exp: str | None = None) -> str:
        body = r"\operatorname{artanh}\left(" + self._print(expr.args[0]) + r"\right)"
        return body if exp is None else rf"\left({body}\right)^{{{exp}}}"

    def _print_Determinant(self, expr: sp.Expr, exp: str | None = None) -> str:
        body = r"\det\left(" + self._print(expr.arg) + r"\right)"
        return body if exp is None else rf"\left({body}\right)^{{{exp}}}"

    def _print_log(self, expr: sp.Expr, exp: str | None = None) -> str:
        if isinstance(expr.args[0], sp.Determinant) and exp is None:
            return r"\log" + self._print(expr.args[0])
        return super()._print_log(expr, exp)

    def _print_Identity(self, expr: sp.Expr) -> str:
        return "I"

    def _print_Add(self, expr: sp.Add, order: str | None = None) -> str:
        # Φ(b) − Φ(a), not −Φ(a) + Φ(b): the terms without a minus sign first, each group in SymPy's order
        terms = self._as_ordered_terms(expr, order=order)
        positive = [t for t in terms if not t.could_extract_minus_sign()]
        negative = [t for t in terms if t.could_extract_minus_sign()]
        if not positive or not negative or terms[: len(positive)] == positive:
            return super()._print_Add(expr, order=order)
        saved = self._settings["order"]
        self._settings["order"] = "none"
        try:
            return super()._print_Add(sp.Add(*positive, *negative, evaluate=False), order="none")
        finally:
            self._settings["order"] = saved

    def _print_Mul(self, expr: sp.Mul) -> str:
        factors = list(expr.args)
        if any(_is_inverse_ln2(f) for f in factors):
            return self._print_bits(factors)
        return self._print_ordered_mul(expr)

    def _print_bits(self, factors: list) -> str:
        r"""A product with 1/ln 2: ``c \log_{2}(x)`` for one logarithm, else a ``\frac{c}{\ln 2}`` prefactor."""
        rest = [f for f in factors if not _is_inverse_ln2(f)]
        logs = [f for f in rest if isinstance(f, sp.log)]
        coefficient = sp.Mul(*[f for f in rest if f.is_number and not isinstance(f, sp.log)])
        others = [f for f in rest if not (f.is_number and not isinstance(f, sp.log))]
        sign = "- " if coefficient.could_extract_minus_sign() else ""
        coefficient = abs(coefficient)
        if len(logs) == 1:
            (log_factor,) = logs
            rest_factors = [f for f in others if f is not log_factor]
            prefix_expr = sp.Mul(coefficient, *rest_factors)
            sep = self._settings["mul_symbol_latex"]
            prefix = "" if prefix_expr == 1 else self._print(prefix_expr) + sep
            if isinstance(prefix_expr, sp.Add):
                prefix = rf"\left({self._print(prefix_expr)}\right)" + sep
            argument = log_factor.args[0]
            if isinstance(argument, sp.Determinant):
                return rf"{sign}{prefix}\log_{{2}}{self._print(argument)}"
            return rf"{sign}{prefix}\log_{{2}}\left({self._print(argument)}\right)"
        body = sp.Mul(*others)
        numerator, denominator = sp.fraction(coefficient)
        printed = self._print(body)
        if isinstance(body, sp.Add):
            printed = rf"\left({printed}\right)"
        sep = self._settings["mul_symbol_latex"]
        below = "" if denominator == 1 else self._print(denominator) + sep
        return rf"{sign}\frac{{{self._print(numerator)}}}{{{below}\ln 2}}{sep}{printed}"

    def _print_ordered_mul(self, expr: sp.Mul) -> str:
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


def to_latex(formula: Formula | sp.Basic) -> str:
    r"""LaTeX of a formula's right-hand side (or of a bare SymPy expression), in the export's notation.

    Parameters
    ----------
    formula : Formula or sympy.Basic
        What to print.

    Returns
    -------
    str
        LaTeX with :math:`\Phi` for the standard normal CDF, ``\operatorname{artanh}``, ``\log_{2}`` for
        logarithms in bits, ``\log\det`` and the positive terms of a sum first.

    Examples
    --------
    >>> import sympy as sp
    >>> to_latex(sp.atanh(sp.Symbol("y")) / sp.Symbol("w"))
    '\\frac{\\operatorname{artanh}\\left(y\\right)}{w}'
    >>> to_latex(sp.log(sp.Symbol("x", positive=True), 2) / 2)
    '\\frac{1}{2} \\log_{2}\\left(x\\right)'
    """
    expr = formula.rhs if isinstance(formula, Formula) else formula
    if not isinstance(expr, sp.Basic | sp.MatrixBase):
        raise TypeError(f"formula must be a Formula or a SymPy expression, got {type(expr).__name__} {expr!r}")
    return _Printer().doprint(expr)


def _dotted_latex(expr: sp.Basic) -> str:
    r"""The export's LaTeX with every product written ``\cdot`` (what the parser reads unambiguously)."""
    return _Printer({"mul_symbol": "dot"}).doprint(expr)


def lhs_and_relation(formula: Formula) -> tuple[str, str]:
    r"""The left-hand side and the relation: a lhs ending in ``\le``/``\ge`` gives that relation (written once).

    Examples
    --------
    >>> lhs_and_relation(Formula("k", "t", r"I(T;X)\le", sp.S.One, None, "s"))
    ('I(T;X)', '\\le')
    """
    lhs = formula.lhs.rstrip()
    for relation in (r"\leq", r"\geq", r"\le", r"\ge"):
        if lhs.endswith(relation):
            return lhs[: -len(relation)].rstrip(), relation
    return lhs, formula.relation


# ------------------------------------------------------------------------------------------------- parsing

_GREEK_WITH_SUB = re.compile(r"\\(" + "|".join(_UNPARSED_GREEK) + r")(?![A-Za-z])(?:_\{([^{}]*)\})?")
_ACCENT = re.compile(r"\\(bar|tilde|hat)\{([A-Za-z])\}(?:_\{([^{}]*)\})?")
_COMPOUND_SUBSCRIPT = re.compile(r"_\{([^{}\\]*[+\- ][^{}\\]*)\}")  # b_{i + 1}: the parser reads simple ones only


_DIGIT_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def _sanitize(text: str) -> str:
    """Letters only (the parser reads subscripts of letters only or digits only): 0 → zero, + → plus, ..."""
    text = text.replace("+", "plus").replace("-", "minus")
    text = re.sub(r"[0-9]", lambda m: _DIGIT_WORDS[int(m.group(0))], text)
    return re.sub(r"[^A-Za-z]", "", text)


_BIG_OPERATOR_LIMITS = re.compile(r"(\\sum|\\prod|\\limits)(_\{[^{}]*\})?(\^\{[^{}]*\})?$")


def _explicit_products(text: str) -> str:
    r"""``x^{2} y`` → ``x^{2} \cdot y`` (the parser cannot read a factor after a power or subscript group)."""

    def insert(m: re.Match) -> str:
        if _BIG_OPERATOR_LIMITS.search(text[: m.end(1)]):  # the limits of a sum, product or integral
            return m.group(0)
        return m.group(1) + r" \cdot "

    return re.sub(r"([\^_]\{[^{}]*\}) (?=[A-Za-z]|\\left)", insert, text)


def _to_dialect(text: str) -> str:
    text = text.replace(r"\Phi\left(", r"\arccot\left(").replace(r"\det\left(", r"\arcsin\left(")
    text = text.replace(r"\operatorname{artanh}", r"\artanh")
    text = _COMPOUND_SUBSCRIPT.sub(lambda m: "_{" + _sanitize(m.group(1)) + "}", text)
    text = re.sub(r"(?<![A-Za-z\\{_])I(?![A-Za-z])", "Z_{Id}", text)  # the identity matrix (the parser refuses I)
    text = _ACCENT.sub(lambda m: f"Z_{{{m.group(1)}{m.group(2)}{_sanitize(m.group(3) or '')}}}", text)
    text = _GREEK_WITH_SUB.sub(lambda m: f"Z_{{{m.group(1)}{_sanitize(m.group(2) or '')}}}", text)
    return _explicit_products(text)


def _scalarize(expr: sp.Basic) -> sp.Basic:
    """Matrix expressions as the parser reads them: commuting symbols, A^T as A**T, det as the placeholder."""
    if not expr.has(sp.MatrixExpr, sp.Determinant):
        return expr
    if isinstance(expr, sp.Determinant):
        return sp.asin(_scalarize(expr.arg))
    if isinstance(expr, sp.MatrixSymbol):
        return sp.Symbol(expr.name)
    if isinstance(expr, sp.Identity):
        return sp.Symbol("I")
    if isinstance(expr, sp.Transpose):
        return sp.Pow(_scalarize(expr.arg), sp.Symbol("T"))
    if isinstance(expr, sp.Inverse):
        return sp.Pow(_scalarize(expr.arg), -1)
    if isinstance(expr, sp.MatMul):
        return sp.Mul(*[_scalarize(a) for a in expr.args])
    if isinstance(expr, sp.MatAdd):
        return sp.Add(*[_scalarize(a) for a in expr.args])
    if isinstance(expr, sp.MatPow):
        return sp.Pow(_scalarize(expr.base), expr.exp)
    return expr.func(*[_scalarize(a) for a in expr.args])


def _name_map(expr: sp.Expr) -> dict[str, sp.Expr]:
    """Parsed-symbol name → source object (symbols, indexed objects, and the fixed constants)."""
    names: dict[str, sp.Expr] = {"e": sp.E, "Z_{pi}": sp.pi}
    atoms = expr.atoms(sp.Symbol, sp.Indexed)
    for atom in atoms:
        if isinstance(atom, sp.Symbol) and any(atom in idx.free_symbols for idx in expr.atoms(sp.Indexed)):
            names.setdefault(atom.name, atom)
        if isinstance(atom, sp.Symbol):
            names.setdefault(atom.name, atom)  # a Greek letter the parser knows comes back by its name
        printed = _to_dialect(to_latex(atom)).replace(" ", "")
        names[printed] = atom
    return names


def _parse(text: str, expr: sp.Expr) -> sp.Expr:
    from sympy.parsing.latex import parse_latex

    from theory.normal_cdf import Phi

    if expr.atoms(sp.acot):
        raise ValueError("formulas containing acot cannot be round-tripped (acot is the placeholder for Phi)")
    if expr.atoms(sp.asin):
        raise ValueError("formulas containing asin cannot be round-tripped (asin is the placeholder for det)")
    parsed = parse_latex(_to_dialect(text), backend="lark")
    if not isinstance(parsed, sp.Basic):
        parsed = _disambiguate(parsed, text)
    names = _name_map(_scalarize(expr))
    replacements = {}
    for symbol in parsed.atoms(sp.Symbol):
        replacements[symbol] = names.get(symbol.name.replace(" ", ""), sp.Symbol(symbol.name))
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
            e = e.xreplace(index_rule).xreplace(values)  # noqa: B023
            if not e.has(sp.Integral):  # integrals are left to mpmath quadrature by sp.N
                e = e.doit()
            return sp.N(e, digits)

        try:
            left, right = evaluate(a), evaluate(b)
        except (TypeError, ValueError, ArithmeticError):  # e.g. a sum whose index became a number: not equal
            return False
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
    if not isinstance(formula, Formula):
        raise TypeError(f"formula must be a theory.latex.Formula, got {type(formula).__name__}")
    if latex is not None and not isinstance(latex, str):
        raise TypeError(f"latex must be a LaTeX string or None, got {type(latex).__name__}")
    text = to_latex(formula) if latex is None else latex
    if _round_trip_text(formula, text):
        return True
    # The lark parser misreads some juxtaposed products ("x^{2} \max(...)"). The same printer with explicit
    # "\cdot" products is parsed instead, provided the text is exactly that LaTeX with the dots left out.
    dotted = _dotted_latex(formula.rhs)
    return dotted.replace(r" \cdot ", " ") == text and _round_trip_text(formula, dotted)


@functools.lru_cache(maxsize=512)
def _round_trip_text(formula: Formula, text: str) -> bool:
    """:func:`round_trip` for one LaTeX string, memoised (parsing is the slow part)."""
    source = _canonical(_scalarize(formula.rhs))
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
#: Unicode characters of the prose (titles, sources, justifications) and their LaTeX text-mode forms.
_TEXT_UNICODE = {"–": "--", "—": "---", "→": r"$\to$", "≤": r"$\le$", "≥": r"$\ge$", "×": r"$\times$", "±": r"$\pm$"}

#: The preamble: a plain article with amsmath, as a reader's paper would have (T1-encoded Latin Modern fonts, so
#: that text-mode ``<``, ``>`` and ``|`` print as themselves, in vector form).
PREAMBLE = (
    r"\documentclass{article}",
    r"\usepackage[T1]{fontenc}",
    r"\usepackage{lmodern}",
    r"\usepackage[utf8]{inputenc}",
    r"\usepackage{amsmath,amssymb}",
)


def _escape_text(text: str) -> str:
    out = "".join(_TEX_SPECIAL.get(ch, ch) for ch in text)
    for char, tex in _TEXT_UNICODE.items():
        out = out.replace(char, tex)
    return out


def text_with_math(text: str) -> str:
    r"""Prose for LaTeX: text outside ``$…$`` escaped, math between ``$…$`` kept as it is.

    Examples
    --------
    >>> text_with_math("bin $k \\ge 1$ & more_x")
    'bin $k \\ge 1$ \\& more\\_x'
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    parts = text.split("$")
    if len(parts) % 2 == 0:
        raise ValueError(f"text has an unbalanced $ (math must be between a pair of $): {text!r}")
    return "".join(_escape_text(part) if k % 2 == 0 else f"${part}$" for k, part in enumerate(parts))


def _tag(equation: str) -> str:
    return equation.replace("-", "--").replace("–", "--")


def _formula_lines(f: Formula) -> list[str]:
    lhs, relation = lhs_and_relation(f)
    paper = f"paper Eq.~{_tag(_escape_text(f.equation))}" if f.equation else "not numbered in the paper"
    number = rf"\tag{{{_tag(f.equation)}}}" if f.equation else r"\notag"
    return [
        rf"\paragraph{{{text_with_math(f.title)}}} Source: {text_with_math(f.source)}; {paper}.",
        r"\begin{equation}",
        rf"  {lhs} {relation} {to_latex(f)} {number}",
        rf"  \label{{{f.key}}}",
        r"\end{equation}",
        "",
    ]


def _derivation_lines(d) -> list[str]:
    paper = f" (paper Eq.~{_tag(_escape_text(d.equation))})" if d.equation else ""
    lines = [
        rf"\subsection*{{{text_with_math(d.title)}}}",
        rf"\noindent Key \texttt{{{_escape_text(d.key)}}}; source: {text_with_math(d.source)}{paper}.",
        r"\begin{enumerate}",
    ]
    for step in d.steps:
        lines += [
            rf"  \item {text_with_math(step.why)} \emph{{(check: {_escape_text(step.check)})}}",
            rf"  \[ {step.lhs} {step.relation} {to_latex(step.expr)} \]",
        ]
    return [*lines, r"\end{enumerate}", ""]


def write_tex(path: str | Path, formulas: Sequence[Formula] | None = None, derivations: Sequence | None = None) -> Path:
    r"""Write the formulas (and derivations, step by step) as a standalone LaTeX document.

    Parameters
    ----------
    path : str or pathlib.Path
        Output ``.tex`` file (its directory is created if needed).
    formulas : sequence of Formula, optional
        What to write; default :func:`collect` (every theory module's formulas).
    derivations : sequence of theory.derivation.Derivation, optional
        Derivations to write after the formulas, every step with its justification and check (``--steps``).

    Returns
    -------
    pathlib.Path
        The written file. Each formula gets an ``equation`` with ``\label{<key>}`` and the paper's equation
        number as ``\tag{…}`` (``\notag`` where the paper does not number it), preceded by its title and source.
        The document needs only ``amsmath``/``amssymb``: any equation can be pasted into a plain ``article``.

    Raises
    ------
    ValueError
        If `formulas` is empty, if two formulas share a key, or if any formula fails :func:`round_trip` (the
        message lists the failing keys).
    """
    chosen = collect() if formulas is None else list(formulas)
    wrong = [type(f).__name__ for f in chosen if not isinstance(f, Formula)]
    if wrong:
        raise TypeError(f"formulas must hold theory.latex.Formula objects, got {', '.join(sorted(set(wrong)))}")
    if not chosen:
        raise ValueError("formulas must contain at least one Formula, got none")
    keys = [f.key for f in chosen]
    if len(set(keys)) != len(keys):
        raise ValueError(f"formulas must have unique keys, got duplicates in {keys}")
    failing = [f.key for f in chosen if not round_trip(f)]
    if failing:
        raise ValueError(f"formulas failed the LaTeX round trip (parse back != source): {failing}")
    lines = [
        *PREAMBLE,
        r"\title{ibtheory: derivations}",
        r"\author{}",
        r"\date{}",
        r"\begin{document}",
        r"\maketitle",
        r"\noindent $\Phi$ is the standard normal CDF; $\log$ without a base is natural; information is in bits"
        r" wherever $\log_2$ or a factor $1/\ln 2$ appears, in nats otherwise. Equation tags are the paper's"
        r" (Saxe et al., ICLR 2018) where it numbers the formula.",
        "",
    ]
    for f in chosen:
        lines += _formula_lines(f)
    if derivations:
        lines += [r"\section*{Derivations, step by step}", ""]
        for d in derivations:
            lines += _derivation_lines(d)
    lines.append(r"\end{document}")
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out


def _check_writable(path: Path) -> Path:
    """Refuse an output path that cannot be written, before any work (``ibtheory latex --out``).

    The directory is created (as writing would) and a probe file is created and removed in it, so that every
    reason the final write could fail (missing permission, read-only or pseudo file system, a file where a
    directory should be) is found now.
    """
    if path.is_dir():
        raise ValueError(f"--out must be a file path, got the directory {path}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=".ibtheory-probe-"):
            pass
        if path.exists() and not os.access(path, os.W_OK):
            raise PermissionError(f"{path} exists and is not writable")
    except OSError as err:
        raise ValueError(f"--out {path}: cannot write there ({err.strerror or err})") from None
    return path


def export(path: str | Path, steps: str | None = None) -> tuple[Path, int, int]:
    r"""What ``ibtheory latex`` does: check `path`, collect, round-trip and write (``--steps`` derivations too).

    Parameters
    ----------
    path : str or pathlib.Path
        Output ``.tex`` file; refused (``ValueError``) before any work if it cannot be written.
    steps : str or None
        None: formulas only. ``"all"``: also every derivation of :func:`theory.derivation.collect`, step by
        step. Otherwise a comma-separated list of derivation keys (an unknown key is refused with the list of
        known keys).

    Returns
    -------
    (path, n_formulas, n_derivations)
    """
    out = _check_writable(Path(path))
    chosen_derivations = None
    if steps is not None:
        from theory import derivation

        if not isinstance(steps, str) or not steps.strip():
            raise ValueError("--steps must be 'all' or a comma-separated list of derivation keys")
        every = derivation.collect()
        if steps.strip() == "all":
            chosen_derivations = every
        else:
            known = {d.key: d for d in every}
            wanted = [k.strip() for k in steps.split(",") if k.strip()]
            unknown = [k for k in wanted if k not in known]
            if unknown:
                raise ValueError(f"--steps: unknown derivation {', '.join(unknown)}; known: {', '.join(known)}")
            chosen_derivations = [known[k] for k in wanted]
    formulas = collect()
    if not formulas:
        raise ValueError("latex: no theory module defines formulas()")
    written = write_tex(out, formulas, chosen_derivations)
    return written, len(formulas), len(chosen_derivations or ())
