"""Notebook 08's figures: a valley the learner types (in x, or in x and y), its exact derivative,
and gradient descent on it, live; and the notebook's static figures (basins, saddle, escapes).

The typed text goes through `landscape.parse_cost` (parsed, never run). A new text redraws the
curves or the contour map once (a full redraw, a few tens of ms); moving the start, α or the
number of steps only reruns `gradient_descent` (at most a few hundred cheap steps) and moves the
path's artists. Invalid text keeps the last good valley and the readout says what was wrong;
where the valley is undefined, only its finite parts are drawn and the readout says where it is
not; a run that reaches such a point, or leaves the bound, stops there and the readout says why.
"""
from __future__ import annotations

import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.ticker import FuncFormatter, LogLocator, NullLocator

from . import style
from .controls import Slider, Text
from .descent import gradient_descent
from .fastfig import Scene, register
from .landscape import Cost, finite_intervals, parse_cost

X_VIEW = (-3.5, 3.5)   # the part of the x axis drawn
BOUND = 1e6            # a run whose |x| passes this has left the valley: stopped there
SMALL = 8
EXAMPLES = (  # what the tests and the benchmark type into the box (the learner sees only the value)
    "sin(3*x) + 0.1*x**2", "x**2", "0.25*x**4 - x**3 + x**2", "log(x)", "exp(x**3)", "sqrt(abs(x))",
    "1/x", "x**x", "tanh(5*x) + 0.05*x**2", "log(-x**2)", "1/0", "3",
    "x = 1", "__import__('os')", "x.__class__", "9**9**9", "x**1000000", "2x", "y", "",
)


def _g(v: float) -> str:
    """A number for the readout, never '-0'."""
    return f"{float(v) + 0.0:.4g}"


def _segments(x: np.ndarray, y: np.ndarray, ok: np.ndarray) -> list[np.ndarray]:
    """The curve as one polyline per run of finite points (nothing non-finite is drawn)."""
    return [np.column_stack([x[a:b + 1], y[a:b + 1]])
            for a, b in (np.searchsorted(x, r) for r in finite_intervals(x, ok))]


def _limits(values: np.ndarray) -> tuple[float, float]:
    """y limits showing the finite values; a few huge ones (exp(x**3)) do not squash the rest."""
    if values.size == 0:
        return -1.0, 1.0
    lo, hi = float(values.min()), float(values.max())
    q1, q3 = np.percentile(values, [25, 75])
    if hi - lo > 50 * (q3 - q1) + 1e-12:  # explosive (exp(x**3), 1/x): show the bulk, clip the rest
        lo, hi = max(lo, float(q1 - 3 * (q3 - q1))), min(hi, float(q3 + 3 * (q3 - q1)))
    if hi - lo < 1e-9 * max(1.0, abs(hi)):
        lo, hi = lo - 1.0, hi + 1.0
    pad = 0.08 * (hi - lo)
    return lo - pad, hi + pad


def describe_intervals(intervals: list[tuple[float, float]]) -> str:
    """'x in [-3.5, 0] and x = 2' style text for a readout."""
    return " and ".join(f"x in [{_g(a)}, {_g(b)}]" if a != b else f"x = {_g(a)}" for a, b in intervals)


def _where(p) -> str:
    """'x = 1.5' for a 1-D point, '(x, y) = (1.5, -2)' for a 2-D one."""
    p = np.atleast_1d(np.asarray(p, dtype=float))
    if p.size == 1:
        return f"x = {_g(p[0])}"
    return f"(x, y) = ({', '.join(_g(v) for v in p)})"


def stop_reason(cost: Cost, path: np.ndarray, diverged_at: int | None, lr: float) -> tuple[np.ndarray, str]:
    """Cut a descent path where the valley is undefined and say why the run stopped ("" if it ran on).

    `gradient_descent` stops only when an iterate is non-finite or beyond the bound; a step can
    also land where f itself is undefined while the gradient there is finite (log(x) at x < 0),
    so the path is cut at the first such point too. Works for 1-D paths (steps,) and 2-D (steps, 2)."""
    f = cost.value_at(path)
    bad = ~np.isfinite(f)
    one_d = len(cost.variables) == 1
    if bad[0]:
        start = f"x₀ = {_g(path[0])}" if one_d else _where(path[0])
        return path[:0], f"f is not finite at the start {start}: move the start to where f is defined"
    if bad.any():
        k = int(np.argmax(bad))
        return path[:k], f"stopped at step {k}: it would land at {_where(path[k])}, where f is not finite"
    if diverged_at is None:
        return path, ""
    last = path[-1]
    g = np.asarray(cost.grad_at(last), dtype=float)
    if not np.all(np.isfinite(g)):
        name = "f'(x)" if one_d else "∇f"
        return path, f"stopped at step {diverged_at}: the gradient {name} is not finite at {_where(last)}"
    with np.errstate(all="ignore"):
        nxt = last - lr * g
    if np.all(np.isfinite(nxt)) and not np.isfinite(cost.value_at(nxt)):
        return path, f"stopped at step {diverged_at}: it would land at {_where(nxt)}, where f is not finite"
    return path, f"diverged at step {diverged_at}: |{'x' if one_d else 'x| or |y'}| passed {BOUND:g}"


