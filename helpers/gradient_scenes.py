"""Notebook 02's figures on z = x·y + x²: the saddle surface, its slices, the gradient on the
contour map, and two interactive scenes (the gradient at a movable point; the directional
derivative ∇z·u(θ) as the direction turns). The maps are drawn once; a slider move only moves a
point, a few arrows and one curve. Drawing functions take arrays and return what they drew."""
from __future__ import annotations

import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.colors import TwoSlopeNorm

from . import multivariable as mv
from . import style
from .controls import Slider
from .fastfig import Scene, register
from .validate import finite

LIM = 4.0                                 # the map shows x, y in [−LIM, LIM]
ARROW_SCALE = 0.25                         # the point's ∇z is drawn at a quarter of its length
NEUTRAL = style.COLORS["black"]


def _clean(v: float) -> float:
    """A rounding-level value shown as 0 (so a readout never flips between +0.0000 and −0.0000)."""
    return 0.0 if abs(v) < 1e-9 else float(v)


def contour_map(ax, lim=(-LIM, LIM, -LIM, LIM), n: int = 161, labels: bool = True, line_step: float = 2.0):
    """Filled contours of z (blue below 0, red above) every 2 units, with labelled contour lines
    every `line_step` units (a multiple of 2); returns the filled set."""
    x0, x1, y0, y1 = lim
    X, Y = np.meshgrid(np.linspace(x0, x1, n), np.linspace(y0, y1, n))
    Z = mv.z(X, Y)
    norm = TwoSlopeNorm(vmin=-8.0, vcenter=0.0, vmax=32.0)
    levels = np.arange(2 * np.floor(Z.min() / 2), 2 * np.ceil(Z.max() / 2) + 1, 2.0)  # every 2 units of z
    filled = ax.contourf(X, Y, Z, levels=levels, cmap="RdBu_r", norm=norm, alpha=0.45)
    lines = ax.contour(X, Y, Z, levels=levels[np.isclose(np.mod(levels, line_step), 0.0)], colors=style.MUTED,
                       linewidths=0.7)
    if labels:
        ax.clabel(lines, levels=[lv for lv in (-4, -2, 0, 2, 8, 16, 24) if Z.min() < lv < Z.max() and lv % line_step == 0],
                  fontsize=7, fmt="%g", inline_spacing=2, colors=style.COLORS["black"])
    ax.set(xlim=(x0, x1), ylim=(y0, y1), aspect="equal", xlabel="x", ylabel="y")
    ax.grid(False)
    return filled


def saddle_surface(ax3, X, Y, Z, point=(3.0, -3.0)) -> dict:
    """The surface Z over (X, Y) on a 3-D axes, its contours on the floor, the two lines where
    z = x·(x + y) is zero, and `point` marked; returns the artists by name."""
    norm = TwoSlopeNorm(vmin=-8, vcenter=0, vmax=32)
    surf = ax3.plot_surface(X, Y, Z, cmap="RdBu_r", norm=norm, alpha=0.75, linewidth=0.2, edgecolor="white",
                            rstride=2, cstride=2, zorder=1)
    floor = ax3.contour(X, Y, Z, levels=np.arange(-4, 33, 4), zdir="z", offset=-10, cmap="RdBu_r", norm=norm,
                        linewidths=0.8, zorder=0)
    ends = np.array([-LIM, LIM])
    zero_a = ax3.plot(0 * ends, ends, 0 * ends, color="black", lw=1.5, zorder=3,
                      label="z = 0 on the lines x = 0 and y = −x")[0]
    zero_b = ax3.plot(ends, -ends, 0 * ends, color="black", lw=1.5, zorder=3)[0]
    px, py = point
    dot = ax3.plot([px], [py], [float(mv.z(px, py))], "o", color=style.TANGENT, ms=7, zorder=4,
                   label=f"the article's point ({px:g}, {py:g})".replace("-", "−"))[0]
    ax3.set(xlabel="x", ylabel="y", zlabel="z", zlim=(-10, 32), title="z = x·y + x²: a saddle")
    ax3.view_init(elev=30, azim=-60)
    ax3.legend(loc="upper left", fontsize=8)
    return {"surface": surf, "floor": floor, "zero_lines": (zero_a, zero_b), "point": dot}


