"""A big import (more touched wijk-weeks than a save refreshes) rebuilds the weekly store.

The rebuild takes the rows the import has just inserted from memory and the other signals of
the period from the database; the stored rows must equal a full recomputation from the
signals as stored, on SQLite and PostgreSQL, also when the file moves existing signals and
changes their themes, and with frozen (purged) weeks before the period.
"""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pandas as pd
from sqlalchemy import func, select

from signals.db.models import Signal, Wijk
from signals.db.uow import read_session, run_write
from signals.services.actor import SYSTEM_ACTOR
from signals.services.indicator_sync import REFRESH_LIMIT
from signals.services.indicators import (
    INSERTED_SIGNALS,
    freeze_before,
)
from signals.services.signal_import import import_signals
from tests.conftest import DEMO_TODAY
from tests.integration.indicator_checks import recomputed_indicators, stored_indicators

COLUMNS = ["external_id", "observed_on", "wijk_code", "reporter", "category", "themes",
           "status", "reliability", "reach", "online"]
CATEGORIES = ["onvrede", "geen_bijzonderheden", "spanning_groepen", "oproep_mobilisatie",
              "ordeverstoring", "collectieve_actie"]
THEMES = ["", "wonen", "azc_asiel;wonen", "jeugdgroepen", "voetbal;jeugdgroepen;wonen"]


def _csv(rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows([[r.get(c, "") for c in COLUMNS] for r in rows])
    return out.getvalue().encode()


def _big_file(wijk_codes: list[str], moved: list[str]) -> bytes:
    """New signals in every wijk over 45 weeks (more wijk-weeks than a refresh takes), some
    on the weeks' edges, and existing signals moved to other weeks with other themes."""
    rows = []
    for n, code in enumerate(wijk_codes):
        for week in range(45):
            observed = DEMO_TODAY - timedelta(days=7 * week + (n + week) % 7)
            rows.append({
                "external_id": f"groot-{code}-{week}", "observed_on": observed.isoformat(),
                "wijk_code": code, "reporter": f"groot_{code.lower()}",
                "category": CATEGORIES[(n + week) % len(CATEGORIES)],
                "themes": THEMES[(n * 3 + week) % len(THEMES)],
                "status": ["nieuw", "geverifieerd", "in_duiding"][week % 3],
                "reliability": ["hoog", "laag", ""][(n + week) % 3],
                "reach": ["individu", "groot", ""][week % 3],
                "online": ["", "ja", "nee"][(n * week) % 3]})
    for number, external_id in enumerate(moved):
        rows.append({"external_id": external_id,
                     "observed_on": (DEMO_TODAY - timedelta(days=9 * number + 2)).isoformat(),
                     "wijk_code": wijk_codes[number % len(wijk_codes)],
                     "category": "spanning_groepen", "themes": THEMES[number % 4 + 1]})
    return _csv(rows)


def _import(engine, data: bytes):
    return run_write(engine, lambda s: import_signals(s, SYSTEM_ACTOR, "groot.csv", data,
                                                      today=DEMO_TODAY,
                                                      confirm_new_reporters=True))


def _file(engine) -> tuple[bytes, int]:
    with read_session(engine) as session:
        codes = list(session.scalars(select(Wijk.code).where(Wijk.retired_at.is_(None))
                                     .order_by(Wijk.code)))
        moved = list(session.scalars(select(Signal.external_id).where(
            Signal.category == "onvrede", Signal.purged_at.is_(None),
            Signal.external_id.is_not(None)).order_by(Signal.id).limit(12)))
    assert len(codes) * 45 > REFRESH_LIMIT  # the rebuild path, not a refresh
    return _big_file(codes, moved), len(codes) * 45


def test_a_big_import_keeps_the_store_equal_to_a_full_recomputation(demo_engine) -> None:
    data, new = _file(demo_engine)
    with read_session(demo_engine) as session:
        before = session.scalar(select(func.count()).select_from(Signal))
    summary = _import(demo_engine, data)
    assert (summary.created, summary.updated) == (new, 12)
    with read_session(demo_engine) as session:
        assert session.scalar(select(func.count()).select_from(Signal)) == before + new
        assert INSERTED_SIGNALS not in session.info
        pd.testing.assert_frame_equal(stored_indicators(session), recomputed_indicators(session),
                                      check_dtype=False)
    again = _import(demo_engine, data)  # unchanged: nothing written, the store still equal
    assert (again.created, again.updated, again.unchanged) == (0, 0, new + 12)
    with read_session(demo_engine) as session:
        pd.testing.assert_frame_equal(stored_indicators(session), recomputed_indicators(session),
                                      check_dtype=False)


def test_a_big_import_leaves_frozen_weeks_as_they_were(demo_engine) -> None:
    cutoff = DEMO_TODAY - timedelta(weeks=20)
    run_write(demo_engine, lambda s: freeze_before(s, cutoff))
    with read_session(demo_engine) as session:
        before = stored_indicators(session)
    data, _ = _file(demo_engine)
    _import(demo_engine, data)
    limit = pd.Timestamp(cutoff - timedelta(days=cutoff.weekday()) + timedelta(weeks=1))
    with read_session(demo_engine) as session:
        after, fresh = stored_indicators(session), recomputed_indicators(session)
    old = after["week_start"] < limit
    pd.testing.assert_frame_equal(after[old].reset_index(drop=True),
                                  before[before["week_start"] < limit].reset_index(drop=True))
    pd.testing.assert_frame_equal(
        after[~old].reset_index(drop=True),
        fresh[fresh["week_start"] >= limit].reset_index(drop=True), check_dtype=False)
