"""``ibtheory sensitivity``: a sweep of estimator settings over stored runs, its netCDF grid, maps and report section.

The science (the settings, the declared tests per cell) is :mod:`paper_checks.sensitivity`; this module finds the
stored runs, computes the missing measurements on an executor (each setting is a registered measurement, cached
in the results directory like any other), and writes:

* ``<out>/sensitivity-<profile>.nc``: one netCDF group per activation, dims (setting, layer), every variable with
  ``units`` and ``long_name`` (``ncdump -h`` describes it);
* ``<out>/sensitivity-<activation>.png`` / ``.pdf``: the verdict maps;
* ``<out>/sensitivity-<profile>.md``: the report section (``ibtheory reproduce`` includes it in ``report.md``
  when it finds the grid in ``<results>/sensitivity/``).

Nothing here trains: a run that is not stored is an error naming the command that stores it.

Example (after ``ibtheory reproduce --out results``)::

    ibtheory sensitivity --results results
    ibtheory sensitivity --results results --bins 10,30 --noise-variances 0.01,0.1 --activations tanh
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import xarray as xr

from paper_checks import registry, sensitivity
from paper_checks.profiles import FAST, Profile
from paper_checks.workflow.config_key import package_version, readable
from paper_checks.workflow.executor import Executor
from paper_checks.workflow.measure import open_results, require_run
from paper_checks.workflow.runner import Runner

__all__ = [
    "REPRODUCE_ACTIVATIONS",
    "SENSITIVITY_DIR",
    "SweepResult",
    "grid_path",
    "read_grids",
    "report_section",
    "stored_section",
    "sweep",
    "sweep_needs",
]

SENSITIVITY_DIR = "sensitivity"
"""Where a sweep writes inside the results directory by default."""

REPRODUCE_ACTIVATIONS = ("tanh", "relu", "softplus")
"""The networks a full ``ibtheory reproduce`` sweeps after its claims (``--no-sensitivity`` skips it): Fig 1A/B's
tanh and ReLU runs, whose maps the report shows, and Fig 8's softplus run, which C17's softplus half and C48 read."""

_PANEL = {"tanh": "F1A", "relu": "F1B", "softsign": "F8C", "softplus": "F8D"}


@dataclass
class SweepResult:
    """What :func:`sweep` computed and wrote.

    Attributes
    ----------
    grids : dict
        One :func:`paper_checks.sensitivity.verdict_grid` Dataset per activation.
    files : list of Path
        The netCDF grid, the maps and the report section.
    measurements_computed, measurements_reused : int
        Measurement pieces (seed-runs × settings) computed and read from the store.
    """

    grids: dict[str, xr.Dataset]
    files: list[Path] = field(default_factory=list)
    measurements_computed: int = 0
    measurements_reused: int = 0


def grid_path(out: Path, profile: str) -> Path:
    """The netCDF grid of a sweep at `profile` in `out`."""
    return Path(out) / f"sensitivity-{profile}.nc"


def _activations(activations: Iterable[str]) -> tuple[str, ...]:
    if isinstance(activations, str):
        activations = [a.strip() for a in activations.split(",") if a.strip()]
    chosen = tuple(dict.fromkeys(activations))
    unknown = [a for a in chosen if a not in sensitivity.ACTIVATIONS]
    if not chosen or unknown:
        raise ValueError(f"activations must be some of {tuple(sensitivity.ACTIVATIONS)}, got {list(chosen)}")
    return chosen


def sweep_needs(profile: Profile, activations: Sequence[str] = REPRODUCE_ACTIVATIONS, **grid: Any) -> list[Any]:
    """The measurements a sweep of `activations` at `profile` computes (one Need per setting), for a plan."""
    return [
        registry.Need(sensitivity.swept_run(profile, a), s.config)
        for a in _activations(activations)
        for s in sensitivity.profile_settings(profile, a, **grid)
    ]


def sweep(
    results: str | os.PathLike[str],
    *,
    profile: Profile = FAST,
    activations: Sequence[str] = ("tanh", "relu"),
    out: str | os.PathLike[str] | None = None,
    executor: Executor | None = None,
    progress: bool = False,
    **grid: Any,
) -> SweepResult:
    """Sweep the estimator settings over the stored runs of `activations` and write the grid, maps and section.

    Parameters
    ----------
    results : path
        A results directory of ``ibtheory reproduce`` holding the runs (Fig 1A/B; Fig 8 for softsign/softplus).
    profile : Profile
        The profile of the stored runs.
    activations : sequence of str
        Keys of :data:`paper_checks.sensitivity.ACTIVATIONS`.
    out : path, optional
        Where to write (default ``<results>/sensitivity``).
    executor : Executor, optional
        Where the measurement pieces are computed (default: this process).
    progress : bool
        Progress bars.
    **grid
        Overrides of the grid, passed to :func:`paper_checks.sensitivity.sweep_settings` (``bins``, ``ranges``,
        ``noise_variances``, ``kraskov_k``, ``ebab_bins``, ``akde_scales``, ``estimators``).

    Raises
    ------
    ValueError
        A setting outside its estimator's range or an unknown activation (before any work);
        :class:`~paper_checks.workflow.measure.MissingRunError` naming the command that stores a missing run.
    """
    from paper_checks.figures.sensitivity import draw_verdict_map

    activations = _activations(activations)
    runs = {a: sensitivity.swept_run(profile, a) for a in activations}
    settings = {a: sensitivity.profile_settings(profile, a, **grid) for a in activations}
    store = open_results(results)
    for a, run in runs.items():
        require_run(store, run, f"ibtheory reproduce --profile {profile.name} --only {_PANEL[a]} --out {results}")
    needs = {(a, s): registry.Need(runs[a], s.config) for a in activations for s in settings[a]}
    runner = Runner(store, profile, executor=executor, progress=progress)
    runner.prepare(needs.values())
    if any(action == "computed" and kind == "run" for action, kind, _ in store.events):
        raise RuntimeError("ibtheory sensitivity trained a network; this is a bug (every run piece was checked)")
    grids = {}
    for a in activations:
        curves = {s: sensitivity.setting_curve(runner.load(needs[(a, s)]), s) for s in settings[a]}
        grids[a] = sensitivity.verdict_grid(curves)
        grids[a].attrs.update(
            activation=a,
            profile=profile.name,
            ibtheory_version=package_version(),
            run_key=store.source_key(runs[a]),
            run_configuration=json.dumps(readable(runs[a]), sort_keys=True),
        )
    outdir = Path(out) if out is not None else store.root / SENSITIVITY_DIR
    outdir.mkdir(parents=True, exist_ok=True)
    path = grid_path(outdir, profile.name)
    path.unlink(missing_ok=True)
    for i, (a, g) in enumerate(grids.items()):
        g.to_netcdf(path, mode="w" if i == 0 else "a", group=a, engine="h5netcdf")
    files = [path]
    for a, g in grids.items():
        files += draw_verdict_map(g, a, outdir, title=f"{a} ({profile.name} profile): verdict per estimator setting")
    section = outdir / f"sensitivity-{profile.name}.md"
    section.write_text("\n".join(report_section(grids, profile.name, base=outdir, images=True)) + "\n", "utf-8")
    files.append(section)
    computed = sum(1 for action, kind, _ in store.events if action == "computed" and kind == "measurement")
    reused = sum(1 for action, kind, _ in store.events if action == "reused" and kind == "measurement")
    return SweepResult(grids, files, computed, reused)


def read_grids(path: str | os.PathLike[str]) -> dict[str, xr.Dataset]:
    """The per-activation grids of a sweep's netCDF file (one group each)."""
    path = Path(path)
    with xr.open_datatree(path, engine="h5netcdf") as tree:
        return {name.strip("/"): node.to_dataset().load() for name, node in tree.children.items()}


