"""C2 (four-cell dissociation) and C4 (simultaneous fitting and compression) as tests."""

from paper_checks.claims.headline import check_c2, check_c4
from paper_checks.compare import assert_claim


def test_c2_compression_and_generalization_come_apart(profile):
    assert_claim(check_c2(profile))


def test_c4_irrelevant_information_compresses_while_fitting(profile):
    assert_claim(check_c4(profile))
