"""Cache keys: a hash of everything that defines an experiment's result.

The key of a result is the SHA-256 of a canonical, type-tagged JSON image of: the experiment's name, its
configuration (class path and every field value, floats exactly via :meth:`float.hex`, tuples as lists, nested
frozen dataclasses recursively), a digest of the source files that define the experiment and its configuration
class, the package version and :data:`SCHEMA_VERSION`. Two configurations that differ in any of these never share
a key, so a changed configuration never reuses a stale result.

Limitation: a change to library code that the experiment imports (``simulate``, ``theory``) does not change the
key unless the package version changes; delete the results directory (or use a new ``--out``) after such edits.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import inspect
import json
import math
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["SCHEMA_VERSION", "canonical", "config_key", "package_version", "readable", "source_digest"]

#: Version of the on-disk layout and of the key recipe; bump it whenever either changes.
SCHEMA_VERSION = 1


@functools.cache
def package_version() -> str:
    """The installed ibtheory version (``"unknown"`` when running from an uninstalled tree)."""
    try:
        from importlib.metadata import version

        return version("ibtheory")
    except Exception:
        return "unknown"


def canonical(value: Any, where: str) -> Any:
    """A JSON-able, type-tagged image of a configuration value (floats exact, tuples as lists)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        cls = type(value)
        body = {f.name: canonical(getattr(value, f.name), f"{where}.{f.name}") for f in dataclasses.fields(value)}
        return {"__class__": f"{cls.__module__}.{cls.__qualname__}", **body}
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        number = float(value)
        return {"float": number.hex()} if math.isfinite(number) else {"float": repr(number)}
    if isinstance(value, (tuple, list)):
        return [canonical(v, f"{where}[{i}]") for i, v in enumerate(value)]
    if isinstance(value, Path):
        return {"path": str(value)}
    if hasattr(value, "value") and hasattr(type(value), "__members__"):  # Enum
        return {"enum": f"{type(value).__qualname__}.{value.name}"}
    raise ValueError(
        f"config field {where}: cannot build a cache key from a {type(value).__name__}; "
        "configuration fields must be numbers, strings, booleans, None, tuples or nested frozen dataclasses"
    )


def readable(value: Any) -> Any:
    """A JSON-able image of a configuration for people (plain numbers; the key uses :func:`canonical`)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        cls = type(value)
        body = {f.name: readable(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return {"class": f"{cls.__module__}.{cls.__qualname__}", **body}
    if isinstance(value, (tuple, list)):
        return [readable(v) for v in value]
    if isinstance(value, (np.integer, np.floating)):
        return value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return repr(value)
    if isinstance(value, Path):
        return str(value)
    return value


@functools.cache
def source_digest(*objects: Any) -> str:
    """SHA-256 of the source files defining `objects` (their ``repr`` when the source cannot be found).

    Computed once per process and objects: the key describes the code that was imported, so editing a file while
    a run is in progress does not change the keys of the pieces that run is computing.
    """
    digest = hashlib.sha256()
    for obj in objects:
        try:
            digest.update(Path(inspect.getsourcefile(obj) or "").read_bytes())
        except (OSError, TypeError):
            digest.update(repr(obj).encode())
    return digest.hexdigest()


def config_key(name: str, config: Any, *, drop: tuple[str, ...] = (), source: str = "") -> str:
    """Hash of everything that defines the result of experiment `name` at `config`.

    Parameters
    ----------
    name : str
        Registered experiment name.
    config : dataclass instance
        The frozen configuration.
    drop : tuple of str
        Fields left out of the key (``("seeds",)`` gives the key shared by the per-seed pieces).
    source : str
        Digest of the code that defines the experiment (see :meth:`ResultStore.source_digest`).

    Returns
    -------
    str
        24 hexadecimal digits of a SHA-256.
    """
    image = canonical(config, "config")
    for field in drop:
        image.pop(field, None)
    payload = {
        "schema": SCHEMA_VERSION,
        "package": package_version(),
        "experiment": name,
        "config": image,
        "source": source,
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:24]
