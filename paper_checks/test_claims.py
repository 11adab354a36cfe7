"""Every registered claim of the paper, checked at the chosen profile (``pytest paper_checks [--profile paper]``).

One test per claim of the registry: the same :class:`~paper_checks.workflow.runner.Runner` as ``ibtheory
reproduce`` computes every need first (each network trained once), then each test evaluates its claim's declared
check. A claim whose check does not hold fails with its checks and margins; a claim whose needs could not be
computed fails with the cause. Claims registered with ``paper_only`` are skipped at the fast profile with the
reason (``ibtheory reproduce`` still runs them and reports their verdicts).
"""

from __future__ import annotations

import pytest

from paper_checks import registry
from paper_checks.workflow.ids import order

registry.load_all()


def _params():
    for cid in sorted(registry.CLAIMS, key=order):
        spec = registry.CLAIMS[cid]
        marks = [pytest.mark.paper(reason=spec.paper_only)] if spec.paper_only else []
        yield pytest.param(cid, marks=marks, id=cid)


@pytest.mark.parametrize("claim_id", list(_params()))
def test_claim(claim_id: str, claim_runner) -> None:
    outcome = claim_runner.check(claim_id)
    if outcome.result is None:
        pytest.fail(f"{claim_id}: the check could not run: {outcome.error}")
    assert outcome.result.passed, outcome.result.summary()
