"""Claim checks fixed in advance: what each claim's check measures, on which layers, against which bound, and why.

A claim registers its checks with ``@claim("C1", ..., declares=declare(Declared(...), ...))``. A
:class:`Declared` check names

* the **quantity** (a stored variable of :data:`STORED_QUANTITIES`, e.g. ``I_XT_bin``, described in
  :mod:`paper_checks.variables`, or a derived quantity of :data:`DERIVED_QUANTITIES`, e.g. ``accuracy_gap``),
* the **relation** (:data:`RELATIONS`: ``compresses``, ``does not compress`` — the two tests of
  :mod:`paper_checks.compression` — or an inequality, or agreement within a tolerance),
* **where**: the runs or experiments it reads (``"tanh/F1"``), the **network** and its **layers** (every layer the
  paper's statement names, validated against :data:`NETWORK_LAYERS`),
* the **bound** and its statistical **basis** (a multiple of a standard error, a null-model quantile, an estimator
  resolution, a documented finite-size effect).

A declaration does not depend on the profile: profiles change sizes, never checks. Every
:class:`~paper_checks.compare.Check` a claim returns names its declaration (``Check(..., declared="tanh
compresses", layer=5)``), and :func:`conformance` — applied by the runner to every result — verifies that the
checks are exactly the declared ones: each check names a declared check, each declared check produced a result
for each of its layers, and no other layer was checked. A result that does not follow its declaration is an
``error``, never a pass. Changes to a declaration after 2026-12-01 are recorded in docs/claims-changelog.md.

References
----------
.. [P] Saxe et al., "On the Information Bottleneck Theory of Deep Learning", ICLR 2018.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

__all__ = [
    "DERIVED_QUANTITIES",
    "NETWORK_LAYERS",
    "RELATIONS",
    "STORED_QUANTITIES",
    "Declaration",
    "Declared",
    "conformance",
    "declare",
]

#: The relations a declared check may state.
RELATIONS: dict[str, str] = {
    "compresses": "rise to an early peak and drop from it, each > max(3 SE, floor) (paper_checks.compression)",
    "does not compress": "each seed's drop from its own peak, mean + 3 SE ≤ a declared margin (equivalence test)",
    ">": "measured > bound",
    ">=": "measured ≥ bound",
    "<": "measured < bound",
    "<=": "measured ≤ bound",
    "agrees": "|simulation − theory| ≤ tolerance at every point (max deviation / tolerance ≤ 1)",
    "identity": "an identity that holds by construction, checked to floating-point accuracy (labelled as such)",
}

#: The stored variables a declaration may name (each is also described in paper_checks.variables); a new
#: estimator's variable is added here when a claim first declares a check on it.
STORED_QUANTITIES: tuple[str, ...] = (
    "I_XT_bin",
    "I_TY_bin",
    "I_XT_upper_kde",
    "I_XT_lower_kde",
    "I_TY_upper_kde",
    "I_TY_lower_kde",
    "H_kraskov",
    "I_XT_netinput",
    "I_XT_machine",
    "I_XT_exact",
    "I_TY_exact",
    "I_X_rel_exact",
    "I_X_irrel_exact",
    "I_XT_theory",
    "I_TY_theory",
    "I_XT_sim",
    "E_g_sim",
    "E_g_theory",
    "E_t_sim",
    "E_t_theory",
    "grad_snr",
    "grad_batch_snr",
    "weight_norm",
    "extreme_fraction",
    "zero_fraction",
    "activity_histogram",
    "train_error",
    "test_error",
    "train_accuracy",
    "test_accuracy",
    "train_loss",
    "test_loss",
    "mode_strength",
    "mode_product",
    "u_theory",
    "off_manifold",
)

#: Quantities computed from stored variables (name: what it is); stored variables are in paper_checks.variables.
DERIVED_QUANTITIES: dict[str, str] = {
    "accuracy_gap": "final train − test accuracy, per seed",
    "test_accuracy_final": "final test accuracy, seed mean",
    "overtraining": "relative rise of the test error after its minimum, (final − min) / min",
    "snr_transition": "drift-phase / final gradient SNR ratio against its calibrated null quantile",
    "snr_level": "absolute gradient SNR in the drift phase and at the end",
    "weight_growth": "final − initial weight norm",
    "extreme_fraction_final": "final fraction of activity in the two extreme bins",
    "zero_fraction_range": "range over epochs of the fraction of ReLU activity at 0",
    "deviation_ratio": "max |simulation − theory| / tolerance",
    "information_difference": "difference of two information estimates, bits",
    "count": "a count of layers, patterns or bins",
    "closed_form": "a closed-form value from theory/",
    "label_entropy": "H(Y) of a data set's labels, bits",
}

#: Layer numbers of each network (1 = first hidden layer; the last is the output layer).
NETWORK_LAYERS: dict[str, tuple[int, ...]] = {
    "szt": (1, 2, 3, 4, 5, 6),  # 12-10-7-5-4-3-2: five tanh/ReLU hidden layers and the softmax output
    "mnist": (1, 2, 3, 4, 5),  # 784-1024-20-20-20-10
    "linear": (1, 2, 3, 4, 5, 6),  # the linear students: 1 hidden layer (Fig 3/4) up to 5 (Fig 18) + output
    "three-neuron": (1,),  # the minimal model's one hidden unit
    "none": (),  # a check that is not about a layer
}


@dataclass(frozen=True)
class Declared:
    """One check of a claim, declared before the data.

    Attributes
    ----------
    name : str
        Short name, unique within the claim; every :class:`~paper_checks.compare.Check` of it carries it.
    quantity : str
        A :data:`STORED_QUANTITIES` variable or a :data:`DERIVED_QUANTITIES` key.
    relation : str
        One of :data:`RELATIONS`.
    bound : str
        The bound, in words or as a formula (``"δ = max(3 SE, 0.02 bits)"``, ``"margin 0.05·log₂N bits"``).
    basis : str
        Its statistical basis or reason (``"one-sided 3 SE over seeds"``, ``"null 99 % quantile"``).
    where : tuple of str
        The needs (runs, experiments) the check reads, e.g. ``("tanh/F1",)``.
    network : str
        A key of :data:`NETWORK_LAYERS`.
    layers : tuple of int
        Every layer checked (one check result per layer); empty for a check not about layers.
    """

    name: str
    quantity: str
    relation: str
    bound: str
    basis: str
    where: tuple[str, ...] = ()
    network: str = "none"
    layers: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise ValueError(f"Declared: name must be a non-empty string, got {self.name!r}")
        if self.quantity not in DERIVED_QUANTITIES and self.quantity not in STORED_QUANTITIES:
            raise ValueError(
                f"Declared {self.name!r}: unknown quantity {self.quantity!r}; one of STORED_QUANTITIES "
                f"{list(STORED_QUANTITIES)} or DERIVED_QUANTITIES {sorted(DERIVED_QUANTITIES)}"
            )
        if self.relation not in RELATIONS:
            raise ValueError(
                f"Declared {self.name!r}: relation must be one of {sorted(RELATIONS)}, got {self.relation!r}"
            )
        for field_name in ("bound", "basis"):
            if not isinstance(getattr(self, field_name), str) or not getattr(self, field_name).strip():
                raise ValueError(f"Declared {self.name!r}: {field_name} must be stated (a non-empty string)")
        if self.network not in NETWORK_LAYERS:
            raise ValueError(
                f"Declared {self.name!r}: unknown network {self.network!r}; one of {sorted(NETWORK_LAYERS)}"
            )
        layers = tuple(self.layers)
        if any(isinstance(layer, bool) or not isinstance(layer, int) for layer in layers):
            raise ValueError(f"Declared {self.name!r}: layers must be integers, got {self.layers!r}")
        unknown = [layer for layer in layers if layer not in NETWORK_LAYERS[self.network]]
        if unknown:
            raise ValueError(
                f"Declared {self.name!r}: layers {unknown} do not exist in network {self.network!r} "
                f"(its layers: {NETWORK_LAYERS[self.network]})"
            )
        if len(set(layers)) != len(layers):
            raise ValueError(f"Declared {self.name!r}: layers repeat: {layers}")
        object.__setattr__(self, "layers", layers)
        object.__setattr__(self, "where", tuple(self.where))

    def describe(self) -> str:
        """One line: the quantity, relation, where, layers, bound and basis."""
        where = f" on {', '.join(self.where)}" if self.where else ""
        layers = f", layers {', '.join(map(str, self.layers))}" if self.layers else ""
        return f"{self.name}: {self.quantity} {self.relation}{where}{layers}; bound {self.bound} ({self.basis})"


@dataclass(frozen=True)
class Declaration:
    """The declared checks of one claim (identical at every profile)."""

    claim: str
    checks: tuple[Declared, ...]

    def __getitem__(self, name: str) -> Declared:
        for d in self.checks:
            if d.name == name:
                return d
        raise KeyError(f"{self.claim} declares no check {name!r} (it declares {[d.name for d in self.checks]})")

    @property
    def names(self) -> tuple[str, ...]:
        """The declared check names, in order."""
        return tuple(d.name for d in self.checks)


def declare(claim_id: str, *checks: Declared) -> Declaration:
    """The :class:`Declaration` of `claim_id`: one or more :class:`Declared` checks with distinct names.

    Raises
    ------
    ValueError
        If `claim_id` is not a claim of the catalog, no check is given, or two share a name.
    TypeError
        If a check is not a :class:`Declared`.
    """
    from paper_checks.catalog import CATALOG

    if claim_id not in CATALOG:
        raise ValueError(f"declare: unknown claim {claim_id!r}; the catalog has C1–C{len(CATALOG)}")
    if not checks:
        raise ValueError(f"declare({claim_id!r}): at least one declared check is required")
    for d in checks:
        if not isinstance(d, Declared):
            raise TypeError(f"declare({claim_id!r}): checks must be Declared, got {type(d).__name__}")
    names = [d.name for d in checks]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise ValueError(f"declare({claim_id!r}): check names repeat: {repeated}")
    return Declaration(claim_id, tuple(checks))


def conformance(declaration: Declaration, checks: Iterable[Any]) -> list[str]:
    """What keeps `checks` (a claim's :class:`~paper_checks.compare.Check` s) from following `declaration`.

    Returns
    -------
    list of str
        Empty when every check names a declared check, every declared check has a result, and a declared
        check with layers has exactly one result per declared layer (or, for a multi-part test, the same
        number for each layer) and none for other layers.
    """
    problems: list[str] = []
    seen: dict[str, list[int | None]] = {}
    for check in checks:
        name = getattr(check, "declared", "")
        if name not in declaration.names:
            problems.append(f"check {check.description!r} names no declared check ({name or 'none'})")
            continue
        seen.setdefault(name, []).append(getattr(check, "layer", None))
    for d in declaration.checks:
        layers = seen.get(d.name)
        if not layers:
            problems.append(f"declared check {d.name!r} produced no result")
            continue
        if not d.layers:
            continue
        got = sorted({layer for layer in layers if layer is not None})
        if got != sorted(d.layers) or None in layers:
            problems.append(f"declared check {d.name!r} is on layers {list(d.layers)}, the result checked {got}")
        elif len({layers.count(layer) for layer in d.layers}) != 1:
            problems.append(f"declared check {d.name!r}: unequal number of results per layer")
    return problems