def slices(ax_x, ax_y, s, along_x, along_y, point, slopes) -> dict:
    """Two slices of the surface through `point` = (x0, y0): z(x, y0) against x on `ax_x` and
    z(x0, y) against y on `ax_y`, each with its tangent of slope `slopes` = (∂z/∂x, ∂z/∂y).

    `s` are the sample positions, `along_x`/`along_y` the slice values there.
    """
    (x0, y0), (sx, sy) = point, slopes
    z0 = float(mv.z(x0, y0))
    t = np.array([-1.5, 1.5])
    out = {}
    for ax, c, vals, slope, name, fixed, other in ((ax_x, x0, along_x, sx, "x", f"y held at {y0:g}", "y + 2x"),
                                                   (ax_y, y0, along_y, sy, "y", f"x held at {x0:g}", "x")):
        fixed = fixed.replace("-", "−")
        curve = ax.plot(s, vals, color=style.CURVE, label=f"the slice ({fixed})")[0]
        tangent = ax.plot(c + t, z0 + slope * t, color=style.TANGENT, ls="--" if name == "y" else "-", lw=2.2,
                          label=f"tangent, slope ∂z/∂{name} = {other} = {slope + 0.0:g}")[0]
        dot = ax.plot([c], [z0], "o", color="black")[0]
        ax.set(xlabel=f"{name} ({fixed})", ylabel="z", title=f"only {name} moves")
        ax.legend(loc="upper center", fontsize=8)
        out[name] = (curve, tangent, dot)
    return out


def gradient_map(ax, point=(3.0, -3.0), spacing: float = 1.0, scale: float = 4.0) -> dict:
    """The contour map with ∇z drawn (at 1/`scale` of its length) on a grid, and ∇z and −∇z
    at `point` drawn bold; returns the artists (the filled contours under "filled")."""
    filled = contour_map(ax)
    q = np.arange(-LIM + spacing / 2, LIM, spacing)
    qx, qy = np.meshgrid(q, q)
    g = mv.gradient(qx, qy)
    field = ax.quiver(qx, qy, g[..., 0], g[..., 1], angles="xy", scale_units="xy", scale=scale, width=0.005,
                      color="black", alpha=0.7)
    px, py = point
    gp = mv.gradient(px, py)
    bold = ax.quiver([px, px], [py, py], [gp[0], -gp[0]], [gp[1], -gp[1]], angles="xy", scale_units="xy",
                     scale=scale, width=0.012, color=[style.TANGENT, style.COLORS["blue"]], zorder=5)
    dot = ax.plot([px], [py], "o", color="black", zorder=6)[0]
    up = ax.text(px + gp[0] / scale + 0.05, py + gp[1] / scale + 0.1, "∇z", color=style.TANGENT, fontsize=11,
                 fontweight="bold")
    down = ax.text(px - gp[0] / scale - 0.75, py - gp[1] / scale - 0.1, "−∇z", color=style.COLORS["blue"],
                   fontsize=11, fontweight="bold")
    ax.set_title(f"z = x·y + x² with ∇z (1/{scale:g} length)")
    return {"filled": filled, "field": field, "point_arrows": bold, "point": dot, "labels": (up, down)}


def level_curve_segments(c: float, lim: float = LIM) -> list[np.ndarray]:
    """Pieces of the contour z = c inside the square, from y = c/x − x (x ≠ 0), no NaN anywhere.

    For c = 0 the contour is two lines, y = −x and x = 0 (since z = x·(x + y)).
    """
    reach = 1.5 * lim
    out = []
    for sign in (-1.0, 1.0):
        x = sign * np.geomspace(1e-3, reach, 400)
        y = c / x - x
        keep = np.abs(y) <= reach
        if keep.sum() >= 2:
            out.append(np.column_stack([x[keep], y[keep]]))
    if abs(c) < 1e-12:
        out.append(np.array([[0.0, -reach], [0.0, reach]]))
    return out


