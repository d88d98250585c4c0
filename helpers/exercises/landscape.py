"""Graders of notebook 08, beyond the bowl: which basin each start ends in, and how long a
descent takes to leave a saddle."""
from __future__ import annotations

import math

import numpy as np

from helpers.checks import Feedback
from helpers.exercises import register
from helpers.exercises.core import Case, Mistake, check_function


def grad_two_basin(x):
    """Gradient of f(x) = x⁴ − 3x² + x (minima near −1.30, deep, and 1.13, shallow)."""
    return 4 * x**3 - 6 * x + 1


def grad_wavy(x):
    """Gradient of f(x) = sin(3x) + 0.1·x²."""
    return 3 * np.cos(3 * x) + 0.2 * x


TWO_BASIN_MINIMA = np.array([-1.3008395656, 1.1309011224])
WAVY_MINIMA = np.array([-2.5608069381, -0.5122140284, 1.5365898801])


def _final(grad, starts, lr, steps, sign=-1.0):
    x = np.array(starts, dtype=float)
    with np.errstate(all="ignore"):
        for _ in range(steps):
            x = x + sign * lr * grad(x)
    return x


def _nearest(points, minima):
    return np.argmin(np.abs(np.asarray(points, dtype=float)[:, None] - np.asarray(minima)[None, :]), axis=1)


def _labels(grad, starts, lr, steps, minima, sign=-1.0):
    return _nearest(_final(grad, starts, lr, steps, sign), minima)


_BASIN_INPUTS = [
    ((grad_two_basin, np.array([-2.0, -0.5, 0.0, 0.1, 0.3, 2.0]), 0.02, 400, TWO_BASIN_MINIMA),
     "f(x) = x⁴ − 3x² + x, starts [-2, -0.5, 0, 0.1, 0.3, 2], lr = 0.02, steps = 400, minima [-1.30, 1.13]"),
    ((grad_two_basin, np.array([0.5]), 0.02, 400, TWO_BASIN_MINIMA),
     "f(x) = x⁴ − 3x² + x, one start [0.5], lr = 0.02, steps = 400"),
    ((grad_wavy, np.linspace(-3.0, 3.0, 7), 0.05, 300, WAVY_MINIMA),
     "f(x) = sin(3x) + 0.1x², starts np.linspace(-3, 3, 7), lr = 0.05, steps = 300, minima [-2.59, -0.51, 1.53]"),
    ((grad_two_basin, np.array([-2.0, 2.0]), 0.15, 500, TWO_BASIN_MINIMA),
     "f(x) = x⁴ − 3x² + x, starts [-2, 2], lr = 0.15 (large), steps = 500"),
]
BASIN_CASES = [Case(args, _labels(*args), label) for args, label in _BASIN_INPUTS]

BASIN_MISTAKES = [
    Mistake("the minimum nearest to the start, without descending",
            lambda g, s, lr, n, m: _nearest(s, m),
            "A start is not in the basin of the minimum nearest to it: run the descent first, then "
            "look where it ended (from 0.1, the nearer minimum is 1.13, but descent goes to −1.30)."),
    Mistake("where the runs end, not which minimum",
            lambda g, s, lr, n, m: _final(g, s, lr, n),
            "Return the index (0, 1, …) of the minimum each run ends nearest to, not the end point itself."),
    Mistake("the nearest minimum's position, not its index",
            lambda g, s, lr, n, m: np.asarray(m)[_labels(g, s, lr, n, m)],
            "Return the index of the minimum in `minima` (0 for minima[0], …), not its position."),
    Mistake("a plus sign in the update",
            lambda g, s, lr, n, m: _labels(g, s, lr, n, m, sign=+1.0),
            "Descend: x = x - lr * grad(x). With a plus sign every run climbs away."),
]


@register("landscape.basin_labels",
          "basin_labels(grad, starts, lr, steps, minima): for each start, the index of the minimum its descent ends in")
def grade_basin_labels(answer) -> Feedback:
    return check_function(answer, BASIN_CASES, mistakes=BASIN_MISTAKES, rtol=0, atol=0,
                          hint="Run `steps` steps of x = x - lr * grad(x) from all starts at once (numpy arrays "
                               "work elementwise), then take np.argmin of the distance to each minimum.")


def _leave(d, lr, lam, radius, extra=0):
    x, k = d, 0
    while x < radius:
        x = x + lr * lam * x
        k += 1
    return k + extra


def _estimate(d, lr, lam, radius, rounding):
    return max(0, rounding(math.log(radius / d) / (lr * lam)))


_LEAVE_INPUTS = [
    ((1e-3, 0.1, 1.0, 0.5), "d = 1e-3, lr = 0.1, lam = 1, radius = 0.5"),
    ((1e-6, 0.1, 1.0, 0.5), "d = 1e-6, lr = 0.1, lam = 1, radius = 0.5"),
    ((1e-4, 0.05, 2.0, 1.0), "d = 1e-4, lr = 0.05, lam = 2, radius = 1"),
    ((1e-9, 0.5, 1.0, 1.0), "d = 1e-9, lr = 0.5, lam = 1, radius = 1"),
    ((0.5, 0.1, 1.0, 0.5), "d = 0.5, lr = 0.1, lam = 1, radius = 0.5 (already at the radius)"),
    ((0.3, 0.1, 1.0, 0.5), "d = 0.3, lr = 0.1, lam = 1, radius = 0.5"),
]
LEAVE_CASES = [Case(args, _leave(*args), label) for args, label in _LEAVE_INPUTS]

LEAVE_MISTAKES = [
    Mistake("one step too many", lambda d, lr, lam, r: _leave(d, lr, lam, r, 1),
            "Count the steps taken until x ≥ radius; a start already at the radius needs 0."),
    Mistake("one step too few", lambda d, lr, lam, r: max(0, _leave(d, lr, lam, r, -1)),
            "Stop at the first step whose x reaches the radius, and count that step."),
    Mistake("the continuous-time estimate log(radius/d)/(lr·lam), rounded up",
            lambda d, lr, lam, r: _estimate(d, lr, lam, r, math.ceil),
            "log(radius/d)/(α·λ) is the small-step approximation; count the actual steps "
            "x ← x + lr·lam·x (each multiplies x by 1 + α·λ)."),
    Mistake("the continuous-time estimate log(radius/d)/(lr·lam), rounded down",
            lambda d, lr, lam, r: _estimate(d, lr, lam, r, math.floor),
            "log(radius/d)/(α·λ) is the small-step approximation; count the actual steps "
            "x ← x + lr·lam·x (each multiplies x by 1 + α·λ)."),
]


@register("landscape.steps_to_leave",
          "steps_to_leave(d, lr, lam, radius): descent steps from distance d until a saddle of curvature −lam is left")
def grade_steps_to_leave(answer) -> Feedback:
    return check_function(answer, LEAVE_CASES, mistakes=LEAVE_MISTAKES, rtol=0, atol=0,
                          hint="Start at x = d, k = 0; while x < radius: x = x + lr * lam * x (a descent step on "
                               "f = −½·lam·x²), k = k + 1; return k.")
