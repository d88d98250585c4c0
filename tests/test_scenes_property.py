"""Every interactive figure in the course, driven over its full slider ranges (corners included):
no exception, no warning, nothing non-finite drawn, a readout every time."""
import itertools
import re
import warnings

import numpy as np
import pytest
from hypothesis import given, strategies as st

from helpers.controls import Choice, Slider, Text, Toggle
from helpers.fastfig import BlitRenderer, Scene, drawn_data

from scenes import all_scenes

SCENES = all_scenes()


def strategy(spec):
    if isinstance(spec, Slider):
        if spec.integer:
            return st.integers(int(spec.min), int(spec.max))
        if spec.log:
            return st.floats(np.log10(spec.min), np.log10(spec.max)).map(lambda e: float(10**e)).map(
                lambda v: min(max(v, spec.min), spec.max))
        return st.floats(spec.min, spec.max)
    if isinstance(spec, Choice):
        return st.sampled_from(list(spec.options))
    if isinstance(spec, Toggle):
        return st.booleans()
    if isinstance(spec, Text):
        return st.sampled_from(spec.grid(0))
    raise TypeError(spec)


def corners(spec):
    if isinstance(spec, Slider):
        return [spec.min, spec.max]
    return spec.grid(2)


def render_cleanly(renderer, values):
    with warnings.catch_warnings():
        warnings.filterwarnings("error", module=r"helpers(\.|$)")  # the course's own code; not third parties'
        png = renderer.frame(**values)
    assert png[:4] == b"\x89PNG"
    assert isinstance(renderer.readout, str) and renderer.readout.strip()
    for data in drawn_data(renderer.scene):
        assert np.all(np.isfinite(data)), f"{type(renderer.scene).__name__} drew non-finite data at {values}"


def test_every_scene_is_registered_and_shown():
    # every Scene subclass defined in helpers is registered (so it is swept, benchmarked and
    # browser-tested), and every registered scene appears in some notebook
    import importlib
    import inspect
    import json
    import pkgutil
    from pathlib import Path

    import helpers

    defined = set()
    for mod in pkgutil.walk_packages(helpers.__path__, "helpers."):
        module = importlib.import_module(mod.name)
        defined |= {c for _, c in inspect.getmembers(module, inspect.isclass)
                    if issubclass(c, Scene) and c is not Scene and c.__module__ == module.__name__}
    assert defined and defined <= set(SCENES), f"not registered: {sorted(c.__name__ for c in defined - set(SCENES))}"
    sources = " ".join("".join(c["source"]) for p in (Path(helpers.__file__).parent.parent / "notebooks").glob("*.ipynb")
                       for c in json.loads(p.read_text())["cells"] if c["cell_type"] == "code")
    unused = [s.__name__ for s in SCENES if not re.search(rf"\b{s.__name__}\b", sources)]
    assert not unused, f"registered scenes no notebook shows: {unused}"


@pytest.mark.parametrize("scene_cls", [s for s in SCENES if any(isinstance(c, Slider) and c.log for c in s.controls.values())],
                         ids=lambda s: s.__name__)
def test_every_log_slider_position_is_named_exactly_in_the_readout(scene_cls):
    # the slider shows f"{v:g}"; the readout must name that very value (issue: slider 30, readout 29.85)
    renderer = BlitRenderer(scene_cls)
    for name, spec in scene_cls.controls.items():
        if not (isinstance(spec, Slider) and spec.log):
            continue
        for v in spec.options:
            readout = renderer.scene.update(**{**scene_cls.defaults(), name: v})
            assert re.search(rf"(?<![\d.]){re.escape(f'{v:g}')}(?![\d])", readout), \
                f"{name} = {v:g} on the slider, but the readout says: {readout!r}"


@pytest.mark.parametrize("scene_cls", SCENES, ids=lambda s: s.__name__)
def test_scene_corners(scene_cls):
    renderer = BlitRenderer(scene_cls)
    names = list(scene_cls.controls)
    combos = itertools.product(*(corners(scene_cls.controls[n]) for n in names))
    for combo in itertools.islice(combos, 64):
        render_cleanly(renderer, dict(zip(names, combo)))


@pytest.mark.parametrize("scene_cls", SCENES, ids=lambda s: s.__name__)
def test_scene_random_settings(scene_cls):
    renderer = BlitRenderer(scene_cls)

    @given(st.fixed_dictionaries({n: strategy(s) for n, s in scene_cls.controls.items()}))
    def run(values):
        render_cleanly(renderer, values)

    run()


@pytest.mark.parametrize("scene_cls", SCENES, ids=lambda s: s.__name__)
def test_starting_values_lie_on_the_slider_grid(scene_cls):
    # a browser snaps an off-grid start and sends it back: the page would then disagree with
    # the notebook's printed readout
    for name, spec in scene_cls.controls.items():
        if isinstance(spec, Slider):
            assert spec.snap(spec.value) == pytest.approx(spec.value, rel=1e-12, abs=1e-12), name


# Settings where descent runs away: the readout must say so ("diverged at step k"), not just
# draw a clipped path. LiveNetworkScene takes a single step, so it names an overshoot instead.
DIVERGING = {"LearningRateValleyScene": dict(lr=1.5), "ZigZagScene": dict(lr=0.25),
             "RegressionScene": dict(lr=0.4), "MinibatchScene": dict(lr=1.5),
             "MomentumMapScene": dict(lr=0.5)}


@pytest.mark.parametrize("name", sorted(DIVERGING))
def test_a_diverging_setting_is_named_in_the_readout(name):
    scene_cls = next(s for s in SCENES if s.__name__ == name)
    renderer = BlitRenderer(scene_cls)
    render_cleanly(renderer, DIVERGING[name])
    assert re.search(r"diverge[sd]? at step \d+", renderer.readout), renderer.readout
    render_cleanly(renderer, {"lr": scene_cls.controls["lr"].value})  # the default converges
    assert "diverged at step" not in renderer.readout


def test_saturation_is_named_as_saturation_not_divergence():
    # at α = 1000 the network's outputs are driven flat: stuck, not diverged (issue 12 item 3)
    scene_cls = next(s for s in SCENES if s.__name__ == "NetworkLearningRateScene")
    renderer = BlitRenderer(scene_cls)
    render_cleanly(renderer, {"lr": 1000.0})
    assert re.search(r"saturated from epoch \d+", renderer.readout) and "diverged" not in renderer.readout


def test_overshoot_of_a_single_step_is_named():
    scene_cls = next(s for s in SCENES if s.__name__ == "LiveNetworkScene")
    renderer = BlitRenderer(scene_cls)
    render_cleanly(renderer, {"lr": 100.0})
    assert "HIGHER" in renderer.readout and "overshot" in renderer.readout
