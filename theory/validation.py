r"""Argument checks shared by the theory modules: each refuses bad input with a message naming the parameter.

Every public function of :mod:`theory` validates its numeric arguments here before any arithmetic, so that it
either returns a correct finite value or raises ``TypeError`` (wrong kind: strings, complex numbers, booleans,
objects that are not numbers) or ``ValueError`` (right kind, wrong value: NaN, infinities, out of range), with
the parameter's name and what is accepted. Strings are never converted (``"1.0"`` is refused, never parsed or
sympified); SymPy numbers are accepted as numbers and converted to floats first.
"""

from __future__ import annotations

import numbers

import numpy as np
import sympy as sp

__all__ = [
    "non_negative_number",
    "positive_integer",
    "positive_number",
    "real_array",
    "real_number",
    "times",
]


def _refuse_kind(value: object, name: str, accepted: str) -> None:
    if isinstance(value, (str, bytes)):
        raise TypeError(f"{name} must be {accepted}, got the string {value!r} (strings are not converted)")
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be {accepted}, got the boolean {value!r}")
    if isinstance(value, complex | np.complexfloating):
        raise TypeError(f"{name} must be {accepted} (real), got the complex number {value!r}")


def real_number(value: object, name: str) -> float:
    """`value` as a finite float.

    ``TypeError`` for strings, booleans, complex numbers and non-numbers; ``ValueError`` for NaN and infinities.

    Examples
    --------
    >>> real_number(2, "w"), real_number(sp.Rational(1, 2), "w")
    (2.0, 0.5)
    """
    accepted = "a finite real number"
    _refuse_kind(value, name, accepted)
    if isinstance(value, sp.Basic):
        if not (value.is_number and value.is_real is not False):
            raise TypeError(f"{name} must be {accepted}, got the SymPy expression {value!r}")
        value = sp.N(value)
        if value.is_real is False or not value.is_Number:
            raise TypeError(f"{name} must be {accepted}, got {value!r}")
    elif not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be {accepted}, got {type(value).__name__} {value!r}")
    out = float(value)
    if not np.isfinite(out):
        raise ValueError(f"{name} must be {accepted}, got {out!r}")
    return out


def positive_number(value: object, name: str) -> float:
    """`value` as a finite float > 0 (see :func:`real_number` for the refused kinds)."""
    out = real_number(value, name)
    if out <= 0:
        raise ValueError(f"{name} must be a finite number > 0, got {out!r}")
    return out


def non_negative_number(value: object, name: str) -> float:
    """`value` as a finite float ≥ 0 (see :func:`real_number` for the refused kinds)."""
    out = real_number(value, name)
    if out < 0:
        raise ValueError(f"{name} must be a finite number >= 0, got {out!r}")
    return out


def positive_integer(value: object, name: str) -> int:
    """`value` as an int ≥ 1; floats (even 3.0), booleans and strings are refused with ``TypeError``."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be a positive integer, got {type(value).__name__} {value!r}")
    if value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return int(value)


def real_array(value: object, name: str, *, finite: bool = True) -> np.ndarray:
    """`value` (a real number or array-like of real numbers) as a float64 array.

    Raises
    ------
    TypeError
        Strings, booleans, complex numbers, or anything whose elements are not real numbers.
    ValueError
        NaN or infinite entries (when `finite`), or a ragged sequence.
    """
    accepted = "a real number or an array of real numbers"
    _refuse_kind(value, name, accepted)
    if isinstance(value, sp.Basic):
        return np.asarray(real_number(value, name))
    try:
        raw = np.asarray(value)
    except ValueError:
        raise ValueError(f"{name} must be {accepted} (a rectangular array), got {value!r}") from None
    if raw.dtype.kind == "O":
        flat = [real_number(v, name) for v in raw.ravel()]
        return np.asarray(flat, dtype=float).reshape(raw.shape)
    if raw.dtype.kind not in "iuf":
        kind = {"b": "booleans", "c": "complex numbers", "U": "strings", "S": "strings"}.get(raw.dtype.kind, raw.dtype)
        raise TypeError(f"{name} must be {accepted}, got an array of {kind}")
    out = raw.astype(float)
    if finite and not np.all(np.isfinite(out)):
        raise ValueError(f"{name} must be finite (no NaN or inf), got {value!r}")
    return out


def times(value: object, name: str = "t") -> np.ndarray:
    """Times as a float64 array, finite and ≥ 0."""
    out = real_array(value, name)
    if np.any(out < 0):
        raise ValueError(f"{name} must be finite and >= 0, got a minimum of {out.min()!r}")
    return out
