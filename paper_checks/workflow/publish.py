"""Publish a profile's results as a small, committed folder: ``ibtheory publish RESULTS --to docs/paper-profile``.

A results directory of ``ibtheory reproduce`` weighs gigabytes (every seed's network at every logged epoch). What a
reader needs to see the verdicts, and what a later paper needs to compare against, is much smaller. The published
folder holds:

``report.md``
    The claims report of the run (the report's format; its figure links point into ``figures/``).
``claims-<profile>.json``
    Every claim's verdict, checks and normalised margins, with the fingerprint each was checked against
    (:func:`paper_checks.workflow.runner.claim_fingerprint`).
``curves.nc``
    The information-plane, gradient-SNR and training curves of every network run of the profile: seed means and
    standard errors per layer and epoch (one netCDF group per run, its configuration in the group's attributes),
    not the raw runs.
``figures/``
    Every drawn panel as PNG.
``metadata.json``
    The commit, date, machine (cores), wall and CPU seconds per experiment (from the results directory's cost
    ledger), package versions, and the command that regenerates the folder.

:func:`stale_claims` compares a published claims file with the registered claims: every registered claim must be
present and checked against today's declaration and check (``tests/test_published.py``), so the folder cannot go
stale silently; when a declaration changes, it names the verdicts to regenerate.
"""

from __future__ import annotations

import json
import os
import platform
import re
import shutil
import subprocess
import time
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr

from paper_checks import registry
from paper_checks.profiles import Profile
from paper_checks.workflow.config_key import package_version, readable
from paper_checks.workflow.report import claims_records
from paper_checks.workflow.runner import Runner, claim_fingerprint
from paper_checks.workflow.store import Piece, ResultStore, pieces_of

__all__ = [
    "CURVE_DIMS",
    "PUBLISHED_PACKAGES",
    "PublishError",
    "add_sensitivity",
    "add_verdicts",
    "curves",
    "publish",
    "record_not_run",
    "stale_claims",
]

#: Dimensions a published curve may have besides ``seed`` (averaged out): per-sample histograms and raw parameters
#: are left in the results directory.
CURVE_DIMS = frozenset({"epoch", "layer", "noise_variance"})

#: Packages whose versions the metadata records.
PUBLISHED_PACKAGES = (
    "numpy", "scipy", "sympy", "mpmath", "xarray", "h5netcdf", "netCDF4", "h5py", "numba", "matplotlib",
)  # fmt: skip


class PublishError(ValueError):
    """The results directory cannot be published (missing report or runs); the message says what to run."""


def _network_needs(needs_of: dict[str, dict[str, registry.Need]]) -> dict[Any, set[Any]]:
    """Every network run in `needs_of` (:meth:`Runner.needs_of`), with the union of the measurements taken of it."""
    out: dict[Any, set[Any]] = {}
    for needs in needs_of.values():
        for need in needs.values():
            if registry.spec_for(need.source).kind != "run":
                continue
            out.setdefault(need.source, set()).update(need.measurements)
    return out


def _mean_and_se(var: xr.DataArray) -> tuple[xr.DataArray, xr.DataArray, int]:
    n = int(var.sizes["seed"])
    mean = var.mean("seed")
    se = var.std("seed", ddof=1) / np.sqrt(n) if n > 1 else xr.full_like(mean, np.nan)
    return mean, se, n


