"""Figures of notebooks 04 and 05: the race against the pirate, the principal directions of a
valley, the learning-rate sweep, and three interactive scenes (one learning rate on a 1-D
valley, the zig-zag valley, the regression fit).

Each scene runs the course's `gradient_descent` on every change (at most a few hundred cheap
steps) and only moves its dynamic artists; contour maps and curves are drawn once. A run that
leaves the figure's box ±BOUND stops and the readout says "diverged at step k". The static
figures take arrays and return the figure they drew.
"""
from __future__ import annotations

import numpy as np
from matplotlib.ticker import FuncFormatter, LogLocator, NullLocator

from . import style
from .controls import Slider
from .descent import gradient_descent
from .fastfig import Scene, register
from .path_text import Badge
from .regression import regression_data
from .valley import Quadratic, critical_rates, regime

BOUND = 1e3       # a scene stops a run whose iterate leaves ±BOUND (descent's own default bound is 1e8)
COST_FLOOR = 1e-14  # costs below this are drawn on the floor of the log axis (the minimum is 0)
SMALL = 8         # font size of panel titles and notes


def _fmt(v: float) -> str:
    return f"{v:.3g}"


def _signed(v: float, digits: int = 3) -> str:
    """v with its sign and `digits` decimals, never "-0.000" for a value that rounds to zero."""
    return f"{round(float(v), digits) + 0.0:+.{digits}f}"


_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def decade_ticks(axis, numticks: int = 8) -> None:
    """Label a log axis (`ax.xaxis` or `ax.yaxis`) with a few decades written 10⁻⁸, no minor ticks.

    Plain-text labels instead of matplotlib's mathtext: parsing dozens of "$10^{-8}$" labels
    costs a first draw about 0.2 s, which notebooks pay once per figure."""
    def label(value, _pos):
        exponent = np.log10(value) if value > 0 else np.nan
        if not np.isfinite(exponent) or abs(exponent - round(exponent)) > 1e-9:
            return ""
        return "1" if round(exponent) == 0 else "10" + str(int(round(exponent))).translate(_SUPERSCRIPT)

    axis.set_major_locator(LogLocator(numticks=numticks))
    axis.set_minor_locator(NullLocator())
    axis.set_major_formatter(FuncFormatter(label))


def _cost_axis(ax, steps: int, ylim: tuple[float, float], ylabel: str):
    ax.set_yscale("log")
    ax.set(xlim=(-0.5, steps + 0.5), ylim=ylim, xlabel="step k", ylabel=ylabel)
    decade_ticks(ax.yaxis)


def _in_view(points: np.ndarray, lo, hi) -> int:
    """How many points of a path to draw: all up to the first one outside the box [lo, hi]
    (that one included, so the learner sees which way the run left), so a diverging run's
    far-away iterates do not scribble across the figure."""
    pts = points.reshape(len(points), -1)
    outside = np.any((pts < np.asarray(lo)) | (pts > np.asarray(hi)), axis=1)
    return int(np.argmax(outside)) + 1 if outside.any() else len(points)


def _divergence_note(ax) -> Badge:
    return Badge(ax, (0.97, 0.5), size=SMALL, color=style.TANGENT, box_edge=style.TANGENT)


# ---------------------------------------------------------------- static figures (notebooks 04, 05)


