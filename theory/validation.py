"""Input validation shared by the public functions of :mod:`theory` (one validation layer, issue 14).

The same contract as :mod:`simulate.validation` (the two packages never import each other), plus the conversion
of values that reach SymPy: :func:`sympy_value` and :func:`sympy_matrix` accept numbers and SymPy objects and
refuse strings, so nothing a user passes is ever parsed or evaluated.

Every checker takes the parameter's *name* first and raises ``TypeError`` (wrong kind of value: a string, a complex
number, an object that is not a number) or ``ValueError`` (right kind, outside the accepted range) with a message
that names the parameter and says what is accepted. Nothing is evaluated: strings are refused, never parsed.

Examples
--------
>>> positive_float("noise_variance", 0.1)
0.1
>>> integer("k", 2.0, minimum=1)
2
>>> positive_float("noise_variance", "0.1")
Traceback (most recent call last):
...
TypeError: noise_variance must be a real number > 0, got the str '0.1'
"""

from __future__ import annotations

import math
import numbers
import operator

import numpy as np
import sympy as sp

__all__ = [
    "choice",
    "generator",
    "integer",
    "label_codes",
    "non_negative_number",
    "positive_float",
    "positive_integer",
    "positive_number",
    "real_array",
    "real_float",
    "real_number",
    "sympy_matrix",
    "sympy_value",
    "times",
]


def _describe(value: object) -> str:
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"the {type(value).__name__} {text}"


def _is_real_scalar(value: object) -> bool:
    if isinstance(value, (bool, np.bool_)):
        return True
    if isinstance(value, numbers.Real):
        return True
    return (
        isinstance(value, np.generic)
        and np.issubdtype(np.asarray(value).dtype, np.number)
        and not np.iscomplexobj(value)
    )


def real_float(
    name: str,
    value: object,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
    strict_minimum: bool = False,
    finite: bool = True,
) -> float:
    """A real number as a Python float, optionally within ``[minimum, maximum]`` (``(minimum, …]`` if strict).

    Parameters
    ----------
    name : str
        Parameter name used in the error message.
    value : object
        The value to check; bools, strings, complex numbers and arrays of size ≠ 1 are refused.
    minimum, maximum : float, optional
        Accepted range.
    strict_minimum : bool
        Whether `minimum` itself is excluded.
    finite : bool
        Whether NaN and ±inf are refused (default True; NaN is always refused).

    Returns
    -------
    float
    """
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value[()]
    if isinstance(value, (bool, np.bool_)) or not _is_real_scalar(value):
        raise TypeError(
            f"{name} must be a real number{_range_text(minimum, maximum, strict_minimum)}, got {_describe(value)}"
        )
    try:
        number = float(value)  # type: ignore[arg-type]
    except OverflowError:  # a huge Python int
        number = math.copysign(math.inf, value)  # type: ignore[arg-type]
    if math.isnan(number) or (finite and math.isinf(number)):
        raise ValueError(
            f"{name} must be a finite real number{_range_text(minimum, maximum, strict_minimum)}, got {value}"
        )
    low_bad = minimum is not None and (number <= minimum if strict_minimum else number < minimum)
    if low_bad or (maximum is not None and number > maximum):
        raise ValueError(f"{name} must be a real number{_range_text(minimum, maximum, strict_minimum)}, got {value}")
    return number


def _range_text(minimum: float | None, maximum: float | None, strict: bool) -> str:
    parts = []
    if minimum is not None:
        parts.append(f"{'>' if strict else '>='} {minimum:g}")
    if maximum is not None:
        parts.append(f"<= {maximum:g}")
    return (" " + " and ".join(parts)) if parts else ""


def positive_float(name: str, value: object, *, maximum: float | None = None) -> float:
    """A finite real number > 0 (see :func:`real_float`)."""
    return real_float(name, value, minimum=0.0, maximum=maximum, strict_minimum=True)


def integer(name: str, value: object, *, minimum: int | None = None, maximum: int | None = None) -> int:
    """An integer (Python/NumPy int, or an integral real such as 3.0) within ``[minimum, maximum]``.

    Bools and strings are refused (``TypeError``), as are fractional values such as 2.5 (``ValueError``).
    """
    range_text = _range_text(minimum, maximum, False)
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value[()]
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be an integer{range_text}, got {_describe(value)}")
    try:
        number = operator.index(value)  # type: ignore[arg-type]
    except TypeError:
        if not _is_real_scalar(value):
            raise TypeError(f"{name} must be an integer{range_text}, got {_describe(value)}") from None
        as_float = float(value)  # type: ignore[arg-type]
        if not math.isfinite(as_float) or as_float != math.floor(as_float):
            raise ValueError(f"{name} must be an integer{range_text}, got {value}") from None
        number = int(as_float)
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        raise ValueError(f"{name} must be an integer{range_text}, got {number}")
    return number