def curves(run: xr.Dataset) -> xr.Dataset:
    """Seed means and standard errors of every curve of a joined run (its training logs and measurements).

    Parameters
    ----------
    run : xarray.Dataset
        A network run merged with its measurements (:meth:`ResultStore.join`), with a ``seed`` dimension.

    Returns
    -------
    xarray.Dataset
        ``<name>_mean`` and ``<name>_se`` (standard error of the mean over seeds, NaN for one seed) for every float
        variable whose other dimensions are in :data:`CURVE_DIMS`, with the source's ``units`` and ``long_name``;
        attribute ``n_seeds``.
    """
    out: dict[str, xr.DataArray] = {}
    n_seeds = int(run.sizes.get("seed", 1))
    for name, var in run.data_vars.items():
        dims = set(var.dims)
        if "seed" not in dims or not dims - {"seed"} or not dims - {"seed"} <= CURVE_DIMS:
            continue
        if not np.issubdtype(var.dtype, np.floating):
            continue
        mean, se, n_seeds = _mean_and_se(var.astype(np.float64))
        long_name = var.attrs.get("long_name", name)
        units = var.attrs.get("units", "1")
        mean.attrs = {"long_name": f"{long_name}, mean over seeds", "units": units}
        se.attrs = {"long_name": f"{long_name}, standard error of the mean over seeds", "units": units}
        out[f"{name}_mean"], out[f"{name}_se"] = mean, se
    ds = xr.Dataset(out)
    for coord in ds.coords:
        if coord in run.coords:
            ds[coord].attrs = dict(run[coord].attrs)
    ds.attrs["n_seeds"] = n_seeds
    return ds


def _group_name(store: ResultStore, source: Any) -> str:
    spec = registry.spec_for(source)
    activation = getattr(source, "activation", "")
    return "_".join(p for p in (spec.name, activation, store.source_key(source)[:8]) if p)


