"""Phase and flag badges: always colour AND label, never colour alone (docs/domain.md).

A wijk-week without enough reporters is never shown as plain "Rust": its badge says
"Onvoldoende zicht" instead.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from signals.domain import NAFASE_COLOUR, NAFASE_LABEL, ONVOLDOENDE_ZICHT_LABEL, PHASES

BADGE_COLOURS = ("green", "yellow", "orange", "red", "red")
BADGE_ICONS = (":material/check_circle:", ":material/chat_bubble:", ":material/warning:",
               ":material/campaign:", ":material/local_fire_department:")
NAFASE_ICON = ":material/healing:"
BLIND_ICON = ":material/visibility_off:"
BLIND_COLOUR = "#757575"


def phase_label(level: int, onvoldoende_zicht: bool = False, short: bool = False) -> str:
    """'Fase 3 · Dreigende escalatie'; a blind phase 0 reads 'Onvoldoende zicht'."""
    if level == 0 and onvoldoende_zicht:
        return ONVOLDOENDE_ZICHT_LABEL + ("" if short else " (geen onrust gemeld)")
    return f"Fase {level} · {PHASES[level].name}"


def phase_colour(level: int, onvoldoende_zicht: bool = False) -> str:
    return BLIND_COLOUR if level == 0 and onvoldoende_zicht else PHASES[level].colour


BLIND_HELP = ("Geen onrust gemeld, maar minder dan de helft van de sleutelfiguren meldde deze "
              "week: stilte betekent niet dat het rustig is.")


def phase_badge(level: int, onvoldoende_zicht: bool = False, prefix: str = "",
                short: bool = False) -> None:
    """`short` for narrow places (a tile): "Onvoldoende zicht", the rest in its tooltip, so
    the badge is never cut off."""
    if level == 0 and onvoldoende_zicht:
        st.badge(prefix + phase_label(level, True, short), icon=BLIND_ICON, color="gray",
                 help=BLIND_HELP if short else None)
        return
    st.badge(prefix + phase_label(level), icon=BADGE_ICONS[level], color=BADGE_COLOURS[level])


def flag_badges(nafase: bool, onvoldoende_zicht: bool, sight_weeks: int = 0) -> None:
    """The Nafase and Onvoldoende-zicht flags as badges (nothing when neither is set)."""
    if nafase:
        st.badge(NAFASE_LABEL, icon=NAFASE_ICON, color="violet")
    if onvoldoende_zicht:
        suffix = f" ({sight_weeks} weken)" if sight_weeks > 1 else ""
        st.badge(ONVOLDOENDE_ZICHT_LABEL + suffix, icon=BLIND_ICON, color="gray")


def style_phase_cells(frame: pd.DataFrame, column: str, levels: pd.Series,
                      blind: pd.Series | None = None) -> pd.io.formats.style.Styler:
    """A Styler that paints `column` in the phase colour (its text keeps the label)."""
    blind = blind if blind is not None else pd.Series(False, index=frame.index)
    colours = [phase_colour(int(level), bool(b)) for level, b in zip(levels, blind, strict=True)]
    inks = ["#000000" if int(level) in (1, 2) and not b else "#ffffff"
            for level, b in zip(levels, blind, strict=True)]

    def paint(col: pd.Series) -> list[str]:
        if col.name != column:
            return [""] * len(col)
        return [f"background-color: {c}; color: {i}" for c, i in zip(colours, inks, strict=True)]

    return frame.style.apply(paint, axis=0)


def phase_legend() -> None:
    """One line with every phase badge and the flags: the key to every colour on the page."""
    with st.container(horizontal=True, gap="small"):
        for phase in PHASES:
            phase_badge(phase.level)
        st.badge(NAFASE_LABEL, icon=NAFASE_ICON, color="violet")
        st.badge(ONVOLDOENDE_ZICHT_LABEL, icon=BLIND_ICON, color="gray")


__all__ = ["NAFASE_COLOUR", "flag_badges", "phase_badge", "phase_colour", "phase_label",
           "phase_legend", "style_phase_cells"]
