"""What a figure's controls are, as plain data: ranges and defaults, no widgets.

A scene declares its controls with these; `live.LiveFigure` turns them into sliders, and the
tests and benchmark read the same ranges to sweep every setting a learner can reach.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np


@dataclass(frozen=True)
class Slider:
    """A number in [min, max]. A linear slider moves in steps of `step` laid through its starting
    value. A log slider (`log=True`, for learning rates) moves through the two-significant-digit
    numbers 1.0, 1.1, …, 9.9 of every decade, so values such as 0.5, 0.17 or 30 lie exactly on
    it; given a `step`, it moves by factors of 10**step through its starting value instead
    (step=log10(2): 1, 2, 4, 8, …)."""

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

    @property
    def step_size(self) -> float:
        """The step of a linear or integer slider (see `options` for a log slider)."""
        if self.step is not None:
            return self.step
        return 1 if self.integer else (self.max - self.min) / 200

    @property
    def bounds(self) -> tuple[float, float]:
        """A linear slider's ends: its step grid passes through the starting value (so a browser
        shows exactly that value) and stays inside [min, max]. The ends are rounded to the
        step's decimals, so a slider from 0 to 1 reads 0 and 1, never −1.1e−16 or 0.9999999999999999."""
        v, s = self.value, self.step_size
        lo = v - math.floor((v - self.min) / s + 1e-9) * s
        hi = v + math.floor((self.max - v) / s + 1e-9) * s
        return _tidy(lo, s), _tidy(hi, s)

    @property
    def options(self) -> tuple[float, ...]:
        """A log slider's positions, smallest first."""
        if self.step is None:
            decades = range(math.floor(math.log10(self.min)), math.floor(math.log10(self.max)) + 1)
            values = (float(f"{m}e{e - 1}") for e in decades for m in range(10, 100))
            return tuple(v for v in values if self.min <= v <= self.max)
        lo, v, hi, s = math.log10(self.min), math.log10(self.value), math.log10(self.max), self.step
        first, last = -math.floor((v - lo) / s + 1e-9), math.floor((hi - v) / s + 1e-9)
        return tuple(float(f"{10 ** (v + k * s):.12g}") for k in range(first, last + 1))

    def snap(self, value: float) -> float:
        """The nearest value the slider can show. A browser snaps a slider to its positions and
        sends that value back, so the kernel should draw the same value."""
        value = min(max(value, self.min), self.max)
        if self.log:
            return min(self.options, key=lambda v: abs(math.log(v / value)))
        lo, hi = self.bounds
        s = self.step_size
        v = min(max(_tidy(lo + round((value - lo) / s) * s, s), lo), hi)
        return int(round(v)) if self.integer else float(v)

    def grid(self, n: int) -> list:
        """n values spread across the range, ends included (what a sweep of the slider visits)."""
        if self.integer:
            return sorted({int(round(v)) for v in np.linspace(self.min, self.max, n)})
        if self.log:
            return list(np.geomspace(self.min, self.max, n))
        return list(np.linspace(self.min, self.max, n))


def _tidy(x: float, step: float) -> float:
    """`x` rounded to a few decimals beyond the step's (float drift off a step grid), never −0."""
    digits = max(0, 10 - math.floor(math.log10(abs(step)))) if step else 12
    return round(x, digits) + 0.0


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


@dataclass(frozen=True)
class Text:
    """A line of text the learner types (a cost to descend, say). `examples` are the texts a
    sweep visits (tests, the benchmark); the widget sends a new value when Enter is pressed or
    the box loses focus, not on every key."""

    value: str
    label: str = ""
    examples: Sequence[str] = ()
    placeholder: str = ""

    def grid(self, n: int) -> list:
        return list(dict.fromkeys([self.value, *self.examples]))


Control = Slider | Choice | Toggle | Text
