"""A valley the learner types: `parse_cost("x**4 - 3*x**2 + x")` → a cost with its exact gradient.

Typed text is untrusted input, so it is *parsed, never run*: Python's own `ast` module reads
it (mode 'eval', nothing is compiled or evaluated), and a walk over the tree accepts only a
whitelist — numbers, the declared variables, the constants pi and e, + - * / **, parentheses,
unary minus and plus, and calls of sin, cos, tan, exp, log, sqrt, tanh, abs with one argument.
Anything else is a ValueError that names the offending part. Work that could explode is
refused before any arithmetic: long text, too many or too deeply nested parts, powers of
powers (`9**9**9`), constant exponents beyond ±100 and constants that overflow.

The gradient is **exact**: the accepted tree is differentiated symbolically (sum, product,
quotient, power and chain rules, with simplification such as 0·u → 0 and u·1 → u), and the
derivative tree is evaluated like the cost. Finite differences would be simpler, but they
carry an error of their own (truncation for a large step, rounding for a small one, notebook 01)
that is largest exactly where a learner looks, at steep walls and near kinks and undefined
points; a derivative tree is right to rounding everywhere the derivative exists, can be
printed (`Cost.derivative_text`), and costs one evaluation, not two per variable.

Evaluation is numpy under `np.errstate(all="ignore")`: where a valid expression is undefined
or overflows (log(x) for x ≤ 0, exp(x**3) for large x) it gives NaN or inf, silently; the
callers (the scene, the descent) decide what to say about it. Math only: no plotting here.
"""
from __future__ import annotations

import ast
import math
import operator
from typing import Callable

import numpy as np

MAX_CHARS = 200          # longer text is refused before parsing
MAX_NODES = 100          # parts of the parsed expression (numbers, names, operators, calls)
MAX_DEPTH = 40           # nesting of operations and calls
MAX_EXPONENT = 100       # |constant exponent| allowed in a power
MAX_DERIVATIVE_NODES = 20_000  # the derivative tree of an accepted expression stays below this

FUNCTIONS: dict[str, Callable] = {"sin": np.sin, "cos": np.cos, "tan": np.tan, "exp": np.exp,
                                  "log": np.log, "sqrt": np.sqrt, "tanh": np.tanh, "abs": np.abs}
CONSTANTS = {"pi": math.pi, "e": math.e}
_INTERNAL = {**FUNCTIONS, "sign": np.sign}  # sign appears only in the derivative of abs
_ALLOWED = f"allowed are numbers, the variables, pi, e, + - * / **, ( ) and {', '.join(FUNCTIONS)}"

# ---------------------------------------------------------------- the expression tree
# Nodes are tuples: ("num", v), ("const", name), ("var", name), ("neg", a), ("add"|"sub"|"mul"|
# "div"|"pow", a, b), ("call", fname, a). The builders below simplify as they build.

ZERO, ONE = ("num", 0.0), ("num", 1.0)


def _num(v: float) -> tuple:
    v = float(v)
    if not math.isfinite(v):
        raise ValueError("a constant part of the expression overflows (it is too large for a float)")
    return ("num", v + 0.0)  # + 0.0: never a negative zero


def _is_num(n, v=None) -> bool:
    return n[0] == "num" and (v is None or n[1] == v)


def _fold(fn, *args) -> tuple:
    with np.errstate(all="ignore"):
        return _num(fn(*(np.float64(a[1]) for a in args)))


def neg(a):
    if _is_num(a):
        return _num(-a[1])
    if a[0] == "neg":
        return a[1]
    return ("neg", a)


def add(a, b):
    if _is_num(a) and _is_num(b):
        return _fold(np.add, a, b)
    if _is_num(a, 0.0):
        return b
    if _is_num(b, 0.0):
        return a
    if b[0] == "neg":
        return sub(a, b[1])
    if _is_num(b) and b[1] < 0:
        return sub(a, _num(-b[1]))
    return ("add", a, b)


def sub(a, b):
    if _is_num(a) and _is_num(b):
        return _fold(np.subtract, a, b)
    if _is_num(b, 0.0):
        return a
    if _is_num(a, 0.0):
        return neg(b)
    if b[0] == "neg":
        return add(a, b[1])
    return ("sub", a, b)


