"""The "slope.flat_point" grader (notebook 01): right answers pass, each catalogued mistake is
rejected with its own hint, broken code gets a "not yet" that says what happened."""
import math

import numpy as np
import pytest

from helpers import exercises
from helpers.exercises import slope_extra

ID = "slope.flat_point"


def flat_point(f, a, b):
    """A correct solution written here, independently of the grader's reference."""
    def slope(x):
        return (f(x + 1e-6) - f(x - 1e-6)) / 2e-6
    for _ in range(60):
        m = (a + b) / 2
        if slope(a) * slope(m) <= 0:
            b = m
        else:
            a = m
    return (a + b) / 2


def test_registered_with_a_description():
    assert ID in exercises.EXERCISES and "flat_point" in exercises.EXERCISES[ID]


def test_a_correct_solution_passes():
    assert exercises.grade(ID, flat_point).correct


def test_another_correct_solution_passes():
    # a different correct bisection: compare the sign of the slope at m with its sign at a
    def by_sign(f, a, b):
        sa = np.sign(f(a + 1e-6) - f(a - 1e-6))
        for _ in range(80):
            m = (a + b) / 2
            if np.sign(f(m + 1e-6) - f(m - 1e-6)) == sa:
                a = m
            else:
                b = m
        return (a + b) / 2
    assert exercises.grade(ID, by_sign).correct


def test_expected_values_are_the_exact_flat_points():
    # independent of any bisection: where the analytic derivative vanishes
    exact = [1 / math.sqrt(3), math.pi / 2, 3.0, 3 * math.pi / 2, -1.0]
    assert [c.expected for c in slope_extra.CASES] == pytest.approx(exact, abs=1e-15)


@pytest.mark.parametrize("mistake", slope_extra.MISTAKES, ids=lambda m: m.name)
def test_each_mistake_is_named_with_its_hint(mistake):
    fb = exercises.grade(ID, mistake.wrong)
    assert fb.status == "wrong"
    assert fb.mistake == mistake.name
    assert mistake.hint in fb.message


def test_a_handwritten_mistake_is_recognised():
    def on_f(f, a, b):  # looks for f = 0, written differently from the catalogue's reference
        for _ in range(60):
            m = 0.5 * (a + b)
            if f(a) * f(m) <= 0:
                b = m
            else:
                a = m
        return 0.5 * (a + b)
    fb = exercises.grade(ID, on_f)
    assert fb.mistake == "bisecting on f instead of on its slope"


def test_stub_and_none_are_unanswered():
    def stub(f, a, b):
        ...  # your code here
    assert exercises.grade(ID, stub).status == "unanswered"
    assert exercises.grade(ID, None).status == "unanswered"


@pytest.mark.parametrize("bad, words", [
    (lambda f, a, b: 1 / 0, "raised ZeroDivisionError"),
    (lambda f, a, b: float("nan"), "NaN"),
    (lambda f, a, b: (a, b), "single number"),
    (lambda f, a, b: "pi/2", "should be numbers"),
])
def test_broken_code_gets_a_clear_not_yet(bad, words):
    fb = exercises.grade(ID, bad)
    assert fb.status == "wrong" and words in fb.message and "Traceback" not in fb.message


def test_a_function_that_never_returns_is_stopped():
    def forever(f, a, b):
        while True:
            pass
    fb = exercises.grade(ID, forever)
    assert fb.status == "wrong" and "longer than" in fb.message
