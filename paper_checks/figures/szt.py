"""Figures of the SZT network: information planes (Figs 1A/B, 4D, 5A–D, 8A–D) and learning curves (Figs 4C, 7).

Information planes follow ibsgd's style: x = I(X;T), y = I(T;Y) in bits, one marker per layer and logged epoch,
coloured by epoch with the ``gnuplot`` colormap (colour bar), the layers of one epoch joined by a thin line, the
input-side layer at the right. Curves are seed averages; where the paper averaged repetitions (Fig 8, 50
repeats) error bars show ± one seed-to-seed standard error of I(X;T).

References
----------
.. [P] Saxe et al., "On the Information Bottleneck Theory of Deep Learning", ICLR 2018, Figs 1, 4, 5, 7, 8.
.. [code] artemyk/ibsgd ``IBnet_ComputeMI`` (plot style: cmap gnuplot, x ∈ [0, 12], y ∈ [0, 1]).
"""

from __future__ import annotations

from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import xarray as xr

from paper_checks.experiments.szt import SZTConfig, run_szt_infoplane
from paper_checks.profiles import Profile
from paper_checks.registry import figure

__all__ = ["draw_infoplane", "draw_learning_curves", "draw_szt_figures"]

PANELS = {
    "F1A": ("tanh", "F1", "bin", "Fig 1A: tanh, binning (30 bins on [−1, 1])"),
    "F1B": ("relu", "F1", "bin", "Fig 1B: ReLU, binning (100 bins, run's min–max)"),
    "F4D": ("tanh", "F4C", "bin", "Fig 4D: tanh, 30 % of the data"),
    "F5A": ("tanh", "F5-SGD", "bin", "Fig 5A: tanh, offline SGD (batch 1)"),
    "F5B": ("tanh", "F5-BGD", "bin", "Fig 5B: tanh, batch GD"),
    "F5C": ("relu", "F5-SGD", "bin", "Fig 5C: ReLU, offline SGD (batch 1)"),
    "F5D": ("relu", "F5-BGD", "bin", "Fig 5D: ReLU, batch GD"),
    "F8A": ("tanh", "F8", "kde", "Fig 8A: tanh, KDE σ² = 0.1"),
    "F8B": ("relu", "F8", "kde", "Fig 8B: ReLU, KDE σ² = 0.1"),
    "F8C": ("softsign", "F8", "kde", "Fig 8C: softsign, KDE σ² = 0.1"),
    "F8D": ("softplus", "F8", "kde", "Fig 8D: softplus, KDE σ² = 0.1"),
}


def _save(fig: plt.Figure, outdir: Path, name: str) -> list[Path]:
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    paths = [outdir / f"{name}.png", outdir / f"{name}.pdf"]
    for path in paths:
        fig.savefig(path, dpi=150, bbox_inches="tight")
    plt.close(fig)
    return paths


def draw_infoplane(I_XT: xr.DataArray, I_TY: xr.DataArray, title: str, error_bars: bool = False) -> plt.Figure:
    """An information plane: seed-averaged (I(X;T), I(T;Y)) per layer and logged epoch, coloured by epoch.

    Parameters
    ----------
    I_XT, I_TY : xarray.DataArray
        Bits, dims (seed, epoch, layer); epochs with NaN (not measured) are dropped.
    title : str
        Panel title.
    error_bars : bool
        Draw ± one standard error of I(X;T) across seeds.

    Returns
    -------
    matplotlib.figure.Figure
    """
    I_XT = I_XT.dropna("epoch", how="all")
    I_TY = I_TY.sel(epoch=I_XT.epoch)
    x, y = I_XT.mean("seed"), I_TY.mean("seed")
    epochs = I_XT["epoch"].values
    cmap = plt.get_cmap("gnuplot")
    norm = matplotlib.colors.Normalize(vmin=0, vmax=max(int(epochs.max()), 1))
    fig, ax = plt.subplots(figsize=(5, 4))
    for i, epoch in enumerate(epochs):
        color = cmap(norm(epoch))
        xs, ys = x.isel(epoch=i).values, y.isel(epoch=i).values
        ax.plot(xs, ys, "-", color=color, alpha=0.15, lw=0.6)
        ax.scatter(xs, ys, s=14, color=color, edgecolor="none", zorder=3)
        if error_bars and I_XT.sizes["seed"] > 1:
            se = I_XT.isel(epoch=i).std("seed", ddof=1).values / np.sqrt(I_XT.sizes["seed"])
            ax.errorbar(xs, ys, xerr=se, fmt="none", ecolor=color, alpha=0.4, lw=0.6)
    sm = plt.cm.ScalarMappable(norm=norm, cmap=cmap)
    fig.colorbar(sm, ax=ax, label="epoch")
    ax.set(xlabel="I(X;T) [bits]", ylabel="I(T;Y) [bits]", xlim=(0, 12.5), ylim=(0, 1.05), title=title)
    ax.title.set_fontsize(9)
    return fig


