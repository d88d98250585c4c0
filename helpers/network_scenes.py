"""Notebook 09's interactive figures: the article's 2-2-2 network drawn with its numbers.

`BackpropStepScene` steps through the backward pass one quantity at a time, layer by layer;
`LiveNetworkScene` recomputes the forward values, the gradients and one update step for the
inputs, targets and learning rate a learner picks. The biases are shared per layer, as in the
article. Text is the slow part of a matplotlib frame (about 1 ms per label), so the graph and
its labels are drawn once; an update moves highlighter strokes, rings and masks, and changes
numbers through `path_text.MonoText`. The numbers come from `article_example.scalar_backward`.
"""
from __future__ import annotations

import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.patches import Circle, FancyBboxPatch

from . import style
from .article_example import BIAS_EDGES, UNITS, WEIGHT_EDGES, WEIGHT_INDEX, one_step, scalar_backward
from .controls import Slider, Toggle
from .fastfig import Scene, register
from .graph_drawing import draw_graph
from .network import article_network
from .path_text import MonoText, box_verts, num, point_boxes, shifted, text_width

POSITIONS = {"x1": (0.0, 1.6), "x2": (0.0, 0.0), "H1": (3.0, 1.6), "H2": (3.0, 0.0),
             "Y1": (6.0, 1.6), "Y2": (6.0, 0.0), "b1": (1.5, -1.45), "b2": (4.5, -1.45)}
RADIUS = 0.55
FIGSIZE = (8.0, 3.6)  # every pixel costs PNG-encoding time: the frame budget sets the size
EDGES = list(WEIGHT_EDGES.values()) + BIAS_EDGES


def label_position(edge) -> tuple[float, float]:
    """Where an edge's label sits: mid-edge for level edges, 35 % along for the crossing ones."""
    (x0, y0), (x1, y1) = POSITIONS[edge[0]], POSITIONS[edge[1]]
    f = 0.5 if y0 == y1 else 0.35
    return x0 + f * (x1 - x0), y0 + f * (y1 - y0)


def edge_segment(edge) -> np.ndarray:
    """The visible part of an edge, from rim to rim, as a (2, 2) array."""
    p, q = np.array(POSITIONS[edge[0]]), np.array(POSITIONS[edge[1]])
    u = (q - p) / np.linalg.norm(q - p)
    return np.array([p + u * RADIUS, q - u * RADIUS])


def draw_network(ax, weights, biases, fontsize: float = 8.0):
    """The 2-2-2 network with its shared bias nodes: names in the nodes (raised 8 pt, room for
    values below), each weight's name and value on its edge (raised 5 pt, room for a gradient
    below). Returns the `GraphArtists`."""
    labels = {}
    for w, (layer, r, c) in WEIGHT_INDEX.items():
        labels[WEIGHT_EDGES[w]] = f"{w} = {weights[layer][r, c]:.2f}"
    names = {n: n for n in POSITIONS}
    names.update(b1=f"b1 = {biases[0][0]:.2f}", b2=f"b2 = {biases[1][0]:.2f}")
    art = draw_graph(ax, POSITIONS, EDGES, node_labels=names, edge_labels=labels, radius=RADIUS,
                     fontsize=fontsize)
    for edge, text in art.edge_text.items():
        text.set_position(label_position(edge))
        text.set_transform(shifted(ax, 5 if edge[0][0] != "b" else 0))
    for name, text in art.node_text.items():
        text.set_position(POSITIONS[name])
        text.set_transform(shifted(ax, 8 if name[0] != "b" else 6))
        text.set_fontweight("bold")
    for name in ("x1", "x2"):
        art.nodes[name].set_facecolor("#f2f2f2")
    ax.set(xlim=(-0.65, 6.65), ylim=(-2.05, 2.2))
    return art


