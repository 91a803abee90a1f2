"""A figure as an ``<img>`` at its pixel size with text laid over it by the browser.

Text is the slow part of a matplotlib render (a few ms per label); views that change on every
key press draw only shapes and leave their changing text (dates, values, shares) to the
browser as absolutely positioned spans: crisp, selectable, read by screen readers. Used by
the scenario explorer and the trade-off explorer.

A label is a dict with ``x``, ``y`` (pixels from the picture's top left), ``text``, ``align``
(``"left"``: starts at x, ``"right"``: ends at x), ``kind`` (a CSS class: ``date``, ``note``,
``good``, ``bad``, ...) and optionally ``valign`` (``"middle"``, default, or ``"top"``). The
page styles ``.s400-ann`` (position absolute) inside a relatively positioned box.
"""

from __future__ import annotations

import base64
import html

__all__ = ["overlay_html", "picture_html"]


def overlay_html(labels: list[dict]) -> str:
    """Absolutely positioned text spans (one per label)."""
    return "".join(
        f"<span class='s400-ann {html.escape(lab['align'])} {html.escape(lab['kind'])} "
        f"{html.escape(lab.get('valign', 'middle'))}' "
        f"style='left:{lab['x']:.0f}px;top:{lab['y']:.0f}px'>{html.escape(lab['text'])}"
        "</span>"
        for lab in labels
    )


def picture_html(png: bytes, size: tuple[int, int], alt: str, css_class: str, labels: list[dict]) -> str:
    """The PNG shown at exactly ``size`` pixels with alternative text, and the labels over it."""
    w, h = size
    b64 = base64.b64encode(png).decode("ascii")
    img = (
        f"<img class='{html.escape(css_class, quote=True)}' width='{w}' height='{h}' "
        f"alt='{html.escape(alt, quote=True)}' src='data:image/png;base64,{b64}'>"
    )
    return img + overlay_html(labels)
