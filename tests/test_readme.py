"""Every ```python block of README.md runs as written, and every ``ibtheory`` command of its bash blocks parses.

Each Python block runs in a fresh interpreter (a fresh namespace, as a reader pasting it gets), in a temporary
working directory, with the clone on ``PYTHONPATH``. An HTML comment on the line before a block can say

``<!-- readme-test: slow (why) -->``
    the block takes minutes or needs data: run only with ``--runslow``;
``<!-- readme-test: continues (why) -->``
    the block reads names of the block before it: it runs after that block in the same interpreter;
``<!-- readme-test: ...; after: ibtheory reproduce ... -->``
    the documented prerequisite command is run first, in the same working directory;
``<!-- readme-test: skip (why) -->``
    the block cannot be run at all (the reason is required).
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from paper_checks.workflow import cli

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
MARKER = re.compile(r"^<!--\s*readme-test:\s*(?P<options>.*?)\s*-->$")
# Generous bound on one block group (a no-hang guard for the slow blocks, not a speed measurement).
BLOCK_TIMEOUT = 3600


@dataclass
class Group:
    """One or more consecutive README blocks run in one interpreter."""

    line: int
    sources: list[str] = field(default_factory=list)
    slow: bool = False
    skip: str = ""
    after: list[str] = field(default_factory=list)


def _options(comment: str) -> dict[str, str]:
    """``slow (why); after: cmd`` → ``{"slow": "why", "after": "cmd"}`` (a reason in parentheses is kept)."""
    out = {}
    for part in (p.strip() for p in re.split(r";(?![^()]*\))", comment) if p.strip()):
        name, _, rest = part.partition(":") if part.startswith("after:") else part.partition(" ")
        out[name.strip()] = rest.strip()
    return out


def fenced_blocks(text: str, language: str) -> list[tuple[int, str, str]]:
    """``(line number of the fence, the comment line before it, the code)`` of every ```language block."""
    lines = text.splitlines()
    blocks, i = [], 0
    while i < len(lines):
        if lines[i].strip() == f"```{language}":
            start, code = i, []
            i += 1
            while lines[i].strip() != "```":
                code.append(lines[i])
                i += 1
            before = lines[start - 1].strip() if start else ""
            blocks.append((start + 1, before, "\n".join(code) + "\n"))
        i += 1
    return blocks


def python_groups() -> list[Group]:
    groups: list[Group] = []
    for line, before, code in fenced_blocks(README.read_text(encoding="utf-8"), "python"):
        match = MARKER.match(before)
        options = _options(match["options"]) if match else {}
        unknown = set(options) - {"slow", "continues", "after", "skip"}
        if unknown:
            raise ValueError(f"README.md:{line}: unknown readme-test option(s) {sorted(unknown)}")
        if "continues" in options:
            if not groups:
                raise ValueError(f"README.md:{line}: the first block cannot continue another")
            groups[-1].sources.append(code)
            continue
        group = Group(line, [code], slow="slow" in options, skip=options.get("skip", ""))
        if "skip" in options and not group.skip.strip("() "):
            raise ValueError(f"README.md:{line}: readme-test: skip needs its reason")
        if "after" in options:
            command = re.sub(r"\s*\(.*\)$", "", options["after"])
            group.after.append(command)
        groups.append(group)
    return groups


def _params():
    for group in python_groups():
        marks = [pytest.mark.slow] if group.slow else []
        if group.skip:
            marks.append(pytest.mark.skip(reason=f"README.md:{group.line}: {group.skip}"))
        yield pytest.param(group, marks=marks, id=f"README.md:{group.line}")


def _run(argv: list[str], cwd: Path, what: str) -> None:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    env["MPLBACKEND"] = "Agg"
    done = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=BLOCK_TIMEOUT, check=False)
    assert done.returncode == 0, f"{what} failed (exit {done.returncode}):\n{done.stderr[-4000:]}"


@pytest.mark.parametrize("group", list(_params()))
def test_readme_python_block_runs(group: Group, tmp_path: Path) -> None:
    for command in group.after:
        words = shlex.split(command)
        assert words[0] == "ibtheory", f"README.md:{group.line}: after: must be an ibtheory command, got {command!r}"
        _run([sys.executable, "-m", "paper_checks", *words[1:]], tmp_path, f"README.md:{group.line} `{command}`")
    script = tmp_path / "readme_block.py"
    script.write_text("\n".join(group.sources), encoding="utf-8")
    _run([sys.executable, str(script)], tmp_path, f"the Python block at README.md:{group.line}")


def test_every_python_block_is_run_or_skipped_with_a_reason() -> None:
    groups = python_groups()
    n_blocks = len(fenced_blocks(README.read_text(encoding="utf-8"), "python"))
    assert sum(len(g.sources) for g in groups) == n_blocks
    assert all(not g.skip for g in groups), "no README block is skipped today; a skip must say why"
    assert sum(not g.slow for g in groups) >= 5, "most blocks run in the default test run"


def ibtheory_commands() -> list[tuple[int, list[str]]]:
    """Every ``ibtheory …`` / ``python -m paper_checks …`` command of the README's bash blocks, as argv."""
    found = []
    for line, _, code in fenced_blocks(README.read_text(encoding="utf-8"), "bash"):
        for offset, text in enumerate(code.splitlines()):
            text = text.split(" #", 1)[0].strip().rstrip("&").strip()
            for part in (p.strip() for p in text.split("&&")):
                words = shlex.split(part)
                if words[:1] == ["ibtheory"]:
                    found.append((line + 1 + offset, words[1:]))
                elif words[:3] == ["python", "-m", "paper_checks"]:
                    found.append((line + 1 + offset, words[3:]))
    return found


def test_every_ibtheory_command_of_the_readme_parses() -> None:
    commands = ibtheory_commands()
    assert len(commands) >= 10, commands
    parser = cli.build_parser()
    for line, argv in commands:
        try:
            parser.parse_args(argv)
        except Exception as err:  # the parser raises a one-line usage error
            pytest.fail(f"README.md:{line}: `ibtheory {' '.join(argv)}` does not parse: {err}")