@register
class GradientFieldScene(Scene):
    """The contour map of z with the gradient's direction everywhere; the sliders move a point
    where ∇z (uphill) and −∇z (downhill) are drawn, with the contour through the point. A side
    panel shows how z changes along ∇z, along −∇z and along the contour from that point."""

    title = "02 gradient on the contour map"
    figsize = (8.4, 4.0)
    controls = {
        "x": Slider(-LIM, LIM, 3.0, step=0.1, label="x"),
        "y": Slider(-LIM, LIM, -3.0, step=0.1, label="y"),
    }

    def draw_static(self):
        ax, side = self.fig.subplots(1, 2, width_ratios=[1.25, 1])
        # contour lines every 4 units, not 2 as on the static maps: a moving frame then nearly always fits
        # the browser's websocket pipe in one go (`live.FRAME_PNG_BUDGET`): 91-98 KB, not 109-117 KB
        filled = contour_map(ax, line_step=4.0)
        gx, gy = np.meshgrid(np.arange(-3.5, 3.6, 1.0), np.arange(-3.5, 3.6, 1.0))
        g = mv.gradient(gx, gy)
        length = np.hypot(g[..., 0], g[..., 1])
        ax.quiver(gx, gy, g[..., 0] / length, g[..., 1] / length, angles="xy", scale_units="xy", scale=1.8,
                  width=0.005, color=style.COLORS["black"], alpha=0.6, zorder=2)
        ax.set_title("z = x·y + x²; small arrows: direction of ∇z", fontsize=10)
        cbar = self.fig.colorbar(filled, ax=ax, shrink=0.85, pad=0.01, ticks=np.arange(-4, 33, 4),
                                 spacing="proportional")
        cbar.set_label("z")
        self.level = self.track(ax.add_collection(LineCollection([], colors=NEUTRAL, linewidths=1.6,
                                                                 linestyles="--", zorder=3)))
        self.up = self.track(ax.quiver([3.0], [-3.0], [0.0], [0.0], angles="xy", scale_units="xy",
                                       scale=1 / ARROW_SCALE, width=0.012, color=style.TANGENT, zorder=4))
        self.down = self.track(ax.quiver([3.0], [-3.0], [0.0], [0.0], angles="xy", scale_units="xy",
                                         scale=1 / ARROW_SCALE, width=0.012, color=style.COLORS["blue"], zorder=4))
        (self.point,) = ax.plot([], [], "o", color=NEUTRAL, ms=6, zorder=5)
        self.track(self.point)

        self.t = np.linspace(0.0, 1.0, 41)
        side.axhline(0, color=style.MUTED, lw=0.8)
        (self.along_up,) = side.plot([], [], color=style.TANGENT, lw=2.2, label="along ∇z (orange arrow, ¼ length): uphill")
        (self.along_down,) = side.plot([], [], color=style.COLORS["blue"], lw=2.2, label="along −∇z (blue arrow): downhill")
        (self.along_level,) = side.plot([], [], color=NEUTRAL, lw=1.6, ls="--", label="along the contour (dashed): flat at first")
        for artist in (self.along_up, self.along_down, self.along_level):
            self.track(artist)
        side.set(xlim=(0, 1), ylim=(-14, 14), xlabel="distance t walked from the point",
                 ylabel="change in z")
        side.set_title("z(point + t·direction) − z(point)", fontsize=10)
        side.legend(loc="upper left", fontsize=8)

    def update(self, x: float, y: float) -> str:
        zval = float(mv.z(x, y))
        gx, gy = mv.gradient(x, y)
        norm = float(np.hypot(gx, gy))
        self.point.set_data([x], [y])
        for arrow, sign in ((self.up, 1.0), (self.down, -1.0)):
            arrow.set_offsets([[x, y]])
            arrow.set_UVC([sign * gx], [sign * gy])
            arrow.set_visible(norm > 0)
        self.level.set_segments(level_curve_segments(zval))
        if norm > 0:
            ux, uy = gx / norm, gy / norm
            for line, (dx, dy) in ((self.along_up, (ux, uy)), (self.along_down, (-ux, -uy)),
                                   (self.along_level, (-uy, ux))):
                line.set_data(self.t, mv.z(x + self.t * dx, y + self.t * dy) - zval)
        else:
            for line in (self.along_up, self.along_down, self.along_level):
                line.set_data([], [])
        head = (f"(x, y) = ({_clean(x):+.2f}, {_clean(y):+.2f})   z = {_clean(zval):+.4f}   "
                f"∂z/∂x = y + 2x = {_clean(gx):+.4f}   ∂z/∂y = x = {_clean(gy):+.4f}   ‖∇z‖ = {norm:.4f}\n")
        if norm < 1e-9:
            return head + "∇z = 0: a stationary point (for this z a saddle): no direction is uphill or downhill to first order"
        return head + ("∇z points uphill (steepest ascent), −∇z downhill (steepest descent); "
                       "both are perpendicular to the contour through the point")


