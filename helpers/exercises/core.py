"""The machinery behind every coding exercise: run a learner's function on fixed cases, safely.

`check_function(fn, cases, mistakes=...)` calls `fn` on each `Case`, compares what comes back
with the expected value and answers with a `helpers.checks.Feedback`: right when every case
passes, otherwise "not yet" with the first failing case (its label, what was expected, what came
back) and, when the learner's output on that case equals the output of a catalogued `Mistake`
(a reference implementation *with* that mistake), the name of the mistake and its hint.

It never raises and never shows a traceback: a function that raises, runs longer than `timeout`
seconds, returns None, NaN, the wrong shape or the wrong type gets a sentence that says so.
"""
from __future__ import annotations

import copy
import dis
import math
import signal
import threading
import warnings
from dataclasses import dataclass
from typing import Any, Callable, Sequence

import numpy as np

from helpers.checks import Feedback

__all__ = ["Case", "Mistake", "check_function", "is_stub", "show", "compare", "UNANSWERED"]

UNANSWERED = "Write your code in the cell above (replace the ...), run that cell, then run this one again."


@dataclass(frozen=True)
class Case:
    """One call of the learner's function: `fn(*args)` should return `expected`.

    `expected` is a number, an array (or list of numbers/arrays), or a tuple of those when the
    function returns several things. `label` describes the input for the learner, e.g.
    "f(x) = x³, x = 2, h = 0.1".
    """

    args: tuple
    expected: Any
    label: str


@dataclass(frozen=True)
class Mistake:
    """A common mistake: `wrong` is a reference implementation that makes exactly this mistake.

    When the learner's output on a failing case equals `wrong(*case.args)`, the feedback names
    the mistake (`name`) and gives `hint`.
    """

    name: str
    wrong: Callable
    hint: str


class _Timeout(BaseException):
    """Raised by the alarm inside a learner's function (a BaseException, so `except Exception`
    in the learner's code cannot swallow it)."""


@dataclass
class _Outcome:
    value: Any = None
    error: BaseException | None = None
    timed_out: bool = False


_TRIVIAL_OPS = {"RESUME", "NOP", "CACHE", "EXTENDED_ARG", "PRECALL"}


def is_stub(fn: Any) -> bool:
    """True for a function whose body is only `...`/`pass` (with perhaps a docstring or comments).

    Read from the bytecode, so it works for functions defined in a notebook, with `exec` or
    without source: such a body compiles to nothing but "return None".
    """
    code = getattr(fn, "__code__", None)
    if code is None:
        return False
    ops = [(i.opname, i.argval) for i in dis.get_instructions(code) if i.opname not in _TRIVIAL_OPS]
    return ops in ([("LOAD_CONST", None), ("RETURN_VALUE", None)], [("RETURN_CONST", None)],
                   [("LOAD_CONST", ...), ("RETURN_VALUE", None)], [("RETURN_CONST", ...)])  # lambda ...: ...


def _call(fn: Callable, args: tuple, timeout: float | None) -> _Outcome:
    """Call `fn(*args)` on deep copies of the arguments, with warnings silenced and, in the main
    thread (a notebook cell runs there), an alarm after `timeout` seconds."""
    try:
        args = copy.deepcopy(args)
    except Exception:  # noqa: BLE001 - an uncopyable argument is passed as it is
        pass
    use_alarm = (timeout is not None and timeout > 0 and hasattr(signal, "setitimer")
                 and threading.current_thread() is threading.main_thread())
    old_handler = None

    def _alarm(signum, frame):
        raise _Timeout()

    out = _Outcome()
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            if use_alarm:
                old_handler = signal.signal(signal.SIGALRM, _alarm)
                signal.setitimer(signal.ITIMER_REAL, timeout)
            try:
                out.value = fn(*args)
            finally:
                if use_alarm:
                    signal.setitimer(signal.ITIMER_REAL, 0)
                    signal.signal(signal.SIGALRM, old_handler)
    except _Timeout:
        out.timed_out = True
    except KeyboardInterrupt:
        raise
    except BaseException as exc:  # noqa: BLE001 - SystemExit etc. from a learner's code too
        out.error = exc
    return out


