"""LaTeX export of the workbench's derivations, each formula round-trip-checked.

Every theory module that has derivations exposes ``formulas() -> list[Formula]``. :func:`collect` gathers them
from all theory modules; :func:`write_tex` writes them into one ``.tex`` file (the only file :mod:`theory`
writes).

Contract for theory modules
---------------------------
A :class:`Formula` holds a SymPy expression ``rhs`` (and a LaTeX left-hand side), the paper's equation
number where there is one, and its source. ``round_trip`` parses the exported LaTeX of ``rhs`` back with SymPy's
LaTeX parser and checks it equals ``rhs``.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

import sympy as sp

__all__ = ["THEORY_MODULES", "Formula", "collect"]

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
