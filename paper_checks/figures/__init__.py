"""Figure drawers (docs/figures.md), one module per family; each registers ``draw(profile, outdir) -> list[Path]``."""
