"""The article's 2-2-2 example as plain numbers: what it prints, the search for its missing weights,
the chain rule with scalars (w5 and w1 exactly as the article splits them, then every parameter),
and one update step with the article's shared biases.

The article prints w1, w2, w5, w6 and one shared bias per layer, but its weight table is lost;
`search` finds the two-decimal w3, w4, w7, w8 that reproduce every number it prints. numpy only.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .network import loss_and_gradients, sigmoid

# What the article gives.
KNOWN = {"w1": 0.10, "w2": 0.15, "b1": 0.05, "w5": 0.18, "w6": 0.06, "b2": 0.42}
X = (0.95, 0.06)
T = (0.05, 0.82)
ALPHA = 0.01
RECONSTRUCTED = {"w3": 0.00, "w4": 0.39, "w7": -0.39, "w8": 0.78}

# The network's structure by name: weight → (from, to), and where it sits in `weights[layer][row, col]`.
WEIGHT_EDGES = {"w1": ("x1", "H1"), "w2": ("x2", "H1"), "w3": ("x1", "H2"), "w4": ("x2", "H2"),
                "w5": ("H1", "Y1"), "w6": ("H2", "Y1"), "w7": ("H1", "Y2"), "w8": ("H2", "Y2")}
WEIGHT_INDEX = {f"w{k + 1}": (k // 4, (k % 4) // 2, k % 2) for k in range(8)}
BIAS_EDGES = [("b1", "H1"), ("b1", "H2"), ("b2", "Y1"), ("b2", "Y2")]
UNITS = {"H1": (0, 0), "H2": (0, 1), "Y1": (1, 0), "Y2": (1, 1)}  # unit → (layer, index)

# What it prints: (value, decimals printed, how it shortened). The long numbers (5–6 decimals,
# as a calculator shows them) read as rounded; the short ones the author retyped are sometimes
# cut instead (0.63368 → "0.633", 0.01463 → "0.014"): "either".
PRINTED_FORWARD = {
    "net_H1": (0.154, 3, "either"), "out_H1": (0.538, 3, "either"), "out_H2": (0.52, 2, "either"),
    "net_Y1": (0.548, 3, "either"), "out_Y1": (0.63368, 5, "round"), "out_Y2": (0.64893, 5, "round"),
    "out_Y1 (short)": (0.633, 3, "either"), "out_Y2 (short)": (0.648, 3, "either"),
    "E1": (0.17, 2, "either"), "E2": (0.014, 3, "either"), "E": (0.184972, 6, "round"),
}
PRINTED_BACKWARD = {"dE/dout_Y1": (0.58368, 5, "round"), "dout_Y1/dnet_Y1": (0.23213, 5, "round"),
                    "dnet_Y1/dw5": (0.538, 3, "either")}


def _how(value, printed: float, decimals: int) -> np.ndarray:
    """0: no match, 1: `value` rounds to `printed` at `decimals`, 2: only cutting the digits gives it."""
    if decimals < 0:
        raise ValueError(f"decimals must be >= 0, got {decimals}")
    scale = 10.0 ** decimals
    v = np.asarray(value, dtype=float) * scale
    target = round(printed * scale)
    return np.where(np.floor(v + 0.5) == target, 1, np.where(np.trunc(v) == target, 2, 0))


def agreement(value, printed: float, decimals: int):
    """'rounded' if `value` rounds to `printed` at `decimals`, 'truncated' if only cutting the
    digits gives it (the article does both), else ''. Element-wise for arrays."""
    return np.array(["", "rounded", "truncated"])[_how(value, printed, decimals)]


def agrees(value, printed: float, decimals: int, rule: str = "either"):
    """True where `value` shows as `printed` at `decimals`: by rounding (rule 'round') or by
    rounding or truncation (rule 'either')."""
    if rule not in ("round", "either"):
        raise ValueError(f"rule must be 'round' or 'either', got {rule!r}")
    how = _how(value, printed, decimals)
    return how == 1 if rule == "round" else how > 0


def forward_values(w3, w4, w7, w8, x=X, t=T) -> dict:
    """Every intermediate of the forward pass, broadcast over array-valued w3, w4, w7, w8."""
    k = KNOWN
    net_h1 = k["w1"] * x[0] + k["w2"] * x[1] + k["b1"]
    net_h2 = np.asarray(w3) * x[0] + np.asarray(w4) * x[1] + k["b1"]
    out_h1, out_h2 = sigmoid(net_h1), sigmoid(net_h2)
    net_y1 = k["w5"] * out_h1 + k["w6"] * out_h2 + k["b2"]
    net_y2 = np.asarray(w7) * out_h1 + np.asarray(w8) * out_h2 + k["b2"]
    out_y1, out_y2 = sigmoid(net_y1), sigmoid(net_y2)
    e1, e2 = 0.5 * (t[0] - out_y1) ** 2, 0.5 * (t[1] - out_y2) ** 2
    return {"net_H1": net_h1, "out_H1": out_h1, "net_H2": net_h2, "out_H2": out_h2,
            "net_Y1": net_y1, "out_Y1": out_y1, "net_Y2": net_y2, "out_Y2": out_y2,
            "out_Y1 (short)": out_y1, "out_Y2 (short)": out_y2, "E1": e1, "E2": e2, "E": e1 + e2}


def simplicity(w) -> tuple[float, int]:
    """How simple a weight vector is: (Σ|w|, number of nonzero digits in its two-decimal form)."""
    w = np.round(np.abs(np.asarray(w, dtype=float)) * 100).astype(int)
    return round(float(w.sum()) / 100, 2), sum(ch not in "0" for v in w for ch in str(v))


def _shows(value, name: str, strict: bool):
    printed, decimals, rule = PRINTED_FORWARD[name]
    return agrees(value, printed, decimals, rule if strict else "either")


@dataclass
class SearchResult:
    """The funnel of the search and its survivors (rows w3, w4, w7, w8, simplest first)."""

    stages: list[tuple[str, int]]
    solutions: np.ndarray
    grid: np.ndarray
    pairs: np.ndarray | None = None  # the (w3, w4) pairs that pass the first stage


def search(limit: float = 2.0, strict: bool = True) -> SearchResult:
    """Every two-decimal (w3, w4, w7, w8) in [−limit, limit]⁴ that reproduces the printed forward pass.

    `strict`: the long numbers must round to what is printed (see PRINTED_FORWARD); with
    ``strict=False`` cutting the digits is accepted for every number.
    w3, w4 only move H2 (hence Y1, E1); then w7, w8 move Y2 (hence E2, E). So the search filters
    the (w3, w4) plane first, then, for each distinct H2 left, the (w7, w8) plane, all vectorized.
    """
    if not (0 < limit <= 5):
        raise ValueError(f"limit must be in (0, 5] (the grid has (200·limit + 1)⁴ points), got {limit}")
    n = int(round(limit * 100))
    grid = np.arange(-n, n + 1) / 100
    w3, w4 = np.meshgrid(grid, grid, indexing="ij")
    hid = forward_values(w3, w4, 0.0, 0.0)
    ok = np.ones(w3.shape, bool)
    stages = [("(w3, w4) pairs on the grid", int(ok.size))]
    for name in ("out_H2", "net_Y1", "out_Y1", "out_Y1 (short)", "E1"):
        ok &= _shows(hid[name], name, strict)
        stages.append((f"… and {name} = {PRINTED_FORWARD[name][0]}", int(ok.sum())))
    pairs = np.column_stack([w3[ok], w4[ok]])
    # group the surviving pairs by the net input of H2 they give (several pairs give the same H2;
    # with two-decimal weights and x = (0.95, 0.06) the net input is a multiple of 0.0001)
    net_codes = np.round((pairs[:, 0] * X[0] + pairs[:, 1] * X[1]) * 1e4).astype(int)
    codes, which = np.unique(net_codes, return_inverse=True)
    first = np.array([np.flatnonzero(which == i)[0] for i in range(len(codes))])
    rep, counts = pairs[first], np.bincount(which, minlength=len(codes))
    stages.append(("(w3, w4, w7, w8) with those pairs", int(len(pairs) * grid.size ** 2)))
    # A loose pre-filter on net_Y2 (cheap: no exp) keeps every (w7, w8) whose out_Y2 could show as
    # printed, rounded or cut; the exact tests below then run on those few thousand only.
    hid_rep = forward_values(rep[:, 0], rep[:, 1], 0.0, 0.0)
    net_y2 = (grid[:, None] * hid_rep["out_H1"])[None] + (grid[None, :] * hid_rep["out_H2"][:, None, None]) \
        + KNOWN["b2"]
    printed, decimals, _ = PRINTED_FORWARD["out_Y2"]
    lo, hi = (np.log(p / (1 - p)) for p in (printed - 0.5 * 10.0 ** -decimals, printed + 10.0 ** -decimals))
    g, i, j = np.nonzero((net_y2 > lo - 1e-9) & (net_y2 < hi + 1e-9))
    vals = forward_values(rep[g, 0], rep[g, 1], grid[i], grid[j])
    ok2 = np.ones(len(g), bool)
    for name in ("out_Y2", "out_Y2 (short)", "E2", "E"):
        ok2 &= _shows(vals[name], name, strict)
        stages.append((f"… and {name} = {PRINTED_FORWARD[name][0]}", int(counts[g[ok2]].sum())))
    rows = []
    for gg, ii, jj in zip(g[ok2], i[ok2], j[ok2]):
        for p in np.flatnonzero(which == gg):
            rows.append((pairs[p, 0], pairs[p, 1], grid[ii], grid[jj]))
    rows.sort(key=lambda r: (simplicity(r), r))
    return SearchResult(stages, np.array(rows, dtype=float).reshape(-1, 4), grid, pairs)


def w5_chain(out_y1: float, t1: float, out_h1: float, alpha: float = ALPHA) -> dict:
    """∂E/∂w5 as the article splits it, three scalar factors, their product and the update w5 − α·g."""
    de_dout = out_y1 - t1                  # from E1 = ½(t1 − out)²: −(t1 − out)
    dout_dnet = out_y1 * (1 - out_y1)      # sigmoid'
    dnet_dw5 = out_h1                      # net_Y1 = w5·out_H1 + …
    grad = de_dout * dout_dnet * dnet_dw5
    return {"dE/dout_Y1": de_dout, "dout_Y1/dnet_Y1": dout_dnet, "dnet_Y1/dw5": dnet_dw5,
            "dE/dw5": grad, "w5 new": KNOWN["w5"] - alpha * grad}


def w1_chain(out_y: tuple[float, float], t: tuple[float, float], w_from_h1: tuple[float, float],
             out_h1: float, x1: float) -> dict:
    """∂E/∂w1 = (Σᵢ ∂E/∂outᵢ · ∂outᵢ/∂netᵢ · ∂netᵢ/∂out_H1) · ∂out_H1/∂net_H1 · ∂net_H1/∂w1.

    `w_from_h1` are the weights from H1 to Y1 and Y2 (w5, w7): the terms of the sum.
    """
    terms = [(o - ti) * o * (1 - o) * w for o, ti, w in zip(out_y, t, w_from_h1)]
    de_douth1 = math.fsum(terms)
    dout_dnet = out_h1 * (1 - out_h1)
    return {"terms": terms, "dE/dout_H1": de_douth1, "dout_H1/dnet_H1": dout_dnet,
            "dnet_H1/dw1": x1, "dE/dw1": de_douth1 * dout_dnet * x1}


def scalar_backward(weights, biases, x, t) -> dict:
    """Every number of one forward and backward pass of a 2-2-2 network, by name, one unit at a
    time (the scalar chain rule): outputs "H1"…"Y2", "E", δs "d_Y1"…, "dE/dw1"…"dE/dw8", and the
    shared biases' "dE/db1" = δ_H1 + δ_H2, "dE/db2" = δ_Y1 + δ_Y2."""
    if [np.shape(w) for w in weights] != [(2, 2), (2, 2)] or np.size(x) != 2 or np.size(t) != 2:
        raise ValueError(f"scalar_backward is for the 2-2-2 network: weights (2, 2) each, x and t of size 2; "
                         f"got weights {[np.shape(w) for w in weights]}, x {np.shape(x)}, t {np.shape(t)}")
    (W1, W2), x, t = weights, np.asarray(x, float).ravel(), np.asarray(t, float).ravel()
    net_h = W1 @ x + biases[0]
    h = sigmoid(net_h)
    net_y = W2 @ h + biases[1]
    y = sigmoid(net_y)
    q = {"x1": x[0], "x2": x[1], "t1": t[0], "t2": t[1], "H1": h[0], "H2": h[1], "Y1": y[0], "Y2": y[1],
         "E": float(np.sum(0.5 * (t - y) ** 2))}
    for i, name in enumerate(("Y1", "Y2")):
        q[f"dE/dout_{name}"] = y[i] - t[i]
        q[f"dsig_{name}"] = y[i] * (1 - y[i])
        q[f"d_{name}"] = q[f"dE/dout_{name}"] * q[f"dsig_{name}"]
    for i, name in enumerate(("H1", "H2")):
        q[f"dE/dout_{name}"] = q["d_Y1"] * W2[0, i] + q["d_Y2"] * W2[1, i]
        q[f"dsig_{name}"] = h[i] * (1 - h[i])
        q[f"d_{name}"] = q[f"dE/dout_{name}"] * q[f"dsig_{name}"]
    for w, (src, dst) in WEIGHT_EDGES.items():
        q[f"dE/d{w}"] = q[f"d_{dst}"] * q[src]
    q["dE/db1"] = q["d_H1"] + q["d_H2"]
    q["dE/db2"] = q["d_Y1"] + q["d_Y2"]
    return {k: float(v) + 0.0 for k, v in q.items()}  # + 0.0: no "-0.00000" when an input is 0


