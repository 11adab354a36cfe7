"""On-disk, resumable, atomic store of runs, measurements and experiment results (netCDF).

Layout of a results directory (``ibtheory reproduce --out DIR``)::

    DIR/ibtheory-results.json                                   manifest: format and schema version
    DIR/runs/<trainer>/<run-key>.json                           a run's training configuration (without seeds)
    DIR/runs/<trainer>/<run-key>/seed-<s>.nc                    one seed's run (+ .sha256)
    DIR/measurements/<name>/<run-key>/<key>.json                a measurement's configuration
    DIR/measurements/<name>/<run-key>/<key>/seed-<s>.nc         that measurement of one seed's run (+ .sha256)
    DIR/experiments/<name>/<key>.nc                             an experiment without seeds (+ .sha256, .json)
    DIR/experiments/<name>/<key>/seed-<s>.nc                    one seed of an experiment with seeds

Guarantees
----------
* **Atomic.** Every file is written to a temporary name in its directory, flushed and moved into place with
  :func:`os.replace`; its SHA-256 is written beside it only afterwards. A file without a matching checksum (killed
  mid-write, truncated, edited) is detected, removed and recomputed; a finished piece is never overwritten by a
  partial one. Files get the permissions of the umask (readable by others where the umask allows).
* **Keyed by everything that defines a result**: a run by its trainer, training configuration and the source of
  the modules defining them (never by how it is measured); a measurement by its run's key, its own configuration
  and source. The package version and :data:`SCHEMA_VERSION` are in every key. A changed configuration never
  reuses a stale result.
* **Per seed.** Runs, measurements and experiments with a ``seeds`` field are stored one seed per file; seeds
  shared by two configurations that differ only in their seeds are shared. The contract of trainers, measurements
  and experiments (a seed's result does not depend on which other seeds ran beside it) makes the concatenation
  along ``seed`` equal to one uninterrupted run.
* **Self-describing.** Every stored file carries the package version, schema, key and configuration (JSON) as
  attributes, and every variable its ``units`` and ``long_name`` (:mod:`paper_checks.variables`).

The store only stores: what is missing is computed by :class:`paper_checks.workflow.runner.Runner`.
"""

from __future__ import annotations

import contextlib
import hashlib
import inspect
import io
import json
import os
import sys
import tempfile
import threading
import time
import warnings
from collections import OrderedDict
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr

from paper_checks import registry
from paper_checks.variables import annotate
from paper_checks.workflow.config_key import SCHEMA_VERSION, config_key, package_version, readable, source_digest

__all__ = [
    "COSTS_NAME",
    "MANIFEST_NAME",
    "SCHEMA_VERSION",
    "Piece",
    "ResultStore",
    "ResultsDirectoryError",
    "dataset_from_bytes",
    "dataset_to_bytes",
    "encode_piece",
]

#: File that marks a directory as an ibtheory results directory.
MANIFEST_NAME = "ibtheory-results.json"

#: The cost ledger in a results directory: one JSON line per computed task (:meth:`ResultStore.record_cost`).
COSTS_NAME = "costs.jsonl"

#: Bound on the Datasets a store keeps decoded in memory (least recently used dropped first), bytes. Claims and
#: figures that read the same run in turn reuse it; a paper-profile reproduction does not hold every run at once.
MEMO_BYTES = 256 * 2**20
#: Bound on the joined results (a need's run and measurements, seeds concatenated) a store keeps, bytes. Decoding
#: a stored piece costs 20–40 ms however small it is (h5netcdf's per-variable overhead), and the claims and figures
#: of one experiment read the same needs in turn: without this, the checks of the paper-profile SZT family decoded
#: 6 001 pieces (320 s of 476 s) where 1 950 exist.
JOIN_MEMO_BYTES = 1024 * 2**20
_ENGINE = "h5netcdf"


class ResultsDirectoryError(ValueError):
    """The results directory cannot be used (unwritable, not ours, or written by another schema version)."""


def _plain_dask_locks() -> contextlib.AbstractContextManager[Any]:
    """Inside a Dask worker xarray would guard an in-memory write with a cluster lock it cannot name; use local ones."""
    if "dask" not in sys.modules:
        return contextlib.nullcontext()
    import dask

    return dask.config.set(scheduler="synchronous")


