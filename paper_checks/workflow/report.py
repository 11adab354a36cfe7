"""The claims report: one row per claim C1–C46, as Markdown and as a standalone HTML page.

Each row gives the claim's text and source (:mod:`paper_checks.catalog`), the verdict, the weakest check's
measured value and margin, the paper's own value beside ours where it gives one, and links to the figure files
that exist. Claims with no registered check say so honestly (``not implemented``); untestable claims say why;
claims tested by another claim's check point to it; claims left out by ``--only`` say ``not run``.
"""

from __future__ import annotations

import html
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from paper_checks import registry
from paper_checks.catalog import CATALOG
from paper_checks.workflow.ids import figure_matches

if TYPE_CHECKING:  # the runner builds the summary and calls this module; no import at run time
    from paper_checks.workflow.runner import RunSummary

__all__ = ["ReportRow", "build_rows", "render_html", "render_markdown", "write_reports"]

_STATUS_CLASS = {"holds": "pass", "FAILS": "fail", "error": "fail"}


@dataclass(frozen=True)
class ReportRow:
    """One line of the report.

    Attributes
    ----------
    claim, text, source : str
        Id, text and source of the claim (from the catalog).
    status : str
        ``holds``, ``FAILS``, ``error``, ``not implemented``, ``untestable``, ``not run``, or
        ``see Cn: <status>`` for a claim covered by another claim's check.
    ours : str
        The weakest check, as ``measured relation bound units``; or the error / the reason.
    margin : float or None
        The weakest check's margin (positive when it passes).
    paper : str
        The paper's value, if it gives one.
    figures : tuple of (str, str)
        ``(panel id, relative path of the PNG)`` for each drawn panel that shows the claim.
    details : tuple of str
        Every check, the note, and the time taken.
    """

    claim: str
    text: str
    source: str
    status: str
    ours: str
    margin: float | None
    paper: str
    figures: tuple[tuple[str, str], ...]
    details: tuple[str, ...]


def _figure_links(ids: tuple[str, ...], drawn: dict[str, list[Path]], base: Path) -> tuple[tuple[str, str], ...]:
    links = []
    for panel in sorted(drawn):
        if any(figure_matches(panel, f) for f in ids):
            existing = [p for p in drawn[panel] if p.exists()]
            pngs = [p for p in existing if p.suffix == ".png"]
            best = [p for p in pngs if p.stem == panel] or pngs or existing
            links.extend((panel, Path(os.path.relpath(p, base)).as_posix()) for p in best[:1])
    return tuple(links)


def build_rows(summary: RunSummary) -> list[ReportRow]:
    """One :class:`ReportRow` per catalog claim, from the outcomes of a run."""
    drawn = {fid: o.files for fid, o in summary.figures.items() if o.error is None}
    rows = []
    for cid, entry in CATALOG.items():
        outcome = summary.claims.get(cid)
        result = outcome.result if outcome else None
        spec = registry.CLAIMS.get(cid)
        ids = entry.figures + (spec.figures if spec else ()) + (result.figures if result else ())
        paper = (result.paper_value if result and result.paper_value else entry.paper_value) or ""
        margin, details = None, ()
        if outcome is not None:
            status = outcome.status
            if result is not None:
                weakest = result.weakest
                ours = f"{weakest.measured:.4g} {weakest.relation} {weakest.bound:.4g} {weakest.units}".strip()
                margin = result.margin
                details = tuple(str(c) for c in result.checks) + ((f"note: {result.note}",) if result.note else ())
            else:
                ours = outcome.error or "error"
            details += (f"checked in {outcome.seconds:.1f} s",)
        elif entry.untestable:
            status, ours = "untestable", entry.untestable
        elif spec is not None:
            status, ours = "not run", "left out of this run by --only"
        elif entry.covered_by:
            covering = summary.claims.get(entry.covered_by)
            status = f"see {entry.covered_by}: {covering.status if covering else 'not run'}"
            ours = f"tested by the check of {entry.covered_by}"
        else:
            status, ours = "not implemented", "no check is registered for this claim yet"
        figures = _figure_links(ids, drawn, summary.out)
        rows.append(ReportRow(cid, entry.text, entry.section, status, ours, margin, paper, figures, details))
    return rows


def _counts(rows: list[ReportRow]) -> str:
    order = ("holds", "FAILS", "error", "not run", "not implemented", "untestable")
    counts = {k: sum(r.status == k for r in rows) for k in order}
    counts["covered"] = sum(r.status.startswith("see ") for r in rows)
    return ", ".join(f"{v} {k}" for k, v in counts.items() if v)


