"""Product pictures of the demo catalog, drawn (pure and deterministic).

A picture is a product's silhouette in the product's colour on a light
background, with its brand above and its kind below. The same `PictureSpec`
always gives the same PNG bytes on a machine (no timestamps, no metadata,
one typeface with the basic layout), so a picture's sha256, its image id, follows
from the spec alone and the catalog's few hundred distinct pictures are
drawn and stored once each, whatever the catalog's size.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

# DejaVu (Debian's fonts-dejavu-core, installed by the stack); Pillow's own font without it
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
FONT_BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
_SPELLED_OUT = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"}
)
SIZE = 800  # square originals: thumbnails of 160, 320 and 640 px wide
BACKGROUND = (244, 245, 247)
INK = (60, 64, 72)  # text and dark parts
GLASS = (208, 226, 238)  # what "transparent" looks like on a light background
# the demo's colour words (German) and how they are drawn
COLOURS: dict[str, tuple[int, int, int]] = {
    "schwarz": (38, 40, 44),
    "weiß": (252, 252, 252),
    "grau": (128, 132, 140),
    "silber": (196, 200, 206),
    "blau": (46, 96, 178),
    "rot": (196, 48, 52),
    "grün": (52, 132, 84),
    "rosa": (236, 160, 182),
    "braun": (120, 78, 48),
    "beige": (222, 204, 170),
    "transparent": GLASS,
}
DEFAULT_COLOUR = (150, 154, 160)
LABELS: dict[tuple[str, str], str] = {
    ("CASE", ""): "Hülle",
    ("CASE", "wallet"): "Klapphülle",
    ("SCR", ""): "Displayschutz",
    ("CBL", ""): "Ladekabel",
    ("CHG", ""): "Ladegerät",
    ("CHG", "wireless"): "Kabelloses Ladegerät",
    ("CHG", "car"): "KFZ-Ladegerät",
    ("AUD", ""): "Kopfhörer",
    ("AUD", "in-ear"): "In-Ear Kopfhörer",
    ("PWR", ""): "Powerbank",
    ("PWR", "magnetic"): "Magnetische Powerbank",
    ("HLD", ""): "Halterung",
}


@dataclass(frozen=True, slots=True)
class PictureSpec:
    """Everything a picture shows: the silhouette (kind, shape) in a colour, and the brand."""

    kind: str  # the demo's id segment: CASE, SCR, CBL, CHG, AUD, PWR, HLD
    shape: str  # a variant of the kind's silhouette ("" for its usual one)
    colour: str
    brand: str

    @property
    def label(self) -> str:
        """The kind in words, shown under the silhouette."""
        return LABELS.get((self.kind, self.shape)) or LABELS.get((self.kind, ""), "Zubehör")


Painter = Callable[[ImageDraw.ImageDraw, str, tuple[int, int, int]], None]


def _outline(fill: tuple[int, int, int]) -> tuple[int, int, int]:
    # a darker edge, so white and glass silhouettes stand out from the background
    return tuple(max(0, int(c * 0.6)) for c in fill)  # type: ignore[return-value]


def _phone_back(draw: ImageDraw.ImageDraw, shape: str, fill: tuple[int, int, int]) -> None:
    edge = _outline(fill)
    draw.rounded_rectangle((270, 150, 530, 650), radius=46, fill=fill, outline=edge, width=8)
    draw.rounded_rectangle((296, 176, 410, 290), radius=26, fill=_outline(fill), outline=edge)
    for x, y in ((326, 206), (372, 206), (326, 252)):
        draw.ellipse((x - 16, y - 16, x + 16, y + 16), fill=INK)
    if shape == "wallet":  # the flap of a folio case
        draw.rounded_rectangle((512, 150, 560, 650), radius=16, fill=edge)


def _phone_front(draw: ImageDraw.ImageDraw, shape: str, fill: tuple[int, int, int]) -> None:
    draw.rounded_rectangle((270, 150, 530, 650), radius=46, fill=INK)
    draw.rounded_rectangle((284, 164, 516, 636), radius=36, fill=fill, outline=_outline(fill))
    draw.polygon(((300, 420), (500, 250), (500, 300), (300, 470)), fill=BACKGROUND)
    draw.rounded_rectangle((370, 178, 430, 194), radius=8, fill=INK)


def _cable(draw: ImageDraw.ImageDraw, shape: str, fill: tuple[int, int, int]) -> None:
    edge = _outline(fill)
    draw.arc((200, 200, 600, 600), start=160, end=380, fill=edge, width=34)
    draw.arc((206, 206, 594, 594), start=162, end=378, fill=fill, width=22)
    for x, y in ((206, 470), (594, 470)):
        draw.rounded_rectangle((x - 34, y, x + 34, y + 110), radius=12, fill=fill, outline=edge)
        draw.rectangle((x - 20, y + 110, x + 20, y + 160), fill=(190, 194, 200), outline=INK)


def _charger(draw: ImageDraw.ImageDraw, shape: str, fill: tuple[int, int, int]) -> None:
    edge = _outline(fill)
    if shape == "wireless":
        draw.ellipse((220, 280, 580, 560), fill=edge)
        draw.ellipse((220, 250, 580, 530), fill=fill, outline=edge, width=6)
        draw.ellipse((350, 350, 450, 430), outline=edge, width=6)
    elif shape == "car":
        draw.rounded_rectangle((330, 180, 470, 620), radius=60, fill=fill, outline=edge, width=8)
        draw.rectangle((370, 620, 430, 680), fill=(190, 194, 200), outline=INK)
        for y in (260, 330):
            draw.rounded_rectangle((365, y, 435, y + 26), radius=6, fill=INK)
    else:
        draw.rectangle((340, 150, 360, 250), fill=(190, 194, 200), outline=INK)
        draw.rectangle((440, 150, 460, 250), fill=(190, 194, 200), outline=INK)
        draw.rounded_rectangle((270, 240, 530, 600), radius=40, fill=fill, outline=edge, width=8)
        draw.rounded_rectangle((360, 520, 440, 546), radius=12, fill=INK)


def _headphones(draw: ImageDraw.ImageDraw, shape: str, fill: tuple[int, int, int]) -> None:
    edge = _outline(fill)
    if shape == "in-ear":
        for x in (310, 490):
            draw.ellipse((x - 70, 260, x + 70, 400), fill=fill, outline=edge, width=8)
            draw.rounded_rectangle((x - 22, 370, x + 22, 600), radius=20, fill=fill, outline=edge)
        return
    draw.arc((210, 150, 590, 560), start=180, end=360, fill=edge, width=40)
    draw.arc((216, 156, 584, 554), start=182, end=358, fill=fill, width=26)
    for x in (230, 570):
        draw.rounded_rectangle(
            (x - 60, 330, x + 60, 560), radius=50, fill=fill, outline=edge, width=8
        )


def _powerbank(draw: ImageDraw.ImageDraw, shape: str, fill: tuple[int, int, int]) -> None:
    edge = _outline(fill)
    draw.rounded_rectangle((240, 230, 560, 570), radius=40, fill=fill, outline=edge, width=8)
    for i in range(4):
        x = 330 + 46 * i
        draw.ellipse((x - 10, 500, x + 10, 520), fill=(80, 200, 120) if i < 3 else INK)
    if shape == "magnetic":
        draw.ellipse((320, 290, 480, 450), outline=edge, width=10)


def _holder(draw: ImageDraw.ImageDraw, shape: str, fill: tuple[int, int, int]) -> None:
    edge = _outline(fill)
    draw.rounded_rectangle((390, 420, 410, 600), radius=8, fill=edge)
    draw.rounded_rectangle((300, 590, 500, 630), radius=16, fill=fill, outline=edge, width=6)
    draw.rounded_rectangle((300, 160, 500, 440), radius=30, fill=(230, 232, 236), outline=INK)
    for y in (200, 380):  # the clamp's arms
        draw.rounded_rectangle((280, y, 520, y + 34), radius=14, fill=fill, outline=edge, width=6)


def _product(draw: ImageDraw.ImageDraw, shape: str, fill: tuple[int, int, int]) -> None:
    edge = _outline(fill)
    draw.rounded_rectangle((250, 200, 550, 600), radius=40, fill=fill, outline=edge, width=8)


# one painter per product kind; a kind not listed gets a plain box
PAINTERS: dict[str, Painter] = {
    "CASE": _phone_back,
    "SCR": _phone_front,
    "CBL": _cable,
    "CHG": _charger,
    "AUD": _headphones,
    "PWR": _powerbank,
    "HLD": _holder,
}


@cache
def _font(size: int, bold: bool) -> ImageFont.FreeTypeFont:
    # the basic layout everywhere: the same bytes whether or not libraqm is installed
    path = FONT_BOLD if bold else FONT
    if path.exists():
        return ImageFont.truetype(str(path), size, layout_engine=ImageFont.Layout.BASIC)
    font = ImageFont.load_default(size=size)
    assert isinstance(font, ImageFont.FreeTypeFont), "Pillow was built without FreeType"
    return font.font_variant(layout_engine=ImageFont.Layout.BASIC)


def _writable(text: str) -> str:
    # Pillow's own font has no umlauts: spell them out where DejaVu is missing
    if FONT.exists():
        return text
    return text.translate(_SPELLED_OUT)


def _centred(draw: ImageDraw.ImageDraw, text: str, y: int, size: int, bold: bool) -> None:
    text = _writable(text)
    font = _font(size, bold)
    while size > 16 and draw.textlength(text, font=font) > SIZE - 80:
        size -= 4
        font = _font(size, bold)
    draw.text((SIZE / 2, y), text, fill=INK, font=font, anchor="mm")


def draw(spec: PictureSpec) -> bytes:
    """The picture of `spec` as PNG bytes (the same bytes for the same spec)."""
    image = Image.new("RGB", (SIZE, SIZE), BACKGROUND)
    canvas = ImageDraw.Draw(image)
    fill = COLOURS.get(spec.colour, DEFAULT_COLOUR)
    PAINTERS.get(spec.kind, _product)(canvas, spec.shape, fill)
    _centred(canvas, spec.brand, 80, 60, bold=True)
    _centred(canvas, spec.label, 730, 42, bold=False)
    out = io.BytesIO()
    image.save(out, "PNG", compress_level=3)  # 2x faster than 6, 1.7x the bytes
    return out.getvalue()
