r"""The noise view of binning ([P] §2, C13): :math:`I(h + \varepsilon; X)` for the minimal model, by quadrature.

[P] §2 reads binning as adding noise of fixed variance after the unit (citing Laughlin 1981). With
:math:`T = f(wX) + \varepsilon`, :math:`\varepsilon \sim N(0, \sigma^2)` independent of :math:`X`,

.. math:: I(T;X) = h(T) - h(T \mid X) = h(T) - \tfrac12 \log_2(2\pi e \sigma^2) \quad \text{bits},

where the density of :math:`T` is the law of :math:`h = f(wX)` smoothed by the Gaussian kernel. Here that law
enters only through its exact CDF :math:`F_h(y) = \Phi(f^{-1}(y)/|w|)`: the range of :math:`h` is cut into cells
of width :math:`\delta = \sigma/n_{\text{per}\,\sigma}`, each cell's exact mass is split equally between its two end
nodes (the trapezoid rule for the convolution), ReLU's point mass :math:`\tfrac12` sits exactly on the node at 0,
the masses are convolved with the Gaussian kernel sampled on the same grid, and :math:`h(T)` is a Riemann sum. The
quadrature error is second order in :math:`\delta/\sigma`; the linear unit, where
:math:`I = \tfrac12\log_2(1 + w^2/\sigma^2)` exactly, is the test.

References
----------
.. [P] Saxe et al., "On the Information Bottleneck Theory of Deep Learning", ICLR 2018, §2 and App C.
.. [L81] S. Laughlin, "A simple coding procedure enhances a neuron's information capacity", Z. Naturforsch. 36c
   (1981) 910–912.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import signal, special

from theory.activations import SymbolicActivation
from theory.three_neuron import _activation, _weights

__all__ = ["noisy_mutual_information"]

_Z_MAX = 8.5  # the law of wX is kept on |X| ≤ 8.5 (mass outside ≈ 2e-17)
_KERNEL_SIGMAS = 9.0  # the Gaussian kernel is truncated at ±9σ (mass outside ≈ 2e-19)


def _single(act: SymbolicActivation, w: float, sigma: float, per_sigma: int) -> float:
    if w == 0:
        return 0.0
    delta = sigma / per_sigma
    forward = np.vectorize(lambda x: float(act.expr(x)))
    if act.name == "linear":
        lo, hi = -_Z_MAX * w, _Z_MAX * w
    else:
        lo, hi = float(forward(-_Z_MAX * w)), float(forward(_Z_MAX * w))
    n_cells = max(2, math.ceil((hi - lo) / delta))
    nodes = lo + delta * np.arange(n_cells + 1)
    cdf = special.ndtr(act.inverse_numeric(nodes) / w)  # P(h < y); for ReLU this jumps by ½ at y = 0⁺
    point_mass = 0.0
    if act.flat_below_zero:
        point_mass = 0.5
        cdf = np.where(nodes > nodes[0], cdf - 0.5, 0.0)  # continuous part only
    cdf[0], cdf[-1] = 0.0, 1.0 - point_mass  # the tails beyond ±8.5 standard deviations are folded in
    cell = np.diff(cdf)
    mass = np.zeros(nodes.size)
    mass[:-1] += cell / 2
    mass[1:] += cell / 2
    mass[0] += point_mass
    half = math.ceil(_KERNEL_SIGMAS * per_sigma)
    offsets = delta * np.arange(-half, half + 1)
    kernel = np.exp(-0.5 * (offsets / sigma) ** 2) / (sigma * math.sqrt(2 * math.pi))
    density = signal.fftconvolve(mass, kernel, mode="full")
    density = np.maximum(density, 0.0)
    h_T = float(np.sum(special.entr(density)) * delta)  # differential entropy of T, nats
    h_noise = 0.5 * math.log(2 * math.pi * math.e * sigma**2)
    return max(0.0, (h_T - h_noise) / math.log(2))


def noisy_mutual_information(
    activation: str | SymbolicActivation,
    w: float | np.ndarray,
    sigma: float,
    *,
    per_sigma: int = 16,
) -> float | np.ndarray:
    r""":math:`I(f(wX) + \varepsilon; X)` in **bits**, :math:`X \sim N(0,1)`, :math:`\varepsilon \sim N(0,\sigma^2)`.

    Parameters
    ----------
    activation : str or SymbolicActivation
        ``"tanh"``, ``"relu"``, ``"softsign"``, ``"softplus"`` or ``"linear"``.
    w : float or array_like
        Weight(s); finite; ``I`` depends on ``|w|`` and is 0 at ``w = 0``.
    sigma : float
        Noise standard deviation, > 0. Uniform quantisation with bins of width Δ has the noise variance
        :math:`\Delta^2/12`; ``sigma = Δ/√12`` is the natural counterpart of binning with width Δ.
    per_sigma : int
        Quadrature cells per σ (accuracy; the default gives errors below 1e-3 bits).

    Returns
    -------
    float or numpy.ndarray
        Information in bits, shaped like `w`.

    Raises
    ------
    ValueError
        Unknown activation; NaN/inf weights; non-positive or non-finite `sigma`; `per_sigma` < 2.

    Examples
    --------
    >>> round(noisy_mutual_information("linear", 1.0, 0.5), 4), round(0.5 * math.log2(1 + 1 / 0.25), 4)
    (1.161, 1.161)
    """
    act = _activation(activation)
    w_abs = _weights(w)
    s = float(sigma) if isinstance(sigma, (int, float, np.floating, np.integer)) else float("nan")
    if not math.isfinite(s) or s <= 0:
        raise ValueError(f"sigma must be a finite positive noise standard deviation, got {sigma!r}")
    if isinstance(per_sigma, bool) or not isinstance(per_sigma, (int, np.integer)) or per_sigma < 2:
        raise ValueError(f"per_sigma must be an integer ≥ 2, got {per_sigma!r}")
    values = np.array([_single(act, float(x), s, int(per_sigma)) for x in w_abs.ravel()]).reshape(w_abs.shape)
    return float(values) if values.ndim == 0 else values