def mul(a, b):
    if _is_num(a) and _is_num(b):
        return _fold(np.multiply, a, b)
    if _is_num(a, 0.0) or _is_num(b, 0.0):
        return ZERO
    if _is_num(a, 1.0):
        return b
    if _is_num(b, 1.0):
        return a
    if _is_num(a, -1.0):
        return neg(b)
    if _is_num(b, -1.0):
        return neg(a)
    if a[0] == "neg":
        return neg(mul(a[1], b))
    if b[0] == "neg":
        return neg(mul(a, b[1]))
    if _is_num(b):  # numbers first: 2*x, not x*2
        return mul(b, a)
    if _is_num(a) and b[0] == "mul" and _is_num(b[1]):
        return mul(_fold(np.multiply, a, b[1]), b[2])
    return ("mul", a, b)


def div(a, b):
    if _is_num(b, 0.0):
        raise ValueError("a division by zero: the denominator is the constant 0")
    if _is_num(a) and _is_num(b):
        return _fold(np.divide, a, b)
    if _is_num(a, 0.0):
        return ZERO
    if _is_num(b, 1.0):
        return a
    if _is_num(b, -1.0):
        return neg(a)
    if a[0] == "neg":
        return neg(div(a[1], b))
    if _is_num(b) and a[0] == "mul" and _is_num(a[1]):  # (c·u)/d = (c/d)·u when c/d prints exactly
        q = a[1][1] / b[1]
        if math.isfinite(q) and float(f"{q:.12g}") == q:
            return mul(_num(q), a[2])
    return ("div", a, b)


def power(a, b):
    if _is_num(b):
        if b[1] == 0:
            return ONE
        if b[1] == 1:
            return a
        if _is_num(a):
            return _fold(np.power, a, b)
        if a[0] == "pow" and _is_num(a[2]) and a[2][1].is_integer() and b[1].is_integer():
            return power(a[1], _fold(np.multiply, a[2], b))  # (u**p)**q = u**(p·q), p and q whole
    return ("pow", a, b)


def call(name, a):
    if _is_num(a):
        return _fold(_INTERNAL[name], a)
    return ("call", name, a)


def _has_var(n, var=None) -> bool:
    if n[0] == "var":
        return var is None or n[1] == var
    if n[0] in ("num", "const"):
        return False
    return any(_has_var(c, var) for c in n[1:] if isinstance(c, tuple))


def derivative(n, var: str):
    """The derivative tree d(n)/d(var), by the rules of calculus, simplified while it is built."""
    kind = n[0]
    if kind in ("num", "const"):
        return ZERO
    if kind == "var":
        return ONE if n[1] == var else ZERO
    if kind == "neg":
        return neg(derivative(n[1], var))
    if kind == "call":
        u = n[2]
        du = derivative(u, var)
        if _is_num(du, 0.0):
            return ZERO
        outer = {
            "sin": lambda: call("cos", u),
            "cos": lambda: neg(call("sin", u)),
            "tan": lambda: div(ONE, power(call("cos", u), _num(2))),
            "exp": lambda: call("exp", u),
            "log": lambda: div(ONE, u),
            "sqrt": lambda: div(ONE, mul(_num(2), call("sqrt", u))),
            "tanh": lambda: sub(ONE, power(call("tanh", u), _num(2))),
            "abs": lambda: call("sign", u),
            "sign": lambda: ZERO,
        }[n[1]]()
        return mul(outer, du)
    a, b = n[1], n[2]
    da, db = derivative(a, var), derivative(b, var)
    if kind == "add":
        return add(da, db)
    if kind == "sub":
        return sub(da, db)
    if kind == "mul":
        return add(mul(da, b), mul(a, db))
    if kind == "div":
        return sub(div(da, b), div(mul(a, db), power(b, _num(2))))
    if kind == "pow":
        if not _has_var(b, var):   # u**c: c·u**(c − 1)·u'
            return mul(mul(b, power(a, sub(b, ONE))), da)
        if not _has_var(a, var):   # c**v: c**v·log(c)·v'
            return mul(mul(n, call("log", a)), db)
        return mul(n, add(mul(db, call("log", a)), div(mul(b, da), a)))
    raise AssertionError(f"unknown node {kind}")


