"""The exercise checker: right, wrong and unanswered, with tolerances, never revealing the answer."""
import numpy as np
import pytest

from helpers.checks import check, check_choice


def test_right_within_tolerance():
    assert check(7.389, np.exp(2)).correct
    assert check([1.0, 2.0005], [1.0, 2.0], rtol=1e-3).correct


def test_wrong_gives_hint_and_hides_answer():
    fb = check(7.0, np.exp(2), hint="think of e²")
    assert not fb.correct and fb.status == "wrong"
    assert "think of e²" in repr(fb) and "7.389" not in repr(fb)


def test_unanswered():
    assert check(..., 1.0).status == "unanswered"
    assert check(None, 1.0).status == "unanswered"
    assert check_choice(..., "central").status == "unanswered"


def test_shape_nan_and_type_mistakes_are_wrong_not_errors():
    assert check([1.0], [1.0, 2.0]).status == "wrong"
    assert check(float("nan"), 1.0).status == "wrong"
    assert check("seven", 7.0).status == "wrong"


def test_choice_ignores_case_and_spaces():
    assert check_choice(" Central ", "central").correct
    assert not check_choice("forward", "central").correct


def test_html_repr_has_colour():
    assert "color:" in check(1.0, 1.0)._repr_html_()


def test_negative_tolerance_rejected():
    with pytest.raises(ValueError, match="tolerances"):
        check(1.0, 1.0, rtol=-1)
