"""Where the pieces of a sweep run: in this process, in local worker processes, or on a Dask cluster.

An executor runs many independent calls ``fn(*args)`` (one per seed chunk or configuration, see
:mod:`paper_checks.workflow.runner`) and yields each result as soon as it is ready, so that the caller can save it
at once: an interrupted sweep keeps every finished piece.

* :class:`SerialExecutor` runs the calls one after the other in this process (``--workers 1``).
* :class:`ProcessExecutor` (default) uses :class:`concurrent.futures.ProcessPoolExecutor` with the ``spawn``
  start method, one process per core. Workers run single-threaded BLAS: the parallelism is across processes.
* :class:`DaskExecutor` submits the calls to a Dask distributed scheduler (``--scheduler ADDRESS``). An address
  that does not answer raises :class:`SchedulerUnreachableError` within ``connect_timeout`` seconds.

The calls must be module-level functions with picklable arguments (they cross a process boundary); their results
should be plain bytes or numbers. :mod:`paper_checks.workflow.store` sends netCDF bytes, never pickled datasets.
"""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
import os
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import Any

__all__ = [
    "DEFAULT_CONNECT_TIMEOUT",
    "MAX_CONNECT_TIMEOUT",
    "DaskExecutor",
    "Executor",
    "ProcessExecutor",
    "SchedulerUnreachableError",
    "SerialExecutor",
    "make_executor",
]

#: Seconds to wait for a Dask scheduler to answer before giving up with a clear error.
DEFAULT_CONNECT_TIMEOUT = 5.0
#: Longest accepted wait for a scheduler (an hour): a finite bound, so that a typo never hangs a run.
MAX_CONNECT_TIMEOUT = 3600.0
#: What a scheduler address looks like: protocol://host[:port] (host may be a name, IPv4 or [IPv6]).
_ADDRESS = re.compile(r"(?:tcp|tls|ws|wss|ucx|inproc)://(?:\[[0-9A-Fa-f:.]+\]|[\w.-]+)(?::\d{1,5})?(?:/[\w.-]*)*")

_SINGLE_THREAD_ENV = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


class SchedulerUnreachableError(ConnectionError):
    """The Dask scheduler given with ``--scheduler`` did not answer."""


class Executor:
    """Runs independent calls and yields ``(index, result)`` pairs as they complete.

    Subclasses implement :meth:`run`. Executors are context managers; :meth:`close` releases workers.
    """

    #: How many calls run at the same time (used to size seed chunks).
    workers: int = 1

    def run(self, fn: Callable[..., Any], arguments: Sequence[tuple[Any, ...]]) -> Iterator[tuple[int, Any]]:
        """Call ``fn(*arguments[i])`` for every ``i``; yield ``(i, result)`` in order of completion.

        Parameters
        ----------
        fn : callable
            A module-level function (picklable by reference).
        arguments : sequence of tuple
            One argument tuple per call.

        Yields
        ------
        (int, object)
            The index of the call and its result. The first exception raised by a call is re-raised and the
            remaining calls are cancelled.
        """
        raise NotImplementedError

    def close(self, *, abort: bool = False) -> None:
        """Release the workers (idempotent); `abort` stops running calls instead of waiting for them."""

    def __enter__(self) -> Executor:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *exc: object) -> None:
        self.close(abort=exc_type is not None and issubclass(exc_type, KeyboardInterrupt))

    def describe(self) -> str:
        """A short human-readable description (printed by the CLI)."""
        return type(self).__name__


class SerialExecutor(Executor):
    """Run every call in this process, one after the other."""

    workers = 1

    def run(self, fn: Callable[..., Any], arguments: Sequence[tuple[Any, ...]]) -> Iterator[tuple[int, Any]]:
        """See :meth:`Executor.run`."""
        for index, args in enumerate(arguments):
            yield index, fn(*args)

    def describe(self) -> str:
        """See :meth:`Executor.describe`."""
        return "in-process (serial)"


def _drain(futures: dict[Any, int], as_completed: Callable[..., Any], cancel: Callable[[], None]):
    try:
        for future in as_completed(list(futures)):
            yield futures[future], future.result()
    except BaseException:
        cancel()
        raise


