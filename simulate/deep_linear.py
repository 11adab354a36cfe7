r"""Train deep linear students on teacher data, batched over seeds, and record their exact information plane.

:func:`train_linear_student` runs full-batch GD or SGD (any batch size) from a chosen initial scale and, at
the logged epochs, records per seed ([P] §3, §5, App F, H, I):

* the total map :math:`W_{tot}` and the training error :math:`\frac1P\sum_\mu\lVert y^\mu-\hat y^\mu\rVert^2`;
* the exact generalization error :math:`\mathrm{tr}[(W_o-W_{tot})\Sigma_x(W_o-W_{tot})^\top]+N_o\sigma_o^2`
  ([P] Eq 5 with the input covariance, spec §3.4 / A10);
* per layer l (hidden layers and the output), the exact :math:`I(T_l;X)` and :math:`I(T_l;Y)` in **bits** for
  :math:`T_l=\bar W_lX+\epsilon`, :math:`\epsilon\sim\mathcal N(0,\sigma^2_{MI}I)` ([P] Eq 6, App G Eqs 22–25 in
  the exact ½·log det form, :mod:`simulate.mi.gaussian`);
* optionally :math:`I(T_l;X_{rel})`, :math:`I(T_l;X_{irrel})` ([P] §5, spec §3.5);
* the Frobenius weight norms (App D), and optionally the gradient statistics of App I over the training
  samples and over minibatches (A13, :mod:`simulate.gradient_snr`).

References
----------
.. [P] Saxe et al., "On the Information Bottleneck Theory of Deep Learning", ICLR 2018, §3, §5, Apps D, F–I.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from simulate.data.teacher import TeacherData
from simulate.gradient_snr import gradient_statistics
from simulate.linear_student import (
    check_finite,
    forward_maps,
    init_weights,
    minibatch_gradients,
    per_sample_gradients,
    sgd_epoch,
)
from simulate.mi.gaussian import label_mutual_information, mutual_information, subspace_mutual_information

__all__ = ["LinearStudentRun", "train_linear_student"]


@dataclass(frozen=True, eq=False)
class LinearStudentRun:
    """Recorded trajectory of S seeds of a linear student (axes: seed, logged epoch, layer).

    Attributes
    ----------
    epochs : numpy.ndarray, shape (E,)
        Logged epochs (0 = before training). For BGD one epoch is one step.
    time : numpy.ndarray, shape (E,)
        Gradient-flow time of the summed loss reached at each logged epoch, ``epochs · lr / B``
        (B = batch size, P for BGD), the t of spec §3.6–3.7.
    W_tot : numpy.ndarray, shape (S, E, N_o, N_i)
        Total input–output map.
    train_error, test_error : numpy.ndarray, shape (S, E)
        Mean squared training error and the exact generalization error (units of y², summed over outputs).
    I_XT, I_YT : numpy.ndarray, shape (S, E, L), or None
        Exact I(T_l;X) and I(T_l;Y) in **bits** for the L = D + 1 layers (hidden layers, then the output);
        None when ``record_information=False``.
    weight_norm : numpy.ndarray, shape (S, E, L)
        ‖W_l‖_F.
    I_X_rel, I_X_irrel : numpy.ndarray, shape (S, E, L), or None
        I(T_l;X_rel) and I(T_l;X_irrel) in bits (when requested).
    grad_mean_sample, grad_std_sample, grad_mean_batch, grad_std_batch : numpy.ndarray (S, E, L) or None
        m_l and s_l of [P] Eqs 26–27 over the training samples and over minibatches (when requested).
    """

    epochs: np.ndarray
    time: np.ndarray
    W_tot: np.ndarray
    train_error: np.ndarray
    test_error: np.ndarray
    weight_norm: np.ndarray
    I_XT: np.ndarray | None = None
    I_YT: np.ndarray | None = None
    I_X_rel: np.ndarray | None = None
    I_X_irrel: np.ndarray | None = None
    grad_mean_sample: np.ndarray | None = None
    grad_std_sample: np.ndarray | None = None
    grad_mean_batch: np.ndarray | None = None
    grad_std_batch: np.ndarray | None = None


def _check_log_epochs(log_epochs: Sequence[int], n_epochs: int) -> np.ndarray:
    epochs = np.asarray(log_epochs)
    if epochs.ndim != 1 or epochs.size == 0 or not np.issubdtype(epochs.dtype, np.integer):
        raise ValueError("log_epochs must be a non-empty 1-D sequence of integers")
    if np.any(np.diff(epochs) <= 0) or epochs[0] < 0 or epochs[-1] > n_epochs:
        raise ValueError(f"log_epochs must be strictly increasing integers in [0, n_epochs={n_epochs}]")
    return epochs.astype(int)


def _record_snr(weights, data, snr_batch_size, snr_rngs):
    per_sample = [gradient_statistics(g) for g in per_sample_gradients(weights, data.X, data.Y)]
    out = [np.stack([st.mean_norm for st in per_sample], -1), np.stack([st.std_norm for st in per_sample], -1)]
    if snr_batch_size is not None:
        grads = minibatch_gradients(weights, data.X, data.Y, snr_batch_size, snr_rngs)
        per_batch = [gradient_statistics(g) for g in grads]
        out += [np.stack([st.mean_norm for st in per_batch], -1), np.stack([st.std_norm for st in per_batch], -1)]
    return out


def train_linear_student(
    data: TeacherData,
    hidden: Sequence[int],
    *,
    lr: float,
    n_epochs: int,
    batch_size: int | None,
    init_scale: float,
    rngs: Sequence[np.random.Generator],
    log_epochs: Sequence[int],
    noise_variance: float = 1.0,
    record_information: bool = True,
    record_subspaces: bool = False,
    record_gradients: bool = False,
    snr_batch_size: int | None = None,
    snr_rngs: Sequence[np.random.Generator] | None = None,
) -> LinearStudentRun:
    r"""Train S seeds of a deep linear student with GD or SGD and record the exact information plane.

    Parameters
    ----------
    data : TeacherData
        Stacked training data, ``X`` (S, P, N_i), ``Y`` (S, P, N_o), ``W_o`` (S, N_o, N_i)
        (:func:`simulate.data.teacher.stack_teacher_data`).
    hidden : sequence of int
        Hidden-layer widths (empty for a single-layer student).
    lr : float
        Learning rate η > 0 on the batch-mean loss ½‖y − ŷ‖².
    n_epochs : int
        Number of epochs (passes over the data; one step each for BGD).
    batch_size : int or None
        SGD minibatch size; None (or P) for full-batch gradient descent (BGD).
    init_scale : float
        Initial weights are :math:`\mathcal N(0,\text{init\_scale}^2/n_{in})` (A11: small).
    rngs : sequence of numpy.random.Generator
        One generator per seed (initial weights, then the SGD shuffles).
    log_epochs : sequence of int
        Strictly increasing epochs in [0, n_epochs] at which to record (0 = before training).
    noise_variance : float, default 1
        Analysis noise σ²_MI of the MI (the paper's 1.0); never used in training.
    record_information : bool, default True
        Record the exact I(T;X), I(T;Y) per layer (False skips them, e.g. for the error curves of C45).
    record_subspaces : bool, default False
        Also record I(T;X_rel) and I(T;X_irrel) (needs irrelevant inputs in `data`).
    record_gradients : bool, default False
        Also record the per-sample gradient statistics of [P] Eqs 26–27 (and per minibatch of
        `snr_batch_size` from `snr_rngs`, when given).
    snr_batch_size : int or None
        Minibatch size of the per-minibatch statistics (A13).
    snr_rngs : sequence of numpy.random.Generator or None
        One generator per seed for the separate shuffles of the per-minibatch statistics.

    Returns
    -------
    LinearStudentRun

    Raises
    ------
    ValueError
        On non-positive sizes, lr or σ²_MI, mismatched shapes or seeds, or bad log epochs.
    simulate.linear_student.TrainingDivergedError
        (a ValueError) if gradient descent blows up; the message names `lr`.

    References
    ----------
    .. [P] Saxe et al., ICLR 2018, §3, §5, Apps F–I; spec §3.3–3.5.
    """
    X, Y = np.asarray(data.X, float), np.asarray(data.Y, float)
    if X.ndim != 3 or Y.ndim != 3 or data.W_o.ndim != 3:
        raise ValueError("data must be stacked over seeds: X (S, P, N_i), Y (S, P, N_o), W_o (S, N_o, N_i)")
    S, P, N_i = X.shape
    if len(rngs) != S:
        raise ValueError(f"rngs must hold one generator per seed: {S} expected, got {len(rngs)}")
    hidden = tuple(hidden)
    if any(isinstance(h, bool) or int(h) != h or h < 1 for h in hidden):
        raise ValueError(f"hidden widths must be positive integers, got {hidden!r}")
    lr = float(lr)
    if not np.isfinite(lr) or lr <= 0:
        raise ValueError(f"lr must be a finite number > 0, got {lr}")
    if isinstance(n_epochs, bool) or int(n_epochs) != n_epochs or n_epochs < 0:
        raise ValueError(f"n_epochs must be an integer >= 0, got {n_epochs!r}")
    if batch_size is not None and (int(batch_size) != batch_size or batch_size < 1):
        raise ValueError(f"batch_size must be a positive integer or None (full batch), got {batch_size!r}")
    if not np.isfinite(noise_variance) or noise_variance <= 0:
        raise ValueError(f"noise_variance (σ²_MI) must be a finite number > 0, got {noise_variance}")
    if record_subspaces and (data.relevant.all() or not data.relevant.any()):
        raise ValueError("record_subspaces needs data with both relevant and irrelevant inputs")
    if snr_batch_size is not None and (snr_rngs is None or len(snr_rngs) != S):
        raise ValueError("snr_rngs must hold one generator per seed when snr_batch_size is given")
    epochs = _check_log_epochs(log_epochs, int(n_epochs))
    B = P if batch_size is None else min(int(batch_size), P)

    weights = init_weights((N_i, *hidden, Y.shape[-1]), rngs, init_scale)
    L = len(weights)
    E = epochs.size
    rec = {k: np.empty((S, E, L)) for k in ("I_XT", "I_YT", "weight_norm")[0 if record_information else 2 :]}
    if record_subspaces:
        rec.update({k: np.empty((S, E, L)) for k in ("I_X_rel", "I_X_irrel")})
    grad_keys = ("grad_mean_sample", "grad_std_sample", "grad_mean_batch", "grad_std_batch")
    if record_gradients:
        rec.update({k: np.empty((S, E, L)) for k in grad_keys[: 2 if snr_batch_size is None else 4]})
    W_tot = np.empty((S, E, *data.W_o.shape[-2:]))
    train_error = np.empty((S, E))
    test_error = np.empty((S, E))

    def record(k: int) -> None:
        maps = forward_maps(weights)
        W_tot[:, k] = maps[-1]
        residual = X @ np.swapaxes(maps[-1], -1, -2) - Y
        train_error[:, k] = np.mean(np.sum(residual**2, axis=-1), axis=-1)
        test_error[:, k] = data.generalization_error(maps[-1])
        for l, (Wbar, W) in enumerate(zip(maps, weights)):
            if record_information:
                rec["I_XT"][:, k, l] = mutual_information(Wbar, data.Sigma_x, noise_variance)
                rec["I_YT"][:, k, l] = label_mutual_information(
                    Wbar, data.W_o, data.Sigma_x, data.sigma_o2, noise_variance
                )
            rec["weight_norm"][:, k, l] = np.sqrt(np.sum(W * W, axis=(-2, -1)))
            if record_subspaces:
                rec["I_X_rel"][:, k, l] = subspace_mutual_information(Wbar, data.Sigma_x, noise_variance, data.relevant)
                rec["I_X_irrel"][:, k, l] = subspace_mutual_information(
                    Wbar, data.Sigma_x, noise_variance, ~data.relevant
                )
        if record_gradients:
            for key, value in zip(grad_keys, _record_snr(weights, data, snr_batch_size, snr_rngs)):
                rec[key][:, k] = value

    k = 0
    if epochs[0] == 0:
        record(0)
        k = 1
    for epoch in range(1, int(n_epochs) + 1):
        sgd_epoch(weights, X, Y, lr, batch_size, rngs)
        check_finite(weights, lr, epoch)
        if k < E and epoch == epochs[k]:
            record(k)
            k += 1
    return LinearStudentRun(epochs, epochs * lr / B, W_tot, train_error, test_error, **rec)
