"""Information-plane recorders: binned and KDE estimates of I(X;T) and I(T;Y) per seed, layer and logged epoch.

Each recorder plugs into :func:`simulate.train.train` and measures every layer (the hidden layers and the softmax
output, spec A17) on the measurement inputs (all 4096 SZT patterns, A6) at each logged epoch. Raw activations are
never stored: a recorder keeps only its numbers, so memory is bounded for 50 seeds × 10 000 epochs.

* :class:`BinnedInformation`: binning with a fixed discretiser, e.g. the paper's 30 equal bins on [−1, 1] for
  saturating units ([P] §2), IDNNs' edges, fixed-width bins, net-input edges, machine precision.
* :class:`MinMaxBinnedInformation`: the paper's ReLU binning, 100 equal bins between the minimum and maximum
  activity "over all units and all training epochs" ([P] §2, Fig 1B). That range is only known after training
  (A4), so this recorder is two-pass: during training it keeps each seed's running min and max per layer (two
  numbers per layer); after training the trainer replays the forward pass from the saved parameters of each
  logged epoch (294 numbers per seed and epoch for the SZT net) and the recorder bins with the run's range. The
  replay costs one forward pass per logged epoch, far less than the estimate itself, and is exact (unlike
  keeping a compressed sketch of the activations). The range is per run (seed); network-global over layers by
  default (A4's suggestion), or per layer.
* :class:`KDEInformation`: Kolchinsky–Tracey pairwise-distance bounds with additive Gaussian noise of variance
  σ² ([P] App B.1, Eqs 7–12): σ² = 0.1 (the paper, Fig 8) and 1e-3 (ibsgd's ``IBnet_ComputeMI``, A7).

All information values are in **bits**.

References
----------
.. [P] Saxe et al., "On the Information Bottleneck Theory of Deep Learning", ICLR 2018, §2 (Fig 1A/B), App B.1
   (Fig 8), App C.
.. [KT17] Kolchinsky & Tracey, "Estimating mixture entropy with pairwise distances", arXiv:1706.02419.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import xarray as xr

from simulate.mi import binning
from simulate.train import Recorder, TrainingState

__all__ = [
    "PAPER_KDE_VARIANCES",
    "BinnedInformation",
    "KDEInformation",
    "MinMaxBinnedInformation",
    "paper_binning",
]

PAPER_KDE_VARIANCES = (0.1, 1e-3)
"""Noise variances σ² of the KDE estimates: 0.1 in the paper's Fig 8, 1e-3 in ibsgd's code (spec A7)."""


def _binned(state: TrainingState, discretizers: Sequence) -> tuple[np.ndarray, np.ndarray]:
    """(I(X;T), I(T;Y)) in bits, shape (S, L), with ``discretizers[s][l]`` for seed s and layer l."""
    activity = state.activations
    S, L = state.params.n_seeds, len(activity)
    i_xt, i_ty = np.empty((S, L)), np.empty((S, L))
    for s in range(S):
        for l in range(L):
            i_xt[s, l], i_ty[s, l] = binning.mutual_information(activity[l][s], state.data.y_mi, discretizers[s][l])
    return i_xt, i_ty


class BinnedInformation(Recorder):
    """Binned I(X;T) and I(T;Y) of every layer with one discretiser ([P] §2, spec §3.1).

    Parameters
    ----------
    discretizer : simulate.mi.discretizers.Discretizer
        E.g. ``binning.equal_bins(30, -1, 1)`` (the paper, saturating units), ``binning.idnns_edges(30)``,
        ``binning.fixed_width(0.07)`` (ibsgd), ``binning.net_input_edges(30)`` (App C).
    suffix : str
        Variables are named ``I_XT_<suffix>`` and ``I_TY_<suffix>`` (default ``"bin"``).

    Notes
    -----
    Records variables with dims (seed, layer), in bits.
    """

    def __init__(self, discretizer, suffix: str = "bin") -> None:
        if not hasattr(discretizer, "codes"):
            raise ValueError(f"discretizer must be a simulate.mi discretiser, got {type(discretizer).__name__}")
        self.discretizer = discretizer
        self.suffix = _check_suffix(suffix)

    def record(self, state: TrainingState) -> dict[str, xr.DataArray]:
        """Binned information of every layer of every seed at this epoch, in bits."""
        L = len(state.activations)
        i_xt, i_ty = _binned(state, [[self.discretizer] * L] * state.params.n_seeds)
        return _as_arrays(self.suffix, i_xt, i_ty)


class MinMaxBinnedInformation(Recorder):
    """The paper's ReLU binning: equal bins between each run's min and max activity over training (A4).

    Parameters
    ----------
    n_bins : int
        Number of bins (paper: 100).
    per_layer : bool
        False (default): one range per run over all layers and logged epochs ("over all units", A4). True: one
        range per layer and run.
    suffix : str
        Variables ``I_XT_<suffix>``, ``I_TY_<suffix>`` (default ``"bin"``), plus ``bin_low_<suffix>`` and
        ``bin_high_<suffix>`` (the range used, dims (seed, layer)).
    """

    two_pass = True

    def __init__(self, n_bins: int = 100, per_layer: bool = False, suffix: str = "bin") -> None:
        if isinstance(n_bins, bool) or not isinstance(n_bins, (int, np.integer)) or n_bins < 1:
            raise ValueError(f"n_bins must be a positive integer, got {n_bins!r}")
        self.n_bins = int(n_bins)
        self.per_layer = bool(per_layer)
        self.suffix = _check_suffix(suffix)
        self._low: np.ndarray | None = None
        self._high: np.ndarray | None = None

    def observe(self, state: TrainingState) -> None:
        """Update each seed's running min/max activity per layer."""
        low = np.stack([a.min(axis=(1, 2)) for a in state.activations], axis=1)
        high = np.stack([a.max(axis=(1, 2)) for a in state.activations], axis=1)
        if self._low is None:
            self._low, self._high = low, high
        else:
            self._low, self._high = np.minimum(self._low, low), np.maximum(self._high, high)

    def _ranges(self) -> tuple[np.ndarray, np.ndarray]:
        if self._low is None:
            raise ValueError("MinMaxBinnedInformation.record called before any observe (it is a two-pass recorder)")
        S, L = self._low.shape
        low, high = np.empty((S, L)), np.empty((S, L))
        for s in range(S):
            lo, hi = binning.min_max_range(self._low[s], self._high[s], per_layer=self.per_layer)
            low[s], high[s] = lo, hi
        return low, high

    def record(self, state: TrainingState) -> dict[str, xr.DataArray]:
        """Binned information with the run's range (second pass), in bits."""
        low, high = self._ranges()
        S, L = low.shape
        discretizers = [[binning.min_max_bins(low[s, l], high[s, l], self.n_bins) for l in range(L)] for s in range(S)]
        i_xt, i_ty = _binned(state, discretizers)
        out = _as_arrays(self.suffix, i_xt, i_ty)
        out[f"bin_low_{self.suffix}"] = xr.DataArray(low, dims=("seed", "layer"))
        out[f"bin_high_{self.suffix}"] = xr.DataArray(high, dims=("seed", "layer"))
        return out


