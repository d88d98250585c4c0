"""The "backprop.forward_pass" grader (notebook 09): right answers pass, each catalogued mistake
is rejected with its own hint, broken code gets a "not yet" that says what happened."""
import math

import numpy as np
import pytest

from helpers import exercises
from helpers.exercises import backprop_extra

ID = "backprop.forward_pass"


def forward_pass(W1, b1, W2, b2, x):
    """A correct solution written here, with scalar loops (independent of the grader's matrix form)."""
    sig = lambda z: 1 / (1 + math.exp(-z))  # noqa: E731
    h = [sig(sum(W1[i, j] * x[j] for j in range(len(x))) + b1[i]) for i in range(len(b1))]
    y = [sig(sum(W2[k, i] * h[i] for i in range(len(h))) + b2[k]) for k in range(len(b2))]
    return np.array(h), np.array(y)


def test_registered_with_a_description():
    assert ID in exercises.EXERCISES and "forward_pass" in exercises.EXERCISES[ID]


def test_a_correct_solution_passes():
    assert exercises.grade(ID, forward_pass).correct


def test_the_first_case_is_the_article_network_and_reproduces_its_printed_outputs():
    h, y = backprop_extra.CASES[0].expected
    assert f"{h[0]:.3f}" == "0.538" and f"{y[0]:.5f}" == "0.63368" and f"{y[1]:.5f}" == "0.64893"


@pytest.mark.parametrize("mistake", backprop_extra.MISTAKES, ids=lambda m: m.name)
def test_each_mistake_is_named_with_its_hint(mistake):
    fb = exercises.grade(ID, mistake.wrong)
    assert fb.status == "wrong"
    assert fb.mistake == mistake.name
    assert mistake.hint in fb.message


def test_a_handwritten_transpose_is_recognised():
    def transposed(W1, b1, W2, b2, x):
        sig = lambda z: 1 / (1 + np.exp(-z))  # noqa: E731
        h = sig(W1.T @ x + b1)
        return h, sig(W2.T @ h + b2)
    fb = exercises.grade(ID, transposed)
    assert fb.mistake == "a transposed weight matrix (x @ W1 instead of W1 @ x)"


def test_stub_and_none_are_unanswered():
    def stub(W1, b1, W2, b2, x):
        ...  # your code here
    assert exercises.grade(ID, stub).status == "unanswered"
    assert exercises.grade(ID, None).status == "unanswered"


@pytest.mark.parametrize("bad, words", [
    (lambda W1, b1, W2, b2, x: W1[5, 5], "raised IndexError"),
    (lambda W1, b1, W2, b2, x: (np.full(2, np.nan), np.full(2, np.nan)), "NaN"),
    (lambda W1, b1, W2, b2, x: (np.zeros(2), np.zeros(2), np.zeros(2)), "expected 2 values (h, y), got 3"),
    (lambda W1, b1, W2, b2, x: (np.zeros(3), np.zeros(2)), "h has 3 entries where 2 were expected"),
    (lambda W1, b1, W2, b2, x: print(end=""), "forget `return`"),
])
def test_broken_code_gets_a_clear_not_yet(bad, words):
    fb = exercises.grade(ID, bad)
    assert fb.status == "wrong" and words in fb.message and "Traceback" not in fb.message
