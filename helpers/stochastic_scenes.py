"""Notebook 04's interactive figure: a mini-batch SGD path on the cost's contour map, and its cost curve.

Every setting runs the shared loop `descent.gradient_descent` with `sgd.minibatches` for a
fixed number of steps (so every batch size gets as many updates), next to the full-batch
path with the same learning rate. The x axis of the cost curve is the work done: per-example
gradient evaluations, steps × batch size.
"""
from __future__ import annotations

import time
from collections import OrderedDict

import numpy as np

from . import style
from .controls import Slider, Toggle
from .descent import gradient_descent
from .fastfig import Scene, register
from .sgd import batches_per_epoch, minibatches
from .stochastic import LinearRegression, inverse_decay, make_regression

STEPS = 120  # updates per run, whatever the batch size
TAIL = 30  # the readout measures how settled the last TAIL iterates are
START = (-1.5, -2.5)  # (w, b) where every run starts
W_RANGE, B_RANGE = (-2.5, 4.0), (-3.5, 1.5)
EXCESS_FLOOR, EXCESS_CEIL = 1e-6, 1e2  # the cost curve's y range (f − f*), values are clipped to it
CACHE_SIZE = 256  # runs remembered, so that dragging a slider back over its values costs no recomputation


def evaluations_after_each_step(n: int, B: int, steps: int) -> np.ndarray:
    """Per-example gradients evaluated after steps 1 … `steps` of shuffled-epoch mini-batches
    (each epoch's last batch holds what is left of the n examples, so it may be smaller)."""
    per_epoch = batches_per_epoch(n, B)
    sizes = np.full(per_epoch, B)
    sizes[-1] = n - B * (per_epoch - 1)
    return np.cumsum(np.tile(sizes, -(-steps // per_epoch)))[:steps]


def _seconds(call) -> float:
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def schedule(lr: float, decay: bool):
    """The learning rate the scene uses: constant, or lr·k0/(k0 + k) with k0 = STEPS/8 steps."""
    return inverse_decay(lr, STEPS / 8) if decay else lr


@register
class MinibatchScene(Scene):
    """SGD with batch size B from a fixed start: the noisy path vs the full-batch path, f − f* vs work."""

    title = "04 mini-batch SGD"
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
            self.problem = make_regression()
        elif not isinstance(self.problem, LinearRegression):
            raise ValueError(f"problem must be a stochastic.LinearRegression, got {type(self.problem).__name__}")
        self.start = np.asarray(self.params.get("start", START), dtype=float)
        p = self.problem
        # a fixed layout: constrained layout would spend ~0.5 s measuring the log axes' tick labels
        self.fig.set_layout_engine("none")
        ax_map, ax_cost = self.ax_map, self.ax_cost = self.fig.subplots(
            1, 2, width_ratios=(1.05, 1),
            gridspec_kw=dict(left=0.075, right=0.975, bottom=0.13, top=0.8, wspace=0.25))

        W, B = np.meshgrid(np.linspace(*W_RANGE, 161), np.linspace(*B_RANGE, 141))
        excess = p.excess_loss(np.stack([W, B], axis=-1))
        levels = [0.01, 0.1, 0.3, 1, 3, 10]
        cs = ax_map.contour(W, B, excess, levels=levels, colors=style.CURVE, linewidths=0.8, alpha=0.7)
        ax_map.clabel(cs, levels=levels[2:], fmt=lambda v: f"{v:g}", fontsize=7)
        ax_map.set(xlim=W_RANGE, ylim=B_RANGE, xlabel="slope w", ylabel="intercept b",
                   title="path on the contours of f − f*")
        ax_map.set_aspect("equal")
        (self.full_path,) = ax_map.plot([], [], color=style.COLORS["black"], lw=1.2, ls="--", label="full batch")
        (self.sgd_path,) = ax_map.plot([], [], color=style.PIRATE, lw=1.1, label="batch B")
        (self.sgd_end,) = ax_map.plot([], [], "o", color=style.PIRATE, ms=5)
        # drawn after the paths (tracked, never moved) so that the paths cannot hide them
        (self.star,) = ax_map.plot(*p.minimizer, "*", color=style.COLORS["black"], mec="white", ms=12,
                                   label="minimum θ*")
        (self.start_dot,) = ax_map.plot(*self.start, "o", color=style.COLORS["black"], ms=5, mfc="white",
                                        label="start")
        ax_map.legend(loc="upper left", fontsize=7.5, ncols=2)

        n = p.n
        ax_cost.set(xscale="log", yscale="log", xlim=(1, STEPS * n), ylim=(EXCESS_FLOOR, EXCESS_CEIL),
                    xlabel="per-example gradient evaluations (steps × B)", ylabel="f(θ) − f(θ*)",
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
        self.summary: dict = {}  # the readout's numbers, for the notebook's asserts

    def _run(self, B: int | None, lr: float, seed: int, decay: bool):
        """The shared loop's run for batch size B (None: full batch) and its measured seconds per
        step, remembered for later moves."""
        key = (B, lr, seed if B is not None else None, decay)
        if key in self._runs:
            self._runs.move_to_end(key)
            return self._runs[key]
        p = self.problem
        start = time.perf_counter()
        if B is None:
            run = gradient_descent(p.grad, self.start, schedule(lr, decay), STEPS)
        else:
            epochs = -(-STEPS // batches_per_epoch(p.n, B))
            run = gradient_descent(p.grad, self.start, schedule(lr, decay), STEPS,
                                   batches=minibatches(p.n, B, epochs, seed=seed))
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
        rate = f"α = {lr:.3g} constant" if not decay else f"α decays {lr:.3g} → {schedule(lr, True)(STEPS - 1):.3g}"
        lines = [f"batch B = {B}, {rate}: {STEPS} steps = {work} per-example gradient evaluations "
                 f"= {work / n:.3g} epochs",
                 f"one epoch = {per_epoch} steps of batch {B} = {n} gradient evaluations (always n, whatever B)"]
        tail = noise = None
        if run.diverged_at is not None:
            lines.append(f"batch {B}: diverged at step {run.diverged_at} (|w| or |b| passed 1e8)")
        else:
            tail = float(np.sqrt(np.mean(np.sum((run.path[-TAIL:] - p.minimizer) ** 2, axis=1))))
            lines.append(f"after {STEPS} steps: f − f* = {p.excess_loss(run.final):.3g}; "
                         f"the last {TAIL} iterates lie {tail:.3g} from θ* (RMS)")
        if full.diverged_at is not None:
            lines.append(f"full batch: diverged at step {full.diverged_at}")
        elif run.diverged_at is None:
            noise = float(np.sqrt(np.mean(np.sum((run.path - full.path) ** 2, axis=1))))
            lines.append(f"path noise = RMS distance from the full-batch path, step by step: {noise:.3g}")
        self.summary = dict(batch_size=B, steps_per_epoch=per_epoch, evaluations=work, tail_rms=tail,
                            noise=noise, diverged_at=run.diverged_at)
        return "\n".join(lines)
