"""Graders for notebook 03, the chain rule: the derivative of a composition, one sigmoid neuron's
gradient, and the two paths of z = x·y + x² ("chain.composition", "chain.neuron_gradient",
"chain.paths")."""
from __future__ import annotations

import math

from helpers.checks import Feedback, check
from helpers.exercises import register
from helpers.exercises.core import Case, Mistake, check_function


def _sigmoid(s):
    return 1.0 / (1.0 + math.exp(-s))


def _dsigmoid(s):
    return _sigmoid(s) * (1.0 - _sigmoid(s))


def _square(x):
    return x * x


def _double(x):
    return 2 * x


def _cube(x):
    return x ** 3


def _three_x2(x):
    return 3 * x ** 2


def _affine(x):
    return 2 * x + 1


def _two(x):
    return 2.0


def _lin(x):
    return 3 * x - 1


def _three(x):
    return 3.0


# ---- "chain.composition": chain_derivative(f, df, g, dg, x) = f'(g(x))·g'(x) ----------------------

_COMP = [
    ((math.sin, math.cos, _square, _double, 1.5), "f = sin, df = cos, g(x) = x², dg(x) = 2x, x = 1.5"),
    ((math.exp, math.exp, math.sin, math.cos, 0.7), "f = exp, df = exp, g = sin, dg = cos, x = 0.7"),
    ((_cube, _three_x2, _affine, _two, -1.5), "f(u) = u³, df(u) = 3u², g(x) = 2x + 1, dg(x) = 2, x = -1.5"),
    ((_sigmoid, _dsigmoid, _lin, _three, 0.5), "f = σ (sigmoid), df = σ', g(x) = 3x − 1, dg(x) = 3, x = 0.5"),
]
COMPOSITION_CASES = [Case(a, a[1](a[2](a[4])) * a[3](a[4]), label) for a, label in _COMP]

COMPOSITION_MISTAKES = [
    Mistake("the outer derivative taken at x instead of at g(x)", lambda f, df, g, dg, x: df(x) * dg(x),
            "The outer function is fed g(x), so its slope is taken there: df(g(x))."),
    Mistake("the inner derivative g'(x) missing", lambda f, df, g, dg, x: df(g(x)),
            "The chain rule multiplies both slopes: df(g(x)) * dg(x)."),
    Mistake("the composition taken the other way round, g(f(x))", lambda f, df, g, dg, x: dg(f(x)) * df(x),
            "f(g(x)) applies g first, then f: the outer slope is df at g(x), times dg at x."),
    Mistake("f itself used instead of its derivative", lambda f, df, g, dg, x: f(g(x)) * dg(x),
            "Multiply slopes, not values: df(g(x)) * dg(x)."),
]


@register("chain.composition", "chain_derivative(f, df, g, dg, x): the derivative of f(g(x)), f'(g(x))·g'(x)")
def grade_composition(answer) -> Feedback:
    return check_function(answer, COMPOSITION_CASES, mistakes=COMPOSITION_MISTAKES, rtol=1e-9, atol=1e-12,
                          hint="Evaluate the inner function first: u = g(x); return df(u) * dg(x).")


# ---- "chain.neuron_gradient": neuron_gradient(w, b, x, t) -> (dE/dw, dE/db) ----------------------

def _neuron(w, b, x, t, *, deriv="y", sign=1.0, x_in_w=True, x_in_b=False):
    s = w * x + b
    y = _sigmoid(s)
    slope = {"y": y * (1 - y), "none": 1.0, "s": s * (1 - s)}[deriv]
    delta = sign * (y - t) * slope
    return (delta * x if x_in_w else delta, delta * x if x_in_b else delta)


_NEURON = [
    ((0.5, 0.1, 1.5, 1.0), "w = 0.5, b = 0.1, x = 1.5, t = 1.0"),
    ((-1.2, 0.4, 2.0, 0.0), "w = -1.2, b = 0.4, x = 2.0, t = 0.0"),
    ((2.0, -1.0, -0.5, 0.3), "w = 2.0, b = -1.0, x = -0.5, t = 0.3"),
    ((0.0, 0.0, 1.0, 1.0), "w = 0.0, b = 0.0, x = 1.0, t = 1.0"),
]
NEURON_CASES = [Case(a, _neuron(*a), label) for a, label in _NEURON]

NEURON_MISTAKES = [
    Mistake("the sigmoid's derivative y·(1 − y) missing", lambda *a: _neuron(*a, deriv="none"),
            "Between s and y sits the sigmoid: its local derivative is σ'(s) = y·(1 − y)."),
    Mistake("σ'(s) written as s·(1 − s) instead of y·(1 − y)", lambda *a: _neuron(*a, deriv="s"),
            "σ'(s) = σ(s)·(1 − σ(s)) = y·(1 − y): use the sigmoid's output, not its input."),
    Mistake("the sign flipped (t − y instead of y − t)", lambda *a: _neuron(*a, sign=-1.0),
            "dE/dy for E = ½(t − y)² is −(t − y) = y − t."),
    Mistake("the factor x missing from dE/dw", lambda *a: _neuron(*a, x_in_w=False),
            "s = w·x + b, so ds/dw = x: multiply by x for dE/dw."),
    Mistake("a factor x in dE/db", lambda *a: _neuron(*a, x_in_b=True),
            "s = w·x + b, so ds/db = 1: dE/db has no factor x."),
    Mistake("the two results swapped", lambda *a: _neuron(*a)[::-1], "Return (dE/dw, dE/db) in that order."),
]


@register("chain.neuron_gradient", "neuron_gradient(w, b, x, t) -> (dE/dw, dE/db) for y = σ(w·x + b), E = ½(t − y)²")
def grade_neuron_gradient(answer) -> Feedback:
    return check_function(answer, NEURON_CASES, mistakes=NEURON_MISTAKES, output_names=("dE_dw", "dE_db"),
                          rtol=1e-9, atol=1e-12,
                          hint="Forward: s = w*x + b, y = σ(s). Backward: multiply dE/dy = y − t, dy/ds = y(1 − y), "
                               "and ds/dw = x (or ds/db = 1).")


# ---- "chain.paths": a predict-then-check pair ---------------------------------------------------

@register("chain.paths", "at (x, y) = (2, −1): the contributions to ∂z/∂x of the paths through a = x·y and b = x²")
def grade_paths(answer) -> Feedback:
    x, y = 2.0, -1.0
    return check(answer, (y * 1.0, 2 * x * 1.0), rtol=0.0, atol=1e-3,
                 hint="Along each path multiply the local derivatives: through a, ∂a/∂x·∂z/∂a = y·1; "
                      "through b, ∂b/∂x·∂z/∂b = 2x·1.")
