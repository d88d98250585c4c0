"""The article's 2-2-2 example: its printed numbers, the reconstruction of its missing weights,
the scalar chain rule against the matrix form, shared biases and the sign of the update step.

References are independent of the code under test: the article's printed digits (compared with
decimal rounding), a plain-Python brute-force search, central finite differences.
"""
import itertools
import json
import math
import re
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from pathlib import Path

import numpy as np
import pytest

from helpers import article_example as ae
from helpers.fastfig import BlitRenderer
from helpers.network import article_network, forward, loss_and_gradients
from helpers.article_example import one_step, scalar_backward
from helpers.network_scenes import BackpropStepScene, LiveNetworkScene
from helpers.path_text import MonoText


def shown(x: float, decimals: int, how=ROUND_HALF_UP) -> Decimal:
    return Decimal(repr(float(x))).quantize(Decimal(1).scaleb(-decimals), rounding=how)


def prints_as(x: float, printed: str, either: bool = False) -> bool:
    d = len(printed.split(".")[1])
    return shown(x, d) == Decimal(printed) or (either and shown(x, d, ROUND_DOWN) == Decimal(printed))


def sig(z):
    return 1 / (1 + math.exp(-z))


@pytest.fixture
def net():
    return article_network()


def test_article_network_shapes_values_and_fresh_copies(net):
    W, b, x, t = net
    assert [w.shape for w in W] == [(2, 2), (2, 2)] and [v.shape for v in b] == [(2,), (2,)]
    assert x.shape == t.shape == (1, 2)
    assert (W[0][0, 0], W[0][0, 1], W[1][0, 0], W[1][0, 1]) == (0.1, 0.15, 0.18, 0.06)   # printed in the article
    assert list(b[0]) == [0.05, 0.05] and list(b[1]) == [0.42, 0.42]
    assert x.tolist() == [[0.95, 0.06]] and t.tolist() == [[0.05, 0.82]]
    W[0][0, 0] = 99.0
    assert article_network()[0][0][0, 0] == 0.1


def test_forward_pass_reproduces_every_printed_number(net):
    W, b, x, t = net
    _, h, y = forward(W, b, x)
    E, _, _ = loss_and_gradients(W, b, x, t)
    net_h1 = W[0][0] @ x[0] + b[0][0]
    net_y1 = W[1][0] @ h[0] + b[1][0]
    e1, e2 = 0.5 * (t[0, 0] - y[0, 0]) ** 2, 0.5 * (t[0, 1] - y[0, 1]) ** 2
    assert prints_as(net_h1, "0.154") and prints_as(h[0, 0], "0.538") and prints_as(h[0, 1], "0.52")
    assert prints_as(net_y1, "0.548")
    assert prints_as(y[0, 0], "0.63368") and prints_as(y[0, 1], "0.64893")
    assert prints_as(E, "0.184972") and E == pytest.approx(e1 + e2, rel=1e-14)
    assert prints_as(e1, "0.17")
    # the article cuts digits in its short forms: 0.63368 → 0.633, 0.64893 → 0.648, 0.01463 → 0.014
    for value, printed in ((y[0, 0], "0.633"), (y[0, 1], "0.648"), (e2, "0.014")):
        assert not prints_as(value, printed) and prints_as(value, printed, either=True)


def test_w5_chain_as_the_article_splits_it(net):
    W, b, x, t = net
    _, h, y = forward(W, b, x)
    c = ae.w5_chain(y[0, 0], t[0, 0], h[0, 0])
    assert prints_as(c["dE/dout_Y1"], "0.58368") and prints_as(c["dout_Y1/dnet_Y1"], "0.23213")
    assert prints_as(c["dnet_Y1/dw5"], "0.538")
    _, dW, _ = loss_and_gradients(W, b, x, t)
    assert c["dE/dw5"] == pytest.approx(dW[1][0, 0], rel=1e-12)
    assert c["w5 new"] == pytest.approx(0.18 - 0.01 * dW[1][0, 0], rel=1e-14)