def dataset_to_bytes(name: str, result: Any) -> bytes:
    """NetCDF bytes of `result` (an :class:`xarray.Dataset`), with a clear error for anything else."""
    if not isinstance(result, xr.Dataset):
        raise ValueError(f"{name!r} must return an xarray.Dataset, got {type(result).__name__}")
    try:
        with _plain_dask_locks():
            return bytes(result.to_netcdf(engine=_ENGINE))
    except (TypeError, ValueError) as err:
        raise ValueError(f"{name!r} returned a Dataset that cannot be saved as netCDF: {err}") from None


def dataset_from_bytes(data: bytes) -> xr.Dataset:
    """The Dataset of netCDF bytes, loaded into memory.

    Read with the netCDF C library (netCDF4-python, the reader of ``ncdump``) from memory: 4–7 ms a piece, against
    28–53 ms through h5netcdf, which resolves every variable's dimensions in Python (measured on paper-profile SZT
    runs and measurements; the Datasets are identical). Pieces are still written with h5netcdf
    (:func:`dataset_to_bytes`). The C library is not thread-safe, so decoding holds a lock.
    """
    import netCDF4
    from xarray.backends import NetCDF4DataStore

    with _DECODE_LOCK:
        return xr.load_dataset(NetCDF4DataStore(netCDF4.Dataset("piece.nc", mode="r", memory=data)))


def _umask() -> int:
    with _UMASK_LOCK:
        mask = os.umask(0)
        os.umask(mask)
    return mask


_UMASK_LOCK = threading.Lock()
_DECODE_LOCK = threading.Lock()


