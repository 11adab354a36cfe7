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
# # Simultaneous fitting and compression: task-relevant and task-irrelevant inputs
#
# Saxe et al. (ICLR 2018) §5, Fig 6 (claims C4, C39). The input has 30 task-relevant dimensions (the teacher
# reads them) and 70 task-irrelevant ones (teacher weight zero). With T = W̄X + ε, the information about each
# block is exact ([formulas §3.5](../docs/formulas.md#s3-5)):
#
# I(T;X_rel) = ½ log det(W̄Σ_xW̄ᵀ + σ²I) − ½ log det(W̄_iΣ_iW̄_iᵀ + σ²I), and symmetrically for X_irrel.
#
# The relevant signal grows during fitting and acts as noise for the irrelevant one in the same directions of T,
# so I(T;X_irrel) can fall while the total I(T;X) keeps rising. Small sizes here (seconds); the claim check uses
# `LinearStudent.for_profile(profile, "F6")`.

# %%
from dataclasses import replace

import matplotlib.pyplot as plt
import numpy as np
from IPython.display import Markdown, display

from paper_checks import registry
from paper_checks.experiments.deep_linear import LinearStudent, student_logged_epochs
from paper_checks.measurements_linear import ExactInformation
from paper_checks.profiles import FAST
from simulate.mi.gaussian import subspace_mutual_information
from theory import log_det
from theory.derivation import markdown

# %% [markdown]
# ## 0. The split, derived
# With $X_r$ and $X_i$ independent, $T \mid X_r$ is the Gaussian $\bar W_i X_i + \epsilon$ shifted by
# $\bar W_r X_r$; each step is checked by SymPy on explicit matrices with symbolic entries.

# %%
display(Markdown(markdown(log_det.subspace_information_derivation())))

# %% [markdown]
# ## 1. The masking effect in one direction
# A single output unit T = w_r·x_r + w_i·x_i + ε: as the relevant weight grows, the information about the
# irrelevant part falls although w_i is fixed.

# %%
Sigma = np.eye(2)
w_r = np.linspace(0, 5, 50)
I_irr = [float(subspace_mutual_information(np.array([[wr, 0.5]]), Sigma, 1.0, [1])) for wr in w_r]
plt.figure(figsize=(4.5, 3))
plt.plot(w_r, I_irr)
plt.xlabel("relevant weight w_r (w_i = 0.5 fixed)")
plt.ylabel("I(T;X_irrel) (bits)")
plt.show()

# %% [markdown]
# ## 2. Training: 30 + 70 inputs, SGD batch 5
# [A11](../docs/choices.md#a11) choices (`LinearStudent.for_profile`): P = 400, SNR 10, σ_w² = 30, 100 hidden units,
# init scale 1, lr 0.02. Three seeds and 60 epochs here.

# %%
run = replace(
    LinearStudent.for_profile(FAST, "F6"), seeds=(0, 1, 2), epochs=60, logged_epochs=student_logged_epochs(60, 60)
)
ds = registry.compute(registry.Need(run, ExactInformation(subspaces=True)))
epochs = np.maximum(ds.epoch.values, 1)
fig, axes = plt.subplots(1, 3, figsize=(12, 3.2))
for ax, name in zip(axes, ("I_XT_exact", "I_X_rel_exact", "I_X_irrel_exact")):
    for layer in ds.layer.values:
        ax.plot(epochs, ds[name].mean("seed").sel(layer=layer), label=f"layer {layer}")
    ax.set_xscale("log")
    ax.set_title(name.replace("_", " "), fontsize=9)
    ax.set_xlabel("epoch")
axes[0].set_ylabel("bits")
axes[0].legend(fontsize=7)
out = ds.I_X_irrel_exact.mean("seed").isel(layer=-1)
k = int(out.argmax("epoch"))
print(
    f"output layer: I(T;X_irrel) peaks at epoch {int(ds.epoch[k])} ({float(out[k]):.3f} bits) "
    f"and ends at {float(out[-1]):.3f} bits"
)
print("training error at the peak / initial:", float(ds.train_error.mean("seed")[k] / ds.train_error.mean("seed")[0]))
