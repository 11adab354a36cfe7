"""The gradient of S networks on one minibatch each, with preallocated buffers: the training loop's inner step.

:class:`MinibatchGradient` computes, for every seed s, the gradient of the mean cross-entropy of network s on its
own minibatch, straight into a flat (seed, parameter) array (the layout of :func:`simulate.parameters.flatten`),
the gradient that :func:`simulate.network.backward` gives on the same examples. Activities are kept transposed,
(seed, width, example), so that every inner loop runs along the minibatch.

Why compiled loops (numba): the SZT network's layers are 2 to 12 units wide. In NumPy one step of 50 seeds is
about 1 150 BLAS calls (one per seed and matrix product) of a few hundred multiply-adds each, and the call costs
more than its arithmetic. Here a layer of all seeds is one call of a loop compiled by numba, vectorised along the
minibatch (measured in ``tests/benchmarks/test_bench_szt.py``). Wide layers (the MNIST network's 784 × 1024 and
1024 × 20) stay in BLAS (``np.matmul``), and every nonlinearity, the softmax's exponential included, stays a NumPy
ufunc (NumPy's vectorised ``tanh``/``exp``; a compiled scalar ``tanh`` is ~100× slower), so the activities are
computed by the very functions :mod:`simulate.activations` defines.

Reproducibility: the loops are deterministic (same inputs ⇒ same bits on a given machine); the gradient sums over
the minibatch are compiled with reassociation allowed (``fastmath={"reassoc"}``) so they vectorise, which makes
their rounding, like BLAS's, depend on the CPU's vector width. The arithmetic stays in the training precision
throughout (float32 or float64).

References
----------
.. [P] Saxe et al., "On the Information Bottleneck Theory of Deep Learning", ICLR 2018, §2 (SGD on the mean
   cross-entropy).
"""

from __future__ import annotations

import numba
import numpy as np

from simulate.activations import Activation

__all__ = ["COMPILED_LAYER_SIZE", "MinibatchGradient"]

COMPILED_LAYER_SIZE = 1024
"""Largest kernel (fan_in × fan_out entries) computed by the compiled loops; wider layers use BLAS. Every SZT layer
(≤ 12 × 10) and the MNIST network's 20 × 20 and 20 × 10 layers are below it, its 784 × 1024 and 1024 × 20 above
(where BLAS's blocking pays for its call)."""

# How the backpropagated delta is multiplied by f'(z) of the layer below (see _backprop).
_DERIVATIVE_ARRAY, _DERIVATIVE_TANH, _DERIVATIVE_ONE = 0, 1, 2


@numba.njit(cache=True)
def _gather(XT, YT, rows, X_out, Y_out):  # pragma: no cover - compiled
    """Minibatch s, transposed: X_out[s, :, n] = XT[:, rows[s, n]], Y_out[s, :, n] = YT[:, rows[s, n]]."""
    S, B = rows.shape
    for s in range(S):
        for i in range(XT.shape[0]):
            column = XT[i]
            for n in range(B):
                X_out[s, i, n] = column[rows[s, n]]
        for c in range(YT.shape[0]):
            column = YT[c]
            for n in range(B):
                Y_out[s, c, n] = column[rows[s, n]]


@numba.njit(cache=True)
def _dense(flat, offset, fan_in, fan_out, a, z):  # pragma: no cover - compiled
    """z[s, j, :] = Σ_i W[s, i, j]·a[s, i, :] + b[s, j], with W, b read from the flat layout at `offset`."""
    S, _, B = a.shape
    bias = offset + fan_in * fan_out
    for s in range(S):
        for j in range(fan_out):
            w = flat[s, offset + j]
            for n in range(B):
                z[s, j, n] = a[s, 0, n] * w
            for i in range(1, fan_in):
                w = flat[s, offset + i * fan_out + j]
                for n in range(B):
                    z[s, j, n] += a[s, i, n] * w
            b = flat[s, bias + j]
            for n in range(B):
                z[s, j, n] += b


