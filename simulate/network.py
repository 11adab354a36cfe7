"""Fully connected networks batched over seeds: initialisation, forward pass, cross-entropy and backprop.

Seeds are a batch axis (design.md §3): every kernel has shape ``(seed, fan_in, fan_out)`` and every bias
``(seed, fan_out)``, so S independent networks train in one NumPy run through ``np.matmul`` broadcasting. A
single network is the batch of one. Hidden layers use one activation of :mod:`simulate.activations`; the output
layer is a softmax (the paper's "two sigmoidal neurons" = softmax over 2 units, spec A2), trained with
categorical cross-entropy. Gradients are hand-written backprop (checked against finite differences in
``tests/test_network.py``), for the mean loss or per example / per minibatch of the kernels (App I, A13).

References
----------
.. [P] Saxe et al., "On the Information Bottleneck Theory of Deep Learning", ICLR 2018, §2, App I.
.. [code] artemyk/ibsgd ``IBnet_SaveActivations`` (init, spec A14); ravidziv/IDNNs (the alternative init).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from simulate.activations import Activation, get_activation

__all__ = [
    "INIT_SCHEMES",
    "ForwardPass",
    "Gradients",
    "Params",
    "accuracy",
    "backward",
    "cross_entropy",
    "flatten",
    "forward",
    "group_kernel_gradients",
    "init_params",
    "n_parameters",
    "params_from_flat",
]

INIT_SCHEMES = ("ibsgd", "idnns")
"""Initialisations (spec A14): ``"ibsgd"`` hidden TruncatedNormal(std 1/√width), output glorot_uniform;
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
    flat = np.asarray(flat)
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


def flatten(params: Params | Gradients) -> np.ndarray:
    """The (seed, parameter) array of `params` (or of gradients) in the layout of :func:`params_from_flat`."""
    W, b = (params.W, params.b) if isinstance(params, Params) else (params.dW, params.db)
    S = W[0].shape[0]
    return np.concatenate([part for w, c in zip(W, b) for part in (w.reshape(S, -1), c)], axis=1)


@dataclass(frozen=True, eq=False)
class ForwardPass:
    """Every layer's pre-activations and activations.

    Attributes
    ----------
    pre : list of numpy.ndarray
        Net inputs ``z_l = a_{l-1} W_l + b_l``, each of shape (S, N, widths[l+1]).
    post : list of numpy.ndarray
        Activities ``a_l = f(z_l)``; the last entry is the softmax output (class probabilities).
    """

    pre: list[np.ndarray]
    post: list[np.ndarray]

    @property
    def probabilities(self) -> np.ndarray:
        """Softmax output, shape (S, N, n_classes)."""
        return self.post[-1]


@dataclass(frozen=True, eq=False)
class Gradients:
    """Gradients of the mean cross-entropy, shaped like :class:`Params` (``dW[l]``, ``db[l]``)."""

    dW: list[np.ndarray]
    db: list[np.ndarray]


