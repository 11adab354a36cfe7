"""The claims C1–C50 (docs/claims.md) as data: the text, the paper's own value, and why some are untestable.

The report (:mod:`paper_checks.report`) prints one row per entry, whether or not a check is registered for it:
a claim with a registered check shows the verdict; an untestable claim says why; a claim covered by another
claim's check points there; any other claim says honestly that it is not implemented.

References
----------
Saxe et al., *On the Information Bottleneck Theory of Deep Learning*, ICLR 2018 ([P]); the reproduction
specification docs/claims.md (claims) and §5 (numbers).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["CATALOG", "FIGURE_IDS", "ClaimEntry", "entry"]


@dataclass(frozen=True)
class ClaimEntry:
    """One claim of the paper.

    Attributes
    ----------
    claim : str
        ``"C1"`` … ``"C50"``.
    section : str
        Where the claim is made (``"[P] §2, Fig 1A"``).
    text : str
        The claim, in one or two sentences.
    paper_value : str or None
        The paper's own number or statement to put beside ours, when it gives one.
    untestable : str or None
        Why no executable check can exist (a scope statement, a conceptual argument), else None.
    covered_by : str or None
        Another claim whose check tests the same statement (the report shows that verdict), else None.
    figures : tuple of str
        Figures of the paper that show the claim.
    """

    claim: str
    section: str
    text: str
    paper_value: str | None = None
    untestable: str | None = None
    covered_by: str | None = None
    figures: tuple[str, ...] = ()


_E = ClaimEntry
# One entry per claim: id, where the paper makes it, its text, then what the paper gives, why it is untestable,
# which other claim tests it, and the figures that show it.
_ENTRIES = (
    _E(
        "C1",
        "[P] abstract, §2, §6",
        "The information-plane trajectory is mainly a function of the nonlinearity: tanh (double-sided"
        " saturating) hidden layers compress; ReLU and linear ones do not.",
        figures=("F1A", "F1B"),
    ),
    _E(
        "C2",
        "[P] abstract, §3",
        "No evident causal link between compression and generalization: all four cells (compress/not ×"
        " generalize/overfit) occur.",
        figures=("F1A", "F1B", "F3", "F4A", "F4B", "F4C", "F4D"),
    ),
    _E(
        "C3",
        "[P] abstract, §4",
        "Compression, where it exists, is not caused by SGD noise: a tanh network trained with full-"
        "batch GD also compresses.",
        figures=("F5B",),
    ),
    _E(
        "C4",
        "[P] abstract, §5",
        "With task-relevant and task-irrelevant inputs, hidden layers compress the irrelevant "
        "information while total I(X;T) may rise, concurrently with fitting.",
        covered_by="C39",
        figures=("F6",),
    ),
    _E(
        "C5",
        "[P] §4, App I",
        "The drift→diffusion transition of the gradient SNR is general (tanh, ReLU, MNIST, 1-1-1 "
        "linear) and hence not causally related to compression.",
        figures=("F20", "F21", "F9", "F10"),
    ),
    _E(
        "C6",
        "[P] §2, Fig 1A",
        "SZT with tanh: a fitting phase (I(X;T), I(T;Y) rise) followed by a compression phase (I(X;T) falls).",
        figures=("F1A",),
    ),
    _E(
        "C7",
        "[P] §2, Fig 1B",
        "ReLU (100 bins between min and max activity): I(X;T) increases monotonically in all ReLU "
        "layers, no compression phase.",
        paper_value="monotone increase in every ReLU layer",
        figures=("F1B",),
    ),
    _E(
        "C8",
        "[P] §2, Fig 1C/D, App B.1",
        "MNIST 784-1024-20-20-20-10 with KDE: tanh compresses, ReLU does not except in the final classification layer.",
        figures=("F1C", "F1D", "F9", "F10"),
    ),
    _E(
        "C9",
        "[P] §2, Eqs 1–4",
        "Minimal model X~N(0,1), h=f(w₁X), T=bin(h): I(T;X)=H(T), exactly computable from the Gaussian CDF.",
        figures=("F2A", "F2B"),
    ),
    _E(
        "C10",
        "[P] §2, Fig 2C",
        'tanh minimal model: I(T;X) first rises then falls with w₁ and tends to ≈1 bit ("more or less '
        'a coin flip") as the unit saturates.',
        paper_value="I → ≈1 bit as w₁ → ∞",
        figures=("F2C",),
    ),
    _E(
        "C11",
        "[P] §2, Fig 2D",
        "ReLU minimal model: half the inputs fall in the zero bin, the rest spread out, and I(T;X) "
        'grows "without bound" with w₁.',
        paper_value="P(zero bin) ≥ ½; I unbounded",
        figures=("F2D",),
    ),
    _E(
        "C12",
        "[P] §2, App C, Eqs 17–20",
        "Compression of double-saturating units is an artefact of binning: the true I(h;X) of a "
        "deterministic continuous network is infinite.",
        paper_value="I(h;X) = +∞",
    ),
    _E(
        "C13",
        "[P] §2",
        "Binning is approximately adding noise of fixed variance after h (T = h + ε).",
        covered_by="C17",
    ),
    _E(
        "C14",
        "[P] §2, App C, Eq 21",
        "Networks with identical input–output maps can have different I(T;X) under the noise "
        "assumption (w̃₁ = w₁/c, w̃₂ = c·w₂).",
    ),
    _E(
        "C15",
        "[P] §2, App E, Fig 16",
        "tanh networks from small weights saturate: the last three layers end in the extreme bins, "
        "which also explains the training slowdown.",
        figures=("F16",),
    ),
    _E(
        "C16",
        "[P] App E, Fig 17",
        "ReLU layers 1–5 keep a roughly constant fraction of zeros while the rest spread; the sigmoid "
        "output layer saturates and is the only one that compresses.",
        figures=("F17",),
    ),
    _E(
        "C17",
        "[P] App B.1–B.2, Fig 8",
        "KDE on the SZT data (σ² = 0.1, 50 repeats): tanh compresses, ReLU does not; softsign "
        "modestly, softplus not; less pronounced than with binning.",
        paper_value="σ² = 0.1, 50 repetitions",
        figures=("F8",),
    ),
    _E(
        "C18",
        "[P] App B.2, Fig 11",
        "Softsign saturates more slowly and compresses less than tanh; softplus retains more "
        "information about the input than ReLU.",
        figures=("F11",),
    ),
    _E(
        "C19",
        "[P] App B.3, Fig 12",
        "Kraskov k-NN entropy (k = 2): several tanh layers show decreasing H(T); ReLU layers do not.",
        paper_value="k = 2, ε = 1e-16, 50 repeats",
        figures=("F12",),
    ),
    _E(
        "C20",
        "[P] App B.1, Figs 9–10",
        "MNIST: the gradient SNR shows a phase transition and weight norms grow in both tanh and ReLU "
        "networks, though ReLU does not compress.",
        paper_value="SNR range ≈ 1e-5 … 1e2",
        figures=("F9", "F10"),
    ),
    _E(
        "C21",
        "[P] App C, Fig 13",
        "With bin edges tanh(linspace(−50, 50, N)), the minimal-model I(T;X) continues to increase as "
        "the weights grow.",
        figures=("F13",),
    ),
    _E(
        "C22",
        "[P] App C, Fig 14",
        "The tanh run of Fig 1A measured with net-input binning shows no compression in most layers.",
        figures=("F14",),
    ),
    _E(
        "C23",
        "[P] App C, Fig 15",
        "Binning at machine precision: most layers stay at log₂P = 12 bits; compression only in the "
        "highest, smallest tanh layers late in training.",
        paper_value="log₂ 4096 = 12 bits",
        figures=("F15",),
    ),
    _E(
        "C24",
        "[P] App C, Fig 14",
        "The data processing inequality can be broken by per-layer binned estimates: I(X;T_{l+1}) > I(X;T_l) happens.",
        figures=("F14",),
    ),
    _E(
        "C25",
        "[P] App C",
        "Single precision is ≈2³² bins per unit; if every input gets a distinct pattern, H(h) = log P "
        "with little change in training.",
        paper_value="≈ 2³² bins vs 30–100",
    ),
    _E(
        "C26",
        "[P] App D",
        "Weights start small and their norms grow during training in every network studied.",
        figures=("F9", "F10", "F20", "F21"),
    ),
    _E(
        "C27",
        "[P] §3, Eqs 5, 6, 22–25",
        "Deep linear student–teacher: generalization error and MI (noise σ²_MI = 1) are exactly computable.",
        paper_value="σ²_MI = 1",
    ),
    _E(
        "C28",
        "[P] §3, Fig 3",
        "Linear 100-100-1, BGD, P = 100, SNR = 1: no compression, good generalization with minimal overtraining.",
        paper_value="minimal overtraining",
        figures=("F3",),
    ),
    _E(
        "C29",
        "[P] §3, Fig 4A–B",
        "Linear network, SGD batch 5: substantial overtraining, no compression, and I(T;Y) decreases "
        "during overtraining.",
        paper_value="substantial overtraining",
        figures=("F4A", "F4B"),
    ),
    _E(
        "C30",
        "[P] §3, [AS17]",
        "Overtraining of linear networks is worst at α = P/N_i = 1 and reduced for smaller or larger P.",
        paper_value="worst at α = 1",
    ),
    _E(
        "C31",
        "[P] App F, Fig 18",
        "A deeper linear network (5 hidden layers of 50 units) does not compress either.",
        figures=("F18",),
    ),
    _E(
        "C32",
        "[P] §3, Fig 4C–D",
        "tanh SZT network trained on 30% of the data: modest overfitting, and it keeps compressing.",
        paper_value="30% of the data, N = 8",
        figures=("F4C", "F4D"),
    ),
    _E(
        "C33",
        "[P] §3",
        "In the linear setting each input subspace carries as much information as any other; "
        "anisotropic, task-aligned inputs were not investigated.",
        untestable=("a statement of the paper's scope (what was not investigated), not a claim about an outcome"),
    ),
    _E(
        "C34",
        "[P] §4, Fig 5",
        "Offline SGD (batch 1) and BGD give largely consistent information planes, with robust "
        "compression of tanh networks under both.",
        figures=("F5A", "F5B", "F5C", "F5D"),
    ),
    _E(
        "C35",
        "[P] App H, Fig 19",
        "Linear network: SGD and BGD information-plane dynamics are not dramatically different.",
        figures=("F19",),
    ),
    _E(
        "C36",
        "[P] §4",
        "A maximum-entropy stationary distribution of weights describes variation across runs; it does"
        " not imply that one run's weights maximise H(X|T).",
        untestable=("a conceptual argument about what a stationary distribution implies; it has no measurable outcome"),
    ),
    _E(
        "C37",
        "[P] App I, Fig 20",
        "The gradient SNR (Eqs 26–27) has a step-like high→low transition in every layer, for tanh and"
        " ReLU in the SZT setting.",
        figures=("F20",),
    ),
    _E(
        "C38",
        "[P] App I, Fig 21",
        "1-1-1 linear network (SNR 1, P = 100, lr 0.001): SNR transition under SGD and BGD while |w₁| "
        "grows, hence without compression.",
        paper_value="lr 0.001, P = 100",
        figures=("F21",),
    ),
    _E(
        "C39",
        "[P] §5, Fig 6",
        "Linear network with 30 relevant + 70 irrelevant inputs: total I(T;X) no compression; "
        "I(T;X_rel) rises; I(T;X_irrel) rises then compresses, during fitting.",
        figures=("F6",),
    ),
    _E(
        "C40",
        "[KT17]",
        "Mixture of Gaussians: H(X|C) ≤ Ĥ_BD ≤ H(X) ≤ Ĥ_KL ≤ H(X,C); Ĥ_KDE = Ĥ_KL − d/2; the bounds "
        "coincide in the clustered limit.",
    ),
    _E(
        "C41",
        "[KT17], [P] Eq 7",
        "The KDE upper-bound MI estimate lies in [0, log P]: → 0 as σ² → ∞ and → log P when all "
        "pairwise distances ≫ σ.",
        paper_value="range [0, log P]",
    ),
    _E(
        "C42",
        "[SMG14] Eq 12",
        "Balanced two-layer mode dynamics follow the logistic curve; learning time "
        "(τ/2s)·ln[u_f(s−u₀)/(u₀(s−u_f))] scales as 1/s.",
    ),
    _E("C43", "[SMG14]", "a² − b² is conserved under gradient flow (a_i² − a_j² for all depths)."),
    _E("C44", "[SMG14] Eq 17", "Depth N_l: τu̇ = (N_l−1)u^{2−2/(N_l−1)}(s−u), and τu̇ = N_l u²(s−u) as N_l → ∞."),
    _E(
        "C45",
        "[AS17], derived",
        "Single-layer linear student from zero init: gradient-flow E_g(t), E_t(t) equal the "
        "Marchenko–Pastur integrals in the large-N limit.",
        paper_value="within a few % at N = 200",
    ),
    _E(
        "C46",
        "[SZT17] data",
        "var_u.mat has 4096 distinct 12-bit patterns and 2118 positive labels, so I(X;Y) = H(Y) = 0.999157 bits.",
        paper_value="p(y=1) = 2118/4096; H(Y) = 0.999157 bits",
    ),
    _E(
        "C47",
        "[CHO19] abstract, §4",
        "With entropy-based adaptive binning (EBAB) and adaptive KDE, the ReLU hidden layers of the SZT network"
        " compress: saturation is not required for compression (the opposite of C1's ReLU half, on the same"
        " networks).",
        paper_value="compression in ReLU networks under both adaptive estimators",
        figures=("F1B",),
    ),
    _E(
        "C48",
        "[CHO19] abstract, §4",
        "With EBAB and adaptive KDE, the softplus hidden layers of the SZT network compress: the amount of"
        " compression varies between activation functions, but a nonlinearity that saturates on one side only"
        " compresses too (the opposite of C17's softplus half, on the same networks).",
        paper_value="compression in softplus networks under both adaptive estimators",
    ),
    _E(
        "C49",
        "[CHO19] abstract, §4",
        "There is a large amount of variation in compression between different initialisations of the same"
        " network (tanh and ReLU SZT networks, EBAB and adaptive KDE).",
        paper_value="a large variation in compression between initialisations",
    ),
    _E(
        "C50",
        "[CHO19] abstract, §5",
        "L2 regularisation leads to significantly increased compression of the SZT networks, while preventing"
        " overfitting.",
        paper_value="L2 significantly increases compression and prevents overfitting",
    ),
)

#: Every claim, keyed by id, in order C1 … C50 (C40–C50 from the papers [P] builds on and its follow-up).
CATALOG: dict[str, ClaimEntry] = {e.claim: e for e in _ENTRIES}

#: The figures of the paper, F1 … F21.
FIGURE_IDS: tuple[str, ...] = tuple(f"F{n}" for n in range(1, 22))

_CLAIM_ID = re.compile(r"^C([1-9]\d*)$")


def entry(claim_id: str) -> ClaimEntry:
    """The catalog entry of `claim_id`.

    Raises
    ------
    ValueError
        If `claim_id` is not one of ``C1`` … ``C47``.

    Examples
    --------
    >>> entry("C33").untestable is not None
    True
    """
    if claim_id not in CATALOG:
        raise ValueError(f"unknown claim id {claim_id!r}: the paper's claims are C1 … C{len(CATALOG)}")
    return CATALOG[claim_id]
