"""Duiding: coordinators weigh the new and open signals of their wijken."""

import pandas as pd
import streamlit as st

from signals.db.uow import read_session, run_write
from signals.domain import (
    CATEGORY_BY_CODE,
    NUL_MELDING,
    PLATFORMS,
    POLARISATIONS,
    REACHES,
    RELIABILITIES,
    SOURCES,
    STATUS_LABELS,
    THEMES,
    Status,
)
from signals.errors import ConflictError, DomainError
from signals.services.pii import PersonalDataError, PiiConfirmation
from signals.services.review import (
    OPEN_STATUSES,
    SORTS,
    Assessment,
    assess,
    link_candidates,
    link_signals,
    review_queue,
    signal_detail,
    unlink_signals,
)
from signals.services.signal_draft import dutch_date, load_vocabulary, parse_reference, reference
from signals.services.wijken import visible_wijken
from signals.ui.feedback import save_and_rerun, show_error
from signals.ui.reporter_feedback import reporter_feedback_form
from signals.ui.resources import engine_or_stop
from signals.ui.safe import md_escape
from signals.ui.session import require_page
from signals.ui.share import copy_link
from signals.ui.signal_filters import export_buttons, filter_widgets

PAGE_SIZE = 50
actor = require_page("duiding")
engine = engine_or_stop()
with read_session(engine) as session:
    wijken = {w.id: w.name for w in visible_wijken(session, actor)}
    themes = sorted(load_vocabulary(session).themes)

st.title("Duiding")
with st.expander("Filters en sortering", expanded=True):
    flt = filter_widgets("duiding", wijken, themes, default_statuses=OPEN_STATUSES)
    sort_col, page_col = st.columns(2)
    sort = sort_col.selectbox("Sorteren", list(SORTS), format_func=lambda s: SORTS[s][0],
                              key="duiding_sort")
    page = page_col.number_input("Pagina", min_value=1, value=1, step=1, key="duiding_page")

with read_session(engine) as session:
    queue = review_queue(session, actor, flt, sort, int(page), PAGE_SIZE)
st.caption(f"{queue.total} meldingen; pagina {queue.page} van {queue.pages}. Melders worden "
           "alleen met hun rol getoond.")
st.dataframe(queue.rows.drop(columns=["id"]), hide_index=True, width="stretch")
with st.expander("Exporteren (precies deze filter)"):
    export_buttons(engine, actor, flt, "duiding")

# --- detail -------------------------------------------------------------------------------
st.subheader("Melding beoordelen")
labels = {int(r.id): f"{r.referentie} · {r.datum} · {r.wijk} · {r.categorie} · {r.status}"
          for r in queue.rows.itertuples()}
current = st.session_state.get("duiding_viewed")
if isinstance(current, int) and current not in labels:  # keep the open one after a change
    labels[current] = f"{reference(current)} (valt nu buiten de filter)"
linked = st.query_params.get("signaal", "")
if linked.isdigit() and st.session_state.get("duiding_linked") != linked:
    # Opened from a link (wijkprofiel ?signaal=ID): prefill once, then the user's choice wins.
    st.session_state["duiding_linked"] = linked
    st.session_state["duiding_ref"] = reference(int(linked))
pick_col, ref_col = st.columns([3, 1])
picked = pick_col.selectbox("Melding openen", list(labels), format_func=labels.__getitem__,
                            index=None, placeholder="Kies een melding uit de lijst",
                            key="duiding_pick")
typed = ref_col.text_input("of referentienummer", key="duiding_ref", placeholder="WS-000123")
signal_id = parse_reference(typed) if typed.strip() else picked
message = st.session_state.pop("duiding_message", None)
if message:
    st.success(message)
if typed.strip() and signal_id is None:
    st.error("Dat is geen referentienummer; gebruik de vorm WS-000123.")
if signal_id is None:
    st.stop()

first_view = st.session_state.get("duiding_viewed") != signal_id
try:
    if first_view:
        detail = run_write(engine, lambda s: signal_detail(s, actor, signal_id))
        st.session_state["duiding_viewed"] = signal_id
        st.session_state["duiding_seen_version"] = detail.version
    else:
        with read_session(engine) as session:
            detail = signal_detail(session, actor, signal_id, record_view=False)
except DomainError as exc:
    show_error(exc)
    st.stop()
if st.query_params.get("signaal") != str(signal_id):
    # The URL names the open signal, so a reload or a shared link opens it again.
    st.session_state["duiding_linked"] = str(signal_id)
    st.query_params["signaal"] = str(signal_id)
copy_link("duiding", {"signaal": str(signal_id)})

seen = st.session_state.get("duiding_seen_version", detail.version)
if seen != detail.version:
    st.warning("Deze melding is gewijzigd sinds u hem opende. Laad de nieuwe versie voordat "
               "u iets aanpast.")
    if st.button("Nieuwe versie laden", key="duiding_reload"):
        st.session_state["duiding_seen_version"] = detail.version
        st.session_state.pop("duiding_message", None)
        st.rerun()

category = CATEGORY_BY_CODE.get(detail.category)
st.markdown(f"**{detail.reference}** · {md_escape(category.label if category else detail.category)}"
            f" · {md_escape(detail.wijk_name)} · versie {detail.version}")
