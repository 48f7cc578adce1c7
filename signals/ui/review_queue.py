"""The Duiding queue on screen: search, saved filters, the table (a click opens a row), paging.

All choices live in session state under `duiding_*` keys, so a saved filter can fill the
widgets before they are drawn (in the selectbox's on_change callback).
"""

from __future__ import annotations

from dataclasses import replace

import streamlit as st
from sqlalchemy import Engine

from signals.db.uow import read_session, run_write
from signals.errors import DomainError
from signals.services.actor import Actor
from signals.services.review import OPEN_STATUSES, SORTS, QueuePage
from signals.services.saved_filters import (
    NamedFilter,
    delete_filter,
    named_filters,
    save_filter,
)
from signals.services.signal_filter import MAX_SEARCH, SignalFilter
from signals.ui.feedback import flash, show_error
from signals.ui.signal_filters import filter_widgets

PREFIX = "duiding"
PAGE_SIZES = (25, 50, 100)
OVERDUE_FILL = "background-color: #fde2e1"  # light red; the text column says it as well
COLUMNS = {  # age first: on a phone the first columns are what shows without scrolling
    "referentie": "Referentie",
    "days_open": st.column_config.NumberColumn("Dagen open", format="%d"),
    "te_lang": "Let op", "status": "Status", "wijk": "Wijk", "categorie": "Categorie",
    "ernst": st.column_config.NumberColumn("Ernst", format="%d"),
    "datum": "Waargenomen", "reported_on": "Open sinds",
    "betrouwbaarheid": "Betrouwbaarheid", "themas": "Thema's",
    "melder": "Gemeld door (rol)", "online": "Online", "actiedatum": "Actiedatum",
    "beschrijving": "Beschrijving",
}


def queue_filters(engine: Engine, actor: Actor, wijken: dict[int, str],
                  themes: list[str]) -> tuple[SignalFilter, str]:
    """Search field, saved filters and the filter widgets; returns the filter and sort."""
    with read_session(engine) as session:
        saved = {f.key: f for f in named_filters(session, actor)}
    search_col, saved_col = st.columns([3, 2], vertical_alignment="bottom")
    text = search_col.text_input(
        "Zoeken", key=f"{PREFIX}_zoek", max_chars=MAX_SEARCH,
        placeholder="Referentie, woord uit de beschrijving, actieplek of wijk")
    saved_col.selectbox("Opgeslagen filters", list(saved), index=None,
                        format_func=lambda k: saved[k].name, key=f"{PREFIX}_opgeslagen",
                        placeholder="Kies een filter", on_change=_apply_saved, args=(saved,))
    with st.expander("Filters en sortering", expanded=False):
        # Open statuses to start with, through session state only: a widget default next to a
        # value set by a saved filter would make Streamlit warn.
        st.session_state.setdefault(f"{PREFIX}_status", list(OPEN_STATUSES))
        flt = filter_widgets(PREFIX, wijken, themes)
        flags, sort_col = st.columns(2)
        mine = flags.checkbox("Alleen meldingen waar ik aan werkte", key=f"{PREFIX}_mijn")
        with_date = flags.checkbox("Alleen met actiedatum", key=f"{PREFIX}_actiedatum")
        sort = sort_col.selectbox("Sorteren", list(SORTS), format_func=lambda s: SORTS[s][0],
                                  key=f"{PREFIX}_sort")
        flt = replace(flt, text=text, mine=mine, with_action_date=with_date)
        _manage_saved(engine, actor, flt, sort, saved)
    return flt, sort


def _apply_saved(saved: dict[str, NamedFilter]) -> None:
    chosen = saved.get(st.session_state.get(f"{PREFIX}_opgeslagen") or "")
    if chosen is None:
        return
    flt = chosen.filter
    st.session_state.update({
        f"{PREFIX}_wijk": list(flt.wijk_ids), f"{PREFIX}_categorie": list(flt.categories),
        f"{PREFIX}_thema": list(flt.themes), f"{PREFIX}_status": list(flt.statuses),
        f"{PREFIX}_zoek": flt.text, f"{PREFIX}_mijn": flt.mine,
        f"{PREFIX}_actiedatum": flt.with_action_date, f"{PREFIX}_sort": chosen.sort})
    st.session_state.pop(f"{PREFIX}_page", None)  # a new filter starts on page 1
    period = tuple(d for d in (flt.date_from, flt.date_to) if d)
    if period:
        st.session_state[f"{PREFIX}_periode"] = period
    else:  # back to the widget's own empty default (setting it would make Streamlit warn)
        st.session_state.pop(f"{PREFIX}_periode", None)


