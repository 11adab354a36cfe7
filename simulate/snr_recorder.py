"""Gradient signal-to-noise recorder for the trainer of :mod:`simulate.train` ([P] App I, Eqs 26–27; A13).

:class:`GradientSignalToNoise` records per layer the norm of the mean kernel gradient m_l, the norm of its
element-wise standard deviation s_l and the SNR m_l/s_l, over minibatches (ibsgd, Figs 9–10) or over all training
samples (Eqs 26–27, Fig 21D). :func:`streaming_gradient_statistics` combines chunks of gradients in bounded memory.
Both are re-exported by :mod:`simulate.recorders`.

References
----------
.. [P] Saxe et al., "On the Information Bottleneck Theory of Deep Learning", ICLR 2018, App I, Figs 9, 10, 20, 21.
.. [code] artemyk/ibsgd ``loggingreporter.py`` (gradient statistics over separately shuffled minibatches, A13).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import xarray as xr

from simulate.network import _output_deltas, backward, forward  # per-example deltas, same witness package
from simulate.train import Recorder, TrainingState

__all__ = ["GradientSignalToNoise", "streaming_gradient_statistics"]


class _RunningMoments:
    """Element-wise mean and sum of squared deviations over gradients added in chunks (Chan et al.'s update)."""

    def __init__(self) -> None:
        self.n = 0
        self.mean: np.ndarray | None = None
        self.m2: np.ndarray | None = None

    def add(self, chunk: np.ndarray) -> None:
        chunk = np.asarray(chunk, dtype=np.float64)
        if not np.all(np.isfinite(chunk)):
            raise FloatingPointError("non-finite gradient in the gradient SNR statistics (the run diverged)")
        g = chunk.shape[1]
        c_mean = chunk.mean(axis=1)
        c_m2 = ((chunk - c_mean[:, None]) ** 2).sum(axis=1)
        if self.mean is None:
            self.mean, self.m2, self.n = c_mean, c_m2, g
            return
        delta = c_mean - self.mean
        total = self.n + g
        self.mean = self.mean + delta * (g / total)
        self.m2 = self.m2 + c_m2 + delta**2 * (self.n * g / total)
        self.n = total

    def norms(self) -> tuple[np.ndarray, np.ndarray, int]:
        if self.mean is None or self.n < 2:
            raise ValueError("at least 2 gradients are needed for the gradient SNR statistics")
        axes = tuple(range(1, self.mean.ndim))
        return np.sqrt((self.mean**2).sum(axis=axes)), np.sqrt((self.m2 / self.n).sum(axis=axes)), self.n


def streaming_gradient_statistics(chunks) -> tuple[np.ndarray, np.ndarray, int]:
    """Mean-norm and std-norm over gradients that arrive in chunks ([P] App I Eqs 26–27), in bounded memory.

    Combines per-chunk means and sums of squared deviations (Chan et al.'s pairwise update), so the result equals
    :func:`simulate.gradient_snr.gradient_statistics` on the concatenated stack (population std, ddof = 0) while
    holding one chunk at a time.

    Parameters
    ----------
    chunks : iterable of numpy.ndarray
        Arrays of shape (S, G_i, *weight_shape): G_i gradients per seed in each chunk.

    Returns
    -------
    mean_norm, std_norm : numpy.ndarray
        Frobenius norms of the mean and of the element-wise std, shape (S,) (units of the gradient).
    n : int
        Total number of gradients.

    Raises
    ------
    ValueError
        If fewer than 2 gradients arrive.
    FloatingPointError
        If a gradient is NaN or infinite (a diverged run).

    References
    ----------
    .. [P] Saxe et al. (2018), App I Eqs 26–27; spec §3.10.
    .. [C] Chan, Golub, LeVeque, "Updating formulae and a pairwise algorithm for computing sample variances" (1979).
    """
    moments = _RunningMoments()
    for chunk in chunks:
        moments.add(chunk)
    return moments.norms()


class GradientSignalToNoise(Recorder):
    """Per-layer gradient SNR of the kernels at each logged epoch ([P] App I, Eqs 26–27; A13).

    ``mode="minibatch"`` (ibsgd, Figs 9–10): gradients of the mean loss over minibatches of `batch_size` from an
    order shuffled separately from training (each seed draws it from its own generator), incomplete last batch
    dropped. ``mode="sample"`` (Eqs 26–27, Fig 21D): per-example gradients over the whole training set (or the
    first `max_groups` examples of a shuffled order).

    In ``"sample"`` mode the per-example kernel gradients ``g_n = a_n δ_nᵀ`` are never materialised: the mean is
    one matrix product and ``Σ_n ‖g_n − ḡ‖²_F = Σ_n ‖a_n‖² ‖δ_n‖² − N ‖ḡ‖²_F`` (the Frobenius norm of an outer
    product is the product of the vector norms). The cost is that of one forward/backward pass over the training
    set, so the statistic of Eqs 26–27 over all training samples is affordable at every logged epoch even for the
    784×1024 MNIST kernel. float64 cancellation limits the std to SNRs below ≈ 10⁷, far above any measured value.

    Parameters
    ----------
    rngs : sequence of numpy.random.Generator
        One per seed, for the minibatch order.
    batch_size : int
        Minibatch size (the training batch size; 256 for SZT, 128 for MNIST).
    mode : {"minibatch", "sample"}
    max_groups : int, optional
        Cap on the number of minibatches / examples per logged epoch (bounded cost on large data).
    chunk : int
        Number of groups whose gradients are held in memory at once (minibatch mode).
    prefix : str
        Prefix of the variable names (default ``"grad"``); lets one run record both statistics.

    Notes
    -----
    Variables (seed, layer): ``<prefix>_mean_norm`` m_l, ``<prefix>_std_norm`` s_l and ``<prefix>_snr`` =
    m_l / s_l (dimensionless).

    References
    ----------
    .. [P] Saxe et al. (2018), App I Eqs 26–27, Figs 9–10 (row 4), 20, 21; spec §3.10, A13.
    """

    def __init__(
        self,
        rngs,
        batch_size: int,
        *,
        mode: str = "minibatch",
        max_groups: int | None = None,
        chunk: int = 8,
        prefix: str = "grad",
    ) -> None:
        if not isinstance(prefix, str) or not prefix.isidentifier():
            raise ValueError(f"prefix must be an identifier-like string (used in variable names), got {prefix!r}")
        if mode not in ("minibatch", "sample"):
            raise ValueError(f"mode must be 'minibatch' or 'sample', got {mode!r}")
        if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)) or batch_size < 1:
            raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}")
        if max_groups is not None and max_groups < 2:
            raise ValueError(f"max_groups must be at least 2, got {max_groups!r}")
        self.rngs = list(rngs)
        self.batch_size = int(batch_size) if mode == "minibatch" else 1
        self.mode = mode
        self.max_groups = max_groups
        self.chunk = max(1, int(chunk))
        self.prefix = prefix

    def _groups(self, n: int) -> np.ndarray:
        n_groups = n // self.batch_size
        if self.max_groups is not None:
            n_groups = min(n_groups, self.max_groups)
        if n_groups < 2:
            raise ValueError(f"batch_size {self.batch_size} leaves fewer than 2 minibatches of the {n} examples")
        orders = np.stack([r.permutation(n)[: n_groups * self.batch_size] for r in self.rngs])
        return orders.reshape(len(self.rngs), n_groups, self.batch_size)

    def _chunk_gradients(self, state: TrainingState, groups: np.ndarray) -> list[np.ndarray]:
        """Kernel gradients of the groups (S, G, B), per layer (S, G, fan_in, fan_out)."""
        if self.batch_size == 1:
            return state.kernel_gradients(groups)
        # Minibatches: one BLAS forward/backward pass per minibatch (the mean-loss gradient of that minibatch).
        d = state.data
        seed_index = np.arange(groups.shape[0])[:, None]
        per_group = []
        for g in range(groups.shape[1]):
            index = groups[:, g]
            X = d.X_train[seed_index, index] if d.X_train.ndim == 3 else d.X_train[index]
            Y = d.Y_train[seed_index, index] if d.Y_train.ndim == 3 else d.Y_train[index]
            fp = forward(state.params, X, state.activation)
            per_group.append(backward(state.params, fp, X, Y, state.activation).dW)
        return [np.stack([grads[l] for grads in per_group], axis=1) for l in range(len(per_group[0]))]

    def record(self, state: TrainingState) -> Mapping[str, xr.DataArray]:
        """``grad_mean_norm``, ``grad_std_norm`` and ``grad_snr`` (seed, layer)."""
        if len(self.rngs) != state.params.n_seeds:
            raise ValueError(f"rngs must hold one generator per seed ({state.params.n_seeds}), got {len(self.rngs)}")
        groups = self._groups(state.data.n_train)
        if self.mode == "sample":
            m, s = self._per_example_norms(state, groups[:, :, 0])
        else:
            n_layers = len(state.params.W)
            moments = [_RunningMoments() for _ in range(n_layers)]
            for start in range(0, groups.shape[1], self.chunk):  # one chunk of gradients in memory at a time
                for l, gradients in enumerate(self._chunk_gradients(state, groups[:, start : start + self.chunk])):
                    moments[l].add(gradients)
            norms = [m.norms() for m in moments]
            m, s = np.stack([n[0] for n in norms], axis=1), np.stack([n[1] for n in norms], axis=1)
        snr = np.divide(m, s, out=np.where(m > 0, np.inf, 0.0), where=s > 0)
        return {
            f"{self.prefix}_mean_norm": xr.DataArray(m, dims=("seed", "layer")),
            f"{self.prefix}_std_norm": xr.DataArray(s, dims=("seed", "layer")),
            f"{self.prefix}_snr": xr.DataArray(snr, dims=("seed", "layer")),
        }

    @staticmethod
    def _per_example_norms(state: TrainingState, index: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """m_l and s_l over the per-example gradients of the examples `index` (S, G), without materialising them."""
        d = state.data
        fp = state.train_forward
        deltas = _output_deltas(state.params, fp, d.Y_train, state.activation)
        S, G = index.shape
        X = np.broadcast_to(np.asarray(d.X_train, dtype=np.float64), (S, *d.X_train.shape[-2:]))
        seed_index = np.arange(S)[:, None]
        mean_norms, std_norms = [], []
        for a, delta in zip([X, *fp.post[:-1]], deltas):
            a_g, d_g = a[seed_index, index], delta[seed_index, index]  # (S, G, fan_in), (S, G, fan_out)
            if not (np.all(np.isfinite(a_g)) and np.all(np.isfinite(d_g))):
                raise FloatingPointError("non-finite gradient in the gradient SNR statistics (the run diverged)")
            mean = np.matmul(np.swapaxes(a_g, 1, 2), d_g) / G  # (S, fan_in, fan_out)
            mean_sq = np.einsum("sio,sio->s", mean, mean)
            second = np.einsum("sg,sg->s", np.einsum("sgi,sgi->sg", a_g, a_g), np.einsum("sgo,sgo->sg", d_g, d_g)) / G
            mean_norms.append(np.sqrt(mean_sq))
            std_norms.append(np.sqrt(np.maximum(second - mean_sq, 0.0)))
        return np.stack(mean_norms, axis=1), np.stack(std_norms, axis=1)
