"""Cached process-wide resources for the Streamlit pages."""

from __future__ import annotations

import streamlit as st
from sqlalchemy import Engine

from signals.db.engine import default_engine
from signals.services.schema import schema_is_current


@st.cache_resource
def engine() -> Engine:
    return default_engine()


def engine_or_stop() -> Engine:
    """The engine, or a clear Dutch message and stop when the schema is not ready."""
    current = engine()
    if not schema_is_current(current):
        st.error("De database is nog niet ingericht. Voer `python -m signals init` uit "
                 "(en eventueel `python -m signals demo`).")
        st.stop()
    return current
