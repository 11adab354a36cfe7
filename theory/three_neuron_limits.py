r"""Limits, argmax and asymptote of the minimal model's :math:`I(T;X)` ([P] §2, Fig 2C/2D; spec §3.2, C10, C11).

References
----------
.. [P] Saxe et al., "On the Information Bottleneck Theory of Deep Learning", ICLR 2018, §2, Fig 2.
"""

from __future__ import annotations

import mpmath
import numpy as np
import sympy as sp

from theory.activations import SymbolicActivation
from theory.normal_cdf import Phi
from theory.three_neuron import (
    Space,
    W,
    _activation,
    _entropy_bits_mp,
    _float_edges,
    _space,
    _weights,
    bin_probabilities,
    entropy_expr,
    mutual_information,
)

__all__ = ["argmax_weight", "large_weight_limit", "relu_asymptote", "small_weight_limit"]


def _bin_of(value: float, edges: np.ndarray, *, from_below: bool) -> int:
    """Index of the bin holding `value` (or values just below it, if `from_below`)."""
    if value == np.inf:
        return edges.size - 2
    if value == -np.inf:
        return 0
    count = np.sum(edges < value) if from_below else np.sum(edges <= value)
    return int(np.clip(count - 1, 0, edges.size - 2))


def small_weight_limit(activation: str | SymbolicActivation, edges, *, space: Space = "output") -> float:
    r""":math:`\lim_{w\to0^+} I(T;X)` in **bits**: 1 if :math:`h` for :math:`X<0` and :math:`X>0` end in different bins.

    As :math:`w \to 0^+`, half the mass approaches :math:`f(0)` from below (or sits at :math:`f(0)` for ReLU)
    and half from above. The limit is 1 bit when an edge sits exactly at :math:`f(0)` with mass on both sides
    (tanh/softsign with an even number of equal bins on [−1, 1]; spec §6 A21), else 0. Note :math:`I(0) = 0`.

    Examples
    --------
    >>> from theory.binning_edges import equal_width_edges, idnn_edges
    >>> small_weight_limit("tanh", equal_width_edges(30)), small_weight_limit("tanh", idnn_edges(30))
    (1.0, 0.0)
    """
    act = _activation(activation)
    e = _float_edges(edges)
    if _space(space) == "net_input":
        left, right = _bin_of(0.0, e, from_below=True), _bin_of(0.0, e, from_below=False)
    else:
        f0 = float(act.expr(sp.S.Zero))
        left = _bin_of(f0, e, from_below=not act.flat_below_zero)
        right = _bin_of(f0, e, from_below=False)
    return 0.0 if left == right else 1.0


def large_weight_limit(activation: str | SymbolicActivation, edges, *, space: Space = "output") -> float:
    r""":math:`\lim_{w\to\infty} I(T;X)` in **bits** for the given (finite) edges.

    Half the mass goes to the bin at the bottom of the range of ``f`` (ReLU: exactly 0), half to the bin at its
    top; for unbounded ``f`` that is the last bin, which by the edge semantics is :math:`[e_{N-1}, \infty)`.
    So the limit is 1 bit whenever those two bins differ ("more or less a coin flip", [P] §2, C10). With the
    true, infinite half-line binning the ReLU curve instead grows without bound (:func:`relu_asymptote`).

    Examples
    --------
    >>> from theory.binning_edges import equal_width_edges
    >>> large_weight_limit("tanh", equal_width_edges(30))
    1.0
    """
    act = _activation(activation)
    e = _float_edges(edges)
    if _space(space) == "net_input":
        return 0.0 if e.size == 2 else 1.0
    if act.flat_below_zero:
        left = _bin_of(float(act.expr(sp.S.Zero)), e, from_below=False)
    else:
        left = _bin_of(float(act.range.inf), e, from_below=False)
    right = _bin_of(float(act.range.sup), e, from_below=True)
    return 0.0 if left == right else 1.0


def relu_asymptote(w: float | np.ndarray, delta: float) -> float | np.ndarray:
    r"""Large-``w`` asymptote of the ReLU curve with half-line bins of width Δ, in **bits** (spec §3.2).

    .. math:: I \approx 1 + \tfrac12\Big[\log_2\frac{w}{\Delta} + \tfrac12\log_2\frac{\pi e}{2}\Big]

    Half the mass sits in bin 0 (1 bit of "which half"); the other half is a half-normal of scale :math:`w`
    whose binned entropy is its differential entropy :math:`\tfrac12\log_2(\pi e w^2/2)` minus
    :math:`\log_2 \Delta`, weighted by ½ (derived symbolically in
    :func:`theory.three_neuron_formulas.relu_asymptote_expr`).

    Examples
    --------
    >>> round(float(relu_asymptote(1000.0, 2 / 29)), 3)
    8.435
    """
    w_abs = _weights(w)
    d = float(delta)
    if not np.isfinite(d) or d <= 0:
        raise ValueError(f"delta must be a finite positive bin width, got {delta!r}")
    with np.errstate(divide="ignore"):
        value = 1.0 + 0.5 * (np.log2(w_abs / d) + 0.5 * np.log2(np.pi * np.e / 2.0))
    return float(value) if value.ndim == 0 else value


# ------------------------------------------------------------------------------------------------ argmax


def argmax_weight(
    activation: str | SymbolicActivation,
    edges,
    *,
    space: Space = "output",
    search: tuple[float, float] = (1e-2, 1e3),
    precision: int = 30,
) -> tuple[mpmath.mpf, mpmath.mpf]:
    r"""The weight maximising :math:`I(T;X)`, by solving :math:`dI/dw = 0` with ``mpmath.findroot``.

    :math:`dI/dw` is the SymPy derivative of :func:`entropy_expr` of :func:`bin_probabilities`, evaluated with
    mpmath. A log-spaced float scan over `search` brackets the maximum; the root is refined with the Illinois
    method at `precision` digits.

    Returns
    -------
    (w_star, I_star) : tuple of mpmath.mpf
        The argmax and the maximum in **bits**.

    Raises
    ------
    ValueError
        If the maximum is at an end of `search` (no interior stationary point).

    Examples
    --------
    >>> from theory.binning_edges import equal_width_edges
    >>> w_star, I_star = argmax_weight("tanh", equal_width_edges(30))
    >>> round(float(w_star), 3), round(float(I_star), 3)
    (0.869, 4.9)
    """
    act = _activation(activation)
    lo, hi = (float(search[0]), float(search[1]))
    if not (0 < lo < hi and np.isfinite(hi)):
        raise ValueError(f"search must be (low, high) with 0 < low < high < inf, got {search!r}")
    grid = np.geomspace(lo, hi, 400)
    values = mutual_information(act, grid, edges, space=space)
    k = int(np.argmax(values))
    if k in (0, grid.size - 1):
        raise ValueError(f"I(T;X) has no interior maximum on search={search!r} (max at w={grid[k]:.3g})")
    probabilities = bin_probabilities(act, edges, space=space)
    derivative = sp.diff(entropy_expr(probabilities), W).replace(Phi, lambda z: (1 + sp.erf(z / sp.sqrt(2))) / 2)
    d_dw = sp.lambdify(W, derivative, "mpmath")
    with mpmath.workdps(precision):
        w_star = mpmath.findroot(d_dw, (mpmath.mpf(grid[k - 1]), mpmath.mpf(grid[k + 1])), solver="illinois")
        I_star = _entropy_bits_mp(act, w_star, edges, space)
    return w_star, I_star
