"""A QR code of a link, for the projector: students point their phones at it."""

from __future__ import annotations

import segno


def qr_svg(text: str, title: str) -> str:
    """The QR code of `text` as inline SVG (black on white, a quiet zone around it), titled for
    screen readers."""
    return segno.make(text, error="m").svg_inline(scale=5, title=title, dark="#000", light="#fff")
