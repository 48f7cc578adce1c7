"""Dutch labels for the English field names in a service's ValidationError (docs/naming.md)."""

from __future__ import annotations

from signals.errors import FieldError, ValidationError


def labelled(exc: Exception, labels: dict[str, str]) -> Exception:
    """The same error with each field name replaced by its label; other errors unchanged."""
    if not isinstance(exc, ValidationError):
        return exc
    return ValidationError([FieldError(labels.get(e.field, e.field), e.message, e.row)
                            for e in exc.errors])