def show(value: Any, limit: int = 160) -> str:
    """A short, readable rendering of a value for a message: 6 significant digits, never -0."""
    try:
        if value is None:
            return "None"
        if value is ...:
            return "..."
        if callable(value) and not isinstance(value, np.ndarray):
            return f"a function ({getattr(value, '__name__', type(value).__name__)})"
        if isinstance(value, (bool, np.bool_)):
            return repr(bool(value))
        if isinstance(value, tuple):
            text = "(" + ", ".join(show(v, limit) for v in value) + ("," if len(value) == 1 else "") + ")"
        elif isinstance(value, (int, np.integer)):
            text = str(int(value))
        elif isinstance(value, (float, np.floating)):
            text = _num(float(value))
        elif isinstance(value, (list, np.ndarray)):
            arr = np.asarray(value, dtype=float)
            if arr.ndim == 0:
                text = _num(float(arr))
            elif arr.size <= 40:
                text = np.array2string(arr + 0.0, precision=6, separator=", ", suppress_small=False,
                                       max_line_width=10_000, formatter={"float_kind": _num}).replace("\n", "")
            else:
                text = f"an array of shape {arr.shape}"
        else:
            text = repr(value)
    except Exception:  # noqa: BLE001 - ragged lists, odd objects
        try:
            text = repr(value)
        except Exception:  # noqa: BLE001
            text = f"<{type(value).__name__}>"
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _num(x: float) -> str:
    if math.isnan(x) or math.isinf(x):
        return str(x)
    text = f"{x + 0.0:.6g}"
    return "0" if text in ("-0", "0") else text


def _describe(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return f"a {type(value).__name__} of {len(value)}"
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}"
    if isinstance(value, (int, float, np.number)):
        return "a single number"
    if callable(value):
        return "a function"
    name = type(value).__name__
    return f"{'an' if name[:1] in 'aeiou' else 'a'} {name}"


def compare(got: Any, expected: Any, *, rtol: float, atol: float, name: str = "the result",
            names: Sequence[str] = ()) -> str | None:
    """None when `got` matches `expected` within atol + rtol·|expected|; otherwise a sentence
    saying what is wrong (None returned, wrong type, length, shape, NaN, or values)."""
    if got is None:
        return f"{name} is None — did you forget `return`?" if name != "the result" else \
            "your function returned None — did you forget `return`?"
    if got is ...:
        return f"{name} is ... (the placeholder): replace it with your computation"
    if isinstance(expected, tuple):
        k = len(expected)
        if isinstance(got, (str, bytes, dict)) or not hasattr(got, "__len__") or not hasattr(got, "__getitem__"):
            return f"expected {k} values {_names(names, k)}, got {_describe(got)}"
        if len(got) != k:
            return f"expected {k} values {_names(names, k)}, got {len(got)}"
        for i, (g, e) in enumerate(zip(got, expected)):
            part = names[i] if i < len(names) else f"value {i + 1} of {k}"
            problem = compare(g, e, rtol=rtol, atol=atol, name=part)
            if problem:
                return problem
        return None
    want = np.asarray(expected, dtype=float)
    if callable(got) and not isinstance(got, np.ndarray):
        return f"{name} should be numbers, but is {show(got)}: did you return a function instead of calling it?"
    if isinstance(got, (str, bytes, dict, set)):
        return f"{name} should be numbers, but is {_describe(got)} ({show(got, 60)})"
    try:
        arr = np.asarray(got, dtype=float)
    except Exception:  # noqa: BLE001 - ragged lists, generators, objects
        return f"{name} should be numbers of shape {want.shape}, but is {_describe(got)} that numpy " \
               f"cannot read as an array of numbers ({show(got, 60)})"
    if arr.shape != want.shape:
        if want.ndim == 0:
            return f"{name} should be a single number, but is {_describe(got)}"
        if arr.ndim == 0 and want.ndim == 1:
            return f"{name} should be {want.shape[0]} values, but is a single number"
        if arr.ndim >= 1 and want.ndim >= 1 and arr.shape[1:] == want.shape[1:] and arr.shape[0] != want.shape[0]:
            return f"{name} has {arr.shape[0]} entries where {want.shape[0]} were expected"
        return f"{name} has shape {arr.shape}, expected shape {want.shape}"
    if not np.all(np.isfinite(arr)):
        return f"{name} contains NaN or infinity"
    if np.all(np.abs(arr - want) <= atol + rtol * np.abs(want)):
        return None
    return f"{name} has the wrong value" if name != "the result" else "the values are not right"


