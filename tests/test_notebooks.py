"""Every notebook (jupytext percent script in notebooks/) executes without error (issue 7, item 4).

Each ``notebooks/*.py`` is converted with jupytext and executed with nbclient in a fresh kernel running this
interpreter (a kernel spec written for the test, so a stray user-level ``python3`` kernel cannot be picked up),
in a temporary working directory. Any cell error fails the test, and so does a plotting notebook (one that
uses matplotlib) that produced no image: the kernel keeps Jupyter's inline backend, as JupyterLab does (no
MPLBACKEND override), so an image is missing exactly when a user would see no plot.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

jupytext = pytest.importorskip("jupytext")
nbclient = pytest.importorskip("nbclient")

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.py"))
KERNEL_NAME = "ibtheory-test-python"
# Per-cell limit: notebook owners keep a whole notebook under about a minute at its small sizes; 10 minutes per
# cell only guards against a hang.
CELL_TIMEOUT = 600


@pytest.fixture(scope="module")
def kernel(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A kernel spec that runs this interpreter's ipykernel, placed first on JUPYTER_PATH."""
    root = tmp_path_factory.mktemp("jupyter")
    spec = root / "kernels" / KERNEL_NAME
    spec.mkdir(parents=True)
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    (spec / "kernel.json").write_text(json.dumps({"argv": argv, "display_name": "ibtheory test", "language": "python"}))
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv("JUPYTER_PATH", str(root))
        monkeypatch.delenv("MPLBACKEND", raising=False)  # the inline backend, as in JupyterLab
        monkeypatch.setenv("PYTHONPATH", str(ROOT))
        yield KERNEL_NAME


def execute(path: Path, workdir: Path, kernel_name: str):
    notebook = jupytext.read(path)
    client = nbclient.NotebookClient(
        notebook, timeout=CELL_TIMEOUT, kernel_name=kernel_name, resources={"metadata": {"path": str(workdir)}}
    )
    return client.execute()


def test_every_notebook_is_collected() -> None:
    assert ROOT / "notebooks" / "07_latex_export.py" in NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_executes(path: Path, tmp_path: Path, kernel: str) -> None:
    executed = execute(path, tmp_path, kernel)
    code_cells = [c for c in executed.cells if c.cell_type == "code"]
    assert code_cells and all(c.get("execution_count") for c in code_cells), "a code cell did not run"
    if "matplotlib" in path.read_text(encoding="utf-8"):
        images = [o for c in code_cells for o in c.get("outputs", []) if "image/png" in o.get("data", {})]
        figures = sum(c.source.count("plt.show()") for c in code_cells)
        assert images, f"{path.name} plots but produced no image (a backend switched away from inline?)"
        assert len(images) >= figures, f"{path.name}: {figures} plt.show() calls but {len(images)} images"


def test_a_failing_notebook_fails(tmp_path: Path, kernel: str) -> None:
    broken = tmp_path / "broken.py"
    broken.write_text("# %%\nx = 1\n\n# %%\nraise ValueError('cell two fails')\n")
    with pytest.raises(nbclient.exceptions.CellExecutionError, match="cell two fails"):
        execute(broken, tmp_path, kernel)
