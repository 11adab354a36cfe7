"""Repository-wide pytest set-up: ibtheory's plugin, and the fuzz suite's ``--fuzz-examples N``.

In a clone the plugin (``paper_checks.pytest_plugin``: ``--profile``, ``--results``, ``--workers``,
``--figure-dir``, ``--runslow`` and the markers) is loaded here; an installed package loads it through its
``pytest11`` entry point. ``--fuzz-examples N`` sets the number of Hypothesis examples per fuzz test (default 25;
the deep profile is e.g. ``--fuzz-examples 2000``).
"""

from __future__ import annotations

import os
import sys

import pytest

pytest_plugins = ["paper_checks.pytest_plugin"]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--fuzz-examples", type=int, default=25, help="Hypothesis examples per fuzz test (tests/test_fuzz_*.py)"
    )


def pytest_configure(config: pytest.Config) -> None:
    # read by tests/fuzz_harness.py when the fuzz modules are imported (after this hook)
    os.environ["IBTHEORY_FUZZ_EXAMPLES"] = str(config.getoption("--fuzz-examples"))


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    harness = sys.modules.get("fuzz_harness")
    if harness is not None and harness.TALLY["tried"]:
        terminalreporter.write_line(harness.summary())
