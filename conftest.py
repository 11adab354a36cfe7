"""Repository-wide pytest options: ``--runslow`` opts in to tests marked ``slow``; ``--fuzz-examples N`` sets the
number of Hypothesis examples per fuzz test (default 25; the deep profile is e.g. ``--fuzz-examples 2000``)."""

from __future__ import annotations

import os
import sys

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--runslow", action="store_true", default=False, help="also run tests marked slow")
    parser.addoption(
        "--fuzz-examples", type=int, default=25, help="Hypothesis examples per fuzz test (tests/test_fuzz_*.py)"
    )


def pytest_configure(config: pytest.Config) -> None:
    # read by tests/fuzz_harness.py when the fuzz modules are imported (after this hook)
    os.environ["IBTHEORY_FUZZ_EXAMPLES"] = str(config.getoption("--fuzz-examples"))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--runslow"):
        return
    skip_slow = pytest.mark.skip(reason="slow: opt in with --runslow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip_slow)


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    harness = sys.modules.get("fuzz_harness")
    if harness is not None and harness.TALLY["tried"]:
        terminalreporter.write_line(harness.summary())
