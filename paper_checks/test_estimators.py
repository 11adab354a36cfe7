"""Claims about the MI estimators (C40, C41, C46): each asserted with its stated margins."""

from __future__ import annotations

from paper_checks.claims.estimators import check_c40, check_c41, check_c46
from paper_checks.compare import assert_claim


def test_c40_pairwise_bounds_bracket_mixture_entropy(profile):
    assert_claim(check_c40(profile))


def test_c41_kde_noise_limits(profile):
    assert_claim(check_c41(profile))


def test_c46_szt_ceilings_and_ibsgd_epoch0(profile):
    result = check_c46(profile)
    assert_claim(result)
    assert len(result.extra["kde_i_xt_upper_z"]) == 6
