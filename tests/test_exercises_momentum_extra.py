"""The "momentum.adam" grader (notebook 14): right answers pass, each catalogued mistake is rejected
with its own hint (written here as a learner would write it), broken code gets a "not yet" that
says what happened; the grader's expected iterates are helpers.descent.adam's."""
import numpy as np
import pytest

from helpers import exercises
from helpers.descent import adam
from helpers.exercises import momentum_extra

ID = "momentum.adam"


def adam_steps(grad, x0, lr, steps):
    """A correct solution written here, independently of the grader's reference."""
    x, m, v, xs = x0, 0.0, 0.0, [x0]
    for t in range(1, steps + 1):
        g = grad(x)
        m = 0.9 * m + 0.1 * g
        v = 0.999 * v + 0.001 * g * g
        x = x - lr * (m / (1 - 0.9**t)) / (np.sqrt(v / (1 - 0.999**t)) + 1e-8)
        xs.append(x)
    return xs


def test_registered_with_a_description():
    assert ID in exercises.EXERCISES and "adam_steps" in exercises.EXERCISES[ID]


def test_a_correct_solution_passes():
    fb = exercises.grade(ID, adam_steps)
    assert fb.correct, fb


def test_an_array_solution_with_a_while_loop_passes():
    def as_array(grad, x0, lr, steps):
        out, m, v, t = [np.asarray(x0, dtype=float)], 0, 0, 0
        while t < steps:
            t += 1
            g = grad(out[-1])
            m, v = 0.9 * m + 0.1 * g, 0.999 * v + 0.001 * g**2
            out.append(out[-1] - lr * m / (1 - 0.9**t) / (np.sqrt(v / (1 - 0.999**t)) + 1e-8))
        return np.array(out)
    assert exercises.grade(ID, as_array).correct


def test_expected_iterates_are_the_course_helper():
    for case in momentum_extra.CASES:
        grad, x0, lr, steps = case.args
        np.testing.assert_allclose(case.expected, adam(grad, x0, lr, steps).path, rtol=1e-12)


@pytest.mark.parametrize("mistake", momentum_extra.MISTAKES, ids=lambda m: m.name)
def test_each_catalogued_mistake_is_named_with_its_hint(mistake):
    fb = exercises.grade(ID, mistake.wrong)
    assert fb.status == "wrong" and fb.mistake == mistake.name and mistake.hint in fb.message


def _learner(correct=True, sign=-1, root=True, top="m"):
    def steps_fn(grad, x0, lr, steps):
        x, m, v, xs = x0, 0.0, 0.0, [x0]
        for t in range(1, steps + 1):
            g = grad(x)
            m = 0.9 * m + 0.1 * g
            v = 0.999 * v + 0.001 * g**2
            mh, vh = (m / (1 - 0.9**t), v / (1 - 0.999**t)) if correct else (m, v)
            num = mh if top == "m" else g
            den = np.sqrt(vh) if root else vh
            x = x + sign * lr * num / (den + 1e-8)
            xs.append(x)
        return xs
    return steps_fn


@pytest.mark.parametrize("learner, name", [
    (_learner(correct=False), "no bias correction"),
    (_learner(sign=+1), "a plus sign in the update of x"),
    (_learner(root=False), "dividing by v̂ instead of its square root"),
    (_learner(top="g"), "the raw gradient on top instead of m̂ (that is RMSProp)"),
])
def test_handwritten_mistakes_are_recognised(learner, name):
    assert exercises.grade(ID, learner).mistake == name


def test_missing_x0_and_an_extra_step_are_recognised():
    assert exercises.grade(ID, lambda g, x0, lr, s: adam_steps(g, x0, lr, s)[1:]).mistake == "x0 missing from the list"
    assert exercises.grade(ID, lambda g, x0, lr, s: adam_steps(g, x0, lr, s + 1)).mistake == "one iterate too many"


def test_broken_code_gets_a_sentence_not_a_traceback():
    def raises(grad, x0, lr, steps):
        raise ZeroDivisionError("t starts at 0")
    fb = exercises.grade(ID, raises)
    assert fb.status == "wrong" and "raised ZeroDivisionError" in fb.message
    fb = exercises.grade(ID, lambda g, x0, lr, s: [float("nan")] * (s + 1))
    assert fb.status == "wrong" and "NaN" in fb.message
    def no_return(grad, x0, lr, steps):
        xs = [x0]
        xs.append(x0 - lr * grad(x0))
    fb = exercises.grade(ID, no_return)
    assert fb.status == "wrong" and "return" in fb.message
    fb = exercises.grade(ID, lambda g, x0, lr, s: x0)
    assert fb.status == "wrong"


def test_stub_and_none_are_unanswered():
    def stub(grad, x0, lr, steps):
        ...  # your code here
    assert exercises.grade(ID, stub).status == "unanswered"
    assert exercises.grade(ID, None).status == "unanswered"
