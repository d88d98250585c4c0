"""The exercise framework (helpers.exercises): unanswered, broken and misbehaving answers get a
clear verdict, never an exception or a traceback from the checker."""
import math
import threading

import numpy as np
import pytest

from helpers import exercises
from helpers.checks import Feedback
from helpers.exercises.core import Case, Mistake, check_function, is_stub, show

SQUARE = [Case((2.0,), 4.0, "x = 2.0"), Case((-3.0,), 9.0, "x = -3.0")]
PAIR = [Case((np.array([1.0, 2.0]),), np.array([2.0, 4.0]), "x = [1, 2]")]


def _no_traceback(fb):
    assert isinstance(fb, Feedback)
    assert "Traceback" not in repr(fb) and 'File "' not in repr(fb)


def stub_plain(x):
    ...


def stub_doc_and_comment(x):
    """Return x squared."""
    ...  # your code here


def stub_pass(x):
    pass


def not_a_stub(x):
    y = x * x  # forgot the return


@pytest.mark.parametrize("answer", [..., None, stub_plain, stub_doc_and_comment, stub_pass, lambda g, x0, lr, s: ...])
def test_unanswered(answer):
    fb = exercises.grade("descent.descend", answer)
    assert fb.status == "unanswered" and not fb.correct
    assert "…" in repr(fb) or "No answer" in repr(fb)
    assert check_function(answer, SQUARE).status == "unanswered"


def test_stub_detection_from_exec_code_without_source():
    ns = {}
    exec("def f(a, b):\n    '''doc'''\n    ...\n", ns)
    exec("def g(a, b):\n    return a + b\n", ns)
    assert is_stub(ns["f"]) and not is_stub(ns["g"])
    assert not is_stub(not_a_stub) and not is_stub(len) and not is_stub(3)


def test_right_only_when_every_case_passes():
    assert check_function(lambda x: x * x, SQUARE).correct
    fb = check_function(lambda x: x * abs(x), SQUARE)      # right on x = 2, wrong on x = -3
    assert fb.status == "wrong" and fb.case == "x = -3.0"
    assert "expected: 9" in fb.message and "got:      -9" in fb.message


def test_raising_function_names_the_exception_without_traceback():
    def f(x):
        return {"a": 1}["b"]
    fb = check_function(f, SQUARE)
    assert fb.status == "wrong" and "KeyError" in fb.message and "'b'" in fb.message and "x = 2.0" in fb.message
    _no_traceback(fb)
    fb = exercises.grade("descent.descend", lambda g, x0, lr, s: 1 / 0)
    assert "ZeroDivisionError: division by zero" in fb.message
    _no_traceback(fb)


def test_infinite_loop_is_stopped_after_the_timeout():
    def forever(x):
        while True:
            pass
    fb = check_function(forever, SQUARE, timeout=0.2)
    assert fb.status == "wrong" and "longer than 0.2 s" in fb.message and fb.mistake == "timeout"


def test_learner_cannot_swallow_the_timeout():
    def sneaky(x):
        while True:
            try:
                while True:
                    pass
            except Exception:
                pass
    assert "longer than" in check_function(sneaky, SQUARE, timeout=0.2).message


def test_loop_forever_on_a_wrong_type_via_grade():
    def descend(grad, x0, lr, steps):
        xs, i = [x0], 0
        while i != steps:           # never equal if the learner's counter skips it
            i += 2
        return xs
    fb = exercises.grade("descent.descend", descend)
    assert fb.status == "wrong" and "longer than 1 s" in fb.message


def test_timer_and_handler_restored_after_a_check():
    import signal
    before = signal.getsignal(signal.SIGALRM)
    check_function(lambda x: x * x, SQUARE)
    assert signal.getsignal(signal.SIGALRM) is before
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_outside_the_main_thread_there_is_no_timeout_but_it_still_grades():
    result = {}
    t = threading.Thread(target=lambda: result.update(fb=check_function(lambda x: x * x, SQUARE)))
    t.start()
    t.join(5)
    assert result["fb"].correct


def test_none_asks_about_return():
    fb = check_function(not_a_stub, SQUARE)
    assert fb.status == "wrong" and "forget `return`" in fb.message
    fb = exercises.grade("partials.gradient", lambda x, y: (y + 2 * x, None))
    assert "dz_dy is None" in fb.message


def test_nan_and_inf():
    assert "NaN or infinity" in check_function(lambda x: math.nan, SQUARE).message
    assert "NaN or infinity" in check_function(lambda x: np.array([np.inf, 1.0]), PAIR).message


def test_wrong_shape_and_length():
    fb = check_function(lambda x: np.array([2.0, 4.0, 6.0]), PAIR)
    assert "3 entries where 2 were expected" in fb.message
    fb = check_function(lambda x: np.ones((2, 1)), PAIR)
    assert "shape (2, 1), expected shape (2,)" in fb.message
    fb = check_function(lambda x: [x * x], SQUARE)
    assert "should be a single number" in fb.message
    fb = exercises.grade("partials.gradient", lambda x, y: (y + 2 * x,))
    assert "expected 2 values (dz_dx, dz_dy), got 1" in fb.message


