"""Figures of notebook 14: the (α, β) map of momentum on the zig-zag valley (a live scene), and
the static figures (paths and costs of several optimizers, the Rosenbrock race).

Drawing only: the numbers come from `helpers.momentum` and `helpers.descent`. The map, its
regions and the table of steps to 10⁻⁶ for every slider position are computed once, in the
constructor; a slider move runs one short `momentum_descent` and moves a few artists.
"""
from __future__ import annotations

import numpy as np
from matplotlib.colors import ListedColormap
from matplotlib.ticker import FuncFormatter, LogLocator, NullLocator

from . import style
from .controls import Slider
from .descent import momentum_descent
from .fastfig import Scene, register
from .path_text import Badge
from .momentum import REGIONS, optimum, rate, region_index, rosenbrock, steps_to_cost
from .valley import Quadratic

BOUND = 1e3         # a run that leaves ±BOUND has left the picture: it is stopped there
FLOOR = 1e-14       # distances below this sit on the floor of the log axis
TOL = 1e-6          # "steps to 10⁻⁶": the cost the readout counts steps to
SMALL = 8
REGION_COLOURS = ("#dddddd", style.COLORS["sky"], style.COLORS["yellow"], "#f4c7b0")  # same order as REGIONS
_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def decade_ticks(axis) -> None:
    """Label a log axis with decades written 10⁻⁶ (plain text, no slow mathtext), no minor ticks."""
    def label(value, _pos):
        e = np.log10(value) if value > 0 else np.nan
        if not np.isfinite(e) or abs(e - round(e)) > 1e-9:
            return ""
        return "1" if round(e) == 0 else "10" + str(int(round(e))).translate(_SUPERSCRIPT)
    axis.set_major_locator(LogLocator(numticks=8))
    axis.set_minor_locator(NullLocator())
    axis.set_major_formatter(FuncFormatter(label))


def _shown(path: np.ndarray, box: float) -> int:
    """How many iterates to draw: up to the first outside ±box (included, so the exit shows)."""
    out = np.any(np.abs(path.reshape(len(path), -1)) > box, axis=1)
    return int(np.argmax(out)) + 1 if out.any() else len(path)


def draw_region_map(ax, alphas, betas, curvatures):
    """The (α, β) plane coloured by region (REGIONS), rate contours, region names, the optimum ★
    and plain descent's best ◆. Returns the image. `alphas` is log-spaced (the x axis is log)."""
    A, B = np.meshgrid(alphas, betas)
    idx = region_index(A, B, curvatures)
    r = rate(A, B, curvatures)
    extent = (alphas[0], alphas[-1], betas[0], betas[-1])
    image = ax.pcolormesh(A, B, idx, cmap=ListedColormap(REGION_COLOURS), vmin=-0.5, vmax=3.5,
                          shading="nearest", rasterized=True)
    lines = ax.contour(A, B, np.minimum(r, 1.2), levels=[0.6, 0.7, 0.8, 0.9, 0.95], colors="black",
                       linewidths=0.5, alpha=0.5)
    ax.clabel(lines, fontsize=SMALL - 2, fmt="%.2g")
    ax.contour(A, B, r, levels=[1.0], colors=style.TANGENT, linewidths=1.2)
    ax.set_xscale("log")
    ax.grid(False)
    ticks = [t for t in (0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0) if alphas[0] <= t <= alphas[-1]]
    ax.set_xticks(ticks, [f"{t:g}" for t in ticks])
    ax.xaxis.set_minor_locator(NullLocator())
    ax.set(xlim=extent[:2], ylim=extent[2:], xlabel="learning rate α  (log)", ylabel="momentum β")
    la, bb = np.log(A), B
    for i, name in enumerate(REGIONS):  # each name at the cell of its region nearest the region's centre
        cells = idx == i
        if cells.sum() < 20:
            continue
        ca, cb = la[cells].mean(), bb[cells].mean()
        j = np.argmin((la[cells] - ca) ** 2 / np.ptp(la) ** 2 + (bb[cells] - cb) ** 2 / np.ptp(bb) ** 2)
        ax.text(np.exp(la[cells][j]), bb[cells][j], name, ha="center", va="center", fontsize=SMALL,
                fontweight="bold", color="black", bbox=dict(facecolor="white", edgecolor="none", alpha=0.6, pad=1))
    opt = optimum(min(curvatures), max(curvatures))
    ax.plot([opt.alpha], [opt.beta], "*", color="black", ms=12, mec="white", zorder=5)
    ax.plot([opt.gd_alpha], [0.0], "D", color="black", ms=6, mec="white", clip_on=False, zorder=5)
    return image


