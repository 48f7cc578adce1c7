"""Domain errors. Their messages are Dutch and safe to show to the user as they are."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

MAX_LISTED_ERRORS = 200  # a file with 100k bad rows must not flood the page or terminal
T = TypeVar("T")


class DomainError(Exception):
    """Base of every error a page or the CLI turns into a message."""


class NotFoundError(DomainError):
    pass


class PermissionDeniedError(DomainError):
    pass


class ConflictError(DomainError):
    """Someone else changed the same record first (optimistic locking)."""


class DatabaseBusyError(DomainError):
    """The database stayed locked or busy after all retries."""


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str
    row: int | None = None  # 1-based data row for imports (header is row 1 in the file)

    def __str__(self) -> str:
        where = f"rij {self.row}, " if self.row is not None else ""
        return f"{where}{self.field}: {self.message}"


def first_errors(errors: Sequence[T], limit: int = MAX_LISTED_ERRORS) -> tuple[list[T], str]:
    """The errors to list, and the Dutch line about the rest ("" when none are left out)."""
    rest = len(errors) - limit
    return list(errors[:limit]), (f"… en nog {rest} {'fout' if rest == 1 else 'fouten'}"
                                  if rest > 0 else "")


class ValidationError(DomainError):
    """One or more invalid fields; every problem is reported, not just the first."""

    def __init__(self, errors: list[FieldError]) -> None:
        self.errors = errors
        super().__init__("; ".join(str(e) for e in errors))
