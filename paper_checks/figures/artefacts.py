"""Figures of the SZT artefact runs.

F12 (Kraskov), F14 (net-input bins), F15 (machine precision), F16/F17 (activity histograms), F20 (gradient SNR).

Every panel averages over seeds (the paper averages over 50 repetitions, Figs 8, 12); bands are ± one
seed-to-seed standard error.

References
----------
.. [P] Saxe et al., "On the Information Bottleneck Theory of Deep Learning", ICLR 2018, Figs 12, 14–17, 20.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import xarray as xr

from paper_checks.experiments.artefacts import ArtefactsConfig, run_szt_artefacts
from paper_checks.figures.mnist import _save, information_plane_axes
from paper_checks.profiles import Profile
from paper_checks.registry import figure

__all__ = ["draw_histograms", "draw_kraskov", "draw_machine_precision", "draw_net_input", "draw_snr"]


def _run(profile: Profile, activation: str) -> xr.Dataset:
    return run_szt_artefacts(ArtefactsConfig.for_profile(profile, activation))


def _mean_band(ax: plt.Axes, epochs: np.ndarray, values: xr.DataArray, label: str) -> None:
    mean = values.mean("seed").values
    se = values.std("seed", ddof=1).values / np.sqrt(values.sizes["seed"]) if values.sizes["seed"] > 1 else 0 * mean
    (line,) = ax.plot(epochs, mean, label=label)
    ax.fill_between(epochs, mean - se, mean + se, color=line.get_color(), alpha=0.25)


@figure("F12A", "F12B")
def draw_kraskov(profile: Profile, outdir: Path) -> list[Path]:
    """F12: Kraskov H(T) (k = 2, bits) of the hidden layers vs epoch; (A) tanh, (B) ReLU."""
    paths: list[Path] = []
    for panel, activation in (("F12A", "tanh"), ("F12B", "relu")):
        ds = _run(profile, activation)[["H_kraskov"]].dropna("epoch", how="all")
        epochs = np.maximum(ds["epoch"].values, 1)
        fig, ax = plt.subplots(figsize=(5, 3.6))
        for l in ds["layer"].values[:-1]:
            _mean_band(ax, epochs, ds["H_kraskov"].sel(layer=l), f"layer {int(l)}")
        ax.set_xscale("log")
        ax.set_xlabel("epoch")
        ax.set_ylabel("H(T) (bits, Kraskov k = 2)")
        ax.set_title(f"SZT {activation}: Kraskov entropy")
        ax.legend(fontsize=7)
        fig.tight_layout()
        paths += _save(fig, outdir, panel)
    return paths


def _plane(profile: Profile, outdir: Path, panel: str, activation: str, suffix: str, title: str) -> list[Path]:
    ds = _run(profile, activation).mean("seed")
    fig, ax = plt.subplots(figsize=(5, 4))
    information_plane_axes(ax, ds["epoch"].values, ds[f"I_XT_{suffix}"].values, ds[f"I_TY_{suffix}"].values, fig)
    ax.set_xlim(0, 12.5)
    ax.set_ylim(0, 1.05)
    ax.set_title(title)
    fig.tight_layout()
    return _save(fig, outdir, panel)


@figure("F14")
def draw_net_input(profile: Profile, outdir: Path) -> list[Path]:
    """F14: the tanh run of Fig 1A binned with edges ``tanh(linspace(−50, 50, 30))`` (information plane)."""
    return _plane(profile, outdir, "F14", "tanh", "netinput", "SZT tanh, net-input binning")


@figure("F15A", "F15B")
def draw_machine_precision(profile: Profile, outdir: Path) -> list[Path]:
    """F15: binning at float32 machine precision; (A) ReLU, (B) tanh (information planes)."""
    return _plane(profile, outdir, "F15A", "relu", "machine", "SZT ReLU, machine precision") + _plane(
        profile, outdir, "F15B", "tanh", "machine", "SZT tanh, machine precision"
    )


def _histogram_figure(ds: xr.Dataset, title: str) -> plt.Figure:
    hist = ds["activity_histogram"].mean("seed")  # (epoch, layer, bin)
    edges = ds["hidden_edges"].isel(seed=0, epoch=-1).values
    layers = ds["layer"].values
    fig, axes = plt.subplots(1, len(layers), figsize=(2.6 * len(layers), 3.2), squeeze=False)
    for ax, l in zip(axes[0], layers):
        values = hist.sel(layer=l).values.T  # (bin, epoch)
        last = l == layers[-1]
        extent = (0, values.shape[1], 0.0 if last else edges[0], 1.0 if last else edges[-1])
        ax.imshow(np.log10(values + 1e-4), origin="lower", aspect="auto", extent=extent, cmap="viridis")
        ticks = np.linspace(0, values.shape[1] - 1, 4).astype(int)
        ax.set_xticks(ticks + 0.5, [str(int(ds["epoch"].values[t])) for t in ticks], fontsize=7)
        ax.set_title(f"layer {int(l)}" + (" (output)" if last else ""), fontsize=8)
        ax.set_xlabel("epoch (logged)")
    axes[0, 0].set_ylabel("activity")
    fig.suptitle(f"{title}: log₁₀ density of activity")
    fig.tight_layout()
    return fig


@figure("F16", "F17")
def draw_histograms(profile: Profile, outdir: Path) -> list[Path]:
    """F16 (tanh) and F17 (ReLU): histograms of each layer's activity over all 4096 inputs vs epoch."""
    paths: list[Path] = []
    for panel, activation in (("F16", "tanh"), ("F17", "relu")):
        paths += _save(_histogram_figure(_run(profile, activation), f"SZT {activation}"), outdir, panel)
    return paths


@figure("F20A", "F20B")
def draw_snr(profile: Profile, outdir: Path) -> list[Path]:
    """F20: per-layer ‖mean gradient‖, ‖std‖, SNR and ‖W‖ (log–log), seed medians; (A) tanh, (B) ReLU."""
    paths: list[Path] = []
    for panel, activation in (("F20A", "tanh"), ("F20B", "relu")):
        ds = _run(profile, activation).median("seed")
        keep = ds["epoch"].values >= 1
        epochs = ds["epoch"].values[keep]
        layers = ds["layer"].values
        fig, axes = plt.subplots(1, len(layers), figsize=(2.6 * len(layers), 3), sharey=True, squeeze=False)
        for ax, l in zip(axes[0], layers):
            sel = ds.sel(layer=l).isel(epoch=np.flatnonzero(keep))
            for name, color in (("grad_mean_norm", "tab:blue"), ("grad_std_norm", "tab:orange"),
                                ("grad_snr", "tab:red"), ("weight_norm", "tab:green")):  # fmt: skip
                ax.loglog(epochs, sel[name], color=color, label=name.replace("grad_", ""))
            ax.set_title(f"layer {int(l)}", fontsize=8)
            ax.set_xlabel("epoch")
        axes[0, 0].legend(fontsize=6)
        fig.suptitle(f"SZT {activation}: gradient SNR over training samples (Eqs 26–27)")
        fig.tight_layout()
        paths += _save(fig, outdir, panel)
    return paths
