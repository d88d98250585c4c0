"""A tiny automatic differentiation engine: scalars that remember how they were made.

Every operation creates a `Value` holding its result, its parents and the **local
derivative** of the result with respect to each parent, written beside the forward rule
(``a * b`` stores ``(b, a)``: ∂(ab)/∂a = b, ∂(ab)/∂b = a). `backward()` walks the graph in
reverse topological order and applies the chain rule: each node passes
``local derivative × its own grad`` to each parent, and a parent reached along several paths
adds them up. The order is found with an explicit stack, so a graph 50,000 operations deep
needs no recursion.

Gradients **accumulate**, as in PyTorch: `backward()` adds into ``.grad``. On a fresh graph
that leaves every ``.grad`` equal to the derivative; a second `backward()` without a reset
adds the same numbers again (doubling them). `zero_grad(values)` (or `v.zero_grad()`, which
clears everything `v` depends on) resets them. numpy-free: the standard library only.
"""
from __future__ import annotations

import math
from typing import Iterable


class Value:
    """A scalar with a gradient. ``Value(2.0) * 3 + 1`` builds a small graph; call
    ``.backward()`` on the result to fill in ``.grad`` of everything it depends on."""

    __slots__ = ("data", "grad", "parents", "local_grads", "op", "label")

    def __init__(self, data: float, parents: tuple = (), local_grads: tuple = (), op: str = "",
                 label: str = ""):
        self.data = float(data)
        self.grad = 0.0
        self.parents = parents          # the Values this one was computed from
        self.local_grads = local_grads  # ∂self/∂parent, one float per parent
        self.op = op                    # how it was made: "+", "*", "exp", … ("" for a leaf)
        self.label = label              # an optional name for printing and drawing

    def __repr__(self) -> str:
        name = f"{self.label}: " if self.label else ""
        return f"Value({name}data={self.data + 0.0:.6g}, grad={self.grad + 0.0:.6g})"  # + 0.0: never "-0"

    # --- the operations: forward rule, then the local derivative of each parent -----------
    def __add__(self, other) -> "Value":
        other = as_value(other)
        return Value(self.data + other.data, (self, other), (1.0, 1.0), "+")

    def __mul__(self, other) -> "Value":
        other = as_value(other)
        return Value(self.data * other.data, (self, other), (other.data, self.data), "*")

    def __pow__(self, k: float) -> "Value":
        if isinstance(k, Value):
            raise TypeError("only a plain-number exponent is supported: v ** 2, not v ** Value")
        out = self.data ** k
        if isinstance(out, complex):
            raise ValueError(f"{self.data:g} ** {k:g} is not a real number")
        return Value(out, (self,), (k * self.data ** (k - 1),), f"**{k:g}")  # (xᵏ)' = k·xᵏ⁻¹

    def exp(self) -> "Value":
        e = math.exp(self.data)
        return Value(e, (self,), (e,), "exp")                      # (eˣ)' = eˣ

    def log(self) -> "Value":
        return Value(math.log(self.data), (self,), (1.0 / self.data,), "log")  # (ln x)' = 1/x

    def tanh(self) -> "Value":
        t = math.tanh(self.data)
        return Value(t, (self,), (1.0 - t * t,), "tanh")           # tanh' = 1 − tanh²

    def sigmoid(self) -> "Value":
        s = 0.5 * (1.0 + math.tanh(0.5 * self.data))            # σ(x), no overflow for large |x|
        return Value(s, (self,), (s * (1.0 - s),), "sigmoid")     # σ' = σ(1 − σ)

    def relu(self) -> "Value":
        return Value(max(self.data, 0.0), (self,), (1.0 if self.data > 0 else 0.0,), "relu")

    # --- the rest are made from the ones above -------------------------------------------
    def __neg__(self) -> "Value":
        return self * -1.0

    def __sub__(self, other) -> "Value":
        return self + (-as_value(other))

    def __truediv__(self, other) -> "Value":
        return self * as_value(other) ** -1

    def __radd__(self, other) -> "Value":
        return self + other

    def __rmul__(self, other) -> "Value":
        return self * other

    def __rsub__(self, other) -> "Value":   # 2 - v
        return as_value(other) - self

    def __rtruediv__(self, other) -> "Value":  # 3 / v
        return as_value(other) / self

    # --- the backward pass -----------------------------------------------------------------
    def backward(self) -> None:
        """Add ∂self/∂v into ``v.grad`` for every v this Value depends on (∂self/∂self = 1).

        This pass's derivatives are gathered in a table first, in reverse topological order:
        a node's derivative is complete (all its paths summed) before it is passed on to its
        parents. Then each is *added* to ``.grad``, so a second call adds the same again."""
        order = topological_order(self)
        d = {id(self): 1.0}                       # ∂self/∂node, this pass only
        for node in reversed(order):
            g = d.get(id(node), 0.0)
            for parent, local in zip(node.parents, node.local_grads):
                d[id(parent)] = d.get(id(parent), 0.0) + local * g   # the chain rule, summed over paths
        for node in order:
            node.grad += d.get(id(node), 0.0)

    def zero_grad(self) -> None:
        """Set ``.grad = 0`` on this Value and everything it depends on (before the next backward)."""
        zero_grad(topological_order(self))


def as_value(x) -> Value:
    """`x` itself if it is a Value, else a new leaf holding the number `x`."""
    return x if isinstance(x, Value) else Value(x)


def topological_order(root: Value) -> list[Value]:
    """Every Value `root` depends on, each once, parents before children (root last).

    Depth-first with an explicit stack of (node, next parent to visit), so the depth of the
    graph is limited by memory, not by Python's recursion limit."""
    order, seen = [], {id(root)}
    stack = [(root, 0)]
    while stack:
        node, i = stack.pop()
        if i < len(node.parents):
            stack.append((node, i + 1))          # come back for the next parent later
            parent = node.parents[i]
            if id(parent) not in seen:
                seen.add(id(parent))
                stack.append((parent, 0))
        else:
            order.append(node)                   # all parents are placed: place the node
    return order


def zero_grad(values: Iterable[Value]) -> None:
    """Reset ``.grad`` to 0 on every Value given (e.g. a network's parameters)."""
    for v in values:
        v.grad = 0.0
