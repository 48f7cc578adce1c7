"""`streamlit run` for the browser tests, hashing passwords as cheaply as the rest of the suite.

The app hashes with the production argon2 parameters: 0.3 s of CPU for every login and every
password set. The browser tests log in some forty times, so their server uses the suite's
cheap parameters (tests/hashing.py), as pytest itself does; everything else is the real
`streamlit run`. Start it as `python -m tests.e2e.streamlit_server run server.py ...`.
"""

from __future__ import annotations

import sys

from streamlit.web import cli

from signals.services import passwords
from tests.hashing import TEST_PASSWORD_PARAMETERS


def _import_the_heavy_modules() -> None:
    """Import what the first page run would (pandas, Plotly, the UI modules) before the server
    reports healthy: the fixture waits for that with a generous timeout, where the first page
    of a test, on a busy machine, could otherwise spend most of its 30 s importing."""
    import pandas  # noqa: F401
    import plotly.graph_objects  # noqa: F401

    import signals.ui.cached  # noqa: F401
    import signals.ui.phase_map  # noqa: F401
    import signals.ui.session  # noqa: F401


if __name__ == "__main__":
    passwords.use_parameters(TEST_PASSWORD_PARAMETERS)
    _import_the_heavy_modules()
    sys.exit(cli.main(prog_name="streamlit"))
