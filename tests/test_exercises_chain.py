"""Notebook 02/03's own graders (partials.numerical_gradient, partials.contour_angle,
chain.composition, chain.neuron_gradient, chain.paths): correct solutions written here pass,
each catalogued mistake written here is named with its hint."""
import math

import numpy as np
import pytest

from helpers import exercises
from helpers.exercises import chain, partials


def numerical_gradient(f, x, y, h):
    return np.array([(f(x + h, y) - f(x - h, y)) / (2 * h), (f(x, y + h) - f(x, y - h)) / (2 * h)])


def chain_derivative(f, df, g, dg, x):
    u = g(x)
    return df(u) * dg(x)


def neuron_gradient(w, b, x, t):
    y = 1 / (1 + math.exp(-(w * x + b)))
    delta = (y - t) * y * (1 - y)
    return delta * x, delta


def test_correct_solutions_pass():
    assert exercises.grade("partials.numerical_gradient", numerical_gradient).correct
    assert exercises.grade("chain.composition", chain_derivative).correct
    assert exercises.grade("chain.neuron_gradient", neuron_gradient).correct


def test_neuron_against_a_finite_difference_of_the_error():
    """The grader's expected values agree with a numerical derivative of E itself."""
    for case in chain.NEURON_CASES:
        w, b, x, t = case.args
        E = lambda w, b: 0.5 * (t - 1 / (1 + math.exp(-(w * x + b)))) ** 2
        h = 1e-6
        assert case.expected[0] == pytest.approx((E(w + h, b) - E(w - h, b)) / (2 * h), abs=1e-8)
        assert case.expected[1] == pytest.approx((E(w, b + h) - E(w, b - h)) / (2 * h), abs=1e-8)


def test_composition_expected_values_are_numerical_derivatives():
    for case in chain.COMPOSITION_CASES:
        f, _, g, _, x = case.args
        h = 1e-6
        assert case.expected == pytest.approx((f(g(x + h)) - f(g(x - h))) / (2 * h), rel=1e-6)


def test_numeric_answers():
    # ∇z(1, 2) = (4, 1); the contour direction solves 4 cos θ + sin θ = 0: θ = 180° − atan 4 ≈ 104.04°
    assert exercises.grade("partials.contour_angle", 180 - math.degrees(math.atan(4))).correct
    assert not exercises.grade("partials.contour_angle", math.degrees(math.atan(4))).correct
    assert exercises.grade("chain.paths", (-1, 4)).correct      # (y, 2x) at (2, −1)
    assert not exercises.grade("chain.paths", (4, -1)).correct
    assert exercises.grade("chain.paths", ...).status == "unanswered"


MISTAKES = [
    ("partials.numerical_gradient", lambda f, x, y, h: ((f(x + h, y) - f(x, y)) / h, (f(x, y + h) - f(x, y)) / h),
     "forward difference", "central difference in each variable"),
    ("partials.numerical_gradient",
     lambda f, x, y, h: [(f(x + h, y + h) - f(x - h, y - h)) / (2 * h)] * 2, "not held constant", "move only x"),
    ("partials.numerical_gradient", lambda f, x, y, h: numerical_gradient(f, x, y, h)[::-1], "swapped", "in that order"),
    ("partials.numerical_gradient", lambda f, x, y, h: 2 * numerical_gradient(f, x, y, h), "instead of 2h", "2h apart"),
    ("chain.composition", lambda f, df, g, dg, x: df(x) * dg(x), "at x instead of at g(x)", "df(g(x))"),
    ("chain.composition", lambda f, df, g, dg, x: df(g(x)), "inner derivative", "multiplies both slopes"),
    ("chain.composition", lambda f, df, g, dg, x: df(f(x)) * 0 + dg(f(x)) * df(x), "other way round", "applies g first"),
    ("chain.composition", lambda f, df, g, dg, x: f(g(x)) * dg(x), "instead of its derivative", "not values"),
    ("chain.neuron_gradient", lambda w, b, x, t: ((1 / (1 + math.exp(-(w * x + b))) - t) * x,
                                                  1 / (1 + math.exp(-(w * x + b))) - t),
     "derivative y·(1 − y) missing", "σ'(s) = y·(1 − y)"),
    ("chain.neuron_gradient", lambda w, b, x, t: tuple(-g for g in neuron_gradient(w, b, x, t)), "sign flipped", "y − t"),
    ("chain.neuron_gradient", lambda w, b, x, t: (neuron_gradient(w, b, x, t)[1],) * 2, "factor x missing", "ds/dw = x"),
    ("chain.neuron_gradient", lambda w, b, x, t: (neuron_gradient(w, b, x, t)[0],) * 2, "factor x in dE/db", "ds/db = 1"),
    ("chain.neuron_gradient", lambda w, b, x, t: neuron_gradient(w, b, x, t)[::-1], "swapped", "in that order"),
    ("chain.neuron_gradient", lambda w, b, x, t: _s_instead_of_y(w, b, x, t), "s·(1 − s)", "not its input"),
]


def _s_instead_of_y(w, b, x, t):
    s = w * x + b
    y = 1 / (1 + math.exp(-s))
    d = (y - t) * s * (1 - s)
    return d * x, d


@pytest.mark.parametrize("eid, wrong, mistake, hint", MISTAKES, ids=[f"{m[0]}:{m[2]}" for m in MISTAKES])
def test_each_mistake_is_named(eid, wrong, mistake, hint):
    fb = exercises.grade(eid, wrong)
    assert fb.status == "wrong" and mistake in fb.mistake and hint in fb.message, repr(fb)


def test_every_mistake_here_is_tested():
    catalogued = [("partials.numerical_gradient", m.name) for m in partials.NUM_MISTAKES] + \
                 [("chain.composition", m.name) for m in chain.COMPOSITION_MISTAKES] + \
                 [("chain.neuron_gradient", m.name) for m in chain.NEURON_MISTAKES]
    for eid, name in catalogued:
        assert any(e == eid and frag in name for e, _, frag, _ in MISTAKES), (eid, name)