@numba.njit(cache=True, fastmath={"reassoc"})
def _kernel_gradient(a, delta, offset, grad):  # pragma: no cover - compiled
    """grad[s, W_ij] = mean_n a[s, i, n]·delta[s, j, n], grad[s, b_j] = mean_n delta[s, j, n]."""
    S, fan_in, B = a.shape
    fan_out = delta.shape[1]
    bias = offset + fan_in * fan_out
    zero = a.dtype.type(0)
    for s in range(S):
        for i in range(fan_in):
            for j in range(fan_out):
                total = zero
                for n in range(B):
                    total += a[s, i, n] * delta[s, j, n]
                grad[s, offset + i * fan_out + j] = total / B
        for j in range(fan_out):
            total = zero
            for n in range(B):
                total += delta[s, j, n]
            grad[s, bias + j] = total / B


@numba.njit(cache=True)
def _backprop(flat, offset, fan_in, fan_out, delta, mode, below, out):  # pragma: no cover - compiled
    """out[s, i, :] = (Σ_j W[s, i, j]·delta[s, j, :]) · f'(z_below[s, i, :]).

    mode 0: `below` holds f'(z); mode 1: `below` holds tanh(z), f' = 1 − tanh²; mode 2: f' = 1 (`below` unused).
    """
    S, _, B = delta.shape
    one = delta.dtype.type(1)
    for s in range(S):
        for i in range(fan_in):
            w = flat[s, offset + i * fan_out]
            for n in range(B):
                out[s, i, n] = delta[s, 0, n] * w
            for j in range(1, fan_out):
                w = flat[s, offset + i * fan_out + j]
                for n in range(B):
                    out[s, i, n] += delta[s, j, n] * w
            if mode == 0:
                for n in range(B):
                    out[s, i, n] *= below[s, i, n]
            elif mode == 1:
                for n in range(B):
                    t = below[s, i, n]
                    out[s, i, n] *= one - t * t


class _Buffers:
    """Preallocated arrays of one minibatch size: transposed inputs, targets, pre-activations, activities, deltas."""

    def __init__(
        self, S: int, B: int, widths: tuple[int, ...], dtype: np.dtype, rows: bool, in_place: list[bool]
    ) -> None:
        self.X = np.empty((S, B, widths[0]) if rows else (S, widths[0], B), dtype)
        self.Y = np.empty((S, widths[-1], B), dtype)
        self.a = [np.empty((S, w, B), dtype) for w in widths[1:]]
        # A layer computed in place keeps only f(z) (tanh: the derivative is 1 − f²); the deltas of consecutive
        # layers alternate between two arrays. A smaller working set keeps the step in the CPU's cache.
        self.z = [a if same else np.empty_like(a) for a, same in zip(self.a, in_place)]
        storage = [np.empty(S * max(widths[1:]) * B, dtype) for _ in range(2)]
        self.delta = [storage[l % 2][: S * w * B].reshape(S, w, B) for l, w in enumerate(widths[1:])]
        self.column = np.empty((S, 1, B), dtype)  # the softmax's max and normaliser
        self.no_inputs = np.empty((S, 0, B), dtype)  # _gather's inputs when they are gathered as rows


