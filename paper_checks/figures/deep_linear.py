"""Figures of the deep linear family: [P] Figs 3C/D, 4A/B, 6A–C, 18, 19, 21A–D.

Simulated curves are seed means with a ±1 standard-deviation band; closed-form curves are lines (the
single-layer [AS17] error curve of the same α and SNR is drawn dashed beside Figs 3C and 4A for reference: the
two-layer student follows it after the delay of escaping the small-weight saddle). Information is in bits
(exact, σ²_MI = 1). Time is gradient-flow time of the summed loss (lr/B per epoch), the t of
docs/formulas.md#s3-6–#s3-7.

Closed-form information planes are drawn where a closed form applies: over the balanced aligned-mode run
(``F18B-smg14``, [SMG14] modes through the log-det MI) and over a single-layer student (``F3D-as17``: the exact
trajectory of each seed and the large-N Marchenko–Pastur curve); the comparisons and their tolerances are
:func:`paper_checks.claims.linear_theory.aligned_plane_comparisons` and
:func:`~paper_checks.claims.linear_theory.student_plane_comparisons`. None is drawn on Figs 3D, 4B, 18B, 19: those
students have hidden layers started from small random (not aligned) weights, for which no closed form exists,
and the single-layer curve of the same α is not a stand-in. Measured on the fast-profile runs (8 seeds): the
output layer's I(T;X) of the 100-100-1 BGD student stays below 10⁻³ bits until t ≈ 0.25 (the saddle at small
weights) while the single-layer curve reaches 0.06 bits, then overtakes it (0.41 vs 0.18 bits at t = 0.5, F3;
1.39 ± 0.04 vs 0.68 bits at t = 4.3, F19): up to 3.6× the 4 SE + 5/N_i tolerance of the single-layer
comparison, and not a time shift (the hidden layer's growing gain speeds up the map once it has escaped).

References
----------
.. [P] Saxe et al., "On the Information Bottleneck Theory of Deep Learning", ICLR 2018.
.. [AS17] Advani & Saxe, arXiv:1710.03667 (2017).
"""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import xarray as xr
from matplotlib.colors import LogNorm

from paper_checks.claims.deep_linear import linear_needs
from paper_checks.claims.linear_theory import aligned_plane_comparisons, as17_needs, student_plane
from paper_checks.experiments.linear_theory import smg14_needs, smg14_plane_needs, student_plane_needs
from paper_checks.registry import Inputs, figure
from theory.generalization import generalization_error, training_error

__all__ = [
    "draw_aligned_plane",
    "draw_as17_comparison",
    "draw_figure3",
    "draw_figure4",
    "draw_figure6",
    "draw_figure18",
    "draw_figure19",
    "draw_figure21",
    "draw_smg14_comparison",
    "draw_student_plane",
]


def _save(fig: plt.Figure, outdir: Path, panel: str) -> list[Path]:
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    paths = [outdir / f"{panel}.png", outdir / f"{panel}.pdf"]
    for path in paths:
        fig.savefig(path, dpi=120, bbox_inches="tight")
    plt.close(fig)
    return paths


def _band(ax, x, values: xr.DataArray, label: str, color=None) -> None:
    mean, std = values.mean("seed").values, values.std("seed").values
    (line,) = ax.plot(x, mean, label=label, color=color)
    ax.fill_between(x, mean - std, mean + std, color=line.get_color(), alpha=0.25, linewidth=0)


def _errors_panel(ds: xr.Dataset, title: str, theory: bool) -> plt.Figure:
    fig, ax = plt.subplots(figsize=(4.2, 3.2))
    t = ds.time.values
    _band(ax, t, ds.train_error, "train (simulated)", "C0")
    _band(ax, t, ds.test_error, "test, exact E_g (simulated)", "C3")
    if theory:
        alpha = ds.attrs["n_samples"] / (ds.attrs["n_inputs"] + ds.attrs["n_irrelevant"])
        args = (alpha, ds.attrs["sigma_w2"], ds.attrs["sigma_o2"])
        ax.plot(t, generalization_error(t, *args), "k--", lw=1, label="1-layer test, theory [AS17]")
        ax.plot(t, training_error(t, *args), "k:", lw=1, label="1-layer train, theory [AS17]")
    ax.set_xlabel("time t (lr × epochs / batch)")
    ax.set_ylabel("mean squared error")
    ax.set_title(title, fontsize=9)
    ax.legend(fontsize=6)
    return fig