def _manage_saved(engine: Engine, actor: Actor, flt: SignalFilter, sort: str,
                  saved: dict[str, NamedFilter]) -> None:
    name_col, save_col, delete_col = st.columns([3, 1, 1], vertical_alignment="bottom")
    name = name_col.text_input("Deze filter bewaren als", key=f"{PREFIX}_filternaam",
                               max_chars=60, placeholder="bijvoorbeeld: Oost, ernst 4+")
    if save_col.button("Bewaren", key=f"{PREFIX}_filter_bewaren", disabled=not name.strip()):
        _write(engine, lambda s: save_filter(s, actor, name, flt, sort),
               f"Filter '{name.strip()}' bewaard.")
    chosen = saved.get(st.session_state.get(f"{PREFIX}_opgeslagen") or "")
    if delete_col.button("Verwijderen", key=f"{PREFIX}_filter_weg",
                         disabled=chosen is None or chosen.preset,
                         help="Verwijdert het gekozen eigen filter (niet de vaste filters)."):
        assert chosen is not None
        st.session_state.pop(f"{PREFIX}_opgeslagen", None)
        _write(engine, lambda s: delete_filter(s, actor, chosen.key),
               f"Filter '{chosen.name}' verwijderd.")


def _write(engine: Engine, work, message: str) -> None:  # type: ignore[no-untyped-def]
    try:
        run_write(engine, work)
    except DomainError as exc:
        show_error(exc)
    else:
        flash(message)
        st.rerun()


def page_request() -> tuple[int, int]:
    """The page and page size the user chose (read before the queue is loaded)."""
    size = st.session_state.get(f"{PREFIX}_page_size", 50)
    page = st.session_state.get(f"{PREFIX}_page", 1)
    return (page if isinstance(page, int) and page >= 1 else 1,
            size if size in PAGE_SIZES else 50)


def queue_table(queue: QueuePage) -> int | None:
    """The queue with overdue rows highlighted; returns the id of a newly clicked row."""
    overdue = int(queue.rows["overdue"].sum())
    st.caption(f"{queue.total} meldingen · pagina {queue.page} van {queue.pages}"
               + (f" · {overdue} op deze pagina staan langer dan {queue.overdue_days} dagen "
                  "open" if overdue else "") + ". Melders worden alleen met hun rol getoond.")
    view = queue.rows.assign(te_lang=["te lang open" if o else "" for o in
                                      queue.rows["overdue"]])
    view = view[list(COLUMNS)]
    flags = queue.rows["overdue"].tolist()
    styled = view.style.apply(lambda row: [OVERDUE_FILL if flags[row.name] else ""] * len(row),
                              axis=1)
    key = f"{PREFIX}_tabel_p{queue.page}"  # a new page starts without a selected row
    event = st.dataframe(styled, hide_index=True, width="stretch", column_config=COLUMNS,
                         on_select="rerun", selection_mode="single-row", key=key)
    rows = list(event.selection.rows) if event is not None else []
    clicked = (key, tuple(rows))
    if not rows or st.session_state.get(f"{PREFIX}_last_click") == clicked:
        return None
    st.session_state[f"{PREFIX}_last_click"] = clicked
    return int(queue.rows.iloc[rows[0]]["id"])


def pager(queue: QueuePage) -> None:
    """Page buttons and the page size, under the table."""
    pages_col, size_col = st.columns([4, 1], vertical_alignment="center")
    with pages_col:
        if queue.pages > 1:
            st.pagination(queue.pages, default=queue.page, key=f"{PREFIX}_page")
        st.caption(f"Pagina {queue.page} van {queue.pages}")
    size_col.selectbox("Per pagina", PAGE_SIZES, index=PAGE_SIZES.index(50),
                       key=f"{PREFIX}_page_size")


def overdue_legend(queue: QueuePage) -> None:
    st.caption(f"Rood gemarkeerd en 'te lang open': nog niet afgehandeld en langer dan "
               f"{queue.overdue_days} dagen geleden gemeld (instelbaar door de beheerder).")

