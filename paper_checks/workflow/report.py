"""The claims report: one row per claim of the catalog (C1–C50), as Markdown and as a standalone HTML page.

Each row gives the claim's text and source (:mod:`paper_checks.catalog`), the verdict beside the verdict the
claim declares at the profile (flagged when they differ) and a thumbnail of its main figure panel, the weakest
check's measured value and margin, the paper's own value beside ours where it gives one, and links to the figure
files that exist. Claims with no registered check say so honestly (``not implemented``); untestable claims say
why; claims tested by another claim's check point to it; claims left out by ``--only`` say ``not run``.

Verdicts: ``holds``; ``does not reproduce`` (the check ran and did not hold: a finding, which a claim may declare
at a profile with its measured reason); ``error`` (the check could not run); ``untestable``; ``not run``;
``not implemented``. The top of the report counts them, per profile when the results folder also holds another
profile's ``claims-<profile>.json``, and lists the claims that do not reproduce. A claim declared ``undecided`` at
the profile (its verdict there differs between machines) is counted and listed apart, as ``undecided``, with the
verdict its check gave on this machine; its row shows that verdict beside the declaration.

Both profiles side by side: each row also shows the claim's verdict and normalised margin at the other profile,
read from ``claims-<profile>.json`` in the results folder or, for the paper profile, from the published
``docs/paper-profile/claims-paper.json`` (:data:`PUBLISHED_PAPER_CLAIMS`); where the two verdicts differ the row
says why (the declared reason of the profile where the claim does not reproduce). A verdict measured on a run that
is not the paper's own size (MNIST at the paper profile on the subset) carries that scope.

The HTML page is one file with inline CSS; thumbnails and figure links point, by relative path, to the PNGs in
``figures/`` beside it, so it opens from the results folder without a server (and without copying the figures
into the page: the PNGs are drawn for print and would make the page tens of megabytes as base64).
"""

from __future__ import annotations

import html
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from paper_checks import registry
from paper_checks.catalog import CATALOG
from paper_checks.workflow.ids import figure_matches

if TYPE_CHECKING:  # the runner builds the summary and calls this module; no import at run time
    from paper_checks.workflow.runner import RunSummary

__all__ = [
    "PUBLISHED_PAPER_CLAIMS",
    "ReportRow",
    "build_rows",
    "claims_records",
    "render_html",
    "render_markdown",
    "write_reports",
]

#: The published paper-profile verdicts (``ibtheory publish``), shown beside a fast run's when the results folder
#: holds no paper-profile run of its own (present in a source checkout; absent from an installed wheel).
PUBLISHED_PAPER_CLAIMS = Path(__file__).resolve().parents[2] / "docs" / "paper-profile" / "claims-paper.json"

#: The verdicts, in the order the summary lists them (a claim covered by another claim's check is counted apart).
VERDICTS = ("holds", "does not reproduce", "undecided", "error", "not run", "not implemented", "untestable")
COVERED = "covered by another check"
#: Verdict words of reports written before "does not reproduce" was the word for a failing check.
_OLD_WORDS = {"FAILS": "does not reproduce"}


