"""Argument checks shared by the helpers: a bad argument is a ValueError that says what was wrong."""
from __future__ import annotations

import math

import numpy as np


def finite(name: str, value) -> np.ndarray:
    """Return `value` as a float array, or raise ValueError if any entry is NaN or infinite."""
    arr = np.asarray(value, dtype=float)
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite, got {value!r}")
    return arr


def positive(name: str, value) -> float:
    """Return `value` as a float, or raise ValueError unless it is a finite number > 0."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a positive number, got {value!r}") from None
    if not math.isfinite(v) or v <= 0:
        raise ValueError(f"{name} must be a finite number > 0, got {value!r}")
    return v


def whole(name: str, value, low: int) -> int:
    """Return `value` as an int, or raise ValueError unless it is a whole number >= low."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
        raise ValueError(f"{name} must be a whole number >= {low}, got {value!r}")
    return int(value)
