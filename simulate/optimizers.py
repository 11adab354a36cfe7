"""Optimisers acting on a flat parameter array of shape (seed, parameter): Adam and plain SGD.

The whole network of every seed is one row of a contiguous array, so an update is a handful of vectorised
operations whatever the depth (this matters for offline SGD, batch size 1, where per-step overhead dominates).

References
----------
.. [P] Saxe et al., "On the Information Bottleneck Theory of Deep Learning", ICLR 2018, §2 ("stochastic gradient
   descent"); docs/choices.md#a1 (ibsgd trains the SZT net with Adam, lr 4e-4).
.. [KB15] Kingma & Ba, "Adam: A method for stochastic optimization", ICLR 2015, Algorithm 1.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

__all__ = ["ADAM_LEARNING_RATE", "OPTIMIZERS", "SGD", "Adam", "make_optimizer"]

ADAM_LEARNING_RATE = 4e-4
"""ibsgd's and IDNNs' Adam learning rate for the SZT network (docs/choices.md#a1)."""


@dataclass
class Adam:
    """Adam [KB15] with TensorFlow 1's ``AdamOptimizer`` defaults (β₁ = 0.9, β₂ = 0.999, ε = 1e-8).

    TF applies the bias correction to the step size, ``lr_t = lr·√(1−β₂ᵗ)/(1−β₁ᵗ)``, and adds ε to √v
    unscaled; this matches ibsgd's ``iclr2018`` branch (``TFOptimizer(tf.train.AdamOptimizer)``).

    Attributes
    ----------
    learning_rate : float
        Step size (default 4e-4, docs/choices.md#a1).
    beta1, beta2, epsilon : float
        Moment decay rates and the denominator offset.
    """

    learning_rate: float = ADAM_LEARNING_RATE
    beta1: float = 0.9
    beta2: float = 0.999
    epsilon: float = 1e-8

    def __post_init__(self) -> None:
        _check_positive("learning_rate", self.learning_rate)
        if not (0.0 <= self.beta1 < 1.0 and 0.0 <= self.beta2 < 1.0):
            raise ValueError(f"beta1 and beta2 must lie in [0, 1), got {self.beta1!r}, {self.beta2!r}")
        _check_positive("epsilon", self.epsilon)
        self._m: np.ndarray | None = None
        self._v: np.ndarray | None = None
        self._t = 0

    def step(self, flat: np.ndarray, gradient: np.ndarray) -> None:
        """Update `flat` (seed, parameter) in place with `gradient` of the same shape.

        Every operation writes into preallocated arrays (no temporaries: the training loop calls this once per
        minibatch), in the order ``m ← β₁m + (1−β₁)g``, ``v ← β₂v + (1−β₂)g²``, ``θ ← θ − (lr_t·m)/(√v + ε)``.
        """
        if self._m is None:
            self._m = np.zeros_like(flat)
            self._v = np.zeros_like(flat)
            self._scratch = (np.empty_like(flat), np.empty_like(flat))
        self._t += 1
        m, v = self._m, self._v
        step, root = self._scratch
        m *= self.beta1
        np.multiply(gradient, 1.0 - self.beta1, out=step)
        m += step
        v *= self.beta2
        np.multiply(gradient, gradient, out=step)
        step *= 1.0 - self.beta2
        v += step
        lr_t = self.learning_rate * math.sqrt(1.0 - self.beta2**self._t) / (1.0 - self.beta1**self._t)
        np.multiply(m, lr_t, out=step)
        np.sqrt(v, out=root)
        root += self.epsilon
        step /= root
        flat -= step


@dataclass
class SGD:
    """Plain gradient descent, ``θ ← θ − lr·g``.

    The paper's "stochastic gradient descent"; with the whole training set as the batch, batch gradient descent.

    Attributes
    ----------
    learning_rate : float
        Step size.
    """

    learning_rate: float = 0.01

    def __post_init__(self) -> None:
        _check_positive("learning_rate", self.learning_rate)

    def step(self, flat: np.ndarray, gradient: np.ndarray) -> None:
        """Update `flat` (seed, parameter) in place with `gradient` of the same shape."""
        flat -= self.learning_rate * gradient


OPTIMIZERS = {"adam": Adam, "sgd": SGD}


def _check_positive(name: str, value: float) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not (math.isfinite(value) and value > 0):
        raise ValueError(f"{name} must be a positive finite number, got {value!r}")


def make_optimizer(name: str, learning_rate: float | None = None) -> Adam | SGD:
    """Build the optimiser called `name` (``"adam"`` or ``"sgd"``).

    Parameters
    ----------
    name : {"adam", "sgd"}
        The optimiser.
    learning_rate : float, optional
        Step size; default 4e-4 for Adam (docs/choices.md#a1) and 0.01 for SGD.

    Returns
    -------
    Adam or SGD

    Raises
    ------
    ValueError
        If `name` is unknown or `learning_rate` is not positive and finite.

    Examples
    --------
    >>> make_optimizer("adam").learning_rate
    0.0004
    """
    if not isinstance(name, str) or name not in OPTIMIZERS:
        raise ValueError(f"name (the optimizer) must be one of {sorted(OPTIMIZERS)}, got {name!r}")
    cls = OPTIMIZERS[name]
    return cls() if learning_rate is None else cls(learning_rate=learning_rate)
