"""The ``ibtheory`` command (also ``python -m paper_checks``).

``ibtheory reproduce [--profile fast|paper] [--only F2,C10,...] [--out DIR] [--quiet] [--scheduler ADDRESS]``
    Run the claim checks and draw the figures (PNG and PDF), caching every experiment result as netCDF in ``DIR``
    (resumable: rerun after an interruption and only the missing pieces are computed), then write the claims
    report ``DIR/report.md`` and ``DIR/report.html``. Exit status 0 when every check ran and every verdict is the
    one its claim declares at the profile (a declared "does not reproduce" is a result, not a failure) and every
    figure was drawn; 1 when a verdict differs from its declaration, a check errored or a figure failed.
``ibtheory reproduce ... --plan [--no-calibrate]``
    Print what the run would compute (runs to train, measurements to take), what ``DIR`` already holds, and the
    estimated CPU and wall time of each experiment from a short calibration on this machine, computing and writing
    nothing (:mod:`paper_checks.workflow.plan`). A run starts with the same summary, without the estimates.
``ibtheory figure F2 [F3C ...] [--out DIR]``
    Draw figure panels only (same cache).
``ibtheory measure NAME [key=value ...] --of ID [--results DIR] [--out DIR]``
    Apply a registered measurement (``binning``, ``kde``, ``kraskov``, ``histograms``, ``gradient_snr``, ``ebab``,
    ``akde``, …) with the given parameters to the stored runs that claim or figure ``ID`` uses, without training;
    writes netCDF.
``ibtheory sensitivity [--results DIR] [--profile fast|paper] [--activations tanh,relu] ... [--plan]``
    Sweep the estimator settings over the stored runs (no network is trained): verdict maps, netCDF grid, report
    section. ``--plan [--no-calibrate]`` prints what the sweep would measure and its calibrated cost, computing nothing.
``ibtheory latex [--out FILE] [--steps [KEY[,KEY]]]``
    Every derivation in one ``.tex`` file, numbered as in the paper, each formula round-trip-checked.
``ibtheory publish RESULTS --to DIR [--profile paper]``
    Write the report, the verdicts, the seed-mean curves (netCDF), the PNG figures and the run's metadata of a
    results directory to a small folder (``docs/paper-profile`` is one; see :mod:`paper_checks.workflow.publish`).
``ibtheory list``
    What is registered: claims, figure panels, experiments.

Bad arguments end with one line ``ibtheory: error: ...`` and exit status 2.
"""

from __future__ import annotations

import argparse
import importlib
import signal
import sys
import threading
from collections.abc import Sequence
from pathlib import Path

from paper_checks import registry
from paper_checks.catalog import CATALOG
from paper_checks.profiles import get_profile
from paper_checks.workflow.executor import DEFAULT_CONNECT_TIMEOUT, make_executor

__all__ = ["build_parser", "main"]

#: A verdict differs from its declaration, a check errored, or a figure could not be drawn.
EXIT_FAILED_CLAIMS = 1
#: Bad arguments (one line on stderr).
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, no usage dump
        raise _UsageError(f"{message} (try: {self.prog} --help)")


class _UsageError(Exception):
    pass


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    return value


