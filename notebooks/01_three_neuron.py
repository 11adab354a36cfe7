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
# # 01 — The minimal three-neuron model (Saxe et al. 2018, §2, Fig 2)
#
# $X \sim N(0,1)$, $h = f(w_1 X)$, $T = \mathrm{bin}(h)$. This notebook **derives** the closed form step by step
# with SymPy (`theory.three_neuron`'s derivations: each step states why it holds and how it was checked), then
# evaluates the derived formula (`mutual_information`, the same expression) beside a Monte Carlo estimate from
# 10⁶ samples (`simulate.three_neuron`), and checks the paper's claims C10, C11, C18 and C21 as the test suite does.

# %%
import numpy as np
import sympy as sp
from IPython.display import Markdown, Math, display

from paper_checks import registry
from paper_checks.claims.three_neuron import c18_minimal_checks, c18_minimal_needs
from paper_checks.compare import ClaimResult
from paper_checks.experiments.three_neuron import CurveConfig, NoiseConfig, run_curve, run_noise
from paper_checks.profiles import FAST
from theory import three_neuron
from theory.binning_edges import equal_width_edges, half_line_edges
from theory.derivation import markdown
from theory.latex import to_latex
from theory.three_neuron import (
    W,
    argmax_weight,
    bin_probabilities,
    entropy_expr,
    mutual_information,
    relu_asymptote,
    small_weight_limit,
)

# %% [markdown]
# ## 1. Derivation: the information is the entropy of the bins (Eqs 1–2)

# %%
display(Markdown(markdown(three_neuron.information_derivation())))

# %% [markdown]
# ## 2. Derivation: the bin probabilities (Eqs 3–4)
#
# From the definition to $\Phi(f^{-1}(b_{i+1})/w_1) - \Phi(f^{-1}(b_i)/w_1)$ for tanh (softsign and softplus are
# the same three steps), and ReLU's bin 0, which holds the point mass $P(h = 0) = \tfrac12$.

# %%
display(Markdown(markdown(three_neuron.bin_probability_derivation("tanh"))))
display(Markdown(markdown(three_neuron.relu_bin_derivation())))

# %% [markdown]
# The derived formula at concrete edges: four equal bins on $[-1, 1]$ for tanh (the outer edges map to $\pm\infty$,
# tanh never reaches ±1), and ReLU's first half-line bins.

# %%
tanh_probs = bin_probabilities("tanh", equal_width_edges(4, exact=True))
for i, p in enumerate(tanh_probs):
    display(Math(f"p_{i} = {to_latex(p)}"))
print("sum of the p_i:", sp.simplify(sp.Add(*tanh_probs).rewrite(sp.erf)))
relu_probs = bin_probabilities("relu", half_line_edges(0.5, 0.2, exact=True))
for i, p in enumerate(relu_probs[:3]):
    display(Math(f"p_{i} = {to_latex(p)}"))

# %% [markdown]
# ## 3. Derivation: the limits $w \to 0^+$ and $w \to \infty$
#
# One derivation, step by step (tanh, equal bins: an edge at $f(0) = 0$ gives 1 bit as $w \to 0^+$,
# [A21](../docs/choices.md#a21)); then the derived limits for all four nonlinearities and both bin layouts with the
# paper's 30 bins.

# %%
display(Markdown(markdown(three_neuron.limit_derivation("tanh", "equal", "small"))))
rows = []
for activation in ("tanh", "relu", "softsign", "softplus"):
    for layout in three_neuron.LIMIT_LAYOUTS:
        small = three_neuron.limit_derivation(activation, layout, "small", n_bins=30).result
        large = three_neuron.limit_derivation(activation, layout, "large", n_bins=30).result
        rows.append(f"| {activation} | {layout} | {small} | {large} |")
display(
    Markdown("| f | 30 bins | $w \\to 0^+$ (bits) | $w \\to \\infty$ (bits) |\n|---|---|---|---|\n" + "\n".join(rows))
)

# %% [markdown]
# ReLU with infinitely many half-line bins grows without bound; its asymptote is derived too (the asymptotic
# step is checked against the exact $I(T;X)$ at $w = 10^3, 10^4$):

# %%
display(Markdown(markdown(three_neuron.relu_asymptote_derivation())))

# %% [markdown]
# ## 4. $H(T)$ and its maximum
#
# The entropy is a SymPy expression in $w$; its maximum solves $dI/dw = 0$ (SymPy derivative, `mpmath.findroot`).