@register
class TypedValleyScene(Scene):
    """Type a cost f(x): the curve with gradient descent on it, and its exact derivative f'(x)."""

    title = "08 your own valley"
    figsize = (8.4, 3.5)
    MAX_STEPS = 200
    controls = {
        "cost": Text("x**4 - 3*x**2 + x", label="cost f(x) =", examples=EXAMPLES,
                     placeholder="a cost in x, e.g. sin(3*x) + 0.1*x**2"),
        "x0": Slider(-3.0, 3.0, 2.0, step=0.05, label="start x₀"),
        "lr": Slider(0.001, 1.0, 0.02, log=True, label="learning rate α"),
        "steps": Slider(0, MAX_STEPS, 40, integer=True, label="steps"),
    }

    def draw_static(self):
        self.xs = np.linspace(*X_VIEW, 701)
        # fixed margins, not a layout computed once: a new valley's tick labels may be wider
        self.fig.set_layout_engine("none")
        self.ax_f, self.ax_d = self.fig.subplots(1, 2, gridspec_kw=dict(left=0.1, right=0.985, bottom=0.14,
                                                                        top=0.91, wspace=0.33))
        for ax in (self.ax_f, self.ax_d):
            ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v + 0.0:.3g}"))
        self.curve = self.ax_f.add_collection(LineCollection([], color=style.CURVE, lw=2))
        self.slope = self.ax_d.add_collection(LineCollection([], color=style.CURVE, lw=2))
        self.ax_d.axhline(0, color=style.MUTED, lw=1, ls="--")
        for ax, ylabel in ((self.ax_f, "cost f(x)"), (self.ax_d, "slope f'(x)")):
            ax.set(xlim=X_VIEW, xlabel="position x", ylabel=ylabel)
        self.ax_d.set_title("its exact derivative f'(x)", fontsize=SMALL + 1)
        self.spans: list = []
        self.holes: list = []
        (self.path,) = self.ax_f.plot([], [], "-o", color=style.TANGENT, lw=1, ms=3, alpha=0.8)
        (self.start,) = self.ax_f.plot([], [], "s", color=style.COLORS["black"], ms=6)
        (self.here,) = self.ax_f.plot([], [], "o", color=style.TANGENT, ms=9, mec="black")
        (self.slopes,) = self.ax_d.plot([], [], "o", color=style.TANGENT, ms=3, alpha=0.8)
        (self.slope_here,) = self.ax_d.plot([], [], "o", color=style.TANGENT, ms=9, mec="black")
        self.note = self.ax_f.text(0.03, 0.04, "", transform=self.ax_f.transAxes, fontsize=SMALL,
                                   color=style.TANGENT, fontweight="bold", va="bottom",
                                   bbox=dict(facecolor="white", edgecolor=style.TANGENT, alpha=0.9, pad=2))
        for artist in (self.path, self.start, self.here, self.slopes, self.slope_here, self.note):
            self.track(artist)
        self.cost: Cost | None = None
        self.text = None       # the last text typed (valid or not)
        self.problem = ""      # parse_cost's message for it, "" if it was valid
        self.undefined = ""    # where the current valley is not finite, for the readout
        self.set_cost(self.controls["cost"].value)

    def set_cost(self, text: str) -> None:
        """Parse a newly typed text; on success redraw the curves (static: the next frame redraws
        everything), otherwise keep the last good valley and remember the message."""
        self.text = text
        try:
            cost = parse_cost(text)
        except ValueError as err:
            self.problem = str(err)
            return
        self.problem, self.cost = "", cost
        f, d = cost(self.xs), cost.grad(self.xs)[0]
        ok_f, ok_d = np.isfinite(f), np.isfinite(d) & np.isfinite(f)
        self.ylim_f = _limits(f[ok_f])
        self.ylim_d = _limits(d[ok_d])
        self.curve.set_segments(_segments(self.xs, self._clip(f, self.ylim_f), ok_f))
        self.slope.set_segments(_segments(self.xs, self._clip(d, self.ylim_d), ok_d))
        self.ax_f.set_ylim(*self.ylim_f)
        self.ax_d.set_ylim(*self.ylim_d)
        for span in self.spans:
            span.remove()
        holes = finite_intervals(self.xs, ~ok_f)
        self.spans = [self.ax_f.axvspan(a, b, color=style.MUTED, alpha=0.25, lw=0) for a, b in holes]
        self.holes = holes
        self.undefined = (f"f is not finite (shaded, not drawn) for {describe_intervals(holes)}"
                          if holes else "")
        title = cost.text if len(cost.text) <= 48 else cost.text[:45] + "..."
        self.ax_f.set_title(f"f(x) = {title}", fontsize=SMALL + 1)
        self.full_redraw = True

    def jumped_over(self, path: np.ndarray) -> str:
        """'step k jumped over …' when a step crossed a stretch where f is not finite (1/x at 0)."""
        if len(path) < 2 or not self.holes:
            return ""
        lo, hi = np.minimum(path[:-1], path[1:]), np.maximum(path[:-1], path[1:])
        for a, b in self.holes:
            crossed = np.flatnonzero((lo < a) & (hi > b))
            if crossed.size:
                where = f"x = {_g(a)}" if a == b else f"[{_g(a)}, {_g(b)}]"
                return f"step {crossed[0] + 1} jumped over {where}, where f is not finite"
        return ""

    @staticmethod
    def _clip(y: np.ndarray, lim: tuple[float, float]) -> np.ndarray:
        span = lim[1] - lim[0]
        return np.clip(np.nan_to_num(y), lim[0] - span, lim[1] + span)

    def update(self, cost: str, x0: float, lr: float, steps: int) -> str:
        if cost != self.text:
            self.set_cost(cost)
        c = self.cost
        steps = int(steps)
        run = gradient_descent(c.grad_at, float(x0), float(lr), steps, bound=BOUND)
        path, reason = stop_reason(c, run.path, run.diverged_at, lr)
        fp = c(path)
        inside = (path >= X_VIEW[0]) & (path <= X_VIEW[1])
        m = int(np.argmin(inside)) if not inside.all() else len(path)  # drawn up to where it leaves the view
        shown_f = self._clip(fp, self.ylim_f)
        self.path.set_data(path[:m], shown_f[:m])
        self.start.set_data([x0], [shown_f[0]] if len(path) else [])
        self.here.set_data(path[m - 1:m], shown_f[m - 1:m])
        dp = self._clip(c.grad(path)[0], self.ylim_d)
        self.slopes.set_data(path[:m], dp[:m])
        self.slope_here.set_data(path[m - 1:m], dp[m - 1:m])
        if not len(path):  # the start itself is undefined: nothing to draw
            self.start.set_data([], [])
        self.note.set_text(reason.split(":")[0] if reason else "")

        lines = []
        if self.problem:
            lines.append(f"⚠ {self.problem}")
            lines.append(f"(still showing the last valid valley, f(x) = {c.text})")
        lines.append(f"f(x) = {c.text};  f'(x) = {c.derivative_text[0]}  (exact, by symbolic differentiation)")
        head = f"α = {float(lr):g}, start x₀ = {_g(x0)}, {steps} steps"
        if len(path) == 0 or (reason and reason.startswith("f is not finite")):
            lines.append(f"{head}: {reason}")
        else:
            x_end, g_end = path[-1], float(c.grad(path[-1])[0])
            slope = f"f'(x) = {_g(g_end)}" if np.isfinite(g_end) else "f'(x) is not finite"
            where = f"x = {_g(x_end)}, f(x) = {_g(fp[-1])}, {slope}"
            if reason:
                lines.append(f"{head}: {reason}; last kept point {where}")
            else:
                state = "|f'| < 1e-6: a minimum, or a flat stretch" if abs(g_end) < 1e-6 else "still moving"
                lines.append(f"{head}: ends at {where}, {state}")
            jump = self.jumped_over(path)
            if jump:
                lines.append(jump)
            if m < len(path):
                lines.append(f"the run leaves the drawn part of the x axis at step {m}")
        if self.undefined:
            lines.append(self.undefined)
        return "\n".join(lines)


