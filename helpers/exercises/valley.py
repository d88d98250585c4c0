"""Graders of notebooks 04 (the dark valley) and 05 (choosing the learning rate).

Coding exercises: `descend_until` (descent in any dimension with a stopping tolerance),
`steps_needed` (how many steps |1 − αL| needs to reach a tolerance) and `rate_limits` (the best
single rate and the edge of divergence from a Hessian's eigenvalues). Predict-then-check
exercises: the article's plus sign repeated, and the regime and step count at α = 0.9 on L = 2.
Their answers are computed here, so that no notebook cell shows them.
"""
from __future__ import annotations

import math

import numpy as np

from helpers.checks import Feedback, check, check_choice
from helpers.exercises import register
from helpers.exercises.core import Case, Mistake, check_function

# ---------------------------------------------------------------- gradients the cases use


def grad_square(x):
    """Gradient of f(x) = x²."""
    return 2 * x


def grad_round(x):
    """Gradient of the round bowl f(x) = ½·|x|²."""
    return 1.0 * x


_ZIGZAG = np.array([1.0, 10.0])


def grad_zigzag(x):
    """Gradient of notebook 05's zig-zag valley f = ½(x₁² + 10·x₂²)."""
    return _ZIGZAG * x


# ---------------------------------------------------------------- 04: descent until the gradient is small


def _until(grad, x0, lr, tol, max_steps, *, size=np.linalg.norm, sign=-1.0, test_first=True, extra=0):
    """Reference for `descend_until`, and (with one argument changed) each of its mistakes."""
    x, k = np.asarray(x0, dtype=float), 0
    if not test_first:  # the mistake of testing only after a step: always at least one step
        x, k = x + sign * lr * grad(x), 1
    while k < max_steps and size(grad(x)) > tol:
        x = x + sign * lr * grad(x)
        k += 1
    return x, k + extra


_UNTIL_INPUTS = [
    ((grad_square, 3.0, 0.1, 1e-3, 100), "grad(x) = 2x, x0 = 3.0, lr = 0.1, tol = 1e-3, max_steps = 100"),
    ((grad_square, 1e-4, 0.1, 1e-3, 100),
     "grad(x) = 2x, x0 = 1e-4 (already flat enough), lr = 0.1, tol = 1e-3, max_steps = 100"),
    ((grad_square, -2.0, 0.3, 1e-6, 100), "grad(x) = 2x, x0 = -2.0, lr = 0.3, tol = 1e-6, max_steps = 100"),
    ((grad_square, 1.0, 0.9, 1e-6, 200),
     "grad(x) = 2x, x0 = 1.0, lr = 0.9 (oscillates), tol = 1e-6, max_steps = 200"),
    ((grad_square, 1.0, 0.01, 1e-12, 5),
     "grad(x) = 2x, x0 = 1.0, lr = 0.01, tol = 1e-12, max_steps = 5 (runs out of steps)"),
    ((grad_round, np.array([3.0, 4.0]), 0.5, 0.009, 100),
     "grad(x) = x, x0 = np.array([3.0, 4.0]), lr = 0.5, tol = 0.009, max_steps = 100"),
    ((grad_zigzag, np.array([-4.5, 1.5]), 0.17, 1e-4, 1000),
     "grad(x) = (x₁, 10·x₂), x0 = np.array([-4.5, 1.5]), lr = 0.17, tol = 1e-4, max_steps = 1000"),
]
UNTIL_CASES = [Case(args, _until(*args), label) for args, label in _UNTIL_INPUTS]

UNTIL_MISTAKES = [
    Mistake("a plus sign in the update", lambda *a: _until(*a, sign=+1.0),
            "The gradient points uphill; to go down, subtract it: x = x - lr * grad(x)."),
    Mistake("the test only after a step", lambda *a: _until(*a, test_first=False),
            "Test before you step: if x0 is already flat enough, return (x0, 0) without moving."),
    Mistake("the gradient's sign instead of its size", lambda *a: _until(*a, size=lambda g: g),
            "A negative slope is steep too: compare the length ‖grad(x)‖ (np.linalg.norm, or abs for a "
            "number) with tol."),
    Mistake("the largest entry instead of the length", lambda *a: _until(*a, size=lambda g: np.max(np.abs(g))),
            "Use the gradient's length √(g₁² + g₂² + …), np.linalg.norm(grad(x)), not its largest entry."),
    Mistake("the step count off by one", lambda *a: _until(*a, extra=1),
            "k counts the steps taken: 0 if you never moved, and it goes up by one with each update."),
]


