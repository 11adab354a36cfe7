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
# # Deep linear networks: exact dynamics, exact information planes, overtraining
#
# Saxe et al. (ICLR 2018) §3 and Apps F–I. In a linear teacher–student setting every quantity is exact:
# the learning dynamics (Saxe, McClelland & Ganguli 2014), the generalization error (Advani & Saxe 2017) and
# the mutual information of a layer observed through Gaussian noise (σ²_MI = 1). This notebook **derives** the
# closed forms step by step (each step with why it holds and how SymPy checked it: `theory.derivation`), then
# draws the derived curves beside simulations of `simulate.deep_linear` / `simulate.linear_modes` at small
# sizes (seconds). The paper-sized runs are the experiments of `paper_checks.experiments.deep_linear`
# (`--profile paper`).

# %%
from dataclasses import replace

import matplotlib.pyplot as plt
import numpy as np
from IPython.display import Markdown, display

from paper_checks import registry
from paper_checks.experiments.deep_linear import LinearStudent, student_logged_epochs
from paper_checks.experiments.linear_theory import SMG14Theory
from paper_checks.measurements_linear import ExactInformation
from paper_checks.profiles import FAST
from simulate.data.teacher import stack_teacher_data, teacher_student_data
from simulate.deep_linear import train_linear_student
from simulate.linear_modes import train_aligned_modes, whitened_task
from theory import deep_linear, generalization, log_det, mode_dynamics
from theory.derivation import markdown

# %% [markdown]
# ## 1. SMG14: one mode of a two-layer network, derived
# Gradient flow on one singular mode, the conserved $a^2 - b^2$, the balanced logistic solution (SymPy `dsolve`)
# and the learning time; then depth $N_l$ and its large-depth learning time.

# %%
display(Markdown(markdown(mode_dynamics.balanced_derivation())))
display(Markdown(markdown(mode_dynamics.depth_derivation())))

# %% [markdown]
# Simulated gradient descent (η = 0.001) from small aligned weights against the derived closed forms, for three
# modes (stronger modes are learned first, C42), an unbalanced start (a² − b² conserved, C43) and a depth-4
# network (C44).

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
plt.show()
gap = max(float((abs(u_sim[c].values - ds.u_theory.sel(case=c).values) / ds.s.values).max()) for c in u_sim)
print(f"largest |u_sim − u_theory| / s over all cases: {gap:.2e}")

# %% [markdown]
# ## 2. The log-det mutual information, derived (Eq 6, App G)
# $T = \bar W X + \epsilon$: from $h(T) - h(T\mid X)$ to
# $\frac12\log_2\det(I + \bar W\Sigma_x\bar W^\top/\sigma^2)$, and the label information of App G through the
# Schur complement. Matrix steps are checked on explicit matrices with symbolic entries.

# %%
display(Markdown(markdown(log_det.information_derivation())))
display(Markdown(markdown(log_det.label_information_derivation())))

# %% [markdown]
# ## 3. The information plane of an aligned network: derived, and beside gradient descent
# Through the log-det MI an aligned layer is a sum of scalar channels, one per mode, whose gains are the SMG14
# mode strengths. The closed-form trajectory (lines) against the information computed from the simulated
# weights of a balanced network (dots): both layers only rise — a linear network does not compress.

# %%
display(Markdown(markdown(deep_linear.aligned_information_derivation())))
s_modes, u0, lr = (3.0, 2.0, 1.0), 1e-3, 0.01
X, Y, U, V = whitened_task(s_modes, 8, 32, np.random.default_rng(0))
steps = np.unique(np.geomspace(1, 1000, 40).astype(int))
modes = train_aligned_modes(
    X,
    Y,
    U,
    V,
    np.full((2, 3), np.sqrt(u0)),
    hidden=8,
    learning_rate=lr,
    logged_epochs=steps,
    rng=np.random.default_rng(1),
)
plane = deep_linear.aligned_information_plane(modes.time, s_modes, u0)
gains2 = {"hidden": modes.strengths[:, 0] ** 2, "output": modes.product**2}  # squared gains of each mode
fig, ax = plt.subplots(figsize=(4.8, 3.6))
for k, (name, g2) in enumerate(gains2.items()):
    sim = np.sum(0.5 * np.log2(1 + g2), axis=-1)  # σ²_MI = 1, unit input variance, Y noiseless: I(T;Y) = I(T;X)
    ax.plot(plane["I_XT"][:, k], plane["I_TY"][:, k], "-", label=f"{name}, closed form")
    ax.plot(sim, sim, "o", ms=3, label=f"{name}, GD (from the weights)")
    print(f"{name}: largest |I_sim − I_theory| = {np.max(np.abs(sim - plane['I_XT'][:, k])):.2e} bits")
ax.set_xlabel("I(T;X) (bits)")
ax.set_ylabel("I(T;Y) (bits)")
ax.legend(fontsize=7)
plt.show()

