r"""Train deep linear students on teacher data, batched over seeds, and measure their exact information plane.

:func:`train_linear_student` runs full-batch GD or SGD (any batch size) from a chosen initial scale and, at
the logged epochs, keeps per seed ([P] §3, §5, App F, H, I):

* every layer's weights :math:`W_l` and the total map :math:`W_{tot}`;
* the training error :math:`\frac1P\sum_\mu\lVert y^\mu-\hat y^\mu\rVert^2` and the exact generalization error
  :math:`\mathrm{tr}[(W_o-W_{tot})\Sigma_x(W_o-W_{tot})^\top]+N_o\sigma_o^2` ([P] Eq 5 with the input
  covariance, docs/formulas.md#s3-4 / docs/choices.md#a10);
* the Frobenius weight norms (App D);
* optionally (``record_information`` …) the measurements below, evaluated at the weights as they are logged.

The measurements are functions of the weights and the teacher, so they are also applied to stored weights
(:mod:`paper_checks.measurements_linear`); both paths call the same functions:

* :func:`layer_information`: per layer l (hidden layers and the output) the exact :math:`I(T_l;X)` and
  :math:`I(T_l;Y)` in **bits** for :math:`T_l=\bar W_lX+\epsilon`, :math:`\epsilon\sim\mathcal N(0,\sigma^2_{MI}I)`
  ([P] Eq 6, App G Eqs 22–25 in the exact ½·log det form, :mod:`simulate.mi.gaussian`);
* :func:`layer_subspace_information`: :math:`I(T_l;X_{rel})`, :math:`I(T_l;X_{irrel})` ([P] §5, docs/formulas.md#s3-5);
* :func:`layer_gradient_statistics`: the gradient statistics of App I over the training samples and over
  minibatches (docs/choices.md#a13, :func:`simulate.gradient_snr.gradient_statistics`).

Layers are numbered 1 … L (L = D + 1: the hidden layers, then the output) in every result.

References
----------
.. [P] Saxe et al., "On the Information Bottleneck Theory of Deep Learning", ICLR 2018, §3, §5, Apps D, F–I.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from simulate.data.teacher import TeacherData
from simulate.gradient_snr import GradientSNR, gradient_statistics
from simulate.linear_student import (
    check_finite,
    forward_maps,
    init_weights,
    minibatch_gradients,
    per_sample_gradients,
    sgd_epoch,
)
from simulate.mi.gaussian import label_mutual_information, mutual_information, subspace_mutual_information

__all__ = [
    "LinearStudentRun",
    "layer_gradient_statistics",
    "layer_information",
    "layer_subspace_information",
    "train_linear_student",
]


@dataclass(frozen=True, eq=False)
class LinearStudentRun:
    """Recorded trajectory of S seeds of a linear student (axes: seed, logged epoch, layer).

    Attributes
    ----------
    epochs : numpy.ndarray, shape (E,)
        Logged epochs (0 = before training). For BGD one epoch is one step.
    time : numpy.ndarray, shape (E,)
        Gradient-flow time of the summed loss reached at each logged epoch, ``epochs · learning_rate / B``
        (B = batch size, P for BGD), the t of docs/formulas.md#s3-6–#s3-7.
    weights : tuple of numpy.ndarray, each (S, E, n_out, n_in)
        Every layer's weights W_1 … W_L at each logged epoch.
    W_tot : numpy.ndarray, shape (S, E, N_o, N_i)
        Total input–output map.
    train_error, test_error : numpy.ndarray, shape (S, E)
        Mean squared training error and the exact generalization error (units of y², summed over outputs).
    weight_norm : numpy.ndarray, shape (S, E, L)
        ‖W_l‖_F.
    I_XT, I_TY : numpy.ndarray, shape (S, E, L), or None
        Exact I(T_l;X) and I(T_l;Y) in **bits** for the L = D + 1 layers (hidden layers, then the output), when
        ``record_information=True``.
    I_X_rel, I_X_irrel : numpy.ndarray, shape (S, E, L), or None
        I(T_l;X_rel) and I(T_l;X_irrel) in bits (when requested).
    grad_mean_sample, grad_std_sample, grad_mean_batch, grad_std_batch : numpy.ndarray (S, E, L) or None
        m_l and s_l of [P] Eqs 26–27 over the training samples and over minibatches (when requested).
    """

    epochs: np.ndarray
    time: np.ndarray
    weights: tuple[np.ndarray, ...]
    W_tot: np.ndarray
    train_error: np.ndarray
    test_error: np.ndarray
    weight_norm: np.ndarray
    I_XT: np.ndarray | None = None
    I_TY: np.ndarray | None = None
    I_X_rel: np.ndarray | None = None
    I_X_irrel: np.ndarray | None = None
    grad_mean_sample: np.ndarray | None = None
    grad_std_sample: np.ndarray | None = None
    grad_mean_batch: np.ndarray | None = None
    grad_std_batch: np.ndarray | None = None


def _check_noise_variance(noise_variance: float) -> float:
    noise_variance = float(noise_variance)
    if not np.isfinite(noise_variance) or noise_variance <= 0:
        raise ValueError(f"noise_variance (σ²_MI) must be a finite number > 0, got {noise_variance}")
    return noise_variance


def layer_information(
    weights: Sequence[np.ndarray], teacher: TeacherData, noise_variance: float = 1.0
) -> tuple[np.ndarray, np.ndarray]:
    r"""Exact I(T_l;X) and I(T_l;Y) of every layer, in bits ([P] Eq 6, App G Eqs 22–25).

    Parameters
    ----------
    weights : sequence of numpy.ndarray, each (S, n_out, n_in)
        The L layers of S students.
    teacher : TeacherData
        Stacked over the same S seeds (``W_o`` (S, N_o, N_i), σ_o², Σ_x).
    noise_variance : float, default 1
        Analysis noise σ²_MI of :math:`T_l=\bar W_lX+\epsilon` (the paper's 1.0).

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        I(T;X) and I(T;Y), each (S, L), bits.
    """
    noise_variance = _check_noise_variance(noise_variance)
    maps = forward_maps(weights)
    I_XT = np.stack([mutual_information(Wbar, teacher.Sigma_x, noise_variance) for Wbar in maps], -1)
    I_TY = np.stack(
        [
            label_mutual_information(Wbar, teacher.W_o, teacher.Sigma_x, teacher.sigma_o2, noise_variance)
            for Wbar in maps
        ],
        -1,
    )
    return I_XT, I_TY


def layer_subspace_information(
    weights: Sequence[np.ndarray], teacher: TeacherData, noise_variance: float = 1.0
) -> tuple[np.ndarray, np.ndarray]:
    """Exact I(T_l;X_rel) and I(T_l;X_irrel) of every layer, in bits ([P] §5, docs/formulas.md#s3-5).

    Parameters
    ----------
    weights, teacher, noise_variance
        As in :func:`layer_information`; ``teacher.relevant`` marks the inputs the teacher reads.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        I(T;X_rel) and I(T;X_irrel), each (S, L), bits. They need not add up to I(T;X): the two input subspaces
        are independent, but T mixes them, so I(T;X) ≥ I(T;X_rel) + I(T;X_irrel) (docs/formulas.md#s3-5).

    Raises
    ------
    ValueError
        If the teacher has no irrelevant (or no relevant) inputs.
    """
    noise_variance = _check_noise_variance(noise_variance)
    relevant = np.asarray(teacher.relevant, dtype=bool)
    if relevant.all() or not relevant.any():
        raise ValueError("the subspace split needs a teacher with both relevant and irrelevant inputs")
    maps = forward_maps(weights)
    rel = np.stack([subspace_mutual_information(W, teacher.Sigma_x, noise_variance, relevant) for W in maps], -1)
    irr = np.stack([subspace_mutual_information(W, teacher.Sigma_x, noise_variance, ~relevant) for W in maps], -1)
    return rel, irr


def layer_gradient_statistics(
    weights: Sequence[np.ndarray],
    X: np.ndarray,
    Y: np.ndarray,
    *,
    batch_size: int | None = None,
    rngs: Sequence[np.random.Generator] | None = None,
) -> list[GradientSNR]:
    r"""[P] Eqs 26–27 per layer: over the P training samples, or over the minibatches of one shuffled pass.

    Parameters
    ----------
    weights : sequence of numpy.ndarray, each (S, n_out, n_in)
        The students.
    X, Y : numpy.ndarray
        Training data, (S, P, N_i) and (S, P, N_o).
    batch_size : int, optional
        None: statistics over the per-sample gradients; an integer: over the batch-mean gradients of the
        P // batch_size minibatches of a shuffle drawn from `rngs` (docs/choices.md#a13,
        :func:`simulate.linear_student.minibatch_gradients`).
    rngs : sequence of numpy.random.Generator, optional
        One per seed; required with `batch_size`.

    Returns
    -------
    list of simulate.gradient_snr.GradientSNR
        One per layer; ``mean_norm``, ``std_norm``, ``snr`` of shape (S,).
    """
    if batch_size is None:
        grads = per_sample_gradients(weights, X, Y)
    else:
        if rngs is None or len(rngs) != X.shape[0]:
            raise ValueError("rngs must hold one generator per seed when batch_size is given")
        grads = minibatch_gradients(weights, X, Y, batch_size, rngs)
    return [gradient_statistics(g) for g in grads]


def _check_logged_epochs(logged_epochs: Sequence[int], epochs: int) -> np.ndarray:
    logged = np.asarray(logged_epochs)
    if logged.ndim != 1 or logged.size == 0 or not np.issubdtype(logged.dtype, np.integer):
        raise ValueError("logged_epochs must be a non-empty 1-D sequence of integers")
    if np.any(np.diff(logged) <= 0) or logged[0] < 0 or logged[-1] > epochs:
        raise ValueError(f"logged_epochs must be strictly increasing integers in [0, epochs={epochs}]")
    return logged.astype(int)


def train_linear_student(
    data: TeacherData,
    hidden: Sequence[int],
    *,
    learning_rate: float,
    epochs: int,
    batch_size: int | None,
    init_scale: float,
    rngs: Sequence[np.random.Generator],
    logged_epochs: Sequence[int],
    noise_variance: float = 1.0,
    record_information: bool = True,
    record_subspaces: bool = False,
    record_gradients: bool = False,
    snr_batch_size: int | None = None,
    snr_rngs: Sequence[np.random.Generator] | None = None,
) -> LinearStudentRun:
    r"""Train S seeds of a deep linear student with GD or SGD and keep it at every logged epoch.

    Parameters
    ----------
    data : TeacherData
        Stacked training data, ``X`` (S, P, N_i), ``Y`` (S, P, N_o), ``W_o`` (S, N_o, N_i)
        (:func:`simulate.data.teacher.stack_teacher_data`).
    hidden : sequence of int
        Hidden-layer widths (empty for a single-layer student).
    learning_rate : float
        Learning rate η > 0 on the batch-mean loss ½‖y − ŷ‖².
    epochs : int
        Number of epochs (passes over the data; one step each for BGD).
    batch_size : int or None
        SGD minibatch size; None (or P) for full-batch gradient descent (BGD).
    init_scale : float
        Initial weights are :math:`\mathcal N(0,\text{init\_scale}^2/n_{in})` (docs/choices.md#a11: small).
    rngs : sequence of numpy.random.Generator
        One generator per seed (initial weights, then the SGD shuffles).
    logged_epochs : sequence of int
        Strictly increasing epochs in [0, `epochs`] at which to record (0 = before training).
    noise_variance : float, default 1
        Analysis noise σ²_MI of the MI (the paper's 1.0); never used in training.
    record_information : bool, default True
        Record the exact I(T;X), I(T;Y) per layer (:func:`layer_information`).
    record_subspaces : bool, default False
        Also record I(T;X_rel) and I(T;X_irrel) (needs irrelevant inputs in `data`).
    record_gradients : bool, default False
        Also record the per-sample gradient statistics of [P] Eqs 26–27 (and per minibatch of
        `snr_batch_size` from `snr_rngs`, when given).
    snr_batch_size : int or None
        Minibatch size of the per-minibatch statistics (docs/choices.md#a13).
    snr_rngs : sequence of numpy.random.Generator or None
        One generator per seed for the separate shuffles of the per-minibatch statistics.

    Returns
    -------
    LinearStudentRun

    Raises
    ------
    ValueError
        On non-positive sizes, learning rate or σ²_MI, mismatched shapes or seeds, or bad logged epochs.
    simulate.linear_student.TrainingDivergedError
        (a ValueError) if gradient descent blows up; the message names the learning rate.

    References
    ----------
    .. [P] Saxe et al., ICLR 2018, §3, §5, Apps F–I; docs/formulas.md#s3-3–#s3-5.
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
    lr = float(learning_rate)
    if not np.isfinite(lr) or lr <= 0:
        raise ValueError(f"learning_rate must be a finite number > 0, got {learning_rate}")
    if isinstance(epochs, bool) or int(epochs) != epochs or epochs < 0:
        raise ValueError(f"epochs must be an integer >= 0, got {epochs!r}")
    if batch_size is not None and (int(batch_size) != batch_size or batch_size < 1):
        raise ValueError(f"batch_size must be a positive integer or None (full batch), got {batch_size!r}")
    noise_variance = _check_noise_variance(noise_variance)
    if record_subspaces and (data.relevant.all() or not data.relevant.any()):
        raise ValueError("record_subspaces needs data with both relevant and irrelevant inputs")
    if snr_batch_size is not None and (snr_rngs is None or len(snr_rngs) != S):
        raise ValueError("snr_rngs must hold one generator per seed when snr_batch_size is given")
    logged = _check_logged_epochs(logged_epochs, int(epochs))
    B = P if batch_size is None else min(int(batch_size), P)

    weights = init_weights((N_i, *hidden, Y.shape[-1]), rngs, init_scale)
    L = len(weights)
    E = logged.size
    names = ["weight_norm"]
    names += ["I_XT", "I_TY"] if record_information else []
    names += ["I_X_rel", "I_X_irrel"] if record_subspaces else []
    grad_keys = ("grad_mean_sample", "grad_std_sample", "grad_mean_batch", "grad_std_batch")
    names += list(grad_keys[: 2 if snr_batch_size is None else 4]) if record_gradients else []
    rec = {k: np.empty((S, E, L)) for k in names}
    kept = [np.empty((S, E, *W.shape[1:])) for W in weights]
    W_tot = np.empty((S, E, *data.W_o.shape[-2:]))
    train_error = np.empty((S, E))
    test_error = np.empty((S, E))

    def record(k: int) -> None:
        maps = forward_maps(weights)
        W_tot[:, k] = maps[-1]
        residual = X @ np.swapaxes(maps[-1], -1, -2) - Y
        train_error[:, k] = np.mean(np.sum(residual**2, axis=-1), axis=-1)
        test_error[:, k] = data.generalization_error(maps[-1])
        for l, W in enumerate(weights):
            kept[l][:, k] = W
            rec["weight_norm"][:, k, l] = np.sqrt(np.sum(W * W, axis=(-2, -1)))
        if record_information:
            rec["I_XT"][:, k], rec["I_TY"][:, k] = layer_information(weights, data, noise_variance)
        if record_subspaces:
            rec["I_X_rel"][:, k], rec["I_X_irrel"][:, k] = layer_subspace_information(weights, data, noise_variance)
        if record_gradients:
            stats = layer_gradient_statistics(weights, X, Y)
            rec["grad_mean_sample"][:, k] = np.stack([st.mean_norm for st in stats], -1)
            rec["grad_std_sample"][:, k] = np.stack([st.std_norm for st in stats], -1)
            if snr_batch_size is not None:
                stats = layer_gradient_statistics(weights, X, Y, batch_size=snr_batch_size, rngs=snr_rngs)
                rec["grad_mean_batch"][:, k] = np.stack([st.mean_norm for st in stats], -1)
                rec["grad_std_batch"][:, k] = np.stack([st.std_norm for st in stats], -1)

    k = 0
    if logged[0] == 0:
        record(0)
        k = 1
    for epoch in range(1, int(epochs) + 1):
        sgd_epoch(weights, X, Y, lr, batch_size, rngs)
        check_finite(weights, lr, epoch)
        if k < E and epoch == logged[k]:
            record(k)
            k += 1
    return LinearStudentRun(logged, logged * lr / B, tuple(kept), W_tot, train_error, test_error, **rec)
