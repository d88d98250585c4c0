"""The course as data: its notebooks in order, the one idea of each, what each needs from earlier
ones, and an estimate of the time each takes, measured from the notebook itself.

The course map (notebook 00), README's table and the hygiene tests read this one list.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

NOTEBOOK_DIR = Path(__file__).resolve().parent.parent / "notebooks"


@dataclass(frozen=True)
class Lesson:
    number: str           # "04"
    stem: str             # "the_dark_valley"
    idea: str             # the one idea, a line
    needs: tuple[str, ...] = ()  # numbers of the notebooks it builds on directly

    @property
    def file(self) -> str:
        return f"{self.number}_{self.stem}.ipynb"


COURSE: tuple[Lesson, ...] = (
    Lesson("01", "slope_of_a_function", "the slope of f(x) = e²·sin x: a direction and a magnitude"),
    Lesson("02", "partial_derivatives_and_the_gradient", "partial derivatives; the gradient of z = xy + x² points uphill", ("01",)),
    Lesson("03", "the_chain_rule", "the chain rule, drawn as a graph of local derivatives", ("01", "02")),
    Lesson("04", "the_dark_valley", "the update x ← x − α·∇f(x), racing the pirate's random steps", ("01", "02")),
    Lesson("05", "choosing_the_learning_rate", "the learning rate: converge, oscillate or diverge (1/L, 2/L); the zig-zag", ("04",)),
    Lesson("06", "stochastic_gradients", "stochastic gradients: unbiased but noisy; batch size and the 1/√B law", ("04", "05")),
    Lesson("07", "minibatch_practice", "mini-batch practice: epochs, shuffling, decaying learning rates", ("06",)),
    Lesson("08", "beyond_the_bowl", "beyond the bowl: local minima, saddles, plateaus, and a valley you type", ("05", "07")),
    Lesson("09", "backpropagation_by_hand", "the article's 2-2-2 network: forward and backward pass by hand", ("01", "03", "04")),
    Lesson("10", "automatic_differentiation", "automatic differentiation: a tiny autograd that back-propagates any graph", ("03", "09")),
    Lesson("11", "training_over_epochs", "training over epochs; the curvature's edge 2/λ_max; saturation", ("05", "09")),
    Lesson("12", "overfitting_and_early_stopping", "over-fitting, and stopping when the validation error rises", ("07", "11")),
    Lesson("13", "initialisation_and_vanishing_gradients", "initialisation: symmetry, and gradients that vanish or explode", ("10", "11")),
    Lesson("14", "momentum_and_adaptive_steps", "momentum and adaptive steps (RMSProp, Adam): what fixes the zig-zag", ("05", "11")),
)

# Minutes a learner needs: reading technical prose at about 120 words a minute, running and reading
# code at about 8 lines a minute, and 5 minutes for each coding exercise.
WORDS_PER_MINUTE, CODE_LINES_PER_MINUTE, MINUTES_PER_CODING_EXERCISE = 120, 8, 5


def measure(path: Path) -> dict:
    """Words of prose, lines of code and coding exercises (`exercises.grade(...)` cells) of a notebook."""
    cells = json.loads(Path(path).read_text())["cells"]
    text = ["".join(c["source"]) for c in cells]
    words = sum(len(t.split()) for c, t in zip(cells, text) if c["cell_type"] == "markdown")
    code = sum(len(t.splitlines()) for c, t in zip(cells, text) if c["cell_type"] == "code")
    graded = sum(1 for c, t in zip(cells, text) if c["cell_type"] == "code" and "exercises.grade(" in t)
    return {"words": words, "code_lines": code, "coding_exercises": graded}


def minutes(m: dict) -> int:
    """The estimate for one notebook's measures, rounded up to 5 minutes."""
    raw = (m["words"] / WORDS_PER_MINUTE + m["code_lines"] / CODE_LINES_PER_MINUTE
           + m["coding_exercises"] * MINUTES_PER_CODING_EXERCISE)
    return 5 * math.ceil(raw / 5)


def depth(lesson: Lesson) -> int:
    """How many lessons lie on the longest chain of prerequisites below this one."""
    by_number = {l.number: l for l in COURSE}
    return 1 + max((depth(by_number[n]) for n in lesson.needs), default=0)