def _int_list(text: str) -> tuple[int, ...]:
    try:
        return tuple(int(v) for v in text.split(",") if v.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected comma-separated integers, got {text!r}") from None


def _float_list(text: str) -> tuple[float, ...]:
    try:
        return tuple(float(v) for v in text.split(",") if v.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected comma-separated numbers, got {text!r}") from None


def _name_list(text: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in text.split(",") if v.strip())


def _positive_float(text: str) -> float:
    from paper_checks.workflow.executor import MAX_CONNECT_TIMEOUT

    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of seconds, got {text!r}") from None
    if not 0 < value <= MAX_CONNECT_TIMEOUT:  # also refuses nan and inf
        raise argparse.ArgumentTypeError(f"expected a number of seconds in (0, {MAX_CONNECT_TIMEOUT:g}], got {text!r}")
    return value


def _add_run_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--profile", default="fast", choices=["fast", "paper"], help="run size (default: fast)")
    parser.add_argument(
        "--mnist",
        default="reduced",
        choices=["reduced", "full"],
        help="paper profile only: MNIST on the shipped subset at the paper's optimiser (reduced, default) or "
        "full MNIST for 10 000 epochs (full; needs MNIST_DIR)",
    )
    parser.add_argument("--out", default="results", type=Path, help="results directory (default: ./results)")
    parser.add_argument("--quiet", action="store_true", help="no progress bars")
    parser.add_argument("--scheduler", metavar="ADDRESS", help="Dask scheduler address, e.g. tcp://host:8786")
    parser.add_argument(
        "--workers", type=_positive_int, help="local worker processes (default: one per core; 1 = in this process)"
    )
    parser.add_argument("--seed-chunk", type=_positive_int, help="seeds per experiment call (default: automatic)")
    parser.add_argument(
        "--connect-timeout",
        type=_positive_float,
        default=DEFAULT_CONNECT_TIMEOUT,
        help=f"seconds to wait for the Dask scheduler (default: {DEFAULT_CONNECT_TIMEOUT:g})",
    )
    parser.add_argument(
        "--registry",
        metavar="MODULE[,MODULE]",
        help="import these modules (calling their register() if any) instead of the built-in claims and figures",
    )


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``ibtheory``."""
    parser = _Parser(prog="ibtheory", description="Reproduce and check Saxe et al. (ICLR 2018).")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    rep = commands.add_parser("reproduce", help="run the claim checks, draw the figures, write the report")
    _add_run_options(rep)
    rep.add_argument("--only", metavar="IDS", help="comma-separated claim/figure ids, e.g. F2,F3,C10")
    rep.add_argument(
        "--plan",
        action="store_true",
        help="print what would be computed, what is stored and the estimated cost; compute and write nothing",
    )
    rep.add_argument("--no-calibrate", action="store_true", help="with --plan: count only, no cost estimate")
    rep.add_argument(
        "--no-sensitivity",
        action="store_true",
        help="skip the estimator sweep that ends a full run (tanh, ReLU, softplus; see `ibtheory sensitivity`)",
    )
    fig = commands.add_parser("figure", help="draw figure panels (e.g. F2 or F2C)")
    fig.add_argument("ids", nargs="+", metavar="F<n>", help="figure or panel ids")
    _add_run_options(fig)
    mea = commands.add_parser("measure", help="apply a measurement to stored runs, without training")
    mea.add_argument("measurement", metavar="NAME", help="binning, kde, kraskov, histograms, gradient_snr, ebab, akde")
    mea.add_argument("parameters", nargs="*", metavar="key=value", help="measurement parameters, e.g. n_bins=100")
    mea.add_argument("--of", required=True, metavar="ID", help="claim or figure panel whose runs to measure, e.g. F1A")
    mea.add_argument("--results", default="results", type=Path, help="results directory (default: ./results)")
    mea.add_argument("--profile", default="fast", choices=["fast", "paper"], help="profile of the stored runs")
    mea.add_argument("--out", type=Path, help="where to write the netCDF (default: RESULTS/measured)")
    mea.add_argument(
        "--workers", type=_positive_int, help="local worker processes (default: one per core; 1 = in this process)"
    )
    sen = commands.add_parser(
        "sensitivity", help="sweep estimator settings over stored runs: verdict maps, netCDF grid, report section"
    )
    sen.add_argument("--results", default="results", type=Path, help="results directory (default: ./results)")
    sen.add_argument("--profile", default="fast", choices=["fast", "paper"], help="profile of the stored runs")
    sen.add_argument(
        "--activations", type=_name_list, default=("tanh", "relu"), help="tanh,relu (default), softsign, softplus"
    )
    sen.add_argument("--estimators", type=_name_list, help="binning,kde,kraskov,ebab,akde (default all)")
    sen.add_argument("--bins", type=_int_list, help="binning bin counts (default 10,30,100,300,1000)")
    sen.add_argument("--ranges", type=_name_list, help="binning range rules: fixed,min_max,per_layer (default all)")
    sen.add_argument("--noise-variances", type=_float_list, help="KDE σ² (default 1e-4,1e-3,1e-2,0.1,1)")
    sen.add_argument("--kraskov-k", type=_int_list, help="Kraskov k (default 1,2,4,8)")
    sen.add_argument("--ebab-bins", type=_int_list, help="EBAB bin counts (default 10,30,100)")
    sen.add_argument("--akde-scales", type=_float_list, help="adaptive-KDE κ (default 0.01,0.1,1)")
    sen.add_argument("--out", type=Path, help="where to write (default: RESULTS/sensitivity)")
    sen.add_argument(
        "--workers", type=_positive_int, help="local worker processes (default: one per core; 1 = in this process)"
    )
    sen.add_argument("--quiet", action="store_true", help="no progress bars")
    sen.add_argument(
        "--plan", action="store_true", help="print what the sweep would measure and its estimated cost; compute nothing"
    )
    sen.add_argument("--no-calibrate", action="store_true", help="with --plan: count only, no cost estimate")
    tex = commands.add_parser("latex", help="write every derivation to one .tex file")
    tex.add_argument("--out", default="ibtheory_formulas.tex", type=Path, help="output file (default: %(default)s)")
    tex.add_argument(
        "--steps",
        nargs="?",
        const="all",
        metavar="KEY[,KEY]",
        help="also write every step of the derivations (all, or the given derivation keys)",
    )
    pub = commands.add_parser("publish", help="write a results directory's report, verdicts and curves to a folder")
    pub.add_argument(
        "results", type=Path, nargs="?", metavar="RESULTS", help="results directory of `ibtheory reproduce`"
    )
    pub.add_argument(
        "--record-not-run",
        action="store_true",
        help="only add the records of the claims declared not run at the profile to the published folder (no RESULTS)",
    )
    pub.add_argument(
        "--claims",
        metavar="IDS",
        help="only add these claims' verdicts from RESULTS to the published folder, keeping its other records",
    )
    pub.add_argument(
        "--sensitivity",
        action="store_true",
        help="only add the estimator sweep stored in RESULTS (maps, grid, report section) to the published folder, "
        "keeping its published activations that the sweep does not hold",
    )
    pub.add_argument("--to", required=True, type=Path, metavar="DIR", help="folder to write, e.g. docs/paper-profile")
    pub.add_argument(
        "--profile", default="paper", choices=["fast", "paper"], help="profile of the run (default: paper)"
    )
    pub.add_argument("--mnist", default="reduced", choices=["reduced", "full"], help="MNIST size of a paper run")
    lst = commands.add_parser("list", help="list registered claims, figures and experiments")
    lst.add_argument("--registry", metavar="MODULE[,MODULE]", help=argparse.SUPPRESS)
    return parser


def _load(modules: str | None) -> None:
    if not modules:
        try:
            registry.load_all()
        except Exception as err:  # a broken science module: say which, in one line
            raise _UsageError(
                f"loading the registered claims and figures failed: {type(err).__name__}: {err}"
            ) from None
        return
    for name in (m.strip() for m in modules.split(",") if m.strip()):
        try:
            module = importlib.import_module(name)
        except ImportError as err:
            raise _UsageError(f"--registry: cannot import {name!r} ({err})") from None
        if callable(getattr(module, "register", None)):
            module.register()


def _print(quiet: bool, *lines: str) -> None:
    if not quiet:
        for line in lines:
            print(line)


def _on_sigint(signum: int, frame: object) -> None:
    from paper_checks.workflow.runner import INTERRUPT

    INTERRUPT.set()
    raise KeyboardInterrupt


def _swept(args: argparse.Namespace, only: str | None, figures_only: tuple[str, ...] | None) -> tuple[str, ...]:
    """The activations a reproduce run sweeps at its end: the default ones for a full run of the built-in registry.

    Nothing is imported before the cheap tests: importing the sweep's modules registers the built-in claims, which
    a run with another registry (``--registry``, a test's fakes) must not get.
    """
    if figures_only is not None or only is not None or getattr(args, "no_sensitivity", False):
        return ()
    if getattr(args, "registry", None):  # another registry (a test's fakes) has none of the swept SZT networks
        return ()
    from paper_checks.experiments.szt import SZTRun

    if SZTRun not in registry.COMPUTE_BY_TYPE:  # the built-in networks are not registered (an isolated registry)
        return ()
    from paper_checks.workflow.sensitivity import REPRODUCE_ACTIVATIONS

    return REPRODUCE_ACTIVATIONS


def _sweep_extra(profile, swept: tuple[str, ...]) -> list:
    from paper_checks.workflow.sensitivity import sweep_needs

    return sweep_needs(profile, swept) if swept else []


def _cmd_reproduce(args: argparse.Namespace, *, figures_only: tuple[str, ...] | None = None) -> int:
    from paper_checks.workflow.ids import Selection, select
    from paper_checks.workflow.plan import make_plan
    from paper_checks.workflow.runner import INTERRUPT, reproduce
    from paper_checks.workflow.store import ResultStore

    INTERRUPT.clear()

    _load(args.registry)
    if args.mnist == "full" and args.profile != "paper":
        raise _UsageError("--mnist full is a paper-profile option (use it with --profile paper)")
    profile = get_profile(args.profile, args.mnist)
    only = ",".join(figures_only) if figures_only is not None else args.only
    if figures_only is not None:
        for fid in figures_only:
            if not fid.upper().startswith("F"):
                raise _UsageError(f"figure: {fid!r} is not a figure id (F1 … F21, or a panel such as F2C)")
    selection = select(only)  # validate ids and the output directory before connecting anywhere
    ResultStore.check_directory(args.out)
    if figures_only is not None and not selection.figures:
        raise _UsageError(f"figure: nothing is registered for {', '.join(figures_only)} yet")
    planning = getattr(args, "plan", False)
    if getattr(args, "no_calibrate", False) and not planning:
        raise _UsageError("--no-calibrate applies to --plan")
    planned = selection if figures_only is None else Selection((), selection.figures)
    swept = _swept(args, only, figures_only)
    with make_executor(args.scheduler, args.workers, connect_timeout=args.connect_timeout) as executor:
        if planning:
            return _cmd_plan(args, profile, planned, executor.workers, _sweep_extra(profile, swept))
        _print(args.quiet, f"ibtheory: profile {profile.name}, results in {args.out}, running on {executor.describe()}")
        if selection.unavailable:
            _print(args.quiet, f"ibtheory: not implemented yet (reported as such): {', '.join(selection.unavailable)}")
        if not args.quiet:
            plan = make_plan(args.out, profile, planned, workers=executor.workers, seed_chunk=args.seed_chunk,
                             calibrate=False, extra=_sweep_extra(profile, swept))  # fmt: skip
            _print(args.quiet, *plan.lines()[1:])
        summary = reproduce(
            profile,
            args.out,
            only=only,
            executor=executor,
            seed_chunk=args.seed_chunk,
            quiet=args.quiet,
            report=figures_only is None,
            run_claims=figures_only is None,
            sensitivity=swept,
        )
    for outcome in summary.claims.values():
        line = f"  {outcome.claim:>4}  {outcome.status:<18}"
        if outcome.result:
            line += f" margin {outcome.result.margin:+.3g}"
        else:
            line += f" {outcome.error or outcome.expected.reason}"
        if outcome.expected.verdict != registry.HOLDS:
            line += f"  (declared: {outcome.expected.verdict})"
        if not outcome.as_declared:
            line += f"  DIFFERS from the declared '{outcome.expected.verdict}'"
        _print(args.quiet, line + f"  ({outcome.seconds:.1f} s)")
    for outcome in summary.figures.values():
        status = ", ".join(str(p) for p in outcome.files) if outcome.error is None else f"ERROR {outcome.error}"
        _print(args.quiet, f"  {outcome.figure:>4}  {status}")
    counts = summary.store
    _print(
        False,
        f"ibtheory: done in {summary.seconds:.0f} s; networks trained {counts['runs_trained']}, reused "
        f"{counts['runs_reused']} (seed-runs); measurements computed {counts['measurements_computed']}, reused "
        f"{counts['measurements_reused']}; experiments computed {counts['experiments_computed']}, reused "
        f"{counts['experiments_reused']}; {counts['corrupt']} corrupt files discarded",
        *([f"ibtheory: estimator sweep of {', '.join(summary.swept)}: maps in the report"] if summary.swept else []),
        *(f"ibtheory: report {p}" for p in summary.reports),
    )
    if summary.differing:
        print(f"ibtheory: verdict differs from its declaration: {', '.join(summary.differing)}", file=sys.stderr)
    return 0 if summary.ok else EXIT_FAILED_CLAIMS


def _cmd_plan(
    args: argparse.Namespace, profile, selection, workers: int, extra: list, *, store: Path | None = None
) -> int:
    """Print the plan of a run into `store` (default ``--out``) of `selection` and the `extra` needs (a sweep's)."""
    import os

    from paper_checks.workflow.executor import ProcessExecutor, SerialExecutor
    from paper_checks.workflow.plan import CALIBRATION_BUDGET, make_plan

    calibrate = not args.no_calibrate
    local = min(workers, os.cpu_count() or 1)
    where = "in this process" if local == 1 else f"in {local} local worker processes"
    if calibrate:
        print(f"ibtheory: calibrating on this machine {where} (at most {CALIBRATION_BUDGET:g} s; nothing is stored)")
    # Calibrate where the run computes: local workers run single-threaded BLAS, `--workers 1` this process's.
    with SerialExecutor() if local == 1 else ProcessExecutor(local) as calibration:
        store = args.out if store is None else store
        seed_chunk = getattr(args, "seed_chunk", None)
        plan = make_plan(store, profile, selection, workers=workers, seed_chunk=seed_chunk, calibrate=calibrate,
                         executor=calibration, extra=extra)  # fmt: skip
        print("\n".join(plan.lines()))
        if profile.name == "paper" and profile.mnist != "full" and calibrate and selection.figures + selection.claims:
            # the paper's own MNIST sizes are not run by default: price them for reference (#12)
            full = make_plan(store, get_profile("paper", "full"), selection, workers=workers,
                             seed_chunk=seed_chunk, executor=calibration,
                             exclude={g.key for g in plan.groups})  # fmt: skip
            if full.groups:
                print("ibtheory plan: for reference, not part of this run: what --mnist full adds (paper-size MNIST)")
                print("\n".join(full.lines()[1:]))
    return 0


def _cmd_publish(args: argparse.Namespace) -> int:
    from paper_checks.workflow.publish import add_sensitivity, add_verdicts, publish, record_not_run

    _load(None)
    if args.record_not_run:
        if args.results is not None:
            raise _UsageError("publish --record-not-run reads no results directory; drop RESULTS")
        claims = record_not_run(args.to, get_profile(args.profile, args.mnist))
        print(
            f"ibtheory: recorded {len(claims)} not-run claims in {args.to}"
            + (f": {', '.join(claims)}" if claims else "")
        )
        return 0
    if args.results is None:
        raise _UsageError("publish: give the RESULTS directory (or --record-not-run)")
    if not args.results.is_dir():
        raise _UsageError(f"publish: {args.results} is not a results directory")
    if args.sensitivity:
        written = add_sensitivity(args.results, args.to, get_profile(args.profile, args.mnist))
        print(f"ibtheory: added the estimator sweep of {args.results} to {args.to} ({len(written)} files written)")
        return 0
    if args.claims is not None:
        claims = [c.strip().upper() for c in args.claims.split(",") if c.strip()]
        written = add_verdicts(args.results, args.to, get_profile(args.profile, args.mnist), claims)
        print(f"ibtheory: added the verdicts of {', '.join(claims)} to {args.to} ({len(written)} files written)")
        return 0
    written = publish(args.results, args.to, get_profile(args.profile, args.mnist))
    print(f"ibtheory: published {len(written)} files to {args.to}")
    return 0


def _cmd_measure(args: argparse.Namespace) -> int:
    from paper_checks.workflow.measure import measure_stored

    _load(None)
    with make_executor(None, args.workers) as executor:
        paths = measure_stored(
            args.results,
            args.measurement,
            list(args.parameters),
            args.of,
            profile=get_profile(args.profile),
            out=args.out,
            executor=executor,
        )
    for path in paths:
        print(f"ibtheory: wrote {path}")
    return 0


def _cmd_sensitivity(args: argparse.Namespace) -> int:
    from paper_checks.workflow.sensitivity import sweep, sweep_needs

    _load(None)
    names = ("estimators", "bins", "ranges", "noise_variances", "kraskov_k", "ebab_bins", "akde_scales")
    grid = {name: getattr(args, name) for name in names if getattr(args, name) is not None}
    if args.no_calibrate and not args.plan:
        raise _UsageError("--no-calibrate applies to --plan")
    if args.plan:
        import os

        from paper_checks.workflow.ids import Selection

        profile = get_profile(args.profile)
        needs = sweep_needs(profile, args.activations, **grid)
        return _cmd_plan(args, profile, Selection((), ()), args.workers or os.cpu_count() or 1, needs,
                         store=args.results)  # fmt: skip
    with make_executor(None, args.workers) as executor:
        result = sweep(
            args.results,
            profile=get_profile(args.profile),
            activations=args.activations,
            out=args.out,
            executor=executor,
            progress=not args.quiet,
            **grid,
        )
    print(
        f"ibtheory: sensitivity sweep: {result.measurements_computed} measurement pieces computed, "
        f"{result.measurements_reused} reused, no network trained"
    )
    for path in result.files:
        print(f"ibtheory: wrote {path}")
    return 0


def _cmd_latex(args: argparse.Namespace) -> int:
    from theory import latex

    path, n_formulas, n_derivations = latex.export(args.out, steps=args.steps)
    steps = f" and {n_derivations} derivations step by step" if n_derivations else ""
    print(f"ibtheory: {n_formulas} formulas, each round-trip-checked,{steps} written to {path}")
    return 0


def _cmd_list(args: argparse.Namespace) -> int:
    _load(args.registry)
    for cid, entry in CATALOG.items():
        spec = registry.CLAIMS.get(cid)
        state = "registered" if spec else ("untestable" if entry.untestable else "not implemented")
        figures = f" figures {', '.join(spec.figures)}" if spec and spec.figures else ""
        print(f"{cid:>4}  {state:<15}{figures}  {entry.text[:70]}")
    print("figure panels:", " ".join(sorted(registry.FIGURES)) or "none")
    trainers = sorted(n for n, e in registry.EXPERIMENTS.items() if e.kind == "run")
    print("trainers (runs):", " ".join(trainers) or "none")
    print("measurements:", " ".join(sorted(registry.MEASUREMENTS)) or "none")
    print("experiments:", " ".join(sorted(n for n, e in registry.EXPERIMENTS.items() if e.kind != "run")) or "none")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``ibtheory`` with `argv` (default ``sys.argv[1:]``); return the exit status."""
    from paper_checks.workflow.executor import SchedulerUnreachableError
    from paper_checks.workflow.store import ResultsDirectoryError

    previous_handler = None
    if threading.current_thread() is threading.main_thread():
        previous_handler = signal.signal(signal.SIGINT, _on_sigint)
    try:
        args = build_parser().parse_args(argv)
        if args.command in ("reproduce", "figure", "sensitivity"):
            import matplotlib

            matplotlib.use("Agg")  # the CLI writes figure files; library modules never choose the backend
        if args.command == "reproduce":
            return _cmd_reproduce(args)
        if args.command == "figure":
            return _cmd_reproduce(args, figures_only=tuple(args.ids))
        if args.command == "measure":
            return _cmd_measure(args)
        if args.command == "sensitivity":
            return _cmd_sensitivity(args)
        if args.command == "latex":
            return _cmd_latex(args)
        if args.command == "publish":
            return _cmd_publish(args)
        return _cmd_list(args)
    except SystemExit as exit_:  # --help
        return int(exit_.code or 0)
    except (_UsageError, ResultsDirectoryError, SchedulerUnreachableError, ValueError, OSError) as err:
        print(f"ibtheory: error: {err}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        out = getattr(locals().get("args"), "out", None)
        where = f" in {out}" if out else ""
        print(f"\nibtheory: interrupted; finished results are kept{where}: rerun to continue", file=sys.stderr)
        return EXIT_INTERRUPTED
    finally:
        if previous_handler is not None:
            signal.signal(signal.SIGINT, previous_handler)
