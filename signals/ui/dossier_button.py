"""The one-click wijk dossier download on the Wijkprofiel page."""

from __future__ import annotations

from datetime import date, timedelta

import streamlit as st

from signals.db.uow import run_write
from signals.services.actor import Actor
from signals.services.wijk_dossier import MAX_WEEKS, dossier_filename, wijk_dossier
from signals.ui.resources import engine_or_stop


def dossier_button(actor: Actor, wijk_code: str, first: date, last: date) -> None:
    """A PDF of this wijk for the period on screen (its last MAX_WEEKS weeks at most);
    the file is built, and audited, only when clicked."""
    first = max(first, last - timedelta(weeks=MAX_WEEKS - 1))
    name = dossier_filename(wijk_code, first, last)

    def build() -> bytes:
        return run_write(engine_or_stop(),
                         lambda s: wijk_dossier(s, actor, wijk_code, first, last)).data

    st.download_button("Wijkdossier (PDF) voor de driehoek", data=build, file_name=name,
                       mime="application/pdf", key="wijkdossier", on_click="ignore",
                       icon=":material/picture_as_pdf:",
                       help="Faseverloop, trend, redenen, besluiten, acties en "
                            "handelingsperspectief van deze wijk over de gekozen periode "
                            f"(hoogstens {MAX_WEEKS} weken). Zonder meldingteksten en zonder "
                            "namen.")
