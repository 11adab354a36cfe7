"""The one operational definition of the drift → diffusion "SNR transition" ([P] §4, App I; C5, C20, C37, C38).

[P] App I (after Shwartz-Ziv & Tishby) describes the gradient signal-to-noise ratio m_l/s_l of Eqs 26–27 as
high early in training ("drift": the examples agree on the direction of the gradient) and then low ("diffusion":
the mean gradient vanishes while the spread over examples stays finite). The paper gives no number. This module
fixes one definition that every claim uses:

    **A layer shows the SNR transition** when the highest sustained SNR of the drift phase exceeds the SNR at the
    end of training by at least a factor F:
    ``early / late ≥ F``, where
    ``late`` = median SNR over the **last** k logged epochs and
    ``early`` = the **largest running median** of k consecutive logged epochs among the windows that end before
    the late window begins (the drift phase precedes the diffusion phase).

Why a running maximum rather than the first k logs: the drift phase is not always at the very start. In the SZT
networks the deep layers' SNR *rises* for tens of epochs (the error signal has to reach them through small
weights) and peaks around epochs 20–40 before it collapses ([P] Fig 20 shows the same hump); with log-spaced
logging the first five logs are epochs 0–5, before that peak. Medians of k logs make a single noisy log unable to
create or hide a transition.

What the definition rejects (tests/test_snr_transition.py): a flat noisy curve (the running maximum of medians of
noise stays within a factor ≈ 2 of the final median, far below F), and a rising curve (every early window is
below the final one, ratio < 1). A curve that falls and stays down passes whatever the position of its peak.

Defaults: k = :data:`WINDOW` = 5 logged epochs; F = :data:`MIN_RATIO` = 10 (one decade: the paper's panels show
drops of 2–6 decades, so one decade is a conservative threshold that noise in a flat SNR curve does not reach).
The epoch of the transition, for plots, is the first logged epoch from the middle of the early window on at which
the SNR falls below the geometric mean of early and late.

Which statistic each claim uses (docs/choices.md#a13): Eqs 26–27 define m_l and s_l over **all training samples**
(per-example gradients) — the paper's formal definition and the primary one here (C5, C37, C20); Figs 9–10's
text, and ibsgd, use per-minibatch gradients, whose late SNR is floored near 1/√(number of minibatches) (12 per
epoch on SZT) — that variant is recorded alongside and reported in the claims' notes.

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

#: Number of consecutive logged epochs in each median (the late window and every early window).
WINDOW = 5
#: Minimal early/late ratio of the SNR for a transition (one decade).
MIN_RATIO = 10.0


@dataclass(frozen=True)
class SNRTransition:
    """Drift-phase and final SNR of one curve and where it falls.

    Attributes
    ----------
    early : float
        Largest median SNR over `window` consecutive logged epochs ending before the late window (dimensionless).
    late : float
        Median SNR over the last `window` logged epochs (dimensionless).
    ratio : float
        ``early / late`` (``inf`` if late is 0).
    epoch : float
        First logged epoch, from `peak_epoch` on, with SNR below ``sqrt(early · late)`` (NaN if never).
    window : int
        Number of logged epochs in each median.
    peak_epoch : float
        The middle logged epoch of the early (drift) window.
    """

    early: float
    late: float
    ratio: float
    epoch: float
    window: int
    peak_epoch: float = float("nan")

    def check(self, label: str, min_ratio: float = MIN_RATIO) -> Check:
        """Return the transition as a :class:`~paper_checks.compare.Check` ``ratio ≥ min_ratio``."""
        return Check(
            f"{label}: max running median of {self.window} SNR logs (centred at epoch {self.peak_epoch:g}) / median "
            f"of the last {self.window} (early {self.early:.3g}, late {self.late:.3g})",
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
    .. [P] Saxe et al., ICLR 2018, App I Eqs 26–27, Figs 20–21.

    Examples
    --------
    >>> t = snr_transition(np.arange(10), np.array([2.0] * 5 + [0.1] * 5))
    >>> float(t.ratio), float(t.epoch)
    (20.0, 5.0)
    >>> hump = snr_transition(np.arange(12), np.array([0.1, 0.2, 5, 9, 10, 9, 8, 1, 0.5, 0.4, 0.3, 0.5]))
    >>> float(hump.early), float(hump.late), float(hump.peak_epoch)
    (9.0, 0.5, 3.0)
    """
    epochs = np.asarray(epochs, dtype=float)
    snr = np.asarray(snr, dtype=float)
    if epochs.ndim != 1 or snr.shape != epochs.shape:
        raise ValueError(f"epochs and snr must be 1-D of equal length, got {epochs.shape} and {snr.shape}")
    if isinstance(window, bool) or int(window) != window or window < 1:
        raise ValueError(f"window must be a positive integer, got {window!r}")
    window = int(window)
    if epochs.size < 2 * window:
        raise ValueError(f"need at least 2·window = {2 * window} logged epochs, got {epochs.size}")
    if np.any(np.isnan(snr)) or np.any(snr < 0):
        raise ValueError("snr must be non-negative and not NaN")
    late = float(np.median(snr[-window:]))
    before = snr[:-window]  # every early window ends before the late window begins
    running = np.median(np.lib.stride_tricks.sliding_window_view(before, window), axis=1)
    start = int(np.argmax(running))
    middle = start + window // 2
    early = float(running[start])
    ratio = float("inf") if late == 0 else early / late
    threshold = np.sqrt(early * late) if np.isfinite(early) else late
    below = middle + np.nonzero(snr[middle:] < threshold)[0]
    epoch = float(epochs[below[0]]) if below.size else float("nan")
    return SNRTransition(early, late, ratio, epoch, window, float(epochs[middle]))


def transition_check(
    epochs: np.ndarray, snr: np.ndarray, label: str, window: int = WINDOW, min_ratio: float = MIN_RATIO
) -> Check:
    """One-line helper: :func:`snr_transition` of the curve, as a check ``ratio ≥ min_ratio``."""
    return snr_transition(epochs, snr, window).check(label, min_ratio)
