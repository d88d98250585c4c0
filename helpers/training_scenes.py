"""Notebooks 11 and 12's interactive figures: learning rates on the article's network, and over-fitting.

Drawing only. Both scenes take their numbers from `training` in `draw_static` (a sweep over
exactly the positions the α slider can take; the fitted function of every stored epoch on a
grid of x), so an update only picks precomputed arrays and moves a few artists.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np
from matplotlib.patches import Patch

from . import datasets, style, training
from .controls import Slider
from .fastfig import Scene, register
from .network import article_network

SMALL = 8             # font size of panel titles and notes
E_FLOOR = 1e-12       # errors below this are drawn on the floor of the log axis (the minimum is 0)
GOAL = 1e-3           # "trained" for the epochs-needed readout: E below this

STATUS_COLOUR = {"converged": style.SECANT, "still descending": style.MUTED,
                 "oscillating": style.COLORS["yellow"], "saturated": style.TANGENT,
                 "diverged": style.COLORS["black"]}


def _g(v: float) -> str:
    return f"{v:.3g}"


def _pct(v: float) -> str:
    """A signed percentage with one decimal, never "-0.0"."""
    return f"{round(v, 1) + 0.0:+.1f}%"


def plot_rates_over_epochs(errors, outputs, rates, targets, goal: float = GOAL, curves_of=(0, 2)):
    """Notebook 11's static figure: E per epoch for each rate (log–log) and, for the rates at
    `curves_of`, both outputs approaching their targets. `errors[k, r]`, `outputs[k, r, unit]`.
    Returns the figure."""
    import matplotlib.pyplot as plt

    errors, outputs, targets = np.asarray(errors), np.asarray(outputs), np.ravel(targets)
    k = np.unique(np.geomspace(1, errors.shape[0] - 1, 400).astype(int))  # log-spaced epochs
    fig, (ax_e, ax_y) = plt.subplots(1, 2, figsize=(9, 3.6))
    for r, lr in enumerate(rates):
        ax_e.loglog(k, np.maximum(errors[k, r], E_FLOOR), label=f"α = {lr:g}")
    ax_e.axhline(goal, color=style.MUTED, ls=":", lw=1)
    ax_e.text(1.05, goal / 1.6, f"E = {goal:g}", fontsize=SMALL, color=style.MUTED, va="top")
    ax_e.set(xlabel="epoch (log)", ylabel="error E (log)", ylim=(E_FLOOR, 1), title="E per epoch")
    ax_e.legend(fontsize=SMALL)
    for r, ls in zip(curves_of, ("-", "--")):
        for unit, colour in ((0, style.CURVE), (1, style.TANGENT)):
            ax_y.semilogx(k, outputs[k, r, unit], color=colour, ls=ls, label=f"y{unit + 1}, α = {rates[r]:g}")
    for unit, colour in ((0, style.CURVE), (1, style.TANGENT)):
        ax_y.axhline(targets[unit], color=colour, lw=0.8, ls=":")
    ax_y.set(xlabel="epoch (log)", ylabel="output", ylim=(0, 1.15), yticks=np.linspace(0, 1, 6),
             title="outputs approach the targets (dotted)")
    ax_y.legend(fontsize=SMALL, ncols=2, loc="upper left")
    fig.tight_layout()
    return fig


def plot_errors_per_epoch(train_error, validation_error, best: int, stop: int):
    """Notebook 12's static figure: training and validation error per epoch (log), the epoch of
    the lowest validation error and where the patience rule stops. Returns the figure."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 3.6))
    ax.semilogy(train_error, color=style.CURVE, lw=1, label="training error")
    ax.semilogy(validation_error, color=style.PIRATE, lw=1, label="validation error")
    ax.axvline(best, color=style.SECANT, lw=1.5, label=f"lowest validation error (epoch {best})")
    ax.axvline(stop, color=style.SECANT, lw=1, ls=":", label=f"patience rule stops (epoch {stop})")
    ax.set(xlabel="epoch", ylabel="error E (log)", xlim=(0, len(train_error) - 1),
           title="Training error keeps falling; validation error turns upward")
    ax.legend(fontsize=SMALL, loc="upper right")
    fig.tight_layout()
    return fig


