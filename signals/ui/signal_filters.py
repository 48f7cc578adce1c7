"""Filter widgets for signals (Duiding queue, export) and the export download buttons.

The same SignalFilter object drives the table on screen and the export, so a download is
exactly what the filter shows. Exports are made (and audited) only when a button is clicked.
"""

from __future__ import annotations

from datetime import date, timedelta

import streamlit as st
from sqlalchemy import Engine

from signals.db.uow import run_write
from signals.domain import CATEGORIES, STATUS_LABELS, THEMES
from signals.localtime import today_local
from signals.services.actor import Actor
from signals.services.signal_export import MIME, export_signals
from signals.services.signal_filter import SignalFilter


def filter_widgets(prefix: str, wijken: dict[int, str], themes: list[str] | dict[str, str],
                   default_statuses: tuple[str, ...] = (), default_weeks: int | None = None
                   ) -> SignalFilter:
    """Wijk, category, theme, status and period; returns the filter they describe.

    `themes`: code -> label (services.categories.theme_choices), or bare codes."""
    names = themes if isinstance(themes, dict) else {t: THEMES.get(t, t) for t in themes}
    categories = {c.code: c.label for c in CATEGORIES}
    statuses = {s.value: label for s, label in STATUS_LABELS.items()}
    columns = st.columns(2)
    with columns[0]:
        chosen_wijken = st.multiselect("Wijk", list(wijken), format_func=wijken.__getitem__,
                                       key=f"{prefix}_wijk", placeholder="Alle wijken")
        chosen_categories = st.multiselect("Categorie", list(categories),
                                           format_func=categories.__getitem__,
                                           key=f"{prefix}_categorie",
                                           placeholder="Alle categorieën")
        chosen_themes = st.multiselect("Thema", list(names), format_func=names.__getitem__,
                                       key=f"{prefix}_thema", placeholder="Alle thema's")
    with columns[1]:
        chosen_statuses = st.multiselect("Status", list(statuses), format_func=statuses.__getitem__,
                                         default=list(default_statuses) or None,
                                         key=f"{prefix}_status", placeholder="Alle statussen")
        today = today_local()
        start = today - timedelta(weeks=default_weeks) if default_weeks else None
        period = st.date_input("Periode (datum waargenomen)",
                               value=(start, today) if start else (), max_value=today,
                               format="DD-MM-YYYY", key=f"{prefix}_periode")
    first, last = _period(period)
    return SignalFilter(wijk_ids=tuple(chosen_wijken), categories=tuple(chosen_categories),
                        themes=tuple(chosen_themes), statuses=tuple(chosen_statuses),
                        date_from=first, date_to=last)


def _period(value: object) -> tuple[date | None, date | None]:
    if isinstance(value, date):
        return value, value
    if isinstance(value, (tuple, list)):
        days = [d for d in value if isinstance(d, date)]
        if len(days) == 1:
            return days[0], None
        if len(days) == 2:
            return days[0], days[1]
    return None, None


def export_buttons(engine: Engine, actor: Actor, flt: SignalFilter, prefix: str) -> None:
    """CSV and XLSX downloads of exactly `flt`; the file is built when clicked."""
    stamp = today_local().strftime("%Y%m%d")
    columns = st.columns(2)
    for column, fmt, label in ((columns[0], "csv", "Exporteer als CSV"),
                               (columns[1], "xlsx", "Exporteer als Excel")):
        name = f"signalen-{stamp}.{fmt}"

        def build(fmt: str = fmt, name: str = name) -> bytes:
            return run_write(engine, lambda s: export_signals(s, actor, flt, fmt, name)).data  # type: ignore[arg-type]

        with column:
            st.download_button(label, data=build, file_name=name, mime=MIME[fmt],
                               key=f"{prefix}_export_{fmt}", on_click="ignore",
                               icon=":material/download:", width="stretch")