def _infoplane_panel(ds: xr.Dataset, title: str) -> plt.Figure:
    fig, ax = plt.subplots(figsize=(4.2, 3.2))
    epochs = np.maximum(ds.epoch.values, 1)
    norm = LogNorm(vmin=epochs.min(), vmax=epochs.max())
    I_XT, I_TY = ds.I_XT_exact.mean("seed"), ds.I_TY_exact.mean("seed")
    for layer in ds.layer.values:
        x, y = I_XT.sel(layer=layer).values, I_TY.sel(layer=layer).values
        ax.plot(x, y, color="0.7", lw=0.8, zorder=1)
        sc = ax.scatter(x, y, c=epochs, cmap="gnuplot", norm=norm, s=10, zorder=2)
        ax.annotate(f"layer {layer}", (x[-1], y[-1]), fontsize=6)
    fig.colorbar(sc, ax=ax, label="epoch")
    ax.set_xlabel("I(T;X) (bits)")
    ax.set_ylabel("I(T;Y) (bits)")
    ax.set_title(title, fontsize=9)
    return fig


@figure("F3C", "F3D", needs=linear_needs("F3"))
def draw_figure3(inputs: Inputs, outdir: Path) -> list[Path]:
    """[P] Fig 3C (train/test error) and 3D (information plane): 100-100-1 linear network, BGD."""
    ds = inputs["F3"]
    return _save(_errors_panel(ds, "Fig 3C: BGD, minimal overtraining", True), outdir, "F3C") + _save(
        _infoplane_panel(ds, "Fig 3D: BGD, no compression"), outdir, "F3D"
    )


@figure("F4A", "F4B", needs=linear_needs("F4"))
def draw_figure4(inputs: Inputs, outdir: Path) -> list[Path]:
    """[P] Fig 4A (train/test error) and 4B (information plane): SGD batch 5, substantial overtraining."""
    ds = inputs["F4"]
    return _save(_errors_panel(ds, "Fig 4A: SGD batch 5, overtraining", True), outdir, "F4A") + _save(
        _infoplane_panel(ds, "Fig 4B: SGD, no compression, I(T;Y) lost"), outdir, "F4B"
    )


@figure("F19A", "F19B", needs=linear_needs("F4", "F19"))
def draw_figure19(inputs: Inputs, outdir: Path) -> list[Path]:
    """[P] Fig 19: information planes of SGD (A, the Fig 4 run) and BGD (B, same gradient-flow time)."""
    sgd, bgd = inputs["F4"], inputs["F19"]
    return _save(_infoplane_panel(sgd, "Fig 19A: SGD batch 5"), outdir, "F19A") + _save(
        _infoplane_panel(bgd, "Fig 19B: BGD"), outdir, "F19B"
    )


@figure("F18A", "F18B", needs=linear_needs("F18"))
def draw_figure18(inputs: Inputs, outdir: Path) -> list[Path]:
    """[P] Fig 18: deep linear network (5 × 50 hidden), (A) errors, (B) information plane."""
    ds = inputs["F18"]
    return _save(_errors_panel(ds, "Fig 18A: 5 hidden layers × 50", False), outdir, "F18A") + _save(
        _infoplane_panel(ds, "Fig 18B: no compression"), outdir, "F18B"
    )


@figure("F6A", "F6B", "F6C", needs=linear_needs("F6"))
def draw_figure6(inputs: Inputs, outdir: Path) -> list[Path]:
    """[P] Fig 6: I(T;X) (A), I(T;X_rel) (B), I(T;X_irrel) (C) per layer vs epoch; SGD batch 5."""
    ds = inputs["F6"]
    paths: list[Path] = []
    epochs = np.maximum(ds.epoch.values, 1)
    for panel, name, label in (
        ("F6A", "I_XT_exact", "I(T;X)"),
        ("F6B", "I_X_rel_exact", "I(T;X_rel)"),
        ("F6C", "I_X_irrel_exact", "I(T;X_irrel)"),
    ):
        fig, ax = plt.subplots(figsize=(4.2, 3.2))
        for layer in ds.layer.values:
            _band(ax, epochs, ds[name].sel(layer=layer), f"layer {layer}")
        ax.set_xscale("log")
        ax.set_xlabel("epoch")
        ax.set_ylabel(f"{label} (bits)")
        ax.set_title(f"Fig 6{panel[-1]}: {label}, 30 relevant + 70 irrelevant inputs", fontsize=8)
        ax.legend(fontsize=6)
        paths += _save(fig, outdir, panel)
    return paths


