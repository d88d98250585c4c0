"""The graders of notebooks 06–07 (helpers/exercises/sgd.py): a right answer passes, each
catalogued mistake is named with its hint, and broken answers get a "not yet" that says what
happened. References are written out here, independently of the graders' own."""
import time

import numpy as np
import pytest

from helpers import exercises


def minibatch_gradient(x, y, w, b, batch):
    r = w * x[batch] + b - y[batch]
    return np.array([np.mean(r * x[batch]), np.mean(r)])


def evaluations(n, batch_size, steps):
    per_epoch = [min(batch_size, n - s) for s in range(0, n, batch_size)]
    return np.cumsum((per_epoch * steps)[:steps])


def epoch_batches(n, batch_size, rng):
    order = rng.permutation(n)
    return [order[s:s + batch_size] for s in range(0, n, batch_size)]


def decayed_rate(lr0, k0, k):
    return lr0 * k0 / (k0 + k)


RIGHT = {"sgd.minibatch_gradient": minibatch_gradient, "sgd.gradient_evaluations": evaluations,
         "sgd.epoch_batches": epoch_batches, "sgd.decayed_rate": decayed_rate}

MISTAKES = {
    "sgd.minibatch_gradient": [
        ("the sum instead of the mean", lambda x, y, w, b, i: np.array([np.sum((w * x[i] + b - y[i]) * x[i]),
                                                                         np.sum(w * x[i] + b - y[i])])),
        ("the gradient of mean r², not mean ½r²", lambda x, y, w, b, i: 2 * minibatch_gradient(x, y, w, b, i)),
        ("the residual the wrong way round", lambda x, y, w, b, i: -minibatch_gradient(x, y, w, b, i)),
        ("every example used, not only the batch", lambda x, y, w, b, i: minibatch_gradient(x, y, w, b, slice(None))),
    ],
    "sgd.gradient_evaluations": [
        ("every batch counted as full", lambda n, B, s: [B * (k + 1) for k in range(s)]),
        ("steps counted instead of examples", lambda n, B, s: list(range(1, s + 1))),
        ("the count before each step, not after", lambda n, B, s: np.concatenate([[0], evaluations(n, B, s)[:-1]])),
    ],
    "sgd.epoch_batches": [
        ("sampling with replacement", lambda n, B, rng: [rng.integers(0, n, min(B, n - s)) for s in range(0, n, B)]),
        ("the last partial batch dropped", lambda n, B, rng: [o for o in epoch_batches(n, B, rng) if len(o) == B]),
        ("no shuffle", lambda n, B, rng: [np.arange(n)[s:s + B] for s in range(0, n, B)]),
        ("the rng argument ignored", lambda n, B, rng: epoch_batches(n, B, np.random.default_rng())),
    ],
    "sgd.decayed_rate": [
        ("k0 missing from the numerator", lambda lr0, k0, k: lr0 / (k0 + k)),
        ("steps counted from 1", lambda lr0, k0, k: lr0 * k0 / (k0 + k + 1)),
        ("1/(1 + k) without k0", lambda lr0, k0, k: lr0 / (1 + k)),
        ("an exponential decay", lambda lr0, k0, k: lr0 * 0.5 ** (k / k0)),
    ],
}


def test_every_id_is_catalogued():
    for exercise_id in RIGHT:
        assert exercise_id in exercises.EXERCISES and exercises.EXERCISES[exercise_id]


@pytest.mark.parametrize("exercise_id", sorted(RIGHT))
def test_a_right_answer_passes(exercise_id):
    feedback = exercises.grade(exercise_id, RIGHT[exercise_id])
    assert feedback.correct, feedback.message


@pytest.mark.parametrize("exercise_id, mistake, wrong",
                         [(e, m, w) for e, items in MISTAKES.items() for m, w in items],
                         ids=lambda v: v if isinstance(v, str) else "")
def test_each_common_mistake_is_named(exercise_id, mistake, wrong):
    feedback = exercises.grade(exercise_id, wrong)
    assert not feedback.correct
    assert feedback.mistake == mistake, feedback.message
    assert f"common mistake: {mistake}" in feedback.message


@pytest.mark.parametrize("exercise_id", sorted(RIGHT))
def test_stubs_and_nothing_are_unanswered(exercise_id):
    def stub(*args):
        ...  # your code here

    for answer in (..., None, stub):
        assert exercises.grade(exercise_id, answer).status == "unanswered"


@pytest.mark.parametrize("exercise_id", sorted(RIGHT))
def test_broken_answers_get_a_not_yet_that_says_what_happened(exercise_id):
    def raises(*args):
        raise ZeroDivisionError("oops")

    def returns_none(*args):
        args = list(args)  # does something, then forgets to return

    def returns_nan(*args):
        return [np.array([np.nan])] if exercise_id == "sgd.epoch_batches" else np.nan

    def hangs(*args):
        while True:
            pass

    checks = [(raises, "raised ZeroDivisionError"), (returns_none, "None"), (returns_nan, ""), (hangs, "longer than")]
    for answer, words in checks:
        start = time.perf_counter()
        feedback = exercises.grade(exercise_id, answer)
        assert feedback.status == "wrong" and words in feedback.message, feedback.message
        assert "Traceback" not in feedback.message
        assert time.perf_counter() - start < 3


def test_wrong_shapes_are_named():
    assert "2 values" in exercises.grade("sgd.minibatch_gradient", lambda x, y, w, b, i: 1.0).message
    assert "entries" in exercises.grade("sgd.gradient_evaluations", lambda n, B, s: np.arange(s + 1)).message
    assert "flat array" in exercises.grade("sgd.epoch_batches", lambda n, B, rng: rng.permutation(n)).message
    assert "1-D" in exercises.grade("sgd.epoch_batches", lambda n, B, rng: [rng.permutation(n).reshape(1, -1)]).message
    wrong_sizes = exercises.grade("sgd.epoch_batches", lambda n, B, rng: np.array_split(rng.permutation(n), -(-n // B)))
    assert not wrong_sizes.correct and "batch sizes" in wrong_sizes.message
