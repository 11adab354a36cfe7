r"""The minimal three-neuron model of [P] §2, exactly: :math:`X \sim N(0,1)`, :math:`h = f(wX)`, :math:`T = bin(h)`.

Because :math:`T` is a deterministic function of :math:`X`, :math:`H(T \mid X) = 0` and
:math:`I(T;X) = H(T) = -\sum_i p_i \log_2 p_i` ([P] Eqs 1–2), with ([P] Eqs 3–4, docs/formulas.md#s3-2)

.. math:: p_i = P(e_i \le h < e_{i+1}) = \Phi\!\big(f^{-1}(e_{i+1})/w\big) - \Phi\!\big(f^{-1}(e_i)/w\big), \quad w > 0.

Edge semantics (as in :mod:`theory.binning_edges`): bins are :math:`[e_k, e_{k+1})`; a value below the first
edge falls in the first bin and a value at or above the last edge in the last bin. Edges outside the range of
``f`` map to :math:`\pm\infty`. ReLU's point mass :math:`P(h = 0) = \tfrac12` is exact: :math:`P(h < y) =
\Phi(y/w)` for :math:`y > 0` and 0 for :math:`y \le 0`.

Weights: :math:`I` depends on :math:`|w|` only (:math:`X` and :math:`-X` have the same law). At :math:`w = 0`,
:math:`h = f(0)` is constant and :math:`I = 0` exactly; the limit :math:`w \to 0^+` can differ (1 bit when an
edge sits at :math:`f(0)`, e.g. an even number of equal bins on [−1, 1], docs/choices.md#a21):
see :func:`small_weight_limit`. The limits w → 0⁺ and w → ∞, the argmax and the ReLU asymptote are in this
module too (one concept: the exact binned information of the minimal model); the noise view of binning, a
different channel, is :mod:`theory.three_neuron_noise`.

``space="net_input"`` bins the net input :math:`wX` itself at the given edges (App C, Fig 13); for strictly
increasing ``f`` this is the partition of binning ``h`` at ``f(edges)``.

References
----------
.. [P] Saxe et al., "On the Information Bottleneck Theory of Deep Learning", ICLR 2018, §2, Eqs 1–4, Fig 2,
   App B.2, App C (Fig 13).
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Sequence
from typing import Literal

import mpmath
import numpy as np
import sympy as sp
from scipy import special

from theory.activations import SymbolicActivation, get_activation
from theory.normal_cdf import Phi
from theory.validation import positive_integer, positive_number, real_array, real_number

__all__ = [
    "W",
    "argmax_weight",
    "bin_probabilities",
    "entropy_expr",
    "formulas",
    "large_weight_limit",
    "mutual_information",
    "relu_asymptote",
    "relu_asymptote_expr",
    "small_weight_limit",
]

#: The weight :math:`w_1` as a positive SymPy symbol.
W = sp.Symbol("w", positive=True)

Space = Literal["output", "net_input"]
_LN2 = float(np.log(2.0))
_MP_Z_MAX = 1e8  # clamp of the standardised thresholds in the mpmath path (see _entropy_bits_mp)
_CHUNK_ELEMENTS = 2_000_000  # weights × bins evaluated at once (memory bound of the vectorised path)


# ------------------------------------------------------------------------------------------------ validation


def _activation(activation: str | SymbolicActivation) -> SymbolicActivation:
    return get_activation(activation)


def _space(space: str) -> str:
    if space not in ("output", "net_input"):
        raise ValueError(f"space must be 'output' or 'net_input', got {space!r}")
    return space


def _float_edges(edges: Sequence[float] | np.ndarray) -> np.ndarray:
    if isinstance(edges, (str, bytes)) or not hasattr(edges, "__len__"):
        raise TypeError(f"edges must be a 1-D sequence of finite real numbers, got {edges!r}")
    values = real_array("edges", list(edges))
    if values.ndim != 1 or values.size < 2:
        raise ValueError(f"edges must be a 1-D sequence of at least 2 values (1 bin), got shape {values.shape}")
    if not np.all(np.diff(values) > 0):
        raise ValueError("edges must be strictly increasing")
    return values


def _weights(w: float | np.ndarray) -> np.ndarray:
    """|w| as floats; I(T;X) depends on |w| only. Strings, booleans and complex weights are refused."""
    return np.abs(real_array("w", w))


def _precision(precision: object) -> int | None:
    if precision is None:
        return None
    return positive_integer("precision", precision)


# ------------------------------------------------------------------------------------------------ symbolic


def _exact_edges(edges: Sequence) -> list[sp.Expr]:
    _float_edges(edges)  # validation
    out = []
    for e in edges:
        out.append(e if isinstance(e, sp.Basic) else sp.nsimplify(float(e), rational=True, tolerance=1e-15))
    return out


def _threshold_expr(act: SymbolicActivation, edge: sp.Expr, space: str) -> sp.Expr:
    """The net input at which ``h`` crosses `edge` (``P(h < edge) = Φ(threshold / w)``)."""
    if space == "net_input":
        return edge
    if (edge <= act.range.inf) == sp.true:
        return -sp.oo
    if (edge >= act.range.sup) == sp.true:
        return sp.oo
    return sp.simplify(act.inverse(edge))


def bin_probabilities(
    activation: str | SymbolicActivation, edges: Sequence, *, space: Space = "output"
) -> list[sp.Expr]:
    r"""The exact bin probabilities :math:`p_i(w)` as SymPy expressions in the positive symbol :data:`W` ([P] Eq 3–4).

    Parameters
    ----------
    activation : str or SymbolicActivation
        ``"tanh"``, ``"relu"``, ``"softsign"``, ``"softplus"`` or ``"linear"``.
    edges : sequence
        Strictly increasing bin edges (floats are converted to nearby rationals; pass SymPy numbers, e.g. from
        ``equal_width_edges(exact=True)``, to control them exactly). Semantics in the module docstring.
    space : {"output", "net_input"}
        Bin ``h = f(wX)`` (default) or the net input ``wX``.

    Returns
    -------
    list of sympy.Expr
        One probability per bin, in terms of :class:`theory.normal_cdf.Phi`; they sum to 1. The last bin is
        written :math:`\Phi(-t/w)` (the upper tail), the others :math:`\Phi(t_{i+1}/w) - \Phi(t_i/w)`.

    Raises
    ------
    ValueError
        Unknown activation or space; fewer than 2 edges; non-finite or non-increasing edges.

    Examples
    --------
    >>> bin_probabilities("relu", [0, 1, 2, 3])
    [Phi(1/w), -Phi(1/w) + Phi(2/w), Phi(-2/w)]
    >>> bin_probabilities("tanh", [-1, 0, 1])
    [1/2, 1/2]
    """
    act = _activation(activation)
    _space(space)
    exact = _exact_edges(edges)
    thresholds = [_threshold_expr(act, e, space) for e in exact[1:-1]]
    if not thresholds:
        return [sp.S.One]
    probs = [Phi(thresholds[0] / W)]
    probs += [Phi(b / W) - Phi(a / W) for a, b in itertools.pairwise(thresholds)]
    probs.append(Phi(-thresholds[-1] / W))
    return probs


def entropy_expr(probabilities: Sequence[sp.Expr]) -> sp.Expr:
    r""":math:`H(T) = -\sum_i p_i \log_2 p_i` as a SymPy expression, in **bits** ([P] Eq 2).

    Probabilities that are identically 0 are dropped (:math:`0 \log 0 = 0`).

    Raises
    ------
    TypeError
        If `probabilities` is a string or holds anything but SymPy expressions or real numbers.
    """
    if isinstance(probabilities, (str, bytes)) or not hasattr(probabilities, "__iter__"):
        raise TypeError(f"probabilities must be a sequence of SymPy expressions, got {probabilities!r}")
    probabilities = list(probabilities)
    for p in probabilities:
        if not isinstance(p, sp.Basic):
            real_number("probabilities[i]", p)  # a plain number is accepted; strings, complex, bool refused
    probabilities = [p if isinstance(p, sp.Basic) else sp.nsimplify(float(p), rational=True) for p in probabilities]
    return -sp.Add(*[p * sp.log(p) for p in probabilities if p != 0]) / sp.log(2)


# ------------------------------------------------------------------------------------------------ numerics


def _thresholds(act: SymbolicActivation, edges: np.ndarray, space: str) -> np.ndarray:
    inner = edges[1:-1]
    return inner.copy() if space == "net_input" else act.inverse_numeric(inner)


def _bin_mass(z_lo: np.ndarray, z_hi: np.ndarray) -> np.ndarray:
    """``Φ(z_hi) − Φ(z_lo)`` without cancellation: erf difference near 0, erfc (tail) differences elsewhere."""
    scale = 1.0 / np.sqrt(2.0)
    mass = np.empty(np.broadcast_shapes(z_lo.shape, z_hi.shape))
    central = ((z_lo < 0) & (z_hi > 0)) | ((z_lo >= -1) & (z_hi <= 1))
    upper = ~central & (z_lo >= 0)
    lower = ~central & ~upper
    mass[central] = 0.5 * (special.erf(z_hi[central] * scale) - special.erf(z_lo[central] * scale))
    mass[upper] = 0.5 * (special.erfc(z_lo[upper] * scale) - special.erfc(z_hi[upper] * scale))
    mass[lower] = 0.5 * (special.erfc(-z_hi[lower] * scale) - special.erfc(-z_lo[lower] * scale))
    return np.maximum(mass, 0.0)


def _entropy_bits_float(act: SymbolicActivation, w_abs: np.ndarray, edges: np.ndarray, space: str) -> np.ndarray:
    t = _thresholds(act, edges, space)
    flat_w = w_abs.ravel()
    out = np.zeros(flat_w.shape)
    positive = np.flatnonzero(flat_w > 0)
    chunk = max(1, _CHUNK_ELEMENTS // max(1, t.size + 1))
    for start in range(0, positive.size, chunk):
        idx = positive[start : start + chunk]
        with np.errstate(over="ignore"):  # tiny |w|: thresholds / w overflow to ±inf, which is their limit
            z = t[None, :] / flat_w[idx, None]
        lo = np.concatenate([np.full((idx.size, 1), -np.inf), z], axis=1)
        hi = np.concatenate([z, np.full((idx.size, 1), np.inf)], axis=1)
        p = _bin_mass(lo, hi)
        out[idx] = special.entr(p).sum(axis=1) / _LN2
    return out.reshape(w_abs.shape)


def _mp_threshold(act: SymbolicActivation, edge: object, space: str) -> mpmath.mpf:
    e = mpmath.mpf(sp.N(edge, mpmath.mp.dps + 5)) if isinstance(edge, sp.Basic) else mpmath.mpf(float(edge))
    if space == "net_input":
        return e
    low, high = act.range.inf, act.range.sup
    if low != -sp.oo and e <= mpmath.mpf(float(low)):
        return mpmath.mpf("-inf")
    if high != sp.oo and e >= mpmath.mpf(float(high)):
        return mpmath.mpf("inf")
    return _mp_inverse(act.name)(e)


@functools.cache
def _mp_inverse(name: str):
    y = sp.Symbol("y", real=True)
    return sp.lambdify(y, get_activation(name).inverse(y), "mpmath")


def _entropy_bits_mp(act: SymbolicActivation, w_abs: float, edges: Sequence, space: str) -> mpmath.mpf:
    if w_abs == 0:
        return mpmath.mpf(0)
    w_mp = mpmath.mpf(w_abs)
    # |z| is clamped at _MP_Z_MAX: mpmath's ncdf overflows beyond ~1e150, and the mass beyond 1e8 standard
    # deviations, exp(-5e15), is below any precision a caller can ask for (it changes no digit of H(T)).
    z_max = mpmath.mpf(_MP_Z_MAX)
    z = [mpmath.mpf("-inf")]
    for e in list(edges)[1:-1]:
        threshold = _mp_threshold(act, e, space)
        z.append(threshold if mpmath.isinf(threshold) else max(-z_max, min(z_max, threshold / w_mp)))
    z.append(mpmath.mpf("inf"))
    total = mpmath.mpf(0)
    for lo, hi in itertools.pairwise(z):
        p = mpmath.ncdf(-lo) - mpmath.ncdf(-hi) if lo >= 0 else mpmath.ncdf(hi) - mpmath.ncdf(lo)
        if p > 0:
            total -= p * mpmath.log(p, 2)
    return total


def mutual_information(
    activation: str | SymbolicActivation,
    w: float | np.ndarray,
    edges: Sequence[float] | np.ndarray,
    *,
    space: Space = "output",
    precision: int | None = None,
):
    r"""Exact :math:`I(T;X) = H(T)` of the minimal model, in **bits** ([P] §2, Eqs 1–4).

    Parameters
    ----------
    activation : str or SymbolicActivation
        ``"tanh"``, ``"relu"``, ``"softsign"``, ``"softplus"`` or ``"linear"``.
    w : float or array_like
        The weight :math:`w_1`; any finite real (``I`` depends on ``|w|``; ``I(0) = 0``).
    edges : array_like
        Strictly increasing finite bin edges (semantics in the module docstring).
    space : {"output", "net_input"}
        Bin ``h`` (default) or the net input ``wX`` (App C).
    precision : int, optional
        If given, evaluate with mpmath at this many decimal digits (slow; a reference for the float path).

    Returns
    -------
    float or numpy.ndarray or mpmath.mpf or numpy.ndarray of mpmath.mpf
        ``H(T)`` in bits, shaped like `w`. The float path is vectorised with SciPy's ``erf``/``erfc``; each bin
        probability is computed without subtracting numbers near 1 (erf differences for bins near the median,
        upper- or lower-tail erfc differences elsewhere), so it stays accurate for ``|w|`` from 1e-8 to 1e6.

    Raises
    ------
    ValueError
        Unknown activation or space; NaN/inf weights; fewer than 2, non-finite or non-increasing edges;
        `precision` not a positive integer.

    Examples
    --------
    >>> from theory.binning_edges import equal_width_edges
    >>> round(float(mutual_information("tanh", 0.869, equal_width_edges(30))), 3)
    4.9
    >>> float(mutual_information("tanh", 0.0, equal_width_edges(30)))
    0.0
    """
    act = _activation(activation)
    _space(space)
    edge_values = _float_edges(edges)
    w_abs = _weights(w)
    digits = _precision(precision)
    if digits is None:
        result = _entropy_bits_float(act, w_abs, edge_values, space)
        return float(result) if result.ndim == 0 else result
    with mpmath.workdps(digits):
        values = [_entropy_bits_mp(act, float(x), edges, space) for x in w_abs.ravel()]
    if w_abs.ndim == 0:
        return values[0]
    return np.array(values, dtype=object).reshape(w_abs.shape)


# ------------------------------------------------------------------------------------------------ limits
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
    (tanh/softsign with an even number of equal bins on [−1, 1]; docs/choices.md#a21), else 0. Note :math:`I(0) = 0`.

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
    r"""Large-``w`` asymptote of the ReLU curve with half-line bins of width Δ, in **bits** (docs/formulas.md#s3-2).

    .. math:: I \approx 1 + \tfrac12\Big[\log_2\frac{w}{\Delta} + \tfrac12\log_2\frac{\pi e}{2}\Big]

    Half the mass sits in bin 0 (1 bit of "which half"); the other half is a half-normal of scale :math:`w`
    whose binned entropy is its differential entropy :math:`\tfrac12\log_2(\pi e w^2/2)` minus
    :math:`\log_2 \Delta`, weighted by ½ (derived symbolically in
    :func:`relu_asymptote_expr`).

    Examples
    --------
    >>> round(float(relu_asymptote(1000.0, 2 / 29)), 3)
    8.435
    """
    w_abs = _weights(w)
    d = positive_number("delta", delta)
    if np.any(w_abs == 0):
        raise ValueError("w must be non-zero: the asymptote describes large |w| (it tends to -inf as w -> 0)")
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
    accepted = "a pair (low, high) of weights with 0 < low < high < inf"
    if isinstance(search, (str, bytes)) or not hasattr(search, "__len__") or len(search) != 2:
        raise ValueError(f"search must be {accepted}, got {search!r}")
    lo, hi = real_number("search[0]", search[0]), real_number("search[1]", search[1])
    if not 0 < lo < hi:
        raise ValueError(f"search must be {accepted}, got {search!r}")
    digits = positive_integer("precision", precision)
    grid = np.geomspace(lo, hi, 400)
    values = mutual_information(act, grid, edges, space=space)
    k = int(np.argmax(values))
    if k in (0, grid.size - 1):
        raise ValueError(f"I(T;X) has no interior maximum on search={search!r} (max at w={grid[k]:.3g})")
    probabilities = bin_probabilities(act, edges, space=space)
    derivative = sp.diff(entropy_expr(probabilities), W).replace(Phi, lambda z: (1 + sp.erf(z / sp.sqrt(2))) / 2)
    d_dw = sp.lambdify(W, derivative, "mpmath")
    with mpmath.workdps(digits):
        w_star = mpmath.findroot(d_dw, (mpmath.mpf(grid[k - 1]), mpmath.mpf(grid[k + 1])), solver="illinois")
        I_star = _entropy_bits_mp(act, w_star, edges, space)
    return w_star, I_star


# ------------------------------------------------------------------------------------------------ formulas


@functools.lru_cache(maxsize=8)
def relu_asymptote_expr(delta: sp.Symbol | None = None) -> sp.Expr:
    r"""Derive the large-``w`` ReLU asymptote (docs/formulas.md#s3-2) symbolically, in **bits**.

    :math:`H(T) \approx H_b(\tfrac12) + \tfrac12\,[h(|wX|) - \log_2\Delta]`: one bit for "zero or positive",
    plus half the binned entropy of the half-normal of scale ``w``, whose differential entropy SymPy integrates
    here. The result equals :math:`1 + \tfrac12[\log_2(w/\Delta) + \tfrac12\log_2(\pi e/2)]`.

    Examples
    --------
    >>> D = sp.Symbol("Delta", positive=True)
    >>> sp.simplify(relu_asymptote_expr(D) - (1 + (sp.log(W / D, 2) + sp.log(sp.pi * sp.E / 2, 2) / 2) / 2))
    0
    """
    d = sp.Symbol("Delta", positive=True) if delta is None else delta
    x = sp.Symbol("x", positive=True)
    density = sp.sqrt(2 / sp.pi) / W * sp.exp(-(x**2) / (2 * W**2))
    h_nats = sp.integrate(sp.expand_log(-density * sp.log(density), force=True), (x, 0, sp.oo))
    return sp.simplify(1 + (h_nats / sp.log(2) - sp.log(d, 2)) / 2)


def formulas() -> list:
    """The minimal model's formulas for LaTeX export ([P] Eqs 1–4, docs/formulas.md#s3-2), each a derivation's result.

    Returns
    -------
    list of theory.latex.Formula
        I(T;X) = H(T) in bits (Eqs 1–2); p_i for tanh, softsign and softplus on a bin :math:`[b_i, b_{i+1})`
        (Eqs 3–4); ReLU's half-line p_0 (with the point mass) and p_k; the large-``w`` ReLU asymptote; and the
        linear noise-view information. Each right-hand side is the final step of a derivation of
        :func:`derivations` (the ReLU p_k is the Eqs 3–4 form with f⁻¹(y) = y at the edges kΔ, (k+1)Δ).
    """
    from theory.latex import Formula

    k = sp.Symbol("k", integer=True, positive=True)
    delta, sigma = sp.Symbol("Delta", positive=True), sp.Symbol("sigma", positive=True)
    # the Eqs 3–4 form with ReLU's inverse f⁻¹(y) = y on y > 0, at the edges kΔ and (k + 1)Δ
    p_k = Phi((k + 1) * delta / _W1) - Phi(k * delta / _W1)

    src = "[P] §2"
    out = [
        Formula(
            "three_neuron.entropy",
            "Minimal model: the information is the entropy of the bins, since $H(T \\mid X) = 0$",
            "I(T;X)",
            information_derivation().result,
            "1-2",
            src + ", Eqs 1–2",
        ),
        Formula(
            "three_neuron.p_tanh",
            "tanh: probability of bin $[b_i, b_{i+1})$",
            "p_i",
            bin_probability_derivation("tanh").result,
            "3-4",
            src + ", Eqs 3–4",
        ),
        Formula(
            "three_neuron.p_softsign",
            "softsign: probability of bin $[b_i, b_{i+1})$",
            "p_i",
            bin_probability_derivation("softsign").result,
            None,
            "[P] App B.2; docs/formulas.md#s3-2 table",
        ),
        Formula(
            "three_neuron.p_softplus",
            "softplus: probability of bin $[b_i, b_{i+1})$, $0 < b_i$",
            "p_i",
            bin_probability_derivation("softplus").result,
            None,
            "[P] App B.2; docs/formulas.md#s3-2 table",
        ),
        Formula(
            "three_neuron.p0_relu",
            "ReLU, half-line bins: bin 0 holds the point mass $P(h = 0) = 1/2$",
            "p_0",
            relu_bin_derivation().result,
            "3-4",
            "docs/formulas.md#s3-2",
        ),
        Formula(
            "three_neuron.pk_relu",
            "ReLU, half-line bins: bin $k \\ge 1$",
            "p_k",
            p_k,
            "3-4",
            "docs/formulas.md#s3-2",
        ),
        Formula(
            "three_neuron.relu_asymptote",
            "ReLU, half-line bins of width $\\Delta$: the large-$w_1$ asymptote (bits)",
            "I(T;X)",
            relu_asymptote_derivation().result.xreplace({W: _W1}),
            None,
            "docs/formulas.md#s3-2 [ours]; derived here",
            relation="\\approx",
        ),
        Formula(
            "three_neuron.noise_linear",
            "Noise view, linear unit: $I(w_1 X + \\varepsilon; X)$ with $\\varepsilon \\sim N(0, \\sigma^2)$ (bits)",
            "I(h+\\varepsilon;X)",
            sp.log(1 + _W1**2 / sigma**2, 2) / 2,
            None,
            "[P] §2 (binning as noise), App C Eq 21 (exact Gaussian form)",
        ),
    ]
    return out


# ------------------------------------------------------------------------------------------------ derivations

#: The strictly increasing activations, whose bins are intervals of the net input (Eqs 3–4 as printed).
STRICTLY_INCREASING = ("tanh", "softsign", "softplus")
#: Bin layouts of the limit derivations: ``"equal"`` = 4 equal bins on [−1, 1] (an edge at 0, like the paper's
#: 30), ``"half_line"`` = bins [kΔ, (k+1)Δ) with Δ = 1/3 (ReLU's layout); small so that every step prints in a
#: line; the tests rebuild them with the paper's 30 bins and compare with :func:`small_weight_limit` and
#: :func:`large_weight_limit`.
LIMIT_LAYOUTS = ("equal", "half_line")

_X = sp.Symbol("x", real=True)
_W1 = sp.Symbol("w_1", positive=True)  # the paper's w_1, in the derivations' notation


def _density(x: sp.Expr) -> sp.Expr:
    return sp.exp(-(x**2) / 2) / sp.sqrt(2 * sp.pi)


def _monotone_check(act: SymbolicActivation):
    """A custom step check: f strictly increasing with f(f⁻¹(y)) = y, so {a ≤ f(w x) < b} = [f⁻¹(a)/w, f⁻¹(b)/w)."""
    xp = sp.Symbol("x_p", positive=True)
    y = sp.Symbol("y", real=True)

    def check(_previous: sp.Basic, _new: sp.Basic) -> bool:
        increasing = all(
            sp.simplify(act.derivative(_X).subs(_X, side)).is_positive for side in (xp, -xp)
        )  # f' > 0 on x > 0 and on x < 0 (SymPy, with the sign of x as an assumption)
        rng = np.random.default_rng(3)
        low = -0.95 if act.range.inf == -1 else 0.05
        ys = rng.uniform(low, 0.95, 6) if act.range.sup == 1 else rng.uniform(low, 20.0, 6)
        composed = sp.lambdify(y, act.expr(act.inverse(y)), "mpmath")
        inverse_ok = all(abs(float(composed(mpmath.mpf(v))) - v) < 1e-12 for v in ys)
        return bool(increasing and inverse_ok)

    return (
        check,
        "f strictly increasing (SymPy: f'(x) > 0 for x > 0 and x < 0) and f(f^{-1}(y)) = y (at 6 random points"
        " of the range, to 1e-12: SymPy cannot simplify the composition with |y| for softsign)",
    )


@functools.cache
def bin_probability_derivation(activation: str):
    r"""Derive :math:`p_i=\Phi(f^{-1}(b_{i+1})/w_1)-\Phi(f^{-1}(b_i)/w_1)` ([P] Eqs 3–4) for a strictly increasing f.

    Steps: the definition :math:`P(b_i\le f(w_1X)<b_{i+1})` as an integral of the normal density over an
    indicator; the monotone inverse turns the event into an interval of :math:`X`; SymPy integrates the density
    over it. `activation` is ``"tanh"``, ``"softsign"`` or ``"softplus"`` (ReLU: :func:`relu_bin_derivation`).

    Returns
    -------
    theory.derivation.Derivation
        Its ``result`` is the expression :func:`bin_probabilities` evaluates (with the edges substituted).
    """
    from theory.derivation import DerivationBuilder

    if activation not in STRICTLY_INCREASING:
        raise ValueError(
            f"activation must be one of {STRICTLY_INCREASING} (ReLU: relu_bin_derivation), got {activation!r}"
        )
    act = get_activation(activation)
    b = sp.IndexedBase("b")
    i = sp.Symbol("i", integer=True, nonnegative=True)
    lo, hi = b[i], b[i + 1]
    h = act.expr(_W1 * _X)
    t_lo, t_hi = act.inverse(lo) / _W1, act.inverse(hi) / _W1
    return (
        DerivationBuilder(
            f"three_neuron.bin_probability.{activation}",
            f"Minimal model, {activation}: probability of bin $[b_i, b_{{i+1}})$",
            "3-4",
            "[P] §2, Eqs 3–4; App B.2",
        )
        .define(
            "p_i",
            sp.Integral(_density(_X) * sp.Piecewise((1, sp.And(lo <= h, h < hi)), (0, True)), (_X, -sp.oo, sp.oo)),
            "definition: $p_i = P(b_i \\le f(w_1 X) < b_{i+1})$ with $X \\sim N(0,1)$",
        )
        .step(
            "p_i",
            sp.Integral(_density(_X), (_X, t_lo, t_hi)),
            "$f$ is strictly increasing, so $b_i \\le f(w_1 x) < b_{i+1}$ iff "
            "$f^{-1}(b_i)/w_1 \\le x < f^{-1}(b_{i+1})/w_1$",
            verify=_monotone_check(act),
        )
        .step(
            "p_i",
            Phi(t_hi) - Phi(t_lo),
            "the integral of the standard normal density is $\\Phi$ (SymPy integrates it)",
            transform=lambda e: e.doit(),
        )
        .build()
    )


@functools.cache
def relu_bin_derivation():
    r"""Derive ReLU's half-line bin probabilities :math:`p_0=\Phi(\Delta/w_1)`, :math:`p_k` (docs/formulas.md#s3-2).

    :math:`h=\max(0,w_1X)` has the point mass :math:`P(h=0)=\tfrac12`; bin 0 is :math:`[0,\Delta)` and holds it.
    """
    from theory.derivation import DerivationBuilder

    delta = sp.Symbol("Delta", positive=True)
    h = sp.Max(0, _W1 * _X)
    xn = sp.Symbol("x_n", positive=True)

    def event_is_interval(_previous: sp.Basic, _new: sp.Basic) -> bool:
        # x ≤ 0: h = 0 < Δ always; x > 0: h = w₁x < Δ iff x < Δ/w₁ (SymPy solves the linear inequality)
        negative_side = sp.simplify(h.subs(_X, -xn)) == 0
        positive_side = sp.solveset(delta > _W1 * _X, _X, sp.Reals) == sp.Interval.open(-sp.oo, delta / _W1)
        return bool(negative_side and positive_side)

    return (
        DerivationBuilder(
            "three_neuron.bin_probability.relu",
            "Minimal model, ReLU with half-line bins $[k\\Delta, (k+1)\\Delta)$: bin 0 holds the point mass",
            "3-4",
            "[P] §2, Eqs 3–4; docs/formulas.md#s3-2",
        )
        .define(
            "p_0",
            sp.Integral(_density(_X) * sp.Piecewise((1, h < delta), (0, True)), (_X, -sp.oo, sp.oo)),
            "definition: $p_0 = P(0 \\le \\max(0, w_1 X) < \\Delta)$",
        )
        .step(
            "p_0",
            sp.Integral(_density(_X), (_X, -sp.oo, delta / _W1)),
            "for $x \\le 0$, $h = 0 < \\Delta$ (the point mass $P(h = 0) = 1/2$); "
            "for $x > 0$, $h < \\Delta$ iff $x < \\Delta/w_1$",
            verify=(
                event_is_interval,
                "SymPy: h(-x) = 0 for x > 0, and solveset(w_1 x < Delta) = (-oo, Delta/w_1)",
            ),
        )
        .step("p_0", Phi(delta / _W1), "the integral of the standard normal density", transform=lambda e: e.doit())
        .build()
    )


@functools.cache
def information_derivation():
    r"""Derive :math:`I(T;X)=H(T)=-\sum_ip_i\log_2p_i` ([P] Eqs 1–2): T is a deterministic function of X."""
    from theory.derivation import DerivationBuilder, shown

    H_T, H_TX = shown("H_T", "H(T)"), shown("H_T_given_X", r"H(T \mid X)")
    q = sp.Symbol("q", positive=True)  # a conditional probability p(t|x) ∈ {0, 1}
    p = sp.IndexedBase("p")
    i, N = sp.Symbol("i", integer=True, positive=True), sp.Symbol("N", integer=True, positive=True)

    def deterministic(_previous: sp.Basic, _new: sp.Basic) -> bool:
        # p(t|x) ∈ {0, 1}: each term -p log p of H(T|X=x) is 0 (1·log 1 = 0, and p log p → 0 as p → 0⁺)
        return sp.limit(q * sp.log(q), q, 0, "+") == 0 and (1 * sp.log(1)) == 0

    return (
        DerivationBuilder(
            "three_neuron.information",
            "Minimal model: the information is the entropy of the bins",
            "1-2",
            "[P] §2, Eqs 1–2",
        )
        .define("I(T;X)", H_T - H_TX, "definition of the mutual information")
        .step(
            "I(T;X)",
            H_T,
            "$T = \\mathrm{bin}(f(w_1 X))$ is a function of $X$: $p(t \\mid x) \\in \\{0, 1\\}$, so $H(T \\mid X) = 0$",
            verify=(deterministic, "SymPy: 1 log 1 = 0 and lim_{q->0+} q log q = 0"),
        )
        .step(
            "I(T;X)",
            -sp.Sum(p[i] * sp.log(p[i], 2), (i, 1, N)),
            "definition of the entropy of the $N$ bins, in bits",
            verify=(lambda _a, _b: True, "definition (H(T) in bits)"),
        )
        .build()
    )


def _limit_layout(layout: str, n_bins: int) -> tuple:
    from theory.binning_edges import equal_width_edges

    if layout == "equal":
        return tuple(equal_width_edges(n_bins, exact=True))
    if layout == "half_line":
        return tuple(sp.Rational(k, n_bins - 1) for k in range(n_bins + 1))  # Δ = 1/(n−1): the bins reach 1
    raise ValueError(f"layout must be one of {LIMIT_LAYOUTS}, got {layout!r}")


def _argumentwise_limit(point: sp.Expr, direction: str = "+"):
    """The limit Φ(z(w)) → Φ(lim z(w)) (Φ is continuous on the extended reals), applied to every Φ of an expression."""

    def transform(e: sp.Basic) -> sp.Basic:
        def one(entry: sp.Expr) -> sp.Expr:
            return entry.replace(Phi, lambda z: Phi(sp.limit(z, W, point, direction)))

        return e.applyfunc(one) if isinstance(e, sp.MatrixBase) else one(e)

    return transform


@functools.lru_cache(maxsize=64)
def limit_derivation(activation: str, layout: str, which: str, n_bins: int = 4):
    r"""Derive :math:`\lim_{w\to0^+}I(T;X)` or :math:`\lim_{w\to\infty}I(T;X)` in bits ([P] §2, Fig 2; C10, C11).

    Parameters
    ----------
    activation : {"tanh", "relu", "softsign", "softplus"}
    layout : {"equal", "half_line"}
        ``n_bins`` equal bins on [−1, 1], or half-line bins of width 1/(n_bins − 1) from 0.
    which : {"small", "large"}
        The limit w → 0⁺ or w → ∞.
    n_bins : int
        Number of bins (≥ 2).

    Returns
    -------
    theory.derivation.Derivation
        Steps: the bin probabilities :math:`\mathbf p(w)`; their limit (Φ is continuous, so the limit acts on
        its arguments :math:`f^{-1}(b)/w`); the entropy of the limit in bits. The result equals
        :func:`small_weight_limit` / :func:`large_weight_limit` (tests, with the paper's 30 bins).
    """
    from theory.derivation import DerivationBuilder

    if activation not in ("tanh", "relu", "softsign", "softplus"):
        raise ValueError(f"activation must be one of tanh, relu, softsign, softplus, got {activation!r}")
    if which not in ("small", "large"):
        raise ValueError(f"which must be 'small' (w -> 0+) or 'large' (w -> oo), got {which!r}")
    n = positive_integer("n_bins", n_bins)
    if n < 2:
        raise ValueError(f"n_bins must be >= 2, got {n}")
    edges = _limit_layout(layout, n)
    probabilities = sp.Matrix(bin_probabilities(activation, edges))
    point, direction, arrow = (0, "+", "0^+") if which == "small" else (sp.oo, "-", "\\infty")
    limit = _argumentwise_limit(point, direction)(probabilities)
    bits = sp.nsimplify(entropy_expr(list(limit)))
    where = f"{n} equal bins on $[-1, 1]$" if layout == "equal" else f"{n} half-line bins of width $1/{n - 1}$"
    return (
        DerivationBuilder(
            f"three_neuron.limit.{which}_w.{activation}.{layout}",
            f"Minimal model, {activation}, {where}: the limit $w \\to {arrow}$",
            None,
            "[P] §2, Fig 2C–D (C10, C11); docs/formulas.md#s3-2, docs/choices.md#a21",
        )
        .define("\\mathbf{p}(w)", probabilities, "the exact bin probabilities (Eqs 3–4) at these edges")
        .step(
            f"\\lim_{{w \\to {arrow}}} \\mathbf{{p}}(w)",
            limit,
            "$\\Phi$ is continuous, so the limit acts on its arguments $f^{-1}(b_i)/w$",
            transform=_argumentwise_limit(point, direction),
        )
        .step(
            f"\\lim_{{w \\to {arrow}}} I(T;X)",
            bits,
            "the entropy of the limiting probabilities, in bits (Eq 2)",
            verify=(
                lambda previous, new: sp.simplify(entropy_expr(list(previous)) - new) == 0,
                "symbolic: -sum p log_2 p of the limit vector",
            ),
        )
        .build()
    )


@functools.cache
def relu_asymptote_derivation():
    r"""Derive the large-w ReLU asymptote with infinitely many half-line bins of width Δ, in bits.

    See docs/formulas.md#s3-2.

    The asymptotic step (binned entropy ≈ differential entropy − log₂Δ for Δ ≪ w) is checked against the exact
    :func:`mutual_information` at w = 10³ and 10⁴ with Δ = 2/29: the gap must be below
    :data:`RELU_ASYMPTOTE_ATOL` bits at both and shrink.
    """
    from theory.derivation import DerivationBuilder, shown

    d = sp.Symbol("Delta", positive=True)
    y = sp.Symbol("y", positive=True)
    g = sp.sqrt(2 / sp.pi) / W * sp.exp(-(y**2) / (2 * W**2))  # density of |wX| (the positive half of h)
    H_bins = shown("H_T_relu", "H(T)")
    closed = relu_asymptote_expr(d)

    def asymptotic(_previous: sp.Basic, new: sp.Basic) -> bool:
        from theory.binning_edges import half_line_edges

        value = sp.lambdify((W, d), new.doit(), "mpmath")
        gaps = []
        for w in (1e3, 1e4):
            exact = mutual_information("relu", w, half_line_edges(2 / 29, w))
            gaps.append(abs(float(value(w, 2 / 29)) - exact))
        return gaps[0] < RELU_ASYMPTOTE_ATOL and gaps[1] < gaps[0]

    return (
        DerivationBuilder(
            "three_neuron.relu_asymptote",
            "Minimal model, ReLU with half-line bins of width $\\Delta$: the large-$w$ asymptote (bits)",
            None,
            "docs/formulas.md#s3-2 [ours]; derived here",
        )
        .define("I(T;X)", H_bins, "$I(T;X) = H(T)$ (Eqs 1–2) with the infinitely many bins $[k\\Delta, (k+1)\\Delta)$")
        .step(
            "I(T;X)",
            1 + (sp.Integral(-g * sp.log(g, 2), (y, 0, sp.oo)) - sp.log(d, 2)) / 2,
            "for $\\Delta \\ll w$: bin 0 holds $\\approx 1/2$ (1 bit of 'zero or positive'), and the binned entropy "
            "of the positive half $|wX|$ is its differential entropy minus $\\log_2\\Delta$",
            verify=(
                asymptotic,
                f"numeric: asymptotic, gap to the exact I(T;X) < {RELU_ASYMPTOTE_ATOL} bits at w = 1e3 "
                "and smaller at w = 1e4 (Delta = 2/29)",
            ),
            relation="\\approx",
        )
        .step(
            "I(T;X)",
            closed,
            "SymPy integrates the differential entropy of the half-normal of scale $w$",
            transform=lambda e: e.doit(),
        )
        .step(
            "I(T;X)",
            1 + sp.log(W / d, 2) / 2 + sp.log(sp.pi * sp.E / 2, 2) / 4,
            "collect the logarithms",
        )
        .build()
    )


#: The gap allowed between the ReLU asymptote and the exact binned I(T;X) at w = 10³, Δ = 2/29 (Δ/w ≈ 7e-5:
#: the Riemann-sum error of the binned entropy is O((Δ/w)²) and p_0 − ½ = O(Δ/w), both far below it).
RELU_ASYMPTOTE_ATOL = 1e-3


def derivations() -> list:
    """The minimal model's derivations (:mod:`theory.derivation`): Eqs 1–4, the limits, the ReLU asymptote."""
    out = [information_derivation()]
    out += [bin_probability_derivation(name) for name in STRICTLY_INCREASING]
    out.append(relu_bin_derivation())
    for which in ("small", "large"):
        for activation in ("tanh", "relu", "softsign", "softplus"):
            for layout in LIMIT_LAYOUTS:
                out.append(limit_derivation(activation, layout, which))
    out.append(relu_asymptote_derivation())
    return out
