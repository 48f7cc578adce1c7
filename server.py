"""The ASGI entry point: Streamlit's app (app.py) plus the session-cookie routes.

Start it with `streamlit run server.py` (or `uvicorn server:app`). `streamlit run app.py`
still works, but without the routes a login then lasts only until the next reload.
"""

import streamlit as st
from starlette.middleware import Middleware
from streamlit.runtime.pages_manager import PagesManager

from signals.ui.session_routes import ROUTES, BindingCookieMiddleware

# app.py is the only router (st.navigation). Streamlit would otherwise treat the pages/
# folder as an old-style multipage app until app.py first ran, so a deep link as the first
# request after a start would run that page's script without the router.
PagesManager.uses_pages_directory = False

app = st.App("app.py", routes=ROUTES, middleware=[Middleware(BindingCookieMiddleware)])
