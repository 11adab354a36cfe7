"""On-disk, resumable, atomic cache of experiment results (netCDF), keyed by the full configuration.

Layout of a results directory (``ibtheory reproduce --out DIR``)::

    DIR/ibtheory-results.json                      manifest: format and schema version
    DIR/experiments/<name>/<key>.nc                a finished result (one configuration), + .sha256 and .json
    DIR/experiments/<name>/<base-key>/seed-<s>.nc  one seed of a configuration with ``seeds`` (+ .sha256)

Guarantees
----------
* **Atomic.** Every file is written to a temporary name in its directory, flushed to disk and moved into place with
  :func:`os.replace`; its SHA-256 is written beside it (``.sha256``) only afterwards. A file without a matching
  checksum (killed mid-write, truncated, edited) is detected, removed and recomputed; a finished result is never
  overwritten by a partial one.
* **Keyed by everything that defines a result**: experiment name, configuration class and every field value, the
  source of the modules defining the experiment and its configuration, the package version and
  :data:`SCHEMA_VERSION`. A changed configuration never reuses a stale result.
* **Resumable per seed.** A configuration with a ``seeds`` field is computed in chunks of seeds (each chunk one
  call of the experiment, run through an :class:`~paper_checks.executor.Executor`), and every seed is saved as soon
  as its chunk finishes. The contract of the experiments (the result for a seed does not depend on which other
  seeds ran beside it) makes the concatenation along ``seed`` equal to one uninterrupted run.

:meth:`ResultStore.activate` routes every registered experiment through the store (``registry._RUNNER``).
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import importlib
import inspect
import io
import json
import math
import os
import sys
import tempfile
import threading
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import xarray as xr
from tqdm.auto import tqdm

from paper_checks import registry
from paper_checks.config_key import SCHEMA_VERSION, canonical, config_key, package_version
from paper_checks.config_key import source_digest as code_digest
from paper_checks.executor import Executor, SerialExecutor

__all__ = [
    "MANIFEST_NAME",
    "SCHEMA_VERSION",
    "ResultStore",
    "ResultsDirectoryError",
    "compute_result",
    "config_key",
    "package_version",
]

#: File that marks a directory as an ibtheory results directory.
MANIFEST_NAME = "ibtheory-results.json"
#: Default upper bound on the number of seeds computed in one call (a kill loses at most one chunk per worker).
MAX_SEED_CHUNK = 8
_ENGINE = "h5netcdf"


class ResultsDirectoryError(ValueError):
    """The results directory cannot be used (unwritable, not ours, or written by another schema version)."""


def _plain_dask_locks() -> contextlib.AbstractContextManager[Any]:
    """Inside a Dask worker xarray would guard an in-memory write with a cluster lock it cannot name; use local ones."""
    if "dask" not in sys.modules:
        return contextlib.nullcontext()
    import dask

    return dask.config.set(scheduler="synchronous")


def _to_bytes(name: str, result: Any) -> bytes:
    if not isinstance(result, xr.Dataset):
        raise ValueError(f"experiment {name!r} must return an xarray.Dataset, got {type(result).__name__}")
    try:
        with _plain_dask_locks():
            return bytes(result.to_netcdf(engine=_ENGINE))
    except (TypeError, ValueError) as err:
        raise ValueError(f"experiment {name!r} returned a Dataset that cannot be saved as netCDF: {err}") from None


def _from_bytes(data: bytes) -> xr.Dataset:
    return xr.load_dataset(io.BytesIO(data), engine=_ENGINE)


def compute_result(module: str, qualname: str, name: str, config: Any) -> bytes:
    """Run experiment `name` at `config` (bypassing every cache) and return the result as netCDF bytes.

    This is the unit of work sent to executors. In a fresh worker process the experiment function is found by
    importing `module` and looking up `qualname` (the registered experiment when the import registers it).
    """
    if name not in registry.EXPERIMENTS:
        target: Any = importlib.import_module(module)
        if name not in registry.EXPERIMENTS:
            try:
                for part in qualname.split("."):
                    target = getattr(target, part)
            except AttributeError:
                raise ValueError(f"experiment {name!r}: cannot find {qualname!r} in module {module!r}") from None
            return _to_bytes(name, inspect.unwrap(target)(config))
    return _to_bytes(name, registry.EXPERIMENTS[name].raw(config))


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


class ResultStore:
    """A results directory used as a resumable cache of experiment results.

    Parameters
    ----------
    root : str or Path
        The results directory; created if missing. An existing directory must be empty or hold a manifest of
        this :data:`SCHEMA_VERSION`.
    executor : Executor, optional
        Where missing pieces are computed (default: in this process).
    seed_chunk : int, optional
        Seeds per call of an experiment; default ``min(MAX_SEED_CHUNK, ceil(missing / workers))``.
    progress : bool
        Show a tqdm bar while the chunks of one configuration are computed.
    checkpoint : callable, optional
        Called after every saved piece (the CLI raises ``KeyboardInterrupt`` there once Ctrl-C was pressed, in case
        the interrupt was swallowed by a finalizer).

    Raises
    ------
    ResultsDirectoryError
        If `root` cannot be created or written, is not an ibtheory results directory, or was written by another
        schema version.
    """

    def __init__(
        self,
        root: str | os.PathLike[str],
        *,
        executor: Executor | None = None,
        seed_chunk: int | None = None,
        progress: bool = False,
        checkpoint: Callable[[], None] | None = None,
    ) -> None:
        if seed_chunk is not None and (not isinstance(seed_chunk, int) or seed_chunk < 1):
            raise ValueError(f"seed_chunk must be a positive integer, got {seed_chunk!r}")
        self.root = Path(root)
        self.executor = executor or SerialExecutor()
        self.seed_chunk = seed_chunk
        self.progress = progress
        self.checkpoint = checkpoint or (lambda: None)
        self.events: list[tuple[str, str, str]] = []  # (action, experiment, detail): computed/reused/corrupt
        self._memo: dict[tuple[str, str], xr.Dataset] = {}
        self._guard = threading.Lock()
        self._key_locks: dict[tuple[str, str], threading.Lock] = {}
        self._unsplittable: set[str] = set()
        self._open_root()

    # ------------------------------------------------------------------ directory and files
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

    def _read_verified(self, path: Path, experiment: str) -> xr.Dataset | None:
        sidecar = path.with_name(path.name + ".sha256")
        if not path.exists():
            return None
        problem = None
        try:
            data = path.read_bytes()
            expected = sidecar.read_text(encoding="ascii").strip() if sidecar.exists() else None
            if expected is None:
                problem = "no checksum (interrupted while writing)"
            elif hashlib.sha256(data).hexdigest() != expected:
                problem = "checksum mismatch (truncated or modified)"
            else:
                return _from_bytes(data)
        except (OSError, ValueError) as err:
            problem = f"unreadable ({err})"
        warnings.warn(f"ibtheory: discarding corrupt result {path}: {problem}; it will be recomputed", stacklevel=3)
        self.events.append(("corrupt", experiment, str(path.relative_to(self.root))))
        for stale in (path, sidecar):
            with contextlib.suppress(OSError):
                stale.unlink()
        return None

    def _write(self, path: Path, data: bytes, description: dict[str, Any] | None = None) -> None:
        _atomic_write(path, data)
        _atomic_write(path.with_name(path.name + ".sha256"), hashlib.sha256(data).hexdigest().encode() + b"\n")
        if description is not None:
            _atomic_write(path.with_suffix(".json"), (json.dumps(description, indent=2) + "\n").encode())

    @staticmethod
    def source_digest(spec: registry.ExperimentSpec, config: Any) -> str:
        """Digest of the source files defining the experiment function and its configuration class."""
        return code_digest(inspect.unwrap(spec.raw), type(config))

    def path_for(self, name: str, config: Any) -> Path:
        """Where the finished result of experiment `name` at `config` is (or will be) stored."""
        spec = registry.EXPERIMENTS[name]
        key = config_key(name, config, source=self.source_digest(spec, config))
        return self.root / "experiments" / name / f"{key}.nc"

    # ------------------------------------------------------------------ the runner
    @contextlib.contextmanager
    def activate(self) -> Iterator[ResultStore]:
        """Route every registered experiment through this store while the context is active."""
        previous = registry._RUNNER
        registry._RUNNER = self.get
        try:
            yield self
        finally:
            registry._RUNNER = previous

    def get(self, spec: registry.ExperimentSpec, config: Any) -> xr.Dataset:
        """The result of `spec` at `config`: from memory, from disk (verified), or computed and saved.

        Parameters
        ----------
        spec : registry.ExperimentSpec
            The registered experiment.
        config : dataclass instance
            Its frozen configuration.

        Returns
        -------
        xarray.Dataset
            Always decoded from its netCDF form, so a fresh and a cached result are identical.
        """
        source = self.source_digest(spec, config)
        key = config_key(spec.name, config, source=source)
        with self._guard:
            lock = self._key_locks.setdefault((spec.name, key), threading.Lock())
        with lock:  # claims may run in threads: one computation per key, the others wait and reuse it
            return self._get_locked(spec, config, key, source)

    def _get_locked(self, spec: registry.ExperimentSpec, config: Any, key: str, source: str) -> xr.Dataset:
        if (spec.name, key) in self._memo:
            return self._memo[(spec.name, key)]
        path = self.root / "experiments" / spec.name / f"{key}.nc"
        result = self._read_verified(path, spec.name)
        if result is not None:
            self.events.append(("reused", spec.name, key))
        else:
            seeds = getattr(config, "seeds", None)
            if isinstance(seeds, tuple) and seeds and spec.name not in self._unsplittable:
                result = self._by_seed(spec, config, tuple(seeds), source)
            if result is None:
                data = self._compute(spec, [config])[0]
                result = _from_bytes(data)
                self.events.append(("computed", spec.name, key))
            description = {"experiment": spec.name, "key": key, "config": canonical(config, "config")}
            data = _to_bytes(spec.name, result)
            self._write(path, data, description)
            result = _from_bytes(data)
        self._memo[(spec.name, key)] = result
        return result

    @staticmethod
    def _task(spec: registry.ExperimentSpec, config: Any) -> tuple[str, str, str, Any]:
        function = inspect.unwrap(spec.raw)
        return (function.__module__, function.__qualname__, spec.name, config)

    def _compute(self, spec: registry.ExperimentSpec, configs: list[Any]) -> list[bytes]:
        arguments = [self._task(spec, c) for c in configs]
        return [data for _, data in sorted(self.executor.run(compute_result, arguments), key=lambda pair: pair[0])]

    def _chunks(self, missing: list[Any]) -> list[tuple[Any, ...]]:
        size = self.seed_chunk or min(MAX_SEED_CHUNK, max(1, math.ceil(len(missing) / max(self.executor.workers, 1))))
        return [tuple(missing[i : i + size]) for i in range(0, len(missing), size)]

    def _by_seed(self, spec: registry.ExperimentSpec, config: Any, seeds: tuple[Any, ...], source: str):
        base = self.root / "experiments" / spec.name / config_key(spec.name, config, drop=("seeds",), source=source)
        piece_path = {s: base / f"seed-{s}.nc" for s in seeds}
        pieces: dict[Any, xr.Dataset] = {}
        for s in seeds:
            found = self._read_verified(piece_path[s], spec.name)
            if found is not None:
                pieces[s] = found
        missing = [s for s in seeds if s not in pieces]
        if pieces:
            self.events.append(("reused", spec.name, f"seeds {sorted(pieces)}"))
        chunks = self._chunks(missing)
        arguments = [self._task(spec, dataclasses.replace(config, seeds=chunk)) for chunk in chunks]
        bar = tqdm(
            total=len(chunks), desc=spec.name, unit="chunk", leave=False, disable=not self.progress or len(chunks) < 2
        )
        with bar:
            for index, data in self.executor.run(compute_result, arguments):
                chunk, result = chunks[index], _from_bytes(data)
                if "seed" not in result.dims or list(result["seed"].values) != list(chunk):
                    self._unsplittable.add(spec.name)  # no per-seed layout: cache the whole configuration instead
                    warnings.warn(
                        f"ibtheory: experiment {spec.name!r} has a 'seeds' field but its result has no matching "
                        "'seed' coordinate; it is cached per configuration, not per seed",
                        stacklevel=3,
                    )
                    return None
                for s in chunk:
                    data = _to_bytes(spec.name, result.sel(seed=[s]))
                    self._write(piece_path[s], data)
                    pieces[s] = _from_bytes(data)
                self.events.append(("computed", spec.name, f"seeds {list(chunk)}"))
                bar.update()
                self.checkpoint()
        try:
            return xr.concat(
                [pieces[s] for s in seeds],
                dim="seed",
                data_vars="minimal",
                coords="minimal",
                compat="equals",
                join="exact",
                combine_attrs="override",
            )
        except ValueError as err:  # seed-dependent variables without a 'seed' dim: cache the whole run instead
            self._unsplittable.add(spec.name)
            warnings.warn(
                f"ibtheory: experiment {spec.name!r}: its per-seed results cannot be joined along 'seed' ({err}); "
                "variables without a 'seed' dimension must not depend on the seed. It is recomputed in one call "
                "and cached per configuration",
                stacklevel=3,
            )
            return None

    def summary(self) -> dict[str, int]:
        """Counts of results ``computed``, ``reused`` and ``corrupt`` (discarded) since the store was opened."""
        counts = {"computed": 0, "reused": 0, "corrupt": 0}
        for action, _, _ in self.events:
            counts[action] += 1
        return counts
