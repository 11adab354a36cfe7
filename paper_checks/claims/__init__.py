"""Claim checks (docs/claims.md), one module per family; each registers ``check(profile) -> ClaimResult``."""
