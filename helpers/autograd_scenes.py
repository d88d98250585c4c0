"""Notebooks 10 and 13's interactive figures.

`BackwardPassScene` steps `helpers.autograd`'s backward pass through the graph of
z = x·y + x², one node of the reverse topological order per step: each node shows its value and
its gradient as it fills in (x's in two parts, one per path). `GradientSizesScene` draws the
gradient's size layer by layer in a deep network (`helpers.initialisation.DeepProbe`) for a
depth, activation and initial weight scale. Both draw their graphs and axes once; a step moves
rings, strokes and cached-glyph labels (`path_text.MonoText`).
"""
from __future__ import annotations

import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.patches import Circle

from . import style
from .autograd import Value, topological_order
from .controls import Choice, Slider
from .fastfig import Scene, register
from .graph_drawing import draw_graph
from .initialisation import ACTIVATIONS, DeepProbe, verdict
from .path_text import MonoText, shifted


def z_graph(x: float = 3.0, y: float = -3.0) -> tuple[Value, dict[str, Value]]:
    """z = x·y + x² built from Values; returns z and its nodes by name (x, y, x·y, x², z)."""
    vx, vy = Value(x, label="x"), Value(y, label="y")
    xy, x2 = vx * vy, vx ** 2
    z = xy + x2
    xy.label, x2.label, z.label = "x·y", "x²", "z"
    return z, {"x": vx, "y": vy, "x·y": xy, "x²": x2, "z": z}


def backward_steps(root: Value) -> list[dict]:
    """The backward pass as a script: after the forward pass and the seed ∂z/∂z = 1, one step
    per node in reverse topological order, that node passing local derivative × its gradient
    to each parent. Per step: the node (or None), the edges it uses, every node's gradient so
    far (by id), which have one (`known`) and which are complete (`done`: every node using it
    has passed back), and a sentence."""
    order = topological_order(root)
    grads = {id(n): 0.0 for n in order}
    users = {id(n): {id(c) for c in order if n in c.parents} for n in order}
    name = {id(n): n.label or n.op for n in order}
    passed: set[int] = set()

    def step(node, edges, text):
        done = {i for i, u in users.items() if u <= passed and i in known}
        return dict(node=node, edges=edges, grads=dict(grads), known=set(known), done=done, text=text)

    known: set[int] = set()
    steps = [step(None, (), f"forward pass done: z = {root.data:g}. Backward walks the order right to left.")]
    grads[id(root)] = 1.0
    known.add(id(root))
    steps.append(step(root, (), "seed: ∂z/∂z = 1"))
    for node in reversed(order):
        passed.add(id(node))
        if not node.parents:
            continue
        parts = []
        for parent, local in zip(node.parents, node.local_grads):
            grads[id(parent)] += local * grads[id(node)]
            known.add(id(parent))
            parts.append(f"∂z/∂{name[id(parent)]} += {local:g} × {grads[id(node)]:g} → {grads[id(parent)]:g}")
        steps.append(step(node, tuple((name[id(p)], name[id(node)]) for p in node.parents),
                          f"{name[id(node)]} ({node.op}) passes back: " + "; ".join(parts)))
    steps.append(step(None, (), "done: " + ", ".join(f"∂z/∂{name[id(n)]} = {grads[id(n)]:g}"
                                                     for n in order if not n.parents)))
    return steps


POSITIONS = {"x": (0.0, 1.0), "y": (0.0, -1.0), "x²": (2.4, 1.0), "x·y": (2.4, -1.0), "z": (4.8, 0.0)}
_Z, _NODES = z_graph()
N_STEPS = len(backward_steps(_Z))