class ProcessExecutor(Executor):
    """Run the calls in local worker processes (``spawn`` start method).

    Parameters
    ----------
    workers : int, optional
        Number of processes; default ``os.cpu_count()``. Must be ≥ 1.
    """

    def __init__(self, workers: int | None = None) -> None:
        workers = (os.cpu_count() or 1) if workers is None else workers
        if not isinstance(workers, int) or isinstance(workers, bool) or workers < 1:
            raise ValueError(f"workers must be a positive integer, got {workers!r}")
        self.workers = workers
        self._pool: cf.ProcessPoolExecutor | None = None

    def _ensure_pool(self) -> cf.ProcessPoolExecutor:
        if self._pool is None:
            for name in _SINGLE_THREAD_ENV:  # one process per core: no oversubscription by BLAS threads
                os.environ.setdefault(name, "1")
            self._pool = cf.ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"))
        return self._pool

    def run(self, fn: Callable[..., Any], arguments: Sequence[tuple[Any, ...]]) -> Iterator[tuple[int, Any]]:
        """See :meth:`Executor.run`."""
        pool = self._ensure_pool()
        futures = {pool.submit(fn, *args): index for index, args in enumerate(arguments)}

        def cancel() -> None:
            if isinstance(sys.exc_info()[1], KeyboardInterrupt):
                return  # close(abort=True) terminates the pool, which fails every pending call (see close)
            for future in futures:
                future.cancel()

        yield from _drain(futures, cf.as_completed, cancel)

    def close(self, *, abort: bool = False) -> None:
        """Shut the workers down, cancelling calls not started; `abort` (Ctrl-C) also terminates running ones.

        On abort the calls not started are left to the terminated pool, which fails them all with
        ``BrokenProcessPool``; cancelling them as well would race the pool's management thread, which (CPython
        3.11) then prints an ``InvalidStateError`` traceback for each cancelled call it tries to fail.
        """
        pool, self._pool = self._pool, None
        if pool is None:
            return
        if abort:
            for process in list(getattr(pool, "_processes", {}).values()):
                process.terminate()
        pool.shutdown(wait=not abort, cancel_futures=not abort)

    def describe(self) -> str:
        """See :meth:`Executor.describe`."""
        return f"{self.workers} local worker process{'es' if self.workers != 1 else ''}"


class DaskExecutor(Executor):
    """Run the calls on a Dask distributed cluster.

    Parameters
    ----------
    address : str
        The scheduler address, e.g. ``"tcp://10.0.0.5:8786"``.
    connect_timeout : float
        Seconds to wait for the scheduler (default :data:`DEFAULT_CONNECT_TIMEOUT`).

    Raises
    ------
    SchedulerUnreachableError
        If the scheduler does not answer within `connect_timeout`.
    ValueError
        If `address` is empty or `connect_timeout` is not positive.
    ImportError
        If ``dask[distributed]`` is not installed (``pip install 'ibtheory[distributed]'``).

    Notes
    -----
    The workers must be able to import :mod:`paper_checks` and the modules that define the experiments (same
    package version). Results travel back as netCDF bytes; the results directory is written only by the client.
    """

    def __init__(self, address: str, *, connect_timeout: float = DEFAULT_CONNECT_TIMEOUT) -> None:
        if not isinstance(address, str) or not _ADDRESS.fullmatch(address.strip()):
            raise ValueError(
                f"scheduler address must look like 'tcp://host:8786' (protocol tcp, tls, ws, wss, ucx or inproc), "
                f"got {address!r}"
            )
        if (
            isinstance(connect_timeout, bool)
            or not isinstance(connect_timeout, (int, float))
            or not 0 < connect_timeout <= MAX_CONNECT_TIMEOUT
        ):
            raise ValueError(
                f"connect_timeout must be a number of seconds in (0, {MAX_CONNECT_TIMEOUT:g}], got {connect_timeout!r}"
            )
        try:
            from distributed import Client
        except ImportError as err:  # pragma: no cover - depends on the installation
            raise ImportError("--scheduler needs dask[distributed]: pip install 'ibtheory[distributed]'") from err
        self.address = address.strip()
        try:
            self._client = Client(self.address, timeout=connect_timeout, set_as_default=False)
        except Exception as err:  # dask raises OSError, TimeoutError, ValueError, KeyError … for a bad address
            raise SchedulerUnreachableError(
                f"the Dask scheduler at {self.address!r} did not answer within {connect_timeout:g} s ({err})"
            ) from None
        n = len(self._client.scheduler_info().get("workers", {}))
        self.workers = max(n, 1)

    def run(self, fn: Callable[..., Any], arguments: Sequence[tuple[Any, ...]]) -> Iterator[tuple[int, Any]]:
        """See :meth:`Executor.run`."""
        from distributed import as_completed

        client = self._client

        def completed(pending: list[Any]) -> Any:
            return as_completed(pending, loop=client.loop)

        futures = {self._client.submit(fn, *args, pure=False): index for index, args in enumerate(arguments)}

        def cancel() -> None:
            self._client.cancel(list(futures))

        yield from _drain(futures, completed, cancel)

    def close(self, *, abort: bool = False) -> None:
        """Disconnect from the scheduler (the cluster keeps running; `abort` has cancelled our calls already)."""
        client, self._client = getattr(self, "_client", None), None
        if client is not None:
            client.close()

    def describe(self) -> str:
        """See :meth:`Executor.describe`."""
        return f"Dask scheduler {self.address} ({self.workers} workers)"


def make_executor(
    scheduler: str | None = None, workers: int | None = None, *, connect_timeout: float = DEFAULT_CONNECT_TIMEOUT
) -> Executor:
    """Build the executor the CLI asks for.

    Parameters
    ----------
    scheduler : str or None
        A Dask scheduler address; None for local execution.
    workers : int or None
        Local processes (ignored with `scheduler`); ``1`` runs in this process; None means one per core.
    connect_timeout : float
        Seconds to wait for the Dask scheduler.

    Returns
    -------
    Executor
    """
    if scheduler is not None:
        return DaskExecutor(scheduler, connect_timeout=connect_timeout)
    if workers is not None and (not isinstance(workers, int) or isinstance(workers, bool) or workers < 1):
        raise ValueError(f"workers must be a positive integer, got {workers!r}")
    if workers == 1:
        return SerialExecutor()
    return ProcessExecutor(workers)
