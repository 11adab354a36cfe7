"""The reference documents in docs/: claims.md is generated from the catalog, every anchor and link resolves.

If ``test_claims_document_is_up_to_date`` fails, regenerate the file with ``python -m paper_checks.docs``.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from paper_checks import docs, registry
from paper_checks.catalog import CATALOG, FIGURE_IDS

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "docs"
ANCHOR = re.compile(r'<a id="([a-z0-9-]+)"></a>')
HEADING = re.compile(r"^#{1,6} (.+)$", re.MULTILINE)
MD_LINK = re.compile(r"\]\(([^)\s]+)\)")
# A citation of a reference document anywhere in the code or the prose: docs/<name>.md optionally with an anchor.
DOC_CITATION = re.compile(r"\bdocs/([a-z_]+\.md)(?:#([a-z0-9-]+))?")
TEXT_SUFFIXES = {".py", ".md", ".toml", ".cfg", ".yml", ".yaml", ".txt", ".ipynb"}

EXPECTED_ANCHORS = {
    "claims.md": {f"c{n}" for n in range(1, len(CATALOG) + 1)} | {"compression"},
    "figures.md": {f"f{n}" for n in range(1, 22)} | {"szt-setting"},
    "choices.md": {f"a{n}" for n in range(1, 28)},
    "formulas.md": {f"s3-{n}" for n in range(1, 12)} | {"s5", "s5-1", "s5-2", "s5-3", "sources"},
}


def _slug(heading: str) -> str:
    """GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def _anchors(path: Path) -> set[str]:
    text = path.read_text(encoding="utf-8")
    return set(ANCHOR.findall(text)) | {_slug(h) for h in HEADING.findall(text)}


def _tracked_text_files() -> list[Path]:
    try:
        listed = subprocess.run(
            ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        ).stdout.split()
    except (OSError, subprocess.SubprocessError):
        pytest.skip("git is not available to list the repository's files")
    return [REPO / name for name in listed if Path(name).suffix in TEXT_SUFFIXES and (REPO / name).is_file()]


def test_claims_document_is_up_to_date() -> None:
    committed = (DOCS / "claims.md").read_text(encoding="utf-8")
    assert committed == docs.render_claims(), "docs/claims.md is out of date: run python -m paper_checks.docs"


def test_claims_document_has_every_claim_and_its_notes() -> None:
    text = docs.render_claims()
    for claim_id, entry in CATALOG.items():
        section = text.split(f'<a id="{claim_id.lower()}"></a>', 1)[1].split("<a id=", 1)[0]
        assert entry.text in section and entry.section in section
        for note in (entry.paper_value, entry.untestable, entry.covered_by):
            if note is not None:
                assert note in section, (claim_id, note)
        for panel in entry.figures:
            assert f"[{panel}](figures.md#{docs.figure_anchor(panel)})" in section


@pytest.mark.parametrize("name", sorted(EXPECTED_ANCHORS))
def test_stable_anchors(name: str) -> None:
    missing = EXPECTED_ANCHORS[name] - _anchors(DOCS / name)
    assert not missing, f"docs/{name} lacks the anchors {sorted(missing)}"


def test_every_registered_panel_is_described_under_its_figure() -> None:
    registry.load_all()
    text = (DOCS / "figures.md").read_text(encoding="utf-8")
    sections = dict(re.findall(r'<a id="(f\d+)"></a>\n(.*?)(?=<a id=|\Z)', text, flags=re.DOTALL))
    assert set(sections) == {f.lower() for f in FIGURE_IDS}
    for panel in registry.FIGURES:
        section = sections[docs.figure_anchor(panel)]
        mentioned = set(re.findall(r"`(F\d+[A-Z]?(?:-[a-z0-9]+)?)`", section))
        ranges = re.findall(r"`(F\d+)([A-Z])`–`F\d+([A-Z])`", section)
        for stem, first, last in ranges:
            mentioned |= {f"{stem}{chr(c)}" for c in range(ord(first), ord(last) + 1)}
        assert panel in mentioned, f"registered panel {panel} is not listed under its figure in docs/figures.md"


def test_every_citation_of_a_reference_document_resolves() -> None:
    unresolved = []
    for path in _tracked_text_files():
        for match in DOC_CITATION.finditer(path.read_text(encoding="utf-8", errors="replace")):
            name, anchor = match.groups()
            target = DOCS / name
            if not target.is_file() or (anchor is not None and anchor not in _anchors(target)):
                unresolved.append(f"{path.relative_to(REPO)}: {match.group(0)}")
    assert not unresolved, "citations of missing documents or anchors:\n" + "\n".join(unresolved)


@pytest.mark.parametrize("document", ["README.md", *(f"docs/{p.name}" for p in sorted(DOCS.glob("*.md")))])
def test_relative_markdown_links_resolve(document: str) -> None:
    source = REPO / document
    broken = []
    for link in MD_LINK.findall(source.read_text(encoding="utf-8")):
        if re.match(r"^[a-z]+://|^mailto:", link):
            continue
        file_part, _, anchor = link.partition("#")
        target = (source.parent / file_part).resolve() if file_part else source
        missing_anchor = bool(anchor) and target.suffix == ".md" and target.exists() and anchor not in _anchors(target)
        if not target.exists() or missing_anchor:
            broken.append(link)
    assert not broken, f"{document} links to missing files or anchors: {broken}"


def test_check_mode_detects_a_stale_file(tmp_path: Path) -> None:
    out = tmp_path / "claims.md"
    assert docs.main(["--check", "--out", str(out)]) == 1  # missing
    assert docs.main(["--out", str(out)]) == 0
    assert docs.main(["--check", "--out", str(out)]) == 0
    out.write_text(out.read_text(encoding="utf-8").replace("C17", "C71", 1), encoding="utf-8")
    assert docs.main(["--check", "--out", str(out)]) == 1


def test_bad_input() -> None:
    with pytest.raises(ValueError, match="panel"):
        docs.figure_anchor("Fig8")


def test_groups_must_cover_the_catalog(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(docs, "CLAIM_GROUPS", docs.CLAIM_GROUPS[:-1])
    with pytest.raises(ValueError, match="CLAIM_GROUPS"):
        docs.render_claims()
