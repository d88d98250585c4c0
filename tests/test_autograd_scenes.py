"""The autograd scenes tell the truth: the stepped backward pass ends where Value.backward() does
and shows x's two paths one at a time; the gradient-size readout names what DeepProbe measures."""
import re

import pytest

from helpers import initialisation as ini
from helpers.autograd_scenes import BackwardPassScene, GradientSizesScene, backward_steps, z_graph
from helpers.autograd import topological_order
from helpers.fastfig import BlitRenderer


def test_the_script_ends_with_backwards_gradients_and_shows_both_paths_into_x():
    z, nodes = z_graph(3.0, -3.0)
    steps = backward_steps(z)
    z.backward()
    final = steps[-1]["grads"]
    assert all(final[id(v)] == v.grad for v in topological_order(z))
    x_seen = [s["grads"][id(nodes["x"])] for s in steps if id(nodes["x"]) in s["known"]]
    assert x_seen[0] == 2 * 3.0 and x_seen[-1] == -3.0 + 2 * 3.0      # the x² path first, then + y
    partial = next(s for s in steps if s["grads"][id(nodes["x"])] == 6.0)
    assert id(nodes["x"]) not in partial["done"]                        # grey: a path still to come
    assert id(nodes["x"]) in steps[-1]["done"]


def test_each_step_of_the_scene_names_its_node():
    r = BlitRenderer(BackwardPassScene)
    texts = [(r.frame(step=k), r.readout)[1] for k in range(BackwardPassScene.controls["step"].max + 1)]
    assert texts[1].endswith("seed: ∂z/∂z = 1")
    assert "x² (**2) passes back: ∂z/∂x += 6 × 1 → 6" in texts[3]
    assert texts[-1].endswith("∂z/∂x = 3, ∂z/∂y = 3")


@pytest.mark.parametrize("values,word", [(dict(activation="sigmoid", depth=30, scale=1.0), "vanishing"),
                                         (dict(activation="relu", depth=30, scale=3.0), "exploding"),
                                         (dict(activation="relu", depth=30, scale=1.4), "stable")])
def test_the_readout_names_what_the_probe_measures(values, word):
    r = BlitRenderer(GradientSizesScene)
    r.frame(**values)
    ratio = ini.DeepProbe().gradients(values["depth"], values["activation"], values["scale"]).ratio
    assert ini.verdict(ratio) == word
    assert f"is {ratio:.2e} of the top layer's: {word}." in r.readout
    assert re.search(rf"initial scale {values['scale']:g} ", r.readout)
