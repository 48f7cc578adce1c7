"""The wijk dossier's pictures as PNGs, drawn with matplotlib (Agg, no browser, no GUI).

The phase strip shows the effective phase per week as coloured cells that carry their
number, so it never relies on colour alone. The trend chart stacks signals per category and
week; category colours come from a colour-blind-safe palette (Paul Tol) that never reuses
the phase colours.
"""

from __future__ import annotations

import io

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from signals.domain import NAFASE_COLOUR, PHASES
from signals.services.report_image import BLIND_COLOUR, DARK_TEXT_PHASES

# Paul Tol's "muted" scheme plus two of his "light" colours: distinguishable with the common
# forms of colour blindness, and none of them equal to a phase colour.
CATEGORY_PALETTE = ("#332288", "#88CCEE", "#44AA99", "#117733", "#999933", "#DDCC77",
                    "#CC6677", "#882255", "#AA4499", "#DDDDDD", "#77AADD", "#EE8866")
MAX_LABELS = 13  # week labels on the axis; more would overlap at 52 weeks


def trend_png(trend: pd.DataFrame, categories: dict[str, str]) -> bytes:
    """`trend`: one row per week (week, effective_phase, n_<category> columns);
    `categories`: count column -> Dutch label, in stacking order."""
    figure = Figure(figsize=(7.2, 3.2), dpi=150)
    axes = figure.add_subplot()
    weeks = [f"{int(str(w)[-2:])}" for w in trend["week"]]
    positions = list(range(len(weeks)))
    bottom = [0] * len(weeks)
    shown = [c for c in categories if c in trend.columns and trend[c].sum() > 0]
    for i, column in enumerate(shown):
        values = [int(v) for v in trend[column]]
        axes.bar(positions, values, bottom=bottom, width=0.8, label=categories[column],
                 color=CATEGORY_PALETTE[i % len(CATEGORY_PALETTE)], edgecolor="white",
                 linewidth=0.3)
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    top = max(bottom, default=0) or 1
    _week_axis(axes, weeks)
    axes.set_ylim(0, top * 1.1)
    axes.set_xlabel("Week", fontsize=7)
    axes.set_ylabel("Signalen", fontsize=7)
    axes.tick_params(axis="y", labelsize=7)
    axes.yaxis.get_major_locator().set_params(integer=True)
    axes.spines[["top", "right"]].set_visible(False)
    if shown:
        axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.28), ncol=3, fontsize=6,
                    frameon=False)
    return _png(figure)


def phase_strip_png(trend: pd.DataFrame) -> bytes:
    """One cell per week: the effective phase's colour and number; "?" for onvoldoende
    zicht (grey when phase 0: silence is not "Rust"); a purple outline for nafase."""
    figure = Figure(figsize=(7.2, 1.0), dpi=150)
    axes = figure.add_subplot()
    weeks = [f"{int(str(w)[-2:])}" for w in trend["week"]]
    size = 7 if len(weeks) <= 26 else 5
    rows = zip(trend["effective_phase"], trend["visibility"], trend["nafase"], strict=True)
    for x, (phase, visibility, nafase) in enumerate(rows):
        phase, blind = int(phase), visibility == "onvoldoende"
        grey = blind and phase == 0
        axes.add_patch(Rectangle((x - 0.5, 0), 1, 1, facecolor=BLIND_COLOUR if grey
                                 else PHASES[phase].colour, edgecolor="white", linewidth=0.5))
        if bool(nafase):
            axes.add_patch(Rectangle((x - 0.42, 0.08), 0.84, 0.84, fill=False,
                                     edgecolor=NAFASE_COLOUR, linewidth=1.5))
        ink = "black" if DARK_TEXT_PHASES[phase] and not grey else "white"
        axes.text(x, 0.5, f"{phase}?" if blind else str(phase), ha="center", va="center",
                  fontsize=size, color=ink)
    _week_axis(axes, weeks)
    axes.set_ylim(0, 1)
    axes.set_yticks([])
    axes.spines[["top", "right", "left"]].set_visible(False)
    return _png(figure)


def _week_axis(axes, weeks: list[str]) -> None:  # type: ignore[no-untyped-def]
    """Week numbers under the cells or bars, thinned so they never overlap."""
    step = max(1, -(-len(weeks) // MAX_LABELS))
    positions = list(range(len(weeks)))
    axes.set_xticks(positions[::step], weeks[::step], fontsize=7)
    axes.set_xlim(-0.6, len(weeks) - 0.4)


def _png(figure: Figure) -> bytes:
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
