"""Graders of notebooks 10 and 13: right answers pass; each catalogued mistake, written the way a
learner would write it, is rejected with its own hint; raising, None, NaN and stubs are handled."""
import math

import numpy as np
import pytest

from helpers import exercises
from helpers.autograd import Value, topological_order
from helpers.exercises import autograd as ag, initialisation as gi


def grade(eid, fn):
    fb = exercises.grade(eid, fn)
    assert fb.status in ("right", "wrong", "unanswered")
    return fb


# --- autograd.backward_rule ----------------------------------------------------------------

def sin_right(v):
    return Value(math.sin(v.data), (v,), (math.cos(v.data),), "sin")


LEARNER_SIN_MISTAKES = {
    ag.MISTAKES[0].name: lambda v: Value(math.sin(v.data), (v,), (-math.cos(v.data),), "sin"),
    ag.MISTAKES[1].name: lambda v: Value(math.sin(v.data), (v,), (math.sin(v.data),), "sin"),
    ag.MISTAKES[2].name: lambda v: Value(math.sin(v.data), (v,), (math.cos(math.sin(v.data)),)),
    ag.MISTAKES[3].name: lambda v: Value(math.sin(v.data)),
}


def test_the_right_sin_passes_and_is_checked_by_finite_differences():
    assert grade("autograd.backward_rule", sin_right).correct
    x = 0.7                                      # the cases' expected gradients are finite differences
    case = next(c for c in ag.CASES if c.args == (0.5,))
    assert case.expected[1] == pytest.approx(math.cos(0.5), rel=1e-9)
    assert ag.probe(sin_right)(x)[2] == pytest.approx(math.sin(x * x) + 2 * x * x * math.cos(x * x), rel=1e-12)


@pytest.mark.parametrize("name", list(LEARNER_SIN_MISTAKES))
def test_each_sin_mistake_is_named(name):
    fb = grade("autograd.backward_rule", LEARNER_SIN_MISTAKES[name])
    assert not fb.correct and fb.mistake == name
    assert next(m.hint for m in ag.MISTAKES if m.name == name) in fb.message


def test_sin_returning_a_float_raising_or_stub():
    fb = grade("autograd.backward_rule", lambda v: math.sin(v.data))
    assert not fb.correct and "must return a Value" in fb.message and "Traceback" not in fb.message
    fb = grade("autograd.backward_rule", lambda v: 1 / 0)
    assert not fb.correct and "ZeroDivisionError" in fb.message

    def sin(v):
        ...
    assert grade("autograd.backward_rule", sin).status == "unanswered"
    assert grade("autograd.backward_rule", ...).status == "unanswered"
    assert not grade("autograd.backward_rule", 3.0).correct
    fb = grade("autograd.backward_rule", lambda v: Value(math.sin(v.data), (v,), (float("nan"),)))
    assert not fb.correct and "NaN" in fb.message


# --- autograd.topological_order -------------------------------------------------------------

def topo_recursive(root):
    out, seen = [], set()

    def visit(v):
        if id(v) not in seen:
            seen.add(id(v))
            for p in v.parents:
                visit(p)
            out.append(v)
    visit(root)
    return out


def topo_no_visited_set(root):
    out, stack = [], [root]
    while stack:
        v = stack.pop()
        out.append(v)
        stack.extend(v.parents)
    return out[::-1]


def topo_list_membership(root):       # right, but `in` on a list: quadratic
    out, stack = [], [(root, False)]
    while stack:
        v, expanded = stack.pop()
        if expanded:
            out.append(v)
        elif v not in out and all(v is not s for s, _ in stack):
            stack.append((v, True))
            stack.extend((p, False) for p in v.parents if not any(p is o for o in out))
    return out


@pytest.mark.parametrize("fn,mistake", [
    (topo_recursive, "recursion"),
    (topo_no_visited_set, "duplicates"),
    (lambda root: topological_order(root)[::-1], "reversed"),
    (lambda root: topological_order(root)[1:], "missing"),
    (lambda root: print(end="") or None, "none"),          # forgot `return`
    (lambda root: [root, 1.0], "type"),
])
def test_each_order_mistake_is_named(fn, mistake):
    fb = grade("autograd.topological_order", fn)
    assert not fb.correct and fb.mistake == mistake, fb


def test_a_parent_after_its_child_is_caught():
    def swapped(root):
        order = topological_order(root)
        order[0], order[-2] = order[-2], order[0]
        return order
    fb = grade("autograd.topological_order", swapped)
    assert not fb.correct and fb.mistake == "order"


