"""Every registered claim of the paper, checked at the chosen profile (``pytest paper_checks [--profile paper]``).

One test per claim of the registry: the same :class:`~paper_checks.workflow.runner.Runner` as ``ibtheory
reproduce`` computes every need first (each network trained once), then each test evaluates its claim's declared
check and asserts the verdict the claim declares at the profile (``@claim(expected=...)``, default ``holds``).

* A claim declared ``holds`` fails with its checks and margins when it does not hold.
* A claim declared ``does not reproduce`` (C5, C19, C20, C37 at the fast profile, with the measured reason) is a
  strict ``xfail``: it is reported as ``XFAIL`` with the reason when it does not hold, and the test **fails** if it
  unexpectedly holds (the declaration is then out of date).
* A claim declared ``undecided`` at the profile (its verdict there was measured to differ between machines) runs
  its check and is shown as skipped with the verdict and margin measured here and the declared reason: it is never
  counted as passing, and it fails when the check cannot run.
* A claim declared ``not run`` at the profile (``@claim(expected={"paper": not_run("N CPU-hours")})``) is shown as
  skipped with that reason: nothing of it is computed, and it is never counted as passing.
* A claim whose needs could not be computed, or whose check raised, fails with the cause at every declaration
  (it is not counted as the expected failure).
"""

from __future__ import annotations

import pytest

from paper_checks import registry
from paper_checks.pytest_plugin import session_profile
from paper_checks.workflow.ids import order

registry.load_all()


class DeclaredNotReproducing(AssertionError):
    """The check ran and did not hold, as its claim declares at this profile (the only exception xfail accepts)."""


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "claim_id" not in metafunc.fixturenames:
        return
    profile = session_profile(metafunc.config)
    params = []
    for cid in sorted(registry.CLAIMS, key=order):
        expected = registry.CLAIMS[cid].expectation(profile)
        marks = []
        if expected.verdict == registry.NOT_RUN:
            marks.append(pytest.mark.skip(reason=f"not run at the {profile.name} profile: {expected.reason}"))
        if expected.verdict == registry.DOES_NOT_REPRODUCE:
            marks.append(pytest.mark.xfail(strict=True, raises=DeclaredNotReproducing, reason=expected.reason))
        params.append(pytest.param(cid, marks=marks, id=cid))
    metafunc.parametrize("claim_id", params)


def test_claim(claim_id: str, claim_runner) -> None:
    outcome = claim_runner.check(claim_id)
    if outcome.result is None:
        pytest.fail(f"{claim_id}: the check could not run: {outcome.error}")
    if outcome.expected.verdict == registry.UNDECIDED:
        pytest.skip(
            f"undecided at the {claim_runner.profile.name} profile (here it {outcome.status}, margin "
            f"{outcome.result.margin:+.3g}): {outcome.expected.reason}"
        )
    if outcome.expected.verdict == registry.DOES_NOT_REPRODUCE:
        if not outcome.result.passed:
            raise DeclaredNotReproducing(outcome.result.summary())
        return  # an unexpected pass: the strict xfail turns it into a failure
    assert outcome.result.passed, outcome.result.summary()
