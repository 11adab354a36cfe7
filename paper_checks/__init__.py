"""Where the two witnesses meet: experiments, comparisons, claim checks, figures, report and CLI.

Run the claims as tests with ``pytest paper_checks`` (``--profile paper`` for the paper's sizes).
"""

from paper_checks.compare import Check, ClaimResult, Comparison, Curve, assert_claim
from paper_checks.profiles import FAST, PAPER, Profile, get_profile

__all__ = ["FAST", "PAPER", "Check", "ClaimResult", "Comparison", "Curve", "Profile", "assert_claim", "get_profile"]