EXAMPLES_2D = (
    "x*y + x**2", "x**2 + 10*y**2", "(1 - x)**2 + 10*(y - x**2)**2", "x**4/4 - x**2/2 + y**2/2",
    "sin(x)*cos(y) + 0.05*(x**2 + y**2)", "log(x**2 + y**2)", "sqrt(x) + y**2", "exp(x**3) + y**2",
    "1/(x*y)", "3", "x = 1", "__import__('os')", "x.__class__", "9**9**9", "z", "",
)
VIEW_2D = (-3.0, 3.0)


@register
class TypedContourScene(Scene):
    """Type a cost f(x, y): its contour map with the descent path, and the cost per step."""

    title = "08 your own valley in 2-D"
    figsize = (8.4, 3.6)
    MAX_STEPS = 200
    controls = {
        "cost": Text("x**4 - 3*x**2 + x + y**2 + x*y", label="cost f(x, y) =", examples=EXAMPLES_2D,
                     placeholder="a cost in x and y, e.g. x**2 + 10*y**2"),
        "x0": Slider(-2.5, 2.5, 1.5, step=0.05, label="start x₀"),
        "y0": Slider(-2.5, 2.5, 2.0, step=0.05, label="start y₀"),
        "lr": Slider(0.001, 0.5, 0.02, log=True, label="learning rate α"),
        "steps": Slider(0, MAX_STEPS, 60, integer=True, label="steps"),
    }

    def draw_static(self):
        g = np.linspace(*VIEW_2D, 121)
        self.gx, self.gy = np.meshgrid(g, g)
        self.fig.set_layout_engine("none")  # fixed margins: a new valley's labels may be wider
        self.ax_m, self.ax_c = self.fig.subplots(1, 2, width_ratios=[1.1, 1.0], gridspec_kw=dict(
            left=0.08, right=0.985, bottom=0.14, top=0.91, wspace=0.3))
        self.ax_m.set(xlim=VIEW_2D, ylim=VIEW_2D, xlabel="x", ylabel="y")
        self.ax_c.set(xlabel="step k", ylabel="f(xₖ, yₖ) − lowest f on the map (log)", xlim=(-0.5, self.MAX_STEPS + 0.5),
                      yscale="log")
        self.ax_c.set_title("cost per step, above the lowest point of the map", fontsize=SMALL + 1)
        self.ax_c.yaxis.set_major_locator(LogLocator(numticks=6))
        self.ax_c.yaxis.set_minor_locator(NullLocator())
        self.ax_c.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:.0e}" if v > 0 else ""))
        self.static: list = []
        (self.path,) = self.ax_m.plot([], [], "-o", color=style.TANGENT, lw=1, ms=2.5)
        (self.start,) = self.ax_m.plot([], [], "s", color=style.COLORS["black"], ms=6)
        (self.here,) = self.ax_m.plot([], [], "o", color=style.TANGENT, ms=8, mec="black")
        (self.costs,) = self.ax_c.plot([], [], "-o", color=style.TANGENT, lw=1.2, ms=2.5)
        self.note = self.ax_m.text(0.03, 0.04, "", transform=self.ax_m.transAxes, fontsize=SMALL,
                                   color=style.TANGENT, fontweight="bold", va="bottom",
                                   bbox=dict(facecolor="white", edgecolor=style.TANGENT, alpha=0.9, pad=2))
        for artist in (self.path, self.start, self.here, self.costs, self.note):
            self.track(artist)
        self.cost: Cost | None = None
        self.text, self.problem, self.undefined = None, "", ""
        self.set_cost(self.controls["cost"].value)

    def set_cost(self, text: str) -> None:
        """Parse a new text; on success redraw the contour map (static), else keep the last good one."""
        self.text = text
        try:
            cost = parse_cost(text, ("x", "y"))
        except ValueError as err:
            self.problem = str(err)
            return
        self.problem, self.cost = "", cost
        z = cost(self.gx, self.gy)
        ok = np.isfinite(z)
        for artist in self.static:
            artist.remove()
        self.static = []
        if ok.any():
            levels = np.unique(np.percentile(z[ok], np.linspace(1, 92, 14)))
            if levels.size >= 2:
                self.static.append(self.ax_m.contour(self.gx, self.gy, np.where(ok, z, np.nan), levels=levels,
                                                     colors=style.CURVE, linewidths=0.8, alpha=0.8))
        if not ok.all():
            self.static.append(self.ax_m.contourf(self.gx, self.gy, (~ok).astype(float), levels=[0.5, 1.5],
                                                  colors=[style.MUTED], alpha=0.35))
        share, holes = 1 - ok.mean(), np.flatnonzero(~ok.ravel())
        if share >= 0.01:
            self.undefined = f"f is not finite on {share:.0%} of the map (shaded grey)"
        elif holes.size:
            first = (self.gx.ravel()[holes[0]], self.gy.ravel()[holes[0]])
            self.undefined = f"f is not finite at {holes.size} point(s) of the map's grid, e.g. {_where(first)}"
        else:
            self.undefined = ""
        finite = z[ok]
        self.lowest = float(finite.min()) if finite.size else 0.0
        top = float(np.percentile(finite, 99) - self.lowest) if finite.size else 1.0
        top = top if np.isfinite(top) and top > 0 else 1.0
        self.ylim = (1e-12 * max(1.0, top), 10 * top)
        self.ax_c.set_ylim(*self.ylim)
        title = cost.text if len(cost.text) <= 44 else cost.text[:41] + "..."
        self.ax_m.set_title(f"f(x, y) = {title}", fontsize=SMALL + 1)
        self.full_redraw = True

    def update(self, cost: str, x0: float, y0: float, lr: float, steps: int) -> str:
        if cost != self.text:
            self.set_cost(cost)
        c, steps = self.cost, int(steps)
        run = gradient_descent(c.grad_at, np.array([x0, y0], dtype=float), float(lr), steps, bound=BOUND)
        path, reason = stop_reason(c, run.path.reshape(-1, 2), run.diverged_at, lr)
        inside = np.all((path >= VIEW_2D[0]) & (path <= VIEW_2D[1]), axis=1)
        m = int(np.argmin(inside)) if not inside.all() else len(path)
        self.path.set_data(path[:m, 0], path[:m, 1])
        self.start.set_data([x0], [y0])
        self.here.set_data(path[m - 1:m, 0], path[m - 1:m, 1])
        fp = c.value_at(path)
        self.costs.set_data(np.arange(len(path)), np.clip(fp - self.lowest, self.ylim[0], 100 * self.ylim[1]))
        self.note.set_text(reason.split(":")[0] if reason else "")

        lines = []
        if self.problem:
            lines += [f"⚠ {self.problem}", f"(still showing the last valid valley, f(x, y) = {c.text})"]
        dx, dy = c.derivative_text
        lines.append(f"f(x, y) = {c.text};  ∂f/∂x = {dx};  ∂f/∂y = {dy}  (exact, symbolic)")
        head = f"α = {float(lr):g}, start (x₀, y₀) = ({_g(x0)}, {_g(y0)}), {steps} steps"
        if len(path) == 0:
            lines.append(f"{head}: {reason}")
        else:
            g = c.grad_at(path[-1])
            size = float(np.hypot(*g)) if np.all(np.isfinite(g)) else np.inf
            slope = f"|∇f| = {_g(size)}" if np.isfinite(size) else "∇f is not finite"
            where = f"{_where(path[-1])}, f = {_g(fp[-1])}, {slope}"
            if reason:
                lines.append(f"{head}: {reason}; last kept point {where}")
            else:
                state = "|∇f| < 1e-6: a minimum, a saddle or a flat stretch" if size < 1e-6 else "still moving"
                lines.append(f"{head}: ends at {where}, {state}")
            if m < len(path):
                lines.append(f"the run leaves the map at step {m}")
        if self.undefined:
            lines.append(self.undefined)
        return "\n".join(lines)


