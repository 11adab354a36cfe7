"""Pytest options for the paper checks: ``--profile fast|paper`` and ``--figure-dir``."""

from __future__ import annotations

from pathlib import Path

import pytest

from paper_checks.profiles import Profile, get_profile


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("ibtheory")
    group.addoption(
        "--profile",
        default="fast",
        choices=["fast", "paper"],
        help="run size of the paper checks: fast (default) or paper (the paper's sizes)",
    )
    group.addoption(
        "--figure-dir",
        default=None,
        help="directory in which figure tests write their PNG/PDF (default: a temporary directory)",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    paper = config.getoption("--profile") == "paper"
    skip_paper = pytest.mark.skip(reason="paper-sized: opt in with --profile paper")
    for item in items:
        if "paper" in item.keywords and not paper:
            item.add_marker(skip_paper)


@pytest.fixture(scope="session")
def profile(request: pytest.FixtureRequest) -> Profile:
    """The run profile chosen with ``--profile``."""
    return get_profile(request.config.getoption("--profile"))


@pytest.fixture(scope="session")
def figure_dir(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where figure tests write their files."""
    option = request.config.getoption("--figure-dir")
    if option:
        path = Path(option)
        path.mkdir(parents=True, exist_ok=True)
        return path
    return tmp_path_factory.mktemp("figures")