@register
class BackwardPassScene(Scene):
    """The backward pass of z = x·y + x² at (3, −3), stepped: a ring marks the node passing its
    gradient back, strokes the edges it uses; every node shows its value and its gradient so far
    (grey while a path is still to come, orange when complete). The topological order is drawn underneath, the current node marked."""

    title = "10 backward pass step by step"
    figsize = (8.0, 3.6)
    controls = {"step": Slider(0, N_STEPS - 1, 0, step=1, integer=True, play=True, label="step")}
    RADIUS = 0.5

    def draw_static(self):
        z, nodes = z_graph()
        self.nodes = nodes
        self.steps = backward_steps(z)
        order = topological_order(z)
        ax = self.fig.subplots()
        edges = [(p.label, n.label) for n in order for p in dict.fromkeys(n.parents)]
        local = {(p.label, n.label): [] for n in order for p in n.parents}
        for n in order:
            for p, d in zip(n.parents, n.local_grads):
                local[(p.label, n.label)].append(d)
        labels = {e: "local " + " + ".join(f"{d:g}" for d in ds) for e, ds in local.items()}
        art = draw_graph(ax, POSITIONS, edges, node_labels={k: "" for k in POSITIONS}, edge_labels=labels,
                         radius=self.RADIUS, fontsize=9)
        for name, (px, py) in POSITIONS.items():
            ax.text(px, py, name, transform=shifted(ax, 7), ha="center", va="center", fontsize=10, fontweight="bold")
            ax.text(px, py, f"{nodes[name].data:g}", transform=shifted(ax, -5), ha="center", va="center", fontsize=9)
        self.slots = {n.label: (-0.3 + 1.35 * i, -2.35) for i, n in enumerate(order)}
        ax.text(-0.9, -2.35, "order:", ha="right", va="center", fontsize=8.5, color=style.MUTED)
        for name, (px, py) in self.slots.items():
            ax.text(px, py, name, ha="center", va="center", fontsize=9,
                    bbox=dict(boxstyle="round,pad=0.3", fc="white", ec=style.MUTED))
        ax.annotate("", xy=(self.slots["x"][0] + 0.1, -2.75), xytext=(self.slots["z"][0] - 0.1, -2.75),
                    arrowprops=dict(arrowstyle="-|>", color=style.MUTED))
        ax.text(2.4, -3.0, "backward walks the order right to left", ha="center", va="center", fontsize=7.5,
                color=style.MUTED)
        ax.set(xlim=(-1.7, 6.6), ylim=(-3.2, 1.75))
        self.mono = MonoText(8)
        self.grad_text = {n: self.mono.patch(ax, POSITIONS[n], dy=-42, zorder=5) for n in POSITIONS}
        self.rings = {n: ax.add_patch(Circle(POSITIONS[n], self.RADIUS * 1.12, fill=False, lw=3,
                                             ec=style.TANGENT, zorder=6)) for n in POSITIONS}
        self.slot_ring = ax.add_patch(Circle((0, 0), 0.36, fill=False, lw=2.5, ec=style.TANGENT, zorder=6))
        self.strokes = ax.add_collection(LineCollection([], colors=style.TANGENT, linewidths=7, alpha=0.35,
                                                        capstyle="butt", zorder=0))
        self.callout = MonoText(8).patch(ax, (-1.6, 1.6), ha="left", zorder=6)
        for artist in [*self.grad_text.values(), *self.rings.values(), self.slot_ring, self.strokes, self.callout]:
            self.track(artist)

    def _rim_to_rim(self, a: str, b: str) -> np.ndarray:
        p, q = np.array(POSITIONS[a]), np.array(POSITIONS[b])
        u = (q - p) / np.linalg.norm(q - p)
        return np.array([p + u * self.RADIUS, q - u * self.RADIUS])

    def update(self, step: int) -> str:
        k = int(min(max(round(step), 0), len(self.steps) - 1))
        s = self.steps[k]
        for name, patch in self.grad_text.items():
            v = self.nodes[name]
            if id(v) in s["known"]:
                patch.set_path(self.mono.path(f"grad {s['grads'][id(v)]:g}"))
                patch.set_facecolor(style.TANGENT if id(v) in s["done"] else style.MUTED)
            else:
                patch.set_path(self.mono.path("grad ?"))
                patch.set_facecolor(style.MUTED)
        current = s["node"].label if s["node"] is not None else None
        for name, ring in self.rings.items():
            ring.set_visible(name == current)
        self.slot_ring.set_visible(current is not None)
        if current is not None:
            self.slot_ring.set_center(self.slots[current])
        self.strokes.set_segments([self._rim_to_rim(a, b) for a, b in s["edges"]])
        self.callout.set_path(self.mono.path(f"step {k} of {len(self.steps) - 1}", ha="left"))
        return f"step {k}/{len(self.steps) - 1}: {s['text']}"


