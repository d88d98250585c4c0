"""Grader for the gradient-descent loop (contract id "descent.descend")."""
from __future__ import annotations

import math

import numpy as np

from helpers.checks import Feedback
from helpers.exercises import register
from helpers.exercises.core import Case, Mistake, check_function

_A = np.array([[3.0, 1.0], [1.0, 2.0]])


def grad_square(x):
    """Gradient of f(x) = x²."""
    return 2 * x


def grad_sin(x):
    """Gradient of f(x) = sin x."""
    return math.cos(x)


def grad_quadratic(x):
    """Gradient of f(x) = ½ xᵀAx with A = [[3, 1], [1, 2]]."""
    return _A @ x


def _descend(grad, x0, lr, steps, sign=-1.0):
    xs, x = [x0], x0
    for _ in range(steps):
        x = x + sign * lr * grad(x)
        xs.append(x)
    return xs


def _in_place(grad, x0, lr, steps):
    x = np.array(x0, dtype=float)
    xs = [x]
    for _ in range(steps):
        x -= lr * grad(x)
        xs.append(x)
    return xs


_INPUTS = [
    ((grad_square, 1.0, 0.1, 3), "grad(x) = 2x, x0 = 1.0, lr = 0.1, steps = 3"),
    ((grad_square, 1.0, 1.1, 3), "grad(x) = 2x, x0 = 1.0, lr = 1.1, steps = 3 (overshoots)"),
    ((grad_sin, 0.5, 0.5, 4), "grad(x) = cos x, x0 = 0.5, lr = 0.5, steps = 4"),
    ((grad_square, 2.5, 0.1, 0), "grad(x) = 2x, x0 = 2.5, lr = 0.1, steps = 0"),
    ((grad_quadratic, np.array([1.0, -2.0]), 0.2, 4),
     "grad(x) = A @ x with A = [[3, 1], [1, 2]], x0 = np.array([1.0, -2.0]), lr = 0.2, steps = 4"),
]
CASES = [Case(args, np.array(_descend(*args), dtype=float), label) for args, label in _INPUTS]

MISTAKES = [
    Mistake("a plus sign in the update", lambda g, x0, lr, s: _descend(g, x0, lr, s, sign=+1.0),
            "The gradient points uphill; to go down, subtract it: x = x - lr * grad(x)."),
    Mistake("x0 missing from the list", lambda g, x0, lr, s: _descend(g, x0, lr, s)[1:],
            "Start the list with x0 itself: steps = 3 gives 4 iterates x0, x1, x2, x3."),
    Mistake("one iterate too many", lambda g, x0, lr, s: _descend(g, x0, lr, s + 1),
            "Take exactly `steps` steps: the list has steps + 1 entries, x0 first."),
    Mistake("one step too few", lambda g, x0, lr, s: _descend(g, x0, lr, s - 1) if s > 0 else [],
            "Take exactly `steps` steps: the list has steps + 1 entries, x0 first."),
    Mistake("only the last iterate returned", lambda g, x0, lr, s: _descend(g, x0, lr, s)[-1],
            "Return the whole list of iterates, not just where you ended."),
    Mistake("the array updated in place (x -= ...), so every stored iterate is the same array",
            _in_place,
            "x -= ... changes the array you already stored; write x = x - lr * grad(x), which makes a new one."),
]


@register("descent.descend", "descend(grad, x0, lr, steps): the iterates x0 … x_steps of x ← x − lr·grad(x)")
def grade_descend(answer) -> Feedback:
    return check_function(answer, CASES, mistakes=MISTAKES,
                          hint="Start from xs = [x0]; repeat `steps` times: x = x - lr * grad(x), append x.")
