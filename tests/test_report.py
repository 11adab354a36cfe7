"""The claims report (Markdown + standalone HTML) and the --only selection (issue 7, item 1)."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import workbench_fakes as fakes

from paper_checks import registry
from paper_checks.catalog import CATALOG, entry
from paper_checks.profiles import FAST, PAPER
from paper_checks.workflow.ids import select
from paper_checks.workflow.runner import reproduce

N_CLAIMS = 50  # C1 … C50 of docs/claims.md
VOID_ELEMENTS = {"meta", "img", "br", "hr", "link", "input"}


class StrictPage(HTMLParser):
    """Collects links and checks that every non-void element is closed in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.problems: list[str] = []
        self.links: list[str] = []
        self.rows: dict[str, list[str]] = {}
        self._row: str | None = None
        self._cells: list[str] = []
        self.doctype = False

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl.lower() == "doctype html"

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.links += [v for k, v in attrs if k in ("href", "src") and v]
        if tag == "tr" and attributes.get("id"):
            self._row, self._cells = attributes["id"], []
        if tag == "td" and self._row:
            self._cells.append("")
        if tag not in VOID_ELEMENTS:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes <{self.stack[-1] if self.stack else None}>")
            return
        self.stack.pop()
        if tag == "tr" and self._row:
            self.rows[self._row], self._row = self._cells, None

    def handle_data(self, data: str) -> None:
        if self._row and self._cells and "details" not in self.stack:
            self._cells[-1] += data


