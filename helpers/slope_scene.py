"""Notebook 01's interactive figure: the tangent and a secant of f(x) = e²·sin(x)."""
from __future__ import annotations

import numpy as np

from . import calculus, style
from .controls import Slider
from .fastfig import Scene, register
from .path_text import num

X_RANGE = (-np.pi, 2 * np.pi)


@register
class SlopeScene(Scene):
    """Curve f, its tangent at x₀, the secant over [x₀, x₀+h]; the readout compares Δf with f'(x₀)·h."""

    title = "01 slope explorer"
    controls = {
        "x0": Slider(-np.pi, 2 * np.pi, 0.0, step=np.pi / 200, label="point x₀"),  # π/2 and both ends lie on the grid
        "h": Slider(0.001, 2.0, 0.5, log=True, label="step h"),
    }

    def draw_static(self):
        ax = self.ax = self.fig.subplots()
        x = np.linspace(*X_RANGE, 600)
        ax.plot(x, calculus.f(x), color=style.CURVE, lw=2, label="f(x) = e²·sin x")
        ax.set(xlim=X_RANGE, ylim=(-10, 10), xlabel="x (radians)", ylabel="f(x)")
        ax.axhline(0, color=style.MUTED, lw=0.8)
        (self.tangent,) = ax.plot([], [], color=style.TANGENT, lw=1.8, label="tangent, slope f'(x₀)")
        (self.secant,) = ax.plot([], [], color=style.SECANT, lw=1.8, ls="--", label="secant over [x₀, x₀+h]")
        (self.points,) = ax.plot([], [], "o", color=style.COLORS["black"], ms=5)
        (self.rise,) = ax.plot([], [], color=style.SECANT, lw=3, alpha=0.6)
        for artist in (self.tangent, self.secant, self.points, self.rise):
            self.track(artist)
        ax.legend(loc="lower left", fontsize=8)

    def update(self, x0: float, h: float) -> str:
        slope = float(calculus.df(x0))
        if abs(slope) < 1e-9:  # cos(π/2) is about 1e-13 on the slider's grid: call it flat
            slope = 0.0
        f0, f1 = float(calculus.f(x0)), float(calculus.f(x0 + h))
        delta, predicted = f1 - f0, slope * h
        span = np.array([x0 - 1.5, x0 + 1.5])
        self.tangent.set_data(span, f0 + slope * (span - x0))
        secant_slope = delta / h
        self.secant.set_data(span, f0 + secant_slope * (span - x0))
        self.points.set_data([x0, x0 + h], [f0, f1])
        self.rise.set_data([x0 + h, x0 + h], [f0, f1])
        if slope == 0.0:
            direction = "flat: no direction is downhill"
        else:
            direction = "uphill to the right" if slope > 0 else "downhill to the right"
        return (f"f'(x₀) = {num(slope, '+.4f')}: the sign is the direction ({direction}), "
                f"the size |f'(x₀)| = {abs(slope):.4f} the magnitude\n"
                f"h = {h:g}: Δf = f(x₀+h) − f(x₀) = {num(delta, '+.6f')}   prediction f'(x₀)·h = {num(predicted, '+.6f')}   "
                f"error = {num(delta - predicted, '+.2e')}")