def race_figure(you_path, pirate_path, cost_you, cost_pirate, sigma: float, valley=None):
    """The race of notebook 04: the two paths (a 1-D path against the step; a 2-D path on the
    contour map of `valley`) and both costs per step on a log axis. Returns the figure."""
    import matplotlib.pyplot as plt

    you_path, pirate_path = np.asarray(you_path), np.asarray(pirate_path)
    two_d = you_path.ndim == 2
    fig, (ax_x, ax_c) = plt.subplots(1, 2, figsize=(9, 3.5), width_ratios=[1.4, 1] if two_d else [1, 1],
                                     gridspec_kw=dict(wspace=0.3))
    you_label, pirate_label = "you: x − α·∇f(x)", f"pirate: random steps, σ = {sigma:g}"
    if two_d:
        lo = np.minimum(you_path.min(axis=0), pirate_path.min(axis=0)) - 0.7
        hi = np.maximum(you_path.max(axis=0), pirate_path.max(axis=0)) + 0.7
        g1, g2 = np.meshgrid(np.linspace(lo[0], hi[0], 120), np.linspace(lo[1], hi[1], 80))
        ax_x.contour(g1, g2, valley.cost(np.stack([g1, g2], axis=-1)), levels=np.geomspace(0.02, 20, 9),
                     colors=style.CURVE, linewidths=0.8, alpha=0.6)
        ax_x.plot(you_path[:, 0], you_path[:, 1], "-o", color=style.TANGENT, ms=3.5, label=you_label)
        ax_x.plot(pirate_path[:, 0], pirate_path[:, 1], "-s", color=style.PIRATE, ms=3.5, label=pirate_label)
        ax_x.plot([0], [0], "*", color=style.COLORS["black"], ms=12, label="the chalice (minimum)")
        ax_x.set(xlabel="x₁", ylabel="x₂", title="the paths on the valley's contour map")
    else:
        ax_x.plot(you_path, "-o", color=style.TANGENT, ms=4, label=you_label)
        ax_x.plot(pirate_path, "-s", color=style.PIRATE, ms=4, label=pirate_label)
        ax_x.axhline(0, color=style.MUTED, lw=1, ls="--")
        ax_x.set(xlabel="step k", ylabel="position xₖ", title="the paths (the bottom is x = 0)")
    ax_x.legend(loc="lower right", fontsize=SMALL)
    ax_c.semilogy(cost_you, "-o", color=style.TANGENT, ms=4, label="you")
    ax_c.semilogy(cost_pirate, "-s", color=style.PIRATE, ms=4, label="pirate")
    ax_c.set(xlabel="step k", ylabel="cost f(xₖ)  (log)", title="cost per step")
    decade_ticks(ax_c.yaxis)
    ax_c.legend(fontsize=SMALL)
    return fig


def principal_directions_figure(hessian):
    """Contours of ½·xᵀHx for a 2×2 Hessian H with its two principal directions (the eigenvectors)
    drawn as arrows, each labelled with its curvature (the eigenvalue). Returns the figure."""
    import matplotlib.pyplot as plt

    H = np.asarray(hessian, dtype=float)
    curvatures, directions = np.linalg.eigh(H)
    fig, ax = plt.subplots(figsize=(4.6, 3.6))
    g = np.linspace(-3, 3, 161)
    g1, g2 = np.meshgrid(g, g)
    z = 0.5 * (H[0, 0] * g1**2 + 2 * H[0, 1] * g1 * g2 + H[1, 1] * g2**2)
    ax.contour(g1, g2, z, levels=np.geomspace(0.05, 20, 8), colors=style.CURVE, linewidths=0.8, alpha=0.7)
    for lam, v, colour in zip(curvatures, directions.T, (style.COLORS["blue"], style.ACCENT)):
        v = v * np.sign(v[0] if abs(v[0]) > 1e-12 else v[1])  # point the arrows to the right
        ax.annotate("", xy=2.4 * v, xytext=(0, 0), arrowprops=dict(arrowstyle="-|>", color=colour, lw=2))
        ax.text(*(2.5 * v), f"v = ({v[0] + 0.0:.2f}, {v[1] + 0.0:.2f})\ncurvature λ = {lam:g}", fontsize=SMALL,
                color=colour, ha="left" if v[0] > 0 else "right", va="center")
    ax.set(xlim=(-3, 3), ylim=(-3, 3), aspect="equal", xlabel="x₁", ylabel="x₂")
    ax.set_title("principal directions of ½·xᵀHx", fontsize=SMALL + 2)
    return fig


