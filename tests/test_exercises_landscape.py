"""Graders of notebook 08 (helpers/exercises/landscape.py): correct solutions written here pass,
the cases' expected values agree with independent references (the basin math, the saddle's
closed form), every catalogued mistake is rejected with its own hint, broken code gets "not yet"."""
import math

import numpy as np
import pytest

from helpers import basins, exercises
from helpers.exercises import landscape
from helpers.landscape import parse_cost


def basin_labels(grad, starts, lr, steps, minima):
    out = []
    for x in np.asarray(starts, dtype=float):  # one start at a time, unlike the grader's reference
        for _ in range(steps):
            x = x - lr * grad(x)
        out.append(int(np.argmin([abs(x - m) for m in minima])))
    return out


def steps_to_leave(d, lr, lam, radius):
    if d >= radius:
        return 0
    k = math.ceil(math.log(radius / d) / math.log(1 + lr * lam))  # closed form, then make sure
    while d * (1 + lr * lam) ** (k - 1) >= radius:
        k -= 1
    while d * (1 + lr * lam) ** k < radius:
        k += 1
    return k


SOLUTIONS = {"landscape.basin_labels": basin_labels, "landscape.steps_to_leave": steps_to_leave}
MISTAKES = {"landscape.basin_labels": landscape.BASIN_MISTAKES, "landscape.steps_to_leave": landscape.LEAVE_MISTAKES}


@pytest.mark.parametrize("exercise_id", sorted(SOLUTIONS))
def test_registered_and_a_correct_solution_passes(exercise_id):
    assert exercise_id in exercises.EXERCISES
    fb = exercises.grade(exercise_id, SOLUTIONS[exercise_id])
    assert fb.correct, fb.message


@pytest.mark.parametrize("exercise_id, mistake", [(i, m) for i in sorted(MISTAKES) for m in MISTAKES[i]],
                         ids=lambda v: v if isinstance(v, str) else v.name)
def test_each_mistake_is_rejected_with_its_own_hint(exercise_id, mistake):
    fb = exercises.grade(exercise_id, mistake.wrong)
    assert fb.status == "wrong" and fb.mistake == mistake.name, fb.message
    assert mistake.hint in fb.message


def test_basin_cases_agree_with_the_basin_math():
    f = parse_cost("x**4 - 3*x**2 + x")
    wavy = parse_cost("sin(3*x) + 0.1*x**2")
    np.testing.assert_allclose(landscape.TWO_BASIN_MINIMA, basins.local_minima_1d(f, -3, 3), atol=1e-8)
    np.testing.assert_allclose(landscape.WAVY_MINIMA, basins.local_minima_1d(wavy, -3.5, 3.5), atol=1e-8)
    costs = {landscape.grad_two_basin: f, landscape.grad_wavy: wavy}
    for case in landscape.BASIN_CASES:
        grad, starts, lr, steps, minima = case.args
        ends = basins.descend_many(costs[grad].grad_at, starts, lr, steps).final
        np.testing.assert_array_equal(case.expected, basins.nearest_minimum(ends, minima, tol=np.inf))


def test_saddle_cases_agree_with_the_closed_form():
    for case in landscape.LEAVE_CASES:
        d, lr, lam, radius = case.args
        want = 0 if d >= radius else int(basins.saddle_escape_steps(d, lr, lam, radius))
        assert case.expected == want, case.label


def test_the_cases_catch_the_start_nearest_mistake_where_it_matters():
    # from 0 and 0.1 the nearer minimum is the shallow one, but descent goes deep
    case = landscape.BASIN_CASES[0]
    starts = case.args[1]
    wrong = landscape.BASIN_MISTAKES[0].wrong(*case.args)
    assert np.any(wrong != case.expected) and set(starts[wrong != case.expected]) <= {0.0, 0.1}


def _raises(*args):
    raise RuntimeError("boom")


def _returns_none(grad, starts, lr, steps, minima):
    x = np.array(starts) - lr * grad(np.array(starts))  # forgot to return anything
    x.sort()


def _nan_labels(grad, starts, lr, steps, minima):
    return np.full(len(starts), np.nan)


def _wrong_shape(grad, starts, lr, steps, minima):
    return [0]


def _forever(d, lr, lam, radius):
    x, k = d, 0
    while x < radius:  # the sign is wrong: x shrinks and never reaches the radius
        x = x - lr * lam * x
        k += 1
    return k


@pytest.mark.parametrize("exercise_id, fn, words", [
    ("landscape.basin_labels", _raises, "raised RuntimeError"),
    ("landscape.basin_labels", _returns_none, "None"),
    ("landscape.basin_labels", _nan_labels, "NaN"),
    ("landscape.basin_labels", _wrong_shape, "entries"),
    ("landscape.steps_to_leave", _raises, "raised RuntimeError"),
    ("landscape.steps_to_leave", _forever, "longer than"),
])
def test_broken_code_gets_a_not_yet_that_names_what_happened(exercise_id, fn, words):
    fb = exercises.grade(exercise_id, fn)
    assert fb.status == "wrong" and words in fb.message, fb.message


def test_stubs_are_unanswered():
    def basin_labels(grad, starts, lr, steps, minima):
        ...

    def steps_to_leave(d, lr, lam, radius):
        ...

    assert exercises.grade("landscape.basin_labels", basin_labels).status == "unanswered"
    assert exercises.grade("landscape.steps_to_leave", steps_to_leave).status == "unanswered"
    assert exercises.grade("landscape.steps_to_leave", ...).status == "unanswered"