def test_w1_chain_sums_over_both_outputs(net):
    W, b, x, t = net
    _, h, y = forward(W, b, x)
    c = ae.w1_chain(tuple(y[0]), tuple(t[0]), (W[1][0, 0], W[1][1, 0]), h[0, 0], x[0, 0])
    _, dW, _ = loss_and_gradients(W, b, x, t)
    assert c["dE/dw1"] == pytest.approx(dW[0][0, 0], rel=1e-12)
    one_path = c["terms"][0] * c["dout_H1/dnet_H1"] * x[0, 0]
    assert abs(one_path - dW[0][0, 0]) > 1e-4 * abs(dW[0][0, 0])   # dropping Y2's path is wrong


def test_scalar_chain_rule_matches_matrix_form_for_every_parameter():
    rng = np.random.default_rng(5)
    for _ in range(5):
        W = [rng.normal(0, 1, (2, 2)), rng.normal(0, 1, (2, 2))]
        b = [np.full(2, rng.normal()), np.full(2, rng.normal())]
        x, t = rng.uniform(0, 1, (1, 2)), rng.uniform(0, 1, (1, 2))
        q = scalar_backward(W, b, x, t)
        E, dW, db = loss_and_gradients(W, b, x, t)
        assert q["E"] == pytest.approx(E, rel=1e-13)
        for k in range(8):
            layer, r, c = k // 4, (k % 4) // 2, k % 2
            assert q[f"dE/dw{k + 1}"] == pytest.approx(dW[layer][r, c], rel=1e-12, abs=1e-15)
        assert q["dE/db1"] == pytest.approx(db[0].sum(), rel=1e-12)
        assert q["dE/db2"] == pytest.approx(db[1].sum(), rel=1e-12)


def error_at(params: dict, x=ae.X, t=ae.T) -> float:
    """E of the article's network from scalars alone, shared biases: an independent reference."""
    p = params
    h1 = sig(p["w1"] * x[0] + p["w2"] * x[1] + p["b1"])
    h2 = sig(p["w3"] * x[0] + p["w4"] * x[1] + p["b1"])
    y1 = sig(p["w5"] * h1 + p["w6"] * h2 + p["b2"])
    y2 = sig(p["w7"] * h1 + p["w8"] * h2 + p["b2"])
    return 0.5 * (t[0] - y1) ** 2 + 0.5 * (t[1] - y2) ** 2


def test_gradients_match_central_differences_including_shared_biases(net):
    W, b, x, t = net
    params = {**ae.KNOWN, **ae.RECONSTRUCTED}
    assert error_at(params) == pytest.approx(loss_and_gradients(W, b, x, t)[0], rel=1e-14)
    q = scalar_backward(W, b, x, t)
    _, dW, db = loss_and_gradients(W, b, x, t)
    h = 1e-6
    for name in params:
        up, down = dict(params), dict(params)
        up[name] += h
        down[name] -= h
        numeric = (error_at(up) - error_at(down)) / (2 * h)
        assert q[f"dE/d{name}"] == pytest.approx(numeric, rel=1e-7, abs=1e-11), name
    # a shared bias collects the gradients of every unit it feeds
    for layer, name in ((0, "b1"), (1, "b2")):
        up, down = dict(params), dict(params)
        up[name] += h
        down[name] -= h
        numeric = (error_at(up) - error_at(down)) / (2 * h)
        assert db[layer].sum() == pytest.approx(numeric, rel=1e-7)
        assert abs(db[layer][0] - numeric) > 1e-4 * abs(numeric)   # one unit's gradient alone is not it


def test_one_step_lowers_E_with_minus_and_raises_it_with_plus(net):
    W, b, x, t = net
    E0, dW, db = loss_and_gradients(W, b, x, t)
    for alpha in (0.01, 0.1, 1.0):
        minus = loss_and_gradients([w - alpha * g for w, g in zip(W, dW)], b, x, t)[0]
        plus = loss_and_gradients([w + alpha * g for w, g in zip(W, dW)], b, x, t)[0]
        assert minus < E0 < plus
    new_w, new_b, e_after = one_step(W, b, x, t, 0.01)
    assert e_after < E0 and new_b[0][0] == new_b[0][1] == pytest.approx(0.05 - 0.01 * db[0].sum())
    _, frozen_b, _ = one_step(W, b, x, t, 0.01, train_biases=False)
    assert all(np.array_equal(u, v) for u, v in zip(frozen_b, b))


