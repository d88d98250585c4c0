"""Grader for notebook 02's gradient of z = x·y + x² (contract id "partials.gradient")."""
from __future__ import annotations

import numpy as np

from helpers.checks import Feedback, check
from helpers.exercises import register
from helpers.exercises.core import Case, Mistake, check_function


def _gradient(x, y):
    return (y + 2 * x, x)


_INPUTS = [
    ((3.0, -3.0), "x = 3.0, y = -3.0"),
    ((1.0, 2.0), "x = 1.0, y = 2.0"),
    ((0.0, 0.0), "x = 0.0, y = 0.0"),
    ((-2.0, 0.5), "x = -2.0, y = 0.5"),
    ((np.array([1.0, -1.0, 0.5]), np.array([0.0, 2.0, -4.0])),
     "x = np.array([1.0, -1.0, 0.5]), y = np.array([0.0, 2.0, -4.0]) (arrays, element by element)"),
]
CASES = [Case(args, _gradient(*args), label) for args, label in _INPUTS]

MISTAKES = [
    Mistake("the two partial derivatives swapped", lambda x, y: (x, y + 2 * x),
            "Return (∂z/∂x, ∂z/∂y) in that order: first the x-derivative."),
    Mistake("the derivative of x² taken as x", lambda x, y: (y + x, x),
            "d(x²)/dx = 2x."),
    Mistake("the x² term forgotten in ∂z/∂x", lambda x, y: (y, x),
            "z = x·y + x² has two terms with x in them; differentiate both."),
    Mistake("∂z/∂y taken as y", lambda x, y: (y + 2 * x, y),
            "In x·y, y is multiplied by x: the derivative with respect to y is x."),
    Mistake("∂z/∂y includes the x² term", lambda x, y: (y + 2 * x, x + 2 * x),
            "x² does not change when only y moves, so it contributes nothing to ∂z/∂y."),
]


@register("partials.gradient", "gradient(x, y) -> (∂z/∂x, ∂z/∂y) for z = x·y + x²")
def grade_gradient(answer) -> Feedback:
    return check_function(answer, CASES, mistakes=MISTAKES, output_names=("dz_dx", "dz_dy"),
                          hint="Hold y fixed to get ∂z/∂x, hold x fixed to get ∂z/∂y.")


# ---- "partials.numerical_gradient": numerical_gradient(f, x, y, h) -> (∂f/∂x, ∂f/∂y) -------------

def _sin_y2(x, y):
    return np.sin(x) * y ** 2


def _exp_xy(x, y):
    return np.exp(x * y)


def _cubic(x, y):
    return x ** 3 + x * y ** 2


def _course_z(x, y):
    return x * y + x ** 2


def _numerical(f, x, y, h):
    return ((f(x + h, y) - f(x - h, y)) / (2 * h), (f(x, y + h) - f(x, y - h)) / (2 * h))


_NUM_INPUTS = [
    ((_course_z, 3.0, -3.0, 0.1), "f(x, y) = x·y + x², x = 3.0, y = -3.0, h = 0.1"),
    ((_sin_y2, 0.5, 2.0, 0.1), "f(x, y) = sin(x)·y², x = 0.5, y = 2.0, h = 0.1"),
    ((_exp_xy, 0.3, -0.7, 0.05), "f(x, y) = exp(x·y), x = 0.3, y = -0.7, h = 0.05"),
    ((_cubic, 1.0, -1.0, 0.5), "f(x, y) = x³ + x·y², x = 1.0, y = -1.0, h = 0.5"),
]
NUM_CASES = [Case(args, _numerical(*args), label) for args, label in _NUM_INPUTS]

NUM_MISTAKES = [
    Mistake("a forward difference", lambda f, x, y, h: ((f(x + h, y) - f(x, y)) / h, (f(x, y + h) - f(x, y)) / h),
            "Use the central difference in each variable: (f(x + h, y) − f(x − h, y)) / (2h)."),
    Mistake("both variables moved at once (the other one not held constant)",
            lambda f, x, y, h: ((f(x + h, y + h) - f(x - h, y - h)) / (2 * h),) * 2,
            "For ∂f/∂x move only x: f(x + h, y) and f(x − h, y), with the same y."),
    Mistake("the two partial derivatives swapped", lambda f, x, y, h: _numerical(f, x, y, h)[::-1],
            "Return (∂f/∂x, ∂f/∂y) in that order."),
    Mistake("dividing by h instead of 2h",
            lambda f, x, y, h: tuple(2 * d for d in _numerical(f, x, y, h)),
            "x − h and x + h are 2h apart, so divide by 2h."),
]


@register("partials.numerical_gradient",
          "numerical_gradient(f, x, y, h) -> (∂f/∂x, ∂f/∂y) by central differences, one variable at a time")
def grade_numerical_gradient(answer) -> Feedback:
    return check_function(answer, NUM_CASES, mistakes=NUM_MISTAKES, output_names=("df_dx", "df_dy"),
                          rtol=1e-9, atol=1e-12,
                          hint="Hold y fixed and take the central difference in x; then hold x fixed and do y.")


# ---- "partials.contour_angle": a predict-then-check number ----------------------------------------

@register("partials.contour_angle",
          "the direction θ in (0°, 180°) at (1, 2) along which z = x·y + x² does not change to first order")
def grade_contour_angle(answer) -> Feedback:
    gx, gy = _gradient(1.0, 2.0)
    expected = float(np.degrees(np.arctan2(gx, -gy)))  # u = (−g_y, g_x)/‖g‖ is perpendicular to ∇z
    return check(answer, expected, rtol=0.0, atol=0.1,
                 hint="Along the contour ∇z·u(θ) = 0: the direction u is perpendicular to ∇z(1, 2) = (4, 1). "
                      "Solve 4·cos θ + 1·sin θ = 0 for θ between 0° and 180° (tan θ = −4).")
