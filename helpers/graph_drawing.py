"""Draw a computational graph with matplotlib (no graphviz): nodes as circles, edges as arrows.

Used for the chain rule on z = x·y + x² (notebook 03) and for the 2-2-2 network (notebook 09).
`draw_graph` returns every artist by name, so a live figure can change a node's text or an
edge's colour without redrawing the rest.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from matplotlib.patches import Circle, FancyArrowPatch

from . import style


@dataclass
class GraphArtists:
    """The artists of a drawn graph, by node name and by (source, target) edge."""

    nodes: dict = field(default_factory=dict)       # name → Circle
    node_text: dict = field(default_factory=dict)   # name → Text inside the circle
    edges: dict = field(default_factory=dict)       # (src, dst) → FancyArrowPatch
    edge_text: dict = field(default_factory=dict)   # (src, dst) → Text beside the arrow

    def all(self) -> list:
        return [*self.nodes.values(), *self.node_text.values(), *self.edges.values(), *self.edge_text.values()]

    def highlight(self, nodes=(), edges=(), colour: str = style.TANGENT) -> None:
        """Colour the given nodes and edges, everything else back to the default."""
        for name, circle in self.nodes.items():
            circle.set_edgecolor(colour if name in nodes else style.CURVE)
            circle.set_linewidth(3 if name in nodes else 1.5)
        for key, arrow in self.edges.items():
            arrow.set_color(colour if key in edges else style.MUTED)
            arrow.set_linewidth(2.5 if key in edges else 1.2)


def draw_graph(ax, positions: dict[str, tuple[float, float]], edges: list[tuple[str, str]], *,
               node_labels: dict[str, str] | None = None, edge_labels: dict | None = None,
               radius: float = 0.32, fontsize: float = 9, edge_label_offset: float = 0.12) -> GraphArtists:
    """Draw nodes at `positions` (data coordinates) and arrows for `edges`; return the artists.

    `node_labels[name]` is the text inside a node (default: its name); `edge_labels[(a, b)]`
    the text placed near the middle of that arrow (e.g. a local partial derivative).
    """
    node_labels = node_labels or {}
    edge_labels = edge_labels or {}
    missing = {n for e in edges for n in e} - set(positions)
    if missing:
        raise ValueError(f"edges mention nodes without a position: {sorted(missing)}")
    out = GraphArtists()
    for (a, b) in edges:
        arrow = FancyArrowPatch(positions[a], positions[b], arrowstyle="-|>", mutation_scale=12,
                                shrinkA=0, shrinkB=0, color=style.MUTED, lw=1.2, zorder=1)
        # trim the arrow to the circles' rims, in data units
        (x0, y0), (x1, y1) = positions[a], positions[b]
        length = max(((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5, 1e-12)
        ux, uy = (x1 - x0) / length, (y1 - y0) / length
        arrow.set_positions((x0 + ux * radius, y0 + uy * radius), (x1 - ux * radius, y1 - uy * radius))
        ax.add_patch(arrow)
        out.edges[(a, b)] = arrow
        mx, my = (x0 + x1) / 2 - uy * edge_label_offset, (y0 + y1) / 2 + ux * edge_label_offset
        out.edge_text[(a, b)] = ax.text(mx, my, edge_labels.get((a, b), ""), ha="center", va="center",
                                        fontsize=fontsize - 1, color=style.COLORS["black"], zorder=3,
                                        bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.8))
    for name, (x, y) in positions.items():
        circle = Circle((x, y), radius, facecolor="white", edgecolor=style.CURVE, lw=1.5, zorder=2)
        ax.add_patch(circle)
        out.nodes[name] = circle
        out.node_text[name] = ax.text(x, y, node_labels.get(name, name), ha="center", va="center",
                                      fontsize=fontsize, zorder=4)
    ax.set_aspect("equal")
    ax.axis("off")
    xs = [p[0] for p in positions.values()]
    ys = [p[1] for p in positions.values()]
    pad = radius * 2
    ax.set(xlim=(min(xs) - pad, max(xs) + pad), ylim=(min(ys) - pad, max(ys) + pad))
    return out


def draw_backward_pass(ax, positions: dict[str, tuple[float, float]], edges: list[tuple[str, str]],
                       values: dict[str, float], grads: dict[str, float], *, rules: dict[str, str] | None = None,
                       edge_labels: dict | None = None, output: str = "z", highlight=(), radius: float = 0.48,
                       fontsize: float = 10) -> GraphArtists:
    """A computational graph with both passes written on it: each node shows its name and forward
    value, its rule above it (`rules`), and ∂output/∂node from the backward pass below it
    (`grads`); `edge_labels` go on the arrows (local derivatives); the `highlight` edges (a
    path) and their end nodes are coloured."""
    art = draw_graph(ax, positions, edges, radius=radius, fontsize=fontsize, edge_label_offset=0.3,
                     node_labels={n: f"{n}\n{values[n] + 0.0:g}" for n in positions}, edge_labels=edge_labels)
    ends = {n for e in highlight for n in e}
    art.highlight(nodes=tuple(ends), edges=tuple(highlight))
    gap = radius * 1.3
    for n, (px, py) in positions.items():
        if rules and n in rules:
            art.node_text[f"{n}:rule"] = ax.text(px, py + gap, rules[n], ha="center", va="bottom",
                                                 fontsize=fontsize - 1, color=style.MUTED)
        art.node_text[f"{n}:grad"] = ax.text(px, py - gap, f"∂{output}/∂{n} = {grads[n] + 0.0:g}", ha="center",
                                             va="top", fontsize=fontsize - 0.5, color=style.TANGENT,
                                             fontweight="bold")
    xs = [p[0] for p in positions.values()]
    ys = [p[1] for p in positions.values()]
    ax.set(xlim=(min(xs) - 2.5 * radius, max(xs) + 2.5 * radius),
           ylim=(min(ys) - 3.5 * radius, max(ys) + 2.5 * radius))
    return art
