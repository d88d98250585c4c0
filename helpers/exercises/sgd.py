"""Graders for notebooks 06–07 (stochastic gradients, mini-batch practice).

- "sgd.minibatch_gradient": `minibatch_gradient(x, y, w, b, batch)` → (∂J/∂w, ∂J/∂b) of the
  batch cost mean over i in batch of ½·(w·xᵢ + b − yᵢ)².
- "sgd.gradient_evaluations": `evaluations(n, batch_size, steps)` → per-example gradients
  evaluated after each of steps 1 … steps of shuffled-epoch mini-batches (the last batch of an
  epoch holds what is left, so it may be smaller).
- "sgd.epoch_batches": `epoch_batches(n, batch_size, rng)` → one shuffled epoch: a list of index
  arrays, without replacement, every index 0 … n−1 exactly once, the last batch what is left.
- "sgd.decayed_rate": `decayed_rate(lr0, k0, k)` → lr0·k0/(k0 + k), for a number or an array k.
"""
from __future__ import annotations

import numpy as np

from helpers.checks import Feedback
from helpers.exercises import register
from helpers.exercises.core import Case, Mistake, _call, check_function, is_stub, show

# ---------------------------------------------------------------- sgd.minibatch_gradient

_rng = np.random.default_rng(6)
_X = np.round(_rng.uniform(-1, 2, 12), 3)
_Y = np.round(2 * _X - 1 + _rng.standard_normal(12), 3)


def _batch_grad(x, y, w, b, batch, scale=1.0, reduce=np.mean, sign=1.0, everyone=False):
    idx = np.arange(len(x)) if everyone else np.asarray(batch)
    r = sign * (w * x[idx] + b - y[idx])
    return scale * np.array([reduce(r * x[idx]), reduce(r)])


_GRAD_INPUTS = [
    ((_X, _Y, 0.5, -0.5, np.array([3])), "one example, batch = [3], w = 0.5, b = -0.5"),
    ((_X, _Y, -1.5, -2.5, np.array([0, 4, 7])), "batch = [0, 4, 7], w = -1.5, b = -2.5"),
    ((_X, _Y, 2.0, 1.0, np.array([5, 5, 11, 2])), "batch = [5, 5, 11, 2] (an index twice), w = 2, b = 1"),
    ((_X, _Y, 0.0, 0.0, np.arange(12)), "the whole dataset, batch = np.arange(12), w = b = 0"),
]
GRADIENT_CASES = [Case(args, _batch_grad(*args), label) for args, label in _GRAD_INPUTS]
GRADIENT_MISTAKES = [
    Mistake("the sum instead of the mean", lambda *a: _batch_grad(*a, reduce=np.sum),
            "The batch cost is the mean of ½·rᵢ² over the batch: divide the sums by len(batch)."),
    Mistake("the gradient of mean r², not mean ½r²", lambda *a: _batch_grad(*a, scale=2.0),
            "The ½ in ½·r² cancels the 2 of the derivative: ∂(½r²)/∂w = r·x, no factor 2."),
    Mistake("the residual the wrong way round", lambda *a: _batch_grad(*a, sign=-1.0),
            "With r = w·x + b − y the gradient is (mean(r·x), mean(r)); y − (w·x + b) flips its sign."),
    Mistake("every example used, not only the batch", lambda *a: _batch_grad(*a, everyone=True),
            "Index the data with the batch first: x[batch], y[batch]."),
]


@register("sgd.minibatch_gradient", "minibatch_gradient(x, y, w, b, batch): the mean gradient of ½(w·x + b − y)² "
          "over the examples in batch")
def grade_minibatch_gradient(answer) -> Feedback:
    return check_function(answer, GRADIENT_CASES, mistakes=GRADIENT_MISTAKES, output_names=("dJ/dw", "dJ/db"),
                          hint="For the batch: r = w*x[batch] + b - y[batch], then (mean of r*x[batch], mean of r).")


# ---------------------------------------------------------------- sgd.gradient_evaluations


def _evaluations(n, B, steps):
    sizes = []
    while len(sizes) < steps:
        sizes += [min(B, n - s) for s in range(0, n, B)]
    return np.cumsum(sizes[:steps]).astype(float)


