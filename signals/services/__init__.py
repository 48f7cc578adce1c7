"""Use cases. Importing the package registers the session hook that keeps the weekly
aggregates current (indicator_sync.py), so every writer gets it without calling it."""

from signals.services import indicator_sync  # noqa: F401  (registers the hook)
