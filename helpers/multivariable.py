"""The article's function of two variables, z = x·y + x², its partial derivatives and its chain rule.

Pure math: numpy only. Notebook 02 plots what these functions return; notebook 03's computational
graph x, y → a = x·y, b = x², z = a + b is written out so its backward pass reads like the math.
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from .calculus import central_difference
from .validate import finite, positive


def z(x, y):
    """The article's z = f(x, y) = x·y + x²."""
    x, y = finite("x", x), finite("y", y)
    return x * y + x**2


def dz_dx(x, y):
    """∂z/∂x = y + 2x: hold y constant, so x·y gives y and x² gives 2x."""
    x, y = finite("x", x), finite("y", y)
    return y + 2 * x


def dz_dy(x, y):
    """∂z/∂y = x: hold x constant, so x·y gives x and x² (no y in it) gives 0."""
    x, y = finite("x", x), finite("y", y)
    return x + 0 * y  # broadcast to the shape of x and y together


def gradient(x, y) -> np.ndarray:
    """∇z = (∂z/∂x, ∂z/∂y), stacked on the last axis: shape (2,) for a point, (..., 2) for arrays."""
    return np.stack(np.broadcast_arrays(dz_dx(x, y), dz_dy(x, y)), axis=-1)


def unit_vector(theta) -> np.ndarray:
    """u(θ) = (cos θ, sin θ), the direction at angle θ (radians) from the +x axis; shape (..., 2)."""
    theta = finite("theta", theta)
    return np.stack([np.cos(theta), np.sin(theta)], axis=-1)


def directional_derivative(x: float, y: float, theta):
    """∇z·u(θ): the rate at which z changes per unit step from (x, y) in the direction θ (radians).

    Equal to ‖∇z‖·cos(θ − φ), with φ the gradient's angle: largest (= ‖∇z‖) along ∇z,
    smallest (= −‖∇z‖) along −∇z, zero along the contour.
    """
    g = gradient(x, y)
    if g.shape != (2,):
        raise ValueError(f"x and y must be single numbers (one point), got shapes {np.shape(x)} and {np.shape(y)}")
    return unit_vector(theta) @ g


def steepest_descent_direction(x: float, y: float) -> np.ndarray:
    """−∇z/‖∇z‖, the unit vector along which z falls fastest; ValueError where ∇z = 0 (no such direction)."""
    g = gradient(x, y)
    if g.shape != (2,):
        raise ValueError(f"x and y must be single numbers (one point), got shapes {np.shape(x)} and {np.shape(y)}")
    norm = float(np.hypot(*g))
    if norm == 0.0:
        raise ValueError(f"the gradient is zero at ({float(x)}, {float(y)}): no direction is steepest")
    return -g / norm


def numerical_gradient(func: Callable, x, y, h: float = 1e-5) -> np.ndarray:
    """∇func estimated by central differences, one variable at a time with the other held constant.

    `func(x, y)` takes and returns numbers or arrays; the result is stacked like `gradient`.
    """
    if not callable(func):
        raise ValueError(f"func must be a function of (x, y), got {func!r}")
    h = positive("h", h)
    x, y = finite("x", x), finite("y", y)
    ddx = central_difference(lambda t: func(t, y), x, h)  # y held constant
    ddy = central_difference(lambda t: func(x, t), y, h)  # x held constant
    return np.stack(np.broadcast_arrays(ddx, ddy), axis=-1)


# The computational graph of z = x·y + x²: every edge (source, target) is one local derivative.
NODES = ("x", "y", "a", "b", "z")
EDGES = (("x", "a"), ("y", "a"), ("x", "b"), ("a", "z"), ("b", "z"))


def forward_values(x: float, y: float) -> dict[str, float]:
    """The forward pass: the value at every node, inputs first (a = x·y, b = x², z = a + b)."""
    x, y = float(finite("x", x)), float(finite("y", y))
    a = x * y
    b = x**2
    return {"x": x, "y": y, "a": a, "b": b, "z": a + b}


def local_partials(x: float, y: float) -> dict[tuple[str, str], float]:
    """∂target/∂source on every edge, each from its own node's rule alone (what back-propagation multiplies)."""
    v = forward_values(x, y)
    return {
        ("x", "a"): v["y"],       # a = x·y  →  ∂a/∂x = y
        ("y", "a"): v["x"],       #          →  ∂a/∂y = x
        ("x", "b"): 2 * v["x"],   # b = x²   →  ∂b/∂x = 2x
        ("a", "z"): 1.0,          # z = a + b →  ∂z/∂a = 1
        ("b", "z"): 1.0,          #           →  ∂z/∂b = 1
    }


def backward_values(x: float, y: float) -> dict[str, float]:
    """The backward pass: ∂z/∂node for every node, by the chain rule from z back to the inputs.

    Edges are visited from the output back; each adds (local partial × ∂z/∂target) to its
    source, so ∂z/∂x gathers both of its paths: y (through a) + 2x (through b).
    """
    local = local_partials(x, y)
    grad = {name: 0.0 for name in NODES}
    grad["z"] = 1.0
    for edge in reversed(EDGES):
        source, target = edge
        grad[source] += local[edge] * grad[target]
    return grad
