"""The slope of f(x) = e²·sin(x), and derivatives taken numerically.

Pure math: numpy only. The notebooks plot what these functions return.
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from .validate import finite, positive

E2 = float(np.exp(2.0))  # e², the factor in the article's f(x) = e²·sin(x)


def f(x):
    """The article's function f(x) = e²·sin(x)."""
    return E2 * np.sin(finite("x", x))


def df(x):
    """Its exact derivative f'(x) = e²·cos(x): the slope at x."""
    return E2 * np.cos(finite("x", x))


def forward_difference(func: Callable, x, h: float):
    """Slope of the secant over [x, x+h]: (f(x+h) − f(x)) / h. Error shrinks like h."""
    h = positive("h", h)
    x = finite("x", x)
    return (func(x + h) - func(x)) / h


def central_difference(func: Callable, x, h: float):
    """Slope of the secant over [x−h, x+h]: (f(x+h) − f(x−h)) / 2h. Error shrinks like h²."""
    h = positive("h", h)
    x = finite("x", x)
    return (func(x + h) - func(x - h)) / (2 * h)


def step_table(func: Callable, dfunc: Callable, x0: float, steps) -> np.ndarray:
    """Rows (h, Δf, Δf/h, f'(x0)·h) for each step h: how far f moves when x moves by h.

    The ratio Δf/h approaches the slope f'(x0): the slope is the factor by which a small
    change in x is magnified (or shrunk) in f.
    """
    x0 = float(finite("x0", x0))
    hs = np.atleast_1d(np.asarray(steps, dtype=float))
    for h in hs:
        positive("each step h", h)
    delta = func(x0 + hs) - func(x0)
    return np.column_stack([hs, delta, delta / hs, dfunc(x0) * hs])


def difference_errors(func: Callable, dfunc: Callable, x0: float, hs) -> tuple[np.ndarray, np.ndarray]:
    """Absolute errors of the forward and central differences at x0 for each step in `hs`."""
    hs = np.asarray(hs, dtype=float)
    exact = dfunc(x0)
    fwd = np.array([abs(forward_difference(func, x0, h) - exact) for h in hs])
    cen = np.array([abs(central_difference(func, x0, h) - exact) for h in hs])
    return fwd, cen


def loglog_slope(h, err) -> float:
    """Least-squares slope of log(err) against log(h): the order p in err ≈ C·hᵖ."""
    h = np.asarray(h, dtype=float)
    err = np.asarray(err, dtype=float)
    return float(np.polyfit(np.log(h), np.log(err), 1)[0])
