"""Entry point of the child process that parses an uploaded XLSX file (xlsx_reader.py).

Started as ``python -m signals.xlsx_child``. Importing ``signals.services`` normally runs its
``__init__``, which registers the weekly-aggregates session hook and so loads SQLAlchemy and
the models: a second of start-up for a process that only reads a spreadsheet and never
touches a database. Here the package is entered as a plain namespace instead, so the child
loads the reader, its few helpers and openpyxl only.
"""

from __future__ import annotations

import runpy
import sys
import types
from pathlib import Path


def main() -> None:
    package = types.ModuleType("signals.services")
    package.__path__ = [str(Path(__file__).resolve().parent / "services")]
    sys.modules["signals.services"] = package
    runpy.run_module("signals.services.xlsx_reader", run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
