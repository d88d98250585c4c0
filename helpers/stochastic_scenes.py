"""Notebooks 06–07's figures: the interactive mini-batch SGD scene, and the static pictures
(each a one-line call from the notebook).

The scene runs `stochastic.minibatch_run` for a fixed number of steps (so every batch size
gets as many updates), next to the full-batch path with the same learning rate; the x axis of
its cost curve is the work done, per-example gradient evaluations. Its readout's numbers come
from `stochastic`'s functions (`tail_rms`, `path_noise`, ...), which the notebooks call too.
Drawing only: the functions below take arrays (and the regression problem) and return figures.
"""
from __future__ import annotations

import time
from collections import OrderedDict

import matplotlib.pyplot as plt
import numpy as np

from . import style
from .controls import Slider, Toggle
from .fastfig import Scene, register
from .regression import LinearRegression
from .sgd import batches_per_epoch
from .stochastic import (STEPS, TAIL, evaluations_after_each_step, minibatch_run, path_noise, schedule,
                         sgd_data, tail_rms)

START = (-1.5, -2.5)  # (w, b) where every run starts
W_RANGE, B_RANGE = (-2.5, 4.0), (-3.5, 1.5)
EXCESS_FLOOR, EXCESS_CEIL = 1e-6, 1e2  # the cost curve's y range (J − J*), values are clipped to it
CACHE_SIZE = 256  # runs remembered, so that dragging a slider back over its values costs no recomputation
LEVELS = (0.01, 0.1, 0.3, 1, 3, 10)


def _seconds(call) -> float:
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def draw_cost_map(ax, problem: LinearRegression, w_range=W_RANGE, b_range=B_RANGE, labels: bool = True):
    """Contours of J − J* over (w, b) on `ax`, with the minimum θ* starred; returns the contour set."""
    W, B = np.meshgrid(np.linspace(*w_range, 161), np.linspace(*b_range, 141))
    cs = ax.contour(W, B, problem.excess_loss(np.stack([W, B], axis=-1)), levels=LEVELS, colors=style.CURVE,
                    linewidths=0.8, alpha=0.6)
    if labels:
        ax.clabel(cs, levels=LEVELS[2:], fmt=lambda v: f"{v:g}", fontsize=7)
    ax.plot(*problem.minimizer, "*", color=style.COLORS["black"], mec="white", ms=12, zorder=5, label="minimum θ*")
    ax.set(xlim=w_range, ylim=b_range, xlabel="slope w", ylabel="intercept b")
    ax.set_aspect("equal")
    return cs


