"""Instant feedback for the self-check exercises at the end of every notebook.

`check(answer, expected, hint=...)` compares a learner's answer with the right one, within
a tolerance, and says right or wrong (with a hint); it never prints the expected value.
"""
from __future__ import annotations

import html
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Feedback:
    """The verdict on one answer: `status` is 'right', 'wrong' or 'unanswered'.

    A coding exercise's feedback also records the label of the first failing `case` and the
    name of the recognised `mistake` (both empty when there is none), for tests and teachers.
    """

    status: str
    message: str
    case: str = ""
    mistake: str = ""

    @property
    def correct(self) -> bool:
        return self.status == "right"

    def __repr__(self) -> str:
        mark = {"right": "✔ Right.", "wrong": "✘ Not yet.", "unanswered": "… No answer yet."}[self.status]
        return f"{mark} {self.message}".rstrip()

    def _repr_html_(self) -> str:
        colour = {"right": "#009E73", "wrong": "#D55E00", "unanswered": "#666666"}[self.status]
        first, _, rest = repr(self).partition("\n")
        body = f'<span style="color:{colour};font-weight:bold">{html.escape(first, quote=False)}</span>'
        if rest:
            body += f'<pre style="margin:0.2em 0 0 0;white-space:pre-wrap;word-break:normal">{html.escape(rest, quote=False)}</pre>'
        return f"<div>{body}</div>" if rest else body


def check(answer, expected, *, hint: str = "", rtol: float = 1e-3, atol: float = 1e-6) -> Feedback:
    """Compare `answer` with `expected` (numbers or arrays of the same shape).

    An answer is right when every entry is within atol + rtol·|expected|. Leave the answer
    as `...` or None to get a reminder instead of a verdict.
    """
    if rtol < 0 or atol < 0:
        raise ValueError(f"tolerances must be >= 0, got rtol={rtol!r}, atol={atol!r}")
    if answer is ... or answer is None:
        return Feedback("unanswered", "Replace the ... with your answer and run the cell again.")
    try:
        got = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        return Feedback("wrong", f"Expected a number, got {answer!r}.")
    want = np.asarray(expected, dtype=float)
    if got.shape != want.shape:
        return Feedback("wrong", f"Expected an answer of shape {want.shape}, got {got.shape}. {hint}".strip())
    if not np.all(np.isfinite(got)):
        return Feedback("wrong", f"The answer contains NaN or infinity. {hint}".strip())
    if np.all(np.abs(got - want) <= atol + rtol * np.abs(want)):
        return Feedback("right", "")
    return Feedback("wrong", hint)


def check_choice(answer, expected: str, *, hint: str = "") -> Feedback:
    """Compare a one-word or multiple-choice answer, ignoring case and surrounding spaces."""
    if answer is ... or answer is None:
        return Feedback("unanswered", "Replace the ... with your answer and run the cell again.")
    if str(answer).strip().lower() == str(expected).strip().lower():
        return Feedback("right", "")
    return Feedback("wrong", hint)

