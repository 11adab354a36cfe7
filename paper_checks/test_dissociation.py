"""C2 as a test: all four cells of the compression/generalization dissociation are reproduced."""

from paper_checks.claims.dissociation import check_c2
from paper_checks.compare import assert_claim


def test_c2_compression_and_generalization_come_apart(profile):
    assert_claim(check_c2(profile))