@register
class DirectionalDerivativeScene(Scene):
    """Turn a direction u(θ) at a point: the rate ∇z·u(θ) at which z changes along it, plotted
    against θ, peaks at ‖∇z‖ along ∇z and bottoms at −‖∇z‖ along −∇z.

    `LiveFigure(DirectionalDerivativeScene, params={"point": (x, y)})` picks the point (default (3, −3)).
    """

    title = "02 directional derivative"
    figsize = (8.4, 3.8)
    controls = {"theta": Slider(0.0, 360.0, 0.0, step=1.0, label="direction θ (degrees)")}

    def draw_static(self):
        point = finite("point", self.params.get("point", (3.0, -3.0)))
        if point.shape != (2,):
            raise ValueError(f"point must be one (x, y) pair, got {self.params['point']!r}")
        px, py = self.px, self.py = float(point[0]), float(point[1])
        g = self.g = mv.gradient(px, py)
        self.gnorm = float(np.hypot(*g))
        self.phi = float(np.degrees(np.arctan2(g[1], g[0])) % 360.0)
        self.scale = 1.6 / self.gnorm if self.gnorm > 0 else 1.0  # ∇z drawn 1.6 units long
        ax_map, ax_d = self.fig.subplots(1, 2, width_ratios=[1, 1.45])
        half = 2.4
        contour_map(ax_map, (px - half, px + half, py - half, py + half), n=121)
        ax_map.set_title(f"directions u(θ) at ({px:g}, {py:g})", fontsize=10)
        t = np.linspace(0, 2 * np.pi, 200)
        r = self.scale * self.gnorm
        ax_map.plot(px + r * np.cos(t), py + r * np.sin(t), color=style.MUTED, lw=0.8, ls=":")
        if self.gnorm > 0:
            ax_map.annotate("", xy=(px + r * g[0] / self.gnorm, py + r * g[1] / self.gnorm), xytext=(px, py),
                            arrowprops=dict(arrowstyle="-|>", color=style.TANGENT, lw=2.2, mutation_scale=14),
                            zorder=4)
            ax_map.text(px + 1.12 * r * g[0] / self.gnorm, py + 1.12 * r * g[1] / self.gnorm, "∇z",
                        color=style.TANGENT, fontsize=10, ha="center", va="center", fontweight="bold")
        ax_map.plot([px], [py], "o", color=NEUTRAL, ms=5, zorder=5)
        (self.drop,) = ax_map.plot([], [], color=style.MUTED, lw=1, ls="--", zorder=3)
        (self.shadow,) = ax_map.plot([], [], color=style.SECANT, lw=5, alpha=0.8, solid_capstyle="butt", zorder=6)
        self.u = ax_map.quiver([px], [py], [1.0], [0.0], angles="xy", scale_units="xy", scale=1 / r if r else 1.0,
                               width=0.009, color=style.COLORS["blue"], zorder=5)
        handles = [ax_map.plot([], [], color=style.COLORS["blue"], lw=2)[0],
                   ax_map.plot([], [], color=style.SECANT, lw=5, alpha=0.8)[0]]
        ax_map.legend(handles, ["u(θ), a unit direction", "shadow of ∇z on u: ∇z·u"], loc="lower left",
                      fontsize=7.5, frameon=True, framealpha=0.85, handlelength=1.5)
        for artist in (self.drop, self.shadow, self.u):
            self.track(artist)

        theta = np.linspace(0.0, 360.0, 721)
        d = mv.directional_derivative(px, py, np.radians(theta))
        ax_d.plot(theta, d, color=style.CURVE, lw=2, label="∇z·u(θ)")
        ax_d.axhline(0, color=style.MUTED, lw=0.8)
        lo, hi = (self.phi + 180.0) % 360.0, self.phi
        ax_d.plot([hi], [self.gnorm], "^", color=style.TANGENT, ms=8, label=f"max = ‖∇z‖ at θ = {hi:.0f}° (along ∇z)")
        ax_d.plot([lo], [-self.gnorm], "v", color=style.COLORS["blue"], ms=8,
                  label=f"min = −‖∇z‖ at θ = {lo:.0f}° (along −∇z)")
        span = max(self.gnorm, 1.0) * 1.25
        ax_d.set(xlim=(0, 360), ylim=(-span, span * 1.45), xticks=np.arange(0, 361, 45),
                 xlabel="direction θ (degrees)", ylabel="rate of change of z per unit step")
        ax_d.legend(loc="upper right", fontsize=8, ncols=1)
        self.vline = self.track(ax_d.axvline(0.0, color=style.COLORS["blue"], lw=1, ls="--"))
        (self.dot,) = ax_d.plot([], [], "o", color=style.SECANT, ms=8, zorder=5)
        self.track(self.dot)
        ax_d.set_title("directional derivative ∇z·u(θ)", fontsize=10)

    def update(self, theta: float) -> str:
        px, py = self.px, self.py
        u = mv.unit_vector(np.radians(theta))
        d = float(mv.directional_derivative(px, py, np.radians(theta)))
        foot = (px + self.scale * d * u[0], py + self.scale * d * u[1])
        tip = (px + self.scale * self.g[0], py + self.scale * self.g[1])
        self.u.set_UVC([u[0]], [u[1]])
        self.shadow.set_data([px, foot[0]], [py, foot[1]])
        self.drop.set_data([tip[0], foot[0]], [tip[1], foot[1]])
        self.vline.set_xdata([theta, theta])
        self.dot.set_data([theta], [d])
        head = f"θ = {theta:5.1f}°   u = ({_clean(u[0]):+.3f}, {_clean(u[1]):+.3f})   ∇z·u = {_clean(d):+.4f}\n"
        if self.gnorm == 0:
            return head + "∇z = 0 here: z does not change to first order in any direction"
        return head + (f"max ∇z·u = ‖∇z‖ = {self.gnorm:.4f} at θ = {self.phi:.0f}° (the direction of ∇z); "
                       f"min = −‖∇z‖ = {-self.gnorm:.4f} at θ = {(self.phi + 180) % 360:.0f}° (−∇z: steepest descent)")