def draw_learning_curves(ds: xr.Dataset, kind: str, title: str) -> plt.Figure:
    """Train and test loss (bits, as ibsgd plots) or accuracy (%) against epoch, mean ± 1 SE band over seeds.

    Parameters
    ----------
    ds : xarray.Dataset
        A ``szt_infoplane`` result.
    kind : {"loss", "accuracy"}
        What to plot.
    title : str
        Panel title.
    """
    if kind not in ("loss", "accuracy"):
        raise ValueError(f"kind must be 'loss' or 'accuracy', got {kind!r}")
    fig, ax = plt.subplots(figsize=(5, 3.5))
    epochs = np.maximum(ds["epoch"].values, 1)
    for split, color in (("train", "C0"), ("test", "C1")):
        values = ds[f"{split}_{kind}"]
        values = values / np.log(2) if kind == "loss" else 100 * values
        mean = values.mean("seed").values
        se = values.std("seed", ddof=1).values / np.sqrt(values.sizes["seed"]) if values.sizes["seed"] > 1 else 0
        ax.plot(epochs, mean, color=color, label=split)
        ax.fill_between(epochs, mean - se, mean + se, color=color, alpha=0.25, lw=0)
    ax.set_xscale("log")
    ax.set(
        xlabel="epoch (epoch 0 drawn at 1)",
        ylabel="cross-entropy [bits]" if kind == "loss" else "% correct",
        title=title,
    )
    ax.title.set_fontsize(9)
    ax.legend()
    return fig


def _run(profile: Profile, activation: str, variant: str) -> xr.Dataset:
    return run_szt_infoplane(SZTConfig.for_profile(profile, activation, variant))


def _infoplane_panel(name: str):
    activation, variant, estimator, title = PANELS[name]

    def draw(profile: Profile, outdir: Path) -> list[Path]:
        ds = _run(profile, activation, variant)
        n = ds.sizes["seed"]
        if estimator == "kde":
            I_XT = ds.I_XT_upper_kde.sel(noise_variance=0.1)
            I_TY = ds.I_TY_upper_kde.sel(noise_variance=0.1)
        else:
            I_XT, I_TY = ds.I_XT_bin, ds.I_TY_bin
        fig = draw_infoplane(I_XT, I_TY, f"{title}; mean of {n} seeds", error_bars=estimator == "kde")
        return _save(fig, outdir, name)

    draw.__name__ = f"draw_{name}"
    draw.__doc__ = f"Draw {name} ({title}) as PNG and PDF into `outdir`; returns the paths."
    return figure(name)(draw)


PANEL_DRAWERS = {name: _infoplane_panel(name) for name in PANELS}


@figure("F4C")
def draw_f4c(profile: Profile, outdir: Path) -> list[Path]:
    """Fig 4C: train and test accuracy of the tanh network trained on 30 % of the data (PNG and PDF)."""
    small = _run(profile, "tanh", "F4C")
    return _save(draw_learning_curves(small, "accuracy", "Fig 4C: tanh, 30 % of the data"), outdir, "F4C")


@figure("F7A", "F7B")
def draw_f7(profile: Profile, outdir: Path) -> list[Path]:
    """Fig 7: learning curves (cross-entropy in bits) of the tanh (F7A) and ReLU (F7B) networks of Fig 1A/B."""
    paths: list[Path] = []
    for name, activation in (("F7A", "tanh"), ("F7B", "relu")):
        ds = _run(profile, activation, "F1")
        paths += _save(draw_learning_curves(ds, "loss", f"Fig 7: {activation} learning curves"), outdir, name)
    return paths


def draw_szt_figures(profile: Profile, outdir: Path) -> list[Path]:
    """Draw every SZT panel (F1A/B, F4C/D, F5A–D, F7A/B, F8A–D) as PNG and PDF into `outdir`."""
    paths: list[Path] = []
    for draw in PANEL_DRAWERS.values():
        paths += draw(profile, outdir)
    return paths + draw_f4c(profile, outdir) + draw_f7(profile, outdir)