@register
class NetworkLearningRateScene(Scene):
    """E per epoch on the article's 2-2-2 network for one α, and every α's final E on an α axis
    with the curvature's prediction 2/λ_max and the rate from which training was seen to break.
    The sweep holds exactly the slider's positions, so the readout names the value the slider shows."""

    title = "11 learning rate on the article network"
    figsize = (8.4, 3.8)
    EPOCHS = 1000
    controls = {"lr": Slider(0.01, 1000.0, 1.0, log=True, label="learning rate α")}

    def draw_static(self):
        self.sweep, self.lam, self.verdicts = training.article_sweep(self.controls["lr"].options, self.EPOCHS)
        rates, E = self.sweep.rates, self.sweep.errors
        self.edge = training.breaking_rate(rates, self.verdicts)
        self.targets = article_network()[3][0]
        ax_e, ax_a = self.fig.subplots(1, 2, width_ratios=[1.1, 1.0])

        epochs = np.arange(1, self.EPOCHS + 1)
        ax_e.set(xscale="log", yscale="log", xlim=(1, self.EPOCHS), ylim=(E_FLOOR / 3, 1),
                 xlabel="epoch (log)", ylabel="error E (log)")
        ax_e.set_title("E per epoch for the chosen α", fontsize=SMALL + 1)
        ax_e.axhline(E[0, 0], color=style.MUTED, ls=":", lw=1)
        ax_e.text(1.2, E[0, 0] * 1.4, f"E at the start = {E[0, 0]:.4g}", fontsize=SMALL - 1, color=style.MUTED)
        r01 = int(np.argmin(np.abs(rates - 0.01)))
        ax_e.plot(epochs, np.maximum(E[1:, r01], E_FLOOR), color=style.MUTED, lw=1, ls="--",
                  label="α = 0.01 (the article's)")
        (self.curve,) = ax_e.plot([], [], color=style.TANGENT, lw=1.6, label="chosen α")
        (self.mark,) = ax_e.plot([], [], "o", color=style.TANGENT, ms=7, mec="black", label="verdict reached",
                                 clip_on=False, in_layout=False)  # whole at the axes' edge (epoch 1); never beyond
        ax_e.legend(loc="lower left", fontsize=SMALL - 1)

        final = np.maximum(E[-1], E_FLOOR)
        ax_a.set(xscale="log", yscale="log", xlim=(rates[0], rates[-1]), ylim=(E_FLOOR / 3, 1),
                 xlabel="learning rate α (log)", ylabel=f"E after {self.EPOCHS} epochs (log)")
        ax_a.set_title("every α: where training ends", fontsize=SMALL + 1)
        half = np.sqrt(rates[1] / rates[0])
        start = 0
        for r in range(1, rates.size + 1):  # one shaded band per run of equal verdicts
            if r == rates.size or self.verdicts[r].status != self.verdicts[start].status:
                ax_a.axvspan(rates[start] / half, rates[r - 1] * half, lw=0, alpha=0.25,
                             color=STATUS_COLOUR[self.verdicts[start].status])
                start = r
        ax_a.plot(rates, final, color=style.CURVE, lw=1.5)
        predicted = 2 / self.lam
        ax_a.axvline(predicted, color=style.COLORS["black"], lw=1.2)
        ax_a.text(predicted / 1.15, 3e-11, f"2/λ_max\n= {predicted:.3g}", ha="right", fontsize=SMALL,
                  bbox=dict(facecolor="white", edgecolor="none", pad=1, alpha=0.8))
        if self.edge is not None:
            ax_a.axvline(self.edge, color=style.TANGENT, lw=1.2, ls="--")
            ax_a.text(self.edge * 1.15, 3e-11, f"breaks\nfrom\n{self.edge:g}", ha="left", fontsize=SMALL,
                      color=style.TANGENT, bbox=dict(facecolor="white", edgecolor="none", pad=1, alpha=0.8))
        seen = {v.status for v in self.verdicts}
        ax_a.legend(handles=[Patch(color=c, alpha=0.25, label=s) for s, c in STATUS_COLOUR.items() if s in seen],
                    loc="lower left", fontsize=SMALL - 1)
        (self.alpha_line,) = ax_a.plot([], [], color=style.TANGENT, lw=1)
        (self.alpha_dot,) = ax_a.plot([], [], "o", color=style.TANGENT, ms=8, mec="black",
                                      clip_on=False, in_layout=False)  # whole at either end of α
        for artist in (self.curve, self.mark, self.alpha_line, self.alpha_dot):
            self.track(artist)

    def index(self, lr: float) -> int:
        """The swept rate nearest to `lr` (the sweep holds every slider position, so a value the
        slider shows is found exactly; other values snap to the nearest, as the slider does)."""
        return int(np.argmin(np.abs(np.log(self.sweep.rates / max(float(lr), 1e-300)))))

    def update(self, lr: float) -> str:
        r = self.index(lr)
        alpha, E = float(self.sweep.rates[r]), self.sweep.errors[:, r]
        v = self.verdicts[r]
        shown = np.maximum(E[1:], E_FLOOR)
        self.curve.set_data(np.arange(1, len(E)), shown)
        at = v.step if v.step is not None and v.step >= 1 else len(E) - 1
        self.mark.set_data([at], [shown[at - 1]])
        self.alpha_line.set_data([alpha, alpha], [E_FLOOR / 3, 1])
        self.alpha_dot.set_data([alpha], [max(E[-1], E_FLOOR)])

        Y0, Y1, Y = (self.sweep.outputs[k, r, 0] for k in (0, 1, -1))
        t = self.targets
        below = np.nonzero(E < GOAL)[0]
        reach = f"E < {GOAL:g} from epoch {below[0]}" if below.size else f"E never below {GOAL:g}"
        outputs = f"after {len(E) - 1} epochs y = ({Y[0]:.4f}, {Y[1]:.4f}), targets ({t[0]:g}, {t[1]:g})"
        if v.status == "converged":
            over = np.nonzero(np.sign(Y1 - t) != np.sign(Y0 - t))[0]
            lines = [f"converged {'after overshooting' if over.size else 'smoothly'}: {reach}, "
                     f"E < {_g(1e-5 * E[0])} from epoch {v.step}",
                     (f"step 1 threw y{over[0] + 1} from {Y0[over[0]]:.3f} past its target {t[over[0]]:g} "
                      f"to {Y1[over[0]]:.4f}; " if over.size else "") + outputs]
        elif v.status == "saturated":
            unit = int(np.argmin(Y * (1 - Y)))
            W0, W1 = self.sweep.max_weight[0, r], self.sweep.max_weight[-1, r]
            lines = [f"saturated from epoch {v.step}: output y{unit + 1} was driven to {Y[unit]:.4f}, where its "
                     f"sigmoid is flat (slope y(1−y) = {Y[unit] * (1 - Y[unit]):.2g}, gradient ≈ 0)",
                     f"E = {E[-1]:.4g} looks small but is stuck: the network cannot learn further; "
                     f"largest |w| went from {W0:.3g} to {W1:.3g}"
                     + (f"; E still rose at {v.rises} of the last {len(E) // 2} epochs" if v.rises else ""),
                     outputs]
        elif v.status == "diverged":
            lines = [f"diverged at epoch {v.step}: the weights left every bound (|w| > 1e8); E = {E[-1]:.4g}",
                     outputs]
        elif v.status == "oscillating":
            lines = [f"oscillating: E rose at {v.rises} of the last {len(E) // 2} epochs and has not settled; "
                     f"E = {E[-1]:.4g}", outputs]
        else:
            lines = [f"still descending (too slow: more epochs needed): E fell from {E[0]:.4g} to {E[-1]:.4g}; "
                     f"{reach}", outputs]
        edge = f"{self.edge:g}" if self.edge is not None else "nowhere"
        lines.append(f"curvature at the start: λ_max = {self.lam:.4g}, so 2/λ_max = {2 / self.lam:.4g} "
                     f"(α is {alpha * self.lam / 2:.3g} × that); the sweep breaks (saturates) from α = {edge}")
        return f"α = {alpha:g}: " + "\n".join(lines)


