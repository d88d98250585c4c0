"""Notebook 14's second coding exercise: Adam's loop ("momentum.adam").

`adam_steps(grad, x0, lr, steps)` with β₁ = 0.9, β₂ = 0.999, ε = 1e-8: from m = v = 0, for
t = 1 … steps: g = grad(x), m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g², m̂ = m/(1 − β₁ᵗ),
v̂ = v/(1 − β₂ᵗ), x ← x − lr·m̂/(√v̂ + ε); returns the iterates x0, x1, …, x_steps.
"""
from __future__ import annotations

import numpy as np

from helpers.checks import Feedback
from helpers.exercises import register
from helpers.exercises.core import Case, Mistake, check_function
from helpers.exercises.descent import grad_quadratic, grad_sin, grad_square

B1, B2, EPS = 0.9, 0.999, 1e-8


def _adam(grad, x0, lr, steps, *, sign=-1.0, correct=True, root=True, raw_gradient=False):
    """The reference loop, or one with a catalogued mistake switched on."""
    xs, x, m, v = [x0], x0, 0.0, 0.0
    for t in range(1, steps + 1):
        g = grad(x)
        m = B1 * m + (1 - B1) * g
        v = B2 * v + (1 - B2) * g * g
        m_hat, v_hat = (m / (1 - B1**t), v / (1 - B2**t)) if correct else (m, v)
        top = g if raw_gradient else m_hat
        x = x + sign * lr * top / ((np.sqrt(v_hat) if root else v_hat) + EPS)
        xs.append(x)
    return xs


def grad_steep(x):
    """Gradient of f(x) = 5000·x²: a gradient ten thousand times larger than that of x²."""
    return 1e4 * x


_INPUTS = [
    ((grad_square, 1.0, 0.1, 5), "grad(x) = 2x, x0 = 1.0, lr = 0.1, steps = 5"),
    ((grad_steep, 1.0, 0.1, 3), "grad(x) = 10000·x, x0 = 1.0, lr = 0.1, steps = 3 (a huge gradient)"),
    ((grad_sin, 0.5, 0.2, 4), "grad(x) = cos x, x0 = 0.5, lr = 0.2, steps = 4"),
    ((grad_square, 2.0, 0.1, 0), "grad(x) = 2x, x0 = 2.0, lr = 0.1, steps = 0"),
    ((grad_quadratic, np.array([1.0, -2.0]), 0.05, 6),
     "grad(x) = A @ x with A = [[3, 1], [1, 2]], x0 = np.array([1.0, -2.0]), lr = 0.05, steps = 6"),
]
CASES = [Case(args, np.array(_adam(*args), dtype=float), label) for args, label in _INPUTS]

MISTAKES = [
    Mistake("no bias correction", lambda *a: _adam(*a, correct=False),
            "m and v start at 0, so early on they are too small: divide by (1 − β₁ᵗ) and (1 − β₂ᵗ), "
            "with t counted from 1."),
    Mistake("a plus sign in the update of x", lambda *a: _adam(*a, sign=+1.0),
            "m̂ points uphill like the gradient: x = x - lr * m_hat / (np.sqrt(v_hat) + eps)."),
    Mistake("dividing by v̂ instead of its square root", lambda *a: _adam(*a, root=False),
            "v̂ is a mean of squared gradients; its square root is their typical size: np.sqrt(v_hat) + eps."),
    Mistake("the raw gradient on top instead of m̂ (that is RMSProp)", lambda *a: _adam(*a, raw_gradient=True),
            "Adam steps along the running mean m̂, not along the latest gradient g."),
    Mistake("x0 missing from the list", lambda g, x0, lr, s: _adam(g, x0, lr, s)[1:],
            "Start the list with x0 itself: steps = 5 gives 6 iterates."),
    Mistake("one iterate too many", lambda g, x0, lr, s: _adam(g, x0, lr, s + 1),
            "Take exactly `steps` steps: steps + 1 iterates, x0 first."),
]


@register("momentum.adam", "adam_steps(grad, x0, lr, steps): Adam's iterates (β₁ = 0.9, β₂ = 0.999, ε = 1e-8, "
                           "bias-corrected), x0 first")
def grade_adam(answer) -> Feedback:
    return check_function(answer, CASES, mistakes=MISTAKES,
                          hint="Start with m = v = 0 and xs = [x0]; for t = 1 … steps: g = grad(x); "
                               "m = 0.9*m + 0.1*g; v = 0.999*v + 0.001*g*g; m_hat = m/(1 - 0.9**t); "
                               "v_hat = v/(1 - 0.999**t); x = x - lr*m_hat/(np.sqrt(v_hat) + 1e-8); append x.")