# %%
H4 = entropy_expr(tanh_probs)
print("H(T) with 4 bins at w = 1:", sp.N(H4.subs(W, 1).rewrite(sp.erf), 12), "bits")
w_star, I_star = argmax_weight("tanh", equal_width_edges(30))
print(f"30 bins: argmax w* = {float(w_star):.6f}, I(w*) = {float(I_star):.6f} bits (spec: 0.869, 4.900)")
limit = small_weight_limit("tanh", equal_width_edges(30))
print("small-w limit:", limit, "bit (an edge sits at 0: docs/choices.md#a21)")

# %% [markdown]
# ## 5. Closed form beside Monte Carlo
#
# The registered experiment `three_neuron_curve` runs both witnesses at the same weights (10⁶ samples each).
# The tolerance is 5 delta-method standard errors of the plug-in entropy plus its second-order term.

# %%
import matplotlib.pyplot as plt

panels = [("tanh", "equal"), ("relu", "half_line"), ("softsign", "equal"), ("softplus", "half_line")]
fig, axes = plt.subplots(1, 4, figsize=(14, 3))
dense = np.linspace(0.005, 10, 300)
for ax, (activation, binning) in zip(axes, panels):
    ds = run_curve(CurveConfig.for_profile(FAST, activation, binning))
    edges = equal_width_edges(30) if binning == "equal" else half_line_edges(2 / 29, 10.0)
    ax.plot(dense, mutual_information(activation, dense, edges), "k-", label="exact")
    ax.errorbar(ds.w, ds.I_mc.isel(seed=0), yerr=2 * ds.stderr_mc.isel(seed=0), fmt="o", ms=3, label="Monte Carlo")
    ax.set_title(f"{activation} ({binning})")
    ax.set_xlabel("$w_1$")
axes[0].set_ylabel("I(X;T) (bits)")
axes[0].legend()
plt.show()

ds = run_curve(CurveConfig.for_profile(FAST, "tanh", "equal"))
table = np.column_stack([ds.w, ds.I_exact, ds.I_mc.isel(seed=0), ds.stderr_mc.isel(seed=0)])
print("   w      exact        MC         SE")
for row in table:
    print("{:6.3f}  {:9.5f}  {:9.5f}  {:9.2e}".format(*row))

# %% [markdown]
# ## 6. ReLU grows without bound; the noise view of binning
#
# With infinitely many half-line bins the ReLU curve follows $1 + \tfrac12[\log_2(w/\Delta) + \tfrac12\log_2(\pi e/2)]$.
# Replacing the bins by Gaussian noise of the same variance as uniform quantisation ($\sigma = \Delta/\sqrt{12}$)
# gives the same picture without bins: tanh rises and falls, ReLU keeps rising (C13).

# %%
edges = half_line_edges(2 / 29, 1000.0)
for w in (10.0, 100.0, 1000.0):
    print(f"w = {w:6g}: exact {mutual_information('relu', w, edges):.4f}, asymptote {relu_asymptote(w, 2 / 29):.4f}")
tanh_noise = run_noise(NoiseConfig.for_profile(FAST, "tanh"))
relu_noise = run_noise(NoiseConfig.for_profile(FAST, "relu"))
fig, ax = plt.subplots(figsize=(5, 3))
ax.semilogx(tanh_noise.w, tanh_noise.I_noise, "C0-", label="tanh, noise")
ax.semilogx(tanh_noise.w, tanh_noise.I_binned, "C0--", label="tanh, 30 bins")
ax.semilogx(relu_noise.w, relu_noise.I_noise, "C1-", label="ReLU, noise")
ax.semilogx(relu_noise.w, relu_noise.I_binned, "C1--", label="ReLU, half-line bins")
ax.set_xlabel("$w_1$")
ax.set_ylabel("bits")
ax.legend(fontsize=7)
plt.show()

# %% [markdown]
# ## 7. The claims, as the test suite checks them

# %% [markdown]
# Each claim declares what it needs (`needs(profile)`) and is a pure check of those results; `registry.compute`
# evaluates a need in memory. C18's network half trains SZT networks (minutes), so only its minimal-model half is
# checked here; `ibtheory reproduce --only C18` checks both.


# %%
def inputs_of(needs):
    return registry.Inputs(FAST, {name: registry.compute(need) for name, need in needs.items()})


for cid in ("C10", "C11", "C21"):
    spec = registry.CLAIMS[cid]
    result = spec.check(inputs_of(spec.needs(FAST)))
    print(f"{result.claim}: {'holds' if result.passed else 'FAILS'} (smallest margin {result.margin:.3g})")
result = ClaimResult("C18 (minimal model)", c18_minimal_checks(inputs_of(c18_minimal_needs(FAST))))
print(f"{result.claim}: {'holds' if result.passed else 'FAILS'} (smallest margin {result.margin:.3g})")
