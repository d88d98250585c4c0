"""Training a network over epochs, and deciding when to stop. numpy only.

A network's weights and biases travel as one flat vector θ (`pack`/`unpack`), so the course's
single loop `descent.gradient_descent` trains a network exactly as it descends a valley.
Around it: a batched forward/backward pass that evaluates many parameter vectors at once (every
epoch's snapshot, or one network per learning rate, swept by the course's one `sweep`), what a
run did (`verdict`: converged, still descending, oscillating, saturated or diverged), and the
early-stopping rule. Each unit has its own bias (the article shares one per layer; notebook 11
shows the difference). The curvature λ_max that bounds a stable learning rate is in
`curvature`, the seeded data in `datasets`.
Shapes follow `helpers.network`: ``weights[l]`` is ``(n_out, n_in)``, a batch ``X`` is ``(n, n_in)``.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from itertools import islice
from typing import Callable, NamedTuple, Sequence

import numpy as np

from . import curvature, sweep
from .descent import gradient_descent
from .network import article_network, loss_and_gradients, sigmoid
from .sgd import batches_per_epoch, minibatches
from .datasets import noisy_curve, train_validation_test_split
from .validate import finite, positive, whole


# ---- parameters as one vector ---------------------------------------------------------------

def layer_sizes(weights: Sequence) -> list[int]:
    """Units per layer, input first: ``[n_in, n_hidden, …, n_out]``."""
    return [np.shape(weights[0])[1]] + [np.shape(W)[0] for W in weights]


def pack(weights: Sequence, biases: Sequence) -> np.ndarray:
    """All parameters as one vector θ: layer by layer, the weights row by row, then the biases."""
    return np.concatenate([np.ravel(a) for W, b in zip(weights, biases) for a in (W, b)]).astype(float)


def n_parameters(sizes: Sequence[int]) -> int:
    """Length of θ for a network with these layer sizes."""
    return sum(o * i + o for i, o in zip(sizes[:-1], sizes[1:]))


def _stack(thetas, sizes: Sequence[int]) -> np.ndarray:
    """`thetas` as a (S, P) float array, checked against the layer sizes."""
    thetas = np.atleast_2d(np.asarray(thetas, dtype=float))
    if thetas.ndim != 2 or thetas.shape[1] != n_parameters(sizes):
        raise ValueError(f"thetas must have shape (S, {n_parameters(sizes)}) for layer sizes {list(sizes)}, "
                         f"got {thetas.shape}")
    return thetas


def _layers(thetas: np.ndarray, sizes: Sequence[int]):
    """(W, b) per layer for a stack of parameter vectors: W is (S, n_out, n_in), b is (S, n_out)."""
    i = 0
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        W = thetas[:, i:i + n_in * n_out].reshape(-1, n_out, n_in)
        i += n_in * n_out
        yield W, thetas[:, i:i + n_out]
        i += n_out


def unpack(theta, sizes: Sequence[int]) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """The inverse of `pack`: ``(weights, biases)`` as views into θ."""
    theta = np.asarray(theta, dtype=float)
    if theta.shape != (n_parameters(sizes),):
        raise ValueError(f"theta must have shape ({n_parameters(sizes)},) for layer sizes {list(sizes)}, "
                         f"got {theta.shape}")
    layers = list(_layers(theta[None], sizes))
    return [W[0] for W, _ in layers], [b[0] for _, b in layers]


def init_network(sizes: Sequence[int], seed: int = 0, scale: float = 1.0) -> tuple[list, list]:
    """Random starting weights: layer 0 ~ N(0, scale²) with biases too, later layers ~ N(0, 1/n_in)
    with zero biases. Seeded. A hidden unit σ(w·x + b) switches at x = −b/w with slope w/4 there;
    for inputs in [−1, 1], scale 1 makes most units gentle ramps (nearly straight lines), scale 10
    makes steep steps that a sum of units can bend into a wiggly curve. Notebook 12 uses 10."""
    if len(sizes) < 2 or any(isinstance(s, bool) or not isinstance(s, (int, np.integer)) or s < 1 for s in sizes):
        raise ValueError(f"sizes must list at least two layer widths >= 1, got {list(sizes)!r}")
    scale = positive("scale", scale)
    rng = np.random.default_rng(seed)
    weights, biases = [], []
    for l, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        s = scale if l == 0 else 1 / np.sqrt(n_in)
        weights.append(rng.normal(0.0, s, (n_out, n_in)))
        biases.append(rng.normal(0.0, scale, n_out) if l == 0 else np.zeros(n_out))
    return weights, biases


# ---- many networks at once ------------------------------------------------------------------

def predict(thetas, sizes: Sequence[int], X) -> np.ndarray:
    """Outputs of S networks (one per row of `thetas`, shape (S, P)) on X: shape (S, n, n_out).

    Works through the networks in chunks, so thousands of epoch snapshots fit in memory.
    """
    thetas = _stack(thetas, sizes)
    X = np.asarray(X, dtype=float)
    chunk = max(1, 2_000_000 // (len(X) * max(sizes)))
    return np.concatenate([_predict(thetas[i:i + chunk], sizes, X) for i in range(0, len(thetas), chunk)])


def _predict(thetas: np.ndarray, sizes: Sequence[int], X: np.ndarray) -> np.ndarray:
    A = None
    for W, b in _layers(thetas, sizes):
        if A is None:  # the first layer of all S networks is one matrix product
            Z = (X @ W.reshape(-1, W.shape[2]).T).reshape(len(X), len(thetas), -1).transpose(1, 0, 2)
        else:
            Z = np.einsum("snh,soh->sno", A, W)
        A = sigmoid(Z + b[:, None, :])
    return A


def errors(thetas, sizes: Sequence[int], X, T) -> np.ndarray:
    """E = mean over examples of Σ ½(t − y)² for each row of `thetas`: shape (S,)."""
    Y = predict(thetas, sizes, X)
    return 0.5 * np.sum((np.asarray(T, dtype=float) - Y) ** 2, axis=(1, 2)) / Y.shape[1]


def batched_gradients(thetas, sizes: Sequence[int], X, T):
    """``(E, G, Y)`` for S networks at once: errors (S,), gradients (S, P), outputs (S, n, n_out).

    The same back-propagation as `network.loss_and_gradients`, with a leading axis over networks.
    """
    thetas = _stack(thetas, sizes)
    X, T = np.asarray(X, dtype=float), np.asarray(T, dtype=float)
    layers = list(_layers(thetas, sizes))
    acts = [X]  # (n, n_in); matmul broadcasts it over the S networks
    for W, b in layers:
        acts.append(sigmoid(acts[-1] @ W.transpose(0, 2, 1) + b[:, None, :]))
    Y, n = acts[-1], X.shape[0]
    diff = Y - T
    E = 0.5 * np.sum(diff * diff, axis=(1, 2)) / n
    delta = diff * Y * (1 - Y) / n                              # (S, n, n_out)
    parts = []
    for l in range(len(layers) - 1, -1, -1):
        parts[:0] = [(delta.transpose(0, 2, 1) @ acts[l]).reshape(len(thetas), -1), delta.sum(axis=1)]
        if l > 0:
            delta = (delta @ layers[l][0]) * acts[l] * (1 - acts[l])
    return E, np.concatenate(parts, axis=1), Y


# ---- training over epochs -------------------------------------------------------------------

def network_gradient(sizes: Sequence[int], X, T) -> Callable:
    """grad(θ, batch=None) of the error on (X, T), or on the rows `batch`: what gradient_descent takes."""
    X, T = finite("X", X), finite("T", T)

    def grad(theta, batch=None):
        Ws, bs = unpack(theta, sizes)
        xb, tb = (X, T) if batch is None else (X[batch], T[batch])
        _, dW, db = loss_and_gradients(Ws, bs, xb, tb)
        return pack(dW, db)

    return grad


@dataclass(frozen=True)
class TrainingRun:
    """`snapshots[e]` is θ after e epochs (row 0 is the start); errors per epoch on the training
    set and, if one was given, the validation set. `diverged_at` is the step that left the bound."""

    sizes: list
    snapshots: np.ndarray
    train_error: np.ndarray
    validation_error: np.ndarray | None
    steps_per_epoch: int
    diverged_at: int | None

    @property
    def epochs(self) -> int:
        return len(self.snapshots) - 1

    def network(self, epoch: int = -1) -> tuple[list, list]:
        """(weights, biases) after `epoch` epochs."""
        return unpack(self.snapshots[epoch], self.sizes)


def train(weights: Sequence, biases: Sequence, X, T, lr: float, epochs: int, *, batch_size: int | None = None,
          seed: int = 0, validation: tuple | None = None,
          progress: Callable[[int, int], None] | None = None) -> TrainingRun:
    """Train with `gradient_descent` for `epochs` passes over (X, T); keep θ after every epoch.

    Full batch (one step per epoch) unless `batch_size` is given: then mini-batches from
    `sgd.minibatches(n, batch_size, epochs, seed)`. `validation=(X_val, T_val)` adds the
    validation error per epoch. `progress(done, total)` is called every few epochs.
    """
    X, T = finite("X", X), finite("T", T)
    sizes = layer_sizes(weights)
    epochs = whole("epochs", epochs, 0)
    n = X.shape[0]
    batch = n if batch_size is None else whole("batch_size", batch_size, 1)
    per_epoch = batches_per_epoch(n, batch) if batch_size is not None else 1
    grad = network_gradient(sizes, X, T)
    sampler = iter(minibatches(n, batch, epochs, seed)) if batch_size is not None else None
    theta, snaps, diverged = pack(weights, biases), [pack(weights, biases)], None
    chunk = max(1, min(epochs, 50))  # epochs per call: bounds memory and paces `progress`
    done = 0
    while done < epochs and diverged is None:
        todo = min(chunk, epochs - done)
        batches = None if sampler is None else list(islice(sampler, todo * per_epoch))
        run = gradient_descent(grad, theta, lr, todo * per_epoch, batches=batches)
        snaps.extend(run.path[per_epoch::per_epoch])
        theta = run.final
        if run.diverged_at is not None:
            diverged = done * per_epoch + run.diverged_at
        done += todo
        if progress is not None:
            progress(done, epochs)
    snapshots = np.array(snaps)
    val = None if validation is None else errors(snapshots, sizes, *validation)
    return TrainingRun(sizes, snapshots, errors(snapshots, sizes, X, T), val, per_epoch, diverged)


@dataclass(frozen=True)
class RateSweep:
    """Full-batch runs for many learning rates at once: `errors[k, r]` and `outputs[k, r]` after
    k epochs at `rates[r]`; `max_weight[k, r]` is the largest |parameter|; `diverged_at[r]` is
    the epoch whose parameters left the bound (−1 if none did; the run stays where it was)."""

    rates: np.ndarray
    errors: np.ndarray
    outputs: np.ndarray
    max_weight: np.ndarray
    diverged_at: np.ndarray


def sweep_learning_rates(weights: Sequence, biases: Sequence, X, T, rates, epochs: int, *,
                         bound: float = 1e8) -> RateSweep:
    """The update θ ← θ − α·∇E(θ) for every α in `rates` side by side: `sweep.sweep_learning_rates`
    (one row of θ per rate, the whole path kept) with the network's back-propagated gradients."""
    rates = finite("rates", rates).ravel()
    if rates.size == 0 or np.any(rates <= 0):
        raise ValueError(f"rates must be a non-empty list of numbers > 0, got {rates!r}")
    epochs = whole("epochs", epochs, 0)
    X, T = finite("X", X), finite("T", T)
    sizes = layer_sizes(weights)
    run = sweep.sweep_learning_rates(lambda th: errors(th, sizes, X, T),
                                     lambda th: batched_gradients(th, sizes, X, T)[1],
                                     pack(weights, biases), rates, epochs, bound=bound, history=True)
    flat = run.path.reshape(-1, run.path.shape[-1])                   # ((epochs+1)·R, P)
    Y = predict(flat, sizes, X).reshape((epochs + 1, rates.size) + np.shape(T))
    E = 0.5 * np.sum((T - Y) ** 2, axis=(2, 3)) / len(X)
    return RateSweep(rates, E, Y, np.abs(run.path).max(axis=2), run.diverged_at)


