"""The signal form shared by "Signaal melden" and "Mijn meldingen" (edit).

No st.form: the form reacts to the category (a call to action shows its date and place).
Every widget keeps its value in session state under `<prefix>_<field>`, so a failed save
leaves everything as typed. Saving happens in a button callback, which may reset the form.
Every widget change also stores a server-side draft (signals.services.form_drafts), so a
reload or a dropped connection restores the form with a "Concept hersteld" notice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

import pandas as pd
import streamlit as st

from signals.db.uow import read_session, run_write
from signals.domain import (
    CALL_TO_ACTION,
    CATEGORIES,
    DEFAULT_POLARISATION,
    DEFAULT_REACH,
    DEFAULT_RELIABILITY,
    DEFAULT_SOURCE,
    NUL_MELDING,
    PLATFORMS,
    POLARISATIONS,
    REACHES,
    RELIABILITIES,
    SOURCES,
)
from signals.errors import DomainError, ValidationError
from signals.localtime import today_local
from signals.services.actor import Actor
from signals.services.form_drafts import DRAFT_DAYS, discard_draft, load_draft, save_draft
from signals.services.pii import PersonalDataError, PiiConfirmation
from signals.services.signal_draft import FIELD_LABELS, SignalDraft
from signals.ui.resources import engine_or_stop
from signals.ui.safe import md_escape

FIELDS = ("wijk_id", "observed_on", "category", "description", "action_date",
          "action_place", "themes", "severity", "source", "online", "platform", "reach",
          "reliability", "polarisation", "subtype")
CATEGORY_OPTIONS = [c.code for c in CATEGORIES if c.code != NUL_MELDING]
DEFAULT_SEVERITY = {c.code: c.default_severity for c in CATEGORIES}
PII_COLUMNS = {"description": "Beschrijving", "action_place": "Actieplek",
               "subtype": "Subtype", "note": "Toelichting"}


@dataclass(frozen=True)
class Wijkkeuze:
    id: int
    name: str


@dataclass(frozen=True)
class DraftTarget:
    """Where a form's draft is kept: the user's own draft of one form."""

    form: str  # "melden", or "bewerken:<signal id>"
    actor: Actor


Saved = TypeVar("Saved")
DATE_FIELDS = ("observed_on", "action_date")


def key(prefix: str, field: str) -> str:
    return f"{prefix}_{field}"


def initialise(prefix: str, wijken: list[Wijkkeuze], draft: SignalDraft | None = None) -> None:
    """Put the starting values in session state once (a draft when editing)."""
    if st.session_state.get(key(prefix, "ready")):
        return
    start = draft or SignalDraft(wijk_id=wijken[0].id if wijken else 0,
                                 observed_on=today_local(), category="")
    values = {
        "wijk_id": start.wijk_id if any(w.id == start.wijk_id for w in wijken) else None,
        "observed_on": start.observed_on, "category": start.category or None,
        "description": start.description, "action_date": start.action_date,
        "action_place": start.action_place, "themes": list(start.themes),
        "severity": start.severity or DEFAULT_SEVERITY.get(start.category, 1),
        "source": start.source, "online": start.online, "platform": start.platform,
        "reach": start.reach, "reliability": start.reliability,
        "polarisation": start.polarisation, "subtype": start.subtype,
    }
    for field, value in values.items():
        st.session_state[key(prefix, field)] = value
    st.session_state[key(prefix, "ready")] = True


def reset(prefix: str) -> None:
    """Forget the form (after a successful save); initialise fills it again."""
    for field in (*FIELDS, "ready", "pii", "pii_ok", "pii_reason"):
        st.session_state.pop(key(prefix, field), None)


def render(prefix: str, wijken: list[Wijkkeuze], themes: dict[str, str],
           draft: DraftTarget | None = None) -> None:
    """The widgets: required fields first, then the optional ones in an expander. With a
    draft target, every change is stored as the user's draft."""
    k = lambda field: key(prefix, field)  # noqa: E731 - short and local
    save = {"on_change": _changed, "args": (prefix, draft)}
    names = {w.id: w.name for w in wijken}
    st.selectbox("Wijk *", list(names), format_func=lambda i: names[i], key=k("wijk_id"),
                 placeholder="Kies een wijk", **save)
    st.date_input("Datum waargenomen *", max_value=today_local(), format="DD-MM-YYYY",
                  key=k("observed_on"), **save)
    labels = {c.code: c.label for c in CATEGORIES}
    st.selectbox("Categorie *", CATEGORY_OPTIONS, format_func=lambda c: labels[c],
                 key=k("category"), placeholder="Kies een categorie",
                 on_change=_category_changed, args=(prefix, draft))
    st.text_area("Beschrijving *", key=k("description"), max_chars=5000, height=120,
                 placeholder="Wat zag of hoorde u? Beschrijf de situatie, geen personen: "
                             "geen namen, telefoonnummers of adressen.", **save)
    if st.session_state.get(k("category")) == CALL_TO_ACTION:
        st.date_input("Actiedatum (wanneer is de actie?)", format="DD-MM-YYYY",
                      key=k("action_date"), **save)
        st.text_input("Actieplek (waar?)", key=k("action_place"), max_chars=200, **save)
    with st.expander("Meer details (optioneel)"):
        st.multiselect("Thema's", list(themes), format_func=lambda t: themes[t],
                       key=k("themes"), placeholder="Kies thema's", **save)
        st.slider("Ernst (1 = licht, 5 = zeer ernstig)", 1, 5, key=k("severity"),
                  help="Staat op de standaardernst van de gekozen categorie.", **save)
        st.selectbox("Bron", list(SOURCES), format_func=SOURCES.__getitem__, key=k("source"),
                     **save)
        st.toggle("Online gezien of gehoord", key=k("online"), **save)
        if st.session_state.get(k("online")):
            st.selectbox("Platform", list(PLATFORMS), format_func=PLATFORMS.__getitem__, index=None,
                         key=k("platform"), placeholder="Kies een soort platform", **save)
        st.selectbox("Bereik", list(REACHES), format_func=REACHES.__getitem__, key=k("reach"),
                     **save)
        st.selectbox("Betrouwbaarheid", list(RELIABILITIES), format_func=RELIABILITIES.__getitem__,
                     key=k("reliability"), **save)
        st.selectbox("Polarisatie", list(POLARISATIONS), format_func=POLARISATIONS.__getitem__,
                     key=k("polarisation"), **save)
        st.text_input("Subtype (korte typering, optioneel)", key=k("subtype"), max_chars=100,
                      **save)


