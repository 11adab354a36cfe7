r"""A deep linear student without biases, batched over seeds: initialisation, gradients and GD/SGD epochs.

The student is :math:`\hat Y=W_{D+1}\cdots W_1X` (docs/formulas.md#s3-3). Weights are a list of arrays of shape
``(S, n_out, n_in)`` whose leading axis indexes independent runs (seeds), so S runs advance together in one
``np.matmul`` call (docs/design.md#conventions); every seed draws from its own :class:`numpy.random.Generator`, so
a seed's trajectory is the same whether it runs alone or in a batch. The loss of a batch B is the mean over its examples
of :math:`\tfrac12\lVert y-\hat y\rVert^2`; one SGD step with learning rate η therefore advances gradient-flow
time of the *summed* loss (docs/formulas.md#s3-6–#s3-7) by η/B, and one full-batch step by η/P.

References
----------
.. [P] Saxe et al., "On the Information Bottleneck Theory of Deep Learning", ICLR 2018, §3, §4, App H–I.
.. [SMG14] Saxe, McClelland & Ganguli, ICLR 2014, Eqs 1–2 (batch gradient descent on the squared error).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np

from simulate.validation import generators, integer_sequence, positive_float, real_array, real_float

__all__ = [
    "DIVERGENCE_THRESHOLD",
    "TrainingDivergedError",
    "check_finite",
    "forward_maps",
    "gradients",
    "init_weights",
    "minibatch_gradients",
    "per_sample_gradients",
    "sgd_epoch",
]

#: Batch-to-output width ratio from which :func:`gradients` uses the output-side order (both orders are exact;
#: the crossover of their NumPy timings for 100-100-1 and 100-50×5-1 networks lies between B/N_o = 5 and 20).
OUTPUT_SIDE_MIN_RATIO = 20

#: Weights beyond this magnitude (or non-finite) mean the learning rate made gradient descent blow up.
DIVERGENCE_THRESHOLD = 1e6


class TrainingDivergedError(ValueError):
    """Gradient descent blew up (non-finite or exploding weights): the learning rate is too large."""


def _check_sizes(widths: Sequence[int]) -> tuple[int, ...]:
    return integer_sequence("widths", widths, minimum=1, min_length=2)


def init_weights(widths: Sequence[int], rngs: Sequence[np.random.Generator], init_scale: float) -> list[np.ndarray]:
    r"""Gaussian initial weights, :math:`(W_l)_{ij}\sim\mathcal N(0,\text{init\_scale}^2/n_{in})`, one draw per seed.

    Parameters
    ----------
    widths : sequence of int
        Layer sizes (N_i, N_1, …, N_D, N_o).
    rngs : sequence of numpy.random.Generator
        One generator per seed (length S).
    init_scale : float
        Scale of the initial weights (≥ 0; 0 gives zero weights, the [AS17] zero initialisation); small
        values give the "small initial weights" of [AS17] and [P] App D (docs/choices.md#a11).

    Returns
    -------
    list of numpy.ndarray
        ``W_l`` of shape (S, widths[l+1], widths[l]).

    References
    ----------
    .. [P] Saxe et al., ICLR 2018, §3–4 and App I; docs/formulas.md#s3-3.
    """
    widths = _check_sizes(widths)
    init_scale = real_float("init_scale", init_scale, minimum=0.0)
    rngs = generators("rngs", rngs)
    per_seed = [
        [rng.normal(0.0, init_scale / np.sqrt(n_in), size=(n_out, n_in)) for n_in, n_out in itertools.pairwise(widths)]
        for rng in rngs
    ]
    return [np.stack([layers[l] for layers in per_seed]) for l in range(len(widths) - 1)]


def forward_maps(weights: Sequence[np.ndarray]) -> list[np.ndarray]:
    r"""Maps from the input to each layer, :math:`\bar W_l=W_l\cdots W_1`, each (S, N_l, N_i).

    See docs/formulas.md#s3-3.
    """
    maps = [weights[0]]
    for W in weights[1:]:
        maps.append(W @ maps[-1])
    return maps


def _activations(weights: Sequence[np.ndarray], X: np.ndarray) -> list[np.ndarray]:
    h = [X]
    for W in weights:
        h.append(h[-1] @ np.swapaxes(W, -1, -2))
    return h


def gradients(
    weights: Sequence[np.ndarray],
    X: np.ndarray,
    Y: np.ndarray,
    scale: float = 1.0,
    out: Sequence[np.ndarray] | None = None,
) -> list[np.ndarray]:
    r"""Gradient of the batch-mean loss :math:`\frac1B\sum_\mu\tfrac12\lVert y^\mu-\hat y^\mu\rVert^2`.

    Parameters
    ----------
    weights : list of numpy.ndarray, each (S, n_out, n_in)
        The student.
    X : numpy.ndarray, shape (S, B, N_i)
        Inputs of the batch, per seed.
    Y : numpy.ndarray, shape (S, B, N_o)
        Targets.
    scale : float, default 1
        Factor applied to every gradient (the learning rate, when the caller steps with ``W -= g``); applied
        to the small output error rather than to the large gradient arrays.
    out : sequence of numpy.ndarray, optional
        Preallocated arrays (shapes of `weights`) to write the gradients into; reusing them across steps avoids
        allocating (and page-faulting) S × n_out × n_in arrays at every step.

    Returns
    -------
    list of numpy.ndarray
        ``scale`` · :math:`\partial L/\partial W_l`, same shapes as `weights`.

    Notes
    -----
    Two exact evaluation orders, chosen by cost. With activations :math:`h_l` and back-propagated errors
    :math:`\delta_l` (B rows) the gradient is :math:`\delta_l^\top h_{l-1}`, costing ~3B·n_l·n_{l−1} per layer.
    When the output is much narrower than the batch (B ≥ 20·N_o, e.g. the paper's scalar output under BGD) the same
    gradient is :math:`A_l^\top c_l` with :math:`A_l=W_{D+1}\cdots W_{l+1}` (N_o rows),
    :math:`c_l=\delta^\top X\,\bar W_{l-1}^\top` (N_o rows), costing ~3N_o·n_l·n_{l−1}.

    References
    ----------
    .. [P] Saxe et al., ICLR 2018, §3–4 and App I; docs/formulas.md#s3-3.
    """
    X, Y = real_array("X", X, ndim=3), real_array("Y", Y, ndim=3)
    scale = positive_float("scale", scale)
    n_in, n_out = weights[0].shape[-1], weights[-1].shape[-2]
    if X.shape[-1] != n_in or Y.shape[-1] != n_out or Y.shape[-2] != X.shape[-2]:
        raise ValueError(
            f"X must have shape (S, B, {n_in}) and Y shape (S, B, {n_out}) for these weights, got X {X.shape}, "
            f"Y {Y.shape}"
        )
    if X.shape[-2] >= OUTPUT_SIDE_MIN_RATIO * Y.shape[-1]:
        return _gradients_output_side(weights, X, Y, scale, out)
    h = _activations(weights, X)
    delta = (h[-1] - Y) * (scale / X.shape[-2])
    grads = [None] * len(weights)
    for l in range(len(weights) - 1, -1, -1):
        grads[l] = np.matmul(np.swapaxes(delta, -1, -2), h[l], out=None if out is None else out[l])
        if l:
            delta = delta @ weights[l]
    return grads


def _gradients_output_side(weights, X, Y, scale, out):
    """Gradients as A_lᵀ c_l (see :func:`gradients`): every product has N_o rows instead of B."""
    L = len(weights)
    suffix = [None] * L  # suffix[l] = W_L ⋯ W_{l+1} (0-based: weights[L-1] @ … @ weights[l]), N_o rows
    suffix[L - 1] = weights[L - 1]
    for l in range(L - 2, -1, -1):
        suffix[l] = suffix[l + 1] @ weights[l]
    delta = (X @ np.swapaxes(suffix[0], -1, -2) - Y) * (scale / X.shape[-2])  # (S, B, N_o)
    c = np.swapaxes(delta, -1, -2) @ X  # δᵀ h_0, (S, N_o, N_i)
    grads = [None] * L
    for l in range(L):
        target = None if out is None else out[l]
        if l == L - 1:
            if target is None:
                grads[l] = c
            else:
                np.copyto(target, c)
                grads[l] = target
        else:
            grads[l] = np.matmul(np.swapaxes(suffix[l + 1], -1, -2), c, out=target)
            c = c @ np.swapaxes(weights[l], -1, -2)  # δᵀ h_{l+1}
    return grads


def per_sample_gradients(weights: Sequence[np.ndarray], X: np.ndarray, Y: np.ndarray) -> list[np.ndarray]:
    r"""Gradient of each example's loss :math:`\tfrac12\lVert y^\mu-\hat y^\mu\rVert^2`, for [P] Eqs 26–27.

    Parameters
    ----------
    weights, X, Y
        As in :func:`gradients`.

    Returns
    -------
    list of numpy.ndarray
        Per layer, shape (B, S, n_out, n_in): axis 0 indexes the examples (the stack axis of
        :func:`simulate.gradient_snr.gradient_statistics`).

    References
    ----------
    .. [P] Saxe et al., ICLR 2018, §3–4 and App I; docs/formulas.md#s3-3.
    """
    h = _activations(weights, X)
    delta = h[-1] - Y  # (S, B, n_out)
    grads = [None] * len(weights)
    for l in range(len(weights) - 1, -1, -1):
        outer = delta[..., :, None] * h[l][..., None, :]  # (S, B, n_out, n_in)
        grads[l] = np.moveaxis(outer, 1, 0)
        if l:
            delta = delta @ weights[l]
    return grads


def _batches(n: int, batch_size: int) -> list[slice]:
    return [slice(k, min(k + batch_size, n)) for k in range(0, n, batch_size)]


def _permutations(rngs: Sequence[np.random.Generator], n: int) -> np.ndarray:
    return np.stack([rng.permutation(n) for rng in rngs])


def minibatch_gradients(
    weights: Sequence[np.ndarray],
    X: np.ndarray,
    Y: np.ndarray,
    batch_size: int,
    rngs: Sequence[np.random.Generator],
) -> list[np.ndarray]:
    r"""Batch-mean gradients of every minibatch of one shuffled pass over the data.

    See docs/choices.md#a13, ibsgd's statistic.

    The minibatches come from a separate shuffle drawn from `rngs` (one generator per seed), not from the
    batches the optimiser steps on, and are taken at the current weights, as ibsgd's ``loggingreporter.py``.

    Parameters
    ----------
    weights, X, Y
        As in :func:`gradients`, with all P examples.
    batch_size : int
        Minibatch size (the last minibatch is dropped if P is not a multiple, so all have equal size).
    rngs : sequence of numpy.random.Generator
        One generator per seed for the shuffle.

    Returns
    -------
    list of numpy.ndarray
        Per layer, shape (P // batch_size, S, n_out, n_in).

    References
    ----------
    .. [P] Saxe et al., ICLR 2018, §3–4 and App I; docs/formulas.md#s3-3.
    """
    P = X.shape[-2]
    if int(batch_size) != batch_size or not 1 <= batch_size <= P // 2:
        raise ValueError(f"batch_size must be an integer in [1, P/2] = [1, {P // 2}] for 2+ minibatches")
    perm = _permutations(rngs, P)
    n_batches = P // batch_size
    out = [[] for _ in weights]
    for k in range(n_batches):
        idx = perm[:, k * batch_size : (k + 1) * batch_size, None]
        g = gradients(weights, np.take_along_axis(X, idx, axis=1), np.take_along_axis(Y, idx, axis=1))
        for l, gl in enumerate(g):
            out[l].append(gl)
    return [np.stack(o) for o in out]


def sgd_epoch(
    weights: list[np.ndarray],
    X: np.ndarray,
    Y: np.ndarray,
    learning_rate: float,
    batch_size: int | None,
    rngs: Sequence[np.random.Generator],
) -> None:
    """One epoch of SGD (batch_size < P, reshuffled per seed) or one full-batch GD step (batch_size None or P).

    Updates `weights` in place. Overflow is not allowed to raise from inside NumPy: the caller checks the
    result with :func:`check_finite`.

    Parameters
    ----------
    weights : list of numpy.ndarray
        The student (modified in place).
    X, Y : numpy.ndarray
        All training data, (S, P, N_i) and (S, P, N_o).
    learning_rate : float
        Learning rate η.
    batch_size : int or None
        Minibatch size; None or P means full-batch gradient descent (BGD).
    rngs : sequence of numpy.random.Generator
        One generator per seed for the shuffles (unused for BGD).

    References
    ----------
    .. [P] Saxe et al., ICLR 2018, §3–4 and App I; docs/formulas.md#s3-3.
    """
    P = X.shape[-2]
    buffers = [np.empty_like(W) for W in weights]
    with np.errstate(over="ignore", invalid="ignore"):
        if batch_size is None or batch_size >= P:
            for W, g in zip(weights, gradients(weights, X, Y, learning_rate, buffers)):
                W -= g
            return
        idx = _permutations(rngs, P)[:, :, None]
        X_shuffled, Y_shuffled = np.take_along_axis(X, idx, axis=1), np.take_along_axis(Y, idx, axis=1)
        for part in _batches(P, batch_size):
            for W, g in zip(
                weights, gradients(weights, X_shuffled[:, part], Y_shuffled[:, part], learning_rate, buffers)
            ):
                W -= g


def check_finite(weights: Sequence[np.ndarray], learning_rate: float, epoch: int) -> None:
    """Raise :class:`TrainingDivergedError` naming `learning_rate` if any weight is non-finite or has blown up."""
    for W in weights:
        with np.errstate(invalid="ignore"):
            bad = not np.all(np.isfinite(W)) or np.max(np.abs(W)) > DIVERGENCE_THRESHOLD
        if bad:
            raise TrainingDivergedError(
                f"gradient descent diverged at epoch {epoch}: learning_rate={learning_rate} is too large for this "
                "network and data "
                f"(weights exceeded {DIVERGENCE_THRESHOLD:g} or became non-finite); use a smaller learning_rate"
            )
