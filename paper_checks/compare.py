"""Where the two witnesses meet: curves, comparisons with stated tolerances, and claim verdicts.

A :class:`Curve` is a labelled sequence of points, optionally with a standard error per point. A
:class:`Comparison` puts a theory curve beside a simulated one and says whether they agree within a tolerance
that is stated, with its reason (a multiple of a standard error, or a documented finite-size effect). A
:class:`Check` is one inequality about a measured number; a :class:`ClaimResult` gathers the checks of one claim
of the paper (docs/claims.md, #c1–C46) and is what claim tests assert and what the report prints.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

__all__ = ["Check", "ClaimResult", "Comparison", "Curve", "assert_claim"]

Relation = Literal["<", "<=", ">", ">="]


@dataclass(frozen=True, eq=False)
class Curve:
    """A labelled curve ``y(x)``.

    Attributes
    ----------
    x, y : numpy.ndarray
        Abscissae and values, same length, finite.
    label : str
        What the curve is (e.g. ``"tanh, exact"``).
    stderr : numpy.ndarray or None
        Standard error of each ``y`` (simulated curves), or None (exact curves).
    units : str
        Units of ``y`` (``"bits"`` for every information quantity).
    """

    x: np.ndarray
    y: np.ndarray
    label: str
    stderr: np.ndarray | None = None
    units: str = "bits"

    def __post_init__(self) -> None:
        x = np.asarray(self.x, dtype=float)
        y = np.asarray(self.y, dtype=float)
        if x.shape != y.shape or x.ndim != 1:
            raise ValueError(f"Curve {self.label!r}: x and y must be 1-D of equal length, got {x.shape}, {y.shape}")
        if not (np.all(np.isfinite(x)) and np.all(np.isfinite(y))):
            raise ValueError(f"Curve {self.label!r}: x and y must be finite")
        object.__setattr__(self, "x", x)
        object.__setattr__(self, "y", y)
        if self.stderr is not None:
            se = np.broadcast_to(np.asarray(self.stderr, dtype=float), y.shape).copy()
            if np.any(~np.isfinite(se)) or np.any(se < 0):
                raise ValueError(f"Curve {self.label!r}: stderr must be finite and non-negative")
            object.__setattr__(self, "stderr", se)


@dataclass(frozen=True)
class Check:
    """One inequality ``measured <relation> bound``.

    Attributes
    ----------
    description : str
        What is measured, in words (e.g. ``"tanh layer 3: peak − final I(X;T)"``).
    measured : float
        The measured value.
    relation : {"<", "<=", ">", ">="}
        How `measured` must relate to `bound` for the check to pass.
    bound : float
        The threshold (for a tolerance test, the tolerance; for compression, δ).
    units : str
        Units of `measured` and `bound`.
    scale : float or None
        The natural unit of the margin, so that margins of different checks compare: the standard error of
        `measured` for a statistical test, the tolerance or margin for a tolerance test. None: the bound's
        magnitude (a relative margin), or 1 in `units` when the bound is 0.
    declared : str
        The name of the declared check (:mod:`paper_checks.declarations`) this is a result of.
    layer : int or None
        The layer checked, for a declared check with layers.
    """

    description: str
    measured: float
    relation: Relation
    bound: float
    units: str = "bits"
    scale: float | None = None
    declared: str = ""
    layer: int | None = None

    def __post_init__(self) -> None:
        if self.relation not in ("<", "<=", ">", ">="):
            raise ValueError(f"relation must be one of '<', '<=', '>', '>=', got {self.relation!r}")
        object.__setattr__(self, "measured", float(self.measured))
        object.__setattr__(self, "bound", float(self.bound))
        if self.scale is not None:
            scale = float(self.scale)
            if not (math.isfinite(scale) and scale > 0):
                raise ValueError(f"Check {self.description!r}: scale must be positive and finite, got {self.scale!r}")
            object.__setattr__(self, "scale", scale)

    @property
    def passed(self) -> bool:
        """Whether the inequality holds (a NaN measurement never passes)."""
        m, b = self.measured, self.bound
        if math.isnan(m) or math.isnan(b):
            return False
        return {"<": m < b, "<=": m <= b, ">": m > b, ">=": m >= b}[self.relation]

    @property
    def margin(self) -> float:
        """Signed distance from the threshold, positive when the check passes (units of `units`)."""
        return self.measured - self.bound if self.relation in (">", ">=") else self.bound - self.measured

    @property
    def margin_scale(self) -> float:
        """The unit of :attr:`normalised_margin`: `scale`, else ``|bound|``, else 1."""
        if self.scale is not None:
            return self.scale
        return abs(self.bound) if self.bound != 0 and math.isfinite(self.bound) else 1.0

    @property
    def normalised_margin(self) -> float:
        """:attr:`margin` in units of :attr:`margin_scale` (standard errors, or fractions of the bound)."""
        return self.margin / self.margin_scale

    def __str__(self) -> str:
        mark = "PASS" if self.passed else "FAIL"
        return (
            f"[{mark}] {self.description}: {self.measured:.6g} {self.relation} {self.bound:.6g} {self.units}"
            f" (margin {self.margin:+.3g}, {self.normalised_margin:+.3g} × scale {self.margin_scale:.3g})"
        )


@dataclass(frozen=True, eq=False)
class Comparison:
    """A theory curve beside a simulated one, with a stated tolerance.

    The simulated curve is interpolated onto nothing: both curves must share the same ``x``.

    Attributes
    ----------
    theory, simulation : Curve
        The closed-form curve and the simulated one.
    tolerance : float or numpy.ndarray
        Allowed absolute deviation at each point (broadcast to the curves' length).
    reason : str
        Where the tolerance comes from, e.g. ``"4 binomial standard errors of the bin counts"``.
    """

    theory: Curve
    simulation: Curve
    tolerance: float | np.ndarray
    reason: str

    def __post_init__(self) -> None:
        if self.theory.x.shape != self.simulation.x.shape or not np.allclose(self.theory.x, self.simulation.x):
            raise ValueError("Comparison: theory and simulation curves must share the same x")
        tol = np.broadcast_to(np.asarray(self.tolerance, dtype=float), self.theory.y.shape).copy()
        if np.any(~np.isfinite(tol)) or np.any(tol <= 0):
            raise ValueError("Comparison: tolerance must be finite and positive")
        object.__setattr__(self, "tolerance", tol)

    @property
    def deviation(self) -> np.ndarray:
        """Absolute deviation ``|simulation − theory|`` at each point."""
        return np.abs(self.simulation.y - self.theory.y)

    @property
    def worst_ratio(self) -> float:
        """Largest deviation in units of the tolerance (≤ 1 means agreement)."""
        return float(np.max(self.deviation / self.tolerance))

    @property
    def passed(self) -> bool:
        """Whether every point agrees within its tolerance."""
        return self.worst_ratio <= 1.0

    def as_check(self, description: str | None = None) -> Check:
        """The comparison as one :class:`Check`: worst deviation/tolerance ≤ 1."""
        desc = description or f"{self.simulation.label} vs {self.theory.label}"
        return Check(
            f"{desc}: max |sim − theory| / tolerance ({self.reason})", self.worst_ratio, "<=", 1.0, "", scale=1.0
        )


@dataclass(frozen=True)
class ClaimResult:
    """The verdict on one claim of the paper.

    Attributes
    ----------
    claim : str
        Claim id of docs/claims.md (``"C10"``).
    checks : tuple of Check
        Every inequality that was tested; the claim holds when all pass.
    paper_value : str or None
        The paper's own number or statement to print beside ours, if it gives one.
    figures : tuple of str
        Figure ids (``"F2C"``) that show the claim.
    note : str
        Anything a reader needs to interpret the verdict (choices made where the paper is silent).
    """

    claim: str
    checks: tuple[Check, ...]
    paper_value: str | None = None
    figures: tuple[str, ...] = ()
    note: str = ""
    extra: dict = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        checks = tuple(self.checks)
        if not checks:
            raise ValueError(f"ClaimResult {self.claim}: at least one check is required")
        object.__setattr__(self, "checks", checks)

    @property
    def passed(self) -> bool:
        """True when every check passes."""
        return all(c.passed for c in self.checks)

    @property
    def margin(self) -> float:
        """The smallest normalised check margin (the check closest to failing, in units of its scale)."""
        return min(c.normalised_margin for c in self.checks)

    @property
    def weakest(self) -> Check:
        """The check with the smallest normalised margin."""
        return min(self.checks, key=lambda c: c.normalised_margin)

    def summary(self) -> str:
        """A multi-line, human-readable account of every check."""
        head = f"{self.claim}: {'holds' if self.passed else 'FAILS'}"
        lines = [head, *(f"  {c}" for c in self.checks)]
        if self.paper_value:
            lines.append(f"  paper: {self.paper_value}")
        if self.note:
            lines.append(f"  note: {self.note}")
        return "\n".join(lines)


def assert_claim(result: ClaimResult) -> None:
    """Raise ``AssertionError`` with the full summary unless every check of `result` passes."""
    if not result.passed:
        raise AssertionError(result.summary())


def checks_from(comparisons: Sequence[Comparison]) -> tuple[Check, ...]:
    """Turn comparisons into checks (one per comparison)."""
    return tuple(c.as_check() for c in comparisons)