def _category_changed(prefix: str, draft: DraftTarget | None = None) -> None:
    category = st.session_state.get(key(prefix, "category"))
    st.session_state[key(prefix, "severity")] = DEFAULT_SEVERITY.get(category, 1)
    _changed(prefix, draft)


# --- drafts --------------------------------------------------------------------------------

RESTORED = "restored"


def restore_draft(prefix: str, wijken: list[Wijkkeuze], draft: DraftTarget) -> bool:
    """Fill a fresh form from the user's stored draft; True when one was restored."""
    if st.session_state.get(key(prefix, "ready")):
        return False
    with read_session(engine_or_stop()) as session:
        values = load_draft(session, draft.actor, draft.form)
    if not values:
        return False
    initialise(prefix, wijken)
    for field in FIELDS:
        if field in values:
            st.session_state[key(prefix, field)] = _from_json(field, values[field])
    if not any(w.id == st.session_state.get(key(prefix, "wijk_id")) for w in wijken):
        st.session_state[key(prefix, "wijk_id")] = None
    st.session_state[key(prefix, RESTORED)] = True
    return True


def render_draft_notice(prefix: str, draft: DraftTarget) -> None:
    if not st.session_state.get(key(prefix, RESTORED)):
        return
    st.info(f"Concept hersteld: u was hiermee bezig. Het concept is alleen voor u zichtbaar "
            f"en wordt na opslaan, of na {DRAFT_DAYS} dagen, verwijderd.",
            icon=":material/restore:")
    st.button("Concept weggooien", icon=":material/delete:", key=key(prefix, "discard"),
              on_click=_discard, args=(prefix, draft))


def forget_draft(prefix: str, draft: DraftTarget) -> None:
    """After a save: the stored draft is gone and the notice too."""
    run_write(engine_or_stop(), lambda s: discard_draft(s, draft.actor, draft.form))
    st.session_state.pop(key(prefix, RESTORED), None)


def _discard(prefix: str, draft: DraftTarget) -> None:
    forget_draft(prefix, draft)
    reset(prefix)
    st.session_state.pop(key(prefix, "version"), None)  # an edit starts from the saved signal


def _changed(prefix: str, draft: DraftTarget | None) -> None:
    if draft is None:
        return
    values = {field: _to_json(st.session_state.get(key(prefix, field))) for field in FIELDS}
    run_write(engine_or_stop(), lambda s: save_draft(s, draft.actor, draft.form, values))


def _to_json(value: object) -> object:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value


def _from_json(field: str, value: object) -> object:
    if field in DATE_FIELDS and isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None if field == "action_date" else today_local()
    return value