# ---------------------------------------------------------------- notebook 08's static figures (arrays in, artists out)


def draw_paths_on_curve(ax, cost: Cost, paths: dict, xlim=(-2.6, 2.6)) -> list:
    """The curve f(x) and, for each name → (path of x, colour, marker), the iterates on it."""
    xs = np.linspace(*xlim, 400)
    artists = ax.plot(xs, cost(xs), color=style.CURVE, lw=2, label=f"f(x) = {cost.text}")
    for name, (path, colour, marker) in paths.items():
        artists += ax.plot(path, cost(path), marker, color=colour, ms=4, lw=1, alpha=0.85, label=name)
        artists += ax.plot(path[-1:], cost(path[-1:]), "o", color=colour, ms=9, mec="black")
    ax.set(xlim=xlim, xlabel="position x", ylabel="cost f(x)")
    ax.legend(fontsize=SMALL, loc="upper center")
    return artists


def draw_basin_map(ax, cost: Cost, gx: np.ndarray, gy: np.ndarray, labels: np.ndarray,
                   minima: np.ndarray, saddle) -> list:
    """Which minimum each start on the grid (gx × gy) descends to, coloured, over f's contours."""
    from matplotlib.colors import ListedColormap

    colours = ListedColormap([style.MUTED, style.COLORS["sky"], style.COLORS["orange"]])
    X, Y = np.meshgrid(gx, gy)
    artists = [ax.pcolormesh(gx, gy, labels.reshape(X.shape) + 1, cmap=colours, vmin=0, vmax=2,
                             shading="nearest", alpha=0.55)]
    artists.append(ax.contour(X, Y, cost(X, Y), levels=np.linspace(-3.8, 6, 14), colors=style.CURVE,
                              linewidths=0.7, alpha=0.8))
    for (mx, my), name in zip(minima, ("deep minimum", "shallow minimum")):
        artists += ax.plot([mx], [my], "*", color=style.COLORS["black"], ms=12)
        artists.append(ax.annotate(name, (mx, my), xytext=(0, 9), textcoords="offset points", ha="center",
                                   fontsize=SMALL))
    artists += ax.plot([saddle[0]], [saddle[1]], "X", color=style.TANGENT, ms=9, label="saddle")
    ax.set(xlabel="start x", ylabel="start y", title="basins: blue ends deep, orange ends shallow")
    ax.legend(fontsize=SMALL, loc="lower left")
    return artists