def brute_force(w3s, w4s, w78s):
    """Plain loops: every (w3, w4, w7, w8) reproducing the long printed numbers (rounded) and
    the short ones (rounded or cut). H2 depends on w3, w4 only through its net input."""
    pairs = {}
    for w3 in w3s:
        for w4 in w4s:
            h2 = sig(w3 * 0.95 + w4 * 0.06 + 0.05)
            y1 = sig(0.18 * sig(0.154) + 0.06 * h2 + 0.42)
            if prints_as(h2, "0.52", True) and prints_as(y1, "0.63368") and prints_as(y1, "0.633", True):
                pairs.setdefault(round(h2, 15), []).append((w3, w4))
    found = []
    h1 = sig(0.154)
    for h2, ws in pairs.items():
        y1 = sig(0.18 * h1 + 0.06 * h2 + 0.42)
        for w7 in w78s:
            for w8 in w78s:
                y2 = sig(w7 * h1 + w8 * h2 + 0.42)
                e = 0.5 * (0.05 - y1) ** 2 + 0.5 * (0.82 - y2) ** 2
                if prints_as(y2, "0.64893") and prints_as(e, "0.184972"):
                    found += [(w3, w4, w7, w8) for w3, w4 in ws]
    return sorted(found)


def test_search_agrees_with_a_plain_brute_force_on_a_sub_box():
    grid = [round(k / 100, 2) for k in range(-100, 101)]
    expected = brute_force([round(k / 100, 2) for k in range(-10, 11)], grid, grid)
    got = [tuple(r) for r in ae.search(limit=1.0).solutions.tolist() if abs(r[0]) <= 0.1]
    assert sorted(got) == expected and len(expected) == 2


def test_reconstruction_is_the_simplest_on_the_whole_grid(net):
    res = ae.search(limit=2.0)
    best = tuple(res.solutions[0])
    assert best == (0.0, 0.39, -0.39, 0.78)
    total = sum(abs(v) for v in best)
    assert total < 2.0    # any grid point outside [−2, 2]⁴ has Σ|w| > 2: the search box covers every rival
    assert sum(abs(v) for v in res.solutions[1]) > total
    W, _, _, _ = net
    assert (W[0][1, 0], W[0][1, 1], W[1][1, 0], W[1][1, 1]) == best
    # the runner-up gives H2 the same net input, so every printed number is identical: the data cannot tell
    a, b = ae.forward_values(*best), ae.forward_values(*res.solutions[1])
    assert a["net_H2"] == pytest.approx(b["net_H2"], abs=1e-15)
    # a looser reading (every number may be cut rather than rounded) admits more and simpler candidates
    loose = ae.search(limit=1.0, strict=False)
    assert len(loose.solutions) > len(ae.search(limit=1.0).solutions)
    assert sum(abs(v) for v in loose.solutions[0]) < total


def test_rounded_intermediates_cannot_reproduce_E():
    # if the article had carried H1 = 0.538 and H2 = 0.52 forward, no two-decimal w7, w8 would give E
    y1 = sig(0.18 * 0.538 + 0.06 * 0.52 + 0.42)
    grid = np.arange(-200, 201) / 100
    w7, w8 = np.meshgrid(grid, grid)
    y2 = 1 / (1 + np.exp(-(w7 * 0.538 + w8 * 0.52 + 0.42)))
    e = 0.5 * (0.05 - y1) ** 2 + 0.5 * (0.82 - y2) ** 2
    assert not np.any((np.round(y2, 5) == 0.64893) & (np.abs(e - 0.184972) <= 5e-7))


