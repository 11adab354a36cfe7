r"""Linear teacher–student data, with the generating parameters beside the arrays (docs/formulas.md#s3-3; [P] §3, §5).

:math:`X\sim\mathcal N(0,I/N_i)`, :math:`Y=W_oX+\epsilon_o`, :math:`\epsilon_o\sim\mathcal N(0,\sigma_o^2I)`,
:math:`(W_o)_{kj}\sim\mathcal N(0,\sigma_w^2)` i.i.d., SNR = :math:`\sigma_w^2/\sigma_o^2`. The task-relevant
variant of [P] §5 appends inputs on which the teacher's weights are zero. Because the data know their own
:math:`W_o`, :math:`\sigma_o^2` and :math:`\Sigma_x`, the exact generalization error and the exact mutual
information travel with them (docs/design.md#data).

References
----------
.. [P] Saxe et al., "On the Information Bottleneck Theory of Deep Learning", ICLR 2018, §3 (Figs 3–4), §5 (Fig 6).
.. [AS17] Advani & Saxe, arXiv:1710.03667 (2017).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulate.validation import integer, positive_float

__all__ = ["TeacherData", "stack_teacher_data", "teacher_student_data"]


@dataclass(frozen=True, eq=False)
class TeacherData:
    """A training set drawn from a linear teacher, with the teacher's parameters.

    Attributes
    ----------
    X : numpy.ndarray, shape (..., P, N_i)
        Training inputs (rows are examples).
    Y : numpy.ndarray, shape (..., P, N_o)
        Training targets ``X W_oᵀ + ε_o``.
    W_o : numpy.ndarray, shape (..., N_o, N_i)
        Teacher weights (zero on the irrelevant inputs).
    sigma_o2 : float
        Output-noise variance σ_o².
    Sigma_x : numpy.ndarray, shape (N_i, N_i)
        Input covariance, I/N_i.
    relevant : numpy.ndarray of bool, shape (N_i,)
        Which inputs the teacher reads (all True unless irrelevant inputs were added).

    A leading seed axis (``...``) is present when several draws were stacked with :func:`stack_teacher_data`.
    """

    X: np.ndarray
    Y: np.ndarray
    W_o: np.ndarray
    sigma_o2: float
    Sigma_x: np.ndarray
    relevant: np.ndarray

    @property
    def n_inputs(self) -> int:
        """Input dimension N_i."""
        return int(self.X.shape[-1])

    @property
    def n_samples(self) -> int:
        """Number of training examples P."""
        return int(self.X.shape[-2])

    def generalization_error(self, W_tot: np.ndarray) -> np.ndarray:
        r"""Exact :math:`E_g=\mathrm{tr}[(W_o-W)\Sigma_x(W_o-W)^\top]+N_o\sigma_o^2` ([P] Eq 5, docs/formulas.md#s3-4).

        Parameters
        ----------
        W_tot : array_like, shape (..., N_o, N_i)
            Student input–output maps; leading axes broadcast against those of `W_o`.

        Returns
        -------
        numpy.ndarray
            Expected squared error on a fresh example (units of y², summed over the N_o outputs).
        """
        W_tot = np.asarray(W_tot, dtype=float)
        if W_tot.shape[-2:] != self.W_o.shape[-2:]:
            raise ValueError(f"W_tot must have shape (..., {self.W_o.shape[-2]}, {self.n_inputs}), got {W_tot.shape}")
        D = W_tot - self.W_o
        return np.einsum("...ij,jk,...ik->...", D, self.Sigma_x, D) + self.W_o.shape[-2] * self.sigma_o2


def _positive_int(value: int, name: str, minimum: int = 1) -> int:
    return integer(name, value, minimum=minimum)


def _positive(value: float, name: str) -> float:
    return positive_float(name, value)


def teacher_student_data(
    n_inputs: int,
    n_samples: int,
    rng: np.random.Generator,
    *,
    n_outputs: int = 1,
    sigma_w2: float = 1.0,
    snr: float = 1.0,
    n_irrelevant: int = 0,
) -> TeacherData:
    r"""Draw a linear teacher and P training examples from it (docs/formulas.md#s3-3; [P] §3, §5).

    Parameters
    ----------
    n_inputs : int
        Number of task-relevant inputs (the teacher's weights on them are :math:`\mathcal N(0,\sigma_w^2)`).
    n_samples : int
        Number of training examples P.
    rng : numpy.random.Generator
        Source of randomness (teacher first, then X, then the noise).
    n_outputs : int, default 1
        Output dimension N_o (the paper uses 1).
    sigma_w2 : float, default 1
        Teacher weight variance σ_w² > 0.
    snr : float, default 1
        Signal-to-noise ratio σ_w²/σ_o² > 0 (the paper uses 1.0); σ_o² = σ_w²/snr.
    n_irrelevant : int, default 0
        Extra inputs with zero teacher weight, appended after the relevant ones ([P] §5 uses 30 + 70).

    Returns
    -------
    TeacherData
        With N_i = `n_inputs` + `n_irrelevant` and Σ_x = I/N_i.

    Raises
    ------
    ValueError
        On non-positive sizes or variances.

    References
    ----------
    .. [P] Saxe et al., ICLR 2018, §3 and §5; docs/formulas.md#s3-3.

    Examples
    --------
    >>> data = teacher_student_data(30, 100, np.random.default_rng(0), n_irrelevant=70)
    >>> data.X.shape, data.W_o.shape, int(data.relevant.sum()), float(np.abs(data.W_o[:, 30:]).max())
    ((100, 100), (1, 100), 30, 0.0)
    """
    n_rel = _positive_int(n_inputs, "n_inputs")
    P = _positive_int(n_samples, "n_samples")
    N_o = _positive_int(n_outputs, "n_outputs")
    n_irr = _positive_int(n_irrelevant, "n_irrelevant", minimum=0)
    sigma_w2 = _positive(sigma_w2, "sigma_w2")
    snr = _positive(snr, "snr")
    if not isinstance(rng, np.random.Generator):
        raise ValueError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
    N_i = n_rel + n_irr
    sigma_o2 = sigma_w2 / snr
    W_o = np.zeros((N_o, N_i))
    W_o[:, :n_rel] = rng.normal(0.0, np.sqrt(sigma_w2), size=(N_o, n_rel))
    X = rng.normal(0.0, 1.0 / np.sqrt(N_i), size=(P, N_i))
    Y = X @ W_o.T + rng.normal(0.0, np.sqrt(sigma_o2), size=(P, N_o))
    relevant = np.zeros(N_i, dtype=bool)
    relevant[:n_rel] = True
    return TeacherData(X, Y, W_o, sigma_o2, np.eye(N_i) / N_i, relevant)


def stack_teacher_data(draws: list[TeacherData]) -> TeacherData:
    """Stack same-shaped draws (one per seed) along a new leading seed axis.

    Parameters
    ----------
    draws : list of TeacherData
        Draws with identical shapes, σ_o², Σ_x and relevant mask.

    Returns
    -------
    TeacherData
        ``X`` of shape (S, P, N_i), ``Y`` (S, P, N_o), ``W_o`` (S, N_o, N_i).

    References
    ----------
    .. [P] Saxe et al., ICLR 2018, §3 and §5; docs/formulas.md#s3-3.
    """
    if not draws:
        raise ValueError("draws must contain at least one TeacherData")
    first = draws[0]
    for d in draws[1:]:
        if d.X.shape != first.X.shape or d.Y.shape != first.Y.shape or d.sigma_o2 != first.sigma_o2:
            raise ValueError("draws must share shapes and sigma_o2 to be stacked")
        if not np.array_equal(d.relevant, first.relevant):
            raise ValueError("draws must share the relevant-input mask to be stacked")
    return TeacherData(
        np.stack([d.X for d in draws]),
        np.stack([d.Y for d in draws]),
        np.stack([d.W_o for d in draws]),
        first.sigma_o2,
        first.Sigma_x,
        first.relevant,
    )
