"""Graders for notebook 10 (a tiny autograd): one new operation's backward rule, and the
topological order that the backward pass walks.

* "autograd.backward_rule": `sin(v) -> Value` records math.sin(v.data), its parent v and the
  local derivative cos(v.data). The grader runs the learner's operation inside
  `helpers.autograd` graphs and compares values and gradients with central finite differences.
* "autograd.topological_order": `topo(root) -> list` lists every Value `root` depends on once,
  parents before children; a 20,000-operation chain rules out recursion.
"""
from __future__ import annotations

import math

from helpers.autograd import Value
from helpers.checks import Feedback
from helpers.exercises import register
from helpers.exercises.core import Case, Mistake, _call, check_function, show

H = 1e-5
NAMES = ("sin(x).data", "∂sin(x)/∂x", "∂/∂x of x·sin(x·x)")


def _composite(x: float) -> float:
    return x * math.sin(x * x)


def _fd(f, x: float) -> float:
    return (f(x + H) - f(x - H)) / (2 * H)


def probe(sin):
    """Run a learner's `sin` in two graphs at x: (its value, its gradient, the gradient of
    x·sin(x·x) through it), what a grader compares with finite differences."""
    def run(x: float):
        v = Value(x)
        out = sin(v)
        if not isinstance(out, Value):
            raise TypeError(f"sin must return a Value, e.g. Value(math.sin(v.data), (v,), (…,)), "
                            f"but returned {type(out).__name__} {show(out, 40)}")
        out.backward()
        w = Value(x)
        y = w * sin(w * w)
        y.backward()
        return out.data, v.grad, w.grad
    return run


_POINTS = [0.5, 0.0, 2.0, -1.3, 4.0]
CASES = [Case((x,), (math.sin(x), _fd(math.sin, x), _fd(_composite, x)), f"x = {x:g}") for x in _POINTS]

_HINT = ("Record the parent and the local derivative beside the forward rule: "
         "Value(math.sin(v.data), (v,), (math.cos(v.data),), 'sin').")
MISTAKES = [
    Mistake("the local derivative −cos(x): the sign belongs to cos′ = −sin, not to sin′",
            probe(lambda v: Value(math.sin(v.data), (v,), (-math.cos(v.data),))),
            "d/dx sin x = +cos x."),
    Mistake("the forward value sin(x) used as the local derivative",
            probe(lambda v: Value(math.sin(v.data), (v,), (math.sin(v.data),))),
            "The local derivative of sin at x is cos x, not sin x (that rule is exp's)."),
    Mistake("the derivative taken at the output, cos(sin x), instead of at the input",
            probe(lambda v: Value(math.sin(v.data), (v,), (math.cos(math.sin(v.data)),))),
            "Evaluate the local derivative at the input v.data: cos(v.data)."),
    Mistake("no parent recorded, so no gradient flows back",
            probe(lambda v: Value(math.sin(v.data))),
            "Without (v,) as parents and (cos(v.data),) as local derivatives, backward() cannot reach v: "
            "its grad stays 0."),
]


@register("autograd.backward_rule", "sin(v) -> Value: a new operation with its local derivative (checked by finite differences)")
def grade_backward_rule(answer) -> Feedback:
    if not callable(answer):
        return check_function(answer, CASES)  # the standard "expected a function" message
    return check_function(probe(answer), CASES, mistakes=MISTAKES, output_names=NAMES, rtol=1e-6, atol=1e-8,
                          name=getattr(answer, "__name__", "sin"), hint=_HINT)


# --- topological order ----------------------------------------------------------------------

def _z_graph():
    x, y = Value(3.0), Value(-3.0)
    return x * y + x ** 2


def _diamond():
    x = Value(0.5)
    a = x.exp()
    b = a * a + a.tanh()
    return (b / a).log() + x


def _leaf():
    return Value(7.0)


def _chain(n: int = 20_000):
    v = Value(1.0)
    for _ in range(n):
        v = v * 1.0
    return v


GRAPHS = [(_z_graph, "z = x·y + x² (x used twice)"), (_diamond, "a graph where a = exp(x) is used four times"),
          (_leaf, "a single Value with no parents"), (_chain, "a chain of 20,000 multiplications")]


def _reachable(root: Value) -> dict[int, Value]:
    seen, stack = {id(root): root}, [root]
    while stack:
        for p in stack.pop().parents:
            if id(p) not in seen:
                seen[id(p)] = p
                stack.append(p)
    return seen


def check_order(order, root: Value) -> tuple[str, str] | None:
    """None if `order` is a topological order of everything `root` depends on; else (mistake, message)."""
    if order is None:
        return "none", "your function returned None — did you forget `return`?"
    try:
        order = list(order)
    except TypeError:
        return "type", f"expected a list of Values, got {type(order).__name__}"
    if not all(isinstance(v, Value) for v in order):
        return "type", "expected a list of Values, but some entries are not Values"
    need = _reachable(root)
    ids = [id(v) for v in order]
    if len(set(ids)) < len(ids):
        return ("duplicates", f"your list has {len(ids)} entries but only {len(set(ids))} different Values: a Value "
                "used twice was listed twice. Keep a set of the Values already visited and skip them.")
    if set(ids) != set(need):
        missing, extra = len(set(need) - set(ids)), len(set(ids) - set(need))
        return "missing", (f"{missing} Value(s) that root depends on are missing" if missing else
                           f"{extra} Value(s) that root does not depend on are listed")
    if order[0] is root and len(order) > 1:
        return ("reversed", "root comes first: that is the order backward() walks, reversed. A topological order "
                "lists every parent before its children, so root is last.")
    where = {i: k for k, i in enumerate(ids)}
    for v in order:
        for p in v.parents:
            if where[id(p)] > where[id(v)]:
                return "order", "a Value is listed before one of its parents: every parent must come first"
    return None


@register("autograd.topological_order", "topo(root) -> list: every Value root depends on, once, parents first, no recursion")
def grade_topological_order(answer) -> Feedback:
    if not callable(answer):
        return check_function(answer, [])
    fname = getattr(answer, "__name__", "your function")
    for build, label in GRAPHS:
        root = build()
        out = _call(lambda: answer(root), (), 2.0)  # no copy: the answer must list these very Values
        where = f"On the case {label}"
        if out.timed_out:
            return Feedback("wrong", f"{where}, {fname} ran longer than 2 s and was stopped. Checking `in` on a list "
                                     "is slow for big graphs: keep the visited Values in a set.",
                            case=label, mistake="timeout")
        if isinstance(out.error, RecursionError):
            return Feedback("wrong", f"{where}, {fname} raised RecursionError: a recursive depth-first search needs one "
                                     "Python frame per level, and Python allows about 1,000. Use an explicit stack "
                                     "(a list you push and pop) instead of recursion.", case=label, mistake="recursion")
        if out.error is not None:
            return Feedback("wrong", f"{where}, {fname} raised {type(out.error).__name__}: {out.error}".rstrip(": "),
                            case=label, mistake="raised")
        problem = check_order(out.value, root)
        if problem:
            return Feedback("wrong", f"{where}: {problem[1]}", case=label, mistake=problem[0])
    return Feedback("right", f"{fname} passes all {len(GRAPHS)} cases.")