EVALUATION_CASES = [Case(args, _evaluations(*args), label) for args, label in [
    ((10, 5, 4), "n = 10, batch_size = 5, steps = 4"),
    ((10, 3, 6), "n = 10, batch_size = 3, steps = 6 (each epoch: 3, 3, 3, then 1 left)"),
    ((7, 7, 3), "n = 7, batch_size = 7, steps = 3 (full batch)"),
    ((2000, 1024, 5), "n = 2000, batch_size = 1024, steps = 5"),
    ((5, 1, 1), "n = 5, batch_size = 1, steps = 1"),
]]
EVALUATION_MISTAKES = [
    Mistake("every batch counted as full", lambda n, B, s: B * np.arange(1, s + 1.0),
            "The last batch of each epoch holds only what is left of the n examples (n − B·⌊n/B⌋ of them)."),
    Mistake("steps counted instead of examples", lambda n, B, s: np.arange(1, s + 1.0),
            "Work is measured in per-example gradients: a step on a batch of B costs B of them."),
    Mistake("the count before each step, not after", lambda n, B, s: np.concatenate([[0.0], _evaluations(n, B, s)[:-1]]),
            "Entry k is the total after step k + 1: the first entry is the size of the first batch."),
]


@register("sgd.gradient_evaluations", "evaluations(n, batch_size, steps): per-example gradients evaluated after "
          "each step of shuffled-epoch mini-batches")
def grade_gradient_evaluations(answer) -> Feedback:
    return check_function(answer, EVALUATION_CASES, mistakes=EVALUATION_MISTAKES,
                          hint="List the batch sizes of one epoch (B, B, …, what is left), repeat them for as "
                               "many epochs as needed, keep `steps` of them, and take the running total.")


# ---------------------------------------------------------------- sgd.epoch_batches

EPOCH_CASES = [(10, 3, 0), (12, 4, 1), (7, 7, 2), (9, 1, 3), (50, 16, 4)]


def _label(n, B, seed):
    return f"n = {n}, batch_size = {B}, rng = np.random.default_rng({seed})"


def _as_batches(value):
    """The learner's epoch as a list of 1-D integer arrays, or a sentence saying why it is not one."""
    if value is None:
        return "your function returned None — did you forget `return`?"
    if isinstance(value, np.ndarray) and value.ndim == 1:
        return "your function returned one flat array; return a list of batches (one index array per step)"
    try:
        batches = [np.asarray(b) for b in value]
    except TypeError:
        return f"expected a list of index arrays, got {show(value, 60)}"
    for k, b in enumerate(batches):
        if b.ndim != 1:
            return f"batch {k} should be a 1-D array of indices, but has shape {b.shape}"
        if b.size and not (np.issubdtype(b.dtype, np.integer) or
                           (np.issubdtype(b.dtype, np.floating) and np.all(b == np.round(b)))):
            return f"batch {k} should hold whole-number indices, got {show(b, 60)}"
    return [b.astype(int) for b in batches]


