"""Input validation shared by the public functions of :mod:`simulate` (one validation layer, issue 14).

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

__all__ = [
    "choice",
    "generator",
    "generators",
    "integer",
    "integer_sequence",
    "label_codes",
    "positive_float",
    "real_array",
    "real_float",
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
    """A real-valued NumPy array (bool, integer or floating entries), as float64 (or float32 if kept).

    Parameters
    ----------
    name : str
        Parameter name used in the error message.
    value : array_like
        Strings, complex numbers and objects are refused with ``TypeError``.
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
    try:
        array = np.asarray(value)
    except (ValueError, TypeError) as error:  # ragged nested sequences
        raise ValueError(f"{name} must be a rectangular array of real numbers, got {_describe(value)}") from error
    kind = array.dtype.kind
    if kind not in "biuf":
        raise TypeError(f"{name} must be an array of real numbers, got dtype {array.dtype} ({_describe(value)})")
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


def generators(name: str, value: object, *, minimum: int = 1) -> list[np.random.Generator]:
    """A sequence of at least `minimum` ``numpy.random.Generator`` objects (one per seed)."""
    if isinstance(value, (str, bytes, np.random.Generator)) or not hasattr(value, "__len__"):
        raise TypeError(f"{name} must be a sequence of numpy.random.Generator (one per seed), got {_describe(value)}")
    items = list(value)  # type: ignore[call-overload]
    if len(items) < minimum:
        raise ValueError(f"{name} must hold at least {minimum} numpy.random.Generator, got {len(items)}")
    for index, item in enumerate(items):
        generator(f"{name}[{index}]", item)
    return items


def integer_sequence(name: str, value: object, *, minimum: int | None = None, min_length: int = 0) -> tuple[int, ...]:
    """A sequence of integers (each checked by :func:`integer`), e.g. layer widths or logged epochs."""
    if isinstance(value, (str, bytes)) or value is None or not hasattr(value, "__iter__"):
        raise TypeError(f"{name} must be a sequence of integers, got {_describe(value)}")
    items = tuple(integer(f"{name}[{i}]", v, minimum=minimum) for i, v in enumerate(value))  # type: ignore[attr-defined]
    if len(items) < min_length:
        raise ValueError(f"{name} must hold at least {min_length} integers, got {len(items)}")
    return items