@register
class MomentumMapScene(Scene):
    """Heavy-ball momentum on the zig-zag valley ½(x₁² + 10·x₂²): the map of the rate per step
    over (α, β) with the learner's point on it, the path it gives, and the distance per step
    against the theory's rateᵏ."""

    title = "14 momentum (α, β) map"
    figsize = (8.4, 3.6)
    MAX_STEPS = 80
    START = (-4.5, 1.5)
    controls = {
        "lr": Slider(0.01, 0.5, 0.17, log=True, label="learning rate α"),
        "beta": Slider(0.0, 0.99, 0.0, step=0.01, label="momentum β"),
        "k": Slider(0, MAX_STEPS, 40, integer=True, play=True, label="step k"),
    }

    def draw_static(self):
        self.valley = Quadratic(*self.params.get("curvatures", (1.0, 10.0)))
        L = self.valley.curvatures
        self.opt = optimum(self.valley.L_min, self.valley.L_max)
        self.start = np.array(self.START)
        lr_spec, beta_spec = self.controls["lr"], self.controls["beta"]
        self.alphas = np.array(lr_spec.options)  # every position of the log slider
        lo, hi = beta_spec.bounds
        self.betas = np.round(np.arange(lo, hi + beta_spec.step / 2, beta_spec.step), 10)
        self.table = steps_to_cost(self.alphas[None, :], self.betas[:, None], L, self.start, TOL)
        self._alpha_index = {a: i for i, a in enumerate(self.alphas)}
        ax_m, ax_p, ax_c = self.fig.subplots(1, 3, width_ratios=[1.25, 1.2, 1.0])

        draw_region_map(ax_m, np.geomspace(lr_spec.min, lr_spec.max, 220), np.linspace(0, 0.99, 200), L)
        ax_m.set_title("rate per step: ★ optimum, ◆ best with β = 0", fontsize=SMALL + 1)
        (self.marker,) = ax_m.plot([], [], "o", color=style.TANGENT, ms=9, mec="black", zorder=6,
                                   clip_on=False, in_layout=False)  # whole when α or β is at its slider's end (the map's edge)

        g1, g2 = np.meshgrid(np.linspace(-5, 5, 120), np.linspace(-2.4, 2.4, 80))
        ax_p.contour(g1, g2, self.valley.cost(np.stack([g1, g2], axis=-1)), levels=np.geomspace(0.02, 40, 9),
                     colors=style.CURVE, linewidths=0.7, alpha=0.6)
        ax_p.plot([0], [0], "*", color="black", ms=10)
        ax_p.plot(*self.start, "s", color="black", ms=5)
        ax_p.set(xlim=(-5, 5), ylim=(-2.4, 2.4), xlabel=f"x₁ (L₁ = {L[0]:g})", ylabel=f"x₂ (L₂ = {L[1]:g})")
        ax_p.set_title("the path, start ■", fontsize=SMALL + 1)
        (self.ahead,) = ax_p.plot([], [], color="black", alpha=0.4, lw=1, ls=":")
        (self.path,) = ax_p.plot([], [], "-o", color=style.TANGENT, lw=1, ms=2.5)
        (self.here,) = ax_p.plot([], [], "o", color=style.TANGENT, ms=8, mec="black")

        ax_c.set_yscale("log")
        ax_c.set(xlim=(-0.5, self.MAX_STEPS + 0.5), ylim=(FLOOR, 1e4), xlabel="step k",
                 ylabel="distance to the minimum (log)")
        decade_ticks(ax_c.yaxis)
        ax_c.set_title("dashed: the theory's rateᵏ", fontsize=SMALL + 1)
        (self.theory,) = ax_c.plot([], [], color=style.MUTED, lw=1.2, ls="--")
        (self.dist,) = ax_c.plot([], [], color=style.TANGENT, lw=1.6)
        (self.now,) = ax_c.plot([], [], "o", color=style.TANGENT, ms=7, mec="black")
        self.note = Badge(ax_c, (0.97, 0.92), size=SMALL, color=style.TANGENT, va="top")
        for artist in (self.marker, self.ahead, self.path, self.here, self.theory, self.dist, self.now,
                       *self.note.artists):
            self.track(artist)

    def _steps_to_tol(self, lr: float, beta: float) -> int:
        step = self.controls["beta"].step
        i, j = self._alpha_index.get(lr), int(round((beta - self.betas[0]) / step))
        if i is not None and 0 <= j < len(self.betas) and abs(self.betas[j] - beta) < 1e-9:
            return int(self.table[j, i])
        return int(steps_to_cost(lr, beta, self.valley.curvatures, self.start, TOL))  # off the slider grid

    def update(self, lr: float, beta: float, k: int) -> str:
        k, L = int(k), self.valley.curvatures
        run = momentum_descent(self.valley.grad, self.start, lr, beta, self.MAX_STEPS, bound=BOUND)
        p = run.path
        shown = min(k, len(p) - 1)
        self.marker.set_data([lr], [beta])
        m_all, m = _shown(p, 5.0), _shown(p[:shown + 1], 5.0)
        self.ahead.set_data(p[:m_all, 0], p[:m_all, 1])
        self.path.set_data(p[:m, 0], p[:m, 1])
        inside = abs(p[shown, 0]) <= 5 and abs(p[shown, 1]) <= 2.4
        self.here.set_data(*(([p[shown, 0]], [p[shown, 1]]) if inside else ([], [])))  # off the map: not drawn
        dist = np.linalg.norm(p, axis=1)
        d = np.maximum(dist, FLOOR)
        r = float(rate(lr, beta, L))
        steps = np.arange(self.MAX_STEPS + 1)
        with np.errstate(over="ignore"):
            self.theory.set_data(steps, np.clip(d[0] * r ** steps, FLOOR, 1e5))
        self.dist.set_data(np.arange(shown + 1), d[:shown + 1])
        self.now.set_data([shown], [d[shown]])
        div = run.diverged_at
        self.note.set_text(f"diverged at step {div}" if div is not None and k >= div else "")

        name = REGIONS[int(region_index(lr, beta, L))]
        n = self._steps_to_tol(lr, beta)
        reach = f"cost below {TOL:g} after {n} steps" if n >= 0 else \
            ("never below 1e-06 (it diverges)" if r >= 1 else f"cost not below {TOL:g} within 2000 steps")
        lines = [f"α = {lr:g}, β = {beta:g}: rate per step {r:.3f} → {name}; {reach}",
                 f"converges exactly when αL_max < 2(1 + β), here α < {2 * (1 + beta) / self.valley.L_max:.3g}; "
                 f"optimum ★ α* = {self.opt.alpha:.3g}, β* = {self.opt.beta:.3g}, rate (√κ − 1)/(√κ + 1) = "
                 f"{self.opt.rate:.3f}; plain descent at best ◆ {self.opt.gd_rate:.3f}"]
        if div is not None and k >= div:
            lines.append(f"step {k}: diverged at step {div}: the path left ±{BOUND:g}")
        else:
            tail = f"; this run diverges at step {div}" if div is not None else ""
            lines.append(f"step {k}: x = ({p[shown, 0]:+.3g}, {p[shown, 1]:+.3g}), distance {dist[shown]:.3g}, "
                         f"cost {float(self.valley.cost(p[shown])):.3g}{tail}")
        return "\n".join(lines)


