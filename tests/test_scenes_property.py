"""Every interactive figure in the course, driven over its full slider ranges (corners included):
no exception, no warning, nothing non-finite drawn, a readout every time."""
import itertools
import re
import warnings

import numpy as np
import pytest
from hypothesis import given, strategies as st

from helpers.controls import Choice, Slider, Toggle
from helpers.fastfig import BlitRenderer, drawn_data

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
    raise TypeError(spec)


def corners(spec):
    if isinstance(spec, Slider):
        return [spec.min, spec.max]
    return spec.grid(2)


def render_cleanly(renderer, values):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        png = renderer.frame(**values)
    assert png[:4] == b"\x89PNG"
    assert isinstance(renderer.readout, str) and renderer.readout.strip()
    for data in drawn_data(renderer.scene):
        assert np.all(np.isfinite(data)), f"{type(renderer.scene).__name__} drew non-finite data at {values}"


def test_every_scene_is_found():
    assert any(s.__name__ == "SlopeScene" for s in SCENES)


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
             "RegressionScene": dict(lr=0.2), "MinibatchScene": dict(lr=1.5),
             "NetworkLearningRateScene": dict(lr=1000.0)}


@pytest.mark.parametrize("name", sorted(DIVERGING))
def test_a_diverging_setting_is_named_in_the_readout(name):
    scene_cls = next(s for s in SCENES if s.__name__ == name)
    renderer = BlitRenderer(scene_cls)
    render_cleanly(renderer, DIVERGING[name])
    assert re.search(r"diverge[sd]? at step \d+", renderer.readout), renderer.readout
    render_cleanly(renderer, {"lr": scene_cls.controls["lr"].value})  # the default converges
    assert "diverged at step" not in renderer.readout


def test_overshoot_of_a_single_step_is_named():
    scene_cls = next(s for s in SCENES if s.__name__ == "LiveNetworkScene")
    renderer = BlitRenderer(scene_cls)
    render_cleanly(renderer, {"lr": 100.0})
    assert "HIGHER" in renderer.readout and "overshot" in renderer.readout