def one_step(weights, biases, x, t, lr: float, train_biases: bool = True):
    """One gradient-descent step, p ← p − lr·∂E/∂p, keeping each layer's bias shared (it moves by
    the sum of its units' gradients). Returns (new weights, new biases, E after)."""
    if not (np.isfinite(lr) and lr > 0):
        raise ValueError(f"lr must be a positive number, got {lr}")
    _, dW, db = loss_and_gradients(weights, biases, x, t)
    new_w = [W - lr * g for W, g in zip(weights, dW)]
    new_b = [b - (lr * g.sum() if train_biases else 0.0) for b, g in zip(biases, db)]
    return new_w, new_b, loss_and_gradients(new_w, new_b, x, t)[0]


def shared_bias_error(p: dict, x=X, t=T) -> float:
    """E = ½(t1 − out_Y1)² + ½(t2 − out_Y2)² of the article's network, for a dict of its ten
    parameters w1 … w8, b1, b2 (one bias shared per layer), written out with scalars."""
    h1 = sigmoid(p["w1"] * x[0] + p["w2"] * x[1] + p["b1"])
    h2 = sigmoid(p["w3"] * x[0] + p["w4"] * x[1] + p["b1"])
    y1 = sigmoid(p["w5"] * h1 + p["w6"] * h2 + p["b2"])
    y2 = sigmoid(p["w7"] * h1 + p["w8"] * h2 + p["b2"])
    return float(0.5 * (t[0] - y1) ** 2 + 0.5 * (t[1] - y2) ** 2)