def size(n) -> int:
    """How many nodes a tree has."""
    return 1 + sum(size(c) for c in n[1:] if isinstance(c, tuple))


# ---------------------------------------------------------------- printing

_PREC = {"add": 1, "sub": 1, "mul": 2, "div": 2, "neg": 3, "pow": 4}


def _prec(n) -> int:
    if n[0] == "num" and n[1] < 0:
        return 3
    return _PREC.get(n[0], 5)


def _fmt_num(v: float) -> str:
    return str(int(v)) if v.is_integer() and abs(v) < 1e15 else f"{v:.12g}"


def to_text(n) -> str:
    """The tree written as a Python-style expression with as few parentheses as it needs."""
    kind = n[0]
    if kind == "num":
        return _fmt_num(n[1])
    if kind in ("const", "var"):
        return n[1]
    if kind == "call":
        return f"{n[1]}({to_text(n[2])})"

    def wrap(c, ok: bool) -> str:
        return to_text(c) if ok else f"({to_text(c)})"

    if kind == "neg":
        return "-" + wrap(n[1], _prec(n[1]) >= 2 and n[1][0] != "neg")
    a, b = n[1], n[2]
    if kind == "add":
        return f"{to_text(a)} + {wrap(b, _prec(b) > 1 and _prec(b) != 3)}"
    if kind == "sub":
        return f"{to_text(a)} - {wrap(b, _prec(b) > 1 and _prec(b) != 3)}"
    if kind == "mul":
        return f"{wrap(a, _prec(a) >= 2)}*{wrap(b, _prec(b) > 2)}"
    if kind == "div":
        return f"{wrap(a, _prec(a) >= 2)}/{wrap(b, _prec(b) > 3)}"
    if kind == "pow":
        return f"{wrap(a, _prec(a) > 4)}**{wrap(b, _prec(b) > 4)}"
    raise AssertionError(kind)


# ---------------------------------------------------------------- evaluation (closures, no eval)


def _divide_floats(a: float, b: float) -> float:
    return a / b if b else float(np.true_divide(a, b))  # Python refuses x / 0.0; numpy: ±inf or nan


# The binary operations on arrays (numpy ufuncs) and on one point's Python floats (each step of a
# descent): the same IEEE operations, without a numpy call per node for + − × ÷ and squares (about
# ten times cheaper), so both give the same values bit for bit (tested).
_ARRAY_OPS = {"add": np.add, "sub": np.subtract, "mul": np.multiply, "div": np.true_divide,
              "pow": np.power, "square": np.square}
_POINT_OPS = {"add": operator.add, "sub": operator.sub, "mul": operator.mul, "div": _divide_floats,
              "pow": lambda a, b: float(np.power(a, b)), "square": lambda a: a * a}  # a ** 2 can raise


def _compile(n, point: bool = False) -> Callable[[dict], np.ndarray | float]:
    """A Python function env → value for the tree, built from closures (never eval): over numpy
    arrays, or with `point` over the Python floats of one point."""
    kind = n[0]
    if kind in ("num", "const"):
        v = n[1] if kind == "num" else CONSTANTS[n[1]]
        return lambda env: v
    if kind == "var":
        name = n[1]
        return lambda env: env[name]
    if kind == "neg":
        f = _compile(n[1], point)
        return lambda env: -f(env)
    if kind == "call":
        fn, f = _INTERNAL[n[1]], _compile(n[2], point)
        return (lambda env: float(fn(f(env)))) if point else (lambda env: fn(f(env)))
    fa, fb = _compile(n[1], point), _compile(n[2], point)
    ops = _POINT_OPS if point else _ARRAY_OPS
    if kind == "pow" and _is_num(n[2]):
        c = n[2][1]
        if c == 2:
            square = ops["square"]
            return lambda env: square(fa(env))
        if c.is_integer() and not point:  # an integer power of a negative number is defined
            return lambda env: np.power(np.asarray(fa(env), dtype=float), c)
    op = ops[kind]
    if point:
        return lambda env: op(fa(env), fb(env))
    return lambda env: op(np.asarray(fa(env), dtype=float), fb(env))


