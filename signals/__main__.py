"""`python -m signals`: the command line for administrators and scheduled jobs."""

import sys

from signals.cli.main import main

sys.exit(main())