class MinibatchGradient:
    """Gradient of the mean cross-entropy of S networks, each on its own minibatch of the training set.

    Parameters
    ----------
    widths : tuple of int
        Layer widths, input first, softmax output last.
    activation : Activation
        Hidden nonlinearity.
    X_train, Y_train : numpy.ndarray
        Training inputs and one-hot targets, (n, d) and (n, C) shared by the seeds or (S, n, d), (S, n, C) one
        set per seed.
    n_seeds : int
        Number of networks S.
    dtype : {"float32", "float64"}
        Precision of every array and operation.

    Notes
    -----
    Calling the object with ``(flat, rows, grad)`` writes into `grad` (S, P) the gradient of the networks `flat`
    (S, P) on the examples ``rows[s]`` (S, B) of each seed, a minibatch of :meth:`rows` of the epoch's order; `flat`
    and `grad` must be C-contiguous. Buffers are kept per minibatch size (an epoch has at most two: the full batch
    and the remainder).
    """

    def __init__(
        self,
        widths: tuple[int, ...],
        activation: Activation,
        X_train: np.ndarray,
        Y_train: np.ndarray,
        n_seeds: int,
        dtype: str,
    ) -> None:
        self.widths = tuple(int(w) for w in widths)
        self.activation = activation
        self.dtype = np.dtype(dtype)
        self.n_seeds = int(n_seeds)
        per_seed = X_train.ndim == 3
        n = X_train.shape[-2]
        self.seed_stride = n if per_seed else 0
        X = X_train.reshape(-1, X_train.shape[-1]).astype(self.dtype)
        Y = Y_train.reshape(-1, Y_train.shape[-1]).astype(self.dtype)
        if per_seed:
            # Per-seed splits of one data set repeat its examples S times (the SZT splits: 50 × 3 276 rows of 4 096
            # patterns). Gathering from the distinct (x, y) rows keeps them in cache: minibatches are random rows.
            XY = np.ascontiguousarray(np.concatenate([X, Y], axis=1))
            keys = XY.view(np.dtype((np.void, XY.shape[1] * XY.itemsize))).ravel()  # a row's bytes: one sort key
            _, first, table = np.unique(keys, return_index=True, return_inverse=True)
            X, Y = XY[first, : X.shape[1]], XY[first, X.shape[1] :]
        else:
            table = np.arange(X.shape[0])
        self.table = np.ascontiguousarray(table.reshape(-1), dtype=np.int32 if len(table) < 2**31 else np.int64)
        self.YT = np.ascontiguousarray(Y.T)  # (C, examples): column gathers
        self.offsets = []
        offset = 0
        for fan_in, fan_out in zip(self.widths[:-1], self.widths[1:]):
            self.offsets.append(offset)
            offset += fan_in * fan_out + fan_out
        self.n_parameters = offset
        self.compiled = [a * b <= COMPILED_LAYER_SIZE for a, b in zip(self.widths[:-1], self.widths[1:])]
        if self.compiled[0]:  # (d, examples): column gathers into the transposed minibatch
            self.XT, self.X_rows = np.ascontiguousarray(X.T), None
        else:  # (examples, d): row gathers, read by BLAS through a transposed view
            self.XT, self.X_rows = np.empty((0, X.shape[0]), self.dtype), np.ascontiguousarray(X)
        name = activation.name
        self.mode = {"tanh": _DERIVATIVE_TANH, "linear": _DERIVATIVE_ONE}.get(name, _DERIVATIVE_ARRAY)
        # tanh in place (z is not needed afterwards) unless the layer above backpropagates through BLAS, which uses
        # z as scratch for 1 − tanh²; the softmax output keeps its net input.
        hidden = len(self.widths) - 2
        self.in_place = [name == "tanh" and l < hidden and self.compiled[l + 1] for l in range(hidden + 1)]
        self._buffers: dict[int, _Buffers] = {}
        self._row_index: np.ndarray | None = None

    def _buffers_for(self, B: int) -> _Buffers:
        if B not in self._buffers:
            rows = not self.compiled[0]
            self._buffers[B] = _Buffers(self.n_seeds, B, self.widths, self.dtype, rows, self.in_place)
        return self._buffers[B]

    def _weights(self, flat: np.ndarray, l: int) -> tuple[np.ndarray, np.ndarray]:
        fan_in, fan_out = self.widths[l], self.widths[l + 1]
        offset = self.offsets[l]
        S = flat.shape[0]
        W = flat[:, offset : offset + fan_in * fan_out].reshape(S, fan_in, fan_out)
        b = flat[:, offset + fan_in * fan_out : offset + fan_in * fan_out + fan_out]
        return W, b

    def rows(self, order: np.ndarray) -> np.ndarray:
        """The stored rows of the examples ``order[s]`` (S, m) of each seed's training set, (S, m) int32 or int64.

        Computed once per epoch; minibatches of the result are what :meth:`__call__` takes.
        """
        return self.table[order + np.arange(order.shape[0])[:, None] * self.seed_stride]

    def _minibatch(self, rows: np.ndarray, buf: _Buffers) -> np.ndarray:
        """Gather the minibatch targets into ``buf.Y`` and inputs into ``buf.X``; return the inputs as (S, d, B)."""
        if self.compiled[0]:
            _gather(self.XT, self.YT, rows, buf.X, buf.Y)
            return buf.X
        _gather(self.XT, self.YT, rows, buf.no_inputs, buf.Y)
        np.take(self.X_rows, rows, axis=0, out=buf.X)
        return buf.X.transpose(0, 2, 1)

    def __call__(self, flat: np.ndarray, rows: np.ndarray, grad: np.ndarray) -> None:
        """Write the gradient of `flat` (S, P) on the examples `rows` (S, B) (from :meth:`rows`) into `grad` (S, P)."""
        B = rows.shape[1]
        buf = self._buffers_for(B)
        f = self.activation
        last = len(self.widths) - 2
        a = self._minibatch(rows, buf)
        inputs = [a]
        for l in range(last + 1):
            z = buf.z[l]
            if self.compiled[l]:
                _dense(flat, self.offsets[l], self.widths[l], self.widths[l + 1], a, z)
            else:
                W, b = self._weights(flat, l)
                np.matmul(W.transpose(0, 2, 1), a, out=z)
                z += b[:, :, None]
            a = buf.a[l]
            if l == last:  # softmax over the class axis (1)
                np.max(z, axis=1, out=buf.column, keepdims=True)
                np.subtract(z, buf.column, out=a)
                np.exp(a, out=a)
                np.sum(a, axis=1, out=buf.column, keepdims=True)
                a /= buf.column
            elif f.name == "tanh":
                np.tanh(z, out=a)
            else:
                a[...] = f.forward(z)
            inputs.append(a)
        delta = buf.delta[last]
        np.subtract(buf.a[last], buf.Y, out=delta)
        for l in range(last, -1, -1):
            fan_in, fan_out = self.widths[l], self.widths[l + 1]
            a_in = inputs[l]
            below = buf.delta[l - 1] if l > 0 else None
            if self.compiled[l] and a_in.flags.c_contiguous:
                _kernel_gradient(a_in, delta, self.offsets[l], grad)
            else:
                S = flat.shape[0]
                offset = self.offsets[l]
                gW = grad[:, offset : offset + fan_in * fan_out].reshape(S, fan_in, fan_out)
                gb = grad[:, offset + fan_in * fan_out : offset + fan_in * fan_out + fan_out]
                np.matmul(a_in, delta.transpose(0, 2, 1), out=gW)
                gW /= B
                np.sum(delta, axis=2, out=gb)
                gb /= B
            if below is None:
                break
            factor = self._derivative_factor(l - 1, buf)
            if self.compiled[l]:
                _backprop(flat, self.offsets[l], fan_in, fan_out, delta, self.mode, factor, below)
            else:
                W, _ = self._weights(flat, l)
                np.matmul(W, delta, out=below)
                if self.mode == _DERIVATIVE_TANH:
                    t = buf.z[l - 1]  # free once the layer's forward pass is done: scratch for 1 − tanh²
                    np.multiply(factor, factor, out=t)
                    np.subtract(1, t, out=t)
                    below *= t
                elif self.mode == _DERIVATIVE_ARRAY:
                    below *= factor
            delta = below

    def _derivative_factor(self, l: int, buf: _Buffers) -> np.ndarray:
        """What _backprop multiplies by for hidden layer l: tanh(z) itself, f'(z), or anything (f' = 1)."""
        if self.mode == _DERIVATIVE_TANH:
            return buf.a[l]
        if self.mode == _DERIVATIVE_ONE:
            return buf.a[l]
        return np.asarray(self.activation.derivative(buf.z[l]), dtype=self.dtype)