def draw_saddle(ax_map, ax_steps, cost: Cost, paths: list, d: np.ndarray, steps: np.ndarray,
                closed: np.ndarray) -> list:
    """Left: descent paths passing the saddle at (0, 0). Right: steps to leave it against the start's
    distance d from the ridge (log axis), measured and from the closed form."""
    gx, gy = np.linspace(-1.4, 1.4, 120), np.linspace(-1.2, 1.2, 100)
    X, Y = np.meshgrid(gx, gy)
    artists = [ax_map.contour(X, Y, cost(X, Y), levels=np.linspace(-0.24, 0.9, 14), colors=style.CURVE,
                              linewidths=0.7, alpha=0.8)]
    for p in paths:
        artists += ax_map.plot(p[:, 0], p[:, 1], "-o", color=style.TANGENT, ms=2, lw=1)
    artists += ax_map.plot([0], [0], "X", color=style.COLORS["black"], ms=9)
    ax_map.set(xlabel="x", ylabel="y", title="paths from (d, 1): they stall near the saddle ✕")
    artists += ax_steps.semilogx(d, steps, "o", color=style.TANGENT, label="measured (quartic valley)")
    artists += ax_steps.semilogx(d, closed, "-", color=style.SECANT, label="closed form, linear saddle")
    ax_steps.invert_xaxis()
    ax_steps.set(xlabel="distance d from the ridge (log; closer →)", ylabel="steps until |x| ≥ 0.5",
                 title="time to leave the saddle")
    ax_steps.legend(fontsize=SMALL)
    return artists


