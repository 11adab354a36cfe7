"""Figure drawers (spec §4), one module per family; each registers ``draw(profile, outdir) -> list[Path]``."""