@register
class MinibatchScene(Scene):
    """SGD with batch size B from a fixed start: the noisy path vs the full-batch path, J − J* vs work."""

    title = "06 mini-batch SGD"
    figsize = (8.2, 3.6)
    controls = {
        "batch_size": Slider(1, 1024, 4, step=np.log10(2), log=True, label="batch size B"),
        "lr": Slider(0.01, 1.5, 0.1, log=True, label="learning rate α"),
        "seed": Slider(0, 9, 0, integer=True, label="sampler seed"),
        "decay": Toggle(False, label="decay α as α·k₀/(k₀+k)"),
    }

    def draw_static(self):
        self.problem = self.params.get("problem")
        if self.problem is None:
            self.problem = sgd_data()
        elif not isinstance(self.problem, LinearRegression):
            raise ValueError(f"problem must be a regression.LinearRegression, got {type(self.problem).__name__}")
        self.start = np.asarray(self.params.get("start", START), dtype=float)
        p = self.problem
        # a fixed layout: constrained layout would spend ~0.5 s measuring the log axes' tick labels
        self.fig.set_layout_engine("none")
        ax_map, ax_cost = self.ax_map, self.ax_cost = self.fig.subplots(
            1, 2, width_ratios=(1.05, 1),
            gridspec_kw=dict(left=0.075, right=0.975, bottom=0.13, top=0.8, wspace=0.25))
        draw_cost_map(ax_map, p)
        ax_map.set_title("path on the contours of J − J*")
        (self.full_path,) = ax_map.plot([], [], color=style.COLORS["black"], lw=1.2, ls="--", label="full batch")
        (self.sgd_path,) = ax_map.plot([], [], color=style.PIRATE, lw=1.1, label="batch B")
        (self.sgd_end,) = ax_map.plot([], [], "o", color=style.PIRATE, ms=5)
        # drawn after the paths (tracked, never moved) so that the paths cannot hide them
        (self.star,) = ax_map.plot(*p.minimizer, "*", color=style.COLORS["black"], mec="white", ms=12)
        (self.start_dot,) = ax_map.plot(*self.start, "o", color=style.COLORS["black"], ms=5, mfc="white",
                                        label="start")
        ax_map.legend(loc="upper left", fontsize=7.5, ncols=2)

        n = p.n
        ax_cost.set(xscale="log", yscale="log", xlim=(1, STEPS * n), ylim=(EXCESS_FLOOR, EXCESS_CEIL),
                    xlabel="per-example gradient evaluations (steps × B)", ylabel="J(θ) − J(θ*)",
                    title=f"cost against work ({STEPS} steps each)")
        top = ax_cost.secondary_xaxis("top", functions=(lambda e: e / n, lambda ep: ep * n))
        top.set_xlabel(f"epochs (passes over n = {n})", fontsize=8)
        top.tick_params(labelsize=7)
        ax_cost.axvline(n, color=style.MUTED, lw=0.8, ls=":")
        (self.full_cost,) = ax_cost.plot([], [], color=style.COLORS["black"], lw=1.2, ls="--", label="full batch")
        (self.sgd_cost,) = ax_cost.plot([], [], color=style.PIRATE, lw=1.1, label="batch B")
        ax_cost.legend(loc="lower left", fontsize=7.5)
        for artist in (self.full_path, self.sgd_path, self.sgd_end, self.star, self.start_dot,
                       self.full_cost, self.sgd_cost):
            self.track(artist)
        self._runs: OrderedDict = OrderedDict()
        everyone = np.arange(p.n)
        self._full_epoch_seconds = min(_seconds(lambda: p.grad(self.start, everyone)) for _ in range(5))

    def _run(self, B: int | None, lr: float, seed: int, decay: bool):
        """The run for batch size B (None: full batch) and its measured seconds per step, remembered."""
        key = (B, lr, seed if B is not None else None, decay)
        if key in self._runs:
            self._runs.move_to_end(key)
            return self._runs[key]
        start = time.perf_counter()
        run = minibatch_run(self.problem, self.start, B, schedule(lr, decay), STEPS, seed)
        seconds_per_step = (time.perf_counter() - start) / max(run.steps_taken, 1)
        self._runs[key] = run, seconds_per_step
        if len(self._runs) > CACHE_SIZE:
            self._runs.popitem(last=False)
        return run, seconds_per_step

    def update(self, batch_size: float, lr: float, seed: int, decay: bool) -> str:
        p, n = self.problem, self.problem.n
        B = int(min(max(round(batch_size), 1), n))
        seed = int(round(seed))
        per_epoch = batches_per_epoch(n, B)
        (run, step_time), (full, _) = self._run(B, lr, seed, decay), self._run(None, lr, seed, decay)
        self.live_note = (f"wall-clock, measured: {1e3 * step_time * per_epoch:.2f} ms per epoch with batch {B} "
                          f"({per_epoch} steps); {1e3 * self._full_epoch_seconds:.2f} ms for one gradient over "
                          f"all {n} examples (a full-batch epoch)")

        work = evaluations_after_each_step(n, B, STEPS)
        for path, cost_line, x_work, line in ((run.path, self.sgd_cost, work, self.sgd_path),
                                              (full.path, self.full_cost, n * np.arange(1, STEPS + 1), self.full_path)):
            line.set_data(path[:, 0], path[:, 1])
            steps = len(path) - 1
            cost_line.set_data(x_work[:steps], np.clip(p.excess_loss(path[1:]), EXCESS_FLOOR, EXCESS_CEIL))
        self.sgd_end.set_data([run.final[0]], [run.final[1]])

        work = int(work[-1])
        rate = f"α = {lr:g} constant" if not decay else f"α decays {lr:g} → {schedule(lr, True)(STEPS - 1):.3g}"
        lines = [f"batch B = {B}, {rate}: {STEPS} steps = {work} per-example gradient evaluations "
                 f"= {work / n:.3g} epochs",
                 f"one epoch = {per_epoch} steps of batch {B} = {n} gradient evaluations (always n, whatever B)"]
        if run.diverged_at is not None:
            lines.append(f"batch {B}: diverged at step {run.diverged_at} (|w| or |b| passed 1e8)")
        else:
            lines.append(f"after {STEPS} steps: J − J* = {p.excess_loss(run.final):.3g}; "
                         f"the last {TAIL} iterates lie {tail_rms(run.path, p.minimizer):.3g} from θ* (RMS)")
        if full.diverged_at is not None:
            lines.append(f"full batch: diverged at step {full.diverged_at}")
        elif run.diverged_at is None:
            lines.append(f"path noise = RMS distance from the full-batch path, step by step: "
                         f"{path_noise(run.path, full.path):.3g}")
        return "\n".join(lines)