def draft_from_state(prefix: str) -> SignalDraft:
    def get(field: str, default: object = None) -> object:
        value = st.session_state.get(key(prefix, field))
        return default if value is None else value

    online = bool(get("online", False))
    observed = get("observed_on")
    return SignalDraft(
        wijk_id=int(get("wijk_id", 0)),  # type: ignore[arg-type]
        observed_on=observed if isinstance(observed, date) else today_local(),
        category=str(get("category", "")), description=str(get("description", "")),
        themes=tuple(get("themes", [])),  # type: ignore[arg-type]
        severity=int(get("severity", 1)),  # type: ignore[arg-type]
        subtype=str(get("subtype", "")), source=str(get("source", DEFAULT_SOURCE)),
        online=online, platform=get("platform") if online else None,  # type: ignore[arg-type]
        reach=str(get("reach", DEFAULT_REACH)),
        reliability=str(get("reliability", DEFAULT_RELIABILITY)),
        polarisation=str(get("polarisation", DEFAULT_POLARISATION)),
        action_date=get("action_date"),  # type: ignore[arg-type]
        action_place=str(get("action_place", "")))


def confirmation(prefix: str) -> PiiConfirmation | None:
    """The user's explicit confirmation of the personal data shown, if given."""
    shown = st.session_state.get(key(prefix, "pii"))
    if not shown or not st.session_state.get(key(prefix, "pii_ok")):
        return None
    values = frozenset(value for _, _, value in shown)
    return PiiConfirmation(str(st.session_state.get(key(prefix, "pii_reason")) or ""), values)


def remember_personal_data(prefix: str, exc: PersonalDataError) -> None:
    st.session_state[key(prefix, "pii")] = [
        (PII_COLUMNS.get(field, field), match.label, match.value)
        for field, matches in exc.found.items() for match in matches]
    st.session_state[key(prefix, "pii_ok")] = False


def render_personal_data(prefix: str) -> None:
    """The matches, and the explicit confirmation with a reason."""
    shown = st.session_state.get(key(prefix, "pii"))
    if not shown:
        return
    st.warning("Mogelijk persoonsgegevens gevonden. Haal ze weg uit de tekst, of bevestig "
               "hieronder dat ze echt nodig zijn en waarom. Uw bevestiging wordt vastgelegd.")
    st.dataframe(pd.DataFrame(shown, columns=["Veld", "Soort", "Gevonden"]), hide_index=True)
    st.checkbox("Ik bevestig dat deze gegevens nodig zijn", key=key(prefix, "pii_ok"))
    st.text_input("Reden (verplicht bij bevestigen)", key=key(prefix, "pii_reason"),
                  max_chars=500)


def submit(prefix: str, save: Callable[[], Saved]) -> Saved | None:
    """Run the save; on a refusal keep every value and show what to fix. None if refused."""
    try:
        return save()
    except PersonalDataError as exc:
        remember_personal_data(prefix, exc)
        set_message(prefix, "warning", ["Controleer de mogelijke persoonsgegevens hieronder; "
                                        "er is nog niets opgeslagen."])
    except DomainError as exc:
        set_message(prefix, "error", error_lines(exc))
    return None


def error_lines(exc: DomainError) -> list[str]:
    """Dutch lines naming the form field, escaped for markdown (they may echo user text)."""
    if isinstance(exc, ValidationError):
        return [md_escape(f"{_label(e.field)}: {e.message}") for e in exc.errors]
    return [md_escape(str(exc))]


def _label(field: str) -> str:
    if field == "wijk_code":
        return "Wijk"
    if field == "reden":
        return "Reden"
    return FIELD_LABELS.get(field, field)


MESSAGE_KEY = "message"


def set_message(prefix: str, kind: str, lines: list[str]) -> None:
    st.session_state[key(prefix, MESSAGE_KEY)] = (kind, lines)


def render_message(prefix: str) -> None:
    """The last save's outcome. A success shows once and is gone after the next action; an
    error stays until the next save, next to the fields it names."""
    stored = st.session_state.get(key(prefix, MESSAGE_KEY))
    if not stored:
        return
    kind, lines = stored
    if kind != "error":
        del st.session_state[key(prefix, MESSAGE_KEY)]
    text = "\n".join(f"- {line}" for line in lines) if len(lines) > 1 else lines[0]
    show: Callable[[str], object] = {"error": st.error, "warning": st.warning,
                                     "success": st.success}.get(kind, st.info)
    if kind == "error" and len(lines) > 1:
        text = f"Controleer {len(lines)} punten; er is nog niets opgeslagen:\n\n{text}"
    elif kind == "error":
        text = f"Er is nog niets opgeslagen. {text}"
    show(text)