class Cost:
    """A parsed cost: `cost(x)` or `cost(x, y)` on numpy arrays (broadcast), `.grad(...)` the
    exact gradient as a tuple (one array per variable), `.text` the normalised expression,
    `.derivative_text` the partial derivatives written out.

    For descent, `value_at(p)` and `grad_at(p)` take points whose last axis holds the
    coordinates (with one variable, p is just x, any shape) and return f(p) and ∇f(p) (shape of p).
    """

    def __init__(self, tree, variables: tuple[str, ...]):
        self.tree = tree
        self.variables = tuple(variables)
        self.partials = tuple(derivative(tree, v) for v in self.variables)
        if sum(size(p) for p in self.partials) > MAX_DERIVATIVE_NODES:
            raise ValueError("the expression is too complicated to differentiate here; try a shorter one")
        self.text = to_text(tree)
        self.derivative_text = tuple(to_text(p) for p in self.partials)
        self._f = _compile(tree)
        self._df = tuple(_compile(p) for p in self.partials)
        self._df_point = tuple(_compile(p, point=True) for p in self.partials)

    def _env(self, arrays) -> tuple[dict, tuple]:
        if len(arrays) != len(self.variables):
            raise ValueError(f"this cost takes {len(self.variables)} array(s), one per variable "
                             f"{', '.join(self.variables)}; got {len(arrays)}")
        arrays = [np.asarray(a, dtype=float) for a in arrays]
        shape = np.broadcast_shapes(*(a.shape for a in arrays))
        return dict(zip(self.variables, arrays)), shape

    @staticmethod
    def _out(value, shape) -> np.ndarray:
        return np.array(np.broadcast_to(np.asarray(value, dtype=float), shape), dtype=float)

    def __call__(self, *arrays) -> np.ndarray:
        env, shape = self._env(arrays)
        with np.errstate(all="ignore"):
            return self._out(self._f(env), shape)

    def grad(self, *arrays) -> tuple[np.ndarray, ...]:
        """(∂f/∂v₁, ∂f/∂v₂, …) at the given points, one array per variable, each of the broadcast shape."""
        env, shape = self._env(arrays)
        with np.errstate(all="ignore"):
            return tuple(self._out(df(env), shape) for df in self._df)

    def _split(self, p) -> list:
        p = np.asarray(p, dtype=float)
        if len(self.variables) == 1:
            return [p]
        if p.ndim == 0 or p.shape[-1] != len(self.variables):
            raise ValueError(f"points need a last axis of length {len(self.variables)} "
                             f"({', '.join(self.variables)}), got shape {p.shape}")
        return [p[..., i] for i in range(len(self.variables))]

    def value_at(self, p) -> np.ndarray:
        """f at points p (last axis: the coordinates, unless there is one variable)."""
        return self(*self._split(p))

    def grad_at(self, p) -> np.ndarray:
        """∇f at points p, in the shape of p: what `descent.gradient_descent` needs."""
        p = np.asarray(p, dtype=float)
        one = len(self.variables) == 1
        if p.shape == (() if one else (len(self.variables),)):  # one point, a descent step
            env = dict(zip(self.variables, [float(p)] if one else p.tolist()))
            with np.errstate(all="ignore"):
                g = np.array([df(env) for df in self._df_point], dtype=float)
            return g[0, ...] if one else g  # one variable: a 0-d array, as for any other shape of p
        g = self.grad(*self._split(p))
        return g[0] if len(self.variables) == 1 else np.stack(g, axis=-1)

    def __repr__(self) -> str:
        return f"Cost({self.text!r}, variables={self.variables})"


# ---------------------------------------------------------------- parsing (a whitelist walk)

_BINOPS = {ast.Add: add, ast.Sub: sub, ast.Mult: mul, ast.Div: div, ast.Pow: power}
_OP_NAMES = {ast.FloorDiv: "//", ast.Mod: "%", ast.MatMult: "@", ast.BitXor: "^", ast.BitAnd: "&",
             ast.BitOr: "|", ast.LShift: "<<", ast.RShift: ">>"}
