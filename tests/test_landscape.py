"""The typed valley (helpers/landscape.py), the basin and saddle math (helpers/basins.py) and the
typed-valley scene: gradients against central differences, a catalogue of hostile inputs each
refused quickly with a message naming the problem, undefined points, closed forms."""
import builtins
import math
import warnings

import numpy as np
import pytest
from cpu_clock import CpuClock

from helpers import basins
from helpers.descent import gradient_descent
from helpers.fastfig import BlitRenderer, drawn_data
from helpers.landscape import parse_cost
from helpers.landscape_scenes import TypedContourScene, TypedValleyScene, stop_reason

# ---------------------------------------------------------------- values and exact gradients

ONE_VAR = {  # text → an independent numpy version of the same function
    "x**4 - 3*x**2 + x": lambda x: x**4 - 3 * x**2 + x,
    "sin(3*x) + 0.1*x**2": lambda x: np.sin(3 * x) + 0.1 * x**2,
    "exp(-x**2)": lambda x: np.exp(-x**2),
    "1 - exp(-x**2)": lambda x: 1 - np.exp(-x**2),
    "log(x)": np.log,
    "log(1 + x**2)": lambda x: np.log(1 + x**2),
    "sqrt(x)": np.sqrt,
    "sqrt(abs(x)) * x": lambda x: np.sqrt(np.abs(x)) * x,
    "abs(x - 1)": lambda x: np.abs(x - 1),
    "tanh(5*x) + 0.05*x**2": lambda x: np.tanh(5 * x) + 0.05 * x**2,
    "tan(x/2)": lambda x: np.tan(x / 2),
    "cos(x)**3 - sin(2*x)": lambda x: np.cos(x)**3 - np.sin(2 * x),
    "1/(1 + exp(-x))": lambda x: 1 / (1 + np.exp(-x)),
    "x/(1 + x**2)": lambda x: x / (1 + x**2),
    "(x - 1)/(x + 2)": lambda x: (x - 1) / (x + 2),
    "x**-2": lambda x: x**-2.0,
    "x**0.5 + x**1.5": lambda x: x**0.5 + x**1.5,
    "(x**2 + 1)**3": lambda x: (x**2 + 1)**3,
    "2**x": lambda x: 2.0**x,
    "x**x": lambda x: x**x,
    "e**(x/3) + pi*x": lambda x: np.e**(x / 3) + np.pi * x,
    "-x**2": lambda x: -x**2,
    "(-x)**3": lambda x: (-x)**3,
    "--x + +x": lambda x: 2 * x,
    "x - (2 - x) - -x": lambda x: 3 * x - 2,
    "exp(sin(x))*log(2 + cos(x))": lambda x: np.exp(np.sin(x)) * np.log(2 + np.cos(x)),
    "sqrt(1 + tanh(x)**2)/(3 + sin(x))": lambda x: np.sqrt(1 + np.tanh(x)**2) / (3 + np.sin(x)),
    "3": lambda x: 3 + 0 * x,
    "0.25*x**4 - x**3 + x**2": lambda x: 0.25 * x**4 - x**3 + x**2,
    "exp(x**3)": lambda x: np.exp(x**3),
}
TWO_VAR = {
    "x*y + x**2": lambda x, y: x * y + x**2,
    "x**4 - 3*x**2 + x + y**2 + x*y": lambda x, y: x**4 - 3 * x**2 + x + y**2 + x * y,
    "x**4/4 - x**2/2 + y**2/2": lambda x, y: x**4 / 4 - x**2 / 2 + y**2 / 2,
    "sin(x)*cos(y)": lambda x, y: np.sin(x) * np.cos(y),
    "exp(-(x**2 + y**2))": lambda x, y: np.exp(-(x**2 + y**2)),
    "log(x**2 + y**2 + 1)": lambda x, y: np.log(x**2 + y**2 + 1),
    "x/y": lambda x, y: x / y,
    "sqrt(x**2 + y**2)": lambda x, y: np.sqrt(x**2 + y**2),
    "(1 - x)**2 + 100*(y - x**2)**2": lambda x, y: (1 - x)**2 + 100 * (y - x**2)**2,
    "x**y": lambda x, y: x**y,
    "tanh(x*y) - y**3": lambda x, y: np.tanh(x * y) - y**3,
}


def _points(n, dims, seed):
    return np.random.default_rng(seed).uniform(-2.5, 2.5, (dims, n))


