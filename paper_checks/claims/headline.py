"""Headline claims that combine families: C2 (the four-cell dissociation) and C4 (simultaneous compression).

C2: compression and generalization come apart — the four cells of the dissociation, linear and nonlinear.

The cells come from two families: the nonlinear SZT networks (:func:`paper_checks.claims.szt.c2_nonlinear_checks`:
tanh compresses and generalizes, Fig 1A; tanh on 30 % of the data compresses and overfits, Fig 4C–D; ReLU does not
compress and generalizes, Fig 1B) and the deep linear networks
(:func:`paper_checks.claims.deep_linear.c2_linear_checks`: no compression and generalizes, Fig 3 BGD; no
compression and overfits, Fig 4A–B SGD batch 5; both to the same training time, with the contrast of their
overtraining). C2 holds when every cell is reproduced. Its declaration is the union of the two families' declared
checks (:data:`~paper_checks.claims.szt.C2_NONLINEAR_DECLARED`,
:data:`~paper_checks.claims.deep_linear.C2_LINEAR_DECLARED`).

C4 is the abstract's statement of the §5 experiment checked in detail by C39
(:func:`paper_checks.claims.deep_linear.check_c39`): with task-relevant and task-irrelevant inputs, irrelevant
information is compressed while relevant information is fitted, at the same time, and overall I(X;T) does not
compress. It declares the checks of C39 (:data:`~paper_checks.claims.deep_linear.C39_CHECKS`), on the hidden
layer.

References
----------
.. [P] Saxe et al., "On the Information Bottleneck Theory of Deep Learning", ICLR 2018, abstract, §2–3.
"""

from __future__ import annotations

from paper_checks.claims.deep_linear import (
    C2_LINEAR_DECLARED,
    C2_LINEAR_NEEDS,
    C39_CHECKS,
    C39_FAST_NOTE,
    C39_NEEDS,
    c2_linear_checks,
    check_c39,
)
from paper_checks.claims.paper_profile import paper_declared
from paper_checks.claims.szt import C2_NONLINEAR_DECLARED, C2_NONLINEAR_NEEDS, c2_nonlinear_checks
from paper_checks.compare import ClaimResult
from paper_checks.declarations import declare
from paper_checks.profiles import Profile
from paper_checks.registry import Inputs, Need, claim, does_not_reproduce

__all__ = ["C2_DECLARED", "C4_DECLARED", "c2_needs", "check_c2", "check_c4"]


def c2_needs(profile: Profile) -> dict[str, Need]:
    """The SZT runs of the nonlinear cells and the linear-student runs of the linear cells (distinct names)."""
    nonlinear, linear = C2_NONLINEAR_NEEDS(profile), C2_LINEAR_NEEDS(profile)
    if set(nonlinear) & set(linear):
        raise ValueError(f"C2: the nonlinear and linear needs share names {sorted(set(nonlinear) & set(linear))}")
    return nonlinear | linear


C2_DECLARED = declare("C2", *C2_NONLINEAR_DECLARED, *C2_LINEAR_DECLARED)
"""C2's declared checks: the nonlinear cells (paper_checks.claims.szt) and the linear cells (deep_linear)."""

C4_DECLARED = declare("C4", *C39_CHECKS)
"""C4's declared checks: those of C39 (the hidden layer of the Fig 6 network)."""

C2_FAST_NOTE = (
    "at the fast profile its two tanh cells (compresses + generalizes, Fig 1A; compresses + overfits, Fig 4C) do not "
    "reproduce under the declared compression check: see C1 and C32; nor does the linear 'no compression + "
    "generalizes' cell at equal training time (measured on 2026-12-01: BGD to t = 5 overtrains 3.09 ± 0.27, not "
    "minimally, and no less than SGD, paired difference SGD − BGD −0.13 ± 0.07): see C28"
)


@claim(
    "C2",
    needs=c2_needs,
    figures=("F1A", "F1B", "F3", "F4A", "F4B", "F4C", "F4D"),
    expected={"fast": does_not_reproduce(C2_FAST_NOTE), **paper_declared("C2")},
    declares=C2_DECLARED,
)
def check_c2(inputs: Inputs) -> ClaimResult:
    """C2: "no evident causal link between compression and generalization" ([P] abstract, §3).

    Networks that do not compress can generalize (ReLU Fig 1B; linear BGD Fig 3), and networks that compress can
    overfit (tanh on 30 % of the data, Fig 4C–D); linear SGD (Fig 4A–B) overfits without compressing. Every one
    of the four cells must be reproduced; the margins are those of the cell checks. The two linear cells are
    compared at equal training time (BGD and SGD both to t = 5), since under gradient flow the duration, not the
    optimiser, sets the overtraining.
    """
    checks = (*c2_nonlinear_checks(inputs), *c2_linear_checks(inputs))
    return ClaimResult(
        "C2",
        checks,
        paper_value="four cells: Fig 1A (compress+generalize), Fig 4C-D (compress+overfit), "
        "Fig 1B and Fig 3 (no compression+generalize), Fig 4A-B (no compression+overfit)",
        figures=("F1A", "F1B", "F3", "F4A", "F4B", "F4C", "F4D"),
        note="compression by paper_checks.compression; overtraining thresholds as in the SZT and linear families",
    )


@claim(
    "C4",
    needs=C39_NEEDS,
    figures=("F6A", "F6B", "F6C"),
    declares=C4_DECLARED,
    expected={"fast": does_not_reproduce(f"its checks are those of C39: {C39_FAST_NOTE}"), **paper_declared("C4")},
)
def check_c4(inputs: Inputs) -> ClaimResult:
    """C4: irrelevant information is compressed concurrently with fitting, not in a later phase ([P] abstract, §5).

    The checks are those of C39 (Fig 6: total I(T;X) does not compress; in the hidden layer, I(T;X_rel) rises and
    does not compress, I(T;X_irrel) rises to an early peak and compresses, and the peak comes before the training
    error has made 90 % of its fall).
    """
    detail = check_c39(inputs)
    return ClaimResult(
        "C4",
        detail.checks,
        paper_value="Fig 6: I(T;X) rises, I(T;X_rel) rises, I(T;X_irrel) rises then falls during fitting",
        figures=("F6A", "F6B", "F6C"),
        note=f"the detailed checks of C39; {detail.note}",
    )
