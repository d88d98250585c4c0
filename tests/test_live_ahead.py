"""Frames ready before a hand asks: while a slider moves by steps, LiveFigure draws the next step's
frame ahead and keeps the frames it showed. What it sends must be what a fresh figure draws for
the slider's value, and a resting figure must show where the slider is, not the step drawn ahead."""
import asyncio
import io
import math
import threading

import numpy as np
import pytest
from PIL import Image

from helpers import live as live_module
from helpers.controls import Slider
from helpers.fastfig import BlitRenderer, Scene
from helpers.live import LiveFigure
from helpers.slope_scene import SlopeScene

from scenes import all_scenes

PAUSE = live_module.AHEAD_DELAY + 0.03  # between presses: long enough to draw ahead, too short to rest
REST = live_module.SHARP_DELAY + 0.3


def pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=int)


def same_picture(png_a: bytes, png_b: bytes) -> bool:
    """The same picture, but for anti-aliasing noise: two figures drawing the same values can place
    a line's edge a last float bit apart (seen: 3 pixels of 294,000, by at most 3 levels, in
    notebook 05's valley, from one process to the next). A frame of another state moves hundreds."""
    a, b = pixels(png_a), pixels(png_b)
    if a.shape != b.shape:
        return False
    moved = np.abs(a - b).max(axis=2)
    return int((moved > 0).sum()) <= a.shape[0] * a.shape[1] // 10_000 and int(moved.max()) <= 16


def fresh(scene_cls, **values) -> tuple[bytes, str]:
    """The reference: a new renderer that has drawn nothing but these values."""
    renderer = BlitRenderer(scene_cls)
    return renderer.frame(**values), renderer.readout


def fresh_sharp(scene_cls, **values) -> bytes:
    renderer = BlitRenderer(scene_cls)
    renderer.frame(**values)
    return renderer.sharp_frame(live_module.SHARP_SCALE)


class Steps(Scene):
    """A dot at (a, log10 lr) with n dots beside it; the readout names the exact values."""

    controls = {"a": Slider(0, 1, 0.5, step=0.1), "lr": Slider(0.01, 10, 0.1, log=True),
                "n": Slider(1, 9, 3, integer=True)}

    def draw_static(self):
        self.ax = self.fig.subplots()
        self.ax.set(xlim=(-0.1, 1.1), ylim=(-2.5, 1.5))
        (self.dot,) = self.ax.plot([], [], "o")
        (self.row,) = self.ax.plot([], [], ".")
        self.track(self.dot)
        self.track(self.row)

    def update(self, a, lr, n):
        self.dot.set_data([a], [math.log10(lr)])
        self.row.set_data([0.1 * k for k in range(n)], [-2] * n)
        if a > 0.85:
            raise ValueError("a is too large to draw")
        return f"a = {a!r}, lr = {lr!r}, n = {n!r}"


def press(live, name, values, check=None):
    """Set a control to each value in turn, pausing between as a hand pressing a key does."""
    async def run():
        problems = []
        asyncio.get_running_loop().set_exception_handler(lambda loop, context: problems.append(context))
        for value in values:
            live.controls[name].value = value
            await asyncio.sleep(PAUSE)
            if check:
                check(value)
        await asyncio.sleep(REST)
        return problems

    assert asyncio.run(run()) == []


def test_key_presses_are_served_from_frames_drawn_ahead_and_equal_fresh_frames():
    live = LiveFigure(SlopeScene)
    start, step = live.values["x0"], SlopeScene.controls["x0"].step_size
    seen = []

    def check(value):
        seen.append((live.image.value, live.readout_text, value))

    press(live, "x0", [start + k * step for k in range(1, 7)], check)
    assert live.frames_reused == 5  # the first press has no step to repeat; the next five were drawn ahead
    for png, readout, value in seen:
        png_fresh, readout_fresh = fresh(SlopeScene, x0=value)
        assert readout == readout_fresh and same_picture(png, png_fresh)


