"""Grader for notebook 01's central difference (contract id "slope.central_difference")."""
from __future__ import annotations

import math

from helpers.checks import Feedback
from helpers.exercises import register
from helpers.exercises.core import Case, Mistake, check_function


def _cube(x):
    return x ** 3


def _course_f(x):
    return math.exp(2) * math.sin(x)


def _central(f, x, h):
    return (f(x + h) - f(x - h)) / (2 * h)


_INPUTS = [
    ((math.sin, 1.0, 1e-3), "f = math.sin, x = 1.0, h = 0.001"),
    ((_cube, 2.0, 0.5), "f(x) = x³, x = 2.0, h = 0.5"),
    ((_course_f, 0.0, 0.01), "f(x) = e²·sin x, x = 0.0, h = 0.01"),
    ((_cube, -1.5, 0.25), "f(x) = x³, x = -1.5, h = 0.25"),
]
CASES = [Case(args, _central(*args), label) for args, label in _INPUTS]

MISTAKES = [
    Mistake("a forward difference", lambda f, x, h: (f(x + h) - f(x)) / h,
            "The central difference looks both ways: (f(x + h) − f(x − h)) / (2h)."),
    Mistake("a backward difference", lambda f, x, h: (f(x) - f(x - h)) / h,
            "The central difference looks both ways: (f(x + h) − f(x − h)) / (2h)."),
    Mistake("dividing by h instead of 2h", lambda f, x, h: (f(x + h) - f(x - h)) / h,
            "The two points x − h and x + h are 2h apart, so divide by 2h."),
    Mistake("multiplying by h instead of dividing by 2h (missing brackets)",
            lambda f, x, h: (f(x + h) - f(x - h)) / 2 * h,
            "a / 2 * h means (a / 2) · h in Python; write a / (2 * h)."),
]


@register("slope.central_difference", "central_difference(f, x, h): the central difference (f(x+h) − f(x−h)) / 2h")
def grade_central_difference(answer) -> Feedback:
    return check_function(answer, CASES, mistakes=MISTAKES, rtol=1e-9, atol=1e-12,
                          hint="Compute (f(x + h) - f(x - h)) / (2 * h) and return it.")