def test_agreement_and_bad_arguments():
    assert ae.agreement(0.6489258, 0.64893, 5) == "rounded"
    assert ae.agreement(0.6489258, 0.648, 3) == "truncated"
    assert ae.agreement(0.6489258, 0.647, 3) == ""
    assert list(ae.agrees(np.array([0.0146, 0.0149]), 0.014, 3, "round")) == [False, False]
    with pytest.raises(ValueError, match="rule"):
        ae.agrees(0.1, 0.1, 1, "floor")
    with pytest.raises(ValueError, match="decimals"):
        ae.agreement(0.1, 0.1, -1)
    with pytest.raises(ValueError, match="limit"):
        ae.search(limit=0)


def test_simplicity_orders_by_size_then_digits():
    assert ae.simplicity([0.0, 0.39, -0.39, 0.78]) == (1.56, 6)
    assert ae.simplicity([0.1, 0.1]) < ae.simplicity([0.11, 0.1])


def test_step_scene_walks_back_layer_by_layer():
    r = BlitRenderer(BackpropStepScene)
    readouts = []
    for k in range(13):
        r.frame(step=k)
        readouts.append(r.readout)
    assert "0.58368" in readouts[1] and "0.23213" in readouts[2] and "+0.13549" in readouts[2]
    assert readouts[4].index("w5") < readouts[4].index("w6")
    assert "δ_Y1 + δ_Y2" in readouts[6] and "δ_H1 + δ_H2" in readouts[11]
    assert "E before = 0.184972, after = 0.184766" in readouts[12]
    first_hidden = next(i for i, s in enumerate(readouts) if "w1" in s and "∂E/∂w1" in s)
    assert first_hidden > 6        # the hidden weights come after every output-layer quantity
    assert not r.scene.masks.get_offsets().size     # at the end every gradient is revealed


def test_live_scene_readout_and_frozen_biases():
    r = BlitRenderer(LiveNetworkScene)
    r.frame()
    assert "E before = 0.184972" in r.readout and "0.184766" in r.readout and "lower" in r.readout
    r.frame(freeze_biases=True)
    assert r.readout.count("frozen") == 2 and "0.050000" in r.readout and "0.420000" in r.readout


def test_mono_text_is_monospaced():
    m = MonoText(8)
    assert m.size_of("0000") == pytest.approx((4 * m.advance, m.line))
    assert m.path("").vertices.shape == (1, 2)
    wide, narrow = m.path("WW").get_extents(), m.path("ii").get_extents()
    assert wide.width > narrow.width > 0


def test_scalar_helpers_reject_bad_arguments(net):
    W, b, x, t = net
    with pytest.raises(ValueError, match="lr must be a positive"):
        one_step(W, b, x, t, 0.0)
    with pytest.raises(ValueError, match="2-2-2"):
        scalar_backward([np.ones((3, 2)), W[1]], b, x, t)


def test_live_scene_never_shows_negative_zero():
    # issue 12 item 12: x1 = 0.01, x2 = 0 gives w3 a new value of about −3e-9, once printed "-0.000000"
    r = BlitRenderer(LiveNetworkScene)
    values = [0.0, 0.01, 0.5, 1.0]
    seen = 0
    for x1, x2, t1, t2 in itertools.product(values, repeat=4):
        for lr, frozen in ((0.001, False), (1.0, True)):
            text = r.scene.update(x1, x2, t1, t2, lr, frozen)
            assert not re.search(r"-0\.0*(?![0-9])", text) and not re.search(r"-0(?![.0-9])", text), \
                (x1, x2, t1, t2, lr, text)
            seen += "+0.000000" in text or " 0.000000" in text
    assert seen  # the cases that used to print a negative zero were visited


def test_num_formats_without_negative_zero():
    from helpers.path_text import num
    assert num(-3e-9, ">12.6f") == "    0.000000" and num(-3e-9, "+.5f") == "+0.00000"
    assert num(-0.0, ".2f") == "0.00" and num(-1e-3, "+.5f") == "-0.00100"


def test_network_sliders_end_on_round_numbers():
    # issue 12 item 12: the ends a learner sees are the ends the scene declares, not −1.1e−16
    for name in ("x1", "x2", "t1", "t2"):
        assert LiveNetworkScene.controls[name].bounds == (0.0, 1.0), name


