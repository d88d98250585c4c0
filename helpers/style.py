"""The course's look: a colour-blind-safe palette (Okabe & Ito, 2008) and figure settings.

Nothing here changes global state on import; a notebook opts in with ``style.setup()`` in
its first cell (the settings below, and figures stored at 2× pixel density so that they are
sharp on a HiDPI screen and unchanged on a 1× one).
"""
from __future__ import annotations

from cycler import cycler

# Okabe–Ito: distinguishable under the common forms of colour blindness, and in greyscale by order.
COLORS = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "sky": "#56B4E9",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
    "black": "#000000",
    "grey": "#999999",
}

# Roles, so that every notebook draws the same thing in the same colour.
CURVE = COLORS["blue"]        # the function or cost
TANGENT = COLORS["vermillion"]  # slopes, gradients, the learner's descent
SECANT = COLORS["green"]      # finite differences, the helper's reference
PIRATE = COLORS["orange"]     # random steps
ACCENT = COLORS["purple"]
MUTED = COLORS["grey"]

RC = {
    "axes.prop_cycle": cycler(color=[COLORS[k] for k in ("blue", "orange", "green", "vermillion", "purple", "sky")]),
    "figure.figsize": (7.5, 3.4),
    "figure.dpi": 100,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "font.size": 10,
    "legend.frameon": False,
}


def setup(retina: bool = True) -> None:
    """Apply `RC` to pyplot and, inside IPython, store inline figures as 2× ("retina") PNGs
    shown at their intended size. Call once, in a notebook's first cell."""
    import matplotlib.pyplot as plt

    plt.rcParams.update(RC)
    if not retina:
        return
    try:
        from IPython import get_ipython
        from matplotlib_inline.backend_inline import set_matplotlib_formats
    except ImportError:  # plain Python: nothing inline to configure
        return
    if get_ipython() is not None:
        set_matplotlib_formats("retina")
