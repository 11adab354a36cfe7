r"""Simulated gradient descent on the mode-decoupled task of Saxe, McClelland & Ganguli (2014).

A task with exactly whitened inputs, :math:`\frac1PX^\top X=I`, and noiseless targets :math:`Y=XW_o^\top` with a
prescribed SVD :math:`W_o=USV^\top`, so that the input–output correlation is :math:`\Sigma^{31}=W_o`. A linear
network of any depth is started on the decoupled manifold ("aligned" initial conditions: layer l maps mode α
to mode α with strength :math:`a_{l,\alpha}`) and trained by plain full-batch gradient descent on the batch-mean
loss with learning rate η, so that :math:`\tau=1/\eta` and time is η × steps ([SMG14] Eqs 1–2). The simulation
records the strengths :math:`a_{l,\alpha}` read back from the weight matrices, which the closed forms of
:mod:`theory.mode_dynamics` predict.

References
----------
.. [SMG14] Saxe, McClelland & Ganguli, ICLR 2014, Eqs 1–17.
.. [P] Saxe et al., ICLR 2018, §3 (deep linear networks).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from simulate.linear_student import check_finite, sgd_epoch
from simulate.validation import generator, integer, real_array

__all__ = ["ModeRun", "train_aligned_modes", "whitened_task"]


def whitened_task(
    singular_values: Sequence[float], n_inputs: int, n_samples: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    r"""Whitened inputs and noiseless targets whose correlation has the given singular values.

    Parameters
    ----------
    singular_values : sequence of float
        Positive singular values :math:`s_\alpha` of :math:`\Sigma^{31}` (one per output, N_o of them).
    n_inputs : int
        Input dimension N_i ≥ N_o.
    n_samples : int
        Number of examples P ≥ N_i.
    rng : numpy.random.Generator
        Draws the random orthogonal U, V and the sample directions.

    Returns
    -------
    X : numpy.ndarray, shape (P, N_i)
        With :math:`X^\top X/P=I` exactly (to rounding).
    Y : numpy.ndarray, shape (P, N_o)
        :math:`XW_o^\top`.
    U : numpy.ndarray, shape (N_o, N_o)
        Output singular vectors (columns).
    V : numpy.ndarray, shape (N_i, N_o)
        Input singular vectors (columns).

    References
    ----------
    .. [SMG14] Saxe, McClelland & Ganguli, ICLR 2014, Eqs 1–8.
    """
    s = real_array("singular_values", singular_values)
    generator("rng", rng)
    n_inputs = integer("n_inputs", n_inputs, minimum=1)
    n_samples = integer("n_samples", n_samples, minimum=1)
    if s.ndim != 1 or s.size < 1 or np.any(~np.isfinite(s)) or np.any(s <= 0):
        raise ValueError(f"singular_values must be a non-empty list of finite numbers > 0, got {s}")
    N_o = s.size
    if int(n_inputs) != n_inputs or n_inputs < N_o:
        raise ValueError(f"n_inputs must be an integer >= number of singular values ({N_o}), got {n_inputs}")
    if int(n_samples) != n_samples or n_samples < n_inputs:
        raise ValueError(f"n_samples must be an integer >= n_inputs ({n_inputs}), got {n_samples}")
    Q, _ = np.linalg.qr(rng.normal(size=(int(n_samples), int(n_inputs))))
    X = np.sqrt(n_samples) * Q
    U, _ = np.linalg.qr(rng.normal(size=(N_o, N_o)))
    V, _ = np.linalg.qr(rng.normal(size=(int(n_inputs), N_o)))
    W_o = U @ np.diag(s) @ V.T
    return X, X @ W_o.T, U, V


@dataclass(frozen=True, eq=False)
class ModeRun:
    r"""Mode strengths read from simulated weights (one network; one epoch is one full-batch GD step).

    Attributes
    ----------
    epochs : numpy.ndarray, shape (E,)
        Logged epochs (GD steps; 0 = initial).
    time : numpy.ndarray, shape (E,)
        η × steps at each record.
    weights : tuple of numpy.ndarray, each (E, n_out, n_in)
        The D weight matrices at each logged epoch.
    strengths : numpy.ndarray, shape (E, D, N_o)
        :math:`a_{l,\alpha}` for each of the D weight matrices and each mode α.
    product : numpy.ndarray, shape (E, N_o)
        Mode strength of the whole map, :math:`u_\alpha=u_\alpha^\top W_{tot}v_\alpha`.
    off_manifold : numpy.ndarray, shape (E,)
        Largest |entry| of :math:`U^\top W_{tot}V` off the diagonal (stays 0 on the decoupled manifold).
    weight_norm : numpy.ndarray, shape (E, D)
        ‖W_l‖_F.
    """

    epochs: np.ndarray
    time: np.ndarray
    weights: tuple[np.ndarray, ...]
    strengths: np.ndarray
    product: np.ndarray
    off_manifold: np.ndarray
    weight_norm: np.ndarray


def train_aligned_modes(
    X: np.ndarray,
    Y: np.ndarray,
    U: np.ndarray,
    V: np.ndarray,
    initial_strengths: np.ndarray,
    *,
    hidden: int,
    learning_rate: float,
    logged_epochs: Sequence[int],
    rng: np.random.Generator,
) -> ModeRun:
    r"""Full-batch GD of a depth-D linear network from aligned initial conditions ([SMG14] §2–3).

    Parameters
    ----------
    X, Y, U, V : numpy.ndarray
        From :func:`whitened_task`.
    initial_strengths : array_like, shape (D, N_o)
        :math:`a_{l,\alpha}(0)`; D ≥ 1 weight matrices (D = 2: :math:`a`, :math:`b` of SMG14 Eq 8).
    hidden : int
        Width of every hidden layer (≥ N_o).
    learning_rate : float
        Learning rate η > 0 (τ = 1/η).
    logged_epochs : sequence of int
        Strictly increasing epochs (full-batch steps) at which to record (0 = initial).
    rng : numpy.random.Generator
        Draws the random orthonormal hidden bases :math:`R_l`.

    Returns
    -------
    ModeRun

    References
    ----------
    .. [SMG14] Saxe, McClelland & Ganguli, ICLR 2014, Eqs 1–8.
    """
    a0 = np.asarray(initial_strengths, dtype=float)
    N_o = U.shape[0]
    if a0.ndim != 2 or a0.shape[1] != N_o or a0.shape[0] < 1:
        raise ValueError(f"initial_strengths must have shape (D, {N_o}), got {a0.shape}")
    if int(hidden) != hidden or hidden < N_o:
        raise ValueError(f"hidden must be an integer >= N_o = {N_o}, got {hidden}")
    lr = float(learning_rate)
    if not np.isfinite(lr) or lr <= 0:
        raise ValueError(f"learning_rate must be a finite number > 0, got {learning_rate}")
    steps = np.asarray(logged_epochs, dtype=int)
    if steps.ndim != 1 or steps.size == 0 or steps[0] < 0 or np.any(np.diff(steps) <= 0):
        raise ValueError("logged_epochs must be strictly increasing integers >= 0")
    D = a0.shape[0]
    # bases: input V, hidden R_1..R_{D-1}, output U; layer l maps basis l-1 to basis l
    bases = [V] + [np.linalg.qr(rng.normal(size=(int(hidden), N_o)))[0] for _ in range(D - 1)] + [U]
    weights = [(bases[l + 1] * a0[l]) @ bases[l].T for l in range(D)]
    weights = [W[None] for W in weights]  # a batch of one seed
    Xb, Yb = X[None], Y[None]
    E = steps.size
    strengths = np.empty((E, D, N_o))
    product = np.empty((E, N_o))
    off = np.empty(E)
    kept = [np.empty((E, *W.shape[1:])) for W in weights]
    norms = np.empty((E, D))

    def record(k: int) -> None:
        for l, W in enumerate(weights):
            kept[l][k] = W[0]
            norms[k, l] = np.sqrt(np.sum(W[0] * W[0]))
            strengths[k, l] = np.einsum("ia,ij,ja->a", bases[l + 1], W[0], bases[l])
        total = weights[0][0]
        for W in weights[1:]:
            total = W[0] @ total
        modes = U.T @ total @ V
        product[k] = np.diag(modes)
        off[k] = np.max(np.abs(modes - np.diag(np.diag(modes)))) if N_o > 1 else 0.0

    k = 0
    if steps[0] == 0:
        record(0)
        k = 1
    for step in range(1, int(steps[-1]) + 1):
        sgd_epoch(weights, Xb, Yb, lr, None, ())
        if k < E and step == steps[k]:
            check_finite(weights, lr, step)
            record(k)
            k += 1
    return ModeRun(steps, steps * lr, tuple(kept), strengths, product, off, norms)