_DESCRIBE = {ast.Attribute: "attribute access", ast.Subscript: "indexing", ast.Lambda: "a lambda",
             ast.ListComp: "a list comprehension", ast.SetComp: "a set comprehension",
             ast.DictComp: "a dict comprehension", ast.GeneratorExp: "a generator expression",
             ast.Compare: "a comparison", ast.BoolOp: "and/or", ast.IfExp: "an if-else expression",
             ast.JoinedStr: "an f-string", ast.NamedExpr: "an assignment (:=)", ast.Starred: "a starred argument",
             ast.List: "a list", ast.Tuple: "a tuple", ast.Set: "a set", ast.Dict: "a dict",
             ast.Await: "await", ast.Yield: "yield", ast.YieldFrom: "yield", ast.Slice: "a slice"}


class _Reader:
    def __init__(self, text: str, variables: tuple[str, ...]):
        self.text, self.variables = text, variables

    def quote(self, node) -> str:
        seg = ast.get_source_segment(self.text, node) or type(node).__name__
        return repr(seg if len(seg) <= 40 else seg[:37] + "...")

    def refuse(self, node, what: str) -> ValueError:
        return ValueError(f"{what} {self.quote(node)} is not allowed: {_ALLOWED}")

    def read(self, node, depth: int = 0):
        if depth > MAX_DEPTH:
            raise ValueError(f"the expression is nested too deeply (more than {MAX_DEPTH} levels)")
        if isinstance(node, ast.Constant):
            v = node.value
            if isinstance(v, bool) or not isinstance(v, (int, float)):
                kind = "the string" if isinstance(v, (str, bytes)) else "the value"
                raise self.refuse(node, kind)
            try:
                return _num(float(v))
            except OverflowError:
                raise ValueError(f"the number {self.quote(node)} is too large for a float") from None
        if isinstance(node, ast.Name):
            if node.id in self.variables:
                return ("var", node.id)
            if node.id in CONSTANTS:
                return ("const", node.id)
            if node.id in FUNCTIONS:
                raise ValueError(f"{node.id!r} is a function: call it on something, e.g. {node.id}(x)")
            raise ValueError(f"unknown name {node.id!r}: the variables are {', '.join(self.variables)} "
                             f"(and the constants pi, e); {_ALLOWED}")
        if isinstance(node, ast.UnaryOp):
            if isinstance(node.op, ast.USub):
                return neg(self.read(node.operand, depth + 1))
            if isinstance(node.op, ast.UAdd):
                return self.read(node.operand, depth + 1)
            raise self.refuse(node, "the operator in")
        if isinstance(node, ast.BinOp):
            op = type(node.op)
            if op not in _BINOPS:
                sym = _OP_NAMES.get(op, op.__name__)
                tip = " (write powers as x**2)" if op is ast.BitXor else ""
                raise ValueError(f"the operator {sym!r} in {self.quote(node)} is not allowed{tip}: {_ALLOWED}")
            if op is ast.Pow:
                return self.read_power(node, depth)
            return _BINOPS[op](self.read(node.left, depth + 1), self.read(node.right, depth + 1))
        if isinstance(node, ast.Call):
            return self.read_call(node, depth)
        what = _DESCRIBE.get(type(node), f"the construct {type(node).__name__}")
        raise self.refuse(node, what)

    def read_power(self, node, depth):
        if any(isinstance(s, ast.BinOp) and isinstance(s.op, ast.Pow) for s in ast.walk(node.right)):
            raise ValueError(f"a power of a power {self.quote(node)} is not allowed: its size explodes "
                             f"(write the exponent as one number, at most {MAX_EXPONENT})")
        base, exponent = self.read(node.left, depth + 1), self.read(node.right, depth + 1)
        if not _has_var(exponent):
            with np.errstate(all="ignore"):
                c = float(_compile(exponent)({}))
            if not math.isfinite(c) or abs(c) > MAX_EXPONENT:
                raise ValueError(f"the exponent in {self.quote(node)} is too large: |exponent| may be at most "
                                 f"{MAX_EXPONENT}")
            exponent = _num(c)
            if not _has_var(base):  # a constant power: compute it now, refuse it if it overflows
                with np.errstate(all="ignore"):
                    value = np.power(np.float64(_compile(base)({})), c)
                if not np.isfinite(value) and not np.isnan(value):
                    raise ValueError(f"the constant {self.quote(node)} overflows: it is too large for a float")
        return power(base, exponent)

    def read_call(self, node, depth):
        func = node.func
        if not isinstance(func, ast.Name):
            raise self.refuse(func, "attribute access" if isinstance(func, ast.Attribute) else "calling")
        if func.id not in FUNCTIONS:
            raise ValueError(f"unknown function {func.id!r} in {self.quote(node)}: the functions allowed are "
                             f"{', '.join(FUNCTIONS)}")
        if node.keywords:
            raise ValueError(f"keyword arguments in {self.quote(node)} are not allowed: write {func.id}(x)")
        if len(node.args) != 1:
            raise ValueError(f"{func.id} takes exactly one argument, got {len(node.args)} in {self.quote(node)}")
        arg = node.args[0]
        if isinstance(arg, ast.Starred):
            raise self.refuse(arg, "a starred argument")
        return call(func.id, self.read(arg, depth + 1))


