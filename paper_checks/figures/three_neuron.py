"""Figures of the minimal three-neuron model: Fig 2B–D, Fig 11, Fig 13, and the softsign/softplus curves.

Exact curves (:mod:`theory.three_neuron`) are drawn as lines and Monte Carlo estimates
(:mod:`simulate.three_neuron`, 10⁶ samples, via the ``three_neuron_curve`` experiment each panel needs) as points
with ±2 SE bars, in the paper's axes ([P] Fig 2: w₁ ∈ [0, 10]; Fig 11: net input ∈ [−5, 5], y ∈ [−1, 6]). Panel ids:
``F2B``, ``F2C``, ``F2D``, ``F11``, ``F13`` (the paper's) and ``F2C-softsign``, ``F2D-softplus`` (the minimal
model with the App B.2 activations, docs/claims.md#c18).

Fig 2D's y-axis (0–2.5) is not reproduced: the paper does not state its bins (docs/choices.md#a19); with Δ = 2/29
half-line bins the curve reaches 5.09 bits at w₁ = 10, so the axis is scaled to the curve.

References
----------
.. [P] Saxe et al., "On the Information Bottleneck Theory of Deep Learning", ICLR 2018, Figs 2, 11, 13.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import xarray as xr

from paper_checks.experiments.three_neuron import CurveConfig, binning_edges
from paper_checks.profiles import Profile
from paper_checks.registry import Inputs, Need, figure
from simulate.activations import get_activation
from theory.three_neuron import mutual_information

__all__ = [
    "CURVE_PANEL_NEEDS",
    "curve_panel",
    "draw_activations",
    "draw_curves",
    "draw_f2b",
    "draw_f2c",
    "draw_f2c_softsign",
    "draw_f2d",
    "draw_f2d_softplus",
    "draw_f13",
]

_DENSE_W = np.linspace(0.005, 10.0, 400)
_PANELS = {
    "F2C": ("tanh", "equal", (0.0, 5.0), "tanh, 30 bins on [−1, 1]"),
    "F2D": ("relu", "half_line", None, "ReLU, half-line bins Δ = 2/29"),
    "F2C-softsign": ("softsign", "equal", (0.0, 5.0), "softsign, 30 bins on [−1, 1]"),
    "F2D-softplus": ("softplus", "half_line", None, "softplus, half-line bins Δ = 2/29"),
    "F13": ("tanh", "net_input", (0.0, 5.0), "tanh, edges tanh(linspace(−50, 50, 30))"),
}


def _save(fig: plt.Figure, outdir: Path, panel: str) -> list[Path]:
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    paths = [outdir / f"{panel}.png", outdir / f"{panel}.pdf"]
    for path in paths:
        fig.savefig(path, dpi=150, bbox_inches="tight")
    plt.close(fig)
    return paths


def _panel_needs(*panels: str):
    """``needs(profile)`` of the curve panels `panels`: the ``three_neuron_curve`` of each, keyed by panel id."""

    def needs(profile: Profile) -> dict[str, Need]:
        return {p: Need(CurveConfig.for_profile(profile, _PANELS[p][0], _PANELS[p][1])) for p in panels}

    return needs


def curve_panel(ds: xr.Dataset, panel: str) -> plt.Figure:
    """One I(X;T)-against-w₁ panel from a ``three_neuron_curve`` result: the exact line and Monte Carlo points."""
    activation, binning, ylim, title = _PANELS[panel]
    edges, space = binning_edges(binning)
    exact = mutual_information(activation, _DENSE_W, edges, space=space)
    fig, ax = plt.subplots(figsize=(3.6, 3.0))
    ax.plot(_DENSE_W, exact, color="black", lw=1.5, label="exact (Eqs 3–4)")
    if panel == "F2D-softplus":
        relu = mutual_information("relu", _DENSE_W, edges)
        ax.plot(_DENSE_W, relu, color="gray", lw=1.0, ls="--", label="ReLU, exact")
    mean = ds.I_mc.mean("seed").values
    err = 2 * ds.stderr_mc.mean("seed").values
    ax.errorbar(
        ds.w.values,
        mean,
        yerr=err,
        fmt="o",
        ms=3.5,
        color="tab:red",
        label=f"Monte Carlo ({ds.attrs['n_samples']:.0e} samples)",
    )
    ax.set_xlim(0, 10.3)
    ax.set_ylim(*(ylim or (0.0, 1.05 * float(np.max(exact)))))
    ax.set_xlabel(r"$w_1$")
    ax.set_ylabel(r"$I(X;T)$ (bits)")
    ax.set_title(title, fontsize=9)
    ax.legend(fontsize=7, frameon=False)
    return fig


def _draw_panel(inputs: Inputs, panel: str, outdir: Path) -> list[Path]:
    return _save(curve_panel(inputs[panel], panel), outdir, panel)


@figure("F2C", needs=_panel_needs("F2C"))
def draw_f2c(inputs: Inputs, outdir: Path) -> list[Path]:
    """Fig 2C: tanh, I(X;T) against w₁ ∈ [0, 10] (y 0–5): exact line, Monte Carlo points."""
    return _draw_panel(inputs, "F2C", outdir)


@figure("F2D", needs=_panel_needs("F2D"))
def draw_f2d(inputs: Inputs, outdir: Path) -> list[Path]:
    """Fig 2D: ReLU with half-line bins Δ = 2/29, I(X;T) against w₁ ∈ [0, 10]."""
    return _draw_panel(inputs, "F2D", outdir)


@figure("F2C-softsign", needs=_panel_needs("F2C-softsign"))
def draw_f2c_softsign(inputs: Inputs, outdir: Path) -> list[Path]:
    """Softsign in the minimal model, 30 bins on [−1, 1] (App B.2, C18)."""
    return _draw_panel(inputs, "F2C-softsign", outdir)


@figure("F2D-softplus", needs=_panel_needs("F2D-softplus"))
def draw_f2d_softplus(inputs: Inputs, outdir: Path) -> list[Path]:
    """Softplus in the minimal model, half-line bins Δ = 2/29, with ReLU's exact curve dashed (App B.2, C18)."""
    return _draw_panel(inputs, "F2D-softplus", outdir)