def _header(summary: RunSummary) -> list[str]:
    store = summary.store
    return [
        f"profile **{summary.profile}**; {len(summary.claims)} claim checks and {len(summary.figures)} figure "
        f"panels run in {summary.seconds:.0f} s on {summary.executor}",
        f"networks trained: {store.get('runs_trained', 0)} seed-runs (each once), "
        f"{store.get('runs_reused', 0)} reused from the results directory; measurements: "
        f"{store.get('measurements_computed', 0)} computed, {store.get('measurements_reused', 0)} reused; other "
        f"experiments: {store.get('experiments_computed', 0)} computed, {store.get('experiments_reused', 0)} reused; "
        f"{store.get('corrupt', 0)} corrupt files discarded and recomputed",
    ]


def render_markdown(summary: RunSummary, rows: list[ReportRow]) -> str:
    """The report as GitHub-flavoured Markdown."""

    def cell(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    lines = ["# ibtheory claims report", "", *(f"- {h}" for h in _header(summary)), f"- verdicts: {_counts(rows)}", ""]
    lines += [
        "| claim | statement | verdict | ours (weakest check) | margin | paper | figures |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        margin = "" if r.margin is None else f"{r.margin:+.3g}"
        figs = " ".join(f"[{fid}]({path})" for fid, path in r.figures)
        lines.append(
            f"| {r.claim} | {cell(r.text)} <br>*{cell(r.source)}* | **{cell(r.status)}** | {cell(r.ours)} | {margin} "
            f"| {cell(r.paper)} | {figs} |"
        )
    lines += ["", "## Checks in detail", ""]
    for r in rows:
        if r.details:
            lines += [f"### {r.claim} — {r.status}", "", *(f"- {cell(d)}" for d in r.details), ""]
    failed = [o for o in summary.figures.values() if o.error]
    if failed:
        lines += [
            "## Figures that could not be drawn",
            "",
            *(f"- {o.figure}: {cell(o.error or '')}" for o in failed),
            "",
        ]
    return "\n".join(lines) + "\n"


_CSS = """
body{font-family:system-ui,sans-serif;margin:2em;max-width:90em}
table{border-collapse:collapse;width:100%}
th,td{border:1px solid #ccc;padding:.3em .5em;vertical-align:top;font-size:.9em}
th{background:#f3f3f3} td.pass{background:#e6f4e6} td.fail{background:#fbe3e3} td.other{background:#f6f6f6}
.src{color:#666;font-size:.85em} figure{display:inline-block;margin:.5em} figure img{max-width:22em}
"""


def render_html(summary: RunSummary, rows: list[ReportRow]) -> str:
    """The report as one standalone HTML page (inline CSS; figures linked by relative path)."""
    esc = html.escape
    out = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        '<head><meta charset="utf-8"><title>ibtheory claims report</title>',
        f"<style>{_CSS}</style></head>",
        "<body>",
        "<h1>ibtheory claims report</h1>",
        "<ul>",
        *(f"<li>{esc(h).replace('**', '')}</li>" for h in _header(summary)),
        f"<li>verdicts: {esc(_counts(rows))}</li>",
        "</ul>",
        "<table>",
        "<thead><tr><th>claim</th><th>statement</th><th>verdict</th><th>ours (weakest check)</th><th>margin</th>"
        "<th>paper</th><th>figures</th></tr></thead>",
        "<tbody>",
    ]
    for r in rows:
        css = _STATUS_CLASS.get(r.status, "other")
        margin = "" if r.margin is None else f"{r.margin:+.3g}"
        figs = " ".join(f'<a href="{esc(path)}">{esc(fid)}</a>' for fid, path in r.figures)
        details = "".join(f"<li>{esc(d)}</li>" for d in r.details)
        ours = esc(r.ours) + (f"<details><summary>all checks</summary><ul>{details}</ul></details>" if details else "")
        out.append(
            f'<tr id="{esc(r.claim)}"><td>{esc(r.claim)}</td>'
            f'<td>{esc(r.text)}<div class="src">{esc(r.source)}</div></td>'
            f'<td class="{css}">{esc(r.status)}</td><td>{ours}</td><td>{margin}</td><td>{esc(r.paper)}</td>'
            f"<td>{figs}</td></tr>"
        )
    out += ["</tbody>", "</table>", "<h2>Figures</h2>"]
    for fid, outcome in sorted(summary.figures.items()):
        if outcome.error:
            out.append(f"<p>{esc(fid)}: could not be drawn: {esc(outcome.error)}</p>")
            continue
        for path in outcome.files:
            if path.suffix == ".png":
                rel = esc(Path(os.path.relpath(path, summary.out)).as_posix())
                image = f'<a href="{rel}"><img src="{rel}" alt="{esc(fid)}"></a>'
                out.append(f"<figure>{image}<figcaption>{esc(fid)}</figcaption></figure>")
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"


def write_reports(summary: RunSummary) -> list[Path]:
    """Write ``report.md`` and ``report.html`` into the results directory; return their paths."""
    rows = build_rows(summary)
    md, page = summary.out / "report.md", summary.out / "report.html"
    md.write_text(render_markdown(summary, rows), encoding="utf-8")
    page.write_text(render_html(summary, rows), encoding="utf-8")
    return [md, page]
