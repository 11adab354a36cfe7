"""Which epochs to log: ibsgd's schedule, log-spaced epochs, and validation of a user's list.

An epoch number e means "after e completed epochs of training"; e = 0 is the initial network.

References
----------
.. [code] artemyk/ibsgd ``IBnet_SaveActivations`` ``do_save_func`` (docs/figures.md#szt-setting: < 20 every epoch, < 100
   every 5, < 2000 every 20, then every 100); IDNNs logs 400 log-spaced epochs.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np

__all__ = ["check_logged_epochs", "ibsgd_logged_epochs", "log_spaced_epochs"]


def _check_epochs(epochs: int) -> int:
    if isinstance(epochs, bool) or not isinstance(epochs, (int, np.integer)) or epochs < 1:
        raise ValueError(f"epochs must be an integer ≥ 1, got {epochs!r}")
    return int(epochs)


def ibsgd_logged_epochs(epochs: int) -> tuple[int, ...]:
    """Ibsgd's logged epochs for a run of `epochs` epochs, plus the final epoch.

    ibsgd logs epoch e < `epochs` when e < 20, or e < 100 and e % 5 == 0, or e < 2000 and e % 20 == 0, or
    e % 100 == 0. The final network (e = `epochs`) is appended so that "final value" means the trained network.

    Parameters
    ----------
    epochs : int
        Length of the run, ≥ 1.

    Returns
    -------
    tuple of int
        Increasing epochs starting at 0 (212 of them for 10 000 epochs).

    Raises
    ------
    ValueError
        If `epochs` is not an integer ≥ 1.

    Examples
    --------
    >>> ibsgd_logged_epochs(30)
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 25, 30)
    >>> len(ibsgd_logged_epochs(10000))
    212
    """
    epochs = _check_epochs(epochs)
    kept = [
        e for e in range(epochs) if e < 20 or (e < 100 and e % 5 == 0) or (e < 2000 and e % 20 == 0) or e % 100 == 0
    ]
    return (*kept, epochs)


def log_spaced_epochs(epochs: int, n: int) -> tuple[int, ...]:
    """About `n` epochs evenly spaced in log(1 + e) from 0 to `epochs` (IDNNs-style logging).

    Parameters
    ----------
    epochs : int
        Length of the run, ≥ 1.
    n : int
        Requested number of logged epochs, ≥ 2 (fewer are returned when rounding merges early epochs).

    Returns
    -------
    tuple of int
        Distinct increasing epochs including 0 and `epochs`.

    Raises
    ------
    ValueError
        If `epochs` < 1 or `n` < 2.

    Examples
    --------
    >>> log_spaced_epochs(1000, 8)
    (0, 2, 6, 18, 51, 138, 372, 1000)
    """
    epochs = _check_epochs(epochs)
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 2:
        raise ValueError(f"n must be an integer ≥ 2, got {n!r}")
    values = np.unique(np.rint(np.expm1(np.linspace(0.0, np.log1p(epochs), n))).astype(np.int64))
    return tuple(int(v) for v in values)


def check_logged_epochs(logged_epochs: Sequence[int], epochs: int) -> tuple[int, ...]:
    """Validate a list of logged epochs for a run of `epochs` epochs.

    Raises
    ------
    ValueError
        If the list is empty, not strictly increasing integers, or outside [0, `epochs`].
    """
    epochs = _check_epochs(epochs)
    if isinstance(logged_epochs, (str, bytes)) or not hasattr(logged_epochs, "__iter__"):
        raise TypeError(f"logged_epochs must be a non-empty sequence of integers, got {logged_epochs!r}")
    values = tuple(logged_epochs)
    if not values or not all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in values):
        raise ValueError(f"logged_epochs must be a non-empty sequence of integers, got {logged_epochs!r}")
    values = tuple(int(v) for v in values)
    if any(b <= a for a, b in itertools.pairwise(values)) or values[0] < 0 or values[-1] > epochs:
        raise ValueError(f"logged_epochs must be strictly increasing within [0, epochs = {epochs}], got {values!r}")
    return values
