"""The one operational definition of the drift → diffusion "SNR transition" ([P] §4, App I; C5, C20, C37, C38).

[P] App I (after Shwartz-Ziv & Tishby) describes the gradient signal-to-noise ratio m_l/s_l of Eqs 26–27 as
high early in training ("drift": all samples agree on the direction) and then low ("diffusion": the mean
gradient vanishes while the per-sample spread stays finite). The paper gives no number. This module fixes one
definition that every claim uses:

    **A layer shows the SNR transition** when the median SNR over the **last** k logged epochs is below the
    median SNR over the **first** k logged epochs by at least a factor F:
    ``median(first k) / median(last k) ≥ F``.

Defaults: k = :data:`WINDOW` = 5 logged epochs (with log-spaced logging the first five logs sit in the first
few per cent of training), F = :data:`MIN_RATIO` = 10 (one decade: the paper's panels show drops of 2–6 decades,
so a one-decade drop is a conservative threshold that noise in a flat SNR curve does not reach). Medians make
the test robust to single noisy logs. The epoch of the transition, for plots, is the first logged epoch at
which the SNR falls below the geometric mean of the two medians.

References
----------
.. [P] Saxe et al., "On the Information Bottleneck Theory of Deep Learning", ICLR 2018, §4, App I Eqs 26–27,
   Figs 20–21; App B.1 Figs 9–10.
.. [SZT17] Shwartz-Ziv & Tishby, arXiv:1703.00810 (drift and diffusion phases).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from paper_checks.compare import Check

__all__ = ["MIN_RATIO", "WINDOW", "SNRTransition", "snr_transition", "transition_check"]

#: Number of logged epochs at each end whose median SNR is compared.
WINDOW = 5
#: Minimal early/late ratio of the median SNR for a transition (one decade).
MIN_RATIO = 10.0


@dataclass(frozen=True)
class SNRTransition:
    """Early and late SNR of one curve and where it falls.

    Attributes
    ----------
    early, late : float
        Median SNR over the first and the last `window` logged epochs (dimensionless).
    ratio : float
        ``early / late`` (``inf`` if late is 0).
    epoch : float
        First logged epoch with SNR below ``sqrt(early · late)`` (NaN if never).
    window : int
        Number of logged epochs in each median.
    """

    early: float
    late: float
    ratio: float
    epoch: float
    window: int

    def check(self, label: str, min_ratio: float = MIN_RATIO) -> Check:
        """Return the transition as a :class:`~paper_checks.compare.Check` ``ratio ≥ min_ratio``."""
        return Check(
            f"{label}: median SNR over the first {self.window} logs / over the last {self.window} logs "
            f"(early {self.early:.3g}, late {self.late:.3g})",
            self.ratio,
            ">=",
            min_ratio,
            "",
        )


def snr_transition(epochs: np.ndarray, snr: np.ndarray, window: int = WINDOW) -> SNRTransition:
    """Measure the drift → diffusion transition of one SNR curve (definition in the module docstring).

    Parameters
    ----------
    epochs : array_like, shape (E,)
        Logged epochs, increasing.
    snr : array_like, shape (E,)
        Gradient SNR m_l/s_l at those epochs (≥ 0; ``inf`` allowed where s_l = 0).
    window : int, default :data:`WINDOW`
        Logs in each median; needs E ≥ 2·window.

    Returns
    -------
    SNRTransition

    Raises
    ------
    ValueError
        On mismatched shapes, too few logs, NaN or negative SNR.

    References
    ----------
    .. [P] Saxe et al., ICLR 2018, App I Eqs 26–27, Fig 21.

    Examples
    --------
    >>> t = snr_transition(np.arange(10), np.array([2.0] * 5 + [0.1] * 5))
    >>> float(t.ratio), float(t.epoch)
    (20.0, 5.0)
    """
    epochs = np.asarray(epochs, dtype=float)
    snr = np.asarray(snr, dtype=float)
    if epochs.ndim != 1 or snr.shape != epochs.shape:
        raise ValueError(f"epochs and snr must be 1-D of equal length, got {epochs.shape} and {snr.shape}")
    if int(window) != window or window < 1:
        raise ValueError(f"window must be a positive integer, got {window!r}")
    window = int(window)
    if epochs.size < 2 * window:
        raise ValueError(f"need at least 2·window = {2 * window} logged epochs, got {epochs.size}")
    if np.any(np.isnan(snr)) or np.any(snr < 0):
        raise ValueError("snr must be non-negative and not NaN")
    early = float(np.median(snr[:window]))
    late = float(np.median(snr[-window:]))
    ratio = float("inf") if late == 0 else early / late
    threshold = np.sqrt(early * late) if np.isfinite(early) else late
    below = np.nonzero(snr < threshold)[0]
    epoch = float(epochs[below[0]]) if below.size else float("nan")
    return SNRTransition(early, late, ratio, epoch, window)


def transition_check(
    epochs: np.ndarray, snr: np.ndarray, label: str, window: int = WINDOW, min_ratio: float = MIN_RATIO
) -> Check:
    """One-line helper: :func:`snr_transition` of the curve, as a check ``ratio ≥ min_ratio``."""
    return snr_transition(epochs, snr, window).check(label, min_ratio)