@figure("F21A", "F21B", "F21C", "F21D", needs=linear_needs("F21-SGD", "F21-BGD"))
def draw_figure21(inputs: Inputs, outdir: Path) -> list[Path]:
    """[P] Fig 21: 1-1-1 linear network; loss under SGD (A) and BGD (B); gradient statistics (C, D)."""
    paths: list[Path] = []
    for variant, prefix, loss_panel, snr_panel in (
        ("F21-SGD", "grad_batch", "F21A", "F21C"),
        ("F21-BGD", "grad", "F21B", "F21D"),
    ):
        ds = inputs[variant]
        name = "SGD, minibatch 1" if variant == "F21-SGD" else "BGD"
        epochs = np.maximum(ds.epoch.values, 1)
        fig, ax = plt.subplots(figsize=(4.2, 3.2))
        _band(ax, epochs, ds.train_error, "train")
        _band(ax, epochs, ds.test_error, "test (exact)")
        ax.set_xscale("log")
        ax.set_xlabel("epoch")
        ax.set_ylabel("mean squared error")
        ax.set_title(f"Fig 21{loss_panel[-1]}: loss, {name}", fontsize=9)
        ax.legend(fontsize=6)
        paths += _save(fig, outdir, loss_panel)
        fig, ax = plt.subplots(figsize=(4.2, 3.2))
        layer = 1
        mean = ds[f"{prefix}_mean_norm"].sel(layer=layer).median("seed").values
        std = ds[f"{prefix}_std_norm"].sel(layer=layer).median("seed").values
        ax.loglog(epochs, mean, label="‖mean grad‖", color="C0")
        ax.loglog(epochs, std, label="‖std grad‖", color="C1")
        ax.loglog(epochs, np.maximum(mean / std, 1e-18), label="SNR", color="C3")
        ax.loglog(epochs, ds.weight_norm.sel(layer=layer).median("seed").values, label="|w₁|", color="C2")
        ax.set_xlabel("epoch")
        ax.set_title(f"Fig 21{snr_panel[-1]}: layer 1, {name} (median over seeds)", fontsize=8)
        ax.legend(fontsize=6)
        paths += _save(fig, outdir, snr_panel)
    return paths


@figure("F3C-as17", needs=as17_needs)
def draw_as17_comparison(inputs: Inputs, outdir: Path) -> list[Path]:
    """Theory beside simulation for the error curves behind Figs 3–4: [AS17] E_g, E_t vs GD (C45, C30).

    Single-layer student, N_i = 400, α ∈ {0.5, 1, 2}; lines are the Marchenko–Pastur curves for the same GD
    step, markers the seed means with ±1 standard error.
    """
    ds = inputs["as17"]
    fig, ax = plt.subplots(figsize=(4.6, 3.4))
    n = ds.sizes["seed"]
    for k, alpha in enumerate(ds.alpha.values):
        color = f"C{k}"
        for name, marker in (("E_g", "o"), ("E_t", "s")):
            sim = ds[f"{name}_sim"].sel(alpha=alpha)
            ax.plot(ds.time, ds[f"{name}_theory"].sel(alpha=alpha), color=color, lw=1)
            ax.errorbar(
                ds.time,
                sim.mean("seed"),
                yerr=sim.std("seed", ddof=1) / np.sqrt(n),
                fmt=marker,
                ms=3,
                color=color,
                label=f"{name}, α = {alpha:g}",
            )
    ax.set_xscale("symlog", linthresh=0.1)
    ax.set_xlabel("t")
    ax.set_ylabel("mean squared error")
    ax.set_title("AS17 theory (lines) vs GD, N_i = 400 (markers)", fontsize=9)
    ax.legend(fontsize=6, ncol=2)
    return _save(fig, outdir, "F3C-as17")