def _steps(q: dict, weights, lr: float) -> list[dict]:
    """The step-through script, output layer first: per step the nodes and edges to light up,
    the names of the gradients and δs known so far, a short callout and the full explanation."""
    W = {w: weights[i][r, c] for w, (i, r, c) in WEIGHT_INDEX.items()}
    E = WEIGHT_EDGES
    steps = [dict(callout=f"forward pass done\nE = {q['E']:.6f}",
                  text=(f"Forward pass done, left to right: out_Y1 = {q['Y1']:.5f}, out_Y2 = {q['Y2']:.5f}, "
                        f"E = ½(t1 − out_Y1)² + ½(t2 − out_Y2)² = {q['E']:.6f}. Now go back, layer by layer."))]
    steps.append(dict(nodes=("Y1",), callout=f"∂E/∂out_Y1\n= {q['dE/dout_Y1']:+.5f}",
                      text=(f"Y1, the article's component 1: ∂E/∂out_Y1 = out_Y1 − t1 = {q['Y1']:.5f} − "
                            f"{q['t1']:.2f} = {q['dE/dout_Y1']:+.5f}")))
    steps.append(dict(nodes=("Y1",), deltas=("Y1",), callout=f"δ_Y1 = ∂E/∂net_Y1\n= {q['d_Y1']:+.5f}",
                      text=(f"Y1, component 2 (the sigmoid's slope): ∂out_Y1/∂net_Y1 = out(1 − out) = "
                            f"{q['dsig_Y1']:.5f}, so δ_Y1 = ∂E/∂net_Y1 = {q['dE/dout_Y1']:.5f} × "
                            f"{q['dsig_Y1']:.5f} = {q['d_Y1']:+.5f}")))
    steps.append(dict(nodes=("Y2",), deltas=("Y2",), callout=f"δ_Y2 = ∂E/∂net_Y2\n= {q['d_Y2']:+.5f}",
                      text=(f"Y2, the same two factors: ∂E/∂out_Y2 = {q['Y2']:.5f} − {q['t2']:.2f} = "
                            f"{q['dE/dout_Y2']:+.5f}, ∂out_Y2/∂net_Y2 = {q['dsig_Y2']:.5f}, "
                            f"δ_Y2 = {q['d_Y2']:+.5f}")))
    for unit, (a, b) in (("Y1", ("w5", "w6")), ("Y2", ("w7", "w8"))):
        steps.append(dict(nodes=(unit,), edges=(E[a], E[b]), grads=(a, b),
                          callout=f"∂E/∂{a} = {q['dE/d' + a]:+.5f}\n∂E/∂{b} = {q['dE/d' + b]:+.5f}",
                          text=(f"Weights into {unit}, component 3: ∂net_{unit}/∂{a} = out_{E[a][0]}. "
                                f"∂E/∂{a} = δ_{unit} × out_{E[a][0]} = {q['d_' + unit]:+.5f} × "
                                f"{q[E[a][0]]:.5f} = {q['dE/d' + a]:+.5f}; "
                                f"∂E/∂{b} = δ_{unit} × out_{E[b][0]} = {q['dE/d' + b]:+.5f}")))
    steps.append(dict(nodes=("b2",), edges=(("b2", "Y1"), ("b2", "Y2")), grads=("b2",),
                      callout=f"∂E/∂b2 = δ_Y1 + δ_Y2\n= {q['dE/db2']:+.5f}",
                      text=(f"The shared bias b2 feeds Y1 and Y2, so it collects both: ∂E/∂b2 = δ_Y1 + δ_Y2 = "
                            f"{q['d_Y1']:+.5f} + ({q['d_Y2']:+.5f}) = {q['dE/db2']:+.5f}")))
    for unit, (a, b) in (("H1", ("w5", "w7")), ("H2", ("w6", "w8"))):
        steps.append(dict(nodes=(unit,), edges=(E[a], E[b]), deltas=(unit,),
                          callout=f"δ_{unit} = {q['d_' + unit]:+.6f}",
                          text=(f"{unit} feeds Y1 and Y2: sum over both paths back. ∂E/∂out_{unit} = "
                                f"δ_Y1·{a} + δ_Y2·{b} = {q['d_Y1']:+.5f}·{W[a]:.2f} + ({q['d_Y2']:+.5f})·"
                                f"({W[b]:.2f}) = {q['dE/dout_' + unit]:+.5f}; δ_{unit} = that × "
                                f"out(1 − out) = {q['dE/dout_' + unit]:+.5f} × {q['dsig_' + unit]:.5f} = "
                                f"{q['d_' + unit]:+.6f}")))
    for unit, (a, b) in (("H1", ("w1", "w2")), ("H2", ("w3", "w4"))):
        steps.append(dict(nodes=(unit,), edges=(E[a], E[b]), grads=(a, b),
                          callout=f"∂E/∂{a} = {q['dE/d' + a]:+.6f}\n∂E/∂{b} = {q['dE/d' + b]:+.6f}",
                          text=(f"Weights into {unit}: δ_{unit} × input. ∂E/∂{a} = {q['d_' + unit]:+.6f} × "
                                f"{q[E[a][0]]:.2f} = {q['dE/d' + a]:+.6f}; ∂E/∂{b} = {q['d_' + unit]:+.6f} × "
                                f"{q[E[b][0]]:.2f} = {q['dE/d' + b]:+.6f}")))
    steps.append(dict(nodes=("b1",), edges=(("b1", "H1"), ("b1", "H2")), grads=("b1",),
                      callout=f"∂E/∂b1 = δ_H1 + δ_H2\n= {q['dE/db1']:+.6f}",
                      text=(f"The shared bias b1 feeds H1 and H2: ∂E/∂b1 = δ_H1 + δ_H2 = {q['d_H1']:+.6f} + "
                            f"({q['d_H2']:+.6f}) = {q['dE/db1']:+.6f}")))
    steps.append(dict(callout=f"update, α = {lr:g}\nE {q['E']:.6f}\n→ {q['E_after']:.6f}",
                      text=(f"Update every parameter against its gradient, p ← p − α·∂E/∂p with α = {lr:g} "
                            f"(e.g. w5: {W['w5']:.2f} → {W['w5'] - lr * q['dE/dw5']:.6f}). "
                            f"E before = {q['E']:.6f}, after = {q['E_after']:.6f}: one epoch on this example.")))
    grads, deltas = (), ()
    for s in steps:  # each step also shows what earlier steps computed
        grads, deltas = grads + s.get("grads", ()), deltas + s.get("deltas", ())
        s.update(grads=grads, deltas=deltas, nodes=s.get("nodes", ()), edges=s.get("edges", ()))
    return steps