def compare_with_article(**ours: float) -> str:
    """A table of forward-pass values (by PRINTED_FORWARD name: net_H1=…, out_Y1=…) beside what
    the article prints, and how each printed number agrees: rounded, truncated (cut) or not at all."""
    lines = [f"{'quantity':<10}{'ours':>12}  article (agreement)"]
    for name, value in ours.items():
        printed = [(p, d) for key, (p, d, _) in PRINTED_FORWARD.items() if key.split(" ")[0] == name]
        shown = ", ".join(f"{p:.{d}f} ({agreement(value, p, d) or 'NO MATCH'})" for p, d in printed)
        lines.append(f"{name:<10}{value:>12.8f}  {shown or 'not printed'}")
    return "\n".join(lines)


def shortening_report() -> str:
    """How the article shortens its numbers: cutting where rounding was due, and what each printed
    number must therefore match (the rules the search uses)."""
    e2 = 0.5 * (T[1] - 0.64893) ** 2
    lines = [f"0.63368 rounded to 3 decimals: {0.63368:.3f} (the article: 0.633); 0.64893: {0.64893:.3f} "
             f"(the article: 0.648)",
             f"E2 from the printed out_Y2: {e2:.6f}, rounds to {e2:.3f} (the article: 0.014)",
             f"{'quantity':<16}{'printed':>10}  how it must match"]
    for name, (value, decimals, rule) in PRINTED_FORWARD.items():
        how = "rounded" if rule == "round" else "rounded or cut"
        lines.append(f"{name:<16}{value:>10.{decimals}f}  {how}, {decimals} decimals")
    return "\n".join(lines)


