"""The contract every public function of ``theory`` and ``simulate`` is fuzzed against (issue 14), and its tallies.

Contract (README, *Mutual-information estimators*): a call either returns a finite value, or raises ``ValueError`` /
``TypeError`` whose message names the offending parameter. Any other exception is a *crash*; an error that does not
name the parameter is *unnamed*; NaN/inf in a result for finite input is *silent non-finite*; a bad value that is
accepted is *accepted*; a value that disagrees with an independent reference is *wrong*.

:data:`TALLY` counts every input tried and every outcome over a session; the root ``conftest.py`` prints it.
"""

from __future__ import annotations

import collections
import dataclasses
import inspect
import math
import numbers
import os

import numpy as np

TALLY: collections.Counter = collections.Counter()
#: Hypothesis examples per fuzz test: ``--fuzz-examples N`` (root conftest.py); 25 in the default run.
FUZZ_EXAMPLES = int(os.environ.get("IBTHEORY_FUZZ_EXAMPLES", "25"))
OUTCOMES = ("tried", "returned", "refused", "crash", "unnamed", "silent_nonfinite", "accepted", "wrong")


class ContractViolation(AssertionError):
    """A call broke the contract; ``kind`` is one of :data:`OUTCOMES`."""

    def __init__(self, kind: str, message: str):
        super().__init__(f"{kind}: {message}")
        self.kind = kind


def nonfinite_parts(value, path: str = "result", depth: int = 0) -> list[str]:
    """Paths of NaN/inf numbers inside a result (floats, arrays, tuples, dicts, dataclasses; SymPy is skipped)."""
    if depth > 4:
        return []
    if isinstance(value, (bool, np.bool_, str, bytes)) or value is None:
        return []
    if isinstance(value, numbers.Real) and not isinstance(value, numbers.Integral):
        return [] if math.isfinite(float(value)) else [path]
    if isinstance(value, np.ndarray):
        if value.dtype.kind in "fc" and not np.all(np.isfinite(value)):
            return [path]
        return []
    if isinstance(value, (tuple, list)):
        return [p for i, v in enumerate(value[:50]) for p in nonfinite_parts(v, f"{path}[{i}]", depth + 1)]
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in nonfinite_parts(v, f"{path}[{k!r}]", depth + 1)]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [
            p
            for f in dataclasses.fields(value)
            for p in nonfinite_parts(getattr(value, f.name), f"{path}.{f.name}", depth + 1)
        ]
    if hasattr(value, "data_vars"):  # xarray.Dataset
        return [p for k in value.data_vars for p in nonfinite_parts(value[k].values, f"{path}.{k}", depth + 1)]
    return []


def call(fn, kwargs: dict, bad: str | None = None, *, allow_infinite: bool = False, pending: bool = False):
    """Call ``fn(**kwargs)`` and check the contract; `bad` names the parameter given a bad value (None: all valid).

    Returns the result (or None when refused). Raises :class:`ContractViolation` on a breach. `pending` cases (known
    breaches in modules fixed on another branch) are tallied separately, under ``pending <outcome>``.
    """
    tally = _PendingTally() if pending else TALLY
    return _call(fn, kwargs, bad, allow_infinite, tally)


class _PendingTally:
    def __getitem__(self, key: str) -> int:
        return TALLY[f"pending {key}"]

    def __setitem__(self, key: str, value: int) -> None:
        TALLY[f"pending {key}"] = value


def _call(fn, kwargs, bad, allow_infinite, TALLY):
    TALLY["tried"] += 1
    try:
        result = fn(**kwargs)
    except (ValueError, TypeError) as error:
        message = str(error)
        names = [bad] if bad is not None else list(inspect.signature(fn).parameters)
        if not any(_names(message, name) for name in names):
            TALLY["unnamed"] += 1
            raise ContractViolation(
                "unnamed", f"{fn.__module__}.{fn.__name__}: {type(error).__name__}({message!r}) names none of {names}"
            ) from error
        TALLY["refused"] += 1
        return None
    except Exception as error:
        TALLY["crash"] += 1
        raise ContractViolation(
            "crash", f"{fn.__module__}.{fn.__name__}({_show(kwargs)}) raised {type(error).__name__}: {error}"
        ) from error
    if bad is not None:
        TALLY["accepted"] += 1
        raise ContractViolation("accepted", f"{fn.__module__}.{fn.__name__} accepted {bad}={kwargs[bad]!r}")
    if not allow_infinite:
        parts = nonfinite_parts(result)
        if parts:
            TALLY["silent_nonfinite"] += 1
            raise ContractViolation(
                "silent_nonfinite", f"{fn.__module__}.{fn.__name__}({_show(kwargs)}) returned NaN/inf at {parts}"
            )
    TALLY["returned"] += 1
    return result


def wrong(message: str) -> ContractViolation:
    """Record a wrong answer (a value that disagrees with its reference) and return the exception to raise."""
    TALLY["wrong"] += 1
    return ContractViolation("wrong", message)


def _names(message: str, name: str) -> bool:
    # "noise_variance" is named by "noise_variance"; a parameter "X" must appear as a word
    return name in message if len(name) > 2 else f"{name} " in message or f"{name}[" in message


def _show(kwargs: dict) -> str:
    parts = []
    for key, value in kwargs.items():
        text = repr(value)
        if isinstance(value, np.ndarray):
            text = f"array(shape={value.shape}, dtype={value.dtype})"
        parts.append(f"{key}={text[:60]}")
    return ", ".join(parts)


def summary() -> str:
    """The outcome counts for the terminal summary (the issue's own examples, run as regressions, on a second line)."""
    line = "fuzz contract: " + ", ".join(f"{k} {TALLY[k]}" for k in OUTCOMES)
    if TALLY["pending tried"]:
        line += "\nfuzz contract, the issue's examples in the three-neuron and generalization modules: " + ", ".join(
            f"{k} {TALLY['pending ' + k]}" for k in OUTCOMES
        )
    return line