def _check_widths(widths: Sequence[int]) -> tuple[int, ...]:
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
        ``"ibsgd"`` (default, spec A14): hidden kernels TruncatedNormal(0, std = 1/√(layer width = fan-out)),
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
       ``model.py``. Spec A14.

    Examples
    --------
    >>> p = init_params((12, 10, 2), [np.random.default_rng(s) for s in range(3)])
    >>> p.W[0].shape, p.b[1].shape
    ((3, 12, 10), (3, 2))
    """
    widths = _check_widths(widths)
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


def _activation(activation: str | Activation) -> Activation:
    return activation if isinstance(activation, Activation) else get_activation(activation)


def _softmax(z: np.ndarray) -> np.ndarray:
    shifted = z - z.max(axis=-1, keepdims=True)
    e = np.exp(shifted)
    return e / e.sum(axis=-1, keepdims=True)


def forward(params: Params, X: np.ndarray, activation: str | Activation) -> ForwardPass:
    """Run S networks on a batch of inputs.

    Parameters
    ----------
    params : Params
        S networks.
    X : numpy.ndarray
        Inputs, shape (N, widths[0]) shared by every seed, or (S, N, widths[0]) one batch per seed.
    activation : str or Activation
        Hidden-layer nonlinearity (``"tanh"``, ``"relu"``, ``"softsign"``, ``"softplus"``, ``"linear"``).

    Returns
    -------
    ForwardPass
        Pre-activations and activations of every layer, each (S, N, width); the last activation is the softmax.

    Raises
    ------
    ValueError
        If `X` has the wrong shape or non-finite entries, or `activation` is unknown.

    References
    ----------
    .. [P] Saxe et al. (2018), §2 and spec A2 (softmax output).
    """
    f = _activation(activation)
    X = np.asarray(X, dtype=np.float64)
    d = params.W[0].shape[1]
    if X.ndim not in (2, 3) or X.shape[-1] != d or (X.ndim == 3 and X.shape[0] != params.n_seeds):
        raise ValueError(f"X must have shape (N, {d}) or ({params.n_seeds}, N, {d}), got {X.shape}")
    if not np.all(np.isfinite(X)):
        raise ValueError("X must be finite (found NaN or inf inputs)")
    return _forward(params, X, f)


def _forward(params: Params, X: np.ndarray, f: Activation) -> ForwardPass:
    """:func:`forward` without input checks (the training loop's inner call)."""
    pre: list[np.ndarray] = []
    post: list[np.ndarray] = []
    a = X
    last = len(params.W) - 1
    for l, (W, b) in enumerate(zip(params.W, params.b)):
        z = np.matmul(a, W)
        z += b[:, None, :]
        a = _softmax(z) if l == last else f.forward(z)
        pre.append(z)
        post.append(a)
    return ForwardPass(pre, post)


def _targets(Y: np.ndarray, probabilities: np.ndarray) -> np.ndarray:
    Y = np.asarray(Y, dtype=np.float64)
    if Y.ndim not in (2, 3) or Y.shape != probabilities.shape[-Y.ndim :]:
        raise ValueError(
            f"Y must be one-hot of shape {probabilities.shape[1:]} or {probabilities.shape}, got {Y.shape}"
        )
    return Y


def cross_entropy(forward_pass: ForwardPass, Y: np.ndarray) -> np.ndarray:
    """Mean categorical cross-entropy of each network, in nats.

    Parameters
    ----------
    forward_pass : ForwardPass
        Output of :func:`forward`.
    Y : numpy.ndarray
        One-hot targets, (N, n_classes) or (S, N, n_classes).

    Returns
    -------
    numpy.ndarray
        Loss per seed, shape (S,), nats (divide by ln 2 for bits, as ibsgd's plots do).
    """
    z = forward_pass.pre[-1]
    Y = _targets(Y, z)
    zmax = z.max(axis=-1, keepdims=True)
    log_p = z - zmax - np.log(np.exp(z - zmax).sum(axis=-1, keepdims=True))
    return -(Y * log_p).sum(axis=-1).mean(axis=-1)


def accuracy(forward_pass: ForwardPass, Y: np.ndarray) -> np.ndarray:
    """Fraction of examples whose most probable class is the target class, per seed, shape (S,)."""
    p = forward_pass.probabilities
    Y = _targets(Y, p)
    return (p.argmax(axis=-1) == np.broadcast_to(Y, p.shape).argmax(axis=-1)).mean(axis=-1)


def _output_deltas(params: Params, forward_pass: ForwardPass, Y: np.ndarray, f: Activation) -> list[np.ndarray]:
    """∂(per-example loss)/∂z_l for every layer, each (S, N, width)."""
    p = forward_pass.probabilities
    delta = p - _targets(Y, p)
    deltas = [delta]
    for l in range(len(params.W) - 1, 0, -1):
        delta = np.matmul(delta, np.swapaxes(params.W[l], 1, 2))
        if f.name == "tanh":  # f'(z) = 1 − tanh²(z) from the stored activity: saves recomputing tanh
            a = forward_pass.post[l - 1]
            delta *= 1.0 - a * a
        else:
            delta *= f.derivative(forward_pass.pre[l - 1])
        deltas.append(delta)
    return deltas[::-1]


def backward(
    params: Params, forward_pass: ForwardPass, X: np.ndarray, Y: np.ndarray, activation: str | Activation
) -> Gradients:
    """Gradients of the mean cross-entropy (:func:`cross_entropy`) with respect to every kernel and bias.

    Parameters
    ----------
    params : Params
        The networks.
    forward_pass : ForwardPass
        ``forward(params, X, activation)``.
    X : numpy.ndarray
        The inputs of that forward pass, (N, d) or (S, N, d).
    Y : numpy.ndarray
        One-hot targets, (N, n_classes) or (S, N, n_classes).
    activation : str or Activation
        The hidden nonlinearity used in the forward pass.

    Returns
    -------
    Gradients
        ``dW[l]`` (S, fan_in, fan_out) and ``db[l]`` (S, fan_out), in nats per unit parameter.
    """
    f = _activation(activation)
    n = forward_pass.pre[0].shape[1]
    deltas = _output_deltas(params, forward_pass, Y, f)
    inputs = [np.asarray(X, dtype=np.float64), *forward_pass.post[:-1]]
    dW = [np.matmul(np.swapaxes(a, -1, -2), d) / n for a, d in zip(inputs, deltas)]
    db = [d.sum(axis=1) / n for d in deltas]
    return Gradients(dW, db)


def group_kernel_gradients(
    params: Params,
    forward_pass: ForwardPass,
    X: np.ndarray,
    Y: np.ndarray,
    activation: str | Activation,
    groups: np.ndarray,
) -> list[np.ndarray]:
    """Gradients of the kernels for each group of examples: per example, or per minibatch (App I, spec A13).

    The gradient of a group is the gradient of the mean loss over the group's examples. Groups of size 1 give
    per-example gradients ("across all training samples", App I Eqs 26–27); groups of the SGD batch size give
    per-minibatch gradients (the ibsgd / Figs 9–10 statistic).

    Parameters
    ----------
    params, forward_pass, X, Y, activation
        As for :func:`backward`; `X` and `Y` are the examples of the forward pass.
    groups : numpy.ndarray
        Integer indices into the N examples, shape (G, B) (the same groups for every seed) or (S, G, B).

    Returns
    -------
    list of numpy.ndarray
        Per layer, kernel gradients of shape (S, G, fan_in, fan_out).

    Raises
    ------
    ValueError
        If `groups` is not an integer array of shape (G, B) or (S, G, B) with indices in range.

    References
    ----------
    .. [P] Saxe et al. (2018), App I, Eqs 26–27; spec §3.10.
    """
    f = _activation(activation)
    S, n = forward_pass.pre[0].shape[:2]
    groups = np.asarray(groups)
    if (
        not np.issubdtype(groups.dtype, np.integer)
        or groups.ndim not in (2, 3)
        or (groups.ndim == 3 and groups.shape[0] != S)
        or groups.size == 0
    ):
        raise ValueError(f"groups must be an integer array of shape (G, B) or ({S}, G, B), got {groups.shape}")
    if groups.min() < 0 or groups.max() >= n:
        raise ValueError(f"groups must index the {n} examples of the forward pass (0..{n - 1})")
    deltas = _output_deltas(params, forward_pass, Y, f)
    X = np.asarray(X, dtype=np.float64)
    inputs = [np.broadcast_to(X, (S, *X.shape[-2:])), *forward_pass.post[:-1]]
    seed_index = np.arange(S)[:, None, None]
    out = []
    for a, d in zip(inputs, deltas):
        if groups.ndim == 2:
            a_g, d_g = a[:, groups], d[:, groups]
        else:
            a_g, d_g = a[seed_index, groups], d[seed_index, groups]
        out.append(np.einsum("sgbi,sgbo->sgio", a_g, d_g) / groups.shape[-1])
    return out
