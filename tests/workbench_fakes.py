"""Small fake experiments, claims and figures for the workbench tests (CLI, store, executor, report).

They stand in for the science modules so that the machinery is tested on its own. Importing this module does not
register anything; :func:`register` does (into the real registry in a subprocess started with
``--registry workbench_fakes``, into monkeypatched copies inside a test process).

Every call of the fake experiment appends one line per seed to ``config.log`` (when set), so a test can count
exactly which seeds were computed.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

import matplotlib
import numpy as np
import xarray as xr

from paper_checks import registry
from paper_checks.compare import Check, ClaimResult
from paper_checks.profiles import Profile

matplotlib.use("Agg")

N_SEEDS_FAST = 6


@dataclass(frozen=True)
class WalkConfig:
    """A random walk per seed; ``delay`` seconds of sleep per seed make it slow enough to be killed."""

    seeds: tuple[int, ...]
    n_steps: int = 50
    delay: float = 0.0
    log: str = ""

    @classmethod
    def for_profile(cls, profile: Profile, *, delay: float = 0.0, log: str = "") -> WalkConfig:
        """Six seeds and 50 steps at the fast profile; 20 seeds and 500 steps at the paper profile."""
        n = profile.pick(fast=N_SEEDS_FAST, paper=20)
        return cls(seeds=tuple(range(n)), n_steps=profile.pick(fast=50, paper=500), delay=delay, log=log)


def walk(config: WalkConfig) -> xr.Dataset:
    """One Gaussian random walk per seed, each from its own ``default_rng(seed)``."""
    paths = []
    for seed in config.seeds:
        rng = np.random.default_rng(seed)
        paths.append(np.cumsum(rng.normal(size=config.n_steps)))
        if config.log:
            with Path(config.log).open("a") as handle:
                handle.write(f"{seed}\n")
        time.sleep(config.delay)
    return xr.Dataset(
        {"position": (("seed", "step"), np.array(paths)), "drift": ("step", np.zeros(config.n_steps))},
        coords={"seed": list(config.seeds), "step": np.arange(config.n_steps)},
        attrs={"experiment": "fake_walk", "n_steps": config.n_steps},
    )


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
    return xr.Dataset({"y": ("x", config.scale * x**2)}, coords={"x": x})


#: Delay per seed and log file of the claim/figure configurations; :func:`register` reads them from the
#: environment (``WORKBENCH_FAKE_DELAY``, ``WORKBENCH_FAKE_LOG``) so that a subprocess can be made slow.
SETTINGS: dict[str, float | str] = {"delay": 0.0, "log": ""}


def _walk_config(profile: Profile) -> WalkConfig:
    return WalkConfig.for_profile(profile, delay=float(SETTINGS["delay"]), log=str(SETTINGS["log"]))


def check_walk(profile: Profile) -> ClaimResult:
    """Fake claim: the mean squared displacement after n steps is about n (4 standard errors)."""
    ds = registry.EXPERIMENTS["fake_walk"].run(_walk_config(profile))
    final = ds["position"].isel(step=-1).values
    n = ds.sizes["step"]
    msd = float(np.mean(final**2))
    return ClaimResult(
        "C9",
        (Check("mean squared displacement / n", msd / n, "<", 4.0, ""),),
        paper_value="1 (diffusion)",
        figures=("F2C",),
    )


def check_scalar(profile: Profile) -> ClaimResult:
    """Fake claim that fails on purpose: y(1) = 2 is not < 1."""
    ds = registry.EXPERIMENTS["fake_scalar"].run(ScalarConfig.for_profile(profile))
    return ClaimResult("C10", (Check("y(1)", float(ds["y"][-1]), "<", 1.0, "bits"),))


def check_broken(profile: Profile) -> ClaimResult:
    """Fake claim whose check raises."""
    raise RuntimeError("the fake check is broken")


def draw_walk(profile: Profile, outdir: Path) -> list[Path]:
    """Fake figure F2C: the random walks."""
    import matplotlib.pyplot as plt

    ds = registry.EXPERIMENTS["fake_walk"].run(_walk_config(profile))
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


def draw_two_panels(profile: Profile, outdir: Path) -> list[Path]:
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
    registry.experiment("fake_walk")(walk)
    registry.experiment("fake_scalar")(scalar)
    registry.claim("C9", figures=("F2C",))(check_walk)
    registry.claim("C10")(check_scalar)
    registry.claim("C11")(check_broken)
    registry.figure("F2C")(draw_walk)
    registry.figure("F12A", "F12B")(draw_two_panels)


def isolate(monkeypatch) -> None:
    """Give the registry empty dictionaries (undone by `monkeypatch`) and register the fakes into them."""
    monkeypatch.setattr(registry, "EXPERIMENTS", {})
    monkeypatch.setattr(registry, "CLAIMS", {})
    monkeypatch.setattr(registry, "FIGURES", {})
    monkeypatch.setattr(registry, "_RUNNER", None)
    register()


def read_log(path: Path) -> list[int]:
    """The seeds computed so far, in order, from a ``log`` file (empty if it does not exist)."""
    return [int(line) for line in Path(path).read_text().split()] if Path(path).exists() else []