def sweep_panel(ax, lrs, diverged, excess, L_top: float, title: str, floor: float, start_cost: float,
                xlabel: str = "learning rate α  (log)"):
    """Final cost (or excess cost) against α on log axes, the regimes shaded and 1/L, 2/L marked;
    stopped (diverged) runs drawn as × at the top. Returns the line of the converged runs."""
    lrs, diverged, excess = np.asarray(lrs), np.asarray(diverged, dtype=bool), np.asarray(excess)
    lo, hi = lrs[0], lrs[-1]
    ceiling = start_cost * 1e4  # far above the start: everything up here has failed
    ax.axvspan(lo, 1 / L_top, color=style.COLORS["green"], alpha=0.12, lw=0)
    ax.axvspan(1 / L_top, 2 / L_top, color=style.COLORS["yellow"], alpha=0.3, lw=0)
    ax.axvspan(2 / L_top, hi, color=style.TANGENT, alpha=0.15, lw=0)
    ok = ~diverged
    (line,) = ax.loglog(lrs[ok], np.clip(excess[ok], floor, ceiling), color=style.CURVE, lw=2)
    stopped = lrs[~ok][::4]
    ax.plot(stopped, np.full(len(stopped), ceiling), "x", color=style.TANGENT, ms=5)
    ax.axhline(start_cost, color=style.MUTED, ls="--", lw=1)
    ax.text(lo * 1.3, start_cost * 3, "where it started", fontsize=SMALL, color=style.MUTED, va="bottom")
    for rate, name in ((1 / L_top, "1/L"), (2 / L_top, "2/L")):
        ax.axvline(rate, color=style.COLORS["black"], lw=1)
        ax.text(rate, ceiling * 8, name, ha="center", va="bottom", fontsize=SMALL + 1,
                bbox=dict(facecolor="white", edgecolor="none", pad=1))
    ax.text(lo * 1.3, floor * 3, "smooth:\nslow → fast", fontsize=SMALL, va="bottom")
    ax.text(np.sqrt(2) / L_top, floor * 3, "oscillating", fontsize=SMALL, va="bottom", ha="center", rotation=90)
    ax.text(np.sqrt(2 * hi / L_top), floor * 3, "diverges (× stopped)", fontsize=SMALL, va="bottom", ha="center",
            rotation=90, color=style.TANGENT)
    ax.set(xlim=(lo, hi), ylim=(floor / 10, ceiling * 300), xlabel=xlabel)
    decade_ticks(ax.xaxis)
    decade_ticks(ax.yaxis)
    ax.set_title(title, fontsize=SMALL + 2, pad=14)
    return line


def sweep_figure(*panels: dict):
    """Side by side, one `sweep_panel` per dict of its keyword arguments. Returns the figure."""
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(panels), figsize=(4.5 * len(panels), 3.9), gridspec_kw=dict(wspace=0.3),
                             squeeze=False)
    for ax, panel in zip(axes[0], panels):
        sweep_panel(ax, **panel)
    axes[0, 0].set_ylabel("cost after N steps  (log)")
    return fig


