"""Notebook 12's training panel: choose a network and a training-set size, press Train, scrub epochs.

Only wiring. Training is `training.overfitting_experiment` and runs when the button is pressed
(never on a slider move), with a progress bar if it takes more than a moment; the result is
loaded into the `OverfittingScene` of a `LiveFigure`, whose epoch slider then scrubs the stored
snapshots without retraining.
"""
from __future__ import annotations

import time

import ipywidgets as W

from . import training
from .controls import Slider
from .live import LiveFigure
from .sgd import batches_per_epoch
from .training_scenes import OverfittingScene

SLOW_STEPS = 3000  # runs with more mini-batch steps than this (about 0.3 s) show a progress bar
BATCH = 6          # mini-batch size (at most the training-set size)
# the learning rates the panel offers: two-digit decimals, so the slider shows exactly the α trained with
LR = Slider(0.01, 10.0, 1.0, log=True, label="learning rate α")


class TrainingWidget:
    """Sliders for hidden units, learning rate, training-set size and epochs, a Train button,
    and the scrubbing figure. `train()` does what the button does (usable from code).

    Pass `live=` an existing `LiveFigure(OverfittingScene, ...)` to drive that figure (shown
    again inside the panel, so each move is drawn into both views: twice the browser's work),
    or `experiment=` a run to start a new figure with.
    """

    def __init__(self, experiment: training.Experiment | None = None, *, live: LiveFigure | None = None,
                 hidden: int = 40, lr: float = 1.0, n_train: int = 12, epochs: int = 1500):
        if live is not None and not isinstance(live.scene, OverfittingScene):
            raise ValueError(f"live must show an OverfittingScene, got {type(live.scene).__name__}")
        if live is not None and experiment is not None:
            raise ValueError("give either experiment or live (whose figure already holds a run), not both")
        self.live = live or LiveFigure(OverfittingScene, params={"experiment": experiment} if experiment else None,
                                       epoch=self._epochs_of(experiment, epochs))
        common = dict(continuous_update=False, style={"description_width": "initial"},
                      layout=W.Layout(width="auto", min_width="260px"))
        self.hidden = W.IntSlider(value=hidden, min=1, max=100, description="hidden units", **common)
        self.lr = W.SelectionSlider(options=[(f"{v:g}", v) for v in LR.options], value=LR.snap(lr),
                                    description="learning rate α", **common)
        self.n_train = W.IntSlider(value=n_train, min=4, max=60, description="training examples", **common)
        self.epochs = W.IntSlider(value=epochs, min=100, max=OverfittingScene.MAX_EPOCHS, step=100,
                                  description="epochs", **common)
        self.button = W.Button(description="Train", button_style="primary", icon="play")
        self.progress = W.IntProgress(value=0, min=0, max=1, description="training",
                                      layout=W.Layout(visibility="hidden"))
        self.status = W.HTML("")
        self.button.on_click(lambda _: self.train())
        for s in (self.hidden, self.lr, self.n_train, self.epochs):
            s.observe(self._changed, names="value")
        self.widget = W.VBox([W.HBox([self.hidden, self.lr]), W.HBox([self.n_train, self.epochs]),
                              W.HBox([self.button, self.progress, self.status]), self.live.widget])

    @staticmethod
    def _epochs_of(experiment, default: int) -> int:
        return experiment.run.epochs if experiment is not None else default

    @property
    def settings(self) -> dict:
        return dict(hidden=self.hidden.value, lr=self.lr.value, n_train=self.n_train.value,
                    epochs=self.epochs.value)

    def _changed(self, _change) -> None:
        self.status.value = "<i>settings changed: press Train</i>"

    def train(self) -> training.Experiment:
        """Train with the sliders' settings and load the run into the figure."""
        s = self.settings
        steps = s["epochs"] * batches_per_epoch(s["n_train"], min(BATCH, s["n_train"]))
        slow = steps > SLOW_STEPS
        self.button.disabled = True
        self.progress.max, self.progress.value = s["epochs"], 0
        self.progress.layout.visibility = "visible" if slow else "hidden"
        start = time.perf_counter()
        try:
            exp = training.overfitting_experiment(
                s["hidden"], s["lr"], s["n_train"], s["epochs"], batch_size=BATCH,
                progress=(lambda done, total: setattr(self.progress, "value", done)) if slow else None)
        finally:
            self.button.disabled = False
            self.progress.layout.visibility = "hidden"
        self.live.scene.load(exp)  # new curves and snapshots: the static part changes
        self.live.fit_limits()  # the epoch slider ends at this run's last epoch
        self.live.scene.full_redraw = True
        self.live.set(epoch=exp.run.epochs)  # one redraw, at the last epoch
        self.status.value = (f"trained {s['epochs']} epochs ({steps} mini-batch steps) in "
                             f"{time.perf_counter() - start:.2f} s")
        return exp

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v:.3g}" if isinstance(v, float) else f"{k}={v}" for k, v in self.settings.items())
        return f"TrainingWidget({args}; {self.live!r})"

    def _repr_mimebundle_(self, **kwargs):
        data = self.widget._repr_mimebundle_(**kwargs)
        data["text/plain"] = repr(self)  # short and deterministic, so nbval can check it
        return data