@register("valley.descend_until",
          "descend_until(grad, x0, lr, tol, max_steps): (x_k, k), the first iterate whose gradient has length <= tol")
def grade_descend_until(answer) -> Feedback:
    return check_function(answer, UNTIL_CASES, mistakes=UNTIL_MISTAKES, output_names=("x", "k"),
                          hint="Start with x = x0, k = 0; while k < max_steps and np.linalg.norm(grad(x)) > tol: "
                               "x = x - lr * grad(x); k += 1. Return (x, k).")


@register("valley.plus_sign_ten_steps",
          "predict x after ten steps of the article's plus update on f = ½·2·x² from 3 with α = 0.1")
def grade_plus_sign(answer) -> Feedback:
    if answer is not ... and answer is not None and np.ndim(answer) == 0:
        try:
            if math.isclose(float(answer), 3 * 0.8**10, rel_tol=1e-3):
                return Feedback("wrong", "That is the minus update, which goes down. The article's plus "
                                         "multiplies x by 1 + αL every step.", mistake="the minus update")
        except (TypeError, ValueError):
            pass
    return check(answer, 3 * (1 + 0.1 * 2.0) ** 10,
                 hint="With the plus sign x ← x + α·L·x = (1 + αL)·x: ten steps multiply x₀ by (1 + αL)¹⁰.")


# ---------------------------------------------------------------- 05: steps to a tolerance


def _steps(lr, L, x0, tol, *, signed=False, extra=0):
    """Reference for `steps_needed` (a loop on |x|), or its mistakes."""
    x, k, factor = (x0 if signed else abs(x0)), 0, 1 - lr * L
    while x > tol:
        x *= factor if signed else abs(factor)
        k += 1
    return k + extra


def _steps_rounded_down(lr, L, x0, tol):
    return math.floor(math.log(tol / abs(x0)) / math.log(abs(1 - lr * L)))


_STEPS_INPUTS = [
    ((0.1, 2.0, 3.0, 0.01), "lr = 0.1, L = 2, x0 = 3, tol = 0.01"),
    ((0.8, 2.0, 3.0, 1e-6), "lr = 0.8, L = 2, x0 = 3, tol = 1e-6 (oscillates)"),
    ((0.5, 2.0, 3.0, 1e-6), "lr = 0.5 = 1/L, L = 2, x0 = 3, tol = 1e-6"),
    ((0.1, 2.0, 0.005, 0.01), "lr = 0.1, L = 2, x0 = 0.005 (already close enough), tol = 0.01"),
    ((0.05, 4.0, -2.0, 1e-3), "lr = 0.05, L = 4, x0 = -2, tol = 1e-3"),
    ((0.01, 1.0, 1.0, 1e-8), "lr = 0.01, L = 1, x0 = 1, tol = 1e-8 (slow)"),
]
STEPS_CASES = [Case(args, _steps(*args), label) for args, label in _STEPS_INPUTS]

STEPS_MISTAKES = [
    Mistake("one step too many", lambda *a: _steps(*a, extra=1),
            "Count the steps taken: 0 when |x0| <= tol already, 1 when one step is enough."),
    Mistake("rounded down", _steps_rounded_down,
            "k must be a whole number of steps with |1 − αL|ᵏ·|x0| <= tol: the smallest such k is the "
            "logarithm's ratio rounded *up* (math.ceil), not down."),
    Mistake("the sign of x instead of its distance", lambda *a: _steps(*a, signed=True),
            "After an overshoot x is negative but still far away: compare |x| (abs) with tol, and "
            "multiply by |1 − αL|."),
]


@register("valley.steps_needed",
          "steps_needed(lr, L, x0, tol): the fewest steps until |x_k| <= tol on f = ½·L·x², for 0 < αL < 2")
def grade_steps_needed(answer) -> Feedback:
    return check_function(answer, STEPS_CASES, mistakes=STEPS_MISTAKES, rtol=0.0, atol=1e-9,
                          hint="|x_k| = |1 − αL|ᵏ·|x0|: multiply |x| by |1 − αL| until it is <= tol, counting steps.")


# ---------------------------------------------------------------- 05: the rates a Hessian allows


def _limits(H, *, curvatures=np.linalg.eigvalsh, edge=lambda lo, hi: 2 / hi, best=lambda lo, hi: 2 / (lo + hi)):
    lams = curvatures(np.asarray(H, dtype=float))
    lo, hi = float(np.min(lams)), float(np.max(lams))
    return best(lo, hi), edge(lo, hi)


