"""Draws the widget's logos (the sizes amoCRM asks for) as PNG files, in pure Python.

The logo is two stacked deal cards — the front one with text lines — on a blue rounded
tile; wide sizes get two bars that stand for the name. Shapes are signed distance
functions, so edges are anti-aliased analytically (no supersampling, no Pillow). The
output is deterministic: the same script always writes the same bytes.

    python widget/tools/make_images.py [out_dir]      # default: widget/images
"""

from __future__ import annotations

import functools
import math
import os
import struct
import sys
import zlib
from collections.abc import Callable
from pathlib import Path

# name -> (width, height): amoCRM's logo sizes (widget list, card, settings, Digital Pipeline).
SIZES: dict[str, tuple[int, int]] = {
    "logo_main.png": (400, 272),
    "logo_small.png": (108, 108),
    "logo_medium.png": (240, 84),
    "logo_min.png": (84, 84),
    "logo.png": (130, 100),
    "logo_dp.png": (174, 109),
}

TOP = (0x2F, 0x80, 0xED)  # amoCRM-like blue, lighter at the bottom
BOTTOM = (0x4F, 0xA8, 0xF5)
INK = (0x1F, 0x5F, 0xB8)
WHITE = (0xFF, 0xFF, 0xFF)

Rgba = tuple[float, float, float, float]
Sdf = Callable[[float, float], float]


def rounded_rect(cx: float, cy: float, half_w: float, half_h: float, radius: float) -> Sdf:
    def distance(x: float, y: float) -> float:
        qx = abs(x - cx) - half_w + radius
        qy = abs(y - cy) - half_h + radius
        outside = math.hypot(max(qx, 0.0), max(qy, 0.0))
        return outside + min(max(qx, qy), 0.0) - radius

    return distance


def ring(shape: Sdf, width: float) -> Sdf:
    return lambda x, y: abs(shape(x, y)) - width / 2


def coverage(distance: float) -> float:
    """Share of a pixel inside a shape whose edge is `distance` pixels from the pixel's centre."""
    return min(1.0, max(0.0, 0.5 - distance))


def layers(width: int, height: int) -> list[tuple[Sdf, Callable[[float, float], tuple[int, int, int]], float]]:
    side = min(width, height)
    tile_radius = side * 0.16

    def gradient(_: float, y: float) -> tuple[int, int, int]:
        k = y / max(1, height - 1)
        return tuple(round(a + (b - a) * k) for a, b in zip(TOP, BOTTOM, strict=True))

    out: list = [(rounded_rect(width / 2, height / 2, width / 2, height / 2, tile_radius), gradient, 1.0)]
    wide = width / height > 1.8
    icon = side * (0.62 if not wide else 0.66)
    cx = height * 0.55 if wide else width / 2
    cy = height / 2
    card_w, card_h = icon * 0.30, icon * 0.38
    radius = icon * 0.07
    stroke = max(1.6, icon * 0.06)
    shift = icon * 0.12

    def plain(color: tuple[int, int, int]) -> Callable[[float, float], tuple[int, int, int]]:
        return lambda _x, _y: color

    back = rounded_rect(cx - shift, cy - shift, card_w, card_h, radius)
    front = rounded_rect(cx + shift, cy + shift, card_w, card_h, radius)
    out.append((ring(back, stroke), plain(WHITE), 0.75))
    out.append((front, plain(WHITE), 1.0))
    line_h = max(0.9, icon * 0.035)
    for i, share in enumerate((0.62, 0.62, 0.40)):
        y = cy + shift - card_h * 0.45 + i * card_h * 0.42
        half = card_w * share
        left = cx + shift - card_w * 0.62
        out.append((rounded_rect(left + half, y, half, line_h, line_h), plain(INK), 1.0))
    if wide:
        left = cx + icon * 0.62
        right = width - height * 0.35
        span = max(0.0, right - left)
        bar_h = height * 0.075
        out.append((rounded_rect(left + span * 0.5, cy - height * 0.13, span * 0.5, bar_h, bar_h), plain(WHITE), 0.95))
        out.append(
            (
                rounded_rect(left + span * 0.34, cy + height * 0.13, span * 0.34, bar_h * 0.8, bar_h * 0.8),
                plain(WHITE),
                0.6,
            )
        )
    return out


def render(width: int, height: int) -> bytes:
    """RGBA pixels, row by row."""
    shapes = layers(width, height)
    pixels = bytearray()
    for row in range(height):
        y = row + 0.5
        for col in range(width):
            x = col + 0.5
            r = g = b = a = 0.0
            for shape, paint, opacity in shapes:
                alpha = coverage(shape(x, y)) * opacity
                if alpha <= 0:
                    continue
                cr, cg, cb = paint(x, y)
                # "over" compositing with straight alpha
                out_a = alpha + a * (1 - alpha)
                r = (cr * alpha + r * a * (1 - alpha)) / out_a
                g = (cg * alpha + g * a * (1 - alpha)) / out_a
                b = (cb * alpha + b * a * (1 - alpha)) / out_a
                a = out_a
            pixels += bytes((round(r), round(g), round(b), round(a * 255)))
    return bytes(pixels)


def png(width: int, height: int, rgba: bytes) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    stride = width * 4
    raw = b"".join(b"\x00" + rgba[i * stride : (i + 1) * stride] for i in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def png_size(data: bytes) -> tuple[int, int]:
    """(width, height) of a PNG file's bytes; ValueError if it is not a PNG."""
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        raise ValueError("not a PNG file")
    return struct.unpack(">II", data[16:24])


@functools.cache
def picture(width: int, height: int) -> bytes:
    """The PNG of one size. Rendering pixel by pixel takes about 2 s for the set, and it depends on the size
    alone: a process that builds the widget again (the package tests build it eight times) renders once."""
    return png(width, height, render(width, height))


def write_all(out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, (width, height) in SIZES.items():
        path = out_dir / name
        data = picture(width, height)
        if not path.exists() or path.read_bytes() != data:
            # Atomically: parallel test workers build the widget at once and must never read half a PNG.
            partial = path.with_name(f".{name}.{os.getpid()}.partial")
            partial.write_bytes(data)
            os.replace(partial, path)
        written.append(path)
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[1] / "images"
    for image in write_all(target):
        print(image)