def test_the_maps_frames_drawn_ahead_fit_chromiums_websocket_pipe():
    """Every 1× frame that a steady hand is sent from notebook 02's gradient map (the course's
    largest frames), as the message the Jupyter server writes to the page (websocket protocol v1,
    serialized by jupyter_server's own function, under a parent header such as a slider's change
    brings), is at most the 131,000 bytes Chromium's pipe takes in one go."""
    from jupyter_client.session import Session
    from jupyter_server.services.kernels.connection.base import serialize_msg_to_ws_v1

    from helpers.gradient_scenes import GradientFieldScene

    live = LiveFigure(GradientFieldScene, x=-4.0)
    sent = []
    live.image.comm.send = lambda data=None, metadata=None, buffers=None: sent.append((data, metadata, buffers))
    steps = [round(-4.0 + 0.4 * k, 1) for k in range(1, 21)]
    # the first press is drawn as it comes; the hand waits for the worker's harder deflate each time
    # (a press that comes sooner is sent the fastest encoding: the next test)
    press(live, "x", steps, check=lambda value: live_module._ENCODER.submit(lambda: None).result())
    assert live.frames_reused == 19 and len(sent) == 21
    fastest = [len(live_module.png_to_data_url(fresh(GradientFieldScene, x=x)[0])) for x in steps[1:]]
    assert max(fastest) > live_module.WEBSOCKET_PIPE_BYTES - 1_000  # some would not fit at the fastest encoding
    session = Session(username="learner")
    slider_moved = session.msg("comm_msg", content={"comm_id": "0" * 32, "data": {
        "method": "update", "state": {"value": 0.4}, "buffer_paths": []}})
    sizes = []
    for data, metadata, buffers in sent[1:-1]:  # the 19 frames drawn ahead (the last one is the sharp frame)
        msg = session.msg("comm_msg", content={"comm_id": live.image.comm.comm_id, "data": data},
                          parent=slider_moved["header"], metadata=metadata or {})
        parts = [session.pack(msg[k]) for k in ("header", "parent_header", "metadata", "content")]
        sizes.append(len(serialize_msg_to_ws_v1(parts + [bytes(b) for b in buffers], "iopub")))
    assert len(sizes) == 19 and max(sizes) <= live_module.WEBSOCKET_PIPE_BYTES == 131_000, sorted(sizes)[-5:]


def test_a_press_while_a_frame_drawn_ahead_is_deflated_harder_is_not_kept_waiting(monkeypatch):
    """The harder deflate of a frame drawn ahead runs in the worker thread, not on the kernel's event
    loop: a press that asks for that frame meanwhile is sent it at the fastest encoding at once, and
    the kept frame becomes the smaller PNG of the same pixels once the deflate is done."""
    gate, on_the_loop = threading.Event(), []
    real = live_module.png_from_rgba

    def held(*args, **kwargs):
        if kwargs.get("max_bytes") is not None:  # the harder deflate: held until the test opens the gate
            on_the_loop.append(threading.current_thread() is threading.main_thread())
            gate.wait(timeout=5)
        return real(*args, **kwargs)

    monkeypatch.setattr(live_module, "png_from_rgba", held)
    monkeypatch.setattr(live_module, "FRAME_PNG_BUDGET", 1_000)  # every frame is over: each one drawn ahead is deflated harder
    live = LiveFigure(SlopeScene)
    start, step = live.values["x0"], SlopeScene.controls["x0"].step_size
    second = start + 2 * step

    async def run():
        live.controls["x0"].value = start + step
        await asyncio.sleep(PAUSE)  # drawn as it comes; then the next step is drawn ahead, its deflate held
        live.controls["x0"].value = second
        await asyncio.sleep(PAUSE)
        sent, reused = live.image.value, live.frames_reused
        gate.set()
        await asyncio.get_running_loop().run_in_executor(None, live_module._ENCODER.submit(lambda: None).result)
        await asyncio.sleep(0.01)  # the worker's results are kept on the loop
        kept = next(png for values, png, *_ in live._kept if values["x0"] == second)
        return sent, reused, kept

    sent, reused, kept = asyncio.run(run())
    assert on_the_loop and not any(on_the_loop), "a harder deflate ran on the kernel's event loop"
    assert reused == 1  # served at once from the frame drawn ahead...
    assert len(kept) < len(sent) and np.array_equal(pixels(kept), pixels(sent))  # ...as first encoded
    assert same_picture(sent, fresh(SlopeScene, x0=second)[0])


def test_a_resting_figure_shows_the_slider_value_not_the_step_drawn_ahead():
    live = LiveFigure(SlopeScene)
    start, step = live.values["x0"], SlopeScene.controls["x0"].step_size
    press(live, "x0", [start + step, start + 2 * step])
    assert live._find({**live.values, "x0": start + 3 * step}) is not None  # drawn ahead, never asked for
    assert same_picture(live.image.value, fresh_sharp(SlopeScene, x0=start + 2 * step))
    assert not same_picture(live.image.value, fresh_sharp(SlopeScene, x0=start + 3 * step))  # the test can tell
    assert live.readout_text == fresh(SlopeScene, x0=start + 2 * step)[1]
    assert live.renderer.readout == live.readout_text  # the scene itself is back where the slider is


