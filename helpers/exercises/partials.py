"""Grader for notebook 02's gradient of z = x·y + x² (contract id "partials.gradient")."""
from __future__ import annotations

import numpy as np

from helpers.checks import Feedback
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
