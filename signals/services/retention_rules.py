"""The retention decision for every text or person-linked column (docs/privacy.md).

A test walks Base.metadata and fails when such a column has no entry here, so a new
free-text column cannot slip past the purge unnoticed. `Purged` columns are cleared by
signals.services.retention.purge for signals older than the retention period (or, for the
audit log, for events older than it); `Kept` columns say why they may stay.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Purged:
    scope: str  # which rows the purge clears


@dataclass(frozen=True)
class Kept:
    reason: str


CODE = Kept("a code from a fixed vocabulary, no free text")
ACCOUNT = Kept("the account itself; the beheerder removes or disables accounts")
PURGED_SIGNAL = Purged("signals observed before the retention cutoff")
OF_PURGED_SIGNAL = Purged("rows of purged signals")
OLD_AUDIT = Purged("audit events about signals, older than the retention period")

OLD_ACTION = Purged("actions dated before the retention cutoff")
PAST_MOMENT = Purged("risk moments dated before the retention cutoff")
DRAFT = Purged("drafts untouched for 7 days (form_drafts.DRAFT_DAYS), and on save")
ENDED_SESSION = Purged("sessions a day after they ended (user_sessions.purge_ended)")
OLD_ALERT = Purged("outbox rows 90 days after they were sent or failed "
                   "(alert_outbox.purge_delivered, run by notify)")
ACTIVATION = Kept("only a hash of a one-time code, valid 7 days; removed with the account")

DECISIONS: dict[str, dict[str, Purged | Kept]] = {
    "gemeenten": {
        "code": CODE,
        "name": Kept("public name of the gemeente"),
        "area_scheme": CODE,
    },
    "saved_filters": {
        "user_id": Kept("the owner's own filter; deleted by the owner or with the account"),
        "name": Kept("a label for a filter; saving refuses personal data (pii.scan)"),
        "values": Kept("codes, dates and a search text; saving refuses personal data"),
    },
    "form_drafts": {"user_id": DRAFT, "form": DRAFT, "values": DRAFT},
    "user_sessions": {
        "user_id": ENDED_SESSION,
        "token_hash": ENDED_SESSION,
        "handoff_hash": ENDED_SESSION,
        "binding_hash": ENDED_SESSION,
        "target": ENDED_SESSION,
        "role": ENDED_SESSION,
        "stamp": ENDED_SESSION,
    },
    "wijken": {
        "code": CODE,
        "name": Kept("public CBS name of the wijk"),
        "geometry": Kept("public wijk boundary"),
    },
    "alert_subscriptions": {"user_id": ACCOUNT, "alert_type": CODE, "mode": CODE,
                            "wijk_ids": Kept("wijk ids the user chose; no personal data")},
    "alert_outbox": {
        "alert_type": CODE,
        "user_id": OLD_ALERT,
        "channel": CODE,
        "idempotency_key": OLD_ALERT,
        "payload": OLD_ALERT,
        "status": CODE,
        "last_error": OLD_ALERT,
        "claimed_by": Kept("a worker's host and process id, no person"),
    },
    "users": {
        "username": ACCOUNT,
        "alert_email": ACCOUNT,
        "role": CODE,
        "reporter_role": CODE,
    },
    "user_wijk": {"user_id": ACCOUNT},
    "network_mix": {
        "reporter_role": CODE,
        "updated_by_id": Kept("who set a wijk's desired network mix stays accountable; no "
                              "signal or reporter in it"),
    },
    "activation_codes": {
        "user_id": ACTIVATION,
        "code_hash": ACTIVATION,
        "created_by_id": ACTIVATION,
    },
    "signal_feedback": {
        "message": OF_PURGED_SIGNAL,
        "updated_by_id": OF_PURGED_SIGNAL,
    },
    "credentials": {
        "user_id": ACCOUNT,
        "password_hash": ACCOUNT,
        "email": ACCOUNT,
    },
    "categories": {"code": CODE, "label": Kept("vocabulary label set by the beheerder")},
    "themes": {"code": CODE, "label": Kept("vocabulary label set by the beheerder")},
    "signal_theme": {"theme_code": CODE},
    "signals": {
        "external_id": Kept("technical key of the source system; keeps re-imports from "
                            "creating the purged signal anew"),
        "reporter_id": PURGED_SIGNAL,
        "created_by_id": PURGED_SIGNAL,
        "reporter_role": Kept("role type only (e.g. jongerenwerker), never a person"),
        "category": CODE,
        "subtype": PURGED_SIGNAL,
        "source": CODE,
        "platform": CODE,
        "platform_name": Kept("the name of a public platform (Telegram, TikTok), never a "
                              "person or a group's name"),
        "reach": CODE,
        "reliability": CODE,
        "polarisation": CODE,
        "action_place": PURGED_SIGNAL,
        "status": CODE,
        "description": PURGED_SIGNAL,
    },
    "signal_links": {"created_by_id": OF_PURGED_SIGNAL},
    "signal_history": {
        "user_id": OF_PURGED_SIGNAL,
        "action": CODE,
        "field": CODE,
        "old_value": Purged("rows of purged signals whose field is free text"),
        "new_value": Purged("rows of purged signals whose field is free text"),
        "note": OF_PURGED_SIGNAL,
    },
    "phase_decisions": {
        "reason": Kept("the accountable reason (BOB) for a wijk's phase; about a wijk and "
                       "week, never about a signal or reporter"),
        "decided_by_id": Kept("who took a public safety decision stays accountable"),
    },
    "weekly_indicators": {"top_themes": CODE},
    "wijk_actions": {
        "action_type": CODE,
        "status": CODE,
        "description": OLD_ACTION,
        "created_by_id": OLD_ACTION,
    },
    "risk_moments": {
        "kind": CODE,
        "theme": CODE,
        "place": PAST_MOMENT,
        "subject": PAST_MOMENT,
        "created_by_id": PAST_MOMENT,
    },
    "nafase_evaluations": {
        "first_signal": Kept("the gemeente's own lesson about a wijk's course, checked for "
                            "personal data when entered; never about a signal or reporter"),
        "keep": Kept("the gemeente's own lesson, checked for personal data when entered"),
        "change": Kept("the gemeente's own lesson, checked for personal data when entered"),
        "created_by_id": Kept("who wrote an evaluation stays accountable, like a phase "
                              "decision"),
    },
    "audit_events": {
        "user_id": OLD_AUDIT,
        "username": OLD_AUDIT,
        "action": CODE,
        "object_type": CODE,
        "object_id": Kept("a technical id; without the actor it names no person"),
        "details": Kept("codes and counts only; callers never pass description text"),
    },
    "settings": {
        "key": CODE,
        "value": Kept("configuration, no personal data"),
        "updated_by_id": Kept("who changed a setting stays accountable"),
    },
    "alembic_version": {"version_num": CODE},
}


def purged_columns(table: str) -> tuple[str, ...]:
    return tuple(name for name, decision in DECISIONS.get(table, {}).items()
                 if isinstance(decision, Purged))
