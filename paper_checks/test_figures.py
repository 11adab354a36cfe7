"""Every registered figure panel is drawn (PNG and PDF, non-empty) from the needs it declares."""

from __future__ import annotations

import pytest

from paper_checks import registry
from paper_checks.workflow.ids import order

registry.load_all()


def _groups() -> list[tuple[str, ...]]:
    """The panels of each draw function (one draw call draws them all)."""
    groups: dict[object, list[str]] = {}
    for fid in sorted(registry.FIGURES, key=order):
        groups.setdefault(registry.FIGURES[fid].draw, []).append(fid)
    return [tuple(ids) for ids in groups.values()]


@pytest.mark.parametrize("panels", _groups(), ids=lambda ids: "+".join(ids))
def test_panels_are_drawn(panels: tuple[str, ...], claim_runner, figure_dir) -> None:
    outcomes = claim_runner.draw(panels, figure_dir)
    for fid in panels:
        outcome = outcomes[fid]
        assert outcome.error is None, f"{fid}: {outcome.error}"
        names = {p.name for p in outcome.files}
        assert {f"{fid}.png", f"{fid}.pdf"} <= names, f"{fid}: drew {sorted(names)}"
        assert all(p.stat().st_size > 0 for p in outcome.files)