class KDEInformation(Recorder):
    """KDE (pairwise-distance) bounds on I(X;T) and estimates of I(T;Y) ([P] App B.1 Eqs 7–12; [KT17]).

    Parameters
    ----------
    noise_variances : sequence of float
        Variances σ² of the additive Gaussian noise (default :data:`PAPER_KDE_VARIANCES`).
    suffix : str
        Variables ``I_XT_upper_<suffix>``, ``I_XT_lower_<suffix>``, ``I_TY_upper_<suffix>``,
        ``I_TY_lower_<suffix>`` (default ``"kde"``), dims (seed, layer, noise_variance), bits. The "bounds" on
        I(T;Y) are estimates, not rigorous bounds (A8).
    """

    def __init__(self, noise_variances: Sequence[float] = PAPER_KDE_VARIANCES, suffix: str = "kde") -> None:
        variances = tuple(float(v) for v in noise_variances)
        if not variances or not all(np.isfinite(v) and v > 0 for v in variances):
            raise ValueError(f"noise_variances must be positive finite numbers, got {noise_variances!r}")
        self.noise_variances = variances
        self.suffix = _check_suffix(suffix)

    def record(self, state: TrainingState) -> dict[str, xr.DataArray]:
        """KDE information of every layer of every seed at this epoch, in bits."""
        from simulate.mi.kde import mutual_information_bounds

        activity = state.activations
        S, L, V = state.params.n_seeds, len(activity), len(self.noise_variances)
        names = ("i_xt_upper", "i_xt_lower", "i_ty_upper", "i_ty_lower")
        values = {name: np.empty((S, L, V)) for name in names}
        for s in range(S):
            for l in range(L):
                bounds = mutual_information_bounds(activity[l][s], state.data.y_mi, list(self.noise_variances))
                for name in names:
                    values[name][s, l] = np.reshape(getattr(bounds, name), (V,))
        dims = ("seed", "layer", "noise_variance")
        coords = {"noise_variance": np.asarray(self.noise_variances)}
        return {
            f"I_XT_upper_{self.suffix}": xr.DataArray(values["i_xt_upper"], dims=dims, coords=coords),
            f"I_XT_lower_{self.suffix}": xr.DataArray(values["i_xt_lower"], dims=dims, coords=coords),
            f"I_TY_upper_{self.suffix}": xr.DataArray(values["i_ty_upper"], dims=dims, coords=coords),
            f"I_TY_lower_{self.suffix}": xr.DataArray(values["i_ty_lower"], dims=dims, coords=coords),
        }


def paper_binning(activation: str, saturating: bool | None = None) -> Recorder:
    """The paper's binning for an activation ([P] §2).

    30 equal bins on [−1, 1] for saturating units (tanh, softsign); 100 bins between the run's min and max
    activity otherwise (ReLU, softplus, linear; A4).

    Parameters
    ----------
    activation : str
        Activation name (see :func:`simulate.activations.get_activation`).
    saturating : bool, optional
        Override the activation's own flag.

    Returns
    -------
    Recorder
        Records ``I_XT_bin`` and ``I_TY_bin`` (bits, dims (seed, layer)).
    """
    from simulate.activations import get_activation

    if saturating is None:
        saturating = get_activation(activation).saturating
    if saturating:
        return BinnedInformation(binning.equal_bins(30, -1.0, 1.0))
    return MinMaxBinnedInformation(100)


def _check_suffix(suffix: str) -> str:
    if not isinstance(suffix, str) or not suffix.isidentifier():
        raise ValueError(f"suffix must be a non-empty identifier-like string, got {suffix!r}")
    return suffix


def _as_arrays(suffix: str, i_xt: np.ndarray, i_ty: np.ndarray) -> dict[str, xr.DataArray]:
    return {
        f"I_XT_{suffix}": xr.DataArray(i_xt, dims=("seed", "layer")),
        f"I_TY_{suffix}": xr.DataArray(i_ty, dims=("seed", "layer")),
    }
