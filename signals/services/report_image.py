"""The phase heatmap of the weekly report as a PNG, drawn with Pillow.

Pillow comes with fpdf2 and needs no browser, so scheduled report jobs stay robust (a
plotly image export would need kaleido and a Chrome). Every cell carries its phase number,
so the picture never relies on colour alone.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from functools import cache
from pathlib import Path

import pandas as pd
from PIL import Image, ImageDraw, ImageFont

from signals.domain import NAFASE_COLOUR, PHASES

FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    "/usr/local/share/fonts/DejaVuSans.ttf",
    "/Library/Fonts/DejaVuSans.ttf",
    "C:/Windows/Fonts/DejaVuSans.ttf",
)
SCALE = 2  # drawn at twice the size, so the PDF stays sharp when printed
CELL_W, CELL_H = 26, 18
NAME_W, HEADER_H, LEGEND_H = 150, 22, 48
MIN_WIDTH = 640  # room for the legend under a narrow grid
DARK_TEXT_PHASES = {0: False, 1: True, 2: True, 3: False, 4: False}
BLIND_COLOUR = "#757575"


@cache
def unicode_font_path(bold: bool = False) -> Path | None:
    """A DejaVuSans TTF (bold or regular) if one is installed, else None."""
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    override = os.environ.get("WIJKSIGNALEN_FONT_DIR")
    candidates = [str(Path(override) / name)] if override else []
    candidates += [c.replace("DejaVuSans.ttf", name) for c in FONT_CANDIDATES]
    for candidate in candidates:
        if Path(candidate).is_file():
            return Path(candidate)
    return _fontconfig_lookup("DejaVu Sans:bold" if bold else "DejaVu Sans")


def _fontconfig_lookup(pattern: str) -> Path | None:
    if shutil.which("fc-match") is None:
        return None
    try:
        found = subprocess.run(["fc-match", "-f", "%{file}", pattern], capture_output=True,
                               text=True, timeout=5, check=False).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return Path(found) if found.lower().endswith(".ttf") and "dejavu" in found.lower() \
        and Path(found).is_file() else None


def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    path = unicode_font_path(bold)
    if path is not None:
        return ImageFont.truetype(str(path), size * SCALE)
    return ImageFont.load_default(size * SCALE)


def heatmap_png(heatmap: pd.DataFrame, blind: pd.DataFrame | None = None,
                nafase: pd.DataFrame | None = None) -> bytes:
    """Rows = wijken, columns = week labels ("2026-W47"), values = phase 0-4.

    `blind` marks weeks with onvoldoende zicht ("2?", and grey when phase 0: silence is not
    "Rust"); `nafase` weeks get a purple outline. Both have the shape of `heatmap`.
    """
    blind = blind if blind is not None else heatmap.astype(bool) & False
    nafase = nafase if nafase is not None else heatmap.astype(bool) & False
    n_rows, n_cols = heatmap.shape
    # Few weeks get wider cells, so the grid fills the width the legend needs anyway.
    cell_w = max(CELL_W, (MIN_WIDTH - NAME_W - 10) // max(n_cols, 1))
    width = max(NAME_W + max(n_cols, 1) * cell_w + 10, MIN_WIDTH) * SCALE
    height = (HEADER_H + max(n_rows, 1) * CELL_H + LEGEND_H + 6) * SCALE
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    small, normal = _font(9), _font(10)
    draw.text((4 * SCALE, (HEADER_H - 6) * SCALE), "week", fill="black", font=small,
              anchor="ls")
    for j, week in enumerate(heatmap.columns):
        x = (NAME_W + j * cell_w + cell_w / 2) * SCALE
        draw.text((x, (HEADER_H - 6) * SCALE), str(int(str(week)[-2:])), fill="black",
                  font=small, anchor="ms")
    flags = zip(heatmap.iterrows(), blind.to_numpy(), nafase.to_numpy(), strict=True)
    for i, ((name, values), blind_row, nafase_row) in enumerate(flags):
        y = (HEADER_H + i * CELL_H) * SCALE
        draw.text(((NAME_W - 6) * SCALE, y + CELL_H * SCALE / 2), _fit(str(name), 24),
                  fill="black", font=normal, anchor="rm")
        for j, phase in enumerate(values):
            _cell(draw, NAME_W + j * cell_w, HEADER_H + i * CELL_H, int(phase), normal,
                  bool(blind_row[j]), bool(nafase_row[j]), cell_w)
    _legend(draw, HEADER_H + n_rows * CELL_H + 8, small)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _cell(draw: ImageDraw.ImageDraw, x: float, y: float, phase: int,
          font: ImageFont.FreeTypeFont | ImageFont.ImageFont, blind: bool = False,
          nafase: bool = False, cell_w: int = CELL_W) -> None:
    box = [x * SCALE, y * SCALE, (x + cell_w - 1) * SCALE, (y + CELL_H - 1) * SCALE]
    grey = blind and phase == 0
    draw.rectangle(box, fill=BLIND_COLOUR if grey else PHASES[phase].colour)
    if nafase:
        draw.rectangle(box, outline=NAFASE_COLOUR, width=3 * SCALE)
    ink = "black" if DARK_TEXT_PHASES[phase] and not grey else "white"
    draw.text(((x + cell_w / 2) * SCALE, (y + CELL_H / 2) * SCALE),
              f"{phase}?" if blind else str(phase), fill=ink, font=font, anchor="mm")


def _legend(draw: ImageDraw.ImageDraw, y: float,
            font: ImageFont.FreeTypeFont | ImageFont.ImageFont) -> None:
    """Two lines: phases 0-2, then phases 3-4 and the two flags."""
    keys = [(p.level, False, False, p.name) for p in PHASES]
    keys += [(0, True, False, "onvoldoende zicht"), (1, False, True, "nafase")]
    for line, part in enumerate((keys[:3], keys[3:])):
        x = 4.0
        for level, blind, nafase, label in part:
            top = y + line * (CELL_H + 4)
            _cell(draw, x, top, level, font, blind, nafase)
            draw.text(((x + CELL_W + 4) * SCALE, (top + CELL_H / 2) * SCALE), label,
                      fill="black", font=font, anchor="lm")
            x += CELL_W + 12 + draw.textlength(label, font=font) / SCALE


def _fit(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