STATUSES = ("converged", "still descending", "oscillating", "saturated", "diverged")


class Verdict(NamedTuple):
    """What a full-batch run did; `status` is one of `STATUSES`:

    - 'converged': E fell below tol·E₀ and stayed there (`step`: from which epoch);
    - 'still descending': E is still falling, more epochs needed;
    - 'oscillating': E still goes up and down in the second half of the run;
    - 'saturated': an output unit ended where its sigmoid is flat (y(1−y) tiny, so its gradient
      ≈ 0) with E stuck above tol·E₀: training cannot go on learning, whatever E reads
      (`step`: the epoch that unit's final flat stretch began);
    - 'diverged': the parameters became non-finite or left the bound (`step`: that epoch).

    `rises` counts the epochs in the second half at which E went up."""

    status: str
    step: int | None
    rises: int


def verdict(errors_per_epoch, outputs, targets, tol: float = 1e-5, flat: float = 0.01,
            diverged_at: int | None = None) -> Verdict:
    """Name what a run did (see `Verdict`). `flat` is the slope y(1−y) below which an output's
    sigmoid counts as flat; `diverged_at` is the epoch the parameters left their bound, if any
    (a sweep's `diverged_at[r]`, −1 or None for none)."""
    E = finite("errors_per_epoch", errors_per_epoch)
    if E.ndim != 1 or E.size < 2:
        raise ValueError(f"errors_per_epoch must be a 1-D sequence of at least 2 errors, got shape {E.shape}")
    Y = finite("outputs", outputs)
    if Y.shape[:1] != E.shape or Y.shape[1:] != np.shape(targets):
        raise ValueError(f"outputs must have shape {E.shape + np.shape(targets)} (one set per epoch), got {Y.shape}")
    Y = Y.reshape(len(E), -1)
    half = E[len(E) // 2:]
    rises = int(np.sum((half[1:] > half[:-1] * (1 + 1e-9)) & (half[:-1] > 1e-12)))
    if diverged_at is not None and diverged_at >= 0:
        return Verdict("diverged", int(diverged_at), rises)
    if E[-1] < tol * E[0]:
        above = np.nonzero(E >= tol * E[0])[0]
        return Verdict("converged", int(above[-1]) + 1, rises)
    is_flat = Y * (1 - Y) < flat                                   # (epochs+1, units)
    if is_flat[-1].any():
        starts = [len(E) - int(np.argmin(col[::-1])) if not col.all() else 0 for col in is_flat.T[is_flat[-1]]]
        return Verdict("saturated", min(starts), rises)
    return Verdict("oscillating" if rises else "still descending", None, rises)


def article_sweep(rates: Sequence[float], epochs: int) -> tuple[RateSweep, float, list[Verdict]]:
    """Every α of `rates` on the article's network for `epochs` epochs, the curvature λ_max of E
    at the start, and each run's `verdict`. Cached: a figure and a notebook share one sweep."""
    return _article_sweep(tuple(float(r) for r in rates), whole("epochs", epochs, 0))


@lru_cache(maxsize=4)
def _article_sweep(rates: tuple, epochs: int):
    weights, biases, x, t = article_network()
    result = sweep_learning_rates(weights, biases, x, t, rates, epochs)
    lam = curvature.largest_eigenvalue(network_gradient(layer_sizes(weights), x, t), pack(weights, biases))
    verdicts = [verdict(result.errors[:, r], result.outputs[:, r], t, diverged_at=int(result.diverged_at[r]))
                for r in range(result.rates.size)]
    return result, lam, verdicts


def breaking_rate(rates, verdicts: Sequence[Verdict]) -> float | None:
    """The smallest α whose run saturated or diverged (where training was seen to break), or None."""
    hits = [r for r, v in enumerate(verdicts) if v.status in ("saturated", "diverged")]
    return float(np.asarray(rates)[hits[0]]) if hits else None


# ---- when to stop ---------------------------------------------------------------------------

class StopDecision(NamedTuple):
    """`stop_epoch`: where the patience rule ends training; `best_epoch`: the lowest validation
    error seen up to then (the weights to keep)."""

    stop_epoch: int
    best_epoch: int


def early_stopping(validation_errors, patience: int) -> StopDecision:
    """Stop once the validation error has not improved for `patience` epochs in a row.

    Walk the epochs in order, remembering the best (lowest) error so far; the first epoch that
    is `patience` epochs past that best is the stopping epoch. If that never happens, the run
    ends at its last epoch. Ties do not count as improvement.
    """
    v = finite("validation_errors", validation_errors)
    if v.ndim != 1 or v.size == 0:
        raise ValueError(f"validation_errors must be a non-empty 1-D sequence, got shape {v.shape}")
    patience = whole("patience", patience, 1)
    best = 0
    for epoch in range(1, v.size):
        if v[epoch] < v[best]:
            best = epoch
        elif epoch - best >= patience:
            return StopDecision(epoch, best)
    return StopDecision(v.size - 1, best)


@dataclass(frozen=True)
class Experiment:
    """One over-fitting run: the split data, the training run, where early stopping stops, and
    the error on a held-out test set (looked at only after the stopping epoch was chosen)."""

    X_train: np.ndarray
    T_train: np.ndarray
    X_val: np.ndarray
    T_val: np.ndarray
    X_test: np.ndarray
    T_test: np.ndarray
    run: TrainingRun
    stop: StopDecision
    patience: int
    lr: float

    @property
    def test_error(self) -> float:
        """E on the test set with the weights early stopping keeps (those of `stop.best_epoch`)."""
        return float(errors(self.run.snapshots[self.stop.best_epoch], self.run.sizes, self.X_test, self.T_test)[0])


def overfitting_experiment(hidden: int = 40, lr: float = 1.0, n_train: int = 12, epochs: int = 1500, *,
                           n_validation: int = 48, n_test: int = 40, noise: float = 0.15, batch_size: int = 6,
                           patience: int = 100, scale: float = 10.0, seed: int = 8,
                           progress: Callable[[int, int], None] | None = None) -> Experiment:
    """`noisy_curve` split into n_train training, n_validation validation and n_test test examples,
    a 1-`hidden`-1 network from `init_network` (first-layer weights of size `scale`: steep hidden
    units, see `init_network`), mini-batch training for `epochs`, and the early-stopping decision."""
    n_train, n_validation = whole("n_train", n_train, 1), whole("n_validation", n_validation, 1)
    n = n_train + n_validation + whole("n_test", n_test, 1)
    X, T = noisy_curve(n, noise, seed)
    tr, va, te = train_validation_test_split(n, n_validation, n_test, seed)
    weights, biases = init_network([1, whole("hidden", hidden, 1), 1], seed, scale)
    run = train(weights, biases, X[tr], T[tr], lr, epochs, batch_size=min(batch_size, n_train), seed=seed,
                validation=(X[va], T[va]), progress=progress)
    return Experiment(X[tr], T[tr], X[va], T[va], X[te], T[te], run,
                      early_stopping(run.validation_error, patience), patience, float(lr))