def _epoch_verdict(batches, n, B):
    """(problem, mistake name, hint) for an epoch that is wrong, or None when it is right."""
    sizes = [len(b) for b in batches]
    want = [B] * (n // B) + ([n % B] if n % B else [])
    flat = np.concatenate(batches) if batches else np.array([], dtype=int)
    if flat.size and (flat.min() < 0 or flat.max() >= n):
        return f"an index lies outside 0 … {n - 1}", "", ""
    counts = np.bincount(flat, minlength=n)
    if np.any(counts > 1):
        return (f"{int(np.sum(counts > 1))} indices appear more than once and {int(np.sum(counts == 0))} never",
                "sampling with replacement",
                "An epoch without replacement uses every example once: shuffle the indices once "
                "(rng.permutation(n)) and cut that order into consecutive batches.")
    if n % B and sizes == want[:-1]:
        return (f"the last {n % B} indices never appear", "the last partial batch dropped",
                f"When B does not divide n, the epoch ends with a smaller batch of what is left "
                f"(here {n % B}): keep it, or those examples are never used.")
    if np.any(counts == 0):
        return f"{int(np.sum(counts == 0))} indices never appear", "", ""
    if sizes != want:
        return f"the batch sizes are {sizes}, expected {want}", "", \
            "Cut the shuffled order into consecutive pieces of batch_size: order[s:s + batch_size]."
    if n > 2 and np.array_equal(flat, np.arange(n)):
        return "the indices come in order 0, 1, 2, …, not shuffled", "no shuffle", \
            "Shuffle first with the generator you are given: order = rng.permutation(n)."
    return None


@register("sgd.epoch_batches", "epoch_batches(n, batch_size, rng): one shuffled epoch, batches without replacement "
          "covering every index once")
def grade_epoch_batches(answer) -> Feedback:
    if answer is ... or answer is None or is_stub(answer):
        return check_function(answer, [])
    if not callable(answer):
        return check_function(answer, [])
    name = getattr(answer, "__name__", "your function")
    for n, B, seed in EPOCH_CASES:
        where = f"On the case {_label(n, B, seed)}"
        runs = []
        for _ in range(2):
            out = _call(answer, (n, B, np.random.default_rng(seed)), 1.0)
            if out.timed_out:
                return Feedback("wrong", f"{where}, {name} ran longer than 1 s and was stopped. "
                                         "Is there a loop that never ends?", case=_label(n, B, seed), mistake="timeout")
            if out.error is not None:
                text = str(out.error).strip().splitlines()[0] if str(out.error).strip() else ""
                return Feedback("wrong", f"{where}, {name} raised {type(out.error).__name__}"
                                         + (f": {text[:200]}" if text else "") + ".",
                                case=_label(n, B, seed), mistake="raised")
            batches = _as_batches(out.value)
            if isinstance(batches, str):
                return Feedback("wrong", f"{where}: {batches}.", case=_label(n, B, seed),
                                mistake="none" if out.value is None else "")
            runs.append(batches)
        verdict = _epoch_verdict(runs[0], n, B)
        if verdict is not None:
            problem, mistake, hint = verdict
            got = "[" + ", ".join(show(b, 40) for b in runs[0][:6]) + (", …" if len(runs[0]) > 6 else "") + "]"
            msg = f"{where}: {problem}.\n  got: {got}"
            if mistake:
                msg += f"\nThis looks like a common mistake: {mistake}. {hint}"
            elif hint:
                msg += f"\n{hint}"
            return Feedback("wrong", msg, case=_label(n, B, seed), mistake=mistake)
        if len(runs[0]) != len(runs[1]) or not all(np.array_equal(a, b) for a, b in zip(*runs)):
            return Feedback("wrong", f"{where}: two calls with generators of the same seed gave different "
                                     "epochs.\nThis looks like a common mistake: the rng argument ignored. Draw the "
                                     "shuffle from the generator you are given (rng.permutation(n)), not from "
                                     "np.random, so that a seed repeats the epoch.",
                            case=_label(n, B, seed), mistake="the rng argument ignored")
    return Feedback("right", f"{name} passes all {len(EPOCH_CASES)} cases.")


# ---------------------------------------------------------------- sgd.decayed_rate

DECAY_CASES = [Case(args, args[0] * args[1] / (args[1] + np.asarray(args[2], dtype=float)), label)
               for args, label in [
                   ((0.1, 300, 0), "lr0 = 0.1, k0 = 300, k = 0"),
                   ((0.1, 300, 300), "lr0 = 0.1, k0 = 300, k = 300"),
                   ((0.5, 15, 119), "lr0 = 0.5, k0 = 15, k = 119"),
                   ((0.2, 10, np.array([0, 5, 10, 90, 990])), "lr0 = 0.2, k0 = 10, k = np.array([0, 5, 10, 90, 990])"),
               ]]
DECAY_MISTAKES = [
    Mistake("k0 missing from the numerator", lambda lr0, k0, k: lr0 / (k0 + np.asarray(k, dtype=float)),
            "lr(0) must be lr0: multiply by k0 as well, lr0·k0/(k0 + k)."),
    Mistake("steps counted from 1", lambda lr0, k0, k: lr0 * k0 / (k0 + np.asarray(k, dtype=float) + 1),
            "Steps count from k = 0, where the rate is lr0 itself."),
    Mistake("1/(1 + k) without k0", lambda lr0, k0, k: lr0 / (1 + np.asarray(k, dtype=float)),
            "That halves the rate after one step already; k0 sets how many steps until it halves."),
    Mistake("an exponential decay", lambda lr0, k0, k: lr0 * 0.5 ** (np.asarray(k, dtype=float) / k0),
            "Halving every k0 steps shrinks too fast (the steps would add up to a finite distance); "
            "the rate asked for falls like 1/k: lr0·k0/(k0 + k)."),
]


@register("sgd.decayed_rate", "decayed_rate(lr0, k0, k): the learning rate lr0·k0/(k0 + k) of step k")
def grade_decayed_rate(answer) -> Feedback:
    return check_function(answer, DECAY_CASES, mistakes=DECAY_MISTAKES,
                          hint="At k = 0 the rate is lr0, at k = k0 half of it, and for large k it falls like 1/k.")