@register
class LearningRateValleyScene(Scene):
    """f(x) = ½·L·x²: the iterates on the curve, the cost per step, and where α sits on |1 − αL|."""

    title = "05 learning-rate valley"
    figsize = (8.4, 3.5)
    MAX_STEPS = 40
    controls = {
        "lr": Slider(0.005, 1.5, 0.1, log=True, label="learning rate α"),
        "x0": Slider(-3.5, 3.5, 3.0, step=0.1, label="start x₀"),
        "k": Slider(0, MAX_STEPS, 12, integer=True, play=True, label="step k"),
    }

    def draw_static(self):
        self.valley = Quadratic(self.params.get("L", 2.0))
        L = self.valley.L_max
        self.fastest, self.edge = critical_rates(L)
        ax_v, ax_c, ax_r = self.fig.subplots(1, 3, width_ratios=[1.15, 1.1, 1.0])

        xs = np.linspace(-4, 4, 300)
        ax_v.plot(xs, self.valley.cost(xs), color=style.CURVE, lw=2)
        ax_v.set(xlim=(-4, 4), ylim=(-0.8, 0.5 * L * 16 * 1.05), xlabel="position x", ylabel="cost f(x)")
        ax_v.set_title(f"valley f(x) = ½·{L:g}·x²", fontsize=SMALL + 1)
        (self.path,) = ax_v.plot([], [], "-o", color=style.TANGENT, lw=1, ms=3.5, alpha=0.75)
        (self.here,) = ax_v.plot([], [], "o", color=style.TANGENT, ms=9, mec="black")

        _cost_axis(ax_c, self.MAX_STEPS, (COST_FLOOR, 1e7), "cost f(xₖ)  (log)")
        ax_c.set_title("cost per step", fontsize=SMALL + 1)
        (self.future,) = ax_c.plot([], [], color=style.MUTED, lw=1, ls=":")
        (self.past,) = ax_c.plot([], [], "-o", color=style.TANGENT, lw=1.2, ms=2.5)
        (self.now,) = ax_c.plot([], [], "o", color=style.TANGENT, ms=8, mec="black")
        self.note = _divergence_note(ax_c)

        hi = self.controls["lr"].max
        a = np.linspace(0, hi, 301)
        ax_r.plot(a, np.abs(1 - a * L), color=style.CURVE, lw=2)
        ax_r.set(xlim=(0, hi), ylim=(0, 2.3), xlabel="learning rate α", ylabel="|1 − αL|")
        ax_r.set_title("factor per step |1 − αL|", fontsize=SMALL + 1)
        ax_r.axhline(1, color=style.MUTED, ls="--", lw=1)
        ax_r.axvspan(self.fastest, self.edge, color=style.COLORS["yellow"], alpha=0.3, lw=0)
        ax_r.axvspan(self.edge, hi, color=style.TANGENT, alpha=0.15, lw=0)
        ax_r.axvline(0.5 * self.fastest, color=style.MUTED, lw=1, ls=":")
        for rate, name in ((self.fastest, "1/L\nfastest"), (self.edge, "2/L\nedge")):
            ax_r.axvline(rate, color=style.COLORS["black"], lw=1)
            ax_r.text(rate, 2.27, name, ha="center", va="top", fontsize=SMALL,
                      bbox=dict(facecolor="white", edgecolor="none", pad=1))
        for x, y, name, colour in ((0.25 * self.fastest, 1.08, "slow", style.MUTED),
                                   (0.75 * self.fastest, 1.08, "fast", style.MUTED),
                                   (1.5 * self.fastest, 1.08, "oscillates", style.COLORS["black"]),
                                   (0.5 * (self.edge + hi), 0.08, "diverges", style.TANGENT)):
            ax_r.text(x, y, name, ha="center", va="bottom", fontsize=SMALL - 1, color=colour, rotation=90)
        (self.alpha_line,) = ax_r.plot([], [], color=style.TANGENT, lw=1.2)
        (self.alpha_dot,) = ax_r.plot([], [], "o", color=style.TANGENT, ms=8, mec="black")
        for artist in (self.path, self.here, self.future, self.past, self.now, *self.note.artists,
                       self.alpha_line, self.alpha_dot):
            self.track(artist)

    def update(self, lr: float, x0: float, k: int) -> str:
        L = self.valley.L_max
        k = int(k)
        run = gradient_descent(self.valley.grad, x0, lr, self.MAX_STEPS, bound=BOUND)
        xs = run.path
        shown = min(k, len(xs) - 1)
        costs = np.maximum(self.valley.cost(xs), COST_FLOOR)
        m = _in_view(xs[:shown + 1], -4.0, 4.0)
        self.path.set_data(xs[:m], self.valley.cost(xs[:m]))
        self.here.set_data([xs[shown]], [self.valley.cost(xs[shown])])
        steps = np.arange(len(xs))
        self.future.set_data(steps, costs)
        self.past.set_data(steps[:shown + 1], costs[:shown + 1])
        self.now.set_data([shown], [costs[shown]])
        factor = 1 - lr * L
        self.alpha_line.set_data([lr, lr], [0, 2.3])
        self.alpha_dot.set_data([lr], [abs(factor)])

        name = regime(lr, L)
        d = run.diverged_at
        self.note.set_text(f"diverged at step {d}" if d is not None and k >= d else "")
        lines = [f"α = {_fmt(lr)}, L = {L:g}: each step multiplies x by 1 − αL = {_signed(factor)} → {name}",
                 f"from |1 − αL|: α = 1/L = {_fmt(self.fastest)} is fastest (|1 − αL| = 0, one step), "
                 f"α = 2/L = {_fmt(self.edge)} is the edge (|1 − αL| = 1)"]
        if d is not None and k >= d:
            lines.append(f"step {k}: diverged at step {d}: |x| passed {BOUND:g} (|1 − αL| = {abs(factor):.3g} > 1 "
                         f"multiplies the distance every step); last kept x = {xs[-1] + 0.0:+.4g}")
        else:
            tail = f"; this run diverges at step {d}" if d is not None else ""
            lines.append(f"step {k}: x = {xs[shown] + 0.0:+.4g}, cost f(x) = {self.valley.cost(xs[shown]):.4g} "
                         f"(start {self.valley.cost(x0):.4g}){tail}")
        return "\n".join(lines)


