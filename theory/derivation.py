r"""Derivations as ordered, checked steps: from the definitions to the closed form the workbench evaluates.

A :class:`Derivation` is a sequence of :class:`Step` objects. Each step holds a SymPy expression (the right-hand
side), the LaTeX of its left-hand side, a one-line justification, and how it was **checked** against the step
before it. :class:`DerivationBuilder` performs the checks as the steps are added and refuses a step that does not
follow (:class:`DerivationError`), so a derivation object that exists is a derivation whose steps were verified:

* ``"definition"``: the first step (or a step that introduces a definition), nothing to check;
* ``"symbolic"``: ``simplify(new − transform(previous)) == 0`` (matrices elementwise; :math:`\Phi` rewritten to
  ``erf`` first), where ``transform`` is the operation the step applies (a substitution, a limit, an integral;
  the identity by default);
* ``"numeric: <reason>"``: where SymPy cannot close the identity, both sides are evaluated with mpmath at
  30 digits at :data:`NUMERIC_POINTS` random points of their free symbols and must agree to a relative
  :data:`NUMERIC_RTOL`; the reason says why SymPy cannot do it symbolically;
* ``"<custom>"``: a step whose truth is a side condition (e.g. monotonicity of ``f``) runs its own check
  function, described in words.

Every derivation of the workbench is listed by :func:`collect` (from the ``derivations()`` function of each module
in :data:`DERIVATION_MODULES`); the final expression of each is the one the numerical code evaluates (the tests
cross-check them at random points), and :mod:`theory.latex` exports every step with ``ibtheory latex --steps``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import ClassVar

import mpmath
import numpy as np
import sympy as sp

from theory.normal_cdf import Phi

__all__ = [
    "DERIVATION_MODULES",
    "NUMERIC_POINTS",
    "NUMERIC_RTOL",
    "Derivation",
    "DerivationBuilder",
    "DerivationError",
    "Step",
    "collect",
    "get_derivation",
    "markdown",
    "shown",
]

#: Modules whose ``derivations()`` function :func:`collect` calls, in the order of the paper.
DERIVATION_MODULES: tuple[str, ...] = (
    "theory.three_neuron",
    "theory.log_det",
    "theory.generalization",
    "theory.mode_dynamics",
    "theory.deep_linear",
)

#: Relative agreement required of a numerically checked step: 1e-12 at 30-digit evaluation leaves a margin of
#: ~18 digits for the rounding of the expressions themselves, so an identity that holds passes and one that
#: does not (any difference above 1e-12 of the size of the terms) fails.
NUMERIC_RTOL = 1e-12
#: Random points at which a numerically checked step is evaluated (a wrong identity between analytic
#: expressions agrees at a random point with probability 0).
NUMERIC_POINTS = 6
_DIGITS = 30


class _Shown(sp.Symbol):
    """A symbol printed with a fixed LaTeX form (see :func:`shown`)."""

    latex_forms: ClassVar[dict[str, str]] = {}

    def _latex(self, printer: object) -> str:
        return _Shown.latex_forms.get(self.name, self.name)


def shown(name: str, latex: str, **assumptions: bool) -> sp.Symbol:
    r"""A SymPy symbol that prints as `latex` (for quantities such as :math:`H(T\mid X)` or :math:`\bar W`).

    Examples
    --------
    >>> sp.latex(shown("H_TX", r"H(T \mid X)") + 1)
    'H(T \\mid X) + 1'
    """
    _Shown.latex_forms[name] = latex
    return _Shown(name, **assumptions)


class DerivationError(ValueError):
    """A step does not follow from the previous one (the message names the derivation and the step)."""


@dataclass(frozen=True)
class Step:
    r"""One line of a derivation: ``lhs relation expr``, why it holds, and how that was checked.

    Attributes
    ----------
    lhs : str
        LaTeX of the left-hand side (``"p_i"``, ``"I(T;X)"``).
    expr : sympy.Basic
        The right-hand side (an expression, or a matrix for a vector of bin probabilities).
    why : str
        One-line justification (plain text; math between ``$…$``).
    check : str
        ``"definition"``, ``"symbolic"``, ``"numeric: <reason>"`` or the description of a custom check.
    relation : str
        LaTeX of the relation (``"="``; ``"\approx"`` for an asymptotic step, whose check says in what sense).
    """

    lhs: str
    expr: sp.Basic
    why: str
    check: str
    relation: str = "="


@dataclass(frozen=True)
class Derivation:
    """A checked derivation (built with :class:`DerivationBuilder`).

    Attributes
    ----------
    key : str
        Unique identifier (``"three_neuron.bin_probability.tanh"``), used by ``ibtheory latex --steps``.
    title : str
        One line (plain text; math between ``$…$``).
    steps : tuple of Step
        From the definition (first) to the closed form (last).
    equation : str or None
        The paper's equation number(s) of the result, when the paper numbers it.
    source : str
        Where the result comes from.
    """

    key: str
    title: str
    steps: tuple[Step, ...]
    equation: str | None
    source: str

    @property
    def result(self) -> sp.Basic:
        """The final expression (the closed form the numerical code evaluates)."""
        return self.steps[-1].expr

    @property
    def lhs(self) -> str:
        """LaTeX of the final left-hand side."""
        return self.steps[-1].lhs


def _phi_free(expr: sp.Basic) -> sp.Basic:
    return expr.replace(Phi, lambda z: (1 + sp.erf(z / sp.sqrt(2))) / 2)


def _is_zero_symbolically(diff: sp.Basic) -> bool:
    if isinstance(diff, sp.MatrixBase):
        return all(_is_zero_symbolically(e) for e in diff)
    if diff == 0:
        return True
    try:
        simplified = sp.simplify(diff.rewrite(sp.erf) if diff.has(sp.erfc) else diff)
        if simplified == 0:
            return True
        return sp.simplify(sp.expand(sp.expand_log(simplified, force=True))) == 0
    except Exception:  # SymPy's simplify raises many exception types on hard expressions: "not shown"
        return False


def _entries(expr: sp.Basic) -> list[sp.Basic]:
    return list(expr) if isinstance(expr, sp.MatrixBase) else [expr]


def _evaluable(expr: sp.Basic) -> sp.Basic:
    """`expr` ready for ``sp.N``: sums and limits evaluated, integrals left for mpmath quadrature."""
    return expr if expr.has(sp.Integral) else expr.doit()


def _numerically_equal(a: sp.Basic, b: sp.Basic, points: Mapping[sp.Symbol, tuple[float, float]] | None) -> bool:
    """Whether a and b agree to NUMERIC_RTOL at random points (symbols drawn in their `points` ranges)."""
    rng = np.random.default_rng(20180215)
    ranges = dict(points or {})
    free = sorted(set().union(*(e.free_symbols for e in _entries(a) + _entries(b))), key=str)
    for _ in range(NUMERIC_POINTS):
        values = {}
        for s in free:
            lo, hi = ranges.get(s, (0.2, 1.8))
            values[s] = sp.Float(rng.uniform(lo, hi), _DIGITS)
        for x, y in zip(_entries(a), _entries(b), strict=True):
            with mpmath.workdps(_DIGITS):
                left = complex(sp.N(_evaluable(_phi_free(x).xreplace(values)), _DIGITS))
                right = complex(sp.N(_evaluable(_phi_free(y).xreplace(values)), _DIGITS))
            if not (np.isfinite(left) and np.isfinite(right)):
                return False
            if abs(left - right) > NUMERIC_RTOL * max(1.0, abs(left), abs(right)):
                return False
    return True


@dataclass
class DerivationBuilder:
    r"""Build a :class:`Derivation` step by step, checking each step as it is added.

    Examples
    --------
    >>> x = sp.Symbol("x", positive=True)
    >>> d = (
    ...     DerivationBuilder("demo", "A two-line demo", None, "here")
    ...     .define("f", sp.log(x**2), "definition")
    ...     .step("f", 2 * sp.log(x), "$\\log x^2 = 2\\log x$ for $x > 0$")
    ...     .build()
    ... )
    >>> [s.check for s in d.steps]
    ['definition', 'symbolic']
    """

    key: str
    title: str
    equation: str | None
    source: str
    _steps: list[Step] = field(default_factory=list)

    def define(self, lhs: str, expr: sp.Basic, why: str) -> DerivationBuilder:
        """Add a definition (the first step, or a new quantity introduced along the way): no check."""
        self._steps.append(Step(lhs, expr, why, "definition"))
        return self

    def step(
        self,
        lhs: str,
        expr: sp.Basic,
        why: str,
        *,
        transform: Callable[[sp.Basic], sp.Basic] | None = None,
        numeric: str | None = None,
        points: Mapping[sp.Symbol, tuple[float, float]] | None = None,
        verify: tuple[Callable[[sp.Basic, sp.Basic], bool], str] | None = None,
        relation: str = "=",
    ) -> DerivationBuilder:
        """Add a step and check it against the previous one.

        Parameters
        ----------
        lhs, expr, why, relation
            As in :class:`Step`.
        transform : callable, optional
            The operation the step applies to the previous expression (substitution, limit, ...); the check is
            ``expr == transform(previous)``.
        numeric : str, optional
            Allow the numeric check when the symbolic one fails; the string says why SymPy cannot close it.
        points : mapping, optional
            Ranges ``symbol -> (low, high)`` for the numeric check (default (0.2, 1.8) for every symbol).
        verify : (callable, description), optional
            A custom check ``verify(previous, expr) -> bool`` and its description, instead of equality.

        Raises
        ------
        DerivationError
            If the step does not follow (or no previous step exists).
        """
        if not self._steps:
            raise DerivationError(f"{self.key}: the first step must be a definition (define())")
        previous = self._steps[-1].expr
        if verify is not None:
            check_fn, description = verify
            if not check_fn(previous, expr):
                raise DerivationError(f"{self.key}: step {len(self._steps) + 1} ({why}) fails: {description}")
            self._steps.append(Step(lhs, expr, why, description, relation))
            return self
        target = previous if transform is None else transform(previous)
        left, right = _phi_free(expr), _phi_free(target)
        if isinstance(left, sp.MatrixBase) != isinstance(right, sp.MatrixBase):
            raise DerivationError(f"{self.key}: step {len(self._steps) + 1} mixes a matrix and a scalar")
        if _is_zero_symbolically(left - right):
            method = "symbolic"
        elif numeric is not None and _numerically_equal(left, right, points):
            method = f"numeric: {numeric}"
        else:
            raise DerivationError(
                f"{self.key}: step {len(self._steps) + 1} ({why}) does not equal the previous step"
                + (" (symbolically or numerically)" if numeric else " symbolically")
            )
        self._steps.append(Step(lhs, expr, why, method, relation))
        return self

    def build(self) -> Derivation:
        """The finished, checked derivation."""
        if len(self._steps) < 2:
            raise DerivationError(f"{self.key}: a derivation needs a definition and at least one step")
        return Derivation(self.key, self.title, tuple(self._steps), self.equation, self.source)


def collect() -> list[Derivation]:
    """Every derivation of the workbench (the ``derivations()`` of each module of :data:`DERIVATION_MODULES`)."""
    found: list[Derivation] = []
    for name in DERIVATION_MODULES:
        module = importlib.import_module(name)
        found.extend(module.derivations())
    return found


def get_derivation(key: str) -> Derivation:
    """The derivation called `key`; ``ValueError`` naming the known keys otherwise."""
    if not isinstance(key, str):
        raise TypeError(f"key must be a derivation key (str), got {type(key).__name__}")
    known = {d.key: d for d in collect()}
    if key not in known:
        raise ValueError(f"unknown derivation {key!r}; known derivations: {', '.join(sorted(known))}")
    return known[key]


def markdown(d: Derivation) -> str:
    r"""The derivation as Markdown for a notebook: a numbered list of steps, each with its why and check.

    Each step's formula is display math (``$$…$$``) in the export's notation (:func:`theory.latex.to_latex`),
    which JupyterLab renders with MathJax.
    """
    from theory.latex import to_latex

    if not isinstance(d, Derivation):
        raise TypeError(f"d must be a Derivation, got {type(d).__name__}")
    paper = f" (paper Eq {d.equation})" if d.equation else ""
    lines = [f"**{d.title}**{paper} — {d.source}", ""]
    for k, step in enumerate(d.steps, start=1):
        lines.append(f"{k}. {step.why} *(check: {step.check})*")
        lines.append(f"   $$ {step.lhs} {step.relation} {to_latex(step.expr)} $$")
    return "\n".join(lines)
