"""Fully connected networks batched over seeds: forward pass, cross-entropy and backprop.

Seeds are a batch axis (docs/design.md#conventions): every kernel has shape ``(seed, fan_in, fan_out)`` and every bias
``(seed, fan_out)``, so S independent networks train in one NumPy run through ``np.matmul`` broadcasting. A
single network is the batch of one. Hidden layers use one activation of :mod:`simulate.activations`; the output
layer is a softmax (the paper's "two sigmoidal neurons" = softmax over 2 units, docs/choices.md#a2), trained with
categorical cross-entropy. Gradients are hand-written backprop (checked against finite differences in
``tests/test_network.py``), for the mean loss or per example / per minibatch of the kernels (App I,
docs/choices.md#a13). Initialisation and the flat parameter layout live in :mod:`simulate.parameters` (re-exported
here).

References
----------
.. [P] Saxe et al., "On the Information Bottleneck Theory of Deep Learning", ICLR 2018, §2, App I.
.. [code] artemyk/ibsgd ``IBnet_SaveActivations`` (init, docs/choices.md#a14); ravidziv/IDNNs (the alternative init).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulate.activations import Activation, get_activation
from simulate.parameters import INIT_SCHEMES, Params, flatten, init_params, n_parameters, params_from_flat
from simulate.validation import real_array

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
    "forward_unchecked",
    "group_kernel_gradients",
    "init_params",
    "layer_deltas",
    "n_parameters",
    "params_from_flat",
]


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


def _activation(activation: str | Activation) -> Activation:
    return activation if isinstance(activation, Activation) else get_activation(activation)


def _softmax(z: np.ndarray) -> np.ndarray:
    # Work on the class-first view (C, S, N): every broadcast and reduction then runs along the long N axis
    # instead of the 2-element class axis, which matters when S·N is large (NumPy's per-inner-loop cost).
    zt = np.moveaxis(z, -1, 0)
    e = np.exp(zt - zt.max(axis=0))
    e /= e.sum(axis=0)
    return np.moveaxis(e, 0, -1)


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
    .. [P] Saxe et al. (2018), §2 and docs/choices.md#a2 (softmax output).
    """
    f = _activation(activation)
    X = real_array("X", X)
    d = params.W[0].shape[1]
    if X.ndim not in (2, 3) or X.shape[-1] != d or (X.ndim == 3 and X.shape[0] != params.n_seeds):
        raise ValueError(f"X must have shape (N, {d}) or ({params.n_seeds}, N, {d}), got {X.shape}")
    if not np.all(np.isfinite(X)):
        raise ValueError("X must be finite (found NaN or inf inputs)")
    return forward_unchecked(params, X, f)


def forward_unchecked(params: Params, X: np.ndarray, f: Activation) -> ForwardPass:
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
    Y = real_array("Y", Y)
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


def layer_deltas(params: Params, forward_pass: ForwardPass, Y: np.ndarray, f: Activation) -> list[np.ndarray]:
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
    deltas = layer_deltas(params, forward_pass, Y, f)
    inputs = [np.asarray(X, dtype=np.float64), *forward_pass.post[:-1]]
    dW = [np.matmul(np.swapaxes(a, -1, -2), d) / n for a, d in zip(inputs, deltas)]
    ones = np.ones((1, n))
    db = [np.matmul(ones, d)[:, 0, :] / n for d in deltas]  # sums over examples via BLAS (long inner loops)
    return Gradients(dW, db)


def group_kernel_gradients(
    params: Params,
    forward_pass: ForwardPass,
    X: np.ndarray,
    Y: np.ndarray,
    activation: str | Activation,
    groups: np.ndarray,
) -> list[np.ndarray]:
    """Gradients of the kernels for each group of examples: per example, or per minibatch (App I, docs/choices.md#a13).

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
    .. [P] Saxe et al. (2018), App I, Eqs 26–27; docs/formulas.md#s3-10.
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
    deltas = layer_deltas(params, forward_pass, Y, f)
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