def test_a_jump_is_drawn_as_it_comes_and_a_step_back_is_sent_as_it_was():
    live = LiveFigure(Steps)
    seen = []
    press(live, "a", [0.6, 0.7, 0.2, 0.3, 0.2, 0.7],  # drawn ahead: 0.7 (asked), 0.8 and 0.4 (not asked)
          lambda value: seen.append((live.image.value, live.readout_text, value)))
    assert live.frames_reused == 3  # 0.7 drawn ahead, then 0.2 and 0.7 shown before
    for png, readout, value in seen:
        png_fresh, readout_fresh = fresh(Steps, a=value)
        assert readout == readout_fresh and same_picture(png, png_fresh)


def test_log_and_integer_sliders_step_ahead_by_their_positions():
    live = LiveFigure(Steps)
    options = [v for _, v in live.controls["lr"].options]
    i = options.index(0.1)
    press(live, "lr", options[i + 1:i + 5])
    assert live.frames_reused == 3 and live.readout_text == f"a = 0.5, lr = {options[i + 4]!r}, n = 3"
    press(live, "n", [4, 5, 6, 7, 8, 9])  # 9 is the end: nothing is drawn beyond it
    assert live.frames_reused == 3 + 5 and live.readout_text == f"a = 0.5, lr = {options[i + 4]!r}, n = 9"


def test_a_browser_float_within_rounding_of_the_step_is_served_and_the_rest_is_exact():
    live = LiveFigure(Steps)
    shown = []
    press(live, "a", [0.1, 0.2, 0.3], lambda value: shown.append(live.readout_text))
    assert live.frames_reused == 1  # 0.2 + 0.1 is 0.30000000000000004 in floats: drawn ahead, sent for 0.3
    assert shown[-1] == "a = 0.30000000000000004, lr = 0.1, n = 3"
    assert live.readout_text == "a = 0.3, lr = 0.1, n = 3"  # at rest: the slider's exact value
    assert same_picture(live.image.value, fresh_sharp(Steps, a=0.3))


def test_a_step_ahead_that_fails_is_not_shown_until_the_hand_goes_there():
    live = LiveFigure(Steps)
    press(live, "a", [0.6, 0.7, 0.8])  # 0.9 drawn ahead: it raises, quietly
    assert live.error == "" and live.readout_text == "a = 0.8, lr = 0.1, n = 3"
    assert same_picture(live.image.value, fresh_sharp(Steps, a=0.8))
    press(live, "a", [0.9])
    assert "could not be drawn for a = 0.9" in live.readout_text
    press(live, "a", [0.8, 0.7])
    assert live.readout_text == "a = 0.7, lr = 0.1, n = 3" and same_picture(live.image.value, fresh_sharp(Steps, a=0.7))


def test_set_and_fit_limits_forget_the_frames_kept():
    live = LiveFigure(Steps)
    press(live, "a", [0.1, 0.2])
    assert len(live._kept) == 4  # the first frame, two shown, one drawn ahead
    live.set(n=5)
    assert [kept[0] for kept in live._kept] == [live.values]  # only the frame set() drew
    press(live, "a", [0.3, 0.4])
    live.fit_limits()  # what a notebook calls after loading new data into the scene
    assert live._kept == []


@pytest.mark.parametrize("scene_cls", all_scenes(), ids=lambda c: c.__name__)
def test_a_frame_drawn_after_others_is_the_frame_drawn_fresh(scene_cls):
    """What drawing ahead relies on: a scene's frame depends on its values, not on what it drew before."""
    name, spec = next((n, s) for n, s in scene_cls.controls.items() if isinstance(s, Slider))
    if spec.log:
        grid = list(spec.options)
        i = min(grid.index(spec.snap(spec.value)), len(grid) - 3)
        a, b, c = grid[i:i + 3]
    else:
        lo, hi = spec.bounds
        a = spec.snap(min(spec.value, hi - 2 * spec.step_size))
        b, c = spec.snap(a + spec.step_size), spec.snap(a + 2 * spec.step_size)
    renderer = BlitRenderer(scene_cls)
    for value in (a, b, c):
        png = renderer.frame(**{name: value})
    png_fresh, readout_fresh = fresh(scene_cls, **{name: c})
    assert renderer.readout == readout_fresh and same_picture(png, png_fresh)