def search_report(result: SearchResult, show: int = 6) -> str:
    """The search's funnel (candidates left after each printed number) and its simplest survivors."""
    lines = [f"{label:<40}{count:>10}" for label, count in result.stages]
    if result.pairs is not None and len(result.pairs):
        v = forward_values(result.pairs[:, 0], result.pairs[:, 1], 0.0, 0.0)
        lines.insert(6, f"   (the {len(result.pairs)} pairs give H2 a net input in [{v['net_H2'].min():.4f}, "
                        f"{v['net_H2'].max():.4f}], out_H2 in [{v['out_H2'].min():.5f}, {v['out_H2'].max():.5f}])")
    lines.append(f"\n{'w3':>6}{'w4':>7}{'w7':>7}{'w8':>7}   Σ|w|  nonzero digits")
    for row in result.solutions[:show]:
        total, digits = simplicity(row)
        lines.append("".join(f"{v + 0.0:>7.2f}" for v in row) + f"  {total:.2f}  {digits}")
    return "\n".join(lines)


def ambiguity_report(result: SearchResult) -> str:
    """Where the reconstruction is ambiguous, computed: (1) the runner-up gives H2 the same net
    input, so every printed number is the same; (2) reading every number as possibly cut admits
    other candidates; (3) rounded intermediates (H1 = 0.538, H2 = 0.52 carried forward) cannot give
    the printed E, so the article computed at full precision."""
    lines = []
    for row in result.solutions[:2]:
        v = forward_values(*row)
        lines.append(f"w3 = {row[0] + 0.0:+.2f}, w4 = {row[1] + 0.0:+.2f}: net_H2 = {v['net_H2']:.10f}, "
                     f"E = {v['E']:.10f}")
    strict, loose = search(limit=1.0), search(limit=1.0, strict=False)
    v = forward_values(*loose.solutions[0])
    lines += [f"in [−1, 1]⁴: {len(strict.solutions)} candidates if long numbers are rounded, "
              f"{len(loose.solutions)} if any number may be cut; the simplest loose one is "
              f"{[float(w) + 0.0 for w in loose.solutions[0]]}:",
              f"  its out_Y1 = {v['out_Y1']:.8f} ({agreement(v['out_Y1'], 0.63368, 5)}) but out_Y2 = "
              f"{v['out_Y2']:.8f} ({agreement(v['out_Y2'], 0.64893, 5)}): two 5-digit numbers shortened two ways"]
    y1 = sigmoid(KNOWN["w5"] * 0.538 + KNOWN["w6"] * 0.52 + KNOWN["b2"])
    w7, w8 = np.meshgrid(result.grid, result.grid)
    y2 = sigmoid(w7 * 0.538 + w8 * 0.52 + KNOWN["b2"])
    e = 0.5 * (T[0] - y1) ** 2 + 0.5 * (T[1] - y2) ** 2
    hits = int(np.sum(agrees(y2, 0.64893, 5, "round") & agrees(e, 0.184972, 6, "round")))
    window = 0.5 * (T[0] - y1) ** 2 + 0.5 * (T[1] - np.array([0.648925, 0.648935])) ** 2
    lines += [f"with H1 = 0.538, H2 = 0.52 carried forward: {hits} (w7, w8) pairs reproduce out_Y2 and E;",
              f"  for any out_Y2 that rounds to 0.64893, E lies in [{window.min():.7f}, {window.max():.7f}]: "
              f"never 0.184972"]
    return "\n".join(lines)
