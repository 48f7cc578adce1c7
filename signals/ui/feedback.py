"""Showing domain errors: every problem on its own line, user text escaped (never markdown)."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from signals.db.uow import run_write
from signals.errors import DomainError, ValidationError, first_errors
from signals.services.textfiles import MAX_UPLOAD_BYTES
from signals.ui.safe import md_escape


def show_error(exc: Exception) -> None:
    """A Dutch error box for a DomainError (or RulesError), listing every problem."""
    if isinstance(exc, ValidationError) and len(exc.errors) > 1:
        listed, rest = first_errors(exc.errors)
        lines = "\n".join(f"- {md_escape(e)}" for e in listed) + (f"\n\n{rest}" if rest else "")
        st.error(f"Er zijn {len(exc.errors)} problemen; er is niets opgeslagen.\n\n{lines}")
    elif isinstance(exc, DomainError | ValueError):
        st.error(md_escape(exc))
    else:
        raise exc


UPLOAD_LIMIT_NOTE = (
    f"Is een bestand groter dan {MAX_UPLOAD_BYTES // 1_048_576} MB, dan weigert de uploadknop "
    "het met een Engelse melding ('File must be … or smaller'): splits het bestand dan op. Een "
    "ander bestandstype krijgt de melding '… files are not allowed'.")

FLASH_KEY = "_flash_message"


def flash(message: str) -> None:
    """Show `message` as a success box after the next rerun (our own text, not user text)."""
    st.session_state[FLASH_KEY] = message


def show_flash() -> None:
    message = st.session_state.pop(FLASH_KEY, None)
    if isinstance(message, str):
        st.success(message)


def save_and_rerun(engine: Engine, work: Callable[[Session], object],
                   message: str | None = None) -> None:
    """Run one write; on success flash `message` (if any) and rerun, else show the error."""
    try:
        run_write(engine, work)
    except DomainError as exc:
        show_error(exc)
    else:
        if message is not None:
            flash(message)
        st.rerun()