@pytest.fixture(scope="module")
def summary(tmp_path_factory: pytest.TempPathFactory):
    """One run over the fakes, shared by the tests that only read its report."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        fakes.isolate(monkeypatch)
        fakes.DRAW_CALLS.clear()
        yield reproduce(FAST, tmp_path_factory.mktemp("report") / "out", quiet=True)


def test_html_report_is_valid_and_links_to_existing_figures(summary) -> None:
    page_path = summary.out / "report.html"
    page = StrictPage()
    page.feed(page_path.read_text(encoding="utf-8"))
    page.close()
    assert page.doctype and not page.problems and not page.stack, (page.problems, page.stack)
    assert sorted(page.rows, key=lambda c: int(c[1:])) == list(CATALOG), "one row per claim C1 … C50"
    assert len(page.rows) == N_CLAIMS
    assert page.links, "the report links to no figure"
    for link in page.links:
        if link.startswith("#"):
            assert link[1:] in page.rows, f"anchor {link} names no row"
        else:
            assert (page_path.parent / link).is_file(), f"broken link {link}"
    assert "figures/F2C.png" in page.links
    assert {"figures/F12A.png", "figures/F12B.png"} <= set(page.links), "each panel shows its own file"


def test_a_draw_function_with_several_panels_is_called_once(summary) -> None:
    assert fakes.DRAW_CALLS.count("F12") == 1
    assert [p.name for p in summary.figures["F12A"].files] == ["F12A.png", "F12A.pdf"]
    assert [p.name for p in summary.figures["F12B"].files] == ["F12B.png", "F12B.pdf"]


def test_rows_say_what_happened_to_each_claim(summary) -> None:
    page = StrictPage()
    page.feed((summary.out / "report.html").read_text(encoding="utf-8"))
    status = {cid: cells[2] for cid, cells in page.rows.items()}
    assert status["C9"] == "holds" and status["C11"] == "errordeclared: holds⚠ differs from the declaration"
    assert status["C10"] == "does not reproducedeclared: holds⚠ differs from the declaration"
    assert status["C14"] == "does not reproducedeclared: does not reproduce", "a declared verdict is not flagged"
    assert status["C15"] == "holdsdeclared: does not reproduce⚠ differs from the declaration"
    assert status["C33"] == status["C36"] == "untestable"
    assert status["C4"] == "see C39: not run"
    assert status["C1"] == "not implemented"
    assert "the fake check is broken" in page.rows["C11"][4]
    assert page.rows["C9"][7] == "1 (diffusion)", "the paper's value is shown beside ours"
    assert page.rows["C33"][4] == entry("C33").untestable


def test_each_claim_shows_its_main_panel_beside_the_verdict(summary) -> None:
    text = (summary.out / "report.html").read_text(encoding="utf-8")
    row = text[text.index('<tr id="C9">') :].split("</tr>", 1)[0]
    thumb = row.split('<td class="thumb">', 1)[1].split("</td>", 1)[0]
    assert '<img src="figures/F2C.png"' in thumb, "C9's main panel F2C is its thumbnail"
    assert row.index("holds") < row.index('<td class="thumb">'), "the thumbnail sits beside the verdict"
    no_figure = text[text.index('<tr id="C11">') :].split("</tr>", 1)[0]
    assert '<td class="thumb"></td>' in no_figure


def test_summary_at_the_top_counts_verdicts_and_lists_what_does_not_reproduce(summary) -> None:
    text = (summary.out / "report.html").read_text(encoding="utf-8")
    top = text[: text.index('<tr id="C1">')]
    counts = dict(re.findall(r'<tr><td class="\w+">([a-z ]+)</td><td>(\d+)</td></tr>', top))
    assert counts["holds"] == "2" and counts["does not reproduce"] == "2" and counts["error"] == "1"
    assert counts["untestable"] == "2" and int(counts["not implemented"]) == N_CLAIMS - 5 - 2 - 2
    assert "C10</a> does not reproduce" in top and "C14</a> does not reproduce" in top
    assert "NOT declared" in top and entry_reason() in top
    assert re.search(r"differ from their declaration: .*C10.*C11.*C15", top)
    markdown = (summary.out / "report.md").read_text(encoding="utf-8")
    assert "| does not reproduce | 2 |" in markdown
    assert "does not reproduce: C10 (NOT declared), C14 (declared)" in markdown


def entry_reason() -> str:
    return fakes.C14_FAST_REASON


def test_the_summary_has_a_column_per_profile_once_another_is_stored(monkeypatch, tmp_path: Path) -> None:
    fakes.isolate(monkeypatch)
    out = tmp_path / "out"
    reproduce(PAPER, out, only="C14", quiet=True)
    paper = json.loads((out / "claims-paper.json").read_text())
    assert paper["claims"]["C14"]["expected"] == "holds" and not paper["claims"]["C14"]["as_declared"]
    reproduce(FAST, out, only="C9,C14", quiet=True)
    fast = json.loads((out / "claims-fast.json").read_text())
    assert fast["claims"]["C14"]["expected"] == "does not reproduce" and fast["claims"]["C14"]["as_declared"]
    assert fast["claims"]["C14"]["expected_reason"] == fakes.C14_FAST_REASON and fast["ok"]
    text = (out / "report.md").read_text(encoding="utf-8")
    assert "| verdict | fast profile | paper profile |" in text
    assert "| holds | 1 | 0 |" in text and "| does not reproduce | 1 | 1 |" in text


def test_markdown_report_has_one_row_per_claim(summary) -> None:
    text = (summary.out / "report.md").read_text(encoding="utf-8")
    rows = [line for line in text.splitlines() if line.startswith("| C")]
    assert [r.split("|")[1].strip() for r in rows] == list(CATALOG)
    assert "[F2C](figures/F2C.png)" in text
    assert (summary.out / "claims-fast.json").is_file()
    assert not summary.ok and summary.differing == ["C10", "C11", "C15"]


def test_a_subset_run_marks_the_other_claims_not_run(monkeypatch, tmp_path: Path) -> None:
    fakes.isolate(monkeypatch)
    result = reproduce(FAST, tmp_path / "out", only="C10", quiet=True)
    assert list(result.claims) == ["C10"] and not result.figures
    text = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    assert "| C9 |" in text and "not run" in text


def test_selection_closure_and_panel_matching(monkeypatch) -> None:
    fakes.isolate(monkeypatch)
    registry.figure("F21", needs=fakes.walk_need)(fakes.draw_walk)
    everything = select(None)
    assert everything.claims == ("C9", "C10", "C11", "C14", "C15")
    assert everything.figures == ("F2C", "F12A", "F12B", "F21")
    by_figure = select("F2")
    assert by_figure.figures == ("F2C",), "F2 selects panels F2A … F2Z, not F21"
    assert by_figure.claims == ("C9",), "a figure brings the claims that show it"
    assert select("c9").figures == ("F2C",), "a claim brings its figures; ids are case-insensitive"
    assert select("C12,F13").unavailable == ("C12", "F13")
    registry.figure("F2C-softsign", needs=fakes.walk_need)(fakes.draw_walk)
    assert select("F2C").figures == ("F2C", "F2C-softsign"), "a panel brings its variants"
    assert select("f2c-softsign").figures == ("F2C-softsign",)


@pytest.mark.parametrize(
    ("only", "message"),
    [
        ("C51", "unknown claim 'C51'"),
        ("F22", "unknown figure 'F22'"),
        ("F2Z", "no panel 'F2Z' is registered"),
        ("F2C-nonesuch", "no panel 'F2C-nonesuch' is registered"),
        ("X1", "not a claim id"),
        (" , ", "at least one id"),
    ],
)
def test_bad_selections_are_one_line_errors(monkeypatch, only: str, message: str) -> None:
    fakes.isolate(monkeypatch)
    with pytest.raises(ValueError, match=message):
        select(only)


def test_catalog_covers_every_claim_once() -> None:
    assert list(CATALOG) == [f"C{n}" for n in range(1, N_CLAIMS + 1)]
    for item in CATALOG.values():
        assert item.text and item.section
        assert item.covered_by is None or item.covered_by in CATALOG
    with pytest.raises(ValueError, match="unknown claim id"):
        entry("C0")


def test_a_claim_declared_not_run_is_reported_with_its_reason_and_never_computed(monkeypatch, tmp_path) -> None:
    from paper_checks import registry
    from paper_checks.profiles import FAST
    from paper_checks.workflow.runner import reproduce

    fakes.isolate(monkeypatch)

    def never(*args):
        raise AssertionError("a claim declared not run was evaluated")

    registry.claim("C21", needs=never, expected={"fast": registry.not_run("2 h here")})(never)
    summary = reproduce(FAST, tmp_path / "out", only="C21", quiet=True)
    outcome = summary.claims["C21"]
    assert outcome.status == "not run" and outcome.as_declared and summary.ok
    report = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    assert "not run at the fast profile: 2 h here" in report
    with pytest.raises(ValueError, match="needs its reason"):
        registry.not_run(" ")


def test_a_claim_declared_undecided_runs_its_check_and_is_listed_apart_with_either_verdict(
    monkeypatch, tmp_path
) -> None:
    fakes.isolate(monkeypatch)
    reason = "holds on one machine, not on another (measured)"
    for cid, check in (("C14", fakes.check_declared), ("C15", fakes.check_declared_but_holds)):
        spec = registry.CLAIMS[cid]
        registry.CLAIMS[cid] = registry.ClaimSpec(cid, check, spec.needs, (), {"fast": registry.undecided(reason)})
    summary = reproduce(FAST, tmp_path / "out", only="C14,C15", quiet=True)
    assert summary.claims["C14"].status == "does not reproduce" and summary.claims["C15"].status == "holds"
    assert all(summary.claims[c].as_declared for c in ("C14", "C15")) and summary.ok
    records = json.loads((tmp_path / "out" / "claims-fast.json").read_text())["claims"]
    assert records["C14"]["expected"] == "undecided" and records["C14"]["expected_reason"] == reason
    markdown = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    assert "does not reproduce: C14 (declared undecided)" in markdown
    assert "| undecided | 2 |" in markdown and "| holds |" not in markdown, "counted apart, never as holding"
    assert (
        "declared undecided at this profile" in markdown
        and "C14 (does not reproduce here), C15 (holds here)" in markdown
    )
    assert f"declared at the fast profile: undecided — {reason}" in markdown
    page = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    top = page[: page.index('<tr id="C1">')]
    assert f"(declared undecided: {reason})" in top and "C15</a> (holds here)" in top
    with pytest.raises(ValueError, match="needs its reason"):
        registry.undecided("")


def test_each_row_shows_the_other_profiles_verdict_and_why_it_differs(summary, tmp_path) -> None:
    from dataclasses import replace

    from paper_checks.workflow.report import build_rows, render_markdown

    other = {
        "profile": "paper",
        "claims": {
            "C9": {"status": "holds", "margin": 2.5, "expected_reason": ""},
            "C10": {"status": "holds", "margin": 0.75, "expected_reason": ""},
        },
    }
    out = tmp_path / "both"
    out.mkdir()
    (out / "claims-paper.json").write_text(json.dumps(other), encoding="utf-8")
    rows = {r.claim: r for r in build_rows(replace(summary, out=out))}
    assert rows["C9"].elsewhere == (("paper", "holds", 2.5, ""),), "same verdict: no reason given"
    [(label, status, margin, why)] = rows["C10"].elsewhere
    assert (label, status, margin) == ("paper", "holds", 0.75) and why, "a differing verdict says why"
    assert rows["C11"].elsewhere == (), "a claim the other profile did not check shows nothing"
    text = render_markdown(replace(summary, out=out), list(rows.values()))
    assert "paper: holds (+2.5)" in text and "| other profile |" in text


def test_a_verdict_on_a_reduced_run_carries_its_scope() -> None:
    from paper_checks.experiments.mnist import MNISTRun

    assert MNISTRun.for_profile(PAPER, "tanh").scope.startswith("MNIST at paper settings, reduced data and epochs")
    assert MNISTRun.for_profile(FAST, "tanh").scope is None, "the fast profile is reduced by definition"
