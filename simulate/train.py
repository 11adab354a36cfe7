"""Training S networks at once (seeds as a batch axis); the result is a *run*: the networks at every logged epoch.

:func:`train` runs minibatch training (Adam or plain SGD; any batch size from 1, offline SGD, to the whole
training set, BGD), each seed with its own minibatch order drawn from its own generator. At every logged epoch
it keeps the flattened parameters of every network (in the training precision) together with the train/test
loss and accuracy and the weight norms. Nothing else is measured while training: every estimator of the paper
is a function of the stored run (:mod:`simulate.measurements`), so a network is trained once and measured any
number of ways. The parameters of the SZT network are 294 numbers per seed and epoch.

References
----------
.. [P] Saxe et al., "On the Information Bottleneck Theory of Deep Learning", ICLR 2018, §2, §4, App A.
.. [code] artemyk/ibsgd ``loggingreporter.py`` (logging schedule), docs/figures.md#szt-setting, docs/choices.md#a1,
   #a12.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import xarray as xr
from threadpoolctl import threadpool_limits

from simulate.activations import Activation, get_activation
from simulate.network import (
    Params,
    accuracy,
    cross_entropy,
    flatten,
    forward,
    group_kernel_gradients,
    params_from_flat,
)
from simulate.optimizers import make_optimizer
from simulate.schedules import check_logged_epochs
from simulate.training_step import MinibatchGradient

__all__ = ["TRAINING_BLAS_THREADS", "DivergenceError", "TrainingData", "TrainingState", "train"]

TRAINING_BLAS_THREADS = 1
"""BLAS threads of the matrix products while training (the MNIST network's wide layers), whatever the caller's
setting. Training is chaotic: a rounding difference in one step grows into a different network, and OpenBLAS
rounds a product differently with a different number of threads (measured on 2026-12-02: fast-profile MNIST-ReLU
seed 4 ends with a layer-4 ‖W‖ growth of 11.0 trained with one thread and 1.7 with two). Fixing the count makes a
seed's run the same in this process, in a worker process and on a Dask worker, on a given machine; one thread is
what the worker processes run anyway (the parallelism is across seeds, :mod:`paper_checks.workflow.executor`)."""


class DivergenceError(FloatingPointError):
    """Training produced a non-finite loss or parameter; the message names the epoch and the seed."""


@dataclass(frozen=True, eq=False)
class TrainingData:
    """Inputs and one-hot targets for training, testing and information measurement.

    Attributes
    ----------
    X_train, Y_train : numpy.ndarray
        Training set, (n, d) and (n, C) shared by all seeds, or (S, n, d) and (S, n, C) one split per seed.
    X_test, Y_test : numpy.ndarray
        Test set, same conventions.
    X_mi : numpy.ndarray
        Inputs on which layer activity is measured, (N, d), shared by all seeds (all 4096 SZT patterns,
        docs/choices.md#a6).
    y_mi : numpy.ndarray
        Integer labels of `X_mi`, (N,).
    """

    X_train: np.ndarray
    Y_train: np.ndarray
    X_test: np.ndarray
    Y_test: np.ndarray
    X_mi: np.ndarray
    y_mi: np.ndarray

    def __post_init__(self) -> None:
        for name in ("X_train", "Y_train", "X_test", "Y_test", "X_mi"):
            value = np.asarray(getattr(self, name), dtype=np.float64)
            if value.ndim not in (2, 3) or not np.all(np.isfinite(value)):
                raise ValueError(f"{name} must be a finite 2-D (n, ·) or 3-D (S, n, ·) array, got shape {value.shape}")
            object.__setattr__(self, name, value)
        if self.X_mi.ndim != 2:
            raise ValueError(f"X_mi must be shared by all seeds, shape (N, d), got {self.X_mi.shape}")
        for X, Y, name in ((self.X_train, self.Y_train, "train"), (self.X_test, self.Y_test, "test")):
            if X.shape[:-1] != Y.shape[:-1]:
                raise ValueError(f"X_{name} and Y_{name} disagree on examples: {X.shape} vs {Y.shape}")
        y = np.asarray(self.y_mi)
        if y.shape != (self.X_mi.shape[0],) or not np.issubdtype(y.dtype, np.integer):
            raise ValueError(f"y_mi must be integer labels of shape ({self.X_mi.shape[0]},), got {y.shape} {y.dtype}")
        object.__setattr__(self, "y_mi", y)

    @property
    def n_train(self) -> int:
        """Number of training examples per seed."""
        return int(self.X_train.shape[-2])


@dataclass(eq=False)
class TrainingState:
    """One logged epoch of a run: the S networks and their data (read-only: measurements must not modify it).

    Attributes
    ----------
    epoch : int
        Number of completed training epochs (0 = the initial networks).
    params : Params
        The S networks at this epoch.
    activation : Activation
        The hidden nonlinearity.
    data : TrainingData
        Training, test and measurement data.
    """

    epoch: int
    params: Params
    activation: Activation
    data: TrainingData

    @functools.cached_property
    def mi_forward(self):
        """:class:`~simulate.network.ForwardPass` on ``data.X_mi``: ``.post[l]`` and ``.pre[l]`` are (S, N, width)."""
        return forward(self.params, self.data.X_mi, self.activation)

    @property
    def activations(self) -> list[np.ndarray]:
        """Activities of every layer (softmax output last) on the measurement data, each (S, N, width)."""
        return self.mi_forward.post

    @property
    def pre_activations(self) -> list[np.ndarray]:
        """Net inputs of every layer on the measurement data, each (S, N, width)."""
        return self.mi_forward.pre

    @functools.cached_property
    def train_forward(self):
        """:class:`~simulate.network.ForwardPass` on the training set."""
        return forward(self.params, self.data.X_train, self.activation)

    def kernel_gradients(self, groups: np.ndarray) -> list[np.ndarray]:
        """Per-group kernel gradients on the training set (see :func:`simulate.network.group_kernel_gradients`).

        Parameters
        ----------
        groups : numpy.ndarray
            Indices into the training examples, (G, B) or (S, G, B); B = 1 gives per-example gradients.

        Returns
        -------
        list of numpy.ndarray
            Per layer, (S, G, fan_in, fan_out).
        """
        d = self.data
        return group_kernel_gradients(self.params, self.train_forward, d.X_train, d.Y_train, self.activation, groups)


def _standard_measures(state: TrainingState) -> dict[str, xr.DataArray]:
    d = state.data
    test = forward(state.params, d.X_test, state.activation)
    out = {
        "train_loss": cross_entropy(state.train_forward, d.Y_train),
        "test_loss": cross_entropy(test, d.Y_test),
        "train_accuracy": accuracy(state.train_forward, d.Y_train),
        "test_accuracy": accuracy(test, d.Y_test),
    }
    arrays = {k: xr.DataArray(v, dims=("seed",)) for k, v in out.items()}
    norms = np.stack([np.sqrt((W * W).sum(axis=(1, 2))) for W in state.params.W], axis=1)
    arrays["weight_norm"] = xr.DataArray(norms, dims=("seed", "layer"))
    return arrays


def _as_float64(params: Params) -> Params:
    return Params([w.astype(np.float64) for w in params.W], [b.astype(np.float64) for b in params.b])


def _divergence(values: np.ndarray, epoch: int, seeds: Sequence[int], what: str) -> None:
    bad = ~np.all(np.isfinite(values.reshape(values.shape[0], -1)), axis=1)
    if np.any(bad):
        seed = seeds[int(np.argmax(bad))]
        raise DivergenceError(
            f"training diverged: non-finite {what} at epoch {epoch} for seed {seed} "
            f"({int(bad.sum())} of {len(bad)} seeds); lower the learning rate"
        )


class _L2Gradient:
    """Adds the gradient 2λW of the kernel penalty λ·Σ‖W‖² to a (seed, parameter) gradient, in place."""

    def __init__(self, scale: np.ndarray, like: np.ndarray) -> None:
        self.scale = scale  # 2λ on kernel entries, 0 on biases (layout of simulate.parameters.params_from_flat)
        self.scratch = np.empty_like(like)

    def __call__(self, flat: np.ndarray, grad: np.ndarray) -> None:
        np.multiply(flat, self.scale, out=self.scratch)
        grad += self.scratch


def _l2_gradient(widths: Sequence[int], l2: float, flat: np.ndarray) -> _L2Gradient | None:
    if l2 == 0.0:
        return None
    kernel = np.concatenate([part for a, b in itertools.pairwise(widths) for part in (np.ones(a * b), np.zeros(b))])
    return _L2Gradient((2.0 * l2 * kernel).astype(flat.dtype), flat)


def train(
    params: Params,
    activation: str | Activation,
    data: TrainingData,
    rngs: Sequence[np.random.Generator],
    *,
    epochs: int,
    logged_epochs: Sequence[int],
    batch_size: int = 256,
    optimizer: str = "adam",
    learning_rate: float | None = None,
    seeds: Sequence[int] | None = None,
    dtype: str = "float64",
    l2: float = 0.0,
) -> xr.Dataset:
    """Train S networks and store them at the logged epochs (a *run*).

    Parameters
    ----------
    params : Params
        Initial networks (from :func:`simulate.network.init_params`); not modified.
    activation : str or Activation
        Hidden nonlinearity.
    data : TrainingData
        Training/test/measurement data.
    rngs : sequence of numpy.random.Generator
        One per seed: seed s shuffles its minibatches with ``rngs[s]`` only (reshuffled every epoch, the last
        minibatch of an epoch may be smaller, as in Keras).
    epochs : int
        Number of training epochs (passes over the training set), ≥ 1.
    logged_epochs : sequence of int
        Increasing epochs in [0, epochs] at which to record (0 = before training); see
        :mod:`simulate.schedules`.
    batch_size : int
        Minibatch size, 1 (offline SGD, Fig 5) to ``n_train`` (BGD). Default 256 (the paper's SZT value).
    optimizer : {"adam", "sgd"}
        Default Adam (docs/choices.md#a1).
    learning_rate : float, optional
        Default 4e-4 for Adam (docs/choices.md#a1), 0.01 for SGD.
    seeds : sequence of int, optional
        Labels of the seed axis (default 0..S−1).
    dtype : {"float64", "float32"}
        Precision of the training arithmetic (parameters, minibatches, optimiser state). ``"float32"`` is what
        TensorFlow/Keras used for the paper and roughly halves the memory traffic; measurements (losses, activity
        for MI) are always evaluated in float64 from the current parameters.

    Returns
    -------
    xarray.Dataset
        Dims ``seed``, ``epoch``, ``layer`` (1 = first hidden layer, last = softmax output), ``parameter``:
        ``parameters`` (seed, epoch, parameter) — every network's flattened parameters at every logged epoch,
        in the training precision (see :func:`simulate.parameters.params_from_flat`; measurements rebuild the
        networks from them, :mod:`simulate.measurements`) — and ``train_loss``, ``test_loss`` (nats),
        ``train_accuracy``, ``test_accuracy``, ``weight_norm`` (Frobenius norm of each kernel, App D).

    Raises
    ------
    ValueError
        Unknown optimiser, `epochs` < 1, `batch_size` outside [1, n_train], bad logged epochs, `l2` negative or
        not finite, or `rngs`/`seeds` not one per seed.
    DivergenceError
        If a loss or parameter becomes non-finite; the message names the epoch and the seed.

    Notes
    -----
    Same seeds, same data, same machine ⇒ the same run, bit for bit, in any process: the matrix products run on
    :data:`TRAINING_BLAS_THREADS` BLAS threads while training (the caller's count is restored on return). Across
    machines the bits differ (BLAS and the compiled loops round by the CPU's vector width), and since training
    amplifies a rounding difference, so can an individual seed's trajectory.

    References
    ----------
    .. [P] Saxe et al. (2018), §2 (batch 256), §4 (offline SGD vs BGD, Fig 5), App A (learning curves).
    .. [CHO19] Chelombiev, Houghton & O'Donnell (2019), arXiv:1902.09037 (L2-regularised SZT networks).
    """
    f = activation if isinstance(activation, Activation) else get_activation(activation)
    S, widths = params.n_seeds, params.widths
    rngs = list(rngs)
    if len(rngs) != S or not all(isinstance(r, np.random.Generator) for r in rngs):
        raise ValueError(f"rngs must hold one numpy.random.Generator per seed ({S}), got {len(rngs)} items")
    seeds = list(range(S)) if seeds is None else [int(s) for s in seeds]
    if len(seeds) != S:
        raise ValueError(f"seeds must label the {S} networks, got {len(seeds)} labels")
    if isinstance(epochs, bool) or not isinstance(epochs, (int, np.integer)) or epochs < 1:
        raise ValueError(f"epochs must be an integer ≥ 1, got {epochs!r}")
    logged = check_logged_epochs(logged_epochs, epochs)
    n = data.n_train
    if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)) or not 1 <= batch_size <= n:
        raise ValueError(f"batch_size must be an integer in [1, n_train = {n}], got {batch_size!r}")
    for X in (data.X_train, data.X_test):
        if X.ndim == 3 and X.shape[0] != S:
            raise ValueError(f"per-seed data must have {S} seeds on axis 0, got {X.shape}")
    if dtype not in ("float64", "float32"):
        raise ValueError(f"dtype must be 'float64' or 'float32', got {dtype!r}")
    if isinstance(l2, bool) or not isinstance(l2, (int, float, np.floating)) or not (math.isfinite(l2) and l2 >= 0):
        raise ValueError(f"l2 must be a finite penalty ≥ 0, got {l2!r}")
    opt = make_optimizer(optimizer, learning_rate)
    flat = flatten(params).astype(dtype)
    penalty = _l2_gradient(widths, float(l2), flat)
    current = params_from_flat(flat, widths)
    saved: list[np.ndarray] = []
    records: list[dict[str, xr.DataArray]] = []

    def log(epoch: int) -> None:
        state = TrainingState(epoch, current if dtype == "float64" else _as_float64(current), f, data)
        measures = _standard_measures(state)
        _divergence(measures["train_loss"].values, epoch, seeds, "training loss")
        records.append(measures)
        saved.append(flat.copy())

    # The caller's BLAS thread count is restored on exit (see TRAINING_BLAS_THREADS).
    with threadpool_limits(limits=TRAINING_BLAS_THREADS, user_api="blas"):
        if logged[0] == 0:
            log(0)
        next_log = 1 if logged[0] == 0 else 0
        gradient = MinibatchGradient(widths, f, data.X_train, data.Y_train, S, dtype)
        grad = np.empty_like(flat)
        for epoch in range(1, epochs + 1):
            rows = gradient.rows(np.stack([r.permutation(n) for r in rngs]))
            # Overflow inside an epoch is reported once, as a DivergenceError naming the epoch and seed, below.
            with np.errstate(over="ignore", invalid="ignore"):
                for start in range(0, n, batch_size):
                    gradient(flat, rows[:, start : start + batch_size], grad)
                    if penalty is not None:
                        penalty(flat, grad)
                    opt.step(flat, grad)
            _divergence(flat, epoch, seeds, "parameters")
            if next_log < len(logged) and logged[next_log] == epoch:
                log(epoch)
                next_log += 1

    epoch_coord = np.asarray(logged, dtype=np.int64)
    dataset = xr.concat([xr.Dataset(m) for m in records], dim=xr.DataArray(epoch_coord, dims="epoch"))
    dataset["parameters"] = xr.DataArray(np.stack(saved, axis=1), dims=("seed", "epoch", "parameter"))
    dataset = dataset.assign_coords(seed=np.asarray(seeds), layer=np.arange(1, len(widths)))
    order_dims = ["seed", "epoch"] + [d for d in dataset.dims if d not in ("seed", "epoch")]
    dataset = dataset.transpose(*order_dims)
    dataset.attrs.update(
        activation=f.name,
        widths=",".join(str(w) for w in widths),
        epochs=int(epochs),
        batch_size=int(batch_size),
        optimizer=optimizer,
        learning_rate=float(opt.learning_rate),
        dtype=dtype,
        l2=float(l2),
        loss_units="nats",
    )
    return dataset