# ---------------------------------------------------------------- static figures of notebook 14


def paths_figure(valley, paths: dict, title: str = ""):
    """Paths of several optimizers on a 2-D quadratic valley's contour map, and the cost of each per
    step (log). `paths` maps a label to an array of iterates (k + 1, 2). Returns the figure."""
    import matplotlib.pyplot as plt

    fig, (ax_m, ax_c) = plt.subplots(1, 2, figsize=(9.4, 3.5), width_ratios=[1.35, 1], layout="constrained")
    g1, g2 = np.meshgrid(np.linspace(-5, 5, 140), np.linspace(-2.4, 2.4, 90))
    ax_m.contour(g1, g2, valley.cost(np.stack([g1, g2], axis=-1)), levels=np.geomspace(0.02, 40, 9),
                 colors=style.CURVE, linewidths=0.7, alpha=0.5)
    colours = [style.TANGENT, style.COLORS["green"], style.ACCENT, style.PIRATE, style.COLORS["sky"]]
    for (label, p), colour in zip(paths.items(), colours):
        p = np.asarray(p)
        ax_m.plot(p[:, 0], p[:, 1], "-o", color=colour, ms=2.5, lw=1, label=label)
        ax_c.semilogy(np.maximum(valley.cost(p), FLOOR), color=colour, lw=1.6, label=label)
    ax_m.plot([0], [0], "*", color="black", ms=11)
    ax_m.set(xlim=(-5, 5), ylim=(-2.4, 2.4), xlabel="x₁ (shallow)", ylabel="x₂ (steep)", title=title)
    ax_m.legend(fontsize=SMALL, loc="lower right")
    ax_c.axhline(TOL, color=style.MUTED, ls=":", lw=1)
    ax_c.set(xlabel="step k", ylabel="cost (log)", title="cost per step; dotted: 10⁻⁶")
    decade_ticks(ax_c.yaxis)
    return fig


