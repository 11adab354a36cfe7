"""Activation functions of the paper as NumPy functions with their derivatives.

The four hidden-unit nonlinearities of [P] App B.2 / Fig 11 (docs/formulas.md#s3-11) plus the identity, each with its
first derivative, vectorised and numerically stable for any float input (no overflow warnings for |x| up to
the float64 limit).

References
----------
.. [P] Saxe et al., "On the Information Bottleneck Theory of Deep Learning", ICLR 2018, App B.2, Fig 11.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

__all__ = ["ACTIVATIONS", "Activation", "get_activation"]

ArrayFunction = Callable[[np.ndarray], np.ndarray]


@dataclass(frozen=True)
class Activation:
    """A scalar nonlinearity applied element-wise.

    Attributes
    ----------
    name : str
        Name used throughout the workbench (``"tanh"``, ``"relu"``, ``"softsign"``, ``"softplus"``,
        ``"linear"``).
    forward : callable
        ``f(x)``, element-wise.
    derivative : callable
        ``f'(x)``, element-wise (for ReLU the derivative at 0 is taken as 0).
    saturating : bool
        True for double-saturating units (tanh, softsign), whose range is (-1, 1).
    """

    name: str
    forward: ArrayFunction
    derivative: ArrayFunction
    saturating: bool

    def __call__(self, x: np.ndarray) -> np.ndarray:
        """Evaluate ``f(x)``."""
        return self.forward(x)


def _tanh_derivative(x: np.ndarray) -> np.ndarray:
    t = np.tanh(x)
    return 1.0 - t * t


def _relu(x: np.ndarray) -> np.ndarray:
    return np.maximum(x, 0.0)


def _relu_derivative(x: np.ndarray) -> np.ndarray:
    return (np.asarray(x) > 0).astype(np.result_type(x, np.float64))


def _softsign(x: np.ndarray) -> np.ndarray:
    # x / (1 + |x|) is inf/inf = NaN at x = ±inf; its limit there is ±1.
    x = np.asarray(x)
    with np.errstate(invalid="ignore"):
        y = x / (1.0 + np.abs(x))
    return np.where(np.isinf(x), np.sign(x), y)


def _softsign_derivative(x: np.ndarray) -> np.ndarray:
    d = 1.0 + np.abs(x)
    return 1.0 / (d * d)


def _softplus(x: np.ndarray) -> np.ndarray:
    # log(1 + e^x) = max(x, 0) + log1p(e^{-|x|}): no overflow for large |x|.
    return np.maximum(x, 0.0) + np.log1p(np.exp(-np.abs(x)))


def _softplus_derivative(x: np.ndarray) -> np.ndarray:
    # logistic sigmoid, evaluated without overflow: 1/(1+e^{-x}) = e^{min(x,0)} / (1 + e^{-|x|}).
    return np.exp(np.minimum(x, 0.0)) / (1.0 + np.exp(-np.abs(x)))


def _identity(x: np.ndarray) -> np.ndarray:
    return np.asarray(x)


def _ones(x: np.ndarray) -> np.ndarray:
    return np.ones_like(x, dtype=np.result_type(x, np.float64))


ACTIVATIONS: dict[str, Activation] = {
    "tanh": Activation("tanh", np.tanh, _tanh_derivative, saturating=True),
    "relu": Activation("relu", _relu, _relu_derivative, saturating=False),
    "softsign": Activation("softsign", _softsign, _softsign_derivative, saturating=True),
    "softplus": Activation("softplus", _softplus, _softplus_derivative, saturating=False),
    "linear": Activation("linear", _identity, _ones, saturating=False),
}


def get_activation(name: str) -> Activation:
    """Return the activation called `name`.

    Parameters
    ----------
    name : str
        One of ``"tanh"``, ``"relu"``, ``"softsign"``, ``"softplus"``, ``"linear"``.

    Returns
    -------
    Activation

    Raises
    ------
    ValueError
        If `name` is not a known activation; the message lists the accepted names.

    Examples
    --------
    >>> import numpy as np
    >>> get_activation("relu")(np.array([-1.0, 2.0]))
    array([0., 2.])
    """
    try:
        return ACTIVATIONS[name]
    except (KeyError, TypeError):
        raise ValueError(f"activation must be one of {sorted(ACTIVATIONS)}, got name={name!r}") from None