def _names(names: Sequence[str], k: int) -> str:
    return "(" + ", ".join(names) + ")" if len(names) == k else ""


def check_function(fn: Any, cases: Sequence[Case], *, mistakes: Sequence[Mistake] = (),
                   rtol: float = 1e-6, atol: float = 1e-9, timeout: float | None = 1.0,
                   hint: str = "", name: str | None = None, output_names: Sequence[str] = ()) -> Feedback:
    """Run `fn` on every case and say right, or what went wrong on the first failing case.

    `mistakes` are tried in order on the failing case; the first whose output equals the
    learner's names the mistake and gives its hint. Otherwise `hint` (a general one) is given.
    `timeout` limits each call (only in the main thread, where a notebook cell runs; elsewhere
    there is no limit). `output_names` name the parts of a tuple result ("dW1", "db1", ...).
    """
    if fn is ... or fn is None or is_stub(fn):
        return Feedback("unanswered", UNANSWERED)
    if not callable(fn):
        return Feedback("wrong", f"Expected a function, got {_describe(fn)} ({show(fn, 60)}). "
                                 "Pass the function itself, without calling it: grade(\"…\", my_function).")
    fname = name or getattr(fn, "__name__", "your function")
    for k, case in enumerate(cases, 1):
        out = _call(fn, case.args, timeout)
        where = f"On case {k} of {len(cases)} ({case.label})"
        if out.timed_out:
            return Feedback("wrong", f"{where}, {fname} ran longer than {timeout:g} s and was stopped. "
                                     "Is there a loop that never ends?", case=case.label, mistake="timeout")
        if out.error is not None:
            err = out.error
            text = str(err).strip().splitlines()[0] if str(err).strip() else ""
            text = text if len(text) <= 200 else text[:199] + "…"
            msg = f"{where}, {fname} raised {type(err).__name__}" + (f": {text}" if text else "") + "."
            return Feedback("wrong", f"{msg} {hint}".strip(), case=case.label, mistake="raised")
        problem = compare(out.value, case.expected, rtol=rtol, atol=atol, names=output_names)
        if problem is None:
            continue
        stop = "" if problem.endswith("?") else "."
        msg = (f"{where}: {problem}{stop}\n  expected: {show(case.expected)}\n  got:      {show(out.value)}")
        m = _recognise(fn, out.value, case, cases, mistakes, rtol, atol, timeout)
        if m is not None:
            return Feedback("wrong", f"{msg}\nThis looks like a common mistake: {m.name}. {m.hint}".rstrip(),
                            case=case.label, mistake=m.name)
        kind = "none" if out.value is None else ""
        return Feedback("wrong", f"{msg}\n{hint}".rstrip(), case=case.label, mistake=kind)
    return Feedback("right", f"{fname} passes all {len(cases)} cases.")


def _recognise(fn, got, case: Case, cases: Sequence[Case], mistakes: Sequence[Mistake],
               rtol: float, atol: float, timeout: float | None) -> Mistake | None:
    """The catalogued mistake that explains the learner's output on the failing `case`.

    When several mistakes give the same output there, the one that agrees with the learner on
    the most of the other cases wins (ties go to the first listed).
    """
    def output(f, c):
        r = _call(f, c.args, None)
        return r.value if r.error is None and not r.timed_out else _NOTHING

    matching = [m for m in mistakes if (v := output(m.wrong, case)) is not _NOTHING and v is not None
                and _same(got, v, rtol, atol)]
    if len(matching) <= 1:
        return matching[0] if matching else None
    learner = {id(c): _call(fn, c.args, timeout) for c in cases}
    def score(m):
        return sum(1 for c in cases if learner[id(c)].error is None and not learner[id(c)].timed_out
                   and (v := output(m.wrong, c)) is not _NOTHING and _same(learner[id(c)].value, v, rtol, atol))
    return max(matching, key=score)  # max keeps the first of equal scores


_NOTHING = object()


def _same(got: Any, ref: Any, rtol: float, atol: float) -> bool:
    """Does the learner's output equal a mistaken reference's output (within the tolerances)?"""
    try:
        return compare(got, ref, rtol=rtol, atol=atol) is None
    except Exception:  # noqa: BLE001 - a mistaken reference's odd output just does not match
        return False