def test_wrong_type():
    fb = check_function(lambda x: "four", SQUARE)
    assert fb.status == "wrong" and "should be numbers" in fb.message and "'four'" in fb.message
    fb = check_function(lambda x: [[1.0], [1.0, 2.0]], PAIR)      # ragged
    assert "cannot read as an array of numbers" in fb.message
    fb = exercises.grade("partials.gradient", lambda x, y: 7.0)
    assert "expected 2 values" in fb.message and "a single number" in fb.message
    fb = exercises.grade("descent.descend", 3.0)                # not a function at all
    assert "Expected a function" in fb.message


def test_wrong_number_of_parameters_is_a_clear_not_yet():
    fb = exercises.grade("descent.descend", lambda grad, x0, lr: [x0])
    assert fb.status == "wrong" and "TypeError" in fb.message
    _no_traceback(fb)


def test_learner_cannot_corrupt_the_cases_by_mutating_arguments():
    def mutate(x):
        x[:] = 0.0
        return x
    check_function(mutate, PAIR)
    assert np.array_equal(PAIR[0].args[0], [1.0, 2.0])
    assert exercises.grade("descent.descend", _correct_descend).correct


def _correct_descend(grad, x0, lr, steps):
    xs = [x0]
    for _ in range(steps):
        xs.append(xs[-1] - lr * grad(xs[-1]))
    return xs


def test_mistake_recognised_with_its_hint_and_general_hint_otherwise():
    mistakes = [Mistake("cubed instead of squared", lambda x: x ** 3, "Square means power 2.")]
    fb = check_function(lambda x: x ** 3, SQUARE, mistakes=mistakes, hint="general")
    assert fb.mistake == "cubed instead of squared" and "Square means power 2." in fb.message
    assert "general" not in fb.message
    fb = check_function(lambda x: x + 1, SQUARE, mistakes=mistakes, hint="general")
    assert fb.mistake == "" and fb.message.endswith("general")


def test_a_broken_mistake_reference_does_not_break_the_check():
    mistakes = [Mistake("broken", lambda x: 1 / 0, "never shown")]
    fb = check_function(lambda x: x + 1, SQUARE, mistakes=mistakes)
    assert fb.status == "wrong" and "never shown" not in fb.message


def test_unknown_id_is_a_clear_message_not_an_error():
    fb = exercises.grade("descent.decsend", _correct_descend)
    assert fb.status == "wrong" and "no exercise called 'descent.decsend'" in fb.message
    assert "descent.descend" in fb.message
    fb = exercises.grade(42, _correct_descend)
    assert fb.status == "wrong" and "42" in fb.message


def test_a_crashing_grader_is_reported_as_a_course_bug():
    @exercises.register("_test.crash", "a grader that crashes")
    def crash(answer):
        raise RuntimeError("oops")
    try:
        fb = exercises.grade("_test.crash", lambda: 1)
        assert fb.status == "wrong" and "bug in the course" in fb.message and "oops" in fb.message
    finally:
        exercises._GRADERS.pop("_test.crash")
        exercises.EXERCISES.pop("_test.crash")


def test_register_rejects_a_duplicate_id():
    with pytest.raises(ValueError, match="registered twice"):
        exercises.register("descent.descend", "again")(lambda a: None)


def test_every_topic_module_is_imported_automatically():
    import pkgutil
    import helpers.exercises as pkg
    topics = {m.name for m in pkgutil.iter_modules(pkg.__path__)} - {"core"}
    prefixes = {eid.split(".")[0] for eid in exercises.EXERCISES}
    assert {"slope", "partials", "descent", "backprop", "early_stopping", "momentum"} <= topics
    for name in topics:
        assert f"helpers.exercises.{name}" in __import__("sys").modules
    assert {"slope", "partials", "descent", "backprop", "early_stopping", "momentum"} <= prefixes


def test_every_registered_id_has_a_description_and_never_raises_on_junk():
    for eid, text in exercises.EXERCISES.items():
        assert text.strip()
        for junk in (..., None, 3, "text", lambda *a: 1 / 0, lambda *a: None, lambda *a: np.nan):
            fb = exercises.grade(eid, junk)
            assert fb.status in ("unanswered", "wrong"), (eid, junk, fb)
            _no_traceback(fb)


def test_messages_never_show_negative_zero_and_html_is_escaped():
    assert show(-0.0) == "0" and show(np.array([-0.0, 1.5])) == "[0, 1.5]"
    fb = Feedback("wrong", "a < b & c\n  expected: 1")
    html = fb._repr_html_()
    assert "a &lt; b &amp; c" in html and "<pre" in html
    assert Feedback("right", "fine")._repr_html_().startswith("<span")


def test_placeholder_and_function_results_are_named():
    fb = check_function(lambda x: (x * x, ...), [Case((2.0,), (4.0, 2.0), "x = 2.0")])
    assert "is ... (the placeholder)" in fb.message
    fb = check_function(lambda x: (lambda: x), SQUARE)
    assert "did you return a function instead of calling it?" in fb.message and " at 0x" not in fb.message