_FITS: list = []  # (experiment, xs, fits) of the latest runs shown: two figures of one run share the work


def fitted_functions(experiment: training.Experiment, xs: np.ndarray) -> np.ndarray:
    """The network's output on `xs` after every epoch of `experiment`: shape (epochs + 1, len(xs))."""
    for exp, grid, fits in _FITS:
        if exp is experiment and np.array_equal(grid, xs):
            return fits
    fits = training.predict(experiment.run.snapshots, experiment.run.sizes, xs[:, None])[:, :, 0]
    _FITS[:] = [(experiment, xs, fits)] + _FITS[:1]
    return fits


@lru_cache(maxsize=2)
def default_experiment() -> training.Experiment:
    """The over-fitting run the scene shows when it is given none (computed once per session)."""
    return training.overfitting_experiment()


@register
class OverfittingScene(Scene):
    """Training and validation error per epoch with the early-stopping epoch marked, and the
    fitted function at the chosen epoch against the one at the early-stopping epoch."""

    title = "12 over-fitting and early stopping"
    figsize = (8.4, 3.8)
    MAX_EPOCHS = 3000
    GRID = 150
    controls = {"epoch": Slider(0, MAX_EPOCHS, 1500, integer=True, label="epoch")}

    def draw_static(self):
        self.ax_e, self.ax_f = ax_e, ax_f = self.fig.subplots(1, 2, width_ratios=[1.0, 1.0])
        ax_e.set(yscale="log", xlabel="epoch", ylabel="error E (log)")
        ax_e.set_title("error per epoch", fontsize=SMALL + 1)
        (self.train_line,) = ax_e.plot([], [], color=style.CURVE, lw=1.2, label="training")
        (self.val_line,) = ax_e.plot([], [], color=style.PIRATE, lw=1.2, label="validation")
        self.best_line = ax_e.axvline(0, color=style.SECANT, lw=1.5)
        self.stop_line = ax_e.axvline(0, color=style.SECANT, lw=1, ls=":")
        self.best_text = ax_e.text(0, 0, "", fontsize=SMALL - 1, color=style.SECANT, va="top",
                                   transform=ax_e.get_xaxis_transform())
        (self.now_line,) = ax_e.plot([], [], color=style.TANGENT, lw=1.2)
        (self.now_dots,) = ax_e.plot([], [], "o", color=style.TANGENT, ms=6, mec="black")
        ax_e.legend(loc="upper right", fontsize=SMALL - 1)

        self.xs = np.linspace(-1, 1, self.GRID)
        ax_f.set(xlim=(-1.05, 1.05), ylim=(-0.03, 1.3), yticks=np.linspace(0, 1, 6), xlabel="input x",
                 ylabel="target t / output y")
        ax_f.set_title("fitted function", fontsize=SMALL + 1)
        ax_f.plot(self.xs, datasets.true_curve(self.xs), color=style.COLORS["black"], lw=1, ls=":",
                  label="true curve")
        (self.val_pts,) = ax_f.plot([], [], "o", mfc="none", mec=style.PIRATE, ms=4, alpha=0.7, label="validation")
        (self.train_pts,) = ax_f.plot([], [], "o", color=style.CURVE, ms=5, label="training")
        (self.best_fit,) = ax_f.plot([], [], color=style.SECANT, lw=2, label="at early stop")
        (self.fit,) = ax_f.plot([], [], color=style.TANGENT, lw=1.6, label="at chosen epoch")
        ax_f.legend(loc="upper center", fontsize=SMALL - 1, ncols=3, columnspacing=1.0, handlelength=1.6)
        for artist in (self.now_line, self.now_dots, self.fit):
            self.track(artist)
        self.load(self.params.get("experiment") or default_experiment())

    def load(self, experiment: training.Experiment) -> None:
        """Show another run: redraw the static curves, precompute every epoch's fitted function."""
        self.exp, run = experiment, experiment.run
        self.fits = fitted_functions(experiment, self.xs)
        epochs = np.arange(run.epochs + 1)
        self.train_line.set_data(epochs, run.train_error)
        self.val_line.set_data(epochs, run.validation_error)
        both = np.concatenate([run.train_error, run.validation_error])
        self.lo, self.hi = both.min() / 1.5, both.max() * 1.5
        self.ax_e.set(xlim=(0, max(run.epochs, 1)), ylim=(self.lo, self.hi))
        best, stop = experiment.stop.best_epoch, experiment.stop.stop_epoch
        self.best_line.set_xdata([best, best])
        self.stop_line.set_xdata([stop, stop])
        self.best_text.set_position((best + 0.01 * run.epochs, 0.97))
        self.best_text.set_text(f"min validation: epoch {best}\npatience rule stops: {stop}")
        self.train_pts.set_data(experiment.X_train[:, 0], experiment.T_train[:, 0])
        self.val_pts.set_data(experiment.X_val[:, 0], experiment.T_val[:, 0])
        self.best_fit.set_data(self.xs, self.fits[best])
        self.test_error = experiment.test_error
        self.full_redraw = True

    def limits(self) -> dict[str, tuple[float, float]]:
        return {"epoch": (0, self.exp.run.epochs)}  # a shorter run than MAX_EPOCHS ends the slider there

    def update(self, epoch: int) -> str:
        run, (stop, best) = self.exp.run, self.exp.stop
        e = int(np.clip(round(epoch), 0, run.epochs))
        tr, va = run.train_error, run.validation_error
        self.now_line.set_data([e, e], [self.lo, self.hi])
        self.now_dots.set_data([e, e], [tr[e], va[e]])
        self.fit.set_data(self.xs, self.fits[e])
        rel = 100 * (va[e] / va[best] - 1)
        order = "below" if tr[e] < va[e] else "above"
        return (f"epoch {e} of {run.epochs}: training E = {tr[e]:.4g} ({order} validation E = {va[e]:.4g})\n"
                f"early stopping (patience {self.exp.patience}): validation E is lowest at epoch {best} "
                f"({va[best]:.4g}); the rule stops at epoch {stop} and keeps epoch {best}'s weights\n"
                f"here validation E is {_pct(rel)} from its minimum, training E "
                f"{_pct(100 * (tr[e] / tr[best] - 1))} from its value at epoch {best}; "
                f"test E with the kept weights = {self.test_error:.4g}")
