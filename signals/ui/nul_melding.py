"""The nul-melding buttons of "Signaal melden": report, confirm after a real signal, undo.

One row per wijk. Without a nul-melding this week: the button. After the key figure's own
real signal in that wijk and week the service asks first, and the row shows "Weet u het
zeker?" with a yes and a no. With a nul-melding this week: its reference and an undo button.
"""

from __future__ import annotations

import streamlit as st
from sqlalchemy import Engine

from signals.db.uow import run_write
from signals.errors import DomainError
from signals.services.actor import Actor
from signals.services.intake import (
    NulMeldingAfterSignal,
    record_nul_melding,
    withdraw_nul_melding,
)
from signals.ui.feedback import flash, show_error, show_flash
from signals.ui.safe import md_escape

ASK_KEY = "_nul_melding_vraag"  # the wijk id whose nul-melding waits for "Weet u het zeker?"


def _record(engine: Engine, actor: Actor, wijk_id: int, confirmed: bool) -> None:
    st.session_state.pop(ASK_KEY, None)
    try:
        result = run_write(engine, lambda s: record_nul_melding(s, actor, wijk_id,
                                                                confirmed=confirmed))
    except NulMeldingAfterSignal as exc:
        st.session_state[ASK_KEY] = (wijk_id, str(exc))
        return
    except DomainError as exc:
        st.session_state[ASK_KEY] = (wijk_id, None)
        flash_error(exc)
        return
    flash(f"Dank u. De nul-melding voor {md_escape(result.wijk_name)} ({result.week}) is "
          f"vastgelegd als {result.reference}." if result.created else
          f"De nul-melding voor {md_escape(result.wijk_name)} was deze week al vastgelegd "
          f"({result.reference}).")


def _withdraw(engine: Engine, actor: Actor, wijk_id: int, wijk_name: str) -> None:
    try:
        ref = run_write(engine, lambda s: withdraw_nul_melding(s, actor, wijk_id))
    except DomainError as exc:
        flash_error(exc)
        return
    flash(f"De nul-melding {ref} voor {md_escape(wijk_name)} is ingetrokken.")


ERROR_KEY = "_nul_melding_fout"


def flash_error(exc: DomainError) -> None:
    st.session_state[ERROR_KEY] = exc


def show_messages() -> None:
    """The outcome of the last click, once: the next action makes it disappear."""
    show_flash()
    error = st.session_state.pop(ERROR_KEY, None)
    if isinstance(error, DomainError):
        show_error(error)


def nul_melding_row(engine: Engine, actor: Actor, wijk_id: int, wijk_name: str,
                    done: str | None) -> None:
    """The button, the question or the undo for one wijk."""
    name = md_escape(wijk_name)
    asked = st.session_state.get(ASK_KEY)
    if done is not None:
        with st.container(horizontal=True, vertical_alignment="center"):
            st.markdown(f":material/check_circle: Nul-melding voor {name} deze week: {done}")
            st.button("Intrekken", key=f"nul_terug_{wijk_id}", icon=":material/undo:",
                      on_click=_withdraw, args=(engine, actor, wijk_id, wijk_name))
    elif isinstance(asked, tuple) and asked[0] == wijk_id and asked[1]:
        st.warning(md_escape(asked[1]))
        with st.container(horizontal=True):
            st.button("Ja, niets bijzonders", key=f"nul_ja_{wijk_id}", type="primary",
                      on_click=_record, args=(engine, actor, wijk_id, True))
            st.button("Nee, toch niet", key=f"nul_nee_{wijk_id}",
                      on_click=lambda: st.session_state.pop(ASK_KEY, None))
    else:
        st.button(f"Niets bijzonders in {name} deze week", key=f"nul_{wijk_id}",
                  icon=":material/check_circle:", width="stretch", on_click=_record,
                  args=(engine, actor, wijk_id, False))
