"""The course map as a picture: one circle per notebook, an arrow from each notebook to those that
build on it, laid out in columns by how many lessons come before, each column ordered by where
its prerequisites stand (fewer crossing arrows)."""
from __future__ import annotations

from collections import defaultdict

from .course import COURSE, depth
from .graph_drawing import GraphArtists, draw_graph


def draw_course_map(ax) -> GraphArtists:
    """Draw `course.COURSE` as a dependency graph on `ax`; return the artists."""
    columns = defaultdict(list)
    for lesson in COURSE:
        columns[depth(lesson)].append(lesson)
    positions: dict[str, tuple[float, float]] = {}
    for col in sorted(columns):
        lessons = sorted(columns[col], key=lambda l: (
            sum(positions[n][1] for n in l.needs) / len(l.needs) if l.needs else 0.0), reverse=True)
        for row, lesson in enumerate(lessons):
            positions[lesson.number] = (1.3 * col, -(row - (len(lessons) - 1) / 2))
    edges = [(need, lesson.number) for lesson in COURSE for need in lesson.needs]
    return draw_graph(ax, positions, edges, radius=0.3, fontsize=10)
