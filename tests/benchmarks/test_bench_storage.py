"""Storage of runs (issue "Train once, measure anywhere"): what a paper-profile SZT run set weighs on disk.

A paper-profile SZT network set is 50 seeds stored at ibsgd's 213 logged epochs (294 float32 parameters per seed
and epoch). The bound of the issue is 30 MB. The run here has the paper's seeds, logged-epoch count, widths and
precision, but trains only one epoch between logs (212 epochs instead of 10 000): the stored size depends on the
shapes, not on how long the networks trained. Run with ``python -m pytest tests/benchmarks/test_bench_storage.py
-p no:cacheprovider -s``.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from paper_checks.experiments.szt import SZTRun
from paper_checks.profiles import PAPER
from paper_checks.registry import Need
from paper_checks.workflow.runner import Runner
from paper_checks.workflow.store import ResultStore

pytestmark = pytest.mark.benchmark

PAPER_SZT_SET_BOUND = 30e6
"""Bytes: the issue's bound on one paper-profile SZT network set (50 seeds × 213 logged epochs)."""


def test_paper_profile_szt_run_set_size(tmp_path: Path) -> None:
    paper = SZTRun.for_profile(PAPER, "tanh", "F1")
    n_logged = len(paper.logged_epochs)
    run = replace(paper, epochs=n_logged - 1, logged_epochs=tuple(range(n_logged)))
    store = ResultStore(tmp_path / "out")
    Runner(store, PAPER).load(Need(run))
    files = list((tmp_path / "out" / "runs").rglob("*"))
    size = sum(p.stat().st_size for p in files if p.is_file())
    print(f"\npaper-profile SZT run set: {len(run.seeds)} seeds × {n_logged} logged epochs = {size / 1e6:.1f} MB")
    assert size <= PAPER_SZT_SET_BOUND
