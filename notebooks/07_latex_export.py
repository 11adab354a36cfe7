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
# # 07 — LaTeX export of every derivation
#
# Every theory module of the workbench that derives a closed form exposes `formulas()`: the three-neuron bin
# probabilities and $I(T;X) = H(T)$ (paper Eqs 1–4), the log-det mutual-information family (Eq 6, App G
# Eqs 22–25, the relevant / irrelevant split), $E_g(t)$ and $E_t(t)$ as integrals over the Marchenko–Pastur
# density, $E_g(\infty)$, the SMG14 mode solutions and the KDE bounds; most right-hand sides are the last step of a
# checked derivation (`theory.derivation`). `theory.latex.collect()` gathers them; each one is printed in the
# paper's notation and **parsed back** with SymPy's LaTeX parser, and only a formula whose parse equals the source
# expression is exported. This notebook steps through that, then writes the `.tex` file that
# `ibtheory latex --out formulas.tex [--steps]` writes.

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
    lhs, relation = latex.lhs_and_relation(formula)
    display(Math(f"{lhs} {relation} {latex.to_latex(formula)}"))

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
# `write_tex` writes every formula as an `equation` with a `\label{key}` and the paper's equation number as its
# `\tag{…}` (`\notag` where the paper does not number it); the document needs only `amsmath`, so any equation
# can be pasted into a plain `article`. It refuses to write a formula that fails the round trip, so we pass the
# ones that passed (all of them, once every theory module's printer is complete).

# %%
exported = [f for f in formulas if verdicts[f.key]]
failing = sorted(k for k, ok in verdicts.items() if not ok)
print(f"exported {len(exported)} of {len(formulas)}; not exported: {failing or 'none'}")
path = latex.write_tex(Path(tempfile.mkdtemp()) / "ibtheory_formulas.tex", exported)
text = path.read_text()
assert text.count(r"\begin{equation}") == len(exported)
print("\n".join(text.splitlines()[:24]))

# %% [markdown]
# ## Derivations step by step (`--steps`)
#
# With `--steps` the file also holds every derivation, each step with its justification and how it was checked;
# `--steps KEY[,KEY]` picks some. One of them, as it reads in the file:

# %%
from theory import derivation

d = derivation.get_derivation("log_det.information")
print("\n".join(latex._derivation_lines(d)))

# %% [markdown]
# From a shell, the same file comes from
#
# ```bash
# ibtheory latex --out formulas.tex            # the formulas
# ibtheory latex --out formulas.tex --steps    # and every derivation, step by step
# ```
#
# which fails (exit status 2, one line) before any work when the output path cannot be written, names the known
# derivations when a `--steps` key is unknown, and names the formulas rather than write a file with an unchecked
# one.