facts = [
    ("Status", STATUS_LABELS[Status(detail.status)]),
    ("Datum waargenomen", dutch_date(detail.observed_on)),
    ("Gemeld door", detail.reporter),
    ("Ernst", str(detail.severity)),
    ("Betrouwbaarheid", RELIABILITIES.get(detail.reliability, detail.reliability)),
    ("Bereik", REACHES.get(detail.reach, detail.reach)),
    ("Bron", SOURCES.get(detail.source, detail.source)),
    ("Online", ("ja, " + PLATFORMS.get(detail.platform or "", "platform onbekend"))
     if detail.online else "nee"),
    ("Polarisatie", POLARISATIONS.get(detail.polarisation, detail.polarisation)),
    ("Thema's", ", ".join(THEMES.get(t, t) for t in detail.themes) or "-"),
    ("Subtype", detail.subtype or "-"),
]
if detail.action_date or detail.action_place:
    facts += [("Actiedatum", dutch_date(detail.action_date) if detail.action_date else "-"),
              ("Actieplek", detail.action_place or "-")]
st.dataframe(pd.DataFrame(facts, columns=["Veld", "Waarde"]), hide_index=True,
             width="stretch", height=(len(facts) + 1) * 35 + 3)  # every fact, no scrolling
st.caption("Beschrijving")
st.text(detail.description or "(geen beschrijving)")

with st.form("duiding_beoordeling"):
    statuses = [detail.status, *detail.allowed_statuses]
    new_status = st.selectbox("Nieuwe status", statuses,
                              format_func=lambda s: STATUS_LABELS[Status(s)])
    severity = st.slider("Ernst", 1, 5, value=max(1, detail.severity),
                         disabled=detail.category == NUL_MELDING)
    reliability = st.selectbox("Betrouwbaarheid", list(RELIABILITIES),
                               index=list(RELIABILITIES).index(detail.reliability),
                               format_func=RELIABILITIES.__getitem__)
    note = st.text_area("Toelichting (verplicht bij aanpassen van ernst of betrouwbaarheid)",
                        max_chars=2000)
    pii_shown = st.session_state.get("duiding_pii")
    if pii_shown:
        st.warning("Mogelijk persoonsgegevens in de toelichting: "
                   + md_escape(", ".join(f"{label} '{value}'" for label, value in pii_shown))
                   + ". Haal ze weg, of bevestig met een reden.")
        pii_ok = st.checkbox("Ik bevestig dat deze gegevens nodig zijn")
        pii_reason = st.text_input("Reden")
    submitted = st.form_submit_button("Beoordeling opslaan", type="primary")

if submitted:
    change = Assessment(
        status=new_status if new_status != detail.status else None,
        severity=severity if severity != detail.severity and detail.category != NUL_MELDING
        else None,
        reliability=reliability if reliability != detail.reliability else None, note=note)
    confirmation = None
    if pii_shown and pii_ok:
        confirmation = PiiConfirmation(pii_reason, frozenset(v for _, v in pii_shown))
    try:
        version = run_write(engine, lambda s: assess(s, actor, detail.id, seen, change,
                                                     confirmation))
    except PersonalDataError as exc:
        st.session_state["duiding_pii"] = [(m.label, m.value) for ms in exc.found.values()
                                           for m in ms]
        st.rerun()
    except ConflictError as exc:
        st.error(md_escape(exc))
    except DomainError as exc:
        show_error(exc)
    else:
        st.session_state["duiding_seen_version"] = version
        st.session_state.pop("duiding_pii", None)
        st.session_state["duiding_message"] = f"Beoordeling van {detail.reference} opgeslagen."
        st.rerun()

reporter_feedback_form(engine, actor, detail.id)

st.subheader("Gekoppelde meldingen")
if detail.links.empty:
    st.caption("Nog geen gekoppelde meldingen.")
else:
    st.dataframe(detail.links.drop(columns=["id"]), hide_index=True, width="stretch")
with read_session(engine) as session:
    candidates = link_candidates(session, actor, detail.id)
link_col, unlink_col = st.columns(2)
with link_col:
    options = dict(zip(candidates["id"], candidates["label"], strict=True))
    other = st.selectbox("Koppel aan", list(options), format_func=options.__getitem__, index=None,
                         placeholder="Kies een melding uit dezelfde wijk", key="duiding_link")
    if st.button("Koppelen", disabled=other is None, key="duiding_link_button"):
        save_and_rerun(engine, lambda s: link_signals(s, actor, detail.id, int(other)))
with unlink_col:
    linked = dict(zip(detail.links["id"], detail.links["referentie"], strict=True))
    if linked:
        gone = st.selectbox("Ontkoppel", list(linked), format_func=linked.__getitem__, index=None,
                            key="duiding_unlink", placeholder="Kies een koppeling")
        if st.button("Ontkoppelen", disabled=gone is None, key="duiding_unlink_button"):
            save_and_rerun(engine, lambda s: unlink_signals(s, actor, detail.id, int(gone)))

st.subheader("Geschiedenis")
st.dataframe(detail.history, hide_index=True, width="stretch")
