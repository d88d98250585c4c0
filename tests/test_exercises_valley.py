"""Graders of notebooks 04 and 05 (helpers/exercises/valley.py): correct solutions written here
pass, the cases' expected values agree with closed forms, every catalogued mistake is rejected
with its own hint, and broken code gets a "not yet" that names what happened."""
import math

import numpy as np
import pytest

from helpers import exercises
from helpers.exercises import valley

# ---------------------------------------------------------------- correct solutions, written independently


def descend_until(grad, x0, lr, tol, max_steps):
    x = np.asarray(x0, dtype=float)
    for k in range(max_steps + 1):
        g = grad(x)
        if k == max_steps or math.sqrt(float(np.sum(np.square(g)))) <= tol:
            return x, k
        x = x - lr * g


def steps_needed(lr, L, x0, tol):
    """Closed form: the smallest whole k with |1 − αL|^k·|x0| <= tol."""
    if abs(x0) <= tol:
        return 0
    r = abs(1 - lr * L)
    return 1 if r == 0 else math.ceil(math.log(tol / abs(x0)) / math.log(r))


def rate_limits(H):
    lams = np.linalg.eigvals(np.asarray(H, dtype=float)).real
    return 2 / (lams.min() + lams.max()), 2 / lams.max()


SOLUTIONS = {"valley.descend_until": descend_until, "valley.steps_needed": steps_needed,
             "valley.rate_limits": rate_limits}
MISTAKES = {"valley.descend_until": valley.UNTIL_MISTAKES, "valley.steps_needed": valley.STEPS_MISTAKES,
            "valley.rate_limits": valley.LIMIT_MISTAKES}


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


# ---------------------------------------------------------------- the cases' expected values, from closed forms


def test_descend_until_cases_agree_with_the_closed_form():
    for case in valley.UNTIL_CASES:
        grad, x0, lr, tol, max_steps = case.args
        x_exp, k_exp = case.expected
        # on these quadratic valleys coordinate i is multiplied by (1 − lr·Lᵢ) each step
        curv = np.asarray(grad(np.ones_like(np.asarray(x0, dtype=float))))
        path = [np.asarray(x0) * (1 - lr * curv) ** k for k in range(max_steps + 1)]
        sizes = [np.linalg.norm(curv * p) for p in path]
        k = next((k for k, s in enumerate(sizes) if s <= tol), max_steps)
        assert k_exp == k, case.label
        np.testing.assert_allclose(x_exp, path[k], rtol=1e-12)
        if k < max_steps:  # not a knife-edge case: the stopping size is clearly on its side of tol
            assert sizes[k] < tol * (1 - 1e-3) and (k == 0 or sizes[k - 1] > tol * (1 + 1e-3))


def test_steps_needed_cases_agree_with_the_closed_form():
    assert [c.expected for c in valley.STEPS_CASES] == [steps_needed(*c.args) for c in valley.STEPS_CASES]
    assert [c.expected for c in valley.STEPS_CASES] == [26, 30, 1, 0, 35, 1833]


def test_rate_limit_cases_agree_with_known_eigenvalues():
    # eigenvalues by hand: (1, 10) twice, (7 ± √17)/2, (2, 4, 6), (4)
    known = [(1, 10), (1, 10), ((7 - math.sqrt(17)) / 2, (7 + math.sqrt(17)) / 2), (2, 6), (4, 4)]
    for case, (lo, hi) in zip(valley.LIMIT_CASES, known):
        assert case.expected == pytest.approx((2 / (lo + hi), 2 / hi), rel=1e-12), case.label


# ---------------------------------------------------------------- broken code never breaks the checker


def stub(*args):
    ...


@pytest.mark.parametrize("exercise_id", sorted(SOLUTIONS))
def test_stub_is_unanswered_and_broken_code_is_named(exercise_id):
    assert exercises.grade(exercise_id, stub).status == "unanswered"
    assert exercises.grade(exercise_id, ...).status == "unanswered"

    def raises(*args):
        raise ZeroDivisionError("oops")
    fb = exercises.grade(exercise_id, raises)
    assert fb.status == "wrong" and "ZeroDivisionError" in fb.message

    def nan(*args):
        return (float("nan"), 0) if exercise_id != "valley.steps_needed" else float("nan")
    fb = exercises.grade(exercise_id, nan)
    assert fb.status == "wrong" and "NaN" in fb.message

    def nothing(*args):
        x = 1  # noqa: F841 - forgot to return
    fb = exercises.grade(exercise_id, nothing)
    assert fb.status == "wrong" and "return" in fb.message


def test_descend_until_with_the_wrong_shape_is_named():
    fb = exercises.grade("valley.descend_until", lambda g, x0, lr, tol, n: (np.zeros(3), 0))
    assert fb.status == "wrong" and "shape" in fb.message


def test_a_loop_that_never_ends_is_stopped():
    def forever(lr, L, x0, tol):
        while True:
            pass
    fb = exercises.grade("valley.steps_needed", forever)
    assert fb.status == "wrong" and fb.mistake == "timeout"


# ---------------------------------------------------------------- predict, then check


def test_plus_sign_prediction():
    x = 3.0
    for _ in range(10):
        x = x + 0.1 * (2.0 * x)  # the article's sign, on f = ½·2·x²
    assert exercises.grade("valley.plus_sign_ten_steps", x).correct
    minus = exercises.grade("valley.plus_sign_ten_steps", 3 * 0.8**10)
    assert minus.status == "wrong" and minus.mistake == "the minus update"
    assert exercises.grade("valley.plus_sign_ten_steps", 3.0).status == "wrong"
    assert exercises.grade("valley.plus_sign_ten_steps", ...).status == "unanswered"


def test_predict_regime_and_steps_at_alpha_0_9():
    ID = "valley.predict_alpha_0.9"
    assert abs(1 - 0.9 * 2.0) < 1 and 1 - 0.9 * 2.0 < 0  # it oscillates, and converges
    k = math.ceil(math.log(1e-6) / math.log(0.8))  # 0.8^k <= 1e-6
    assert k == 62 and 0.8 ** k <= 1e-6 < 0.8 ** (k - 1)
    for word in ("oscillating", " Oscillating ", "oscillating convergence"):
        assert exercises.grade(ID, (word, k)).correct
    for word in ("fast", "divergence"):
        assert exercises.grade(ID, (word, k)).status == "wrong"
    assert "one of" in exercises.grade(ID, ("bounces", k)).message
    assert exercises.grade(ID, ("oscillating", k - 1)).mistake == "rounded down"
    assert exercises.grade(ID, ("oscillating", k + 1)).status == "wrong"
    assert exercises.grade(ID, (..., ...)).status == "unanswered"
    assert exercises.grade(ID, ("oscillating", ...)).status == "unanswered"
    assert exercises.grade(ID, "oscillating").status == "wrong"