@figure("F18A-smg14", needs=smg14_needs)
def draw_smg14_comparison(inputs: Inputs, outdir: Path) -> list[Path]:
    """Theory beside simulation for the deep linear dynamics (App F): [SMG14] mode strengths vs GD (C42–C44)."""
    ds = inputs["theory"]
    fig, axes = plt.subplots(1, ds.sizes["case"], figsize=(10, 3.0), sharey=True)
    every = max(1, ds.sizes["epoch"] // 25)
    t = ds.time.values
    for ax, case in zip(axes, ds.case.values):
        u_sim = inputs[str(case)].mode_product.isel(seed=0)
        for m in ds.mode.values:
            s = float(ds.s.sel(mode=m))
            ax.plot(t, ds.u_theory.sel(case=case, mode=m), color=f"C{m}", lw=1)
            ax.plot(t[::every], u_sim.sel(mode=m).values[::every], "o", ms=3, color=f"C{m}", label=f"s = {s:g}")
        ax.set_title(f"{case}: closed form (lines), GD (dots)", fontsize=8)
        ax.set_xlabel("t = lr × steps")
    axes[0].set_ylabel("mode strength u")
    axes[0].legend(fontsize=6)
    return _save(fig, outdir, "F18A-smg14")


@figure("F18B-smg14", needs=smg14_plane_needs)
def draw_aligned_plane(inputs: Inputs, outdir: Path) -> list[Path]:
    """Closed-form information plane over the simulated one: the balanced aligned-mode run ([SMG14], App F).

    Left: I(T;Y) against I(T;X) of the hidden and output layers, closed form (lines) and the log-det information
    of the GD weights (dots); with whitened inputs and a noiseless teacher the two coincide for an aligned layer.
    Right: I(T;X) over time, with the worst deviation and its tolerance (twice the first-order GD–flow gap).
    """
    theory, run = inputs["theory"], inputs["balanced"]
    comparisons = {c.theory.label: c for c in aligned_plane_comparisons(inputs)}
    t = theory.time.values
    every = max(1, t.size // 30)
    fig, axes = plt.subplots(1, 2, figsize=(9, 3.4))
    for k, layer in enumerate(theory.layer.values):
        name = "hidden" if layer == 1 else "output"
        x_th, y_th = theory.I_XT_theory.sel(layer=layer).values, theory.I_TY_theory.sel(layer=layer).values
        x_sim = run.I_XT_exact.isel(seed=0).sel(layer=layer).values
        y_sim = run.I_TY_exact.isel(seed=0).sel(layer=layer).values
        axes[0].plot(x_th, y_th, color=f"C{k}", lw=1, label=f"{name}, closed form")
        axes[0].plot(x_sim[::every], y_sim[::every], "o", ms=3, color=f"C{k}", label=f"{name}, GD")
        c = comparisons[f"I_XT layer {layer}, closed form"]
        axes[1].plot(t, x_th, color=f"C{k}", lw=1)
        axes[1].plot(
            t[::every],
            x_sim[::every],
            "o",
            ms=3,
            color=f"C{k}",
            label=f"{name}: max |GD − theory| {c.deviation.max():.1e} ≤ {c.tolerance.max():.1e} bits",
        )
    axes[0].set_xlabel("I(T;X) (bits)")
    axes[0].set_ylabel("I(T;Y) (bits)")
    axes[0].set_title("aligned modes s = 3, 2, 1: information plane", fontsize=9)
    axes[0].legend(fontsize=6)
    axes[1].set_xlabel("t = lr × steps")
    axes[1].set_ylabel("I(T;X) (bits)")
    axes[1].set_title("closed form (lines) vs GD (dots)", fontsize=9)
    axes[1].legend(fontsize=6)
    return _save(fig, outdir, "F18B-smg14")


@figure("F3D-as17", needs=student_plane_needs)
def draw_student_plane(inputs: Inputs, outdir: Path) -> list[Path]:
    """Closed-form information plane over the simulated one: a single-layer linear student (Figs 3D, 4B companion).

    N_i = 100, P = 200, SNR 1, BGD from small weights. Left: per seed, the log-det information of the GD weights
    (dots) on the exact closed-form trajectory of that seed (thin lines); the large-N Marchenko–Pastur curve
    (black, dashed). Right: seed means ±1 standard error of I(T;X) and I(T;Y) over time beside the large-N curves.
    """
    run = inputs["student"]
    exact, large = student_plane(inputs["student_data"])
    t = run.time.values
    I_XT, I_TY = run.I_XT_exact.sel(layer=1), run.I_TY_exact.sel(layer=1)
    fig, axes = plt.subplots(1, 2, figsize=(9, 3.4))
    for k in range(min(run.sizes["seed"], 6)):
        color = f"C{k}"
        axes[0].plot(exact["I_XT"][k], exact["I_TY"][k], "-", lw=0.7, color=color)
        axes[0].plot(I_XT.isel(seed=k), I_TY.isel(seed=k), "o", ms=2.5, color=color)
    axes[0].plot(large["I_XT"], large["I_TY"], "k--", lw=1.2, label="large N (Marchenko–Pastur)")
    axes[0].plot([], [], "o-", ms=2.5, lw=0.7, color="0.4", label="GD (dots) on its exact trajectory (line)")
    axes[0].set_xlabel("I(T;X) (bits)")
    axes[0].set_ylabel("I(T;Y) (bits)")
    axes[0].set_title(f"single-layer student, α = {run.attrs['n_samples'] / run.attrs['n_inputs']:g}", fontsize=9)
    axes[0].legend(fontsize=6)
    n = run.sizes["seed"]
    for k, (name, sim) in enumerate((("I(T;X)", I_XT), ("I(T;Y)", I_TY))):
        key = "I_XT" if k == 0 else "I_TY"
        axes[1].plot(t, large[key], "--", color=f"C{k}", lw=1, label=f"{name}, large N")
        axes[1].errorbar(
            t,
            sim.mean("seed"),
            yerr=sim.std("seed", ddof=1) / np.sqrt(n),
            fmt="o",
            ms=3,
            color=f"C{k}",
            label=f"{name}, GD mean of {n} seeds",
        )
    axes[1].set_xscale("symlog", linthresh=0.1)
    axes[1].set_xlabel("t = lr × epochs / P")
    axes[1].set_ylabel("bits")
    axes[1].legend(fontsize=6)
    return _save(fig, outdir, "F3D-as17")