# ---------------------------------------------------------------- the notebooks' static pictures


def dataset_figure(problem: LinearRegression, theta0):
    """The data, the least-squares line θ* and the starting line θ₀."""
    fig, ax = plt.subplots(figsize=(7.5, 3.2))
    x, y, star = problem.x, problem.y, problem.minimizer
    ax.plot(x, y, ".", color=style.MUTED, ms=2, alpha=0.6, label=f"the n = {problem.n} examples (xᵢ, yᵢ)")
    xs = np.array([x.min(), x.max()])
    ax.plot(xs, star[0] * xs + star[1], color=style.CURVE, lw=2, label="least-squares line, θ*")
    ax.plot(xs, theta0[0] * xs + theta0[1], color=style.TANGENT, lw=2, ls="--", label="the starting line, θ₀")
    ax.set(xlabel="x", ylabel="y", title="The dataset: y = 2x − 1 + noise")
    ax.legend(loc="upper left", fontsize=8)
    return fig


def noise_law_figure(grads, full_grad, sizes, errors, sigma: float, seed: int = 2):
    """Left: clouds of sampled batch-mean gradients for three batch sizes around ∇J.
    Right: their RMS error against B on log–log axes, with σ/√B."""
    rng = np.random.default_rng(seed)
    n = len(grads)
    fig, (ax_cloud, ax_err) = plt.subplots(1, 2, figsize=(9, 3.8))
    for B, colour in ((1, style.PIRATE), (16, style.ACCENT), (256, style.SECANT)):
        averages = grads[rng.integers(0, n, size=(300, B))].mean(axis=1)
        ax_cloud.plot(averages[:, 0], averages[:, 1], "o", ms=2, color=colour, alpha=0.6, label=f"mean of B = {B}")
    ax_cloud.plot(*full_grad, "*", color=style.COLORS["black"], ms=12, mec="white", label="∇J(θ₀)")
    ax_cloud.set(xlabel="∂/∂w", ylabel="∂/∂b", title="300 sampled gradient averages each")
    ax_cloud.legend(fontsize=7.5, loc="upper left")
    ax_err.loglog(sizes, errors, "o", color=style.TANGENT, label="measured RMS error")
    ax_err.loglog(sizes, sigma / np.sqrt(sizes), color=style.MUTED, ls="--", label="σ/√B")
    ax_err.set(xlabel="batch size B (examples averaged)", ylabel="RMS |mean of B ∇fᵢ − ∇J|",
               title="error against batch size")
    ax_err.legend(fontsize=8)
    fig.subplots_adjust(wspace=0.3)
    return fig


COLOURS = {"full batch": style.COLORS["black"], "mini-batch": style.ACCENT, "stochastic": style.PIRATE}


def paths_figure(problem: LinearRegression, theta0, runs: dict, title: str):
    """Paths on the cost map; `runs` maps a name ("full batch", "mini-batch", "stochastic") to
    (B, DescentResult, work)."""
    fig, ax = plt.subplots(figsize=(7.5, 5))
    draw_cost_map(ax, problem)
    for name, (B, res, _) in runs.items():
        kw = dict(lw=0.4, alpha=0.45) if B == 1 else dict(lw=1.8, marker="o" if B == problem.n else None, ms=4)
        ax.plot(res.path[:, 0], res.path[:, 1], color=COLOURS[name], label=f"{name} (B = {B}): "
                f"{res.steps_taken} steps", **kw)
    ax.plot(*theta0, "o", color=style.COLORS["black"], mfc="white", ms=6, label="start θ₀", zorder=5)
    ax.set_title(title)
    ax.legend(loc="upper left", fontsize=8)
    return fig