def real_array(
    name: str,
    value: object,
    *,
    ndim: int | tuple[int, ...] | None = None,
    min_size: int = 0,
    finite: bool = True,
    keep_float32: bool = False,
) -> np.ndarray:
    """A real-valued NumPy array (integer or floating entries, or SymPy numbers), as float64 (or float32 if kept).

    Parameters
    ----------
    name : str
        Parameter name used in the error message.
    value : array_like
        Strings, booleans, complex numbers and non-numbers are refused with ``TypeError``.
    ndim : int or tuple of int, optional
        Accepted numbers of dimensions.
    min_size : int
        Smallest accepted number of entries.
    finite : bool
        Whether NaN/inf are refused.
    keep_float32 : bool
        Keep a float32 input as float32 (default: convert to float64).

    Returns
    -------
    numpy.ndarray
    """
    _refuse_kind(name, value, "a real number or an array of real numbers")
    if isinstance(value, sp.Basic):
        return np.asarray(real_number(name, value))
    try:
        array = np.asarray(value)
    except (ValueError, TypeError) as error:  # ragged nested sequences
        raise ValueError(f"{name} must be a rectangular array of real numbers, got {_describe(value)}") from error
    if array.dtype.kind == "O":  # e.g. SymPy numbers: each converted (and checked) on its own
        array = np.asarray([real_number(name, v) for v in array.ravel()], dtype=float).reshape(array.shape)
    kind = array.dtype.kind
    if kind not in "iuf":
        what = {"b": "booleans", "c": "complex numbers", "U": "strings", "S": "strings"}.get(
            kind, f"dtype {array.dtype}"
        )
        raise TypeError(f"{name} must be an array of real numbers, got an array of {what} ({_describe(value)})")
    if ndim is not None:
        accepted = (ndim,) if isinstance(ndim, int) else tuple(ndim)
        if array.ndim not in accepted:
            raise ValueError(
                f"{name} must have {' or '.join(map(str, accepted))} dimension(s), got shape {array.shape}"
            )
    if array.size < min_size:
        raise ValueError(f"{name} must have at least {min_size} entries, got shape {array.shape}")
    if not (keep_float32 and array.dtype == np.float32):
        array = array.astype(np.float64, copy=False)
    if finite and not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must be finite (no NaN or inf)")
    return array


def label_codes(name: str, value: object, n_samples: int) -> np.ndarray:
    """Class labels of shape (N,) as dense int64 codes 0, 1, …, independent of how the labels are encoded.

    Integer and bool labels and integral floats (e.g. 1e300) are accepted; two labels are the same class exactly
    when they are equal. Fractional, NaN/inf, string or complex labels are refused.
    """
    try:
        labels = np.asarray(value)
    except (ValueError, TypeError) as error:
        raise ValueError(f"{name} must be a 1-D array of integer class labels, got {_describe(value)}") from error
    if labels.ndim != 1 or labels.shape[0] != n_samples:
        raise ValueError(f"{name} must have shape ({n_samples},) to match the activity, got shape {labels.shape}")
    kind = labels.dtype.kind
    if kind == "f":
        if not np.all(np.isfinite(labels)) or np.any(labels != np.floor(labels)):
            raise ValueError(f"{name} must be integer class labels (integral values), got non-integral floats")
    elif kind not in "biu":
        raise TypeError(f"{name} must be integer class labels (one per sample), got dtype {labels.dtype}")
    _, codes = np.unique(labels, return_inverse=True)
    return codes.reshape(-1).astype(np.int64, copy=False)