@register
class BackpropStepScene(Scene):
    """Step through the backward pass of the article's network, one computed quantity per step:
    a ring marks the node being processed, a highlighter stroke the edges involved; the gradient
    labels and δs not computed yet are covered by grey boxes."""

    title = "09 back-propagation step by step"
    figsize = FIGSIZE
    controls = {"step": Slider(0, 12, 0, step=1, integer=True, play=True, label="step")}
    FONT = 7.0

    def draw_static(self):
        self.weights, self.biases, self.x, self.t = article_network()
        self.lr = 0.01
        q = self.q = scalar_backward(self.weights, self.biases, self.x, self.t)
        q["E_after"] = one_step(self.weights, self.biases, self.x, self.t, self.lr)[2]
        self.steps = _steps(q, self.weights, self.lr)
        ax, side = self.fig.subplots(1, 2, width_ratios=[3.4, 1])
        draw_network(ax, self.weights, self.biases, fontsize=self.FONT + 0.5)
        self.fig.suptitle("The article's network: forward values in the nodes, gradients on the edges",
                          fontsize=9.5)
        side.axis("off")
        f = self.FONT
        grad = dict(ha="center", va="center", fontsize=f - 0.5, color=style.TANGENT, zorder=4)
        # (name, anchor, dy in points, label) of every quantity the backward pass reveals
        hidden = [(w, label_position(e), -5, f"∂E/∂{w} = {q['dE/d' + w]:+.5f}") for w, e in WEIGHT_EDGES.items()]
        hidden += [("d_" + n, POSITIONS[n], -11, f"δ {q['d_' + n]:+.5f}") for n in UNITS]
        hidden += [(b, POSITIONS[b], -6, f"Σδ {q['dE/d' + b]:+.5f}") for b in ("b1", "b2")]
        for name, at, dy, label in hidden:
            box = dict(boxstyle="round,pad=0.1", fc="white", ec="none", alpha=0.85) if name[0] == "w" else None
            ax.text(*at, label, transform=shifted(ax, dy), bbox=box, **grad)
        for node in POSITIONS:
            if node[0] != "b":
                value = f"{q[node]:.2f}" if node[0] == "x" else f"{q[node]:.5f}"
                ax.text(*POSITIONS[node], value, transform=shifted(ax, -2), ha="center", va="center", fontsize=f)
        ax.text(6.0, -1.45, f"t1 = {q['t1']:.2f}\nt2 = {q['t2']:.2f}\nα = {self.lr:g}", ha="center",
                va="center", fontsize=f, color=style.MUTED)
        self.mask_names = [h[0] for h in hidden]
        self.centres = np.array([h[1] for h in hidden])
        sizes = [(text_width(h[3], f - 0.5), 1.25 * (f - 0.5)) for h in hidden]
        self.mask_verts = box_verts(sizes, [h[2] for h in hidden])
        self.masks = point_boxes(ax, self.centres, self.mask_verts, facecolor="#e6e6e6", edgecolor="none",
                                 zorder=5)
        self.rings = {n: ax.add_patch(Circle(POSITIONS[n], RADIUS * 1.08, fill=False, lw=3, ec=style.TANGENT,
                                             zorder=6)) for n in POSITIONS}
        self.strokes = ax.add_collection(LineCollection([], colors=style.TANGENT, linewidths=7, alpha=0.35,
                                                        capstyle="butt", zorder=6))
        side.text(0.0, 0.93, "just computed:", ha="left", va="top", fontsize=9, transform=side.transAxes)
        side.text(0.0, 0.08, "grey boxes:\nnot computed yet", ha="left", fontsize=7.5, color=style.MUTED,
                  transform=side.transAxes)
        side.add_patch(FancyBboxPatch((0.0, 0.42), 0.97, 0.4, boxstyle="round,pad=0.02", transform=side.transAxes,
                                      fc="white", ec=style.TANGENT, lw=1.5, clip_on=False))
        big, small = MonoText(8), MonoText(7.5)
        self.callout_paths = [big.path(s["callout"], ha="left") for s in self.steps]
        self.counter_paths = [small.path(f"step {k} of {len(self.steps) - 1}", ha="left")
                              for k in range(len(self.steps))]
        self.callout = big.patch(side, (0.04, 0.62), coords=side.transAxes)
        self.counter = small.patch(side, (0.0, 0.3), coords=side.transAxes, facecolor=style.MUTED)
        for artist in [self.masks, *self.rings.values(), self.strokes, self.callout, self.counter]:
            self.track(artist)

    def update(self, step: int) -> str:
        k = int(min(max(round(step), 0), len(self.steps) - 1))
        s = self.steps[k]
        hidden = [i for i, name in enumerate(self.mask_names)
                  if not (name in s["grads"] or (name.startswith("d_") and name[2:] in s["deltas"]))]
        self.masks.set_offsets(self.centres[hidden] if hidden else np.zeros((0, 2)))
        self.masks.set_verts([self.mask_verts[i] for i in hidden])
        for name, ring in self.rings.items():
            ring.set_visible(name in s["nodes"])
        self.strokes.set_segments([edge_segment(e) for e in s["edges"]])
        self.callout.set_path(self.callout_paths[k])
        self.counter.set_path(self.counter_paths[k])
        return f"step {k}/{len(self.steps) - 1}: {s['text']}"


