# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     notebook_metadata_filter: -jupytext.text_representation.jupytext_version
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 02 — Mutual-information estimators, checked against known answers
#
# The paper's argument is largely about estimators ([formulas §3.1](../docs/formulas.md#s3-1),
# [formulas §3.5](../docs/formulas.md#s3-5), [formulas §3.8](../docs/formulas.md#s3-8),
# [formulas §3.9](../docs/formulas.md#s3-9)). This notebook runs each estimator of `simulate.mi` on a problem whose
# answer is known, then looks at the two ideas the paper leans on: **binning acts like added noise**, and the **KDE
# bounds depend on the assumed noise variance σ²**. Every number is in bits.

# %%
import matplotlib.pyplot as plt
import numpy as np

from simulate.data.szt import load_szt
from simulate.mi import binning, gaussian, kde, kraskov
from simulate.network import forward, init_params
from theory import gaussian as exact_gaussian
from theory import kde as kde_theory

rng = np.random.default_rng(0)

# %% [markdown]
# ## 1. Exact Gaussian channel: NumPy `slogdet` vs SymPy/mpmath
#
# For $T = WX + \varepsilon$, $I(T;X) = \tfrac12\log_2\det(I + W\Sigma_xW^\top/\sigma^2)$. The paper's Eq 6 omits
# the ½ ([A9](../docs/choices.md#a9)). Both witnesses agree to rounding; seeds × layers go in one batched call.

# %%
W = rng.normal(size=(5, 3, 4))  # 5 "seeds" of a 3×4 layer map
Sigma_x = np.eye(4) / 4  # X ~ N(0, I/N_i), N_i = 4
print("simulate:", np.round(gaussian.mutual_information(W, Sigma_x, 1.0), 6))
print("theory:  ", np.round(exact_gaussian.mutual_information(W, Sigma_x, 1.0), 6))
print("I(T;X_rel) for inputs 0–1:", np.round(gaussian.subspace_mutual_information(W, Sigma_x, 1.0, slice(0, 2)), 4))

# %% [markdown]
# ## 2. Binning is exact on discrete data
#
# Patterns repeated 8, 4, 2, 1, 1 times have entropy 1.875 bits; the plug-in estimate on their bins is exact.

# %%
counts = (8, 4, 2, 1, 1)
activity = np.repeat(np.array([[-0.9], [-0.5], [0.0], [0.4], [0.8]]), counts, axis=0)
labels = np.repeat([0, 1, 1, 0, 1], counts)
print(binning.mutual_information(activity, labels, binning.equal_bins(30, -1, 1)))

# %% [markdown]
# ## 3. Kozachenko–Leonenko entropy of a Gaussian
#
# k = 2, ε = 1e-16 ([P] Eq 16). The exact entropy of $N(0, C)$ is $\tfrac12\log_2\det(2\pi e C)$.

# %%
C = np.array([[1.0, 0.6], [0.6, 2.0]])
sample = rng.multivariate_normal([0, 0], C, size=4000)
print(f"KL estimate {kraskov.entropy(sample):.3f} bits, exact {0.5 * np.log2(np.linalg.det(2 * np.pi * np.e * C)):.3f}")

# %% [markdown]
# ## 4. The pairwise bounds bracket a mixture's entropy (C40)
#
# For a mixture of Gaussians, $H(X\mid C)\le\hat H_{BD}\le H(X)\le\hat H_{KL}\le H(X,C)$ [KT17]. The true entropy
# comes from numerical integration in `theory.kde`; the bounds from the pairwise kernel sums in `simulate.mi.kde`.

# %%
centers = rng.uniform(0, 2, size=(6, 1))
variances = np.logspace(-3, 1, 13)
exact = [kde_theory.mixture_entropy(centers, v) for v in variances]
lower, upper = np.array([kde.mixture_entropy_bounds(centers, v) for v in variances]).T
conditional = 0.5 * np.log2(2 * np.pi * np.e * variances)
fig, ax = plt.subplots(figsize=(5, 3.5))
ax.plot(variances, upper - conditional, label="pairwise KL (upper)")
ax.plot(variances, np.array(exact) - conditional, "k--", label="exact, by integration")
ax.plot(variances, lower - conditional, label="Bhattacharyya (lower)")
ax.axhline(np.log2(6), color="grey", lw=0.8)
ax.set(xscale="log", xlabel="component variance σ²", ylabel="H − H(X|C)  [bits]", title="6 components in 1-D")
ax.legend(frameon=False)
plt.show()

# %% [markdown]
# ## 5. The SZT network at initialisation: binning as noise, and KDE bounds vs σ²
#
# The six layers of a tanh 12-10-7-5-4-3-2 network at ibsgd's initialisation, on all 4096 patterns. Binning with
# width Δ behaves like adding noise of variance about Δ²/12 (uniform quantisation error): the binned I(X;T) sits
# near the KDE bounds at that σ². As σ² grows, every bound falls from log₂ 4096 = 12 bits towards 0 (C41).

# %%
data = load_szt()
params = init_params((12, 10, 7, 5, 4, 3, 2), [np.random.default_rng(0)], "ibsgd")
layers = [a[0] for a in forward(params, data.X, "tanh").post]
sweep = np.logspace(-6, 1, 8)
bounds = [kde.mutual_information_bounds(a, data.y, sweep) for a in layers]

fig, axes = plt.subplots(1, 2, figsize=(10, 3.5))
for l, b in enumerate(bounds):
    (line,) = axes[0].plot(sweep, b.i_xt_upper, label=f"layer {l}")
    axes[0].fill_between(sweep, b.i_xt_lower, b.i_xt_upper, color=line.get_color(), alpha=0.2)
axes[0].set(xscale="log", xlabel="noise variance σ²", ylabel="I(X;T) [bits]", title="KDE bounds vs σ²")
axes[0].legend(frameon=False, fontsize=8)

deltas = np.array([0.01, 0.03, 0.07, 0.2, 0.5])
binned = np.array([[binning.mutual_information(a, data.y, binning.fixed_width(d))[0] for d in deltas] for a in layers])
as_noise = [kde.mutual_information_bounds(a, data.y, deltas**2 / 12) for a in layers]
for l in range(len(layers)):
    (line,) = axes[1].plot(deltas, binned[l], "o-", label=f"layer {l}: bins Δ")
    axes[1].fill_between(deltas, as_noise[l].i_xt_lower, as_noise[l].i_xt_upper, color=line.get_color(), alpha=0.2)
axes[1].set(
    xscale="log", xlabel="bin width Δ (band: KDE at σ² = Δ²/12)", ylabel="I(X;T) [bits]", title="binning as noise"
)
plt.tight_layout()
plt.show()

# %% [markdown]
# ## 6. ibsgd's epoch-0 table ([formulas §5.2](../docs/formulas.md#s5-2))
#
# The same network, KDE σ² = 1e-3 and bins Δ = 0.07, as in ibsgd's committed output (one unseeded initialisation).
# The claim check `C46` in `paper_checks` averages over seeds and compares ceilings and layer ordering.

# %%
epoch0 = [kde.mutual_information_bounds(a, data.y, 1e-3) for a in layers]
binned0 = [binning.mutual_information(a, data.y, binning.fixed_width(0.07)) for a in layers]
print("layer  KDE I(X;T)  KDE I(T;Y)  bin I(X;T)  bin I(T;Y)")
for l, (b, (i_xt, i_ty)) in enumerate(zip(epoch0, binned0)):
    print(f"{l:5d}  {b.i_xt_upper:10.3f}  {b.i_ty_upper:10.3f}  {i_xt:10.3f}  {i_ty:10.3f}")
