"""Grader for notebook 01's second coding exercise: find where a curve is flat ("slope.flat_point").

The learner estimates the slope by a central difference and bisects on its sign, so the only
thing they need is f's values: the same idea gradient descent uses ("where is the slope zero?").
"""
from __future__ import annotations

import math

from helpers.checks import Feedback
from helpers.exercises import register
from helpers.exercises.core import Case, Mistake, check_function

H = 1e-6          # the central difference's step the exercise asks for
HALVINGS = 60     # how often the exercise asks to halve [a, b]


def _slope(f, x):
    return (f(x + H) - f(x - H)) / (2 * H)


def _bisect(f, a, b, test, halvings=HALVINGS, wrong_half=False):
    """Bisection on the sign of `test` (the slope, or f itself for a mistake)."""
    for _ in range(halvings):
        m = (a + b) / 2
        change_in_left = test(f, a) * test(f, m) <= 0
        if change_in_left != wrong_half:
            b = m
        else:
            a = m
    return (a + b) / 2


def _cubic(x):
    return x ** 3 - x


def _course_f(x):
    return math.exp(2) * math.sin(x)


def _bowl(x):
    return (x - 3) ** 2


def _cap(x):
    return -(x + 1) ** 2 + 2


# Expected values are the exact flat points (not the bisection's own output): f' = 3x² − 1 = 0 at
# 1/√3, e²·cos x = 0 at π/2 and 3π/2, 2(x − 3) = 0 at 3, −2(x + 1) = 0 at −1.
CASES = [
    Case((_cubic, 0.2, 2.0), 1 / math.sqrt(3), "f(x) = x³ − x, a = 0.2, b = 2.0"),
    Case((_course_f, 1.0, 2.0), math.pi / 2, "f(x) = e²·sin x, a = 1.0, b = 2.0 (the crest)"),
    Case((_bowl, 0.0, 10.0), 3.0, "f(x) = (x − 3)², a = 0.0, b = 10.0 (a minimum)"),
    Case((_course_f, 4.0, 5.5), 3 * math.pi / 2, "f(x) = e²·sin x, a = 4.0, b = 5.5 (the trough)"),
    Case((_cap, -4.0, 0.5), -1.0, "f(x) = 2 − (x + 1)², a = -4.0, b = 0.5"),
]

MISTAKES = [
    Mistake("bisecting on f instead of on its slope",
            lambda f, a, b: _bisect(f, a, b, lambda g, x: g(x)),
            "That finds where f itself is zero. Test the sign of the slope, "
            "(f(x + h) − f(x − h)) / 2h, at a and at the midpoint."),
    Mistake("keeping the wrong half",
            lambda f, a, b: _bisect(f, a, b, _slope, wrong_half=True),
            "Keep the half whose two ends have slopes of opposite sign: if slope(a)·slope(m) ≤ 0, "
            "the flat point lies in [a, m], so set b = m; otherwise set a = m."),
    Mistake("returning the slope there instead of the place",
            lambda f, a, b: _slope(f, _bisect(f, a, b, _slope)),
            "The slope at the flat point is about 0; return x, the midpoint of the final interval."),
    Mistake("too few halvings (10)",
            lambda f, a, b: _bisect(f, a, b, _slope, halvings=10),
            "Each halving only halves the interval: after k of them it is (b − a)/2ᵏ wide. Halve 60 times."),
]


@register("slope.flat_point",
          "flat_point(f, a, b): where f's slope (a central difference) is zero in [a, b], by 60 bisections")
def grade_flat_point(answer) -> Feedback:
    return check_function(answer, CASES, mistakes=MISTAKES, rtol=0.0, atol=1e-5,
                          hint="Estimate slope(x) = (f(x + 1e-6) − f(x − 1e-6)) / 2e-6; repeat 60 times: "
                               "m = (a + b)/2, keep [a, m] if slope(a)·slope(m) ≤ 0, else [m, b]; "
                               "return (a + b)/2.")