def race_figure(starts, finals: dict, paths: dict):
    """The Rosenbrock race: one path per optimizer on the valley's contours (left) and the final
    cost from every start (right; `finals` maps a label to an array, one cost per start)."""
    import matplotlib.pyplot as plt

    fig, (ax_m, ax_f) = plt.subplots(1, 2, figsize=(9.4, 3.6), width_ratios=[1.2, 1], layout="constrained")
    gx, gy = np.meshgrid(np.linspace(-2.2, 2.2, 200), np.linspace(-1.2, 3.2, 200))
    ax_m.contour(gx, gy, rosenbrock(np.stack([gx, gy], axis=-1)), levels=np.geomspace(0.1, 2000, 12),
                 colors=style.CURVE, linewidths=0.6, alpha=0.5)
    colours = [style.MUTED, style.COLORS["green"], style.TANGENT]
    for (label, p), colour in zip(paths.items(), colours):
        ax_m.plot(p[:, 0], p[:, 1], "-", color=colour, lw=1.4, label=label)
    ax_m.plot(starts[:, 0], starts[:, 1], "s", color="black", ms=4, label="seeded starts")
    ax_m.plot([1], [1], "*", color="black", ms=12)
    ax_m.set(xlim=(-2.2, 2.2), ylim=(-1.2, 3.2), xlabel="x", ylabel="y", title="Rosenbrock valley, minimum ★ at (1, 1)")
    ax_m.legend(fontsize=SMALL, loc="lower right")
    n = len(starts)
    for i, ((label, f), colour) in enumerate(zip(finals.items(), colours)):
        ax_f.bar(np.arange(n) + (i - 1) * 0.27, np.maximum(f, 1e-30), width=0.27, color=colour, label=label)
    ax_f.set_yscale("log")
    decade_ticks(ax_f.yaxis)
    ax_f.set(xticks=range(n), xlabel="start", ylabel="final cost (log)", title="final cost from each start")
    ax_f.legend(fontsize=SMALL)
    return fig
