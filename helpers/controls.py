"""What a figure's controls are, as plain data: ranges and defaults, no widgets.

A scene declares its controls with these; `live.LiveFigure` turns them into sliders, and the
tests and benchmark read the same ranges to sweep every setting a learner can reach.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np


@dataclass(frozen=True)
class Slider:
    """A number in [min, max]; `log=True` spaces it geometrically (for learning rates)."""

    min: float
    max: float
    value: float
    step: float | None = None
    log: bool = False
    integer: bool = False
    label: str = ""
    play: bool = False  # add a play button that steps the slider (an integer slider)

    def __post_init__(self):
        if not self.min < self.max:
            raise ValueError(f"Slider min must be < max, got {self.min} and {self.max}")
        if not self.min <= self.value <= self.max:
            raise ValueError(f"Slider value {self.value} is outside [{self.min}, {self.max}]")
        if self.log and self.min <= 0:
            raise ValueError(f"a log slider needs min > 0, got {self.min}")

    def grid(self, n: int) -> list:
        """n values spread across the range, ends included (what a sweep of the slider visits)."""
        if self.integer:
            return sorted({int(round(v)) for v in np.linspace(self.min, self.max, n)})
        if self.log:
            return list(np.geomspace(self.min, self.max, n))
        return list(np.linspace(self.min, self.max, n))


@dataclass(frozen=True)
class Choice:
    """One of a few named options."""

    options: Sequence[Any]
    value: Any
    label: str = ""

    def __post_init__(self):
        if self.value not in self.options:
            raise ValueError(f"Choice value {self.value!r} is not one of {list(self.options)!r}")

    def grid(self, n: int) -> list:
        return list(self.options)


@dataclass(frozen=True)
class Toggle:
    """On or off."""

    value: bool
    label: str = ""

    def grid(self, n: int) -> list:
        return [False, True]


Control = Slider | Choice | Toggle