def _central(fn, args, i, h=1e-6):
    up = list(args)
    dn = list(args)
    up[i] = args[i] + h
    dn[i] = args[i] - h
    return (fn(*up) - fn(*dn)) / (2 * h)


def _usable(fn, args):
    """Points where the function is finite and smooth nearby (away from poles, kinks, edges)."""
    with np.errstate(all="ignore"):
        ok = np.ones(args[0].shape, dtype=bool)
        for i in range(len(args)):
            for h in (0.0, 1e-3, -1e-3):
                shifted = list(args)
                shifted[i] = args[i] + h
                v = fn(*shifted)
                ok &= np.isfinite(v) & (np.abs(v) < 1e6)
        for a in args:
            ok &= np.abs(a) > 1e-2
        return ok


@pytest.mark.parametrize("text", ONE_VAR)
def test_one_variable_values_and_gradient_against_central_differences(text):
    ref = ONE_VAR[text]
    cost = parse_cost(text)
    (x,) = _points(200, 1, seed=len(text))
    with np.errstate(all="ignore"):
        want = ref(x)
    got = cost(x)
    assert got.shape == x.shape
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12, equal_nan=True)
    ok = _usable(ref, (x,)) & ~((text.startswith("abs(x - 1)")) & (np.abs(x - 1) < 1e-2))
    assert ok.sum() >= 40, "too few points where the expression is defined"
    with np.errstate(all="ignore"):
        fd = _central(ref, (x[ok],), 0)
    (g,) = cost.grad(x[ok])
    np.testing.assert_allclose(g, fd, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("text", TWO_VAR)
def test_two_variable_gradient_against_central_differences(text):
    ref = TWO_VAR[text]
    cost = parse_cost(text, ("x", "y"))
    x, y = _points(200, 2, seed=len(text))
    ok = _usable(ref, (x, y))
    assert ok.sum() >= 40
    x, y = x[ok], y[ok]
    np.testing.assert_allclose(cost(x, y), ref(x, y), rtol=1e-12, atol=1e-12)
    gx, gy = cost.grad(x, y)
    scale = 1 + np.abs(ref(x, y))
    np.testing.assert_allclose(gx / scale, _central(ref, (x, y), 0) / scale, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(gy / scale, _central(ref, (x, y), 1) / scale, rtol=1e-5, atol=1e-5)


def test_derivatives_print_as_the_textbook_writes_them():
    assert parse_cost("x**4 - 3*x**2 + x").derivative_text == ("4*x**3 - 6*x + 1",)
    assert parse_cost("x*y + x**2", ("x", "y")).derivative_text == ("y + 2*x", "x")
    assert parse_cost("sin(3*x) + 0.1*x**2").derivative_text == ("3*cos(3*x) + 0.2*x",)


@pytest.mark.parametrize("text", list(ONE_VAR) + ["-(x + 1)", "x - (1 - x)", "2/(x*3)", "(x**2)**3", "x**(-1)"])
def test_normalised_text_means_the_same(text):
    cost = parse_cost(text)
    again = parse_cost(cost.text)
    x = np.linspace(-3, 3, 61) + 0.013
    np.testing.assert_allclose(again(x), cost(x), rtol=1e-12, equal_nan=True)
    assert again.text == cost.text


@pytest.mark.parametrize("text", ["x*y + x**2", "sin(x)*cos(y) + exp(-x**2 - y**2)", "(1 - x)**2 + 100*(y - x**2)**2",
                                  "log(x) + y**3", "3"])
def test_gradient_at_one_point_is_the_closed_form(text):
    # the single-point path descent uses (one 2-vector per step) against the closed-form partials
    # evaluated by numpy directly, and against central differences of the cost
    closed = {"x*y + x**2": lambda x, y: (y + 2 * x, x),
              "sin(x)*cos(y) + exp(-x**2 - y**2)": lambda x, y: (np.cos(x) * np.cos(y) - 2 * x * np.exp(-x**2 - y**2),
                                                                -np.sin(x) * np.sin(y) - 2 * y * np.exp(-x**2 - y**2)),
              "(1 - x)**2 + 100*(y - x**2)**2": lambda x, y: (-2 * (1 - x) - 400 * x * (y - x**2), 200 * (y - x**2)),
              "log(x) + y**3": lambda x, y: (1 / x, 3 * y**2),
              "3": lambda x, y: (0.0, 0.0)}[text]
    cost = parse_cost(text, ("x", "y"))
    for x, y in np.random.default_rng(3).uniform(0.2, 2.0, (50, 2)):
        g = cost.grad_at(np.array([x, y]))
        assert g.shape == (2,) and g.dtype == float
        np.testing.assert_allclose(g, closed(x, y), rtol=1e-12, atol=1e-12)
        h = 1e-6
        fd = [(cost(x + h, y) - cost(x - h, y)) / (2 * h), (cost(x, y + h) - cost(x, y - h)) / (2 * h)]
        np.testing.assert_allclose(g, fd, rtol=1e-5, atol=1e-5)
    with np.errstate(all="ignore"):
        assert np.isnan(cost.grad_at(np.array([np.nan, 1.0]))).any() or text == "3"


ONE_POINT_1D = ("sin(3*x) + 0.1*x**2", "0.25*x**4 - x**3 + x**2", "log(x)", "exp(x**3)", "sqrt(abs(x))",
                "1/x", "x**x", "tanh(5*x) + 0.05*x**2", "x**-3 + 1/(x - 1)", "cos(x)**2/x + pi*e")
ONE_POINT_2D = ("x*y + x**2", "(1 - x)**2 + 10*(y - x**2)**2", "x**4/4 - x**2/2 + y**2/2",
                "sin(x)*cos(y) + 0.05*(x**2 + y**2)", "log(x**2 + y**2)", "sqrt(x) + y**2", "exp(x**3) + y**2",
                "1/(x*y)", "x**y + y**0.5 - tan(x/y)", "abs(x - y)**3 + (x*y)**-2")


def test_gradient_at_one_point_is_bit_for_bit_the_array_gradient():
    """The one-point path of a descent step (Python floats) gives exactly the broadcast path's
    values, also where they are 0, -0, inf or nan (division by zero, log of a negative, overflow)."""
    rng = np.random.default_rng(11)
    specials = [0.0, -0.0, 1.0, -1.0, 0.5, -2.5, 1e-300, 1e200, -1e200, np.inf, -np.inf, np.nan]
    xs = np.concatenate([specials, rng.normal(0, 2, 300), rng.uniform(-1e3, 1e3, 50)])
    with np.errstate(all="ignore"):
        for text in ONE_POINT_1D:
            cost = parse_cost(text, ("x",))
            whole = cost.grad(xs)[0]
            one = np.array([cost.grad_at(np.float64(x)) for x in xs])
            assert one.shape == xs.shape and isinstance(cost.grad_at(np.float64(2.0)), np.ndarray)
            assert_same_bits(one, whole, text)
        pts = np.stack([np.resize(xs, 400), rng.permutation(np.resize(xs, 400))], axis=-1)
        for text in ONE_POINT_2D:
            cost = parse_cost(text, ("x", "y"))
            whole = cost.grad_at(pts)  # (400, 2): the broadcast path
            one = np.array([cost.grad_at(p) for p in pts])
            assert_same_bits(one, whole, text)


def assert_same_bits(a: np.ndarray, b: np.ndarray, text: str) -> None:
    """Equal bit for bit (so 0.0 and -0.0 differ), except that any nan equals any nan: which nan
    an operation on two nans returns (its sign) depends on numpy's SIMD path, even between runs."""
    same = (a.view(np.uint64) == b.view(np.uint64)) | (np.isnan(a) & np.isnan(b))
    assert same.all(), f"{text}: {np.flatnonzero(~same)[:5]} differ, e.g. {a[~same][:3]} against {b[~same][:3]}"


def test_broadcasting_shapes_and_points_with_a_coordinate_axis():
    cost = parse_cost("x*y + x**2", ("x", "y"))
    x, y = np.linspace(-1, 1, 5)[:, None], np.linspace(-2, 2, 3)[None, :]
    assert cost(x, y).shape == (5, 3)
    assert all(g.shape == (5, 3) for g in cost.grad(x, y))
    const = parse_cost("3", ("x", "y"))
    assert const(x, y).shape == (5, 3) and np.all(const.grad(x, y)[0] == 0)
    p = np.array([[3.0, -3.0], [1.0, 2.0]])
    np.testing.assert_allclose(cost.value_at(p), [0.0, 3.0])
    np.testing.assert_allclose(cost.grad_at(p), [[3.0, 3.0], [4.0, 1.0]])  # (y + 2x, x)
    with pytest.raises(ValueError, match="last axis of length 2"):
        cost.grad_at(np.zeros(3))
    with pytest.raises(ValueError, match="one per variable"):
        cost(np.zeros(3))


def test_undefined_and_overflowing_points_give_nan_or_inf_without_warnings():
    x = np.array([-1.0, 0.0, 1.0, 10.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        log = parse_cost("log(x)")
        v, (g,) = log(x), log.grad(x)
        big = parse_cost("exp(x**3)")
        b, (gb,) = big(x), big.grad(x)
        root = parse_cost("sqrt(x)")
        r, (gr,) = root(x), root.grad(x)
    assert np.isnan(v[0]) and v[1] == -np.inf and v[2] == 0
    assert np.isfinite(g[0])  # 1/x is defined where log is not: callers must check the cost too
    assert np.isinf(b[3]) and np.isinf(gb[3]) and np.isfinite(b[:3]).all()
    assert np.isnan(r[0]) and np.isinf(gr[1]) and gr[2] == 0.5


def test_parse_never_evaluates_or_compiles_code(monkeypatch):
    import ast

    def refuse(*args, **kwargs):
        raise AssertionError("eval/exec called")

    real_compile = builtins.compile

    def only_ast(source, filename, mode, flags=0, *args, **kwargs):
        assert flags & ast.PyCF_ONLY_AST, "compile was asked for code, not a syntax tree"
        return real_compile(source, filename, mode, flags, *args, **kwargs)

    monkeypatch.setattr(builtins, "eval", refuse)
    monkeypatch.setattr(builtins, "exec", refuse)
    monkeypatch.setattr(builtins, "compile", only_ast)
    cost = parse_cost("sin(3*x) + 0.1*x**2")
    cost(np.linspace(-1, 1, 5)), cost.grad(np.linspace(-1, 1, 5))
    for text in ("__import__('os').system('echo hi')", "eval('1')", "exec('x=1')"):
        with pytest.raises(ValueError):
            parse_cost(text)


# ---------------------------------------------------------------- hostile and invalid input

HOSTILE = [  # (text, a word the message must contain)
    ("__import__('os')", "__import__"),
    ("__import__('os').system('rm -rf /')", "attribute"),
    ("x.__class__", "attribute"),
    ("().__class__.__bases__", "attribute"),
    ("().__class__.__bases__[0].__subclasses__()", "attribute"),
    ("lambda: 1", "lambda"),
    ("(lambda x: x)(x)", "calling"),
    ("'a'", "string"),
    ("b'a'", "string"),
    ("x[0]", "indexing"),
    ("[x for x in y]", "comprehension"),
    ("{x for x in y}", "comprehension"),
    ("(x for x in y)", "generator"),
    ("[x, 1]", "list"),
    ("(x, 1)", "tuple"),
    ("{1: x}", "dict"),
    ("9**9**9", "power of a power"),
    ("x**1000000", "exponent"),
    ("10**10**10", "power of a power"),
    ("2**1000", "exponent"),
    ("(10**100)**100", "overflows"),
    ("1e308*10", "overflows"),
    ("1e999", "overflows"),
    ("x**(1/0)", "division by zero"),
    ("1/0", "division by zero"),
    ("x/(1 - 1)", "division by zero"),
    ("x" * 10_000, "too long"),
    ("x+" * 5_000 + "x", "too long"),
    ("(" * 100 + "x" + ")" * 100, "too long"),
    ("(" * 60 + "x" + ")" * 60, ""),  # may be accepted (parentheses cost nothing) or refused; never slow
    ("-" * 50 + "x", "nested too deeply"),
    ("sin(" * 45 + "x" + ")" * 45, "too long"),
    ("-" * 150 + "x", "too many parts"),
    ("+".join(["x"] * 60), "too many parts"),
    ("open('f')", "open"),
    ("eval('1')", "eval"),
    ("exec('1')", "exec"),
    ("globals()", "globals"),
    ("getattr(x, 'real')", "getattr"),
    ("y", "unknown name 'y'"),
    ("sinh(x)", "sinh"),
    ("sin", "function"),
    ("", "empty"),
    ("   ", "empty"),
    ("x = 1", "'='"),
    ("f(x) = x**2", "'='"),
    ("(y := 1)", "'='"),
    ("x if x else 1", "if-else"),
    ("x and 1", "and/or"),
    ("not x", "operator"),
    ("~x", "operator"),
    ("x < 1", "comparison"),
    ("x == 1", "comparison"),
    ("f'{x}'", "f-string"),
    ("x @ x", "'@'"),
    ("x // 2", "'//'"),
    ("x % 2", "'%'"),
    ("x ^ 2", "x**2"),
    ("x << 2", "'<<'"),
    ("sin(x, 2)", "one argument"),
    ("sin()", "one argument"),
    ("sin(x=1)", "'='"),
    ("sin(**x)", "keyword"),
    ("sin(*x)", "starred"),
    ("True", "value"),
    ("None", "value"),
    ("1j", "value"),
    ("...", "value"),
    ("2x", "not a valid expression"),
    ("x;1", "not a valid expression"),
    ("x\n1", "not a valid expression"),
    ("x²", "not a valid expression"),
    ("import os", "not a valid expression"),
    ("await x", "await"),
    ("x.real", "attribute"),
    ("pi.real", "attribute"),
    ("x[::-1]", "indexing"),
    ("x\x00", "not a valid expression"),
    ("x**2 # comment", ""),  # a comment is not code: accepted as x**2
]


@pytest.mark.parametrize("text, word", HOSTILE, ids=[repr(t[:30]) for t, _ in HOSTILE])
def test_hostile_and_invalid_text_is_refused_quickly_with_a_clear_message(text, word):
    message = None
    with CpuClock() as clock:
        try:
            parse_cost(text)
        except ValueError as err:
            message = str(err)
    if message is not None:
        assert word.lower() in message.lower(), message
        assert len(message) < 400
    else:
        assert word == "", f"{text[:40]!r} was accepted"
    assert clock.seconds < 0.5


def test_the_longest_accepted_expressions_parse_and_evaluate_well_under_a_second():
    xs = np.linspace(-3, 3, 701)
    for text in ("*".join(["(x + 1)"] * 25), "*".join(["sin(x)"] * 24), "sin(" * 39 + "x" + ")" * 39,
                 "/".join(["(x/2)"] * 25), "*".join(["x**x"] * 24), "*".join(["exp(x)*x"] * 16)):
        assert len(text) <= 200
        with CpuClock() as clock:
            cost = parse_cost(text)
            cost(xs), cost.grad(xs)
        assert clock.seconds < 0.5, text


def test_variables_must_be_plain_names():
    for bad in ((), ("x", "x"), ("sin",), ("pi",), ("x y",), (1,)):
        with pytest.raises(ValueError):
            parse_cost("1", bad)
    with pytest.raises(ValueError, match="must be text"):
        parse_cost(3)


# ---------------------------------------------------------------- basins, saddles, plateaus: closed forms


def test_two_basin_critical_points_are_the_roots_of_the_cubic():
    f = basins.two_basin_1d()
    roots = np.sort(np.roots([4, 0, -6, 1]).real)  # f'(x) = 4x³ − 6x + 1
    np.testing.assert_allclose(basins.critical_points_1d(f, -3, 3), roots, atol=1e-9)
    deep, shallow = basins.local_minima_1d(f, -3, 3)
    np.testing.assert_allclose([deep, shallow], roots[[0, 2]], atol=1e-9)
    assert f(deep) < f(shallow) < f(roots[1])
    f2 = basins.two_basin_2d()  # ∂y: 2y + x = 0, so y = −x/2 and ∂x: 4x³ − 6.5x + 1 = 0
    xr = np.sort(np.roots([4, 0, -6.5, 1]).real)
    for x in xr:
        np.testing.assert_allclose(f2.grad_at(np.array([x, -x / 2])), 0, atol=1e-9)
    eig = [np.linalg.eigvalsh(basins.hessian_2d(f2, [x, -x / 2])) for x in xr]
    assert eig[0].min() > 0 and eig[2].min() > 0 and eig[1].min() < 0 < eig[1].max()  # min, saddle, min


def test_descend_many_equals_one_run_at_a_time():
    f = basins.two_basin_1d()
    starts = np.linspace(-2.5, 2.5, 9)
    lrs = np.geomspace(0.005, 0.3, 9)
    many = basins.descend_many(f.grad_at, starts, lrs, 120)
    for i in range(9):
        one = gradient_descent(f.grad_at, starts[i], lrs[i], 120, bound=1e6)
        assert many.stopped_at[i] == (one.diverged_at or -1)
        np.testing.assert_allclose(many.final[i], one.final, rtol=1e-12)
    f2 = basins.two_basin_2d()
    pts = np.random.default_rng(0).uniform(-2, 2, (6, 2))
    many2 = basins.descend_many(f2.grad_at, pts, 0.05, 200)
    for p, end in zip(pts, many2.final):
        np.testing.assert_allclose(end, gradient_descent(f2.grad_at, p, 0.05, 200).final, rtol=1e-12)


def test_a_diverging_row_is_frozen_and_flagged_not_overflowing():
    f = parse_cost("x**4")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        runs = basins.descend_many(f.grad_at, np.array([0.5, 3.0]), 0.5, 50)
    assert runs.stopped_at[0] == -1 and runs.stopped_at[1] > 0 and np.isfinite(runs.final).all()


def test_basins_split_at_the_barrier_for_small_steps():
    f = basins.two_basin_1d()
    deep, top, shallow = basins.critical_points_1d(f, -3, 3)
    starts = np.linspace(-2.5, 2.5, 501)
    labels = basins.nearest_minimum(basins.descend_many(f.grad_at, starts, 0.02, 800).final, [deep, shallow])
    # for a small step, descent never crosses the top of the barrier: the basin is the side of it
    np.testing.assert_array_equal(labels, np.where(starts < top, 0, 1))


def test_linear_saddle_escape_equals_the_closed_form():
    lin = parse_cost("-x**2/2 + y**2/2", ("x", "y"))
    d = 10.0 ** -np.arange(1, 10)
    for lr in (0.05, 0.1, 0.3):
        steps = basins.first_step_where(lin.grad_at, np.stack([d, np.ones_like(d)], -1), lr,
                                        lambda p: np.abs(p[:, 0]) >= 0.5, 5000)
        np.testing.assert_array_equal(steps, basins.saddle_escape_steps(d, lr, 1.0, 0.5))
        if lr <= 0.1:  # the continuous-time estimate log(r/d)/(α|λ|), good for a small α|λ|
            approx = np.log(0.5 / d) / lr
            assert np.all(np.abs(steps - approx) <= 0.06 * approx + 1)


def test_quartic_saddle_adds_a_fixed_number_of_steps_per_decade():
    s = parse_cost(basins.SADDLE_2D, ("x", "y"))
    d = 10.0 ** -np.arange(2, 10)
    lr = 0.1
    steps = basins.first_step_where(s.grad_at, np.stack([d, np.ones_like(d)], -1), lr,
                                    lambda p: np.abs(p[:, 0]) >= 0.5, 5000)
    per_decade = np.log(10) / np.log(1 + lr)
    assert np.all(np.abs(np.diff(steps) - per_decade) <= 1)
    assert np.all(np.abs(steps - basins.saddle_escape_steps(d, lr, 1.0, 0.5)) <= 3)


def test_plateau_crawl_matches_the_gradient_flow_integral():
    pl = parse_cost(basins.PLATEAU_1D)
    x0 = np.array([2.0, 2.5, 3.0, 3.5])
    lr = 0.5
    steps = basins.first_step_where(pl.grad_at, x0, lr, lambda x: np.abs(x) < 0.1, 100_000)
    for s, a in zip(steps, x0):  # k ≈ (1/α)·∫ dx / f'(x) from 0.1 to x0, with f'(x) = 2x·exp(−x²)
        xx = np.linspace(0.1, a, 400_001)
        flow = np.trapezoid(np.exp(xx**2) / (2 * xx), xx) / lr
        assert abs(s - flow) <= 0.05 * flow + 3


def test_tilts_are_centred_and_minibatch_noise_shrinks_like_one_over_root_b():
    a = basins.tilts(400, 2.0, seed=1)
    assert abs(a.mean()) < 1e-12 and math.isclose(a.std(), 2.0, rel_tol=1e-12)
    zero = parse_cost("0*x + 0")
    for B in (1, 4, 16):
        runs = basins.minibatch_descent_many(zero.grad_at, a, np.zeros(20_000), 1.0, B, 1, seed=2)
        # one step from 0 on a flat cost moves by −mean(a over the batch): spread 2/√B
        assert abs(runs.final.std() - 2.0 / math.sqrt(B)) < 0.05 * 2.0 / math.sqrt(B)
        assert abs(runs.final.mean()) < 0.05


def test_noise_free_noisy_descent_is_plain_descent_and_noise_is_seeded():
    f = basins.two_basin_1d()
    starts = np.linspace(-2, 2, 7)
    np.testing.assert_array_equal(basins.noisy_descent_many(f.grad_at, starts, 0.05, 0.0, 100).final,
                                  basins.descend_many(f.grad_at, starts, 0.05, 100).final)
    one = basins.noisy_descent_many(f.grad_at, starts, 0.05, 3.0, 100, seed=4).final
    two = basins.noisy_descent_many(f.grad_at, starts, 0.05, 3.0, 100, seed=4).final
    np.testing.assert_array_equal(one, two)


def test_nearest_minimum_labels_and_refuses_far_points():
    np.testing.assert_array_equal(basins.nearest_minimum([-1.3, 1.13, 0.0], [-1.3, 1.13], tol=0.05), [0, 1, -1])
    pts = np.array([[0.0, 0.0], [1.0, 1.0], [5.0, 5.0]])
    np.testing.assert_array_equal(basins.nearest_minimum(pts, [[0, 0], [1, 1]], tol=0.1), [0, 1, -1])


# ---------------------------------------------------------------- the typed-valley scene


def _renderer():
    return BlitRenderer(TypedValleyScene)


def _clean(renderer, **values):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        png = renderer.frame(**values)
    assert png[:4] == b"\x89PNG"
    for data in drawn_data(renderer.scene):
        assert np.all(np.isfinite(data)), values
    return renderer.readout


@pytest.mark.parametrize("text, word", HOSTILE[:40], ids=[repr(t[:30]) for t, _ in HOSTILE[:40]])
def test_scene_shows_the_message_and_keeps_the_last_good_valley(text, word):
    r = _renderer()
    _clean(r, cost="sin(3*x) + 0.1*x**2")
    with CpuClock() as clock:
        readout = _clean(r, cost=text, x0=1.0)
    assert clock.seconds < 1.0
    if word:
        assert readout.startswith("⚠") and word.lower() in readout.lower()
        assert "f(x) = sin(3*x) + 0.1*x**2" in readout  # the last good valley stays
        assert r.scene.cost.text == "sin(3*x) + 0.1*x**2"


def test_scene_undefined_regions_are_named_and_the_run_stops_with_a_reason():
    r = _renderer()
    readout = _clean(r, cost="log(x)", x0=-1.0)
    assert "f is not finite at the start" in readout and "x in [-3.5, 0]" in readout
    readout = _clean(r, cost="log(x)", x0=1.0, lr=1.0, steps=50)  # log has no minimum: it walks out
    assert "ends at" in readout or "stopped" in readout or "diverged" in readout
    readout = _clean(r, cost="sqrt(x)", x0=0.5, lr=1.0, steps=20)  # steps to x < 0, where sqrt is undefined
    assert "where f is not finite" in readout or "gradient f'(x) is not finite" in readout
    readout = _clean(r, cost="x**4", x0=3.0, lr=1.0, steps=200)
    assert "diverged at step" in readout and "|x| passed" in readout


def test_stop_reason_names_a_non_finite_gradient():
    cost = parse_cost("sqrt(abs(x))")
    run = gradient_descent(cost.grad_at, 0.0, 0.1, 5)  # the gradient at 0 is infinite
    path, reason = stop_reason(cost, run.path, run.diverged_at, 0.1)
    assert reason == "stopped at step 1: the gradient f'(x) is not finite at x = 0" and len(path) == 1


def test_scene_readout_names_alpha_as_the_slider_shows_it():
    r = _renderer()
    spec = TypedValleyScene.controls["lr"]
    for value in spec.options[::17]:
        assert f"α = {value:g}," in _clean(r, lr=value)


def test_scene_every_example_and_slider_corner_draws_cleanly():
    r = _renderer()
    spec = TypedValleyScene.controls
    for text in spec["cost"].grid(0):
        for x0 in (spec["x0"].min, 0.0, spec["x0"].max):
            for lr in (spec["lr"].min, spec["lr"].max):
                for steps in (0, spec["steps"].max):
                    assert _clean(r, cost=text, x0=x0, lr=lr, steps=steps).strip()


def test_scene_redraw_for_start_and_rate_stays_within_a_frame_budget():
    r = _renderer()
    _clean(r)
    times = []
    for i, lr in enumerate(TypedValleyScene.controls["lr"].options[::4]):
        with CpuClock() as clock:
            r.frame(lr=lr, x0=-2.0 + 0.05 * (i % 80), steps=200)
        times.append(clock.seconds)
    # the budget is 16 ms on a quiet machine (the benchmark measures it); a loaded test machine gets slack
    assert np.median(times) < 0.05


# ---------------------------------------------------------------- the 2-D typed valley (contour map)


def test_contour_scene_refuses_hostile_text_and_keeps_the_last_map():
    r = BlitRenderer(TypedContourScene)
    _clean(r, cost="x**2 + 10*y**2")
    for text, word in HOSTILE[:40]:
        if not word or text == "y":
            continue  # accepted here (harmless parentheses; y is a variable in 2-D): it replaces the valley
        with CpuClock() as clock:
            readout = _clean(r, cost=text, x0=1.0, y0=-1.0)
        assert clock.seconds < 1.0
        if word:
            assert readout.startswith("⚠") and word.lower() in readout.lower(), readout
            assert "f(x, y) = x**2 + 10*y**2" in readout
    assert "unknown name 'z'" in _clean(r, cost="z")


def test_contour_scene_names_undefined_regions_and_stops_there():
    r = BlitRenderer(TypedContourScene)
    readout = _clean(r, cost="sqrt(x) + y**2", x0=1.0, y0=1.5, lr=0.3, steps=60)
    assert "f is not finite on 50% of the map" in readout
    assert "where f is not finite" in readout or "∇f is not finite" in readout
    readout = _clean(r, cost="log(x**2 + y**2)", x0=0.0, y0=0.0)
    assert "f is not finite at the start (x, y) = (0, 0)" in readout
    assert "1 point(s) of the map's grid, e.g. (x, y) = (0, 0)" in readout
    readout = _clean(r, cost="x**4 + y**4", x0=2.5, y0=2.5, lr=0.5, steps=50)
    assert "diverged at step" in readout


def test_contour_scene_descends_to_the_saddle_free_minimum_and_names_alpha():
    r = BlitRenderer(TypedContourScene)
    readout = _clean(r, cost="x**2 + 10*y**2", x0=2.0, y0=1.0, lr=0.05, steps=200)
    assert "α = 0.05," in readout and "ends at (x, y) = (" in readout
    end = gradient_descent(parse_cost("x**2 + 10*y**2", ("x", "y")).grad_at, np.array([2.0, 1.0]), 0.05, 200).final
    assert f"({end[0] + 0.0:.4g}, {end[1] + 0.0:.4g})" in readout
    for value in TypedContourScene.controls["lr"].options[::23]:
        assert f"α = {value:g}," in _clean(r, lr=value)


def test_contour_scene_every_example_and_corner_draws_cleanly():
    r = BlitRenderer(TypedContourScene)
    spec = TypedContourScene.controls
    for text in spec["cost"].grid(0):
        for x0, y0 in ((spec["x0"].min, spec["y0"].min), (0.0, 0.0), (spec["x0"].max, spec["y0"].max)):
            for lr in (spec["lr"].min, spec["lr"].max):
                assert _clean(r, cost=text, x0=x0, y0=y0, lr=lr, steps=spec["steps"].max).strip()


# ---------------------------------------------------------------- random expressions from the grammar


def _random_expression(rng, depth=0):
    """A random expression of the accepted grammar (seeded), at most a few levels deep."""
    r = rng.random()
    if depth >= 4 or r < 0.25:
        return str(rng.choice(["x", "y", "x", "y", "pi", "e", "2", "0.5", "3", "1.5"]))
    if r < 0.45:
        fn = rng.choice(["sin", "cos", "tan", "exp", "log", "sqrt", "tanh", "abs"])
        return f"{fn}({_random_expression(rng, depth + 1)})"
    if r < 0.55:
        return f"-({_random_expression(rng, depth + 1)})"
    if r < 0.65:
        return f"({_random_expression(rng, depth + 1)})**{rng.choice(['2', '3', '0.5', '-1', '4'])}"
    op = rng.choice(["+", "-", "*", "/"])
    return f"({_random_expression(rng, depth + 1)}) {op} ({_random_expression(rng, depth + 1)})"


def test_random_expressions_parse_quickly_and_their_gradients_match_central_differences():
    rng = np.random.default_rng(19)
    checked = 0
    for _ in range(300):
        text = _random_expression(rng)
        if len(text) > 200:
            continue
        refused = None
        with CpuClock() as clock:
            try:
                cost = parse_cost(text, ("x", "y"))
            except ValueError as err:  # e.g. a division by the constant 0
                refused = str(err)
        assert clock.seconds < 0.5, text
        if refused is not None:
            assert refused
            continue
        x, y = rng.uniform(-2, 2, (2, 64))
        gx, gy = cost.grad(x, y)
        for i, g in ((0, gx), (1, gy)):
            with np.errstate(all="ignore"):
                fd1 = _central(cost, (x, y), i, 1e-5)
                fd2 = _central(cost, (x, y), i, 1e-6)
            smooth = (np.isfinite(fd1) & np.isfinite(fd2) & np.isfinite(g) & (np.abs(fd1) < 1e4)
                      & np.isclose(fd1, fd2, rtol=1e-4, atol=1e-6))  # away from kinks and poles
            np.testing.assert_allclose(g[smooth], fd1[smooth], rtol=1e-3, atol=1e-4, err_msg=text)
            checked += int(smooth.sum())
    assert checked > 5000
