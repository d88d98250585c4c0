"""Grader for the patience rule of early stopping (contract id "early_stopping.patience").

`stop_with_patience(val_errors, patience) -> (stop_epoch, best_epoch)`, epochs counted from 0:
only a strictly lower error is an improvement; training stops at the first epoch with
epoch − best_epoch ≥ patience, or at the last epoch if that never happens.
"""
from __future__ import annotations

import numpy as np

from helpers.checks import Feedback
from helpers.exercises import register
from helpers.exercises.core import Case, Mistake, check_function


def _patience(errors, patience, *, strict=True, slack=0, lookahead=False):
    errors = [float(e) for e in errors]
    best = 0
    for epoch, e in enumerate(errors):
        if e < errors[best] or (not strict and e <= errors[best] and epoch > 0):
            best = epoch
        elif epoch - best >= patience + slack:
            if lookahead:
                return epoch, int(np.argmin(errors))
            return epoch, best
    last = len(errors) - 1
    return last, (int(np.argmin(errors)) if lookahead else best)


_INPUTS = [
    (([1.0, 2.0, 3.0, 4.0, 5.0], 2), "val_errors = [1, 2, 3, 4, 5], patience = 2 (worse from the start)"),
    (([5.0, 4.0, 3.0, 2.0, 1.0], 2), "val_errors = [5, 4, 3, 2, 1], patience = 2 (always improving)"),
    (([3.0, 2.0, 2.0, 2.0, 1.0, 1.5], 2), "val_errors = [3, 2, 2, 2, 1, 1.5], patience = 2 (ties)"),
    (([3.0, 2.0, 2.0, 2.0, 2.0, 2.0, 1.0], 2), "val_errors = [3, 2, 2, 2, 2, 2, 1], patience = 2 (a plateau)"),
    (([2.0, 1.0, 1.5, 0.5], 1), "val_errors = [2, 1, 1.5, 0.5], patience = 1"),
    (([1.0, 0.9, 0.95, 0.97, 0.8, 0.85, 0.9, 0.91, 0.7], 3),
     "val_errors = [1, 0.9, 0.95, 0.97, 0.8, 0.85, 0.9, 0.91, 0.7], patience = 3"),
    (([0.7], 3), "val_errors = [0.7], patience = 3 (a single epoch)"),
    ((np.array([0.5, 0.4, 0.45, 0.41, 0.42]), 10),
     "val_errors = np.array([0.5, 0.4, 0.45, 0.41, 0.42]), patience = 10 (more patience than epochs)"),
]
CASES = [Case(args, _patience(*args), label) for args, label in _INPUTS]

MISTAKES = [
    Mistake("patience off by one: stopping one epoch early", lambda e, p: _patience(e, p, slack=-1),
            "Stop when epoch − best_epoch ≥ patience: with patience 2 and the best at epoch 0, stop at epoch 2."),
    Mistake("patience off by one: stopping one epoch late", lambda e, p: _patience(e, p, slack=+1),
            "Stop when epoch − best_epoch ≥ patience (not >): with patience 2 and the best at epoch 0, stop at 2."),
    Mistake("an equal error counted as an improvement (≤ instead of <)", lambda e, p: _patience(e, p, strict=False),
            "Only a strictly lower validation error is an improvement: use <, not <=."),
    Mistake("the best epoch taken from the whole run, including epochs after the stop",
            lambda e, p: _patience(e, p, lookahead=True),
            "While training you cannot see the future: best_epoch is the best among the epochs so far."),
    Mistake("the two results swapped", lambda e, p: _patience(e, p)[::-1],
            "Return (stop_epoch, best_epoch) in that order."),
]


@register("early_stopping.patience", "stop_with_patience(val_errors, patience) -> (stop_epoch, best_epoch)")
def grade_patience(answer) -> Feedback:
    return check_function(answer, CASES, mistakes=MISTAKES, output_names=("stop_epoch", "best_epoch"),
                          rtol=0.0, atol=1e-9,
                          hint="Keep best = 0; for each epoch: if the error is below the best, best = epoch; "
                               "elif epoch - best >= patience, return (epoch, best). After the loop return (last, best).")