@register
class ZigZagScene(Scene):
    """f = ½(L₁x₁² + L₂x₂²) with L₁ ≪ L₂: the path zig-zags across the steep axis while the
    shallow axis crawls; the cost of each axis drawn apart shows which one limits and which one is slow."""

    title = "05 zig-zag valley"
    figsize = (8.4, 3.5)
    MAX_STEPS = 60
    START = (-4.5, 1.5)
    controls = {
        "lr": Slider(0.005, 0.25, 0.17, log=True, label="learning rate α"),
        "k": Slider(0, MAX_STEPS, 30, integer=True, play=True, label="step k"),
    }

    def draw_static(self):
        self.valley = Quadratic(*self.params.get("curvatures", (1.0, 10.0)))
        L1, L2 = self.valley.curvatures
        ax_m, ax_c = self.fig.subplots(1, 2, width_ratios=[1.45, 1.0])
        g1, g2 = np.meshgrid(np.linspace(-5, 5, 160), np.linspace(-2.4, 2.4, 100))
        z = self.valley.cost(np.stack([g1, g2], axis=-1))
        ax_m.contour(g1, g2, z, levels=np.geomspace(0.02, 40, 10), colors=style.CURVE, linewidths=0.8, alpha=0.7)
        ax_m.plot([0], [0], "*", color=style.COLORS["black"], ms=11)
        ax_m.plot([self.START[0]], [self.START[1]], "s", color=style.COLORS["black"], ms=5)
        ax_m.set(xlim=(-5, 5), ylim=(-2.4, 2.4), xlabel=f"x₁  (shallow, L₁ = {L1:g})",
                 ylabel=f"x₂  (steep, L₂ = {L2:g})")
        ax_m.set_title(f"valley ½({L1:g}·x₁² + {L2:g}·x₂²), start ■, minimum ★", fontsize=SMALL + 1)
        (self.ahead,) = ax_m.plot([], [], color=style.COLORS["black"], alpha=0.5, lw=1.3, ls=":")  # whole run, faint
        (self.path,) = ax_m.plot([], [], "-o", color=style.TANGENT, lw=1.1, ms=3)
        (self.here,) = ax_m.plot([], [], "o", color=style.TANGENT, ms=8, mec="black")

        _cost_axis(ax_c, self.MAX_STEPS, (COST_FLOOR, 1e7), "cost (log)")
        ax_c.set_title("cost per step, and each axis's share", fontsize=SMALL + 1)
        (self.total_ahead,) = ax_c.plot([], [], color=style.MUTED, lw=1, ls=":")
        (self.total,) = ax_c.plot([], [], color=style.TANGENT, lw=2, label="total f")
        (self.shallow,) = ax_c.plot([], [], color=style.COLORS["blue"], lw=1.2, ls="--", label=f"½·{L1:g}·x₁² (shallow)")
        (self.steep,) = ax_c.plot([], [], color=style.ACCENT, lw=1.2, ls="-.", label=f"½·{L2:g}·x₂² (steep)")
        (self.now,) = ax_c.plot([], [], "o", color=style.TANGENT, ms=7, mec="black")
        ax_c.legend(loc="lower left", fontsize=SMALL - 1)
        self.note = _divergence_note(ax_c)
        for artist in (self.ahead, self.path, self.here, self.total_ahead, self.total, self.shallow, self.steep,
                       self.now, *self.note.artists):
            self.track(artist)

    def update(self, lr: float, k: int) -> str:
        k = int(k)
        L1, L2 = self.valley.curvatures
        run = gradient_descent(self.valley.grad, np.array(self.START), lr, self.MAX_STEPS, bound=BOUND)
        p = run.path
        shown = min(k, len(p) - 1)
        m = _in_view(p[:shown + 1], (-5.0, -2.4), (5.0, 2.4))
        m_all = _in_view(p, (-5.0, -2.4), (5.0, 2.4))
        self.ahead.set_data(p[:m_all, 0], p[:m_all, 1])
        self.total_ahead.set_data(np.arange(len(p)), np.maximum(self.valley.cost(p), COST_FLOOR))
        self.path.set_data(p[:m, 0], p[:m, 1])
        self.here.set_data([p[shown, 0]], [p[shown, 1]])
        steps = np.arange(shown + 1)
        parts = 0.5 * self.valley.curvatures * p[:shown + 1] ** 2
        self.total.set_data(steps, np.maximum(parts.sum(axis=1), COST_FLOOR))
        self.shallow.set_data(steps, np.maximum(parts[:, 0], COST_FLOOR))
        self.steep.set_data(steps, np.maximum(parts[:, 1], COST_FLOOR))
        self.now.set_data([shown], [max(parts[-1].sum(), COST_FLOOR)])

        r_steep, r_shallow = 1 - lr * L2, 1 - lr * L1
        _, limit = critical_rates(L2)
        best = 2 / (L1 + L2)
        d = run.diverged_at
        self.note.set_text(f"diverged at step {d}" if d is not None and k >= d else "")
        lines = [f"α = {_fmt(lr)}: steep axis 1 − αL₂ = {_signed(r_steep)} → {regime(lr, L2)}; "
                 f"shallow axis 1 − αL₁ = {_signed(r_shallow)} → {regime(lr, L1)}",
                 f"limit set by the steep axis: α < 2/L_max = {_fmt(limit)}; speed set by the slower factor: "
                 f"max|1 − αLᵢ| = {max(abs(r_steep), abs(r_shallow)):.3g} per step",
                 f"best single α = 2/(L_min + L_max) = {_fmt(best)}, where both factors are "
                 f"±{(L2 - L1) / (L2 + L1):.3g} = ±(κ − 1)/(κ + 1), κ = L_max/L_min = {L2 / L1:g}"]
        if d is not None and k >= d:
            lines.append(f"step {k}: diverged at step {d}: the steep coordinate passed ±{BOUND:g}")
        else:
            tail = f"; this run diverges at step {d}" if d is not None else ""
            lines.append(f"step {k}: x = ({p[shown, 0] + 0.0:+.3g}, {p[shown, 1] + 0.0:+.3g}), "
                         f"cost {parts[-1].sum():.3g}{tail}")
        return "\n".join(lines)