_LIMIT_INPUTS = [
    (np.diag([1.0, 10.0]), "H = [[1, 0], [0, 10]] (the zig-zag valley)"),
    (np.array([[5.5, -4.5], [-4.5, 5.5]]), "H = [[5.5, -4.5], [-4.5, 5.5]] (the same valley, turned 45°)"),
    (np.array([[4.0, 2.0], [2.0, 3.0]]), "H = [[4, 2], [2, 3]]"),
    (np.array([[2.0, 0.0, 0.0], [0.0, 5.0, 1.0], [0.0, 1.0, 5.0]]), "H = [[2, 0, 0], [0, 5, 1], [0, 1, 5]] (3-D)"),
    (np.array([[4.0]]), "H = [[4]] (1-D)"),
]
LIMIT_CASES = [Case((H,), _limits(H), label) for H, label in _LIMIT_INPUTS]

LIMIT_MISTAKES = [
    Mistake("the diagonal entries instead of the eigenvalues", lambda H: _limits(H, curvatures=np.diag),
            "A tilted valley's curvatures are the eigenvalues of H (np.linalg.eigvalsh(H)); its diagonal "
            "entries are only the curvatures along the axes."),
    Mistake("the edge from the smallest curvature", lambda H: _limits(H, edge=lambda lo, hi: 2 / lo),
            "The steepest direction breaks first: the edge is 2/λ_max."),
    Mistake("1/λ_max as the edge", lambda H: _limits(H, edge=lambda lo, hi: 1 / hi),
            "At 1/λ one step lands on the bottom of that direction; divergence starts at 2/λ_max."),
    Mistake("1/λ_max as the best single rate", lambda H: _limits(H, best=lambda lo, hi: 1 / hi),
            "With two curvatures one α must serve both: the best balances |1 − αλ_min| = |1 − αλ_max|, "
            "α = 2/(λ_min + λ_max)."),
]


@register("valley.rate_limits",
          "rate_limits(H): (best, edge) = (2/(λ_min + λ_max), 2/λ_max) from a Hessian's eigenvalues")
def grade_rate_limits(answer) -> Feedback:
    return check_function(answer, LIMIT_CASES, mistakes=LIMIT_MISTAKES, output_names=("best", "edge"),
                          hint="lams = np.linalg.eigvalsh(H); best = 2/(lams.min() + lams.max()); edge = 2/lams.max().")


# ---------------------------------------------------------------- 05: predict, then check (α = 0.9, L = 2)

REGIME_WORDS = ("slow", "fast", "oscillating", "divergence")


@register("valley.predict_alpha_0.9",
          'predict (regime, steps) for α = 0.9 on L = 2 from x0 = 1: "slow"/"fast"/"oscillating"/"divergence", '
          "and the steps until |x| <= 1e-6")
def grade_predict_alpha(answer) -> Feedback:
    if not isinstance(answer, tuple) or len(answer) != 2:
        return Feedback("wrong", "Answer with a pair (regime, steps), e.g. (\"fast\", 10).")
    regime, steps = answer
    if regime is ... or steps is ... or regime is None or steps is None:
        return Feedback("unanswered", "Replace both ... with your predictions and run the cell again.")
    word = str(regime).strip().lower().removesuffix(" convergence")
    if word not in REGIME_WORDS:
        return Feedback("wrong", f"The regime should be one of {', '.join(repr(w) for w in REGIME_WORDS)}, "
                                 f"got {regime!r}.")
    verdict = check_choice(word, "oscillating",
                           hint="Regime: compute 1 − αL; its sign says whether x changes side, its size whether it shrinks.")
    if not verdict.correct:
        return verdict
    expected = _steps(0.9, 2.0, 1.0, 1e-6)
    if isinstance(steps, (int, float, np.number)) and not isinstance(steps, bool) and steps == expected - 1:
        return Feedback("wrong", "The regime is right. Steps: close, but after that many steps |x| is still just "
                                 "above 1e-6. Round up.", mistake="rounded down")
    verdict = check(steps, expected, rtol=0.0, atol=1e-9,
                    hint="The regime is right. Steps: |x_k| = |1 − αL|ᵏ, so find the smallest whole k with "
                         "|1 − 0.9·2|ᵏ <= 1e-6.")
    return Feedback("right", "Both right: it oscillates, and converges.") if verdict.correct else verdict
