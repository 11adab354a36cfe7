"""``pytest paper_checks`` asserts each claim's declared verdict (issue 15).

A declared failure is a strict xfail, a declared ``undecided`` a skip that says what was measured, and a check that
cannot run fails under any declaration.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# A plugin that replaces three real claims by trivial checks without needs, each declared "does not reproduce" at
# the fast profile: C10 holds anyway, C11 does not hold, C18 raises (the trivial checks follow no declaration, so the
# claims' declarations are dropped with them); and C21, declared "not run" at fast, by a claim whose needs and check
# raise if they are ever evaluated; and C12, C13, C14 declared "undecided" at fast: C12 holds, C13 does not, C14 raises.
PLUGIN = """
from dataclasses import replace

from paper_checks import registry
from paper_checks.compare import Check, ClaimResult

registry.load_all()


def result(value):
    return lambda inputs: ClaimResult("C0", (Check("value", value, "<", 1.0, ""),))


def broken(inputs):
    raise RuntimeError("broken on purpose")


declared = {"fast": registry.does_not_reproduce("declared in the test")}
for cid, check in (("C10", result(0.0)), ("C11", result(2.0)), ("C18", broken)):
    registry.CLAIMS[cid] = replace(
        registry.CLAIMS[cid], check=check, needs=lambda p: {}, expected=declared, declaration=None
    )

undecided = {"fast": registry.undecided("differs between machines in the test")}
for cid, check in (("C12", result(0.0)), ("C13", result(2.0)), ("C14", broken)):
    registry.CLAIMS[cid] = replace(
        registry.CLAIMS[cid], check=check, needs=lambda p: {}, expected=undecided, declaration=None
    )


def never(*args):
    raise AssertionError("a claim declared not run was evaluated")


registry.CLAIMS["C21"] = replace(
    registry.CLAIMS["C21"], check=never, needs=never, expected={"fast": registry.not_run("3 CPU-hours here")}
)
"""


def test_declared_failures_are_strict_xfails_undecided_are_skips_and_errors_are_failures(tmp_path: Path) -> None:
    (tmp_path / "declare_plugin.py").write_text(PLUGIN, encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(tmp_path), str(ROOT)]), COLUMNS="400")
    argv = [sys.executable, "-m", "pytest", str(ROOT / "paper_checks" / "test_claims.py"), "-p", "declare_plugin"]
    argv += [
        "-k",
        "C10 or C11 or C12 or C13 or C14 or C18 or C21",
        "--workers",
        "1",
        "-p",
        "no:cacheprovider",
        "-rxXfs",
        "-q",
    ]
    done = subprocess.run(argv, cwd=tmp_path, env=env, capture_output=True, text=True, check=False)
    out = done.stdout
    assert done.returncode == 1, out
    assert re.search(r"FAILED .*test_claim\[C10\] - \[XPASS\(strict\)\] declared in the test", out), out
    assert re.search(r"XFAIL .*test_claim\[C11\] - declared in the test", out), out
    assert re.search(r"FAILED .*test_claim\[C18\] - Failed: C18: the check could not run", out), out
    assert re.search(r"SKIPPED .*not run at the fast profile: 3 CPU-hours here", out), out
    here = r"SKIPPED .*undecided at the fast profile \(here it {}, margin [^)]*\): differs between machines in the test"
    assert re.search(here.format("holds"), out), out
    assert re.search(here.format("does not reproduce"), out), out
    assert re.search(r"FAILED .*test_claim\[C14\] - Failed: C14: the check could not run", out), out
    assert re.search(r"3 failed, 3 skipped, \d+ deselected, 1 xfailed", out), out
