"""Verdict maps: one figure per activation, estimator setting × layer (issue 16; :mod:`paper_checks.sensitivity`).

Each cell is coloured by the drop from the seed-mean peak in units of its standard error (``drop_z``, clipped to
±10 so that one huge drop does not wash out the scale) and marked with the declared verdict: ``C`` compresses,
``=`` does not compress (equivalence test), blank inconclusive. Rows are grouped by estimator.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import xarray as xr

from paper_checks.claims.szt import HIDDEN_LAYERS
from paper_checks.figures.common import save_panel
from paper_checks.sensitivity import COMPRESSES, DOES_NOT_COMPRESS

__all__ = ["Z_CLIP", "draw_verdict_map"]

Z_CLIP = 10.0
"""Colour range of the maps, ±10 standard errors (the declared test's threshold is 3)."""

_MARKS = {COMPRESSES: "C", DOES_NOT_COMPRESS: "="}


def draw_verdict_map(grid: xr.Dataset, activation: str, outdir: Path, *, title: str = "") -> list[Path]:
    """Draw the verdict map of `grid` (:func:`paper_checks.sensitivity.verdict_grid`) as ``sensitivity-<activation>``.

    Returns the PNG and PDF paths.
    """
    z = np.clip(grid["drop_z"].values, -Z_CLIP, Z_CLIP)
    verdict = grid["verdict"].values
    labels = [str(v) for v in grid["label"].values]
    layers = [int(v) for v in grid["layer"].values]
    fig, ax = plt.subplots(figsize=(1.2 + 0.9 * len(layers) + 2.6, 0.8 + 0.28 * len(labels)))
    image = ax.imshow(z, cmap="RdBu_r", vmin=-Z_CLIP, vmax=Z_CLIP, aspect="auto", interpolation="nearest")
    for i in range(z.shape[0]):
        for j in range(z.shape[1]):
            mark = _MARKS.get(int(verdict[i, j]), "")
            if mark:
                colour = "white" if abs(z[i, j]) > 0.6 * Z_CLIP else "black"
                ax.text(j, i, mark, ha="center", va="center", fontsize=8, color=colour, fontweight="bold")
    estimators = [str(v) for v in grid["estimator"].values]
    for i in range(1, len(estimators)):
        if estimators[i] != estimators[i - 1]:
            ax.axhline(i - 0.5, color="black", linewidth=0.8)
    names = [f"layer {x}" if x in HIDDEN_LAYERS else f"output ({x})" for x in layers]
    ax.set_xticks(range(len(layers)), names, fontsize=8)
    ax.set_yticks(range(len(labels)), labels, fontsize=7)
    ax.set_title(title or f"{activation}: does the compression verdict survive the estimator?", fontsize=9)
    bar = fig.colorbar(image, ax=ax, fraction=0.05, pad=0.02)
    bar.set_label("drop from peak / SE   (C: rise then drop > δ;  =: equivalence test holds)", fontsize=7)
    bar.ax.tick_params(labelsize=7)
    return save_panel(fig, outdir, f"sensitivity-{activation}")
