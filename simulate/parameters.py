"""Parameters of fully connected networks batched over seeds: initialisation and the flat layout.

Every kernel has shape ``(seed, fan_in, fan_out)`` and every bias ``(seed, fan_out)`` (seeds are a batch axis:
docs/design.md#conventions). :func:`init_params` draws network s only from the s-th generator, so a seed's weights
do not depend on the batch; :func:`params_from_flat` / :func:`flatten` view all parameters of a seed as one row of a
(seed, parameter) array, which the optimisers update in a few vectorised operations.

References
----------
.. [code] artemyk/ibsgd ``IBnet_SaveActivations`` (TruncatedNormal(stddev = 1/√width), output glorot_uniform);
   ravidziv/IDNNs (TruncatedNormal(stddev = 1/√fan_in)); docs/choices.md#a14.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from simulate.validation import real_array

__all__ = ["INIT_SCHEMES", "Params", "flatten", "init_params", "n_parameters", "params_from_flat"]

INIT_SCHEMES = ("ibsgd", "idnns")
"""Initialisations (docs/choices.md#a14): ``"ibsgd"`` hidden TruncatedNormal(std 1/√width), output glorot_uniform;
``"idnns"`` TruncatedNormal(std 1/√fan_in) in every layer. Biases start at zero in both."""


@dataclass(eq=False)
class Params:
    """The parameters of S networks of the same architecture.

    Attributes
    ----------
    W : list of numpy.ndarray
        Kernels, ``W[l]`` of shape (S, widths[l], widths[l+1]).
    b : list of numpy.ndarray
        Biases, ``b[l]`` of shape (S, widths[l+1]).
    """

    W: list[np.ndarray]
    b: list[np.ndarray]

    @property
    def n_seeds(self) -> int:
        """Number of networks S in the batch."""
        return int(self.W[0].shape[0])

    @property
    def widths(self) -> tuple[int, ...]:
        """Layer widths, input first: ``(12, 10, 7, 5, 4, 3, 2)`` for the SZT network."""
        return (int(self.W[0].shape[1]), *(int(w.shape[2]) for w in self.W))

    def copy(self) -> Params:
        """A deep copy."""
        return Params([w.copy() for w in self.W], [b.copy() for b in self.b])

    def select(self, seeds: slice | Sequence[int] | np.ndarray) -> Params:
        """The networks at the given positions of the seed axis (a copy)."""
        return Params([w[seeds].copy() for w in self.W], [b[seeds].copy() for b in self.b])


def _check_widths(widths: Sequence[int]) -> tuple[int, ...]:
    if isinstance(widths, (str, bytes)) or not hasattr(widths, "__iter__"):
        raise TypeError(f"widths must be a sequence of positive integers (layer widths), got {widths!r}")
    widths = tuple(widths)
    if len(widths) < 2:
        raise ValueError(f"widths must list at least an input and an output width, got {widths!r}")
    for w in widths:
        if isinstance(w, bool) or not isinstance(w, (int, np.integer)) or w <= 0:
            raise ValueError(f"widths must be positive integers, got {widths!r}")
    if widths[-1] < 2:
        raise ValueError(f"the softmax output needs at least 2 units (widths[-1] ≥ 2), got {widths!r}")
    return tuple(int(w) for w in widths)


def _truncated_normal(rng: np.random.Generator, std: float, shape: tuple[int, ...]) -> np.ndarray:
    """Normal(0, std²) redrawn beyond 2 std (TensorFlow's ``truncated_normal``; the std of the result is ≈0.88 std)."""
    values = rng.normal(0.0, std, size=shape)
    outside = np.abs(values) > 2.0 * std
    while np.any(outside):
        values[outside] = rng.normal(0.0, std, size=int(outside.sum()))
        outside = np.abs(values) > 2.0 * std
    return values


def init_params(widths: Sequence[int], rngs: Sequence[np.random.Generator], scheme: str = "ibsgd") -> Params:
    """Initialise one network per generator in `rngs`.

    Parameters
    ----------
    widths : sequence of int
        Layer widths, input first, output (softmax) last, e.g. ``(12, 10, 7, 5, 4, 3, 2)``.
    rngs : sequence of numpy.random.Generator
        One generator per seed; network s draws only from ``rngs[s]``, so its weights do not depend on which
        other seeds are in the batch.
    scheme : {"ibsgd", "idnns"}
        ``"ibsgd"`` (default, docs/choices.md#a14): hidden kernels TruncatedNormal(0, std = 1/√(layer width = fan-out)),
        truncated at 2 std; output kernel glorot_uniform (limit √(6/(fan_in + fan_out))). ``"idnns"``:
        TruncatedNormal(0, std = 1/√fan_in) in every layer. All biases zero.

    Returns
    -------
    Params
        Kernels (S, fan_in, fan_out) and biases (S, fan_out), float64.

    Raises
    ------
    ValueError
        If a width is not a positive integer, there are fewer than 2 output units, `rngs` is empty or holds
        something other than Generators, or `scheme` is unknown.

    References
    ----------
    .. [code] ibsgd ``IBnet_SaveActivations`` (TruncatedNormal(stddev=1/sqrt(n)), n the layer width); IDNNs
       ``model.py``. docs/choices.md#a14.

    Examples
    --------
    >>> p = init_params((12, 10, 2), [np.random.default_rng(s) for s in range(3)])
    >>> p.W[0].shape, p.b[1].shape
    ((3, 12, 10), (3, 2))
    """
    widths = _check_widths(widths)
    if isinstance(rngs, (str, bytes, np.random.Generator)) or not hasattr(rngs, "__iter__"):
        raise TypeError(f"rngs must be a non-empty sequence of numpy.random.Generator (one per seed), got {rngs!r}")
    rngs = list(rngs)
    if not rngs or not all(isinstance(r, np.random.Generator) for r in rngs):
        raise ValueError("rngs must be a non-empty sequence of numpy.random.Generator (one per seed)")
    if scheme not in INIT_SCHEMES:
        raise ValueError(f"scheme must be one of {INIT_SCHEMES}, got {scheme!r}")
    n_layers = len(widths) - 1
    W = [np.empty((len(rngs), widths[l], widths[l + 1])) for l in range(n_layers)]
    for s, rng in enumerate(rngs):
        for l in range(n_layers):
            fan_in, fan_out = widths[l], widths[l + 1]
            if scheme == "idnns":
                W[l][s] = _truncated_normal(rng, 1.0 / np.sqrt(fan_in), (fan_in, fan_out))
            elif l < n_layers - 1:
                W[l][s] = _truncated_normal(rng, 1.0 / np.sqrt(fan_out), (fan_in, fan_out))
            else:
                limit = np.sqrt(6.0 / (fan_in + fan_out))
                W[l][s] = rng.uniform(-limit, limit, size=(fan_in, fan_out))
    b = [np.zeros((len(rngs), widths[l + 1])) for l in range(n_layers)]
    return Params(W, b)


def n_parameters(widths: Sequence[int]) -> int:
    """Number of kernel and bias entries of a network with these widths (294 for the SZT network)."""
    widths = _check_widths(widths)
    return sum(widths[l] * widths[l + 1] + widths[l + 1] for l in range(len(widths) - 1))


def params_from_flat(flat: np.ndarray, widths: Sequence[int]) -> Params:
    """View a flat (seed, parameter) array as :class:`Params` (no copy; writes to the result write `flat`).

    The layout per seed is ``W_1, b_1, W_2, b_2, …``, each kernel in C order (fan_in, fan_out).

    Raises
    ------
    ValueError
        If `flat` is not 2-D with ``n_parameters(widths)`` columns.
    """
    widths = _check_widths(widths)
    flat = real_array("flat", flat, keep_float32=True)
    if flat.ndim != 2 or flat.shape[1] != n_parameters(widths):
        raise ValueError(f"flat must have shape (S, {n_parameters(widths)}) for widths {widths}, got {flat.shape}")
    S = flat.shape[0]
    W, b, offset = [], [], 0
    for l in range(len(widths) - 1):
        size = widths[l] * widths[l + 1]
        W.append(flat[:, offset : offset + size].reshape(S, widths[l], widths[l + 1]))
        offset += size
        b.append(flat[:, offset : offset + widths[l + 1]])
        offset += widths[l + 1]
    return Params(W, b)


def flatten(params) -> np.ndarray:
    """The (seed, parameter) array of `params` (or of gradients ``dW``, ``db``), layout of :func:`params_from_flat`."""
    W, b = (params.W, params.b) if isinstance(params, Params) else (params.dW, params.db)
    S = W[0].shape[0]
    return np.concatenate([part for w, c in zip(W, b) for part in (w.reshape(S, -1), c)], axis=1)