@register
class GradientSizesScene(Scene):
    """Per-layer gradient sizes ‖∂L/∂h_l‖ (relative to the top layer) in a deep network of
    width 32 for each activation, the chosen one bold; on the right, the share of its units on a
    flat part of the activation (slope below a tenth of its peak). Weights scale·N(0, 1/n)."""

    title = "13 gradient sizes by depth, activation and scale"
    figsize = (8.0, 3.7)
    controls = {
        "depth": Slider(2, 50, 20, step=1, integer=True, label="depth (layers)"),
        "activation": Choice(("sigmoid", "tanh", "relu"), "sigmoid", label="activation"),
        "scale": Slider(0.1, 10.0, 1.0, log=True, label="initial scale (× 1/√n)"),
    }
    FLOOR, CEIL = 1e-50, 1e30  # beyond these a line runs along the edge; the readout has the number
    COLOURS = {"sigmoid": style.CURVE, "tanh": style.SECANT, "relu": style.PIRATE}

    def draw_static(self):
        self.probe = DeepProbe(max_depth=int(self.controls["depth"].max), **self.params)
        ax, side = self.fig.subplots(1, 2, width_ratios=[2.2, 1])
        ax.set(yscale="log", ylim=(self.FLOOR, self.CEIL), xlim=(0.5, 50.5),
               xlabel="layer l (1 = first, top = last)", ylabel="‖∂L/∂h_l‖ / ‖∂L/∂h_top‖",
               title="gradient size, layer by layer")
        ax.set_yticks([10.0 ** k for k in range(-50, 31, 10)])
        ax.axhline(1.0, color=style.MUTED, lw=0.8, ls=":")
        self.lines = {a: ax.plot([], [], color=c, label=a)[0] for a, c in self.COLOURS.items()}
        ax.legend(loc="lower right", fontsize=8)
        side.set(ylim=(0, 1.02), xlim=(0.5, 50.5), xlabel="layer l",
                 ylabel="share of units", title="units on a flat part")
        self.flat = side.plot([], [], lw=1.8)[0]
        self.mono = MonoText(8)
        self.fig.suptitle(" ", fontsize=10)  # reserves the line the note is drawn on
        self.note = self.mono.patch(ax, (0.5, 0.955), coords=self.fig.transFigure, clip_on=False)
        self.note.set_in_layout(False)
        for artist in [*self.lines.values(), self.flat, self.note]:
            self.track(artist)

    def update(self, depth: int, activation: str, scale: float) -> str:
        depth = int(self.controls["depth"].snap(depth))
        scale = self.controls["scale"].snap(scale)
        results = {a: self.probe.gradients(depth, a, scale) for a in ACTIVATIONS}
        layers = np.arange(1, depth + 1)
        for a, line in self.lines.items():
            r = results[a]
            line.set_data(layers, np.clip(r.signal[1:] / r.signal[-1], self.FLOOR, self.CEIL))
            line.set_linewidth(2.6 if a == activation else 1.0)
            line.set_alpha(1.0 if a == activation else 0.45)
        r = results[activation]
        self.flat.set_data(layers, r.flat)
        self.flat.set_color(self.COLOURS[activation])
        ratio = r.ratio
        word = verdict(ratio)
        edge = " (off the chart)" if not self.FLOOR <= ratio <= self.CEIL else ""
        self.note.set_path(self.mono.path(f"{activation}, depth {depth}, scale {scale:g}: layer 1 gets "
                                          f"{ratio:.1e} of the top's gradient{edge}: {word}"))
        others = ", ".join(f"{a} {results[a].ratio:.1e} ({verdict(results[a].ratio)})"
                           for a in ACTIVATIONS if a != activation)
        return (f"depth {depth}, {activation}, initial scale {scale:g} × 1/√n (Xavier: 1, He: √2 ≈ 1.41): "
                f"the gradient reaching layer 1 is {ratio:.2e} of the top layer's: {word}.\n"
                f"same depth and scale: {others}.\n"
                f"{activation} units on a flat part: {r.flat[0]:.0%} in layer 1, {r.flat[-1]:.0%} in layer {depth}.")
