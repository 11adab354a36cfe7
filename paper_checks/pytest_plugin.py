"""The pytest plugin of ibtheory: options, markers and the session runner of ``pytest paper_checks``.

Installed with the package (entry point ``pytest11``), so ``pytest --pyargs paper_checks`` works from any directory
after ``pip install ibtheory``; in a clone the root ``conftest.py`` loads the same module.

Options
-------
``--profile fast|paper``
    Run size of the claim checks (default fast).
``--results DIR``
    Keep runs, measurements and experiments in DIR between sessions (default: a fresh temporary directory).
``--workers N``
    Local processes computing the needs (default: one per core; 1 = in the test process).
``--figure-dir DIR``
    Where the figure tests write their PNG/PDF (default: a temporary directory).
``--runslow``
    Also run the tests marked ``slow``.

Markers: ``slow`` (opt in with ``--runslow``), ``paper`` (only at ``--profile paper``), ``benchmark``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from paper_checks.profiles import PROFILES, Profile, get_profile

__all__ = ["claim_runner", "figure_dir", "profile", "session_profile"]

MARKERS = (
    "slow: long-running work, opt in with --runslow",
    "paper: only meaningful at --profile paper (paper sizes); opt-in",
    "benchmark: performance comparisons (tests/benchmarks, run explicitly)",
)


def _profile_name(text: str) -> str:
    if text not in PROFILES:
        raise pytest.UsageError(f"--profile must be one of {', '.join(sorted(PROFILES))}, got {text!r}")
    return text


def _workers(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise pytest.UsageError(f"--workers must be a positive integer, got {text!r}") from None
    if value < 1:
        raise pytest.UsageError(f"--workers must be a positive integer, got {text!r}")
    return value


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("ibtheory")
    group.addoption("--profile", default="fast", type=_profile_name, help="run size: fast (default) or paper")
    group.addoption(
        "--mnist",
        default="reduced",
        choices=["reduced", "full"],
        help="paper profile: MNIST on the subset at the paper's optimiser (reduced, default) or full MNIST",
    )
    group.addoption("--results", default=None, help="keep runs and measurements in this directory between sessions")
    group.addoption("--workers", default=None, type=_workers, help="processes computing the needs (default: cores)")
    group.addoption("--figure-dir", default=None, help="where figure tests write their PNG/PDF (default: temporary)")
    group.addoption("--runslow", action="store_true", default=False, help="also run tests marked slow")


def pytest_configure(config: pytest.Config) -> None:
    for line in MARKERS:
        config.addinivalue_line("markers", line)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    paper = config.getoption("--profile") == "paper"
    slow = config.getoption("--runslow")
    for item in items:
        marker = item.get_closest_marker("paper")
        if marker is not None and not paper:
            reason = marker.kwargs.get("reason") or "paper-sized"
            item.add_marker(pytest.mark.skip(reason=f"paper profile only ({reason}); opt in with --profile paper"))
        if "slow" in item.keywords and not slow:
            item.add_marker(pytest.mark.skip(reason="slow: opt in with --runslow"))


@pytest.fixture(scope="session")
def profile(request: pytest.FixtureRequest) -> Profile:
    """The run profile chosen with ``--profile``."""
    return session_profile(request.config)


def session_profile(config: pytest.Config) -> Profile:
    """The profile of ``--profile`` and ``--mnist`` (``--mnist full`` needs ``--profile paper``)."""
    name, mnist = config.getoption("--profile"), config.getoption("--mnist")
    if mnist == "full" and name != "paper":
        raise pytest.UsageError("--mnist full is a paper-profile option (use it with --profile paper)")
    return get_profile(name, mnist)


@pytest.fixture(scope="session")
def figure_dir(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where figure tests write their files."""
    option = request.config.getoption("--figure-dir")
    if option:
        path = Path(option)
        path.mkdir(parents=True, exist_ok=True)
        return path
    return tmp_path_factory.mktemp("figures")


def _selected(session: pytest.Session, argname: str) -> list[str]:
    """Values of the parameter `argname` of the selected, not skipped, tests of this session."""
    chosen = []
    for item in session.items:
        callspec = getattr(item, "callspec", None)
        if callspec is None or argname not in callspec.params:
            continue
        if any(m.name == "skip" for m in item.iter_markers()):
            continue
        chosen.append(callspec.params[argname])
    return chosen


@pytest.fixture(scope="session")
def claim_runner(request: pytest.FixtureRequest, profile: Profile, tmp_path_factory: pytest.TempPathFactory):
    """The workflow's runner, with the needs of every selected claim and figure test computed once, up front.

    It is the :class:`~paper_checks.workflow.runner.Runner` of ``ibtheory reproduce``, so ``pytest paper_checks``
    and the report check the same thing.
    """
    from paper_checks import registry
    from paper_checks.workflow.executor import ProcessExecutor, SerialExecutor
    from paper_checks.workflow.runner import Runner
    from paper_checks.workflow.store import ResultStore

    registry.load_all()
    results = request.config.getoption("--results") or tmp_path_factory.mktemp("results")
    workers = request.config.getoption("--workers") or os.cpu_count() or 1
    executor = ProcessExecutor(workers) if workers > 1 else SerialExecutor()
    runner = Runner(ResultStore(results), profile, executor=executor)
    claims = [c for c in _selected(request.session, "claim_id") if c in registry.CLAIMS]
    figures = [f for group in _selected(request.session, "panels") for f in group]
    needs = runner.needs_of(claims, figures)
    with executor:
        runner.prepare(need for group in needs.values() for need in group.values())
    runner.executor = SerialExecutor()  # anything still missing is computed in the test process
    return runner
