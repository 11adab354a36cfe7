"""What every figure module shares: saving a panel as PNG and PDF."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt

__all__ = ["save_panel"]


def save_panel(fig: plt.Figure, outdir: Path, name: str, *, dpi: int = 150, tight: bool = True) -> list[Path]:
    """Write `fig` as ``<outdir>/<name>.png`` and ``.pdf``, close it, and return the two paths."""
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    paths = [outdir / f"{name}.png", outdir / f"{name}.pdf"]
    for path in paths:
        fig.savefig(path, dpi=dpi, bbox_inches="tight" if tight else None)
    plt.close(fig)
    return paths
