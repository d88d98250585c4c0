"""helpers.autograd against central finite differences (random expression graphs with reused
nodes, every operation, numbers on either side), a 50,000-operation chain, accumulation over
paths and over repeated backward() calls."""
import math

import numpy as np
import pytest

from helpers.autograd import Value, topological_order, zero_grad


def fd(f, xs, i, h=1e-6):
    up, down = list(xs), list(xs)
    up[i] += h
    down[i] -= h
    return (f(*up) - f(*down)) / (2 * h)


# (name, built with Values, the same with math on floats) — one per operation and form
OPS = [
    ("a + b", lambda a, b: a + b, lambda a, b: a + b),
    ("a - b", lambda a, b: a - b, lambda a, b: a - b),
    ("a * b", lambda a, b: a * b, lambda a, b: a * b),
    ("a / b", lambda a, b: a / b, lambda a, b: a / b),
    ("2 + a", lambda a, b: 2 + a, lambda a, b: 2 + a),
    ("2 - a", lambda a, b: 2 - a, lambda a, b: 2 - a),
    ("2 * a", lambda a, b: 2 * a, lambda a, b: 2 * a),
    ("3 / a", lambda a, b: 3 / a, lambda a, b: 3 / a),
    ("a - 2", lambda a, b: a - 2, lambda a, b: a - 2),
    ("a / 4", lambda a, b: a / 4, lambda a, b: a / 4),
    ("-a", lambda a, b: -a, lambda a, b: -a),
    ("a ** 3", lambda a, b: a ** 3, lambda a, b: a ** 3),
    ("a ** -1.5", lambda a, b: a ** -1.5, lambda a, b: a ** -1.5),
    ("exp", lambda a, b: a.exp(), lambda a, b: math.exp(a)),
    ("log", lambda a, b: a.log(), lambda a, b: math.log(a)),
    ("tanh", lambda a, b: a.tanh(), lambda a, b: math.tanh(a)),
    ("sigmoid", lambda a, b: a.sigmoid(), lambda a, b: 1 / (1 + math.exp(-a))),
    ("relu", lambda a, b: a.relu(), lambda a, b: max(a, 0.0)),
    ("a * a (a twice)", lambda a, b: a * a, lambda a, b: a * a),
]


@pytest.mark.parametrize("name,build,ref", OPS, ids=[o[0] for o in OPS])
@pytest.mark.parametrize("point", [(1.3, 0.7), (0.4, -2.1), (2.5, 1.9)])
def test_every_operation_against_finite_differences(name, build, ref, point):
    a, b = Value(point[0]), Value(point[1])
    out = build(a, b)
    assert out.data == pytest.approx(ref(*point), rel=1e-14)
    assert a.grad == 0.0 and b.grad == 0.0          # nothing until backward()
    out.backward()
    assert out.grad == 1.0
    for i, v in enumerate((a, b)):
        assert v.grad == pytest.approx(fd(ref, point, i), rel=1e-7, abs=1e-9), (name, i)


def test_relu_slope_is_zero_below_zero_and_one_above():
    for x, slope in ((-1.0, 0.0), (2.0, 1.0)):
        v = Value(x)
        v.relu().backward()
        assert v.grad == slope


def random_graph(rng, n_inputs=3, n_ops=25):
    """A random expression reusing earlier nodes, as a recipe applied to Values or to floats."""
    recipe = []
    for k in range(n_ops):
        i, j = rng.integers(0, n_inputs + k, size=2)       # any earlier node: inputs and results
        recipe.append((rng.choice(["+", "-", "*", "tanh", "sigmoid", "exp_small", "sq", "div"]), int(i), int(j)))

    def run(xs, value):
        nodes = list(xs)
        tanh = (lambda v: v.tanh()) if value else math.tanh
        sig = (lambda v: v.sigmoid()) if value else (lambda x: 1 / (1 + math.exp(-x)))
        exp = (lambda v: v.exp()) if value else math.exp
        for op, i, j in recipe:
            a, b = nodes[i], nodes[j]
            nodes.append({"+": lambda: a + b, "-": lambda: a - b, "*": lambda: a * b, "tanh": lambda: tanh(a),
                          "sigmoid": lambda: sig(a), "exp_small": lambda: exp(0.1 * a) * 0.5,
                          "sq": lambda: a ** 2 * 0.3, "div": lambda: a / (1 + b * b)}[op]())
        return sum(nodes[n_inputs:], nodes[0] * 0.0)
    return run


@pytest.mark.parametrize("seed", range(8))
def test_random_graphs_with_reused_nodes_against_finite_differences(seed):
    rng = np.random.default_rng(seed)
    run = random_graph(rng)
    xs = list(rng.uniform(-1, 1, 3))
    vals = [Value(x) for x in xs]
    out = run(vals, True)
    out.backward()
    f = lambda *x: run(list(x), False)
    assert out.data == pytest.approx(f(*xs), rel=1e-12)
    for i, v in enumerate(vals):
        assert v.grad == pytest.approx(fd(f, xs, i), rel=1e-6, abs=1e-8)


def test_z_gathers_both_paths_into_x():
    x, y = Value(3.0), Value(-3.0)
    z = x * y + x ** 2
    z.backward()
    assert (x.grad, y.grad) == (y.data + 2 * x.data, x.data)   # ∂z/∂x = y + 2x, ∂z/∂y = x


def test_a_chain_50000_operations_deep():
    v = Value(1.0)
    out = v
    for _ in range(50_000):
        out = out * 1.00001
    out.backward()
    assert v.grad == pytest.approx(1.00001 ** 50_000, rel=1e-9)
    assert len(topological_order(out)) == 100_001      # v, the 50,000 constants, 50,000 products


def test_second_backward_adds_the_same_again_and_zero_grad_resets():
    x, y = Value(3.0), Value(-3.0)
    xy = x * y
    z = xy + x ** 2
    z.backward()
    first = {id(v): v.grad for v in topological_order(z)}
    z.backward()
    for v in topological_order(z):                      # exactly doubled, intermediates too
        assert v.grad == 2 * first[id(v)]
    z.zero_grad()
    assert all(v.grad == 0.0 for v in topological_order(z))
    z.backward()
    assert x.grad == 3.0 and xy.grad == 1.0


def test_backward_of_two_results_adds_their_gradients():
    x = Value(2.0)
    a, b = x * x, x.exp()
    a.backward()
    b.backward()
    assert x.grad == pytest.approx(4.0 + math.exp(2.0), rel=1e-15)
    zero_grad([x])
    assert x.grad == 0.0


def test_topological_order_lists_each_node_once_parents_first():
    x = Value(0.5)
    a = x.exp()
    out = (a * a + a.tanh()) / a + x
    order = topological_order(out)
    assert order[-1] is out and len({id(v) for v in order}) == len(order)
    position = {id(v): k for k, v in enumerate(order)}
    assert all(position[id(p)] < position[id(v)] for v in order for p in v.parents)


def test_errors_are_clear():
    with pytest.raises(TypeError, match="plain-number exponent"):
        Value(2.0) ** Value(3.0)
    with pytest.raises(ValueError, match="not a real number"):
        Value(-1.0) ** 0.5


def test_repr_never_shows_minus_zero():
    v = -Value(0.0)
    assert v.data == 0.0 and "-0" not in repr(v)
