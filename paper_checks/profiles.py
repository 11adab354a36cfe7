"""Run profiles: ``fast`` (default; CI-sized) and ``paper`` (the paper's sizes).

The profile is one frozen dataclass (docs/design.md#profiles). Experiments do not read sizes from the environment; each
experiment's configuration is built from a profile with :meth:`Profile.pick`, e.g.
``n_seeds = profile.pick(fast=8, paper=50)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, TypeVar

__all__ = ["FAST", "MNIST_SIZES", "PAPER", "PAPER_FULL_MNIST", "PROFILES", "Profile", "get_profile"]

T = TypeVar("T")

MNIST_SIZES = ("reduced", "full")
"""What the paper profile trains MNIST on: the shipped subset for fewer epochs, or full MNIST for 10 000 epochs."""


@dataclass(frozen=True)
class Profile:
    """A named run size.

    Attributes
    ----------
    name : {"fast", "paper"}
        ``"fast"``: fewer seeds/epochs, chosen so that each claim still holds with a stated margin
        (the whole ``pytest paper_checks`` in about 10 minutes on 2 cores). ``"paper"``: the paper's sizes.
    mnist : {"reduced", "full"}
        MNIST at the paper profile (docs/choices.md#r1). ``"reduced"`` (default): the paper's optimiser, learning
        rate and batch on the shipped 10 000-digit subset for fewer epochs ("paper settings, reduced data and
        epochs"), because full MNIST for 10 000 epochs costs hundreds of CPU-hours here; ``"full"``: the paper's
        sizes (needs full MNIST in ``MNIST_DIR``). Only ``"reduced"`` is accepted for the fast profile.
    """

    name: Literal["fast", "paper"]
    mnist: Literal["reduced", "full"] = "reduced"

    def __post_init__(self) -> None:
        if self.name not in ("fast", "paper"):
            raise ValueError(f"profile name must be 'fast' or 'paper', got {self.name!r}")
        if self.mnist not in MNIST_SIZES:
            raise ValueError(f"mnist must be one of {MNIST_SIZES}, got {self.mnist!r}")
        if self.name == "fast" and self.mnist != "reduced":
            raise ValueError("mnist='full' is a paper-profile setting; the fast profile always uses the subset")

    def pick(self, *, fast: T, paper: T) -> T:
        """Return `fast` or `paper` according to this profile.

        Examples
        --------
        >>> FAST.pick(fast=8, paper=50)
        8
        >>> PAPER.pick(fast=8, paper=50)
        50
        """
        return fast if self.name == "fast" else paper


FAST = Profile("fast")
PAPER = Profile("paper")
PAPER_FULL_MNIST = Profile("paper", mnist="full")
PROFILES: dict[str, Profile] = {"fast": FAST, "paper": PAPER}


def get_profile(name: str, mnist: str = "reduced") -> Profile:
    """Return the profile called `name` (``"fast"`` or ``"paper"``), with MNIST size `mnist` (paper profile only).

    Raises
    ------
    ValueError
        If `name` is not a known profile, or `mnist` is not one of :data:`MNIST_SIZES` (or is ``"full"`` for fast).
    """
    try:
        profile = PROFILES[name]
    except (KeyError, TypeError):
        raise ValueError(f"profile must be one of {sorted(PROFILES)}, got {name!r}") from None
    return profile if mnist == profile.mnist else Profile(profile.name, mnist=mnist)