@register
class RegressionScene(Scene):
    """Fitting y ≈ w·x + b by gradient descent on J(w, b) = mean ½(w·x + b − y)²: the path on
    J's contour map, the line it gives, and J per step."""

    title = "05 regression fit"
    figsize = (8.4, 3.5)
    MAX_STEPS = 100
    W_RANGE, B_RANGE = (-1.0, 4.5), (-1.5, 5.0)
    controls = {
        "lr": Slider(0.004, 0.4, 0.1, log=True, label="learning rate α"),
        "k": Slider(0, MAX_STEPS, 60, integer=True, play=True, label="step k"),
    }

    def draw_static(self):
        self.problem = self.params.get("data") or regression_data()
        self.best = self.problem.minimizer
        self.j_best = self.problem.min_loss
        ax_m, ax_d, ax_c = self.fig.subplots(1, 3, width_ratios=[1.15, 1.05, 1.0])

        gw, gb = np.meshgrid(np.linspace(*self.W_RANGE, 140), np.linspace(*self.B_RANGE, 140))
        J = self.problem.cost(np.stack([gw, gb], axis=-1))
        ax_m.contour(gw, gb, J, levels=self.j_best + np.geomspace(0.025, 30, 10), colors=style.CURVE,
                     linewidths=0.8, alpha=0.7)
        ax_m.plot([self.best[0]], [self.best[1]], "*", color=style.COLORS["black"], ms=11)
        ax_m.set(xlim=self.W_RANGE, ylim=self.B_RANGE, xlabel="slope w", ylabel="intercept b")
        ax_m.set_title("J(w, b) contours, path from (0, 0)", fontsize=SMALL + 1)
        (self.ahead,) = ax_m.plot([], [], color=style.COLORS["black"], alpha=0.5, lw=1.3, ls=":")  # whole run, faint
        (self.path,) = ax_m.plot([], [], "-o", color=style.TANGENT, lw=1, ms=2.5)
        (self.here,) = ax_m.plot([], [], "o", color=style.TANGENT, ms=8, mec="black")

        x, y = self.problem.x, self.problem.y
        self.xs = np.array([x.min() - 0.3, x.max() + 0.3])
        ax_d.scatter(x, y, s=14, color=style.CURVE, zorder=3, label="data")
        ax_d.plot(self.xs, self.best[0] * self.xs + self.best[1], color=style.MUTED, ls="--", lw=1.2,
                  label="least squares")
        pad = 0.15 * np.ptp(y)
        ax_d.set(xlim=tuple(self.xs), ylim=(y.min() - pad, y.max() + pad), xlabel="x", ylabel="y")
        ax_d.set_title("data and the fitted line", fontsize=SMALL + 1)
        (self.line,) = ax_d.plot([], [], color=style.TANGENT, lw=2, label="after k steps")
        ax_d.legend(loc="upper left", fontsize=SMALL - 1)

        _cost_axis(ax_c, self.MAX_STEPS, (self.j_best * 0.6, 1e4), "cost J(w, b)  (log)")
        ax_c.axhline(self.j_best, color=style.MUTED, ls="--", lw=1)
        ax_c.text(self.MAX_STEPS, self.j_best * 1.12, f"best J* = {self.j_best:.3g}", ha="right",
                  va="bottom", fontsize=SMALL, color=style.MUTED)
        ax_c.set_title("cost per step", fontsize=SMALL + 1)
        (self.cost_ahead,) = ax_c.plot([], [], color=style.MUTED, lw=1, ls=":")
        (self.cost_line,) = ax_c.plot([], [], color=style.TANGENT, lw=1.8)
        (self.now,) = ax_c.plot([], [], "o", color=style.TANGENT, ms=7, mec="black")
        self.note = _divergence_note(ax_c)
        for artist in (self.ahead, self.path, self.here, self.line, self.cost_ahead, self.cost_line, self.now,
                       *self.note.artists):
            self.track(artist)

    def update(self, lr: float, k: int) -> str:
        k = int(k)
        run = gradient_descent(self.problem.grad, np.zeros(2), lr, self.MAX_STEPS, bound=BOUND)
        p = run.path
        shown = min(k, len(p) - 1)
        w, b = p[shown]
        J_all = self.problem.cost(p)
        J = J_all[:shown + 1]
        box = (self.W_RANGE[0], self.B_RANGE[0]), (self.W_RANGE[1], self.B_RANGE[1])
        m, m_all = _in_view(p[:shown + 1], *box), _in_view(p, *box)
        self.ahead.set_data(p[:m_all, 0], p[:m_all, 1])
        self.cost_ahead.set_data(np.arange(len(p)), J_all)
        self.path.set_data(p[:m, 0], p[:m, 1])
        self.here.set_data([w], [b])
        self.line.set_data(self.xs, w * self.xs + b)
        self.cost_line.set_data(np.arange(shown + 1), J)
        self.now.set_data([shown], [J[-1]])
        L_min, L_max = self.problem.curvatures
        d = run.diverged_at
        self.note.set_text(f"diverged at step {d}" if d is not None and k >= d else "")
        lines = [f"α = {_fmt(lr)}; curvatures of J: L_min = {L_min:.3g}, L_max = {L_max:.3g} → "
                 f"converges for α < 2/L_max = {2 / L_max:.3g}; slowest factor per step "
                 f"max|1 − αLᵢ| = {max(abs(1 - lr * L_min), abs(1 - lr * L_max)):.3g}"]
        if d is not None and k >= d:
            lines.append(f"step {k}: diverged at step {d}: w or b passed ±{BOUND:g}")
        else:
            tail = f"; this run diverges at step {d}" if d is not None else ""
            lines.append(f"step {k}: w = {round(w, 4) + 0.0:.4f}, b = {round(b, 4) + 0.0:.4f}, J = {J[-1]:.4f}  "
                         f"(least squares: w* = {self.best[0]:.4f}, b* = {self.best[1]:.4f}, "
                         f"J* = {self.j_best:.4f}){tail}")
        return "\n".join(lines)