@dataclass(frozen=True)
class ReportRow:
    """One line of the report.

    Attributes
    ----------
    claim, text, source : str
        Id, text and source of the claim (from the catalog).
    status : str
        ``holds``, ``does not reproduce``, ``error``, ``not implemented``, ``untestable``, ``not run``, or
        ``see Cn: <status>`` for a claim covered by another claim's check.
    expected : str
        The verdict the claim declares at the profile (``holds`` or ``does not reproduce``); empty without a check.
    expected_reason : str
        Why a claim declares ``does not reproduce``.
    differs : bool
        True when the check ran (or errored) with a verdict other than the declared one.
    ours : str
        The weakest check (smallest normalised margin), as ``description: measured relation bound units``; or the
        error / the reason.
    margin : float or None
        The weakest check's normalised margin: its margin in units of its scale (a standard error, a tolerance or
        the bound), positive when it passes, so margins of different checks compare.
    paper : str
        The paper's value, if it gives one.
    figures : tuple of (str, str)
        ``(panel id, relative path of the PNG)`` for each drawn panel that shows the claim, the main panel (the
        first one the claim names) first.
    details : tuple of str
        Every check, the note, and the time taken.
    scope : str
        What the verdict stands for when a run it reads is not the paper's own size (empty otherwise).
    elsewhere : tuple of (str, str, float or None, str)
        ``(profile label, verdict, normalised margin, why they differ)`` at every other profile with stored or
        published verdicts; `why` is empty where the verdicts agree.
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
    expected: str = ""
    expected_reason: str = ""
    differs: bool = False
    scope: str = ""
    elsewhere: tuple[tuple[str, str, float | None, str], ...] = ()

    @property
    def css(self) -> str:
        """CSS class of the verdict cell: pass, declared (a declared 'does not reproduce'), fail, other."""
        if self.differs:
            return "fail"
        return {"holds": "pass", "does not reproduce": "declared"}.get(self.status, "other")

    @property
    def verdict_text(self) -> str:
        """The verdict, with the declaration beside it where it is not ``holds`` or differs."""
        text = self.status
        if self.expected and (self.expected != "holds" or self.differs):
            text += f" (declared: {self.expected})"
        return text


def _figure_links(ids: tuple[str, ...], drawn: dict[str, list[Path]], base: Path) -> tuple[tuple[str, str], ...]:
    """Links to the drawn panels matching `ids`, in the order of `ids` (so the claim's main panel comes first)."""
    links: list[tuple[str, str]] = []
    seen: set[str] = set()
    for fid in ids:
        for panel in sorted(drawn):
            if panel in seen or not figure_matches(panel, fid):
                continue
            seen.add(panel)
            existing = [p for p in drawn[panel] if p.exists()]
            pngs = [p for p in existing if p.suffix == ".png"]
            best = [p for p in pngs if p.stem == panel] or pngs or existing
            links.extend((panel, Path(os.path.relpath(p, base)).as_posix()) for p in best[:1])
    return tuple(links)


def other_profiles(summary: RunSummary) -> dict[str, dict]:
    """``{label: claims records}`` of every other profile's verdicts than `summary`'s (:func:`claims_records`)."""
    return claims_records(summary.out, summary.profile, published=True)


def claims_records(out: Path, profile: str, *, published: bool = False) -> dict[str, dict]:
    """``{label: claims records}`` of the verdicts of every profile other than `profile` found for folder `out`.

    From the folder's ``claims-*.json``, and with `published`, the published paper-profile verdicts (label
    ``"paper (published)"``) when the folder holds none of its own. A file that is not a claims file of ours is
    skipped: the report does not guess.
    """
    paths = [(p.stem.removeprefix("claims-"), p) for p in sorted(out.glob("claims-*.json"))]
    labels = {label for label, _ in paths}
    if published and profile != "paper" and "paper" not in labels and PUBLISHED_PAPER_CLAIMS.is_file():
        paths.append(("paper (published)", PUBLISHED_PAPER_CLAIMS))
    records_by_label: dict[str, dict] = {}
    for label, path in paths:
        if label == profile:
            continue
        try:
            records = json.loads(path.read_text(encoding="utf-8"))["claims"]
        except (OSError, ValueError, KeyError, TypeError):
            continue
        if isinstance(records, dict):
            records_by_label[label] = records
    return records_by_label


def _why_different(
    cid: str, here: tuple[str, str, str], there: tuple[str, str, str], declared: tuple[tuple[str, str, str], ...] = ()
) -> str:
    """Why a claim's verdicts differ between two profiles.

    The declared reason of the side that does not reproduce, and of a side whose claim is declared undecided
    (`declared`: those sides, as (profile, status, reason)).
    """
    reasons = [
        f"{profile}: {reason}"
        for profile, status, reason in (here, there)
        if status == registry.DOES_NOT_REPRODUCE and reason
    ]
    reasons += [f"{profile}: declared undecided: {reason}" for profile, _, reason in declared if reason]
    if reasons:
        return "; ".join(reasons)
    return f"the checks' numbers differ between the profiles (see the checks of {cid} in each profile's claims JSON)"


def build_rows(summary: RunSummary) -> list[ReportRow]:
    """One :class:`ReportRow` per catalog claim, from the outcomes of a run."""
    drawn = {fid: o.files for fid, o in summary.figures.items() if o.error is None}
    others = other_profiles(summary)
    rows = []
    for cid, entry in CATALOG.items():
        outcome = summary.claims.get(cid)
        result = outcome.result if outcome else None
        spec = registry.CLAIMS.get(cid)
        ids = entry.figures + (spec.figures if spec else ()) + (result.figures if result else ())
        paper = (result.paper_value if result and result.paper_value else entry.paper_value) or ""
        margin, details = None, ()
        expected = spec.expectation(summary.profile) if spec else None
        if outcome is not None:
            status = outcome.status
            if result is not None:
                weakest = result.weakest
                ours = (
                    f"{weakest.description}: {weakest.measured:.4g} {weakest.relation} {weakest.bound:.4g}"
                    f" {weakest.units}"
                ).strip()
                margin = result.margin
                details = tuple(str(c) for c in result.checks) + ((f"note: {result.note}",) if result.note else ())
                if spec is not None and spec.declaration is not None:
                    details = tuple(f"declared: {d.describe()}" for d in spec.declaration.checks) + details
                else:
                    details = ("declared: no declaration registered for this claim yet", *details)
            elif status == registry.NOT_RUN:
                ours = f"not run at the {summary.profile} profile: {outcome.expected.reason}"
            else:
                ours = outcome.error or "error"
            if status != registry.NOT_RUN:
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
        differs = outcome is not None and not outcome.as_declared
        if expected is not None and expected.reason:
            details += (f"declared at the {summary.profile} profile: {expected.verdict} — {expected.reason}",)
        elsewhere = []
        for label, records in others.items():
            record = records.get(cid)
            if not isinstance(record, dict) or not isinstance(record.get("status"), str):
                continue
            there = (label, record["status"], str(record.get("expected_reason") or ""))
            here = (summary.profile, status, expected.reason if expected else "")
            margin_there = record.get("margin") if isinstance(record.get("margin"), (int, float)) else None
            declared = ((here, expected.verdict if expected else ""), (there, str(record.get("expected") or "")))
            undecided = tuple(side for side, verdict in declared if verdict == registry.UNDECIDED)
            why = "" if there[1] == status else _why_different(cid, here, there, undecided)
            elsewhere.append((label, there[1], margin_there, why))
        rows.append(
            ReportRow(
                cid,
                entry.text,
                entry.section,
                status,
                ours,
                margin,
                paper,
                figures,
                details,
                expected=expected.verdict if expected else "",
                expected_reason=expected.reason if expected else "",
                differs=differs,
                scope="; ".join(outcome.scopes) if outcome is not None else "",
                elsewhere=tuple(elsewhere),
            )
        )
    return rows


def _elsewhere_text(r: ReportRow) -> str:
    parts = []
    for label, status, margin, why in r.elsewhere:
        text = f"{label}: {status}" + ("" if margin is None else f" ({margin:+.3g})")
        parts.append(text + (f" — differs: {why}" if why else ""))
    return "; ".join(parts)


def _bucket(status: str, expected: str = "") -> str:
    """The summary's verdict of a claim: its status, or ``undecided`` for a check that ran where it declares so."""
    status = _OLD_WORDS.get(status, status)
    if expected == registry.UNDECIDED and status in (registry.HOLDS, registry.DOES_NOT_REPRODUCE):
        return registry.UNDECIDED
    return COVERED if status.startswith("see ") else status


def _tallies(summary: RunSummary, rows: list[ReportRow]) -> dict[str, dict[str, list[str]]]:
    """``{profile: {verdict: [claim ids]}}``: this run's profile first, then any other profile's stored JSON.

    Another profile's verdicts are read from ``claims-<profile>.json`` in the results folder (written by a run at
    that profile); claims it did not check take this run's catalog verdicts (untestable, not implemented,
    covered) or ``not run``.
    """
    out = {summary.profile: {v: [] for v in (*VERDICTS, COVERED)}}
    for r in rows:
        out[summary.profile][_bucket(r.status, r.expected)].append(r.claim)
    for profile, records in other_profiles(summary).items():
        tally: dict[str, list[str]] = {v: [] for v in (*VERDICTS, COVERED)}
        for r in rows:
            record = records.get(r.claim)
            if isinstance(record, dict) and isinstance(record.get("status"), str):
                verdict = _bucket(record["status"], str(record.get("expected") or ""))
            else:
                verdict = _bucket(r.status) if r.status in ("untestable", "not implemented") else "not run"
                verdict = COVERED if r.status.startswith("see ") else verdict
            tally.setdefault(verdict, []).append(r.claim)
        out[profile] = tally
    return out


def _counts(rows: list[ReportRow]) -> str:
    counts = {k: sum(_bucket(r.status, r.expected) == k for r in rows) for k in (*VERDICTS, COVERED)}
    return ", ".join(f"{v} {k}" for k, v in counts.items() if v)


_UNDECIDED_LEAD = "declared undecided at this profile (its verdict differs between machines; not evidence either way): "


def _undecided(rows: list[ReportRow]) -> list[ReportRow]:
    """The rows whose check ran at a profile where its claim declares ``undecided``."""
    return [
        r
        for r in rows
        if r.expected == registry.UNDECIDED and r.status in (registry.HOLDS, registry.DOES_NOT_REPRODUCE)
    ]


def _declared_word(row: ReportRow) -> str:
    """How a failing row stands to its declaration: ``declared``, ``declared undecided`` or ``NOT declared``."""
    return {registry.DOES_NOT_REPRODUCE: "declared", registry.UNDECIDED: "declared undecided"}.get(
        row.expected, "NOT declared"
    )


def _verdict_lines(rows: list[ReportRow]) -> list[str]:
    """The claims that do not reproduce (declared or not) and those whose verdict differs from its declaration."""
    lines = []
    failing = [r for r in rows if r.status == "does not reproduce"]
    if failing:
        marked = [f"{r.claim} ({_declared_word(r)})" for r in failing]
        lines.append("does not reproduce: " + ", ".join(marked))
    if undecided := _undecided(rows):
        lines.append(_UNDECIDED_LEAD + ", ".join(f"{r.claim} ({r.status} here)" for r in undecided))
    differing = [r.claim for r in rows if r.differs]
    lines.append(
        f"verdicts that differ from their declaration: {', '.join(differing)}"
        if differing
        else "every verdict is the one its claim declares"
    )
    return lines


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


def _summary_table(tallies: dict[str, dict[str, list[str]]]) -> tuple[list[str], list[list[int]]]:
    """Rows of the verdict summary: the verdicts that occur in some profile, with one count per profile."""
    names = [v for v in (*VERDICTS, COVERED) if any(t.get(v) for t in tallies.values())]
    return names, [[len(t.get(v, [])) for t in tallies.values()] for v in names]


def _sensitivity_lines(summary: RunSummary) -> list[str]:
    """The section of a stored estimator sweep (``ibtheory sensitivity``), if the results directory holds one."""
    from paper_checks.profiles import get_profile
    from paper_checks.workflow.sensitivity import SENSITIVITY_DIR, grid_path, stored_section

    if not grid_path(summary.out / SENSITIVITY_DIR, summary.profile).is_file():
        return []
    try:
        return stored_section(summary.out, get_profile(summary.profile, summary.mnist))
    except (OSError, ValueError, KeyError) as err:  # an unreadable grid is reported, not fatal to the report
        return ["## Does the verdict survive the estimator?", "", f"The stored sweep could not be read: {err}", ""]


def _side(outcome: Any, checks: tuple[str, ...] = ()) -> str | None:
    """``holds`` or ``does not reproduce`` of a claim outcome, or of only its declared `checks`; None: no result."""
    result = getattr(outcome, "result", None)
    if result is None:
        return None
    chosen = [c for c in result.checks if not checks or getattr(c, "declared", "") in checks]
    if not chosen:
        return None
    return "holds" if all(c.passed for c in chosen) else "does not reproduce"


_SIDES = {
    ("holds", "holds"): "both hold: the verdict depends on the estimator",
    ("holds", "does not reproduce"): "[CHO19]'s",
    ("does not reproduce", "holds"): "[P]'s",
    ("does not reproduce", "does not reproduce"): "neither holds",
}


def counterpart_lines(summary: RunSummary) -> list[str]:
    """The section that sets [CHO19]'s claims beside the [P] claims stating the opposite on the same networks.

    One row per :data:`paper_checks.claims.followup.COUNTERPARTS` entry whose two claims both ran: each side's
    statement and verdict (for [P], the verdict of the declared checks that make the opposite statement), and
    which paper the workbench's numbers side with. Empty when no pair ran.
    """
    from paper_checks.claims.followup import COUNTERPARTS

    rows = []
    for pair in COUNTERPARTS:
        ours = _side(summary.claims.get(pair.followup))
        theirs = _side(summary.claims.get(pair.paper), pair.paper_checks)
        if ours is None or theirs is None:
            continue
        rows.append(
            f"| {pair.followup}: {pair.followup_says} | {ours} | {pair.paper} ({', '.join(pair.paper_checks)}): "
            f"{pair.paper_says} | {theirs} | {_SIDES[ours, theirs]} |"
        )
    if not rows:
        return []
    return [
        "## The follow-up paper on the same networks",
        "",
        "Chelombiev, Houghton & O'Donnell 2019 [CHO19] (claims C47–C50) measured the same SZT networks with "
        "adaptive estimators. Where its claims and [P]'s state the opposite, both are checked here on the very "
        "same stored networks, each with its own estimator and the one declared compression test:",
        "",
        "| [CHO19] claim | verdict | [P] claim (its checks) | verdict | the numbers side with |",
        "|---|---|---|---|---|",
        *rows,
        "",
    ]


def _markdown_lines_html(lines: list[str]) -> list[str]:
    """HTML of the few Markdown forms a report section uses: headings, bullets, tables, images, paragraphs."""
    esc = html.escape
    out: list[str] = []
    table: list[list[str]] = []

    def inline(text: str) -> str:
        return re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", esc(text)).replace("`", "")

    def flush() -> None:
        if table:
            head, *body = table
            out.append('<table class="verdicts"><tr>' + "".join(f"<th>{inline(c)}</th>" for c in head) + "</tr>")
            out.extend("<tr>" + "".join(f"<td>{inline(c)}</td>" for c in row) + "</tr>" for row in body)
            out.append("</table>")
            table.clear()

    for line in lines:
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip("|").split("|")]
            if not all(set(c) <= {"-"} for c in cells):
                table.append(cells)
            continue
        flush()
        if line.startswith("### "):
            out.append(f"<h3>{inline(line[4:])}</h3>")
        elif line.startswith("## "):
            out.append(f"<h2>{inline(line[3:])}</h2>")
        elif line.startswith("- "):
            out.append(f"<p>• {inline(line[2:])}</p>")
        elif match := re.fullmatch(r"!\[(.*)\]\((.*)\)", line):
            out.append(f'<figure><img src="{esc(match[2])}" alt="{esc(match[1])}"></figure>')
        elif line:
            out.append(f"<p>{inline(line)}</p>")
    flush()
    return out


def render_markdown(summary: RunSummary, rows: list[ReportRow]) -> str:
    """The report as GitHub-flavoured Markdown."""

    def cell(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    tallies = _tallies(summary, rows)
    names, counts = _summary_table(tallies)
    lines = ["# ibtheory claims report", "", *(f"- {h}" for h in _header(summary)), ""]
    lines += ["## Verdicts", "", "| verdict | " + " | ".join(f"{p} profile" for p in tallies) + " |"]
    lines += ["|---|" + "---|" * len(tallies)]
    lines += [f"| {name} | " + " | ".join(str(c) for c in row) + " |" for name, row in zip(names, counts)]
    lines += ["", *(f"- {line}" for line in _verdict_lines(rows)), ""]
    lines += [
        "| claim | statement | verdict | ours (weakest check) | margin (normalised) | other profile | paper "
        "| figures |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        margin = "" if r.margin is None else f"{r.margin:+.3g}"
        figs = " ".join(f"[{fid}]({path})" for fid, path in r.figures)
        flag = " ⚠ differs from the declaration" if r.differs else ""
        scope = f"<br>*{cell(r.scope)}*" if r.scope else ""
        lines.append(
            f"| {r.claim} | {cell(r.text)} <br>*{cell(r.source)}* | **{cell(r.verdict_text)}**{flag}{scope} "
            f"| {cell(r.ours)} | {margin} | {cell(_elsewhere_text(r))} | {cell(r.paper)} | {figs} |"
        )
    lines += ["", "## Checks in detail", ""]
    for r in rows:
        if r.details:
            lines += [f"### {r.claim} — {r.status}", "", *(f"- {cell(d)}" for d in r.details), ""]
    lines += counterpart_lines(summary)
    lines += _sensitivity_lines(summary)
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
body{font-family:system-ui,sans-serif;margin:2em;max-width:100em}
table{border-collapse:collapse;width:100%}
th,td{border:1px solid #ccc;padding:.3em .5em;vertical-align:top;font-size:.9em}
th{background:#f3f3f3} td.pass{background:#e6f4e6} td.fail{background:#fbe3e3} td.other{background:#f6f6f6}
td.declared{background:#fdf1d8}
.src,.declared-note{color:#666;font-size:.85em} .flag{color:#a00;font-weight:bold}
td.thumb{width:170px;text-align:center} td.thumb img{width:160px;height:auto;border:1px solid #ddd}
td.thumb .panel{font-size:.8em;color:#666}
figure{display:inline-block;margin:.5em} figure img{max-width:22em}
table.verdicts{width:auto;margin:.5em 0} table.verdicts td{text-align:right}
table.verdicts td:first-child{text-align:left}
.summary{display:flex;gap:2em;align-items:flex-start;flex-wrap:wrap} .summary ul{margin:.5em 0}
"""


def _summary_html(summary: RunSummary, rows: list[ReportRow]) -> list[str]:
    esc = html.escape
    tallies = _tallies(summary, rows)
    names, counts = _summary_table(tallies)
    css = {"holds": "pass", "does not reproduce": "declared", "error": "fail"}
    out = ['<div class="summary">', '<table class="verdicts">']
    out.append("<thead><tr><th>verdict</th>" + "".join(f"<th>{esc(p)} profile</th>" for p in tallies) + "</tr></thead>")
    out.append("<tbody>")
    for name, row in zip(names, counts):
        out.append(
            f'<tr><td class="{css.get(name, "other")}">{esc(name)}</td>'
            + "".join(f"<td>{c}</td>" for c in row)
            + "</tr>"
        )
    out += ["</tbody>", "</table>", "<ul>"]
    for r in rows:
        if r.status == "does not reproduce":
            why = _declared_word(r) + (": " + r.expected_reason if r.expected_reason else "")
            flag = ' <span class="flag">⚠ differs from the declaration</span>' if r.differs else ""
            out.append(
                f'<li><a href="#{esc(r.claim)}">{esc(r.claim)}</a> does not reproduce{flag}'
                f' <span class="declared-note">({esc(why)})</span></li>'
            )
    if undecided := _undecided(rows):
        links = ", ".join(f'<a href="#{esc(r.claim)}">{esc(r.claim)}</a> ({esc(r.status)} here)' for r in undecided)
        out.append(f"<li>{esc(_UNDECIDED_LEAD)}{links}</li>")
    differing = [r.claim for r in rows if r.differs]
    if differing:
        links = ", ".join(f'<a href="#{esc(c)}">{esc(c)}</a>' for c in differing)
        out.append(f'<li class="flag">verdicts that differ from their declaration: {links}</li>')
    else:
        out.append("<li>every verdict is the one its claim declares</li>")
    out += ["</ul>", "</div>"]
    return out


def render_html(summary: RunSummary, rows: list[ReportRow]) -> str:
    """The report as one standalone HTML page (inline CSS; figures and thumbnails linked by relative path)."""
    esc = html.escape
    out = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        '<head><meta charset="utf-8"><title>ibtheory claims report</title>',
        f"<style>{_CSS}</style></head>",
        "<body>",
        "<h1>ibtheory claims report</h1>",
        *_summary_html(summary, rows),
        "<ul>",
        *(f"<li>{esc(h).replace('**', '')}</li>" for h in _header(summary)),
        "</ul>",
        "<table>",
        "<thead><tr><th>claim</th><th>statement</th><th>verdict</th><th>main figure</th><th>ours (weakest check)</th>"
        "<th>margin (normalised)</th><th>other profile</th><th>paper</th><th>figures</th></tr></thead>",
        "<tbody>",
    ]
    for r in rows:
        margin = "" if r.margin is None else f"{r.margin:+.3g}"
        figs = " ".join(f'<a href="{esc(path)}">{esc(fid)}</a>' for fid, path in r.figures)
        details = "".join(f"<li>{esc(d)}</li>" for d in r.details)
        ours = esc(r.ours) + (f"<details><summary>all checks</summary><ul>{details}</ul></details>" if details else "")
        thumb = ""
        if r.figures and r.figures[0][1].endswith(".png"):
            fid, path = r.figures[0]
            thumb = (
                f'<a href="{esc(path)}"><img src="{esc(path)}" alt="{esc(fid)}" loading="lazy"></a>'
                f'<div class="panel">{esc(fid)}</div>'
            )
        verdict = esc(r.status)
        if r.expected and (r.expected != "holds" or r.differs):
            verdict += f'<div class="declared-note">declared: {esc(r.expected)}</div>'
        if r.differs:
            verdict += '<div class="flag">⚠ differs from the declaration</div>'
        if r.scope:
            verdict += f'<div class="declared-note">{esc(r.scope)}</div>'
        out.append(
            f'<tr id="{esc(r.claim)}"><td>{esc(r.claim)}</td>'
            f'<td>{esc(r.text)}<div class="src">{esc(r.source)}</div></td>'
            f'<td class="{r.css}">{verdict}</td><td class="thumb">{thumb}</td><td>{ours}</td><td>{margin}</td>'
            f"<td>{esc(_elsewhere_text(r))}</td><td>{esc(r.paper)}</td><td>{figs}</td></tr>"
        )
    sections = counterpart_lines(summary) + _sensitivity_lines(summary)
    out += ["</tbody>", "</table>", *_markdown_lines_html(sections), "<h2>Figures</h2>"]
    for fid, outcome in sorted(summary.figures.items()):
        if outcome.error:
            out.append(f"<p>{esc(fid)}: could not be drawn: {esc(outcome.error)}</p>")
            continue
        for path in outcome.files:
            if path.suffix == ".png":
                rel = esc(Path(os.path.relpath(path, summary.out)).as_posix())
                image = f'<a href="{rel}"><img src="{rel}" alt="{esc(fid)}" loading="lazy"></a>'
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