# %% [markdown]
# ## 4. The generalization error, derived (Advani & Saxe)
# Gradient flow on the linear student, the eigenmode ODEs, their solution (SymPy `dsolve`), the mode-wise error
# and its Marchenko–Pastur average; then $E_t(t)$ and $E_g(\infty)$.

# %%
display(Markdown(markdown(generalization.generalization_derivation())))
display(Markdown(markdown(generalization.training_error_derivation())))
display(Markdown(markdown(generalization.asymptotic_generalization_derivation())))

# %% [markdown]
# ## 5. The single-layer student's information plane: closed form beside the simulation
# Through the log-det MI, the student's $I(T;X)$ and $I(T;Y)$ are functions of $\lVert w\rVert^2/N$ and
# $w^\top\bar w/N$, which the mode solutions give exactly for one training set
# (`deep_linear.student_information_plane`) and, as $N \to \infty$, as Marchenko–Pastur averages
# (`deep_linear.single_layer_information_plane`). Here: 4 seeds of full-batch GD (`simulate.deep_linear`),
# N = 100, P = 200, SNR 1, the exact per-seed curves, and the large-N curve.

# %%
display(Markdown(markdown(deep_linear.single_layer_information_derivation())))
N, P, n_seeds, lr, n_epochs, init_scale = 100, 200, 4, 2.0, 2000, 0.1
data = stack_teacher_data([teacher_student_data(N, P, np.random.default_rng(s), snr=1.0) for s in range(n_seeds)])
log_epochs = np.unique(np.r_[0, np.geomspace(1, n_epochs, 30).astype(int)])
run = train_linear_student(
    data,
    (),
    learning_rate=lr,
    epochs=n_epochs,
    batch_size=None,
    init_scale=init_scale,
    rngs=[np.random.default_rng(100 + s) for s in range(n_seeds)],
    logged_epochs=log_epochs,
)
exact = deep_linear.student_information_plane(
    run.time, data.X, data.Y, data.W_o[:, 0, :], run.W_tot[:, 0, 0, :], data.sigma_o2, step=lr / P
)
large_n = deep_linear.single_layer_information_plane(
    np.geomspace(1e-3, run.time[-1], 200), P / N, 1.0, 1.0, sigma_02=init_scale**2 / N, step=lr / P
)
fig, axes = plt.subplots(1, 2, figsize=(10, 3.6))
for seed in range(n_seeds):
    axes[0].plot(run.I_XT[seed, :, 0], run.I_TY[seed, :, 0], "o", ms=3, color=f"C{seed}")
    axes[0].plot(exact["I_XT"][seed], exact["I_TY"][seed], "-", lw=0.8, color=f"C{seed}")
    axes[1].plot(run.time, run.test_error[seed], "o", ms=3, color=f"C{seed}")
axes[0].plot(large_n["I_XT"], large_n["I_TY"], "k--", label="large-N closed form")
axes[1].plot(np.geomspace(1e-3, run.time[-1], 200), large_n["E_g"], "k--", label="large-N $E_g(t)$")
axes[0].set_xlabel("I(T;X) (bits)")
axes[0].set_ylabel("I(T;Y) (bits)")
axes[0].set_title("dots: GD; thin lines: exact per seed", fontsize=9)
axes[1].set_xscale("log")
axes[1].set_xlabel("t = lr × epochs / P")
axes[1].set_ylabel("exact $E_g$")
for ax in axes:
    ax.legend(fontsize=7)
plt.show()
print("largest |simulated − exact per-seed| I(T;X):", f"{np.max(np.abs(run.I_XT[..., 0] - exact['I_XT'])):.1e} bits")
se = run.I_XT[..., 0].std(axis=0, ddof=1) / np.sqrt(n_seeds)
on_grid = deep_linear.single_layer_information_plane(run.time, P / N, 1.0, 1.0, sigma_02=init_scale**2 / N, step=lr / P)
print(
    "largest |seed mean − large-N| I(T;X):",
    f"{np.max(np.abs(run.I_XT[..., 0].mean(0) - on_grid['I_XT'])):.3f}",
    f"bits (seed SE up to {se.max():.3f}; finite-size term O(1/N) = {1 / N:.3f})",
)

# %% [markdown]
# ## 6. Advani–Saxe: generalization error of the single-layer student, over loads
# E_g(t) as a Marchenko–Pastur integral ([formulas §3.7](../docs/formulas.md#s3-7)). Overtraining is worst at α = P/N_i
# = 1, where E_g(∞) diverges (C30); the optimal stopping time grows with the SNR.

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
# ## 7. Figures 3 and 4: minimal vs substantial overtraining, no compression
# 100-100-1, P = 100, SNR 1. The paper does not give the learning rate, duration or initial scale
# ([A11](../docs/choices.md#a11)): BGD stopped just after the optimum reproduces Fig 3's "minimal overtraining"; SGD
# with batch 5 run ten times longer reproduces Fig 4's "substantial overtraining". Two seeds and a shortened Fig 4 here.

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