def report_section(
    grids: dict[str, xr.Dataset], profile: str, *, base: Path | None = None, images: bool = False
) -> list[str]:
    """Markdown lines of the report section "Does the verdict survive the estimator?" for `grids`."""
    lines = [f"## Does the verdict survive the estimator? ({profile} profile)", ""]
    lines += [
        "The declared compression tests, unchanged, on the same stored networks measured with each estimator "
        "setting (`ibtheory sensitivity`; docs: `paper_checks.sensitivity`). *C* compresses, *=* does not "
        "compress (equivalence test, margin 0.6 bits), blank inconclusive; the number is the drop from the "
        "seed-mean peak in units of its standard error.",
        "",
    ]
    verdicts = sensitivity.claim_verdicts(grids)
    for claim in dict.fromkeys(v.claim for v in verdicts):
        rows = [v for v in verdicts if v.claim == claim]
        held = [v.label for v in rows if v.holds]
        where = f": {'; '.join(held)}" if held else "."
        lines.append(f"- **{claim}** holds at {len(held)} of {len(rows)} settings{where}")
    lines.append("")
    marks = {sensitivity.COMPRESSES: "C", sensitivity.DOES_NOT_COMPRESS: "="}
    for a, g in grids.items():
        layers = [int(x) for x in g["layer"].values]
        lines += [f"### {a}", "", "| setting | " + " | ".join(f"layer {x}" for x in layers) + " |"]
        lines.append("|---|" + "---|" * len(layers))
        for i in range(g.sizes["setting"]):
            cells = [
                f"{marks.get(int(v), '')} {z:+.1f}".strip()
                for v, z in zip(g["verdict"].values[i], g["drop_z"].values[i])
            ]
            lines.append(f"| {g['label'].values[i]} | " + " | ".join(cells) + " |")
        if images and base is not None:
            lines += ["", f"![verdict map, {a}](sensitivity-{a}.png)"]
        lines.append("")
    return lines


def stored_section(root: str | os.PathLike[str], profile: Profile) -> list[str]:
    """The report section of the sweep stored in ``<root>/sensitivity`` at `profile` (empty when there is none).

    A grid whose runs are no longer the stored runs of this code (their keys differ) is reported as stale, with
    the command that redoes it, never shown as current.
    """
    root = Path(root)
    path = grid_path(root / SENSITIVITY_DIR, profile.name)
    if not path.is_file():
        return []
    grids = read_grids(path)
    stale = [
        a
        for a, g in grids.items()
        if a not in sensitivity.ACTIVATIONS
        or g.attrs.get("run_key") != _run_key(root, sensitivity.swept_run(profile, a))
    ]
    if stale:
        return [
            f"## Does the verdict survive the estimator? ({profile.name} profile)",
            "",
            f"The stored sweep ({path.relative_to(root)}) was computed on other runs of {', '.join(stale)} than "
            f"those stored now: rerun `ibtheory sensitivity --results {root} --profile {profile.name}`.",
            "",
        ]
    lines = report_section(grids, profile.name)
    for a in grids:
        image = Path(SENSITIVITY_DIR) / f"sensitivity-{a}.png"
        if (root / image).is_file():
            lines += [f"![verdict map, {a}]({image.as_posix()})", ""]
    return lines


def _run_key(root: Path, run: Any) -> str:
    from paper_checks.workflow.store import ResultStore

    return ResultStore(root, create=False).source_key(run)
