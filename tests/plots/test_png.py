"""The fast PNG encoder (s400lab.plots.png): lossless, a valid PNG, any picture size."""

from __future__ import annotations

import io

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from PIL import Image

from s400lab.plots import png as png_module
from s400lab.plots.png import canvas_png, encode_png


def test_the_fast_deflate_is_used():
    """isal is a dependency: the encoder uses ISA-L's deflate, not the slower zlib."""
    from isal import isal_zlib

    assert png_module._deflate is isal_zlib


@pytest.fixture(params=["isal", "zlib"])
def deflate(request, monkeypatch):
    """Run a test with ISA-L's deflate (the default) and with the standard library's zlib."""
    if request.param == "zlib":
        import zlib

        monkeypatch.setattr(png_module, "_deflate", zlib)
    return request.param


@pytest.mark.parametrize("deflate_name", ["isal", "zlib"])
@settings(max_examples=40, deadline=None)
@given(arrays(np.uint8, st.tuples(st.integers(1, 40), st.integers(1, 40), st.just(4))))
def test_round_trip_is_lossless(deflate_name, rgba):
    import zlib

    from isal import isal_zlib

    saved = png_module._deflate
    png_module._deflate = isal_zlib if deflate_name == "isal" else zlib
    try:
        png = encode_png(rgba)
    finally:
        png_module._deflate = saved
    with Image.open(io.BytesIO(png)) as im:
        im.load()
        assert im.mode == "RGBA" and im.size == (rgba.shape[1], rgba.shape[0])
        np.testing.assert_array_equal(np.asarray(im), rgba)


def test_a_figure_canvas_is_encoded_as_drawn(deflate):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(3, 2), dpi=50)
    canvas = FigureCanvasAgg(fig)
    fig.add_subplot().plot([0, 1], [1, 0])
    canvas.draw()
    with Image.open(io.BytesIO(canvas_png(canvas))) as im:
        np.testing.assert_array_equal(np.asarray(im), np.asarray(canvas.buffer_rgba()))


@pytest.mark.parametrize(
    "bad", [np.zeros((4, 4, 3), np.uint8), np.zeros((4, 4), np.uint8), np.zeros((4, 4, 4), np.float32)]
)
def test_anything_but_rgba_bytes_is_refused(bad):
    with pytest.raises(ValueError, match=r"\(h, w, 4\) uint8"):
        encode_png(bad)