def _check_variables(variables) -> tuple[str, ...]:
    variables = tuple(variables)
    if not variables or len(set(variables)) != len(variables):
        raise ValueError(f"variables must be one or more distinct names, got {variables!r}")
    for v in variables:
        if not (isinstance(v, str) and v.isidentifier() and v.isascii()) or v in FUNCTIONS or v in CONSTANTS:
            raise ValueError(f"{v!r} cannot be a variable name")
    return variables


def parse_cost(text: str, variables=("x",)) -> Cost:
    """Read `text` (e.g. "x**4 - 3*x**2 + x") as a cost in `variables`; never run it.

    Raises ValueError, with a message that names the offending part, for anything outside the
    whitelist (see the module docstring) and for expressions too long, too deep or explosive.
    """
    variables = _check_variables(variables)
    if not isinstance(text, str):
        raise ValueError(f"the cost must be text, got {type(text).__name__}")
    if len(text) > MAX_CHARS:
        raise ValueError(f"the expression is too long ({len(text)} characters; at most {MAX_CHARS})")
    stripped = text.strip()
    if not stripped:
        raise ValueError(f"the expression is empty: type a cost in {', '.join(variables)}, e.g. x**4 - 3*x**2 + x")
    if "=" in stripped.replace("==", "").replace("<=", "").replace(">=", "").replace("!=", ""):
        raise ValueError("'=' is not allowed: type only the expression, e.g. x**2 (not f = x**2)")
    try:
        parsed = ast.parse(stripped, mode="eval")
    except SyntaxError as err:
        where = f" at character {err.offset}" if err.offset else ""
        raise ValueError(f"not a valid expression{where}: {err.msg} (write products with *, e.g. 3*x, "
                         f"and powers with **, e.g. x**2)") from None
    except (RecursionError, MemoryError):
        raise ValueError("the expression is nested too deeply to read") from None
    except ValueError as err:  # e.g. a null byte in the text
        raise ValueError(f"not a valid expression: {err}") from None
    n_nodes = sum(isinstance(n, ast.expr) for n in ast.walk(parsed.body))
    if n_nodes > MAX_NODES:
        raise ValueError(f"the expression has too many parts ({n_nodes}; at most {MAX_NODES})")
    reader = _Reader(stripped, variables)
    try:
        tree = reader.read(parsed.body)
    except RecursionError:
        raise ValueError("the expression is nested too deeply to read") from None
    return Cost(tree, variables)


def finite_intervals(x: np.ndarray, ok: np.ndarray) -> list[tuple[float, float]]:
    """The runs of consecutive grid points where `ok` holds, as (first x, last x) pairs."""
    ok = np.asarray(ok, dtype=bool)
    edges = np.flatnonzero(np.diff(np.concatenate([[0], ok.astype(np.int8), [0]])))
    return [(float(x[a]), float(x[b - 1])) for a, b in zip(edges[::2], edges[1::2])]
