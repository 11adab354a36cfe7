# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 07 — LaTeX export of every derivation
#
# Every theory module of the workbench that derives a closed form exposes `formulas()`: the three-neuron bin
# probabilities and $H(T)$ (paper Eqs 1–4), the log-det mutual-information family (Eq 6, App G Eqs 22–25), the
# generalization error $E_g$ (Eq 5), the SMG14 mode solutions and the KDE bounds. `theory.latex.collect()` gathers
# them; each one is printed to LaTeX and **parsed back** with SymPy's LaTeX parser, and only a formula whose parse
# equals the source expression is exported. This notebook steps through that, then writes the `.tex` file that
# `ibtheory latex --out formulas.tex` writes.

# %%
import tempfile
from pathlib import Path

from IPython.display import Markdown, Math, display

from theory import latex

formulas = latex.collect()
print(f"{len(formulas)} formulas from {len({f.key.split('.')[0] for f in formulas})} theory modules")

# %% [markdown]
# ## Each formula, rendered, with its source and the round-trip verdict

# %%
verdicts = {}
for formula in formulas:
    verdicts[formula.key] = latex.round_trip(formula)
    number = f"paper Eq {formula.equation}" if formula.equation else "not numbered in the paper"
    mark = "round trip ✓" if verdicts[formula.key] else "round trip ✗ (not exported)"
    display(Markdown(f"**{formula.title}** — {formula.source}; {number}; {mark}"))
    display(Math(f"{formula.lhs} = {latex.to_latex(formula)}"))

# %% [markdown]
# ## What the round trip catches
#
# A hand-edited formula (here: the base of a logarithm changed from 2 to 3, a typical transcription slip) parses
# to a different expression and is refused.

# %%
import sympy as sp

w = sp.Symbol("w", positive=True)
demo = latex.Formula("demo.bits", "log in bits", "I", sp.log(w) / sp.log(2), None, "demo")
printed = latex.to_latex(demo)
slipped = printed.replace("2", "3")
print("printed:", printed, "->", latex.round_trip(demo))
print("slipped:", slipped, "->", latex.round_trip(demo, latex=slipped))
assert latex.round_trip(demo) and not latex.round_trip(demo, latex=slipped)

# %% [markdown]
# ## The `.tex` file
#
# `write_tex` numbers every formula as an `equation` with a `\label{key}` and names the paper's equation number
# beside it. It refuses to write a formula that fails the round trip, so we pass the ones that passed (all of
# them, once every theory module's printer is complete).

# %%
exported = [f for f in formulas if verdicts[f.key]]
failing = sorted(k for k, ok in verdicts.items() if not ok)
print(f"exported {len(exported)} of {len(formulas)}; not exported: {failing or 'none'}")
path = latex.write_tex(Path(tempfile.mkdtemp()) / "ibtheory_formulas.tex", exported)
text = path.read_text()
assert text.count(r"\begin{equation}") == len(exported)
print("\n".join(text.splitlines()[:24]))

# %% [markdown]
# From a shell, the same file comes from
#
# ```bash
# ibtheory latex --out formulas.tex
# ```
#
# which fails (exit status 2, naming the formulas) rather than write a file with an unchecked formula.