def draw_escape(ax, noise: np.ndarray, from_shallow: np.ndarray, from_deep: np.ndarray,
                batch_noise: np.ndarray, batch_shallow: np.ndarray, batch_deep: np.ndarray,
                batches) -> list:
    """How often noisy descent ends in the deep basin, against the size of the gradient's noise:
    starting in the shallow basin (escapes) and in the deep one (stays), noisy gradients and mini-batches."""
    artists = ax.plot(noise, from_shallow, "-o", color=style.TANGENT, label="noisy gradient, from shallow")
    artists += ax.plot(noise, from_deep, "--s", color=style.CURVE, label="noisy gradient, from deep")
    artists += ax.plot(batch_noise, batch_shallow, "^", color=style.TANGENT, ms=8, mfc="white",
                       label="mini-batch, from shallow")
    artists += ax.plot(batch_noise, batch_deep, "v", color=style.CURVE, ms=8, mfc="white", label="mini-batch, from deep")
    for s, b in zip(batch_noise, batches):
        artists.append(ax.annotate(f"B={b}", (s, batch_shallow[list(batch_noise).index(s)]), xytext=(4, -12),
                                   textcoords="offset points", fontsize=SMALL - 1))
    ax.set(xlabel="size of the gradient's noise", ylabel="fraction ending in the deep basin", ylim=(-0.03, 1.05),
           title="noise: enough to escape the shallow basin, not so much that it leaves the deep one")
    ax.legend(fontsize=SMALL, loc="center right")
    return artists