@figure("F13", needs=_panel_needs("F13"))
def draw_f13(inputs: Inputs, outdir: Path) -> list[Path]:
    """Fig 13: tanh with edges evenly spaced in net input, tanh(linspace(−50, 50, 30)) (App C)."""
    return _draw_panel(inputs, "F13", outdir)


CURVE_PANEL_NEEDS = _panel_needs(*_PANELS)
"""Needs of :func:`draw_curves`: every curve panel's ``three_neuron_curve``, keyed by panel id."""


def draw_curves(inputs: Inputs, outdir: Path) -> list[Path]:
    """All five I(X;T)-against-w₁ panels (F2C, F2D, F2C-softsign, F2D-softplus, F13) from :data:`CURVE_PANEL_NEEDS`."""
    paths: list[Path] = []
    for panel in _PANELS:
        paths += _draw_panel(inputs, panel, outdir)
    return paths


def _no_needs(profile: Profile) -> dict[str, Need]:
    return {}


@figure("F2B", needs=_no_needs)
def draw_f2b(inputs: Inputs, outdir: Path) -> list[Path]:
    """Fig 2B: tanh against net input ∈ [−5, 5] with the 30 bin borders evenly spaced in [−1, 1]."""
    x = np.linspace(-5, 5, 500)
    fig, ax = plt.subplots(figsize=(3.6, 3.0))
    for edge in np.linspace(-1, 1, 31):
        ax.axhline(edge, color="0.8", lw=0.5)
    ax.plot(x, np.tanh(x), color="black", lw=1.5)
    ax.set_xlim(-5, 5)
    ax.set_ylim(-1.1, 1.1)
    ax.set_xlabel("net input")
    ax.set_ylabel(r"$h = \tanh(w_1 x)$")
    ax.set_title("tanh and the 30 bin borders", fontsize=9)
    return _save(fig, outdir, "F2B")


@figure("F11", needs=_no_needs)
def draw_activations(inputs: Inputs, outdir: Path) -> list[Path]:
    """Fig 11: tanh, ReLU, softsign and softplus against net input ∈ [−5, 5] (y from −1 to 6)."""
    x = np.linspace(-5, 5, 500)
    fig, ax = plt.subplots(figsize=(3.6, 3.0))
    for name in ("tanh", "relu", "softsign", "softplus"):
        ax.plot(x, get_activation(name)(x), lw=1.5, label=name)
    ax.set_xlim(-5, 5)
    ax.set_ylim(-1, 6)
    ax.set_xlabel("net input")
    ax.set_ylabel("activation")
    ax.legend(fontsize=7, frameon=False)
    return _save(fig, outdir, "F11")
