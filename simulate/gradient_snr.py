r"""Gradient signal-to-noise statistics of [P] App I, Eqs 26–27 (docs/formulas.md#s3-10), for any network.

Given a stack of gradients of one layer's weights, one per training sample or one per minibatch,

.. math:: m_l=\big\lVert\langle\nabla_{W_l}E\rangle\big\rVert_F,\qquad
          s_l=\big\lVert\mathrm{STD}(\nabla_{W_l}E)\big\rVert_F,\qquad \mathrm{SNR}_l=m_l/s_l,

with the mean and the element-wise standard deviation (population, ddof = 0, as ibsgd's ``loggingreporter.py``)
taken over the stack axis and the Frobenius norm over the weight axes. The paper takes the statistics over
"all training samples" in Eqs 26–27 and Fig 21D, but over SGD minibatches in Figs 9–10 (ambiguity docs/choices.md#a13);
both are obtained from this one function by passing per-sample or per-minibatch gradients
(:func:`simulate.linear_student.per_sample_gradients`, :func:`simulate.linear_student.minibatch_gradients`
for the linear networks). Nothing here is specific to a network: any engineer's gradients fit.

References
----------
.. [P] Saxe et al., "On the Information Bottleneck Theory of Deep Learning", ICLR 2018, App I Eqs 26–27,
   Figs 20–21; App B.1 Figs 9–10 (row 4).
.. [SZT17] Shwartz-Ziv & Tishby, arXiv:1703.00810 (the drift and diffusion phases).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulate.network import layer_deltas
from simulate.validation import integer, real_array

__all__ = ["GradientSNR", "RunningGradientMoments", "gradient_statistics", "per_example_gradient_norms"]


@dataclass(frozen=True, eq=False)
class GradientSNR:
    """Mean-gradient norm, standard-deviation norm and their ratio ([P] Eqs 26–27).

    Attributes
    ----------
    mean_norm : numpy.ndarray
        :math:`m_l`, the Frobenius norm of the mean gradient (units of the gradient).
    std_norm : numpy.ndarray
        :math:`s_l`, the Frobenius norm of the element-wise population standard deviation.
    snr : numpy.ndarray
        :math:`m_l/s_l` (dimensionless); ``inf`` where :math:`s_l=0<m_l`, 0 where both vanish.
    n : int
        Number of gradients the statistics were taken over.
    """

    mean_norm: np.ndarray
    std_norm: np.ndarray
    snr: np.ndarray
    n: int


def gradient_statistics(gradients: np.ndarray, n_weight_axes: int = 2) -> GradientSNR:
    r"""Gradient SNR statistics over the leading axis of a stack of gradients.

    See [P] App I Eqs 26–27; docs/choices.md#a13.

    Parameters
    ----------
    gradients : array_like, shape (n, *batch, *weight_shape)
        Axis 0 indexes the samples (per-sample statistics) or the minibatches (per-minibatch statistics);
        the last `n_weight_axes` axes are the weight matrix (or vector); any axes between (e.g. seeds) are
        kept.
    n_weight_axes : int, default 2
        Number of trailing axes that form one layer's weights (2 for a matrix, 1 for a bias vector).

    Returns
    -------
    GradientSNR
        Arrays of shape ``batch`` (a 0-d array when there are no batch axes).

    Raises
    ------
    ValueError
        If fewer than 2 gradients are given, the array has too few axes, or it contains NaN/inf.

    References
    ----------
    .. [P] Saxe et al., ICLR 2018, App I Eqs 26–27; docs/formulas.md#s3-10 (population std, as ibsgd).

    Examples
    --------
    Two samples that agree give an infinite SNR; two that cancel give zero:

    >>> g = np.array([[[1.0, 1.0]], [[1.0, 1.0]]])
    >>> float(gradient_statistics(g).snr)
    inf
    >>> float(gradient_statistics(np.array([[[1.0]], [[-1.0]]])).snr)
    0.0
    """
    G = real_array("gradients", gradients, finite=False)
    n_weight_axes = integer("n_weight_axes", n_weight_axes, minimum=1)
    if G.ndim < n_weight_axes + 1:
        raise ValueError(
            f"gradients must have shape (n, *batch, *weight_shape) with {n_weight_axes} weight axes, got {G.shape}"
        )
    if G.shape[0] < 2:
        raise ValueError(f"gradients must stack at least 2 gradients along axis 0, got {G.shape[0]}")
    if not np.all(np.isfinite(G)):
        raise ValueError("gradients must be finite (no NaN or inf)")
    weight_axes = tuple(range(G.ndim - 1 - n_weight_axes, G.ndim - 1))
    mean = G.mean(axis=0)
    std = G.std(axis=0)  # population standard deviation (ddof = 0), element-wise
    m = np.sqrt(np.sum(mean * mean, axis=weight_axes))
    s = np.sqrt(np.sum(std * std, axis=weight_axes))
    with np.errstate(divide="ignore", invalid="ignore"):
        snr = np.where(s > 0, m / np.where(s > 0, s, 1.0), np.where(m > 0, np.inf, 0.0))
    return GradientSNR(m, s, snr, int(G.shape[0]))


class RunningGradientMoments:
    """Element-wise mean and sum of squared deviations of gradients added in chunks (Chan et al.'s update).

    Gives the statistics of :func:`gradient_statistics` (population std) over many gradients without holding them
    all: ``add`` takes chunks of shape (S, G, *weight_shape) (G gradients of S networks); ``norms`` returns
    (m_l, s_l, n) with m_l and s_l of shape (S,).
    """

    def __init__(self) -> None:
        self.n = 0
        self.mean: np.ndarray | None = None
        self.m2: np.ndarray | None = None

    def add(self, chunk: np.ndarray) -> None:
        """Add G gradients per network, ``chunk`` of shape (S, G, *weight_shape)."""
        chunk = np.asarray(chunk, dtype=np.float64)
        if chunk.ndim < 3:
            raise ValueError(f"chunk must have shape (S, G, *weight_shape), got {chunk.shape}")
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
        """(m_l, s_l, n): Frobenius norms of the mean and of the element-wise population std, per network."""
        if self.mean is None or self.n < 2:
            raise ValueError("at least 2 gradients are needed for the gradient SNR statistics")
        axes = tuple(range(1, self.mean.ndim))
        return np.sqrt((self.mean**2).sum(axis=axes)), np.sqrt((self.m2 / self.n).sum(axis=axes)), self.n


def per_example_gradient_norms(
    params, forward_pass, X, Y, activation, index: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    r"""m_l and s_l over the per-example kernel gradients of the examples `index`, without materialising them.

    The per-example gradient of layer l is the outer product :math:`g_n = a_n\delta_n^\top`, so its mean is one
    matrix product and :math:`\sum_n\lVert g_n\rVert_F^2 = \sum_n\lVert a_n\rVert^2\lVert\delta_n\rVert^2`:
    the cost is one forward/backward pass over the examples, affordable for the 784×1024 MNIST kernel at every
    logged epoch. float64 cancellation limits the std to SNRs below ≈ 10⁷, far above any measured value.

    Parameters
    ----------
    params : simulate.parameters.Params
        S networks.
    forward_pass : simulate.network.ForwardPass
        Their forward pass on `X`.
    X, Y : numpy.ndarray
        Inputs (n, d) or (S, n, d) and one-hot targets.
    activation : simulate.activations.Activation
        Hidden nonlinearity.
    index : numpy.ndarray, shape (S, G)
        Which examples of each seed enter the statistics.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        m_l and s_l, each (S, L), population statistics as :func:`gradient_statistics`.
    """
    deltas = layer_deltas(params, forward_pass, Y, activation)
    S, G = index.shape
    X = np.broadcast_to(np.asarray(X, dtype=np.float64), (S, *np.shape(X)[-2:]))
    seed_index = np.arange(S)[:, None]
    mean_norms, std_norms = [], []
    for a, delta in zip([X, *forward_pass.post[:-1]], deltas):
        a_g, d_g = a[seed_index, index], delta[seed_index, index]  # (S, G, fan_in), (S, G, fan_out)
        if not (np.all(np.isfinite(a_g)) and np.all(np.isfinite(d_g))):
            raise FloatingPointError("non-finite gradient in the gradient SNR statistics (the run diverged)")
        mean = np.matmul(np.swapaxes(a_g, 1, 2), d_g) / G  # (S, fan_in, fan_out)
        mean_sq = np.einsum("sio,sio->s", mean, mean)
        second = np.einsum("sg,sg->s", np.einsum("sgi,sgi->sg", a_g, a_g), np.einsum("sgo,sgo->sg", d_g, d_g)) / G
        mean_norms.append(np.sqrt(mean_sq))
        std_norms.append(np.sqrt(np.maximum(second - mean_sq, 0.0)))
    return np.stack(mean_norms, axis=1), np.stack(std_norms, axis=1)