def test_the_right_orders_pass():
    assert grade("autograd.topological_order", topological_order).correct

    def another_valid_order(root):             # parents visited last-first: still topological
        order, seen, stack = [], {id(root)}, [(root, len(root.parents) - 1)]
        while stack:
            node, i = stack.pop()
            if i >= 0:
                stack.append((node, i - 1))
                p = node.parents[i]
                if id(p) not in seen:
                    seen.add(id(p))
                    stack.append((p, len(p.parents) - 1))
            else:
                order.append(node)
        return order
    assert grade("autograd.topological_order", another_valid_order).correct


def test_a_slow_or_raising_order_gets_a_sentence():
    fb = grade("autograd.topological_order", topo_list_membership)
    assert not fb.correct and fb.mistake == "timeout"   # quadratic: far too slow on 20,000 nodes
    fb = grade("autograd.topological_order", lambda root: root.nope)
    assert not fb.correct and fb.mistake == "raised" and "AttributeError" in fb.message


# --- initialisation.init_std ----------------------------------------------------------------

def init_std(n_in, n_out, activation):
    return math.sqrt(2 / n_in) if activation == "relu" else math.sqrt(2 / (n_in + n_out))


LEARNER_STD_MISTAKES = {
    gi.STD_MISTAKES[0].name: lambda i, o, a: 2 / i if a == "relu" else 2 / (i + o),
    gi.STD_MISTAKES[1].name: lambda i, o, a: math.sqrt(2 / o) if a == "relu" else math.sqrt(2 / (i + o)),
    gi.STD_MISTAKES[2].name: lambda i, o, a: math.sqrt(2 / (i + o)),
    gi.STD_MISTAKES[3].name: lambda i, o, a: math.sqrt(2 / i),
    gi.STD_MISTAKES[4].name: lambda i, o, a: 1 / math.sqrt(i),
}


def test_init_std_right_and_against_the_papers():
    assert grade("initialisation.init_std", init_std).correct
    case = gi.STD_CASES[0]                        # n = 100, relu: He's √(2/100)
    assert case.expected == pytest.approx(math.sqrt(0.02), rel=1e-15)


@pytest.mark.parametrize("name", list(LEARNER_STD_MISTAKES))
def test_each_init_std_mistake_is_named(name):
    fb = grade("initialisation.init_std", LEARNER_STD_MISTAKES[name])
    assert not fb.correct and fb.mistake == name


# --- initialisation.backward_norms ----------------------------------------------------------

def backward_norms(weights, slopes, g_top):
    g = g_top
    norms = [np.linalg.norm(g)]
    for W, s in zip(weights[::-1], slopes[::-1]):
        g = (g * s) @ W
        norms.append(np.linalg.norm(g))
    return np.array(norms[::-1])


LEARNER_NORM_MISTAKES = {
    gi.NORM_MISTAKES[0].name: lambda Ws, Ss, g: backward_norms(Ws, [np.ones_like(d) for d in Ss], g),
    gi.NORM_MISTAKES[1].name: lambda Ws, Ss, g: backward_norms([W.T for W in Ws], Ss, g),
    gi.NORM_MISTAKES[2].name: lambda Ws, Ss, g: backward_norms(Ws, Ss, g)[::-1],
    gi.NORM_MISTAKES[3].name: lambda Ws, Ss, g: backward_norms(Ws, Ss, g)[:-1],
}


def test_backward_norms_right_and_against_finite_differences():
    assert grade("initialisation.backward_norms", backward_norms).correct
    # independent reference: a linear network with slopes 1 has ∂(Σ g_top ⊙ h_top)/∂h_0 = g_top·W_2·W_1
    (Ws, Ss, g), expected = gi.NORM_CASES[0].args, gi.NORM_CASES[0].expected
    rng = np.random.default_rng(0)
    h0 = rng.standard_normal(g.shape)
    loss = lambda h: np.sum(g * (((h @ Ws[0].T) * Ss[0]) @ Ws[1].T) * Ss[1])   # slopes as fixed gains
    num = np.zeros_like(h0)
    for idx in np.ndindex(h0.shape):
        e = np.zeros_like(h0)
        e[idx] = 1e-6
        num[idx] = (loss(h0 + e) - loss(h0 - e)) / 2e-6
    assert expected[0] == pytest.approx(np.linalg.norm(num), rel=1e-6)


@pytest.mark.parametrize("name", list(LEARNER_NORM_MISTAKES))
def test_each_backward_norms_mistake_is_named(name):
    fb = grade("initialisation.backward_norms", LEARNER_NORM_MISTAKES[name])
    assert not fb.correct and fb.mistake == name, fb


def test_backward_norms_wrong_shape_and_nan():
    fb = grade("initialisation.backward_norms", lambda Ws, Ss, g: np.zeros(2))
    assert not fb.correct and "entries" in fb.message or "shape" in fb.message
    fb = grade("initialisation.backward_norms", lambda Ws, Ss, g: backward_norms(Ws, Ss, g) * np.nan)
    assert not fb.correct and "NaN" in fb.message
