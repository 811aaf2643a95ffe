"""QR codes as inline SVG (no image files, no network)."""

import segno


def qr_svg(data: str, *, scale: int = 4) -> str:
    return segno.make(data, error="m").svg_inline(scale=scale, dark="#000", light="#fff")
