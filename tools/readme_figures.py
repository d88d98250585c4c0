"""Render the pictures the README shows, from the same scenes the notebooks use.

    python tools/readme_figures.py        # writes docs/*.png
"""
from __future__ import annotations

from pathlib import Path

from helpers.fastfig import BlitRenderer
from helpers.valley_scenes import LearningRateValleyScene

DOCS = Path(__file__).resolve().parent.parent / "docs"

FIGURES = {
    "learning_rate_valley.png": (LearningRateValleyScene, {"lr": 0.9, "k": 12}),
}


def main() -> None:
    DOCS.mkdir(exist_ok=True)
    for name, (scene_cls, values) in FIGURES.items():
        (DOCS / name).write_bytes(BlitRenderer(scene_cls).frame(**values))
        print(f"docs/{name}")


if __name__ == "__main__":
    main()
