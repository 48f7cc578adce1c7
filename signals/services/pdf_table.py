"""Tables in the PDF reports: column widths from their content, never a word split in two.

Each column is at least as wide as its longest single word (headers in bold), so fpdf2's
word wrapping never has to break inside a word ("Voorste|l"); the width left over goes to
the columns with the most text (on average over the rows, so one long cell does not claim
the width a column of long reasons needs). Cells are padded so text never touches a border.
"""

from __future__ import annotations

from collections.abc import Sequence

from fpdf import FPDF

PADDING = 1.2  # mm between text and cell border, each side
SLACK = 0.6  # mm: rounding in fpdf2's line breaking must not push a word to the next line
MAX_SHARE = 0.45  # no column asks for more than this share of the width for its full text


def fit_widths(pdf: FPDF, header: Sequence[str], rows: Sequence[Sequence[str]],
               width: float | None = None, padding: float = PADDING) -> tuple[float, ...]:
    """Column widths in mm that sum to `width` (default: the page's usable width), for the
    font size currently set on `pdf`."""
    total = width if width is not None else pdf.epw
    family, style, size = pdf.font_family, pdf.font_style, pdf.font_size_pt
    extra = 2 * padding + SLACK
    pdf.set_font(family, "B", size)
    head_words = [_longest_word(pdf, h) for h in header]
    head_full = [pdf.get_string_width(h) for h in header]
    pdf.set_font(family, style.replace("B", ""), size)
    minimum, wanted, need = [], [], []
    for i in range(len(header)):
        cells = [str(r[i]) for r in rows]
        minimum.append(max([head_words[i], *(_longest_word(pdf, c) for c in cells)]) + extra)
        widths = [min(pdf.get_string_width(c) + extra, total * MAX_SHARE) for c in cells]
        full = max([head_full[i] + extra, *widths])
        wanted.append(max(minimum[-1], full))
        need.append(sum(max(0.0, w - minimum[-1]) for w in widths) / max(len(cells), 1))
    pdf.set_font(family, style, size)
    return _distribute(minimum, wanted, need, total)


def _distribute(minimum: list[float], wanted: list[float], need: list[float],
                total: float) -> tuple[float, ...]:
    if sum(minimum) >= total:  # cannot fit every word: shrink evenly (rare, very many columns)
        return tuple(m * total / sum(minimum) for m in minimum)
    if sum(wanted) <= total:  # everything fits on one line: share the rest by width
        spare = total - sum(wanted)
        return tuple(w + spare * w / sum(wanted) for w in wanted)
    room = total - sum(minimum)
    if sum(need) <= 0:
        return tuple(m + room / len(minimum) for m in minimum)
    return tuple(m + room * n / sum(need) for m, n in zip(minimum, need, strict=True))


def _longest_word(pdf: FPDF, text: str) -> float:
    return max((pdf.get_string_width(w) for w in str(text).split()), default=0.0)
