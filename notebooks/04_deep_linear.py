# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Deep linear networks: exact dynamics, exact information planes, overtraining
#
# Saxe et al. (ICLR 2018) §3 and Apps F–I. In a linear teacher–student setting every quantity is exact:
# the learning dynamics (Saxe, McClelland & Ganguli 2014), the generalization error (Advani & Saxe 2017) and
# the mutual information of a layer observed through Gaussian noise (σ²_MI = 1). This notebook steps through
# the closed forms of `theory.deep_linear` / `theory.generalization` and puts them beside the simulations of
# `simulate.deep_linear` at small sizes (seconds). The paper-sized runs are the experiments of
# `paper_checks.experiments.deep_linear` (`--profile paper`).

# %%
from dataclasses import replace

import matplotlib.pyplot as plt
import numpy as np
import sympy as sp

from paper_checks import registry
from paper_checks.experiments.deep_linear import LinearStudent, student_logged_epochs
from paper_checks.experiments.linear_theory import SMG14Theory
from paper_checks.measurements_linear import ExactInformation
from paper_checks.profiles import FAST
from theory import deep_linear, generalization, mode_dynamics
from theory.latex import to_latex

# %% [markdown]
# ## 1. SMG14: one mode of a two-layer network
# With whitened inputs and aligned initial weights each singular mode s of the input–output correlation obeys
# τȧ = b(s − ab), τḃ = a(s − ab). For balanced layers u = ab follows a logistic curve. SymPy checks that the
# closed form solves its ODE:

# %%
S = mode_dynamics.SYMBOLS
u_t = mode_dynamics.balanced_solution()
residual = sp.simplify(S["tau"] * sp.diff(u_t, S["t"]) - 2 * u_t * (S["s"] - u_t))
print("u(t) =", to_latex(u_t))
print("tau*du/dt - 2u(s-u) simplifies to", residual)

# %% [markdown]
# Simulated gradient descent (η = 0.001) from small aligned weights against the closed forms, for three modes
# (stronger modes are learned first, C42), an unbalanced start (a² − b² conserved, C43) and a depth-4 network
# (C44).

# %%
smg14 = replace(SMG14Theory(), epochs=5000, n_records=51)
ds = registry.compute(smg14)
u_sim = {case: registry.compute(run).mode_product.isel(seed=0) for case, run in smg14.runs().items()}
fig, axes = plt.subplots(1, 3, figsize=(12, 3.2), sharey=False)
for ax, case in zip(axes, ds.case.values):
    for m in ds.mode.values:
        ax.plot(ds.time, ds.u_theory.sel(case=case, mode=m), "k-", lw=1)
        ax.plot(ds.time, u_sim[case].sel(mode=m), "o", ms=3, label=f"s = {float(ds.s[m]):g}")
    ax.set_title(f"{case}: GD (dots) vs closed form (lines)", fontsize=9)
    ax.set_xlabel("t = lr × steps")
axes[0].set_ylabel("mode strength u")
axes[0].legend(fontsize=7)
gap = max(float((abs(u_sim[c].values - ds.u_theory.sel(case=c).values) / ds.s.values).max()) for c in u_sim)
print(f"largest |u_sim − u_theory| / s over all cases: {gap:.2e}")

# %% [markdown]
# ## 2. The exact information plane of an aligned network
# Each mode is an independent scalar Gaussian channel, so I(T;X) and I(T;Y) of the hidden and output layers
# follow from u(t) alone. Both only rise: a linear network does not compress.

# %%
t = np.linspace(0, 8, 200)
plane = deep_linear.aligned_information_plane(t, [3.0, 2.0, 1.0], 1e-3, output_noise_variance=1.0)
fig, ax = plt.subplots(figsize=(4.5, 3.5))
for k, name in enumerate(("hidden", "output")):
    ax.plot(plane["I_XT"][:, k], plane["I_YT"][:, k], label=name)
ax.set_xlabel("I(T;X) (bits)")
ax.set_ylabel("I(T;Y) (bits)")
ax.legend()

# %% [markdown]
# ## 3. Advani–Saxe: generalization error of the single-layer student
# E_g(t) as a Marchenko–Pastur integral (spec §3.7). Overtraining is worst at α = P/N_i = 1, where E_g(∞)
# diverges (C30); the optimal stopping time grows with the SNR.

# %%
t = np.logspace(-2, 3, 300)
fig, ax = plt.subplots(figsize=(5, 3.5))
for alpha in (0.5, 0.8, 1.0, 1.25, 2.0):
    ax.plot(t, generalization.generalization_error(t, alpha, 1.0, 1.0), label=f"α = {alpha}")
ax.set_xscale("log")
ax.set_yscale("log")
ax.set_xlabel("t")
ax.set_ylabel("E_g(t)")
ax.legend(fontsize=7)
for snr in (0.5, 1.0, 4.0):
    t_star, E_min = generalization.optimal_stopping_time(1.0, snr, 1.0)
    print(f"SNR {snr}: optimal stopping time {t_star:.3f}, E_g there {E_min:.3f}")

# %% [markdown]
# ## 4. Figures 3 and 4: minimal vs substantial overtraining, no compression
# 100-100-1, P = 100, SNR 1. The paper does not give the learning rate, duration or initial scale (A11): BGD
# stopped just after the optimum reproduces Fig 3's "minimal overtraining"; SGD with batch 5 run ten times
# longer reproduces Fig 4's "substantial overtraining". Two seeds and a shortened Fig 4 here.

# %%
fig3_run = replace(LinearStudent.for_profile(FAST, "F3"), seeds=(0, 1))
fig4_run = replace(
    LinearStudent.for_profile(FAST, "F4"), seeds=(0, 1), epochs=200, logged_epochs=student_logged_epochs(200, 40)
)
fig3 = registry.compute(registry.Need(fig3_run, ExactInformation()))
fig4 = registry.compute(registry.Need(fig4_run, ExactInformation()))
fig, axes = plt.subplots(1, 2, figsize=(10, 3.5))
for ds_, name in ((fig3, "BGD (Fig 3)"), (fig4, "SGD batch 5 (Fig 4)")):
    axes[0].plot(ds_.time, ds_.test_error.mean("seed"), label=f"test, {name}")
    for layer in ds_.layer.values:
        axes[1].plot(
            ds_.I_XT_exact.mean("seed").sel(layer=layer),
            ds_.I_TY_exact.mean("seed").sel(layer=layer),
            label=f"{name}, layer {layer}",
        )
axes[0].set_xlabel("t")
axes[0].set_ylabel("exact E_g")
axes[0].legend(fontsize=7)
axes[1].set_xlabel("I(T;X) (bits)")
axes[1].set_ylabel("I(T;Y) (bits)")
axes[1].legend(fontsize=7)
I_mean = fig4.I_XT_exact.mean("seed").values  # (epoch, layer)
print(
    "largest fall of I(T;X) below its running maximum, any layer:",
    float(np.max(np.maximum.accumulate(I_mean, axis=0) - I_mean)),
)
