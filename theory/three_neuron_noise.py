r"""The noise view of binning ([P] §2, C13): :math:`I(h + \varepsilon; X)` for the minimal model, by quadrature.

[P] §2 reads binning as adding noise of fixed variance after the unit (citing Laughlin 1981). With
:math:`T = f(wX) + \varepsilon`, :math:`\varepsilon \sim N(0, \sigma^2)` independent of :math:`X`,

.. math:: I(T;X) = h(T) - h(T \mid X) = h(T) - \tfrac12 \log_2(2\pi e \sigma^2) \quad \text{bits},

where the density of :math:`T` is the law of :math:`h = f(wX)` smoothed by the Gaussian kernel. Here that law
enters only through its exact CDF :math:`F_h(y) = \Phi(f^{-1}(y)/|w|)`: the range of :math:`h` is cut into cells
of width :math:`\delta = \min(\sigma, |w|)/n_{\text{per}\,\sigma}` centred on grid nodes; each cell's exact mass, spread
uniformly over the cell and smoothed by :math:`N(0,\sigma^2)`, is replaced by the Gaussian
:math:`N(\text{node}, \sigma^2 + \delta^2/12)` (equal to second order); ReLU's point mass :math:`\tfrac12` sits
exactly on the node at 0 with the kernel :math:`N(0, \sigma^2)`; :math:`h(T)` is a Riemann sum on the same grid.
The linear unit, where :math:`I = \tfrac12\log_2(1 + w^2/\sigma^2)` exactly, and ReLU, whose smoothed density
has a closed form, are the tests (errors below 1e-4 bits).

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

from theory.activations import SymbolicActivation, get_activation
from theory.validation import positive_integer, positive_number, real_array

__all__ = ["noisy_mutual_information"]

_Z_MAX = 8.5  # the law of wX is kept on |X| ≤ 8.5 (mass outside ≈ 2e-17)
_KERNEL_SIGMAS = 9.0  # the Gaussian kernel is truncated at ±9σ (mass outside ≈ 2e-19)


def _single(act: SymbolicActivation, w: float, sigma: float, per_sigma: int) -> float:
    if w == 0:
        return 0.0
    # Cells resolve both the noise and the spread of h (~|w| near 0); below |w| = σ/256, where I < 1e-5 bits,
    # the cell width stops shrinking (the kernel would grow without bound).
    delta = max(min(sigma, w), sigma / 256) / per_sigma
    forward = np.vectorize(lambda x: float(act.expr(x)))
    if act.name == "linear":
        lo, hi = -_Z_MAX * w, _Z_MAX * w
    else:
        lo, hi = float(forward(-_Z_MAX * w)), float(forward(_Z_MAX * w))
    n_nodes = max(3, math.ceil((hi - lo) / delta) + 1)
    nodes = lo + delta * np.arange(n_nodes)
    bounds = np.concatenate([nodes - delta / 2, [nodes[-1] + delta / 2]])
    cdf = special.ndtr(act.inverse_numeric(bounds) / w)  # P(h < y); for ReLU this jumps by ½ at y = 0⁺
    point_mass = 0.0
    if act.flat_below_zero:
        point_mass = 0.5  # sits exactly on node 0 (lo = f(0) = 0)
        cdf = np.where(bounds > lo, cdf - 0.5, 0.0)  # continuous part only
    cdf[0], cdf[-1] = 0.0, 1.0 - point_mass  # the tails beyond ±8.5 standard deviations are folded in
    mass = np.diff(cdf)
    half = math.ceil(_KERNEL_SIGMAS * sigma / delta)
    offsets = delta * np.arange(-half, half + 1)
    # A cell's mass spread uniformly over the cell, convolved with N(0, σ²), is N(0, σ² + δ²/12) to second order.
    sigma_cells = math.sqrt(sigma**2 + delta**2 / 12)
    kernel = np.exp(-0.5 * (offsets / sigma_cells) ** 2) / (sigma_cells * math.sqrt(2 * math.pi))
    density = signal.fftconvolve(mass, kernel, mode="full")
    if point_mass:
        t = lo + delta * np.arange(-half, n_nodes + half)
        density += point_mass * np.exp(-0.5 * ((t - lo) / sigma) ** 2) / (sigma * math.sqrt(2 * math.pi))
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
        Quadrature cells per σ (accuracy; the default gives errors below 1e-4 bits).

    Returns
    -------
    float or numpy.ndarray
        Information in bits, shaped like `w`.

    Raises
    ------
    ValueError
        Unknown activation; NaN/inf weights; non-positive or non-finite `sigma`; `per_sigma` < 2.
    TypeError
        String, boolean or complex `w` or `sigma`; non-integer `per_sigma`.

    Examples
    --------
    >>> round(noisy_mutual_information("linear", 1.0, 0.5), 3), round(0.5 * math.log2(1 + 1 / 0.25), 3)
    (1.161, 1.161)
    """
    act = get_activation(activation)
    w_abs = np.abs(real_array("w", w))
    s = positive_number("sigma", sigma)
    if positive_integer("per_sigma", per_sigma) < 2:
        raise ValueError(f"per_sigma must be an integer ≥ 2, got {per_sigma!r}")
    values = np.array([_single(act, float(x), s, int(per_sigma)) for x in w_abs.ravel()]).reshape(w_abs.shape)
    return float(values) if values.ndim == 0 else values