def choice(name: str, value: object, accepted: tuple[str, ...] | list[str]) -> str:
    """One of the accepted strings (``TypeError`` for a non-string, ``ValueError`` for an unknown one)."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be one of {', '.join(map(repr, accepted))}, got {_describe(value)}")
    if value not in accepted:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, accepted))}, got {value!r}")
    return value


def generator(name: str, value: object) -> np.random.Generator:
    """A ``numpy.random.Generator`` (seeds and legacy ``RandomState`` are refused: randomness is explicit)."""
    if not isinstance(value, np.random.Generator):
        raise TypeError(
            f"{name} must be a numpy.random.Generator (e.g. np.random.default_rng(0)), got {_describe(value)}"
        )
    return value


def sympy_value(name: str, value: object, *, allow_complex: bool = False) -> sp.Basic:
    """A SymPy object for `value`: SymPy expressions pass unchanged, numbers become SymPy numbers.

    Strings (and bytes) are refused with ``TypeError`` and never parsed; so are other objects that are neither
    numbers nor SymPy expressions, and complex numbers unless `allow_complex`. NaN is refused (``ValueError``).
    """
    if isinstance(value, sp.Basic):
        if isinstance(value, sp.MatrixBase):
            raise TypeError(f"{name} must be a scalar number or SymPy expression, got a matrix")
        return value
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value[()]
    if isinstance(value, (bool, np.bool_)):
        return sp.Integer(int(value))
    if isinstance(value, numbers.Integral) or (isinstance(value, np.generic) and np.asarray(value).dtype.kind in "iu"):
        return sp.Integer(int(value))  # type: ignore[arg-type]
    if isinstance(value, numbers.Real) or (isinstance(value, np.generic) and np.asarray(value).dtype.kind == "f"):
        number = float(value)  # type: ignore[arg-type]
        if math.isnan(number):
            raise ValueError(f"{name} must not be NaN")
        return sp.Float(number) if math.isfinite(number) else (sp.oo if number > 0 else -sp.oo)
    if allow_complex and isinstance(value, numbers.Complex):
        return sp.Float(value.real) + sp.I * sp.Float(value.imag)  # type: ignore[attr-defined]
    raise TypeError(f"{name} must be a number or a SymPy expression (strings are not parsed), got {_describe(value)}")


def sympy_matrix(name: str, value: object) -> sp.Matrix:
    """A SymPy matrix whose entries went through :func:`sympy_value` (strings refused, never sympified).

    Accepts a SymPy matrix, a NumPy array of real numbers or a nested sequence (rows) of numbers/expressions.
    """
    if isinstance(value, sp.MatrixBase):
        rows = value.tolist()
    elif isinstance(value, np.ndarray):
        if value.dtype.kind not in "biufO":
            raise TypeError(f"{name} must be a matrix of numbers or SymPy expressions, got dtype {value.dtype}")
        if value.ndim != 2:
            raise ValueError(f"{name} must be a 2-D matrix, got shape {value.shape}")
        rows = value.tolist()
    elif isinstance(value, (list, tuple)):
        rows = [list(row) if isinstance(row, (list, tuple, np.ndarray)) else [row] for row in value]
    else:
        raise TypeError(f"{name} must be a matrix (SymPy Matrix, NumPy array or nested list), got {_describe(value)}")
    if not rows or any(len(row) != len(rows[0]) for row in rows) or len(rows[0]) == 0:
        raise ValueError(f"{name} must be a non-empty rectangular matrix")
    return sp.Matrix([[sympy_value(f"{name}[{i}, {j}]", v) for j, v in enumerate(row)] for i, row in enumerate(rows)])


def _refuse_kind(name: str, value: object, accepted: str) -> None:
    if isinstance(value, (str, bytes)):
        raise TypeError(f"{name} must be {accepted}, got the string {value!r} (strings are not converted)")
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be {accepted}, got the boolean {value!r}")
    if isinstance(value, complex | np.complexfloating):
        raise TypeError(f"{name} must be {accepted} (real), got the complex number {value!r}")


def real_number(name: str, value: object) -> float:
    """`value` as a finite float; SymPy numbers are evaluated, SymPy expressions with symbols refused.

    ``TypeError`` for strings, booleans, complex numbers and non-numbers; ``ValueError`` for NaN and infinities.

    Examples
    --------
    >>> real_number("w", 2), real_number("w", sp.Rational(1, 2))
    (2.0, 0.5)
    """
    accepted = "a finite real number"
    _refuse_kind(name, value, accepted)
    if isinstance(value, sp.Basic):
        if not (value.is_number and value.is_real is not False):
            raise TypeError(f"{name} must be {accepted}, got the SymPy expression {value!r}")
        value = sp.N(value)
        if value.is_real is False or not value.is_Number:
            raise TypeError(f"{name} must be {accepted}, got {value!r}")
    elif isinstance(value, np.ndarray) and value.ndim == 0:
        value = value[()]
        _refuse_kind(name, value, accepted)
    if not isinstance(value, (numbers.Real, sp.Basic)) and not _is_real_scalar(value):
        raise TypeError(f"{name} must be {accepted}, got {type(value).__name__} {value!r}")
    out = float(value)
    if not np.isfinite(out):
        raise ValueError(f"{name} must be {accepted}, got {out!r}")
    return out


def positive_number(name: str, value: object) -> float:
    """`value` as a finite float > 0 (see :func:`real_number` for the refused kinds)."""
    out = real_number(name, value)
    if out <= 0:
        raise ValueError(f"{name} must be a finite number > 0, got {out!r}")
    return out


def non_negative_number(name: str, value: object) -> float:
    """`value` as a finite float ≥ 0 (see :func:`real_number` for the refused kinds)."""
    out = real_number(name, value)
    if out < 0:
        raise ValueError(f"{name} must be a finite number >= 0, got {out!r}")
    return out


def positive_integer(name: str, value: object) -> int:
    """`value` as an int ≥ 1; floats (even 3.0), booleans and strings are refused with ``TypeError``."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be a positive integer, got {type(value).__name__} {value!r}")
    if value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return int(value)


def times(name: str, value: object) -> np.ndarray:
    """Times as a float64 array, finite and ≥ 0."""
    out = real_array(name, value)
    if np.any(out < 0):
        raise ValueError(f"{name} must be finite and >= 0, got a minimum of {out.min()!r}")
    return out
