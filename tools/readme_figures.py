"""Render the pictures the README shows, from the same scenes the notebooks use, at twice the
pixels they are shown at (README gives their width).

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
        renderer = BlitRenderer(scene_cls)
        renderer.frame(**values)
        (DOCS / name).write_bytes(renderer.sharp_frame(2))  # 2× pixels, shown 1× wide: sharp on HiDPI
        print(f"docs/{name}")


if __name__ == "__main__":
    main()
