"""A fast PNG encoder for figures redrawn on every key press.

Pillow's encoder (``compress_level=3``) spends most of its ~4 ms on a 560x262 picture
choosing a filter per row; for flat-coloured plots the *Up* filter (each row minus the row
above, one numpy subtraction) at zlib level 1 gives a file of about the same size in well
under half the time. The picture is exactly the canvas's pixels (lossless, RGBA).

The deflate step is ISA-L's (``isal``, Intel's Intelligent Storage Acceleration Library, a
dependency): the same zlib stream, ~9x faster than zlib at level 1 on the explorer's views
(0.18 against 1.6 ms for the 560x262 stock view) and a few per cent smaller. Without ``isal``
the standard library's zlib is used.
"""

from __future__ import annotations

import struct
import types
import zlib

import numpy as np


def _fast_deflate() -> types.ModuleType:
    """ISA-L's zlib module, or the standard library's if ``isal`` is missing (same format)."""
    try:
        from isal import isal_zlib
    except ImportError:  # pragma: no cover - isal is a dependency
        return zlib
    return isal_zlib


_deflate = _fast_deflate()

__all__ = ["canvas_png", "encode_png"]

_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _chunk(tag: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)


def encode_png(rgba: np.ndarray, level: int = 1) -> bytes:
    """PNG bytes of an ``(h, w, 4)`` uint8 RGBA array (8 bits per channel, filter *Up*).

    Parameters
    ----------
    rgba : ndarray
        Pixels, rows from the top.
    level : int
        Deflate level (1 = fast; ISA-L takes 0-3, zlib 0-9).

    Raises
    ------
    ValueError
        Not an ``(h, w, 4)`` uint8 array.
    """
    a = np.asarray(rgba)
    if a.ndim != 3 or a.shape[2] != 4 or a.dtype != np.uint8:
        raise ValueError(f"rgba must be an (h, w, 4) uint8 array, got shape {a.shape} dtype {a.dtype}")
    h, w, _ = a.shape
    flat = a.reshape(h, w * 4)
    raw = np.empty((h, w * 4 + 1), dtype=np.uint8)
    raw[:, 0] = 2  # filter type Up on every row (row 0: the row above counts as zeros)
    raw[0, 1:] = flat[0]
    np.subtract(flat[1:], flat[:-1], out=raw[1:, 1:])  # uint8 arithmetic wraps mod 256, as PNG wants
    header = struct.pack(">IIBBBBB", w, h, 8, 6, 0, 0, 0)  # 8-bit RGBA, no interlace
    return (
        _SIGNATURE
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", _deflate.compress(raw.data, level))  # the array's buffer: no 0.6 MB copy
        + _chunk(b"IEND", b"")
    )


def canvas_png(canvas) -> bytes:
    """PNG bytes of what an Agg canvas holds now (after ``draw`` or blitting)."""
    return encode_png(np.asarray(canvas.buffer_rgba()))
