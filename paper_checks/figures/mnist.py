"""Figures of the MNIST networks: F1C/D (information planes) and F9/F10 (four rows × four hidden layers).

F9 (tanh) and F10 (ReLU), [P] App B.1: rows are (1) cross-entropy loss in bits, train and test; (2) the KDE band
of I(X;T) between the upper (σ²) and lower (4σ²) bounds, dotted at H(X) = log₂(#MI digits); (3) binned I(X;T)
(bin 0.5); (4) log–log ‖mean gradient‖ (blue), ‖std‖ (orange), SNR (red), ‖W‖ (green). Columns: hidden layers 1–4.
F1C/D: the information plane (KDE upper bound), x = I(X;T), y = I(T;Y), coloured by epoch, the layers of one
epoch joined by thin lines.

References
----------
.. [P] Saxe et al., "On the Information Bottleneck Theory of Deep Learning", ICLR 2018, Fig 1C/D, Figs 9–10.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import xarray as xr

from paper_checks.claims.mnist import mnist_needs
from paper_checks.figures.common import save_panel
from paper_checks.registry import Inputs, figure

__all__ = [
    "draw_information_planes",
    "draw_mnist_details",
    "information_plane_axes",
    "information_plane_panel",
    "mnist_detail_panel",
]

_PANELS = {"tanh": ("F9", "F1C"), "relu": ("F10", "F1D")}


def mnist_detail_panel(ds: xr.Dataset, title: str) -> plt.Figure:
    """The 4 × 4 grid of [P] Figs 9–10 for one run (first seed), x = epoch on a log axis (epochs ≥ 1)."""
    run = ds.isel(seed=0)
    logged = run["epoch"].values
    keep = logged >= 1
    epochs = logged[keep]
    hidden = [int(l) for l in run["layer"].values[:-1]]
    fig, axes = plt.subplots(4, len(hidden), figsize=(3.2 * len(hidden), 10), sharex=True, squeeze=False)
    ln2 = np.log(2.0)
    for col, layer in enumerate(hidden):
        sel = run.sel(layer=layer).isel(epoch=np.flatnonzero(keep))
        ax = axes[0, col]
        ax.plot(epochs, run["train_loss"].values[keep] / ln2, label="train")
        ax.plot(epochs, run["test_loss"].values[keep] / ln2, label="test")
        ax.set_title(f"{title}: layer {layer}")
        ax = axes[1, col]
        ax.fill_between(epochs, sel["I_XT_lower_kde"], sel["I_XT_upper_kde"], alpha=0.5, color="tab:purple")
        ax.axhline(ds.attrs["H_X"], ls=":", color="k")
        ax.set_ylim(0, 14)
        ax = axes[2, col]
        ax.plot(epochs, sel["I_XT_bin"], color="tab:purple")
        ax.set_ylim(0, 14)
        ax = axes[3, col]
        for name, color, label in (
            ("grad_batch_mean_norm", "tab:blue", "‖mean‖"),
            ("grad_batch_std_norm", "tab:orange", "‖std‖"),
            ("grad_batch_snr", "tab:red", "SNR"),
            ("weight_norm", "tab:green", "‖W‖"),
        ):
            ax.loglog(epochs, sel[name], color=color, label=label)
        ax.set_xlabel("epoch")
    for row, label in enumerate(("loss (bits)", "KDE I(X;T) (bits)", "binned I(X;T) (bits)", "norm / SNR")):
        axes[row, 0].set_ylabel(label)
    axes[0, 0].legend(fontsize=7)
    axes[3, 0].legend(fontsize=7)
    for ax in axes.ravel():
        ax.set_xscale("log")
    fig.tight_layout()
    return fig


def information_plane_axes(
    ax: plt.Axes, epochs: np.ndarray, I_XT: np.ndarray, I_TY: np.ndarray, fig: plt.Figure
) -> None:
    """Draw an information plane on `ax`.

    Points (I(X;T), I(T;Y)) of shape (epoch, layer) coloured by epoch (colormap ``gnuplot``, as ibsgd), the layers
    of one epoch joined by thin lines.
    """
    cmap = plt.get_cmap("gnuplot")
    norm = matplotlib.colors.Normalize(vmin=float(epochs.min()), vmax=float(epochs.max()))
    for i, epoch in enumerate(epochs):
        ax.plot(I_XT[i], I_TY[i], color=cmap(norm(epoch)), lw=0.4, alpha=0.6)
    sc = ax.scatter(I_XT.ravel(), I_TY.ravel(), c=np.repeat(epochs, I_XT.shape[1]), cmap=cmap, norm=norm, s=12,
                    zorder=3)  # fmt: skip
    fig.colorbar(sc, ax=ax, label="epoch")
    ax.set_xlabel("I(X;T) (bits)")
    ax.set_ylabel("I(T;Y) (bits)")


def information_plane_panel(ds: xr.Dataset, title: str) -> plt.Figure:
    """Information plane (KDE upper bound, σ²) of the seed average: I(X;T) vs I(T;Y) ([P] Fig 1C/D)."""
    run = ds.mean("seed")
    fig, ax = plt.subplots(figsize=(5, 4))
    information_plane_axes(ax, run["epoch"].values, run["I_XT_upper_kde"].values, run["I_TY_upper_kde"].values, fig)
    ax.set_xlim(0, 14)
    ax.set_ylim(0, 3.5)
    ax.set_title(title)
    fig.tight_layout()
    return fig


def _run(inputs: Inputs, activation: str) -> xr.Dataset:
    """The MNIST run of `activation` with its KDE variables at σ² = 0.1 (the paper's)."""
    return inputs[f"mnist/{activation}"].sel(noise_variance=0.1)


@figure("F9", "F10", needs=mnist_needs)
def draw_mnist_details(inputs: Inputs, outdir: Path) -> list[Path]:
    """Draw F9 (tanh) and F10 (ReLU): loss, KDE band, binned I(X;T), gradient SNR and ‖W‖ per hidden layer."""
    paths: list[Path] = []
    for activation, (detail, _) in _PANELS.items():
        ds = _run(inputs, activation)
        paths += save_panel(mnist_detail_panel(ds, f"MNIST {activation}"), outdir, detail)
    return paths


@figure("F1C", "F1D", needs=mnist_needs)
def draw_information_planes(inputs: Inputs, outdir: Path) -> list[Path]:
    """Draw F1C (tanh) and F1D (ReLU): MNIST information planes with the KDE estimator (σ² = 0.1)."""
    paths: list[Path] = []
    for activation, (_, plane) in _PANELS.items():
        ds = _run(inputs, activation)
        paths += save_panel(information_plane_panel(ds, f"MNIST {activation} (KDE, σ² = 0.1)"), outdir, plane)
    return paths
