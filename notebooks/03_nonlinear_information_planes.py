# ---
# jupyter:
#   jupytext:
#     notebook_metadata_filter: -jupytext.text_representation.jupytext_version
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Nonlinear networks and the information plane (SZT task)
#
# Saxe et al. (ICLR 2018), §2 and Fig 1A/B: the 12-10-7-5-4-3-2 network of Shwartz-Ziv & Tishby trained on the
# 4096 twelve-bit patterns of `var_u.mat`. With tanh units the binned I(X;T) of the late layers rises and then
# falls ("compression"); with ReLU units it only rises (claims C1, C6, C7 of the reproduction spec).
#
# This notebook runs a *small* version (few seeds and epochs) so it executes in seconds; the paper's sizes are
# `SZTRun.for_profile(PAPER, ...)` (50 seeds, 10 000 epochs). A run keeps every network; the information plane is a
# measurement of it (`paper_checks.measurements.Binning`, the paper's binning).

# %%
from dataclasses import replace

import matplotlib.pyplot as plt

from paper_checks import registry
from paper_checks.compression import compression_summary
from paper_checks.experiments.szt import SZTRun
from paper_checks.figures.szt import draw_infoplane, draw_learning_curves
from paper_checks.measurements import Binning
from paper_checks.profiles import FAST, PAPER
from simulate.schedules import log_spaced_epochs

EPOCHS = 200  # shorter than the profiles (printed below)
print(
    f"this notebook: {EPOCHS} epochs; fast profile: {SZTRun.for_profile(FAST, 'tanh', 'F1').epochs}; "
    f"paper profile: {SZTRun.for_profile(PAPER, 'tanh', 'F1').epochs}"
)
small = {
    activation: replace(
        SZTRun.for_profile(FAST, activation, "F1"),
        seeds=(0, 1, 2),
        epochs=EPOCHS,
        logged_epochs=log_spaced_epochs(EPOCHS, 15),
    )
    for activation in ("tanh", "relu")
}
runs = {activation: registry.compute(registry.Need(run, Binning())) for activation, run in small.items()}
runs["tanh"]

# %% [markdown]
# ## Information planes
# Each marker is one layer at one logged epoch (colour = epoch); the layers of one epoch are joined. The input-side
# layer is at the right (12 bits = log₂ 4096: every pattern in its own bin).

# %%
for activation, ds in runs.items():
    fig = draw_infoplane(ds.I_XT_bin, ds.I_TY_bin, f"{activation}: binned information plane, {EPOCHS} epochs")
    plt.show()

# %% [markdown]
# ## Compression, defined once
# `paper_checks.compression`: a layer compresses when its seed-averaged I(X;T) peaks before the last 10 % of
# logged epochs and the drop from peak to final exceeds δ = max(3 SE, 0.02 bits).

# %%
for activation, ds in runs.items():
    for c in compression_summary(ds.I_XT_bin):
        print(
            f"{activation} layer {c.layer}: peak {c.peak:.2f} bits at epoch {c.peak_epoch}, "
            f"drop {c.drop:.2f} ± {c.stderr:.2f} (δ = {c.delta:.2f}) -> compresses: {c.compresses}"
        )

# %% [markdown]
# ## Learning curves (Fig 7)

# %%
fig = draw_learning_curves(runs["tanh"], "loss", "tanh learning curves")
plt.show()
