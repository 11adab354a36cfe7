"""Claim checks (spec §2), one module per family; each registers ``check(profile) -> ClaimResult``."""