def _git(*args: str) -> str:
    try:
        done = subprocess.run(
            ["git", *args], cwd=Path(__file__).resolve().parent, capture_output=True, text=True, check=True, timeout=30
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout.strip()


def _versions() -> dict[str, str]:
    out = {"python": platform.python_version(), "ibtheory": package_version()}
    for name in PUBLISHED_PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def _costs(store: ResultStore, groups: dict[str, Any], read: set[str]) -> dict[str, Any]:
    """CPU and wall seconds per experiment (summed over its tasks) and per session, from the cost ledger.

    Only the tasks of runs and experiments this publication reads (keys in `read`) count in the per-experiment
    costs and the total; the ledger's other tasks — runs of an earlier configuration kept in the same results
    directory, say — are summed apart under ``not_read``.
    """
    names = {store.source_key(source): group for group, source in groups.items()}
    experiments: dict[str, dict[str, Any]] = {}
    not_read = {"cpu_seconds": 0.0, "tasks": 0, "keys": set()}
    sessions = []
    for record in store.costs():
        if record.get("kind") == "session":
            sessions.append(record)
            continue
        key = record.get("key", "")
        if key not in read:
            not_read["cpu_seconds"] += float(record.get("cpu_seconds", 0.0))
            not_read["tasks"] += 1
            not_read["keys"].add(key)
            continue
        label = names.get(key) or f"{record.get('name', '?')}_{key[:8]}"
        entry = experiments.setdefault(
            label,
            {"name": record.get("name"), "key": key, "cpu_seconds": 0.0, "task_wall_seconds": 0.0, "tasks": 0},
        )
        entry["cpu_seconds"] = round(entry["cpu_seconds"] + float(record.get("cpu_seconds", 0.0)), 3)
        entry["task_wall_seconds"] = round(entry["task_wall_seconds"] + float(record.get("wall_seconds", 0.0)), 3)
        entry["tasks"] += 1
    total_cpu = round(sum(e["cpu_seconds"] for e in experiments.values()), 1)
    return {
        "per_experiment": dict(sorted(experiments.items())),
        "total_cpu_seconds": total_cpu,
        "not_read": {
            "cpu_seconds": round(not_read["cpu_seconds"], 1),
            "tasks": not_read["tasks"],
            "keys": sorted(not_read["keys"]),
        },
        "sessions": sessions,
        "total_session_wall_seconds": round(sum(float(s.get("wall_seconds", 0.0)) for s in sessions), 1),
        "note": "CPU seconds are the workers' process time per task (all threads); task wall seconds add up the "
        "tasks, which ran in parallel; a session is one `ibtheory reproduce` invocation (its wall time), including "
        "any work on pieces this publication does not read; not_read sums the tasks of runs and experiments in "
        "the results directory that no published claim or figure reads (left out of total_cpu_seconds).",
    }


def _collect(
    results: Path, profile: Profile, claims: list[str], figures: list[str]
) -> tuple[ResultStore, dict[str, Any], dict[str, xr.Dataset], set[str]]:
    """The stored networks the `claims` and `figures` read: their curve datasets by group, and the keys read.

    Raises
    ------
    PublishError
        If a run or measurement they read is not stored in `results` (the message gives the command).
    """
    command = f"ibtheory reproduce --profile {profile.name} --out {results}"
    store = ResultStore(results)
    runner = Runner(store, profile)
    needs_of = runner.needs_of(claims, figures)
    networks = _network_needs(needs_of)
    read = {store.source_key(n.source) for needs in needs_of.values() for n in needs.values()}
    groups: dict[str, Any] = {}
    datasets: dict[str, xr.Dataset] = {}
    for source, measurements in networks.items():
        need = registry.Need(source, tuple(sorted(measurements, key=repr)))
        missing = [p for p in pieces_of(need) if not store.has(p)]
        if missing:
            raise PublishError(f"{_describe(missing[0])} is not stored in {results}: run `{command}` first")
        name = _group_name(store, source)
        groups[name] = source
        ds = curves(store.join(need))
        ds.attrs.update(
            trainer=registry.spec_for(source).name,
            config_key=store.source_key(source),
            configuration=json.dumps(readable(source), sort_keys=True),
            measurements=", ".join(sorted(registry.measurement_spec_for(m).name for m in measurements)),
        )
        if getattr(source, "scope", None):
            ds.attrs["scope"] = source.scope
        datasets[name] = ds
    return store, groups, datasets, read


def publish(results: str | os.PathLike[str], to: str | os.PathLike[str], profile: Profile) -> list[Path]:
    """Write the published folder `to` from the results directory `results` of a run at `profile`.

    Parameters
    ----------
    results : path
        A results directory holding ``claims-<profile>.json``, ``report.md``, ``figures/`` and the stored runs.
    to : path
        The folder to (re)write; files of a previous publication are replaced.
    profile : Profile
        The profile of the run (its claims JSON names it).

    Returns
    -------
    list of Path
        The files written.

    Raises
    ------
    PublishError
        If the results directory lacks the report, the claims JSON of `profile`, or a stored run or measurement
        a claim or figure reads (the message gives the command that produces them).
    """
    results, to = Path(results), Path(to)
    command = f"ibtheory reproduce --profile {profile.name} --out {results}"
    claims_path = results / f"claims-{profile.name}.json"
    for needed in (claims_path, results / "report.md"):
        if not needed.is_file():
            raise PublishError(f"{needed} is missing: run `{command}` first")
    body = json.loads(claims_path.read_text(encoding="utf-8"))
    claims = [cid for cid in body["claims"] if cid in registry.CLAIMS]
    drawn = [fid for fid in registry.FIGURES if (results / "figures" / f"{fid}.png").is_file()]
    store, groups, datasets, read = _collect(results, profile, claims, drawn)
    # The code's state is read before anything is written: rewriting a committed folder must not count as a change.
    commit, uncommitted = _git("rev-parse", "HEAD"), bool(_git("status", "--porcelain", "--untracked-files=no"))
    to.mkdir(parents=True, exist_ok=True)
    written = []
    shutil.copyfile(claims_path, to / claims_path.name)
    shutil.copyfile(results / "report.md", to / "report.md")
    written += [to / claims_path.name, to / "report.md"]
    curves_path = to / "curves.nc"
    if curves_path.exists():
        curves_path.unlink()
    for i, (name, ds) in enumerate(sorted(datasets.items())):
        ds.to_netcdf(curves_path, mode="w" if i == 0 else "a", group=name, engine="h5netcdf")
    if datasets:
        with xr.open_dataset(curves_path, engine="h5netcdf") as _:
            pass
        written.append(curves_path)
    figures = to / "figures"
    if figures.exists():
        shutil.rmtree(figures)
    figures.mkdir()
    for png in sorted((results / "figures").glob("*.png")):
        shutil.copyfile(png, figures / png.name)
        written.append(figures / png.name)
    written += _copy_sweep(results, to, profile)
    meta = {
        "profile": profile.name,
        "mnist": profile.mnist,
        "commit": commit,
        "uncommitted_changes": uncommitted,
        "published": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": {"cores": os.cpu_count(), "platform": platform.platform(), "processor": platform.machine()},
        "packages": _versions(),
        "costs": _costs(store, groups, read),
        "runs": {
            name: json.loads(ds.attrs["configuration"]) | {"n_seeds": ds.attrs["n_seeds"]}
            for name, ds in sorted(datasets.items())
        },
        "regenerate": f"{command} && ibtheory publish {results} --to {to} --profile {profile.name}",
    }
    (to / "metadata.json").write_text(json.dumps(meta, indent=2, sort_keys=False) + "\n", encoding="utf-8")
    written.append(to / "metadata.json")
    index = to / "README.md"
    index.write_text(_index(body, results, profile, meta), encoding="utf-8")
    written.append(index)
    return written


NOT_RUN_SECTION = "## Declared not run at this profile"
ADDED_SECTION = "## Verdicts added after the run"


def _not_run_declared(profile: Profile) -> dict[str, registry.Expectation]:
    return {
        cid: spec.expectation(profile)
        for cid, spec in registry.CLAIMS.items()
        if spec.expectation(profile).verdict == registry.NOT_RUN
    }


def _replace_section(path: Path, title: str, lines: list[str]) -> None:
    """Rewrite the Markdown section `title` of `path` (removed when `lines` is empty), keeping the others in order."""
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    parts = re.split(r"(?m)^(?=## )", text)
    kept = [part.rstrip("\n") for part in parts if part.strip() and not part.startswith(title + "\n")]
    if lines:
        kept.append("\n".join([title, "", *lines]))
    path.write_text("\n\n".join(kept) + "\n", encoding="utf-8")


def _write_not_run_section(to: Path, profile: Profile) -> None:
    declared = _not_run_declared(profile)
    lines = []
    if declared:
        lines = [
            "These claims compute nothing at this profile (recorded by `ibtheory publish --record-not-run`, after the "
            "run above; `metadata.json` gives the commit):",
            "",
            *(f"- **{cid}**: {expected.reason}" for cid, expected in declared.items()),
        ]
    _replace_section(to / "README.md", NOT_RUN_SECTION, lines)


def _stamp() -> dict[str, Any]:
    commit, uncommitted = _git("rev-parse", "HEAD"), bool(_git("status", "--porcelain", "--untracked-files=no"))
    return {"commit": commit, "uncommitted_changes": uncommitted, "recorded": time.strftime("%Y-%m-%dT%H:%M:%S%z")}


def _published_claims(to: Path, profile: Profile) -> tuple[Path, dict[str, Any]]:
    claims_path = to / f"claims-{profile.name}.json"
    if not claims_path.is_file():
        raise PublishError(f"{claims_path} is missing: publish a run of the {profile.name} profile there first")
    return claims_path, json.loads(claims_path.read_text(encoding="utf-8"))


def _write_json_file(path: Path, body: dict[str, Any]) -> None:
    path.write_text(json.dumps(body, indent=2, allow_nan=True) + "\n", encoding="utf-8")


def record_not_run(to: str | os.PathLike[str], profile: Profile) -> list[str]:
    """Add to the published folder `to` the records of the claims declared ``not run`` at `profile`.

    A claim declared not run at a profile (``@claim(expected={"paper": not_run(reason)})``) computes nothing there,
    so its published record needs no results directory: it is its fingerprint, the status ``not run`` and the
    reason. Every other record of ``claims-<profile>.json`` is kept as published (with the run it came from); a
    stale record of a claim now declared not run is replaced. The commit and date of this addition are kept in
    ``metadata.json`` (``not_run_recorded``) and the folder's README lists the claims with their reasons.

    Returns
    -------
    list of str
        The claims whose records were written (empty when every not-run record was already current).

    Raises
    ------
    PublishError
        If `to` holds no ``claims-<profile>.json`` (publish a run first).
    """
    to = Path(to)
    claims_path, body = _published_claims(to, profile)
    written = []
    for cid, expected in _not_run_declared(profile).items():
        record = {
            "fingerprint": claim_fingerprint(cid, profile.name),
            "status": registry.NOT_RUN,
            "expected": expected.verdict,
            "expected_reason": expected.reason,
            "as_declared": True,
            "seconds": 0.0,
            "error": None,
            "scope": [],
            "margin": None,
            "checks": [],
        }
        if body["claims"].get(cid) != record:
            body["claims"][cid] = record
            written.append(cid)
    if not written:
        return []
    stamp = _stamp()
    _write_json_file(claims_path, body)
    meta_path = to / "metadata.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.is_file() else {}
    meta.setdefault("not_run_recorded", {}).update(dict.fromkeys(written, stamp))
    _write_json_file(meta_path, meta)
    _write_not_run_section(to, profile)
    return written


def _detail_block(report: str, cid: str) -> list[str]:
    """The ``### <cid> — …`` block of a report's "Checks in detail" section (empty if absent)."""
    match = re.search(rf"(?ms)^### {re.escape(cid)} — .*?(?=^### |^## |\Z)", report)
    return match.group(0).rstrip("\n").splitlines() if match else []


def add_verdicts(
    results: str | os.PathLike[str], to: str | os.PathLike[str], profile: Profile, claims: Sequence[str]
) -> list[Path]:
    """Add the verdicts of `claims` from a later run in `results` to the published folder `to`, keeping the rest.

    For claims registered after a folder was published (or whose check changed), rerunning the whole profile to
    republish would recompute every other claim; this adds only theirs. Each verdict must be current (its
    fingerprint equals today's, :func:`~paper_checks.workflow.runner.claim_fingerprint`) and must have run (not
    ``not run``); the runs it reads must be stored in `results`. Written: the records in ``claims-<profile>.json``
    (the others untouched), the curves of runs not yet in ``curves.nc``, an ``additions`` entry in
    ``metadata.json`` (commit, date, the runs and their costs), the claims' check details appended to
    ``report.md`` and a section of the README listing what was added after the run.

    Raises
    ------
    PublishError
        If `to` holds no publication, `results` no claims JSON of `profile`, a claim is unknown, absent from the
        results, not run there or stale (each message says what to run), or a run it reads is not stored.
    """
    results, to = Path(results), Path(to)
    claims = list(dict.fromkeys(claims))
    if not claims:
        raise PublishError("add_verdicts: name at least one claim")
    claims_path, body = _published_claims(to, profile)
    source_path = results / f"claims-{profile.name}.json"
    only = ",".join(claims)
    command = f"ibtheory reproduce --profile {profile.name} --only {only} --out {results}"
    if not source_path.is_file():
        raise PublishError(f"{source_path} is missing: run `{command}` first")
    records = json.loads(source_path.read_text(encoding="utf-8")).get("claims", {})
    for cid in claims:
        if cid not in registry.CLAIMS:
            raise PublishError(f"{cid} is not a registered claim")
        record = records.get(cid)
        if record is None:
            raise PublishError(f"{cid} has no verdict in {source_path}: run `{command}` first")
        if record.get("status") == registry.NOT_RUN:
            raise PublishError(f"{cid} was not run in {results} (declared not run at the {profile.name} profile)")
        if record.get("fingerprint") != claim_fingerprint(cid, profile.name):
            raise PublishError(f"{cid}'s verdict in {results} is stale (its check changed since): run `{command}`")
    store, groups, datasets, read = _collect(results, profile, claims, [])
    stamp = _stamp()
    written = [claims_path]
    for cid in claims:
        body["claims"][cid] = records[cid]
    _write_json_file(claims_path, body)
    curves_path = to / "curves.nc"
    present = set()
    if curves_path.is_file():
        with xr.open_datatree(curves_path, engine="h5netcdf") as tree:
            present = {node.path.strip("/") for node in tree.subtree}
    new = {name: ds for name, ds in sorted(datasets.items()) if name not in present}
    for name, ds in new.items():
        ds.to_netcdf(curves_path, mode="a" if curves_path.exists() else "w", group=name, engine="h5netcdf")
    if new:
        written.append(curves_path)
    meta_path = to / "metadata.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.is_file() else {}
    meta.setdefault("additions", []).append(
        {
            "claims": claims,
            **stamp,
            "results": str(results),
            "regenerate": f"{command} && ibtheory publish {results} --to {to} --profile {profile.name} --claims {only}",
            "runs": {
                name: json.loads(ds.attrs["configuration"]) | {"n_seeds": ds.attrs["n_seeds"]}
                for name, ds in sorted(datasets.items())
            },
            "costs": _costs(store, groups, read),
        }
    )
    for cid in claims:
        meta.get("not_run_recorded", {}).pop(cid, None)
    _write_json_file(meta_path, meta)
    written.append(meta_path)
    report = (results / "report.md").read_text(encoding="utf-8") if (results / "report.md").is_file() else ""
    published_report = to / "report.md"
    old = published_report.read_text(encoding="utf-8") if published_report.is_file() else ""
    section = old.split(f"{ADDED_SECTION}\n", 1)[1].split("\n## ", 1)[0] if f"{ADDED_SECTION}\n" in old else ""
    blocks = {cid: "\n".join(_detail_block(section, cid)) for cid in re.findall(r"(?m)^### (C\d+) — ", section)}
    for cid in claims:
        if block := _detail_block(report, cid):
            blocks[cid] = "\n".join(block)
    intro = "Verdicts of claims registered after the run above, from later runs (`metadata.json`, `additions`):"
    _replace_section(published_report, ADDED_SECTION, [intro, "", *"\n\n".join(blocks.values()).splitlines()])
    written.append(published_report)
    latest = {}
    for addition in meta["additions"]:
        for cid in addition["claims"]:
            latest[cid] = (
                f"- **{cid}**: {_verdict(body['claims'].get(cid))} (commit `{addition['commit'][:12]}`, "
                f"{addition['recorded'][:10]}; the addition's runs cost "
                f"{addition['costs']['total_cpu_seconds'] / 3600:.2f} CPU-hours)"
            )
    _replace_section(
        to / "README.md",
        ADDED_SECTION,
        ["Claims registered after the run above, published from later runs of their own needs:", "", *latest.values()],
    )
    _write_not_run_section(to, profile)
    written.append(to / "README.md")
    return written


def _copy_sweep(results: Path, to: Path, profile: Profile) -> list[Path]:
    """Copy the estimator sweep of `profile` stored in ``results/sensitivity`` (grid, section, maps) to `to`."""
    from paper_checks.workflow.sensitivity import SENSITIVITY_DIR, grid_path, read_grids

    source = results / SENSITIVITY_DIR
    grid = grid_path(source, profile.name)
    if not grid.is_file():
        return []
    target = to / SENSITIVITY_DIR
    target.mkdir(parents=True, exist_ok=True)
    names = [grid.name, f"sensitivity-{profile.name}.md"]
    names += [f"sensitivity-{a}.{ext}" for a in read_grids(grid) for ext in ("png", "pdf")]
    written = []
    for name in names:
        if (source / name).is_file():
            shutil.copyfile(source / name, target / name)
            written.append(target / name)
    return written


SWEEP_SECTION = "## Does the verdict survive the estimator?"


def add_sensitivity(results: str | os.PathLike[str], to: str | os.PathLike[str], profile: Profile) -> list[Path]:
    """Add the estimator sweep stored in `results` (``ibtheory sensitivity``) to the published folder `to`.

    The grid, the maps and the section are copied to ``to/sensitivity/``; the section replaces any earlier one in
    ``report.md`` (it is refused when the sweep was computed on other runs than those stored in `results`), and
    ``metadata.json`` records the addition (commit, date, the swept runs' configuration).

    A sweep is published one activation at a time if need be (a paper-profile sweep of every activation outlasts a
    session): the published grids of activations the new sweep does not hold are kept, and the section and
    ``metadata.json`` cover them all, each activation with the commit and date of its own addition. A kept grid
    must be of the runs this code trains now (its run key), or the addition is refused.

    Raises
    ------
    PublishError
        If `to` holds no publication, or `results` no current sweep of `profile` (the message gives the command),
        or a kept published grid was computed on other runs than this code trains.
    """
    from paper_checks import sensitivity
    from paper_checks.workflow.sensitivity import SENSITIVITY_DIR, grid_path, read_grids, report_section, stored_section
    from paper_checks.workflow.store import ResultStore

    results, to = Path(results), Path(to)
    _published_claims(to, profile)
    command = f"ibtheory sensitivity --results {results} --profile {profile.name}"
    if not grid_path(results / SENSITIVITY_DIR, profile.name).is_file():
        raise PublishError(f"{results} holds no estimator sweep of the {profile.name} profile: run `{command}` first")
    lines = stored_section(results, profile)
    if any("computed on other runs" in line for line in lines):
        raise PublishError(f"the sweep in {results} was computed on other runs than those stored: run `{command}`")
    new = read_grids(grid_path(results / SENSITIVITY_DIR, profile.name))
    published_grid = grid_path(to / SENSITIVITY_DIR, profile.name)
    kept = {a: g for a, g in read_grids(published_grid).items() if a not in new} if published_grid.is_file() else {}
    store = ResultStore(results, create=False)
    for a, g in kept.items():
        if a not in sensitivity.ACTIVATIONS or g.attrs.get("run_key") != store.source_key(
            sensitivity.swept_run(profile, a)
        ):
            raise PublishError(
                f"the published sweep of {a} in {published_grid} was computed on other runs than this code trains: "
                f"sweep {a} again (`{command} --activations {','.join([*new, a])}`) and publish that"
            )
    meta_path = to / "metadata.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.is_file() else {}
    earlier = meta.get("sensitivity", {})
    # an activation kept from an earlier addition keeps that addition's stamp
    earlier_stamp = {k: earlier[k] for k in ("commit", "uncommitted_changes", "recorded") if k in earlier}
    previous = earlier.get("added", dict.fromkeys(earlier.get("activations", []), earlier_stamp))
    stamp = _stamp()
    written = _copy_sweep(results, to, profile)
    grids = dict(new)
    if kept:  # write the union: one group per activation, in the order of sensitivity.ACTIVATIONS
        union = {**kept, **new}
        grids = {a: union[a] for a in sensitivity.ACTIVATIONS if a in union}
        published_grid.unlink()
        for i, (a, g) in enumerate(grids.items()):
            g.to_netcdf(published_grid, mode="w" if i == 0 else "a", group=a, engine="h5netcdf")
        section = report_section(grids, profile.name, base=to / SENSITIVITY_DIR, images=True)
        (to / SENSITIVITY_DIR / f"sensitivity-{profile.name}.md").write_text("\n".join(section) + "\n", "utf-8")
        lines = report_section(grids, profile.name)
        for a in grids:
            image = Path(SENSITIVITY_DIR) / f"sensitivity-{a}.png"
            if (to / image).is_file():
                lines += [f"![verdict map, {a}]({image.as_posix()})", ""]
    title = next(line for line in lines if line.startswith(SWEEP_SECTION))
    text = (to / "report.md").read_text(encoding="utf-8") if (to / "report.md").is_file() else ""
    for old in re.findall(rf"(?m)^{re.escape(SWEEP_SECTION)}.*$", text):
        _replace_section(to / "report.md", old, [])
    _replace_section(to / "report.md", title, lines[lines.index(title) + 1 :])
    written.append(to / "report.md")
    meta["sensitivity"] = stamp | {
        "activations": list(grids),
        "settings": {a: int(g.sizes["setting"]) for a, g in grids.items()},
        "runs": {a: json.loads(g.attrs.get("run_configuration", "{}")) for a, g in grids.items()},
        "added": {a: previous.get(a, earlier_stamp) if a in kept else stamp for a in grids},
    }
    _write_json_file(meta_path, meta)
    written.append(meta_path)
    return written


def _verdict(record: dict[str, Any] | None) -> str:
    if not isinstance(record, dict):
        return "—"
    margin = record.get("margin")
    text = str(record.get("status", "—"))
    return text + (f" ({margin:+.3g})" if isinstance(margin, (int, float)) else "")


def _index(body: dict[str, Any], results: Path, profile: Profile, meta: dict[str, Any]) -> str:
    """The folder's README: what each file is, how to regenerate it, and the verdicts of both profiles."""
    others = claims_records(results, profile.name)
    costs = meta["costs"]
    lines = [
        f"# The {profile.name} profile, published",
        "",
        f"Written by `ibtheory publish` from a real run of commit `{meta['commit'][:12]}` on a "
        f"{meta['machine']['cores']}-core machine ({meta['published'][:10]}). Regenerate with:",
        "",
        "```bash",
        meta["regenerate"],
        "```",
        "",
        "| file | what it is |",
        "|---|---|",
        "| `report.md` | the claims report of the run |",
        f"| `claims-{profile.name}.json` | every claim's verdict, checks, normalised margins and fingerprint |",
        "| `curves.nc` | seed means and standard errors of every curve per layer and epoch, one group per run |",
        "| `figures/*.png` | every figure panel |",
        "| `metadata.json` | commit, date, machine, CPU and wall seconds per experiment, package versions |",
        "",
        f"Cost: {costs['total_cpu_seconds'] / 3600:.2f} CPU-hours of computing tasks for what is published here, "
        f"{costs['total_session_wall_seconds'] / 60:.1f} minutes of wall time over {len(costs['sessions'])} "
        "`ibtheory reproduce` sessions (`metadata.json` has them per experiment"
        + (
            f"; the sessions also spent {costs['not_read']['cpu_seconds'] / 3600:.2f} CPU-hours on runs no "
            "published verdict reads"
            if costs["not_read"]["tasks"]
            else ""
        )
        + ").",
        "",
        "## Verdicts" + (" beside the other profile" if others else ""),
        "",
        "| claim | " + " | ".join([profile.name, *others]) + " |",
        "|---|" + "---|" * (1 + len(others)),
    ]
    for cid, record in body["claims"].items():
        scope = record.get("scope") or []
        cell = _verdict(record) + (" *" + "; ".join(scope) + "*" if scope else "")
        row = [cell, *(_verdict(o.get(cid)) for o in others.values())]
        lines.append(f"| {cid} | " + " | ".join(row) + " |")
    return "\n".join(lines) + "\n"


def _describe(piece: Piece) -> str:
    what = piece.name if piece.seed is None else f"{piece.name} seed {piece.seed}"
    return f"the {piece.kind} {what}"


def stale_claims(claims_file: str | os.PathLike[str], profile: str) -> dict[str, str]:
    """The published verdicts that no longer match the registered claims: ``{claim id: what changed}``.

    A registered claim missing from the file, a published claim no longer registered, and a claim whose
    fingerprint (:func:`~paper_checks.workflow.runner.claim_fingerprint`: declared checks, declared verdict, check
    source) differs are all stale. Empty when the file is current.
    """
    body = json.loads(Path(claims_file).read_text(encoding="utf-8"))
    published = body.get("claims", {})
    stale: dict[str, str] = {}
    for cid in registry.CLAIMS:
        record = published.get(cid)
        if record is None:
            stale[cid] = "registered but not in the published file"
            continue
        now, then = claim_fingerprint(cid, profile), record.get("fingerprint") or {}
        changed = [part for part in now if now[part] != then.get(part)]
        if changed:
            stale[cid] = "changed since publication: " + ", ".join(changed)
    for cid in published:
        if cid not in registry.CLAIMS:
            stale[cid] = "published but no longer registered"
    return stale