@register
class LiveNetworkScene(Scene):
    """The article's network (its starting weights) on inputs and targets of the learner's choosing:
    forward values, every gradient and the error before and after one step, recomputed per change.
    Highlighter strokes show each gradient's sign (orange: raising the weight raises E) and size."""

    title = "09 live network"
    figsize = FIGSIZE
    controls = {
        "x1": Slider(0.0, 1.0, 0.95, step=0.01, label="input x1"),
        "x2": Slider(0.0, 1.0, 0.06, step=0.01, label="input x2"),
        "t1": Slider(0.0, 1.0, 0.05, step=0.01, label="target t1"),
        "t2": Slider(0.0, 1.0, 0.82, step=0.01, label="target t2"),
        "lr": Slider(0.001, 100.0, 0.01, log=True, label="learning rate α"),
        "freeze_biases": Toggle(False, label="freeze the biases"),
    }
    FONT = 7.0

    def draw_static(self):
        self.weights, self.biases, _, _ = article_network()
        ax, side = self.fig.subplots(1, 2, width_ratios=[3.4, 1])
        draw_network(ax, self.weights, self.biases, fontsize=self.FONT + 0.5)
        self.fig.suptitle("The article's network, live: forward values in the nodes, ∂E/∂w on the edges",
                          fontsize=9.5)
        side.axis("off")
        self.small, self.value, self.big = MonoText(self.FONT - 0.5), MonoText(self.FONT), MonoText(8)
        self.grad_text = {w: self.small.patch(ax, label_position(e), dy=-5, zorder=4) for w, e in WEIGHT_EDGES.items()}
        self.node_text = {n: self.value.patch(ax, POSITIONS[n], dy=-3, zorder=4) for n in ("x1", "x2", *UNITS)}
        self.bias_text = {b: self.small.patch(ax, POSITIONS[b], dy=-7, zorder=4) for b in ("b1", "b2")}
        side.text(0.0, 0.93, "one step of\ngradient descent", ha="left", va="top", fontsize=9,
                  transform=side.transAxes)
        self.error_text = self.big.patch(side, (0.0, 0.56), coords=side.transAxes, ha="left")
        side.text(0.0, 0.22, "edge strokes: ∂E/∂w\norange > 0: raising w raises E\nblue < 0\nwidth ∝ |∂E/∂w|",
                  ha="left", va="top", fontsize=7, color=style.MUTED, transform=side.transAxes)
        self.strokes = ax.add_collection(LineCollection([], linewidths=1, alpha=0.45, capstyle="butt", zorder=3))
        self.segments = [edge_segment(e) for e in EDGES]
        for artist in [self.strokes, *self.grad_text.values(), *self.node_text.values(),
                       *self.bias_text.values(), self.error_text]:
            self.track(artist)

    def update(self, x1, x2, t1, t2, lr, freeze_biases) -> str:
        x, t = np.array([[x1, x2]], float), np.array([[t1, t2]], float)
        q = scalar_backward(self.weights, self.biases, x, t)
        grads = [q["dE/d" + w] for w in WEIGHT_EDGES] + [q["d_" + dst] for _, dst in BIAS_EDGES]
        scale = max(max(abs(g) for g in grads), 1e-12)
        n = len(WEIGHT_EDGES) if freeze_biases else len(EDGES)
        self.strokes.set_segments(self.segments[:n])
        self.strokes.set_color([style.PIRATE if g > 0 else style.CURVE for g in grads[:n]])
        self.strokes.set_linewidth([1 + 9 * abs(g) / scale for g in grads[:n]])
        for w, patch in self.grad_text.items():
            patch.set_path(self.small.path(f"∂E/∂{w} {num(q['dE/d' + w], '+.5f')}"))
        for node, patch in self.node_text.items():
            patch.set_path(self.value.path(f"{q[node]:.2f}" if node.startswith("x") else f"{q[node]:.5f}"))
        for b, patch in self.bias_text.items():
            patch.set_path(self.small.path("frozen" if freeze_biases else f"Σδ {num(q['dE/d' + b], '+.5f')}"))
        new_w, new_b, e_after = one_step(self.weights, self.biases, x, t, lr, train_biases=not freeze_biases)
        change = e_after - q["E"]
        self.error_text.set_path(self.big.path(f"t1 {t1:.2f} t2 {t2:.2f}\nα = {lr:g}\n\nE before {q['E']:.6f}\n"
                                               f"E after  {e_after:.6f}\nchange {change:+.2e}", ha="left"))
        self.error_text.set_facecolor(style.SECANT if change < 0 else style.TANGENT)
        verdict = ("lower: the step went downhill" if change < 0 else
                   "HIGHER: α is so large that the step overshot" if change > 0 else "unchanged")
        lines = [f"E before = {q['E']:.6f}   E after one step (α = {lr:g}) = {e_after:.6f}   ({verdict})",
                 f"{'param':<6}{'value':>9}{'∂E/∂p':>12}{'new value':>12}"]
        for w, (layer, r, c) in WEIGHT_INDEX.items():
            lines.append(f"{w:<6}{num(self.weights[layer][r, c], '>9.2f')}{num(q['dE/d' + w], '>+12.6f')}"
                         f"{num(new_w[layer][r, c], '>12.6f')}")
        for b, layer in (("b1", 0), ("b2", 1)):
            lines.append(f"{b:<6}{num(self.biases[layer][0], '>9.2f')}{num(q['dE/d' + b], '>+12.6f')}"
                         f"{num(new_b[layer][0], '>12.6f')}"
                         + ("  (frozen: not updated)" if freeze_biases else "  (shared: δ of both units summed)"))
        return "\n".join(lines)
