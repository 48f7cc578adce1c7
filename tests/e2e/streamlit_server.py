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

if __name__ == "__main__":
    passwords.use_parameters(TEST_PASSWORD_PARAMETERS)
    sys.exit(cli.main(prog_name="streamlit"))
