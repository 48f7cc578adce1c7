"""Domain errors. Their messages are Dutch and safe to show to the user as they are."""

from __future__ import annotations

from dataclasses import dataclass


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


class ValidationError(DomainError):
    """One or more invalid fields; every problem is reported, not just the first."""

    def __init__(self, errors: list[FieldError]) -> None:
        self.errors = errors
        super().__init__("; ".join(str(e) for e in errors))
