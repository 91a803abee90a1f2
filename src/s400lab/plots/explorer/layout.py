"""Where the views' texts go: one plot area for every view (same quarter, same x), the width of
a text as the page draws it, and a label placed beside its marker where it is neither cut nor
covering another marker or label.

A box is ``(left, top, right, bottom)`` in pixels from the picture's top left, the coordinates
of the page's overlay labels (:mod:`s400lab.ui.overlay`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache

__all__ = [
    "AXES_LEFT_PX",
    "AXES_RIGHT_PX",
    "BOLD_KINDS",
    "LABEL_FONT_PX",
    "LABEL_LINE",
    "LABEL_PAD_PX",
    "Box",
    "box_of",
    "contains",
    "inside",
    "label_box",
    "overlaps",
    "place_beside",
    "text_width_px",
]

Box = tuple[float, float, float, float]

#: The plot area of every view starts this many pixels from the picture's left edge and ends
#: :data:`AXES_RIGHT_PX` from its right edge, so a quarter sits at the same x in the three
#: views (the widest row name, "F-35 readmitted", and its tick fit in the margin).
AXES_LEFT_PX = 168
AXES_RIGHT_PX = 14

#: How the page draws an overlay label (``.s400-ann``): 18 px text, 3 px padding left and
#: right, line height 1.1.
LABEL_FONT_PX, LABEL_PAD_PX, LABEL_LINE = 18.0, 3.0, 1.1

#: Space kept between a label and its marker, and between a label and the picture's edge (px).
GAP_PX = 6.0


#: Label kinds the page draws in bold (``.s400-ann.date``, ``.good``, ``.bad``).
BOLD_KINDS = frozenset({"date", "good", "bad"})


#: Measured widths run up to 1.3% above the sum of the glyphs' advances (hinting): a text's
#: width is taken as the advances times this factor plus :data:`WIDTH_SLACK_PX`, never less
#: than matplotlib's own measure.
WIDTH_FACTOR, WIDTH_SLACK_PX = 1.02, 2.0


@lru_cache(maxsize=4096)
def text_width_px(text: str, size: float = LABEL_FONT_PX, bold: bool = False) -> float:
    """Width of ``text`` in DejaVu Sans at ``size`` px (the page's and matplotlib's font), from
    the glyphs' advances (cached per character: a new label costs microseconds, where
    matplotlib's own text layout costs milliseconds), rounded up (:data:`WIDTH_FACTOR`)."""
    if not text:
        return 0.0
    return sum(_advance(ch, size, bold) for ch in text) * WIDTH_FACTOR + WIDTH_SLACK_PX


@lru_cache(maxsize=1024)
def _advance(ch: str, size: float, bold: bool) -> float:
    from matplotlib.ft2font import LoadFlags

    return _font(size, bold).load_char(ord(ch), flags=LoadFlags.NO_HINTING).linearHoriAdvance / 65536


@lru_cache(maxsize=8)
def _font(size: float, bold: bool):
    from matplotlib import font_manager
    from matplotlib.font_manager import FontProperties
    from matplotlib.ft2font import FT2Font

    font = FT2Font(font_manager.findfont(FontProperties(size=size, weight="bold" if bold else "normal")))
    font.set_size(size, 72)
    return font


def label_box(
    x: float, y: float, text: str, align: str = "left", valign: str = "middle", bold: bool = True
) -> Box:
    """The box the page gives an overlay label anchored at ``(x, y)`` (``bold``: as the page
    draws dates and good/bad notes)."""
    w = text_width_px(text, bold=bold) + 2 * LABEL_PAD_PX
    h = LABEL_FONT_PX * LABEL_LINE
    left = x if align == "left" else x - w
    top = y if valign == "top" else y - h / 2
    return (left, top, left + w, top + h)


def overlaps(a: Box, b: Box) -> bool:
    """Whether two boxes share any area."""
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def inside(box: Box, bounds: Box) -> bool:
    """Whether ``box`` lies within ``bounds``."""
    return bounds[0] <= box[0] and box[2] <= bounds[2] and bounds[1] <= box[1] and box[3] <= bounds[3]


def box_of(label: dict) -> Box:
    """The box of an overlay label dict (``x``, ``y``, ``text``, ``align``, ``valign``)."""
    return label_box(
        label["x"],
        label["y"],
        label["text"],
        label["align"],
        label.get("valign", "middle"),
        label.get("kind") in BOLD_KINDS,
    )


def contains(outer: Box, inner: Box) -> bool:
    """Whether ``inner`` lies within ``outer``."""
    return inside(inner, outer)


#: Vertical shifts (px) tried for a label that cannot sit on its marker's line: up first (the
#: status quo's markers sit just below each row).
SHIFTS_PX = (0.0, -8.0, 8.0)

#: How far (px) a label may slide away from its marker to pass another marker beside it.
MAX_SLIDE_PX = 64.0


def _slide(box: Box, align: str, obstacles: list[Box]) -> Box | None:
    """``box`` moved away from its marker past the obstacles it covers (at most
    :data:`MAX_SLIDE_PX`); None if it would go further."""
    moved = 0.0
    for _ in range(4):
        hits = [o for o in obstacles if overlaps(box, o)]
        if not hits:
            return box
        step = (
            (max(o[2] for o in hits) + GAP_PX - box[0])
            if align == "left"
            else (box[2] - min(o[0] for o in hits) + GAP_PX)
        )
        moved += step
        if moved > MAX_SLIDE_PX:
            return None
        d = step if align == "left" else -step
        box = (box[0] + d, box[1], box[2] + d, box[3])
    return None


def place_beside(
    x: float,
    y: float,
    half_px: float,
    variants: Sequence[str],
    bounds: Box,
    obstacles: Iterable[Box] = (),
) -> dict | None:
    """A label beside a marker at pixel ``(x, y)`` of half-width ``half_px``: the first of
    ``variants`` (longest first) that fits right or left of it -- on its line, slid a little
    away past a marker beside it, or shifted a few pixels up or down (:data:`SHIFTS_PX`) --
    inside ``bounds`` without covering an obstacle (another marker, a label already placed).
    If none fits cleanly, the place of the shortest variant that covers the fewest obstacles,
    inside ``bounds`` (never cut by the picture's edge). None for no variants."""
    variants = [v for v in variants if v]
    if not variants:
        return None
    obstacles = list(obstacles)
    sides = (("left", x + half_px + GAP_PX), ("right", x - half_px - GAP_PX))
    for text in variants:
        for dy in SHIFTS_PX:
            for align, ax in sides:
                box = _slide(label_box(ax, y + dy, text, align), align, obstacles)
                if box is not None and inside(box, bounds):
                    return _label(box[0], y + dy, text, "left")
    text = variants[-1]
    w = text_width_px(text, bold=True) + 2 * LABEL_PAD_PX
    best: tuple[int, float, float, float] | None = None
    for dy in SHIFTS_PX:
        for align, ax in sides:
            left = ax if align == "left" else ax - w
            left = min(max(left, bounds[0]), bounds[2] - w)
            box = label_box(left, y + dy, text, "left")
            score = (sum(overlaps(box, o) for o in obstacles), abs(dy), left, dy)
            if best is None or score[:2] < best[:2]:
                best = score
    assert best is not None
    return _label(max(best[2], bounds[0]), y + best[3], text, "left")


def _label(x: float, y: float, text: str, align: str) -> dict:
    return {"x": float(x), "y": float(y), "text": text, "align": align, "kind": "date", "valign": "middle"}