def log_window_mean(values, points: int = 150, width: float = 1.25):
    """Means of values[k/width … k·width] at log-spaced k: a smooth line through noise on log axes."""
    c = np.concatenate([[0.0], np.cumsum(values)])
    k = np.unique(np.geomspace(1, len(values), points).astype(int))
    lo, hi = np.maximum(k / width, 1).astype(int) - 1, np.minimum(k * width, len(values)).astype(int)
    return k, (c[hi] - c[lo]) / (hi - lo)


def steps_and_work_figure(problem: LinearRegression, runs: dict, budget: float):
    """J − J* of each run against update steps (left) and against gradient evaluations (right);
    `runs` as in `paths_figure`; a dotted line marks `budget` evaluations."""
    fig, (ax_steps, ax_work) = plt.subplots(1, 2, figsize=(9, 3.9), sharey=True)
    for name, (B, res, work) in runs.items():
        excess = np.maximum(problem.excess_loss(res.path[1:]), 1e-12)  # after steps k = 1, 2, …
        k, smooth = log_window_mean(excess)
        for ax, x_axis in ((ax_steps, np.arange(1, len(excess) + 1)), (ax_work, np.asarray(work)[1:])):
            ax.loglog(x_axis, excess, color=COLOURS[name], lw=0.4, alpha=0.3)
            ax.loglog(x_axis[k - 1], smooth, color=COLOURS[name], lw=1.8, label=f"{name}, B = {B}")
    ax_steps.set(xlabel="update steps", ylabel="J(θ) − J(θ*)  (thick: local mean)", title="against steps (unfair)",
                 ylim=(1e-8, 30))
    ax_work.set(xlabel="per-example gradient evaluations", title="against work (fair)")
    top = ax_work.secondary_xaxis("top", functions=(lambda e: e / problem.n, lambda ep: ep * problem.n))
    top.set_xlabel("epochs", fontsize=9)
    ax_work.axvline(budget, color=style.MUTED, ls=":", lw=1)
    ax_steps.legend(fontsize=8, loc="lower left")
    fig.subplots_adjust(wspace=0.08)
    return fig


def visits_figure(with_replacement, shuffled):
    """How many times each example is used in one epoch: bars of the fraction of examples used k times."""
    fig, ax = plt.subplots(figsize=(7.5, 3.2))
    ks = np.arange(6)
    ax.bar(ks - 0.2, [np.mean(with_replacement == k) for k in ks], width=0.4, color=style.PIRATE,
           label="with replacement (at uniform)")
    ax.bar(ks + 0.2, [np.mean(shuffled == k) for k in ks], width=0.4, color=style.CURVE, label="shuffled epoch")
    ax.set(xlabel="times an example is used in one epoch", ylabel="fraction of the examples", xticks=ks,
           title=f"One epoch = n = {len(shuffled)} draws")
    ax.legend(fontsize=8)
    return fig


def settling_figure(problem: LinearRegression, runs: dict, window: int = 100):
    """Left: distance to θ* (RMS per `window` steps) against epochs; right: the last epoch's iterates.
    `runs` maps a label to a DescentResult of batch-size-1 SGD."""
    n, star = problem.n, problem.minimizer
    fig, (ax_d, ax_m) = plt.subplots(1, 2, figsize=(9, 3.8), width_ratios=(1.3, 1))
    for (label, res), colour in zip(runs.items(), (style.PIRATE, style.ACCENT)):
        dist = np.linalg.norm(res.path[1:] - star, axis=1)
        windows = np.sqrt(np.mean(dist[: len(dist) // window * window].reshape(-1, window) ** 2, axis=1))
        ax_d.semilogy((np.arange(len(windows)) + 0.5) * window / n, windows, color=colour, lw=1.5, label=label)
        ax_m.plot(res.path[-n:, 0], res.path[-n:, 1], ".", ms=2, color=colour, alpha=0.5, label=label)
    ax_d.set(xlabel=f"epochs (B = 1: {n} steps each)", ylabel=f"|θₖ − θ*|, RMS per {window} steps",
             title="distance to the minimum")
    ax_d.legend(fontsize=8)
    draw_cost_map(ax_m, problem, w_range=(1.0, 3.0), b_range=(-1.8, -0.2), labels=False)
    ax_m.set_title("the last epoch's iterates")
    fig.subplots_adjust(wspace=0.3)
    return fig
