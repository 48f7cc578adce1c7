"""The Netwerk page's forms: add a key figure, deactivate, move, a new code, the mix.

A new activation code is shown once, right after it was issued, with its link; it is kept
in this browser session only until it has been shown, and never stored in clear.
"""

from __future__ import annotations

from datetime import datetime

import streamlit as st
from sqlalchemy import Engine

from signals.db.uow import read_session, run_write
from signals.domain import REPORTER_ROLES
from signals.errors import DomainError
from signals.localtime import LOCAL_TZ
from signals.navigation import ACTIVATE
from signals.services import network_admin, settings
from signals.services.activation import IssuedCode
from signals.services.actor import Actor
from signals.ui.feedback import save_and_rerun, show_error, show_flash
from signals.ui.field_labels import labelled
from signals.ui.share import page_url

ISSUED_KEY = "_network_issued_code"
LABELS = {"wijk_code": "Wijken", "reporter_role": "Rol", "gebruikersnaam": "Sleutelfiguur",
          "Rol type": "Rol", **REPORTER_ROLES}


def show_issued_code() -> None:
    """The code issued in the previous run, once; gone at the next rerun."""
    show_flash()
    issued = st.session_state.pop(ISSUED_KEY, None)
    if not isinstance(issued, IssuedCode):
        return
    expires = issued.expires_at.astimezone(LOCAL_TZ)
    with st.container(border=True):
        st.success(f"Activatiecode voor {issued.username}. Geef de code of de link door aan "
                   "de sleutelfiguur (bijvoorbeeld in een gesprek of per sms). U ziet de code "
                   "maar één keer; er wordt geen wachtwoord verstuurd.")
        st.caption("Code")
        st.code(issued.code, language=None)
        st.caption("Link (werkt ook op een telefoon)")
        st.code(page_url(ACTIVATE.key, {"code": issued.code}), language=None,
                wrap_lines=True)
        st.caption(f"Geldig tot {_moment(expires)}, één keer te gebruiken.")


def add_form(engine: Engine, actor: Actor, wijken: dict[str, str]) -> None:
    with st.form("netwerk_toevoegen", clear_on_submit=True):
        username = st.text_input("Gebruikersnaam", max_chars=40, help=(
            "Kleine letters, cijfers, punt of streepje; geen volledige naam nodig."))
        role = st.selectbox("Rol", list(REPORTER_ROLES), format_func=REPORTER_ROLES.__getitem__,
                            index=None, placeholder="Kies een rol")
        chosen = st.multiselect("Wijken", list(wijken), format_func=wijken.__getitem__,
                                placeholder="Kies een of meer wijken")
        st.caption("Bewaar hier geen contactgegevens: alleen een gebruikersnaam en de rol.")
        submitted = st.form_submit_button("Toevoegen en activatiecode maken", type="primary")
    if submitted:
        _issue(engine, lambda s: network_admin.add_key_figure(s, actor, username, role or "",
                                                              chosen))


def manage_form(engine: Engine, actor: Actor, usernames: list[str],
                wijken: dict[str, str]) -> None:
    if not usernames:
        st.caption("Nog geen actieve sleutelfiguren om te beheren.")
        return
    who = st.selectbox("Sleutelfiguur", usernames, index=None, key="netwerk_wie",
                       placeholder="Kies een sleutelfiguur")
    move_col, code_col, stop_col = st.columns(3, vertical_alignment="bottom")
    target = move_col.selectbox("Verplaatsen naar wijk", list(wijken),
                                format_func=wijken.__getitem__, index=None,
                                key="netwerk_naar", placeholder="Kies een wijk")
    if move_col.button("Verplaatsen", disabled=who is None or target is None):
        save_and_rerun(engine, lambda s: network_admin.move_key_figure(s, actor, who, target),
                       f"{who} is verplaatst naar {wijken[target]}.")
    if code_col.button("Nieuwe activatiecode", disabled=who is None,
                       help="Alleen zolang de sleutelfiguur nog geen wachtwoord heeft."):
        _issue(engine, lambda s: network_admin.new_activation_code(s, actor, who))
    if stop_col.button("Deactiveren", disabled=who is None, type="secondary",
                       help="De sleutelfiguur is gestopt: inloggen kan niet meer en er "
                            "wordt geen melding meer verwacht."):
        save_and_rerun(engine, lambda s: network_admin.deactivate_key_figure(s, actor, who),
                       f"{who} is gedeactiveerd.")


def mix_form(engine: Engine, actor: Actor, wijken: dict[str, str]) -> None:
    code = st.selectbox("Wijk", list(wijken), format_func=wijken.__getitem__,
                        key="netwerk_mix_wijk")
    if code is None:
        return
    with read_session(engine) as session:
        current = network_admin.desired_mix(session, actor, code)
    with st.form(f"netwerk_mix_{code}"):
        st.caption("Hoeveel sleutelfiguren van elke rol wilt u in deze wijk? 0 = niet nodig.")
        columns = st.columns(3)
        wanted = {role: int(columns[i % 3].number_input(
            label, min_value=0, max_value=network_admin.MAX_DESIRED, step=1,
            value=current.get(role, 0), key=f"mix_{code}_{role}"))
            for i, (role, label) in enumerate(REPORTER_ROLES.items())}
        submitted = st.form_submit_button("Gewenste mix opslaan")
    if submitted:
        save_and_rerun(engine, lambda s: network_admin.set_desired_mix(s, actor, code, wanted),
                       f"Gewenste mix voor {wijken[code]} opgeslagen.")


def settings_form(engine: Engine, actor: Actor) -> None:
    with read_session(engine) as session:
        current = settings.network_settings(session)
    with st.form("netwerk_instellingen"):
        left, right = st.columns(2)
        minimum = left.number_input(settings.NETWORK_LIMITS["min_key_figures"][2], 1, 50,
                                    value=current.min_key_figures, step=1)
        dormant = right.number_input(settings.NETWORK_LIMITS["dormant_weeks"][2], 1, 26,
                                     value=current.dormant_weeks, step=1)
        submitted = st.form_submit_button("Instellingen opslaan")
    if submitted:
        save_and_rerun(engine, lambda s: settings.update_network(s, actor, int(minimum),
                                                                 int(dormant)),
                       "Netwerkinstellingen opgeslagen.")


def _issue(engine: Engine, work) -> None:  # type: ignore[no-untyped-def]
    try:
        issued = run_write(engine, work)
    except DomainError as exc:
        show_error(labelled(exc, LABELS))
    else:
        st.session_state[ISSUED_KEY] = issued
        st.rerun()


def _moment(moment: datetime) -> str:
    return f"{moment:%d-%m-%Y %H:%M}"
