"""Coding exercises with instant, case-based feedback (issue 14).

    from helpers import exercises
    exercises.grade("descent.descend", descend)   # -> helpers.checks.Feedback

`grade(exercise_id, answer)` never raises: a stub (`...`) or None is "unanswered", a learner's
function that raises, hangs or returns the wrong thing is "not yet" with a sentence saying what
happened. `EXERCISES` maps every id to a one-line description. A topic's graders live in their
own module of this package (`helpers/exercises/<topic>.py`) and are registered with
`@register(id, description)`; every module of the package is imported here automatically.
"""
from __future__ import annotations

import difflib
import importlib
import pkgutil
from typing import Any, Callable

from helpers.checks import Feedback
from helpers.exercises.core import UNANSWERED, Case, Mistake, check_function, is_stub

__all__ = ["grade", "register", "EXERCISES", "Case", "Mistake", "check_function", "Feedback"]

EXERCISES: dict[str, str] = {}
_GRADERS: dict[str, Callable[[Any], Feedback]] = {}


def register(exercise_id: str, description: str) -> Callable:
    """Decorator: make `grader(answer) -> Feedback` the grader of `exercise_id`."""
    if not isinstance(exercise_id, str) or not exercise_id:
        raise ValueError(f"an exercise id must be a non-empty string, got {exercise_id!r}")

    def decorate(grader: Callable[[Any], Feedback]) -> Callable[[Any], Feedback]:
        if exercise_id in _GRADERS and _GRADERS[exercise_id] is not grader:
            raise ValueError(f"exercise id {exercise_id!r} is registered twice "
                             f"({_GRADERS[exercise_id].__module__} and {grader.__module__})")
        _GRADERS[exercise_id] = grader
        EXERCISES[exercise_id] = description
        return grader

    return decorate


def grade(exercise_id: str, answer: Any) -> Feedback:
    """Grade a learner's answer (usually a function) to exercise `exercise_id`; never raises."""
    grader = _GRADERS.get(exercise_id) if isinstance(exercise_id, str) else None
    if grader is None:
        close = difflib.get_close_matches(str(exercise_id), list(_GRADERS), n=3)
        tip = f" Did you mean {', '.join(repr(c) for c in close)}?" if close else \
            f" Known exercises: {', '.join(sorted(_GRADERS))}."
        return Feedback("wrong", f"There is no exercise called {exercise_id!r}.{tip}")
    if answer is ... or answer is None or is_stub(answer):
        return Feedback("unanswered", UNANSWERED)
    try:
        feedback = grader(answer)
    except Exception as exc:  # noqa: BLE001 - a checker bug must not look like the learner's
        return Feedback("wrong", f"The checker for {exercise_id!r} itself failed ({type(exc).__name__}: "
                                 f"{exc}). This is a bug in the course, not necessarily in your code.")
    if not isinstance(feedback, Feedback):
        return Feedback("wrong", f"The checker for {exercise_id!r} returned {feedback!r} instead of a verdict "
                                 "(a bug in the course).")
    return feedback


def _import_topics() -> None:
    """Import every module of this package, so each topic's `@register` calls run."""
    for info in pkgutil.iter_modules(__path__):
        if info.name != "core" and not info.name.startswith("_"):
            importlib.import_module(f"{__name__}.{info.name}")


_import_topics()
