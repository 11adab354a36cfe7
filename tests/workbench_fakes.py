"""Small fake trainers, measurements, experiments, claims and figures for the workflow tests.

They stand in for the science modules so that the machinery (store, runner, executors, CLI, report) is tested on
its own. Importing this module does not register anything; :func:`register` does (into the real registry in a
subprocess started with ``--registry workbench_fakes`` and in fresh worker processes, into monkeypatched copies
inside a test process).

Every call of the fake trainer appends one line per seed to ``config.log`` (when set), and the fake measurement
one line ``m<seed>`` per seed, so a test can count exactly what was computed.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import xarray as xr

from paper_checks import registry
from paper_checks.compare import Check, ClaimResult
from paper_checks.profiles import Profile
from paper_checks.registry import Inputs, Need

N_SEEDS_FAST = 6


def _described(ds: xr.Dataset) -> xr.Dataset:
    for name in ds.data_vars:
        ds[name].attrs.update(units="1", long_name=f"fake {name}")
    return ds


@dataclass(frozen=True)
class WalkConfig:
    """A random walk per seed (a fake training run); ``delay`` seconds of sleep per seed make it killable."""

    seeds: tuple[int, ...]
    n_steps: int = 50
    delay: float = 0.0
    log: str = ""

    @classmethod
    def for_profile(cls, profile: Profile, *, delay: float = 0.0, log: str = "") -> WalkConfig:
        """Six seeds and 50 steps at the fast profile; 20 seeds and 500 steps at the paper profile."""
        n = profile.pick(fast=N_SEEDS_FAST, paper=20)
        return cls(seeds=tuple(range(n)), n_steps=profile.pick(fast=50, paper=500), delay=delay, log=log)


def _log(path: str, line: str) -> None:
    if path:
        with Path(path).open("a") as handle:
            handle.write(f"{line}\n")


def walk(config: WalkConfig) -> xr.Dataset:
    """One Gaussian random walk per seed, each from its own ``default_rng(seed)``."""
    paths = []
    for seed in config.seeds:
        rng = np.random.default_rng(seed)
        paths.append(np.cumsum(rng.normal(size=config.n_steps)))
        _log(config.log, str(seed))
        time.sleep(config.delay)
    return _described(
        xr.Dataset(
            {"position": (("seed", "step"), np.array(paths)), "drift": ("step", np.zeros(config.n_steps))},
            coords={"seed": list(config.seeds), "step": np.arange(config.n_steps)},
            attrs={"experiment": "fake_walk", "n_steps": config.n_steps},
        )
    )


@dataclass(frozen=True)
class MSDConfig:
    """A fake measurement of walks: the squared displacement at every step (optionally scaled)."""

    scale: float = 1.0
    log: str = ""


def squared_displacement(run: xr.Dataset, config: MSDConfig) -> xr.Dataset:
    """``position²·scale`` per seed and step."""
    for seed in run["seed"].values:
        _log(config.log, f"m{int(seed)}")
    return _described(xr.Dataset({"squared": config.scale * run["position"] ** 2}))


@dataclass(frozen=True)
class ScalarConfig:
    """A configuration without seeds."""

    scale: float = 2.0

    @classmethod
    def for_profile(cls, profile: Profile) -> ScalarConfig:
        """Same at both profiles."""
        return cls()


def scalar(config: ScalarConfig) -> xr.Dataset:
    """A deterministic curve ``scale·x²``."""
    x = np.linspace(0.0, 1.0, 11)
    return _described(xr.Dataset({"y": ("x", config.scale * x**2)}, coords={"x": x}))


#: Delay per seed and log file of the claim/figure configurations; :func:`register` reads them from the
#: environment (``WORKBENCH_FAKE_DELAY``, ``WORKBENCH_FAKE_LOG``) so that a subprocess can be made slow.
SETTINGS: dict[str, float | str] = {"delay": 0.0, "log": ""}


def walk_need(profile: Profile) -> dict[str, Need]:
    """The fake claim's and figure's need: the walks of `profile`, measured."""
    config = WalkConfig.for_profile(profile, delay=float(SETTINGS["delay"]), log=str(SETTINGS["log"]))
    return {"walk": Need(config, MSDConfig(log=str(SETTINGS["log"])))}


def check_walk(inputs: Inputs) -> ClaimResult:
    """Fake claim: the mean squared displacement after n steps is about n (4 standard errors)."""
    ds = inputs["walk"]
    n = ds.sizes["step"]
    msd = float(ds["squared"].isel(step=-1).mean())
    return ClaimResult(
        "C9",
        (Check("mean squared displacement / n", msd / n, "<", 4.0, ""),),
        paper_value="1 (diffusion)",
        figures=("F2C",),
    )


def check_scalar(inputs: Inputs) -> ClaimResult:
    """Fake claim that fails on purpose: y(1) = 2 is not < 1."""
    return ClaimResult("C10", (Check("y(1)", float(inputs["curve"]["y"][-1]), "<", 1.0, "bits"),))


#: Why the fake C14 is declared "does not reproduce" at the fast profile.
C14_FAST_REASON = "the fake curve is 2 bits at x = 1 at both profiles; the fast profile declares it"


def check_declared(inputs: Inputs) -> ClaimResult:
    """Fake claim that fails (y(1) = 2 is not < 1) and declares "does not reproduce" at the fast profile only."""
    return ClaimResult("C14", (Check("y(1)", float(inputs["curve"]["y"][-1]), "<", 1.0, "bits"),))


def check_declared_but_holds(inputs: Inputs) -> ClaimResult:
    """Fake claim declared "does not reproduce" at the fast profile whose check holds (y(1) = 2 < 3)."""
    return ClaimResult("C15", (Check("y(1)", float(inputs["curve"]["y"][-1]), "<", 3.0, "bits"),))


def check_broken(inputs: Inputs) -> ClaimResult:
    """Fake claim whose check raises."""
    raise RuntimeError("the fake check is broken")


def draw_walk(inputs: Inputs, outdir: Path) -> list[Path]:
    """Fake figure F2C: the random walks."""
    import matplotlib.pyplot as plt

    ds = inputs["walk"]
    fig, ax = plt.subplots(figsize=(3, 2))
    ax.plot(ds["step"], ds["position"].T)
    paths = []
    for ext in ("png", "pdf"):
        path = Path(outdir) / f"F2C.{ext}"
        fig.savefig(path)
        paths.append(path)
    plt.close(fig)
    return paths


#: Calls of :func:`draw_two_panels` in this process.
DRAW_CALLS: list[str] = []


def draw_two_panels(inputs: Inputs, outdir: Path) -> list[Path]:
    """Fake figure 12: one draw function for two panels (called once per run)."""
    import matplotlib.pyplot as plt

    paths = []
    for panel in ("F12A", "F12B"):
        fig, ax = plt.subplots(figsize=(2, 2))
        ax.set_title(panel)
        for ext in ("png", "pdf"):
            paths.append(Path(outdir) / f"{panel}.{ext}")
            fig.savefig(paths[-1])
        plt.close(fig)
    DRAW_CALLS.append("F12")
    return paths


def register() -> None:
    """Register the fakes into the registry dictionaries (the real ones, or a test's monkeypatched copies)."""
    SETTINGS["delay"] = float(os.environ.get("WORKBENCH_FAKE_DELAY", "0"))
    SETTINGS["log"] = os.environ.get("WORKBENCH_FAKE_LOG", "")
    if WalkConfig in registry.COMPUTE_BY_TYPE:
        return
    registry.trainer("fake_walk", WalkConfig)(walk)
    registry.measurement("fake_msd", MSDConfig, runs=("fake_walk",))(squared_displacement)
    registry.experiment("fake_scalar", ScalarConfig)(scalar)
    registry.claim("C9", needs=walk_need, figures=("F2C",))(check_walk)
    registry.claim("C10", needs=lambda profile: {"curve": Need(ScalarConfig.for_profile(profile))})(check_scalar)
    registry.claim("C11", needs=lambda profile: {})(check_broken)
    curve = lambda profile: {"curve": Need(ScalarConfig.for_profile(profile))}  # noqa: E731
    fast_declared = {"fast": registry.does_not_reproduce(C14_FAST_REASON)}
    registry.claim("C14", needs=curve, expected=fast_declared)(check_declared)
    registry.claim("C15", needs=curve, expected={"fast": registry.does_not_reproduce("it should fail")})(
        check_declared_but_holds
    )
    registry.figure("F2C", needs=walk_need)(draw_walk)
    registry.figure("F12A", "F12B", needs=lambda profile: {})(draw_two_panels)


def isolate(monkeypatch) -> None:
    """Give the registry empty dictionaries (undone by `monkeypatch`) and register the fakes into them.

    The science modules are loaded first, so that they register into the real dictionaries rather than into
    the test's temporary ones (a module registers once, when it is first imported).
    """
    from paper_checks.workflow import report

    registry.load_all()
    monkeypatch.setattr(registry, "load_all", lambda: None)
    # The fakes' reports must not show the published paper-profile verdicts of the real claims beside theirs.
    monkeypatch.setattr(report, "PUBLISHED_PAPER_CLAIMS", Path("/nonexistent/claims-paper.json"))
    for name in ("COMPUTE_BY_TYPE", "EXPERIMENTS", "MEASUREMENTS", "MEASUREMENT_BY_TYPE", "CLAIMS", "FIGURES"):
        monkeypatch.setattr(registry, name, {})
    register()


def read_log(path: Path, prefix: str = "") -> list[int]:
    """The seeds computed so far (lines starting with `prefix`: "" the trainer, "m" the measurement), in order."""
    if not Path(path).exists():
        return []
    lines = Path(path).read_text().split()
    if prefix:
        return [int(line[len(prefix) :]) for line in lines if line.startswith(prefix)]
    return [int(line) for line in lines if line.isdigit()]