def test_shared_bias_error_and_the_comparison_table(net):
    params = {**ae.KNOWN, **ae.RECONSTRUCTED}
    assert ae.shared_bias_error(params) == pytest.approx(error_at(params), rel=1e-15)
    moved = dict(params, b2=0.5, w3=-0.2)
    assert ae.shared_bias_error(moved) == pytest.approx(error_at(moved), rel=1e-15)
    v = ae.forward_values(*ae.RECONSTRUCTED.values())
    table = ae.compare_with_article(out_Y1=v["out_Y1"], E2=v["E2"], net_Y2=v["net_Y2"], E=0.19)
    assert "0.63368 (rounded), 0.633 (truncated)" in table and "0.014 (truncated)" in table
    assert "not printed" in table and "0.184972 (NO MATCH)" in table


def test_forensic_reports_state_what_the_search_found():
    res = ae.search(limit=2.0)
    report = ae.search_report(res)
    assert "0.00   0.39  -0.39   0.78  1.56  6" in report and "net input in [0.0733, 0.0761]" in report
    amb = ae.ambiguity_report(res)
    assert amb.count("net_H2 = 0.0734000000") == 2 and "2 candidates" in amb and "16 if" in amb
    assert "carried forward: 0 (w7, w8) pairs" in amb
    assert not re.search(r"-0\.0*(?![0-9])", ae.shortening_report() + report + amb)


def test_b2_is_largest_because_its_input_is_1_not_because_it_collects_two_deltas(net):
    # issue 12 item 5: δ_Y2 < 0, so adding it shrinks b2's gradient (0.1355 → 0.0965); b2 leads
    # because ∂net/∂b = 1 while the weights into Y1 see out_H ≈ 0.53
    q = scalar_backward(*net)
    assert q["d_Y2"] < 0 and q["dE/db2"] < q["d_Y1"]
    assert round(q["d_Y1"], 4) == 0.1355 and round(q["dE/db2"], 4) == 0.0965
    assert q["dE/dw5"] == pytest.approx(q["d_Y1"] * q["H1"]) and 0.5 < q["H2"] < q["H1"] < 0.55
    others = [abs(v) for k, v in q.items() if k.startswith("dE/dw") or k == "dE/db1"]
    assert q["dE/db2"] > max(others)


NOTEBOOK_09 = Path(__file__).resolve().parent.parent / "notebooks" / "09_backpropagation_by_hand.ipynb"


def test_notebook_09_teaches_backprop_before_the_weight_forensics():
    # issue 12 item 10: the search for the lost weights comes after the lesson, in an appendix
    cells = json.loads(NOTEBOOK_09.read_text())["cells"]
    text = ["".join(c["source"]) for c in cells]
    first_search = next(i for i, s in enumerate(text) if cells[i]["cell_type"] == "code" and "ae.search(" in s)
    backward = next(i for i, s in enumerate(text) if s.startswith("## 3. The backward pass"))
    appendix = next(i for i, s in enumerate(text) if s.startswith("## Appendix"))
    assert backward < appendix < first_search
    prose = " ".join(s for s, c in zip(text, cells) if c["cell_type"] == "markdown")
    assert "not because it collects two δ's" in prose and "collects two δ's" not in prose.replace(
        "not because it collects two δ's", "")


def test_error_along_weight_draws_the_curve_tangent_and_each_move():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from helpers.network_drawing import error_along_weight

    fig, ax = plt.subplots()
    axis = np.linspace(-1, 1, 11)
    art = error_along_weight(ax, axis, axis**2, 0.5, 0.25, 1.0, {"up": (0.7, 0.49), "down": (0.3, 0.09)}, "w")
    assert len(ax.patches) + len([a for a in art if type(a).__name__ == "Annotation"]) >= 2
    assert ax.get_xlabel().startswith("w (all other") and len(ax.get_legend().get_texts()) == 4
    np.testing.assert_allclose(art[1].get_ydata(), 0.25 + 1.0 * (np.array([-2.0, 3.0]) - 0.5))
    plt.close(fig)
