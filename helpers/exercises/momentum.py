"""Grader for the heavy-ball momentum loop (contract id "momentum.heavy_ball").

`heavy_ball(grad, x0, lr, beta, steps)`: v ← β·v + grad(x), x ← x − lr·v, from v = 0; returns
the iterates x0, x1, …, x_steps.
"""
from __future__ import annotations

import numpy as np

from helpers.checks import Feedback
from helpers.exercises import register
from helpers.exercises.core import Case, Mistake, check_function
from helpers.exercises.descent import grad_quadratic, grad_sin, grad_square


def _heavy_ball(grad, x0, lr, beta, steps, *, sign=-1.0, damp=False, x_first=False):
    xs, x, v = [x0], x0, 0.0 * x0
    for _ in range(steps):
        if x_first:
            x = x + sign * lr * v
            v = beta * v + grad(x)
        else:
            v = beta * v + ((1 - beta) if damp else 1.0) * grad(x)
            x = x + sign * lr * v
        xs.append(x)
    return xs


def _in_place(grad, x0, lr, beta, steps):
    x = np.array(x0, dtype=float)
    v, xs = np.zeros_like(x), [x]
    for _ in range(steps):
        v = beta * v + grad(x)
        x -= lr * v
        xs.append(x)
    return xs


_INPUTS = [
    ((grad_square, 1.0, 0.1, 0.9, 5), "grad(x) = 2x, x0 = 1.0, lr = 0.1, beta = 0.9, steps = 5"),
    ((grad_square, 1.0, 0.1, 0.0, 3), "grad(x) = 2x, x0 = 1.0, lr = 0.1, beta = 0.0, steps = 3 (plain descent)"),
    ((grad_sin, 0.5, 0.3, 0.5, 4), "grad(x) = cos x, x0 = 0.5, lr = 0.3, beta = 0.5, steps = 4"),
    ((grad_square, 2.0, 0.1, 0.9, 0), "grad(x) = 2x, x0 = 2.0, lr = 0.1, beta = 0.9, steps = 0"),
    ((grad_quadratic, np.array([1.0, -2.0]), 0.1, 0.8, 5),
     "grad(x) = A @ x with A = [[3, 1], [1, 2]], x0 = np.array([1.0, -2.0]), lr = 0.1, beta = 0.8, steps = 5"),
]
CASES = [Case(args, np.array(_heavy_ball(*args), dtype=float), label) for args, label in _INPUTS]

MISTAKES = [
    Mistake("a plus sign in the update of x", lambda g, x0, lr, b, s: _heavy_ball(g, x0, lr, b, s, sign=+1.0),
            "The velocity accumulates gradients, which point uphill: x = x - lr * v."),
    Mistake("a dampened velocity v ← β·v + (1 − β)·grad(x)", lambda *a: _heavy_ball(*a, damp=True),
            "This exercise's heavy ball adds the whole gradient: v = beta * v + grad(x) (no 1 − β factor)."),
    Mistake("x moved with the old velocity before v is updated", lambda *a: _heavy_ball(*a, x_first=True),
            "Update v first, then move x with the new v: v = beta * v + grad(x); x = x - lr * v."),
    Mistake("x0 missing from the list", lambda g, x0, lr, b, s: _heavy_ball(g, x0, lr, b, s)[1:],
            "Start the list with x0 itself: steps = 5 gives 6 iterates."),
    Mistake("one iterate too many", lambda g, x0, lr, b, s: _heavy_ball(g, x0, lr, b, s + 1),
            "Take exactly `steps` steps: steps + 1 iterates, x0 first."),
    Mistake("the array updated in place (x -= ...), so every stored iterate is the same array", _in_place,
            "x -= ... changes the array you already stored; write x = x - lr * v."),
]


@register("momentum.heavy_ball", "heavy_ball(grad, x0, lr, beta, steps): iterates of v ← βv + grad(x), x ← x − lr·v")
def grade_heavy_ball(answer) -> Feedback:
    return check_function(answer, CASES, mistakes=MISTAKES,
                          hint="Start with v = 0 and xs = [x0]; each step: v = beta * v + grad(x); x = x - lr * v; append x.")