class _DatasetMemo:
    """Datasets by key, least recently used dropped first once their total ``nbytes`` exceeds `limit`.

    One entry larger than `limit` is kept alone (the latest is always kept). Not thread-safe: the store locks.
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._items: OrderedDict[Any, xr.Dataset] = OrderedDict()
        self._bytes = 0

    def get(self, key: Any) -> xr.Dataset | None:
        found = self._items.get(key)
        if found is not None:
            self._items.move_to_end(key)
        return found

    def put(self, key: Any, ds: xr.Dataset) -> None:
        if key in self._items:
            return
        self._items[key] = ds
        self._bytes += int(ds.nbytes)
        while self._bytes > self.limit and len(self._items) > 1:
            _, dropped = self._items.popitem(last=False)
            self._bytes -= int(dropped.nbytes)

    def drop(self, key: Any) -> None:
        if key in self._items:
            self._bytes -= int(self._items.pop(key).nbytes)

    def clear(self) -> None:
        self._items.clear()
        self._bytes = 0


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


@dataclass(frozen=True)
class Piece:
    """One unit of storage: a trainer's/experiment's result for one seed (or all of it), or a measurement of it.

    Attributes
    ----------
    source : frozen dataclass
        The run or experiment configuration (with the piece's seeds, if it has seeds).
    measurement : frozen dataclass or None
        The measurement configuration, for a measurement piece.
    seed : int or None
        The seed of a per-seed piece; None for an experiment without seeds.
    """

    source: Any
    measurement: Any = None
    seed: int | None = None

    @property
    def kind(self) -> str:
        """``"run"``, ``"measurement"`` or ``"experiment"``."""
        if self.measurement is not None:
            return "measurement"
        return registry.spec_for(self.source).kind

    @property
    def name(self) -> str:
        """The registered name of what computes the piece."""
        if self.measurement is not None:
            return registry.measurement_spec_for(self.measurement).name
        return registry.spec_for(self.source).name


def seeds_of(config: Any) -> tuple[int, ...] | None:
    """The seeds of a configuration with a ``seeds`` tuple, else None."""
    seeds = getattr(config, "seeds", None)
    return tuple(int(s) for s in seeds) if isinstance(seeds, tuple) and seeds else None


def pieces_of(need: registry.Need) -> list[Piece]:
    """The stored pieces that make up `need`: its source's and every measurement's, per seed."""
    seeds = seeds_of(need.source)
    per_seed = [replace(need.source, seeds=(s,)) for s in seeds] if seeds else [need.source]
    out = [Piece(c, None, s) for c, s in zip(per_seed, seeds or [None])]
    for m in need.measurements:
        out += [Piece(c, m, s) for c, s in zip(per_seed, seeds or [None])]
    return out


class ResultStore:
    """A results directory holding runs, measurements and experiment results.

    Parameters
    ----------
    root : str or Path
        The results directory; created if missing. An existing directory must be empty or hold a manifest of
        this :data:`SCHEMA_VERSION`.
    create : bool
        False only checks `root` (:meth:`check_directory`) and never creates it: a store to read keys, paths and
        :meth:`is_present` from, for ``ibtheory reproduce --plan``, which writes nothing.

    Raises
    ------
    ResultsDirectoryError
        If `root` cannot be created or written, is not an ibtheory results directory, or was written by another
        schema version.
    """

    def __init__(self, root: str | os.PathLike[str], *, create: bool = True) -> None:
        self.root = Path(root)
        self.events: list[tuple[str, str, str]] = []  # (action, kind, detail): computed / reused / corrupt
        self._verified: set[Path] = set()  # files whose checksum matched in this process
        self._memo = _DatasetMemo(MEMO_BYTES)  # recently loaded pieces, by path
        self._joined = _DatasetMemo(JOIN_MEMO_BYTES)  # recently joined needs, by need
        self._lock = threading.Lock()
        if create:
            self._open_root()
        else:
            self.check_directory(self.root)

    # ------------------------------------------------------------------ the directory
    @staticmethod
    def check_directory(root: str | os.PathLike[str]) -> bool:
        """Check, without writing anything, that `root` can be used as a results directory.

        Returns
        -------
        bool
            True if `root` already holds results of this schema version, False if it is new or empty.

        Raises
        ------
        ResultsDirectoryError
            If `root` is a file, is not writable, is a non-empty directory without a manifest, or holds results of
            another schema version.
        """
        root = Path(root)
        manifest = root / MANIFEST_NAME
        if root.exists() and not root.is_dir():
            raise ResultsDirectoryError(f"output directory {str(root)!r} exists and is not a directory")
        if manifest.exists():
            try:
                found = json.loads(manifest.read_text(encoding="utf-8"))
                schema = found["schema"]
            except (OSError, ValueError, KeyError, TypeError):
                raise ResultsDirectoryError(
                    f"{str(manifest)!r} is unreadable; remove it or choose another --out"
                ) from None
            if schema != SCHEMA_VERSION:
                raise ResultsDirectoryError(
                    f"{str(root)!r} holds results of ibtheory {found.get('package', '?')} (results schema {schema}); "
                    f"this version writes schema {SCHEMA_VERSION}: choose another --out or delete that directory"
                )
            if not os.access(root, os.W_OK):
                raise ResultsDirectoryError(f"output directory {str(root)!r} is not writable")
            return True
        if root.exists() and any(root.iterdir()):
            raise ResultsDirectoryError(
                f"{str(root)!r} is not empty and is not an ibtheory results directory (no {MANIFEST_NAME}); "
                "choose a new or empty --out"
            )
        parent = root.parent if not root.exists() else root
        while not parent.exists():
            parent = parent.parent
        if not parent.is_dir():
            raise ResultsDirectoryError(f"cannot write to output directory {str(root)!r}: {str(parent)!r} is a file")
        if not os.access(parent, os.W_OK):
            raise ResultsDirectoryError(
                f"cannot create output directory {str(root)!r}: {str(parent)!r} is not writable"
            )
        return False

    def _open_root(self) -> None:
        if self.check_directory(self.root):
            return
        body = {"format": "ibtheory-results", "schema": SCHEMA_VERSION, "package": package_version()}
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            _atomic_write(self.root / MANIFEST_NAME, (json.dumps(body, indent=2) + "\n").encode())
        except OSError as err:
            raise ResultsDirectoryError(
                f"cannot write to output directory {str(self.root)!r}: {err.strerror or err}"
            ) from None

    # ------------------------------------------------------------------ keys and paths
    @staticmethod
    def _source_digest(function: Any, *configs: Any) -> str:
        return source_digest(inspect.unwrap(function), *(type(c) for c in configs))

    def source_key(self, source: Any) -> str:
        """Key of a run or experiment configuration, without its seeds (shared by its per-seed pieces)."""
        spec = registry.spec_for(source)
        drop = ("seeds",) if seeds_of(source) else ()
        return config_key(spec.name, source, drop=drop, source=self._source_digest(spec.function, source))

    def measurement_key(self, measurement: Any) -> str:
        """Key of a measurement configuration (the run's key is its directory)."""
        spec = registry.measurement_spec_for(measurement)
        return config_key(spec.name, measurement, source=self._source_digest(spec.function, measurement))

    def path_of(self, piece: Piece) -> Path:
        """Where `piece` is (or will be) stored."""
        spec = registry.spec_for(piece.source)
        key = self.source_key(piece.source)
        if piece.measurement is not None:
            m = registry.measurement_spec_for(piece.measurement)
            base = self.root / "measurements" / m.name / key / self.measurement_key(piece.measurement)
        elif spec.kind == "run":
            base = self.root / "runs" / spec.name / key
        else:
            base = self.root / "experiments" / spec.name / key
        return base / f"seed-{piece.seed}.nc" if piece.seed is not None else base.with_suffix(".nc")

    def _description_path(self, piece: Piece) -> Path:
        path = self.path_of(piece)
        return path.parent.with_suffix(".json") if piece.seed is not None else path.with_suffix(".json")

    def describe(self, piece: Piece) -> dict[str, Any]:
        """The JSON description of what a piece is (also stored as its ``configuration`` attribute)."""
        body: dict[str, Any] = {
            "kind": piece.kind,
            "name": registry.spec_for(piece.source).name,
            "key": self.source_key(piece.source),
            "config": _without_seeds(readable(piece.source)),
            "package": package_version(),
            "schema": SCHEMA_VERSION,
        }
        if piece.measurement is not None:
            body["measurement"] = registry.measurement_spec_for(piece.measurement).name
            body["measurement_key"] = self.measurement_key(piece.measurement)
            body["measurement_config"] = readable(piece.measurement)
        return body

    # ------------------------------------------------------------------ reading and writing
    def _discard(self, path: Path, kind: str, problem: str) -> None:
        warnings.warn(f"ibtheory: discarding corrupt result {path}: {problem}; it will be recomputed", stacklevel=4)
        self.events.append(("corrupt", kind, str(path.relative_to(self.root))))
        with self._lock:
            self._verified.discard(path)
        for stale in (path, path.with_name(path.name + ".sha256")):
            with contextlib.suppress(OSError):
                stale.unlink()

    def _verified_bytes(self, path: Path, kind: str) -> bytes | None:
        """The bytes of `path` if its checksum matches (a corrupt file is discarded), else None."""
        if not path.exists():
            return None
        sidecar = path.with_name(path.name + ".sha256")
        try:
            data = path.read_bytes()
            expected = sidecar.read_text(encoding="ascii").strip() if sidecar.exists() else None
        except OSError as err:
            self._discard(path, kind, f"unreadable ({err})")
            return None
        if expected is None:
            self._discard(path, kind, "no checksum (interrupted while writing)")
            return None
        if hashlib.sha256(data).hexdigest() != expected:
            self._discard(path, kind, "checksum mismatch (truncated or modified)")
            return None
        schema = _schema_of(data)
        if schema != SCHEMA_VERSION:
            self._discard(path, kind, f"written by results schema {schema}")
            return None
        with self._lock:
            self._verified.add(path)
        return data

    def _decode(self, path: Path, data: bytes, kind: str) -> xr.Dataset | None:
        try:
            ds = dataset_from_bytes(data)
        except (OSError, ValueError) as err:
            self._discard(path, kind, f"unreadable ({err})")
            return None
        if ds.attrs.get("ibtheory_schema") != SCHEMA_VERSION:
            self._discard(path, kind, f"written by results schema {ds.attrs.get('ibtheory_schema')}")
            return None
        return ds

    def _remember(self, path: Path, ds: xr.Dataset) -> None:
        with self._lock:
            self._memo.put(path, ds)

    def _recalled(self, path: Path) -> xr.Dataset | None:
        with self._lock:
            return self._memo.get(path)

    def has(self, piece: Piece) -> bool:
        """Whether `piece` is stored and its checksum matches (a corrupt file is removed, so it is recomputed)."""
        path = self.path_of(piece)
        with self._lock:
            if path in self._verified:
                return True
        return self._verified_bytes(path, piece.kind) is not None

    def is_present(self, piece: Piece) -> bool:
        """Whether `piece`'s file and its checksum file exist; nothing is read or removed (:meth:`has` verifies)."""
        path = self.path_of(piece)
        return path.is_file() and path.with_name(path.name + ".sha256").is_file()

    def load(self, piece: Piece) -> xr.Dataset:
        """The stored Dataset of `piece` (raises FileNotFoundError naming it when it is missing or corrupt)."""
        path = self.path_of(piece)
        found = self._recalled(path)
        if found is not None:
            return found
        data = self._verified_bytes(path, piece.kind)
        found = None if data is None else self._decode(path, data, piece.kind)
        if found is None:
            raise FileNotFoundError(f"no stored {piece.kind} {piece.name!r} (seed {piece.seed}) at {path}")
        self._remember(path, found)
        return found

    def load_bytes(self, piece: Piece) -> bytes:
        """The stored netCDF bytes of `piece`, checksum verified (to send to a worker, which decodes them)."""
        path = self.path_of(piece)
        data = self._verified_bytes(path, piece.kind)
        if data is None:
            raise FileNotFoundError(f"no stored {piece.kind} {piece.name!r} (seed {piece.seed}) at {path}")
        return data

    def attributes(self, piece: Piece, *, profile: str | None = None) -> dict[str, str]:
        """The self-describing attributes every stored file of `piece` carries (package, schema, key, config)."""
        description = self.describe(piece)
        attrs = {
            "ibtheory_version": package_version(),
            "ibtheory_schema": SCHEMA_VERSION,
            "ibtheory_kind": piece.kind,
            "ibtheory_name": piece.name,
            "config_key": description["key"],
            "configuration": json.dumps(description["config"], sort_keys=True),
        }
        if piece.measurement is not None:
            attrs["measurement_key"] = description["measurement_key"]
            attrs["measurement_configuration"] = json.dumps(description["measurement_config"], sort_keys=True)
        if profile is not None:
            attrs["profile"] = profile
        return attrs

    def save(self, piece: Piece, result: xr.Dataset, *, profile: str | None = None) -> xr.Dataset:
        """Annotate and store `result` as `piece`; returns what a later :meth:`load` gives."""
        self.write(piece, encode_piece(piece.name, result, self.attributes(piece, profile=profile)))
        return self.load(piece)

    def write(self, piece: Piece, data: bytes) -> None:
        """Store the netCDF bytes of `piece` made by :func:`encode_piece` (atomically, checksum last)."""
        path = self.path_of(piece)
        with self._lock:
            self._verified.discard(path)
            self._memo.drop(path)
            self._joined.clear()  # a joined need may hold the old piece
        _atomic_write(path, data)
        _atomic_write(path.with_name(path.name + ".sha256"), hashlib.sha256(data).hexdigest().encode() + b"\n")
        description_path = self._description_path(piece)
        if not description_path.exists():
            _atomic_write(description_path, (json.dumps(self.describe(piece), indent=2) + "\n").encode())
        with self._lock:
            self._verified.add(path)

    def join(self, need: registry.Need) -> xr.Dataset:
        """The result of `need` from its stored pieces (its run and measurements merged, seeds concatenated).

        Recently joined needs are kept (:data:`JOIN_MEMO_BYTES`); each call returns a shallow copy, so a caller that
        adds or drops variables does not change what the next caller gets.
        """
        with self._lock:
            found = self._joined.get(need)
        if found is None:
            found = self._join(need)
            with self._lock:
                self._joined.put(need, found)
        return found.copy(deep=False)

    def _join(self, need: registry.Need) -> xr.Dataset:
        seeds = seeds_of(need.source)

        def gather(measurement: Any) -> xr.Dataset:
            if seeds is None:
                return self.load(Piece(need.source, measurement, None))
            parts = [self.load(Piece(replace(need.source, seeds=(s,)), measurement, s)) for s in seeds]
            if len(parts) == 1:
                return parts[0]
            return xr.concat(
                parts,
                dim="seed",
                data_vars="minimal",
                coords="minimal",
                compat="equals",
                join="outer",
                combine_attrs="drop_conflicts",
            )

        source = gather(None)
        if not need.measurements:
            return source
        return registry.merge_run_and_measurement(source, [gather(m) for m in need.measurements])

    def record(self, action: str, kind: str, detail: str) -> None:
        """Log what happened to a piece (``computed``, ``reused`` or ``corrupt``) for the report's counts."""
        with self._lock:
            self.events.append((action, kind, detail))

    def record_cost(self, pieces: list[Piece], cpu_seconds: float, wall_seconds: float, profile: str) -> None:
        """Append one task's cost to the ledger ``costs.jsonl`` (:data:`COSTS_NAME`) in the results directory.

        One JSON line per computed task: its kind, trainer or experiment name, run key, the measurements it took,
        its seeds, and the CPU and wall seconds of the worker (:func:`paper_checks.workflow.runner.timed`). The
        ledger is what ``ibtheory publish`` sums per experiment and what ``--plan`` scales from.
        """
        if not pieces:
            return
        first = pieces[0]
        record = {
            "kind": first.kind,
            "name": registry.spec_for(first.source).name,
            "key": self.source_key(first.source),
            "measurements": sorted({registry.measurement_spec_for(p.measurement).name for p in pieces
                                    if p.measurement is not None}),
            "seeds": sorted({p.seed for p in pieces if p.seed is not None}),
            "cpu_seconds": round(float(cpu_seconds), 3),
            "wall_seconds": round(float(wall_seconds), 3),
            "profile": profile,
        }  # fmt: skip
        self._append_cost(record)

    def record_session(self, wall_seconds: float, profile: str, *, executor: str = "") -> None:
        """Append one ``ibtheory reproduce`` invocation (kind ``"session"``: its wall seconds) to the cost ledger."""
        record = {
            "kind": "session",
            "profile": profile,
            "wall_seconds": round(float(wall_seconds), 3),
            "executor": executor,
            "finished": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        }
        self._append_cost(record)

    def _append_cost(self, record: dict[str, Any]) -> None:
        with self._lock, open(self.root / COSTS_NAME, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(record, sort_keys=True) + "\n")

    def costs(self) -> list[dict[str, Any]]:
        """The cost ledger's records (:meth:`record_cost`), oldest first; a torn last line is skipped."""
        path = self.root / COSTS_NAME
        if not path.exists():
            return []
        records = []
        for line in path.read_text(encoding="utf-8").splitlines():
            with contextlib.suppress(ValueError):
                records.append(json.loads(line))
        return records

    def summary(self) -> dict[str, int]:
        """Counts per action and kind: ``runs_trained``, ``runs_reused``, ``measurements_computed``, … ."""
        words = {
            "run": ("runs_trained", "runs_reused"),
            "measurement": ("measurements_computed", "measurements_reused"),
        }
        words["experiment"] = ("experiments_computed", "experiments_reused")
        counts = {w: 0 for pair in words.values() for w in pair} | {"corrupt": 0}
        for action, kind, _ in self.events:
            if action == "corrupt":
                counts["corrupt"] += 1
            elif kind in words:
                counts[words[kind][0 if action == "computed" else 1]] += 1
        return counts


def _schema_of(data: bytes) -> Any:
    """The ``ibtheory_schema`` attribute of stored netCDF bytes (read from the HDF5 header, no variable decoded)."""
    import h5py

    try:
        with h5py.File(io.BytesIO(data), "r") as handle:
            value = handle.attrs.get("ibtheory_schema")
    except OSError as err:
        return f"unreadable ({err})"
    if value is None or isinstance(value, (str, bytes)):
        return value
    flat = np.asarray(value).reshape(-1)
    return int(flat[0]) if flat.size == 1 else value


def encode_piece(name: str, result: Any, attributes: dict[str, str]) -> bytes:
    """The netCDF bytes stored for one piece: `result` annotated (:mod:`paper_checks.variables`) with `attributes`.

    Pure (no store access), so a worker encodes the pieces it computed and the client only writes them.
    """
    if not isinstance(result, xr.Dataset):
        raise ValueError(f"{name!r} must return an xarray.Dataset, got {type(result).__name__}")
    result = annotate(result.copy())
    result.attrs.update(attributes)
    return dataset_to_bytes(name, result)


def _without_seeds(image: Any) -> Any:
    if isinstance(image, dict):
        return {k: v for k, v in image.items() if k != "seeds"}
    return image
