"""Static figures of notebook 09 (back-propagation by hand). Take arrays, return artists."""
from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np

from . import style

MOVE_COLOURS = (style.TANGENT, style.SECANT, style.ACCENT)


def error_along_weight(ax, axis: Sequence[float], errors: Sequence[float], w0: float, e0: float,
                       slope: float, moves: Mapping[str, tuple[float, float]], weight: str = "w") -> list:
    """E as a function of one weight (all others fixed), its tangent at (w0, e0) with `slope`, and
    an arrow from there to each (w_new, E_new) in `moves` (label → point). Returns the artists."""
    axis, errors = np.asarray(axis, float), np.asarray(errors, float)
    art = ax.plot(axis, errors, color=style.CURVE, lw=2, label=f"E as a function of {weight}")
    near = np.array([w0 - 2.5, w0 + 2.5])
    art += ax.plot(near, e0 + slope * (near - w0), color=style.MUTED, lw=1.2, ls="--",
                   label=f"tangent at {weight} = {w0:.2f}, slope ∂E/∂{weight} = {slope:.4f}")
    for (label, (w_new, e_new)), colour in zip(moves.items(), MOVE_COLOURS):
        art.append(ax.annotate("", xy=(w_new, e_new), xytext=(w0, e0),
                               arrowprops=dict(arrowstyle="-|>", color=colour, lw=2)))
        art += ax.plot([w_new], [e_new], "o", color=colour, label=label)
    art += ax.plot([w0], [e0], "o", color=style.COLORS["black"])
    ax.set(xlabel=f"{weight} (all other parameters fixed)", ylabel="error E",
           title="Stepping along the gradient climbs; against it, E descends")
    ax.legend(fontsize=8, loc="upper left")
    return art
