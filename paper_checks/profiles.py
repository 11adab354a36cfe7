"""Run profiles: ``fast`` (default; CI-sized) and ``paper`` (the paper's sizes).

The profile is one frozen dataclass (docs/design.md#profiles). Experiments do not read sizes from the environment; each
experiment's configuration is built from a profile with :meth:`Profile.pick`, e.g.
``n_seeds = profile.pick(fast=8, paper=50)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, TypeVar

__all__ = ["FAST", "PAPER", "PROFILES", "Profile", "get_profile"]

T = TypeVar("T")


@dataclass(frozen=True)
class Profile:
    """A named run size.

    Attributes
    ----------
    name : {"fast", "paper"}
        ``"fast"``: fewer seeds/epochs, chosen so that each claim still holds with a stated margin
        (the whole ``pytest paper_checks`` in about 10 minutes on 2 cores). ``"paper"``: the paper's sizes.
    """

    name: Literal["fast", "paper"]

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
PROFILES: dict[str, Profile] = {"fast": FAST, "paper": PAPER}


def get_profile(name: str) -> Profile:
    """Return the profile called `name` (``"fast"`` or ``"paper"``).

    Raises
    ------
    ValueError
        If `name` is not a known profile.
    """
    try:
        return PROFILES[name]
    except (KeyError, TypeError):
        raise ValueError(f"profile must be one of {sorted(PROFILES)}, got {name!r}") from None
