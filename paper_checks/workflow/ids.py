"""The id grammar of ``--only``: claims (``C10``), figures (``F2``), panels (``F2C``) and variants (``F2C-softsign``).

:func:`select` turns a comma-separated list of ids into the registered claims and figure panels to run; a claim
brings the panels that show it, and a figure brings the claims it shows. The Python API (:func:`reproduce
<paper_checks.workflow.runner.reproduce>`) and the CLI use this one function, so they accept and refuse the same ids.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from paper_checks import registry
from paper_checks.catalog import CATALOG, FIGURE_IDS

__all__ = ["Selection", "figure_matches", "order", "select"]

_TOKEN = re.compile(r"^(?:C(?P<claim>[1-9]\d*)|F(?P<figure>[1-9]\d*)(?P<panel>[A-Z]?)(?P<variant>-[\w-]+)?)$")
_PANEL = re.compile(r"^F(?P<figure>\d+)(?P<panel>[A-Z]?)(?P<variant>-.+)?$")


@dataclass(frozen=True)
class Selection:
    """The claims and figure panels a run covers.

    Attributes
    ----------
    claims : tuple of str
        Registered claim ids to check.
    figures : tuple of str
        Registered figure panel ids to draw.
    unavailable : tuple of str
        Requested ids of the paper that nothing registered implements (reported, not an error).
    """

    claims: tuple[str, ...]
    figures: tuple[str, ...]
    unavailable: tuple[str, ...] = ()


def figure_matches(panel: str, wanted: str) -> bool:
    """Whether panel id `panel` (``F2C``, ``F2C-softsign``) belongs to the figure or panel `wanted`.

    ``F2`` matches every panel of figure 2 (F2A … F2Z and their variants such as F2C-softsign) but not F21;
    ``F2C`` matches F2C and its variants; ``F2C-softsign`` matches only itself.
    """
    if panel == wanted:
        return True
    have, want = _PANEL.match(panel), _PANEL.match(wanted)
    if have is None or want is None or want["variant"] or have["figure"] != want["figure"]:
        return False
    return not want["panel"] or have["panel"] == want["panel"]


def select(
    only: str | None,
    claims: Mapping[str, registry.ClaimSpec] | None = None,
    figures: Mapping[str, registry.FigureSpec] | None = None,
) -> Selection:
    """Turn ``--only`` into the claims and panels to run.

    Parameters
    ----------
    only : str or None
        Comma-separated ids: claims ``C1`` … ``C46`` and figures ``F1`` … ``F21`` (a whole figure) or panels
        (``F2C``). None selects everything registered. A selected claim brings its figures; a selected figure brings
        the claims that show it.
    claims, figures : mapping, optional
        The registered claims and panels (default: the registry).

    Returns
    -------
    Selection

    Raises
    ------
    ValueError
        For a malformed id, a claim outside the catalog (C1–C50), a figure outside F1–F21, or a panel nobody registered.
    """
    if (claims is None or figures is None) and not (registry.CLAIMS or registry.FIGURES):
        registry.load_all()  # the Python API loads the built-in registry itself, as the CLI does
    claims = registry.CLAIMS if claims is None else claims
    figures = registry.FIGURES if figures is None else figures
    if only is None:
        return Selection(tuple(sorted(claims, key=order)), tuple(sorted(figures, key=order)))
    tokens = [_normalise(t.strip()) for t in only.split(",") if t.strip()]
    if not tokens:
        raise ValueError("--only needs at least one id, e.g. --only F2,C10")
    chosen_claims: set[str] = set()
    chosen_figures: set[str] = set()
    unavailable: list[str] = []
    for token in tokens:
        match = _TOKEN.match(token)
        if match is None:
            raise ValueError(
                f"--only: {token!r} is not a claim id (C1 … C{len(CATALOG)}) or a figure id (F1 … F21, a panel F2C, "
                "a variant F2C-softsign)"
            )
        if match["claim"]:
            if token not in CATALOG:
                raise ValueError(f"--only: unknown claim {token!r}; the paper's claims are C1 … C{len(CATALOG)}")
            if token in claims:
                chosen_claims.add(token)
            else:
                unavailable.append(token)
            continue
        if f"F{match['figure']}" not in FIGURE_IDS:
            raise ValueError(f"--only: unknown figure {token!r}; the paper's figures are F1 … F{len(FIGURE_IDS)}")
        panels = {p for p in figures if figure_matches(p, token)}
        if not panels and (match["panel"] or match["variant"]):
            known = ", ".join(sorted((p for p in figures if figure_matches(p, f"F{match['figure']}")), key=order))
            raise ValueError(
                f"--only: no panel {token!r} is registered (registered panels of this figure: {known or 'none'})"
            )
        if not panels:
            unavailable.append(token)
        chosen_figures |= panels
    for cid in list(chosen_claims):
        chosen_figures |= {p for p in figures for f in claims[cid].figures if figure_matches(p, f)}
    for cid, spec in claims.items():
        if any(figure_matches(p, f) for p in chosen_figures for f in spec.figures):
            chosen_claims.add(cid)
    return Selection(
        tuple(sorted(chosen_claims, key=order)), tuple(sorted(chosen_figures, key=order)), tuple(unavailable)
    )


def _normalise(token: str) -> str:
    """Upper-case the id part of a token (``f2c-softsign`` → ``F2C-softsign``); a variant keeps its case."""
    head, dash, variant = token.partition("-")
    return head.upper() + dash + variant


def order(identifier: str) -> tuple[int, str]:
    """Sort key of claim and figure ids: by number, then by the rest (C2 before C10, F2C before F2D)."""
    digits = re.search(r"\d+", identifier)
    return (int(digits.group()) if digits else 0, identifier)
