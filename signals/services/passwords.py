"""argon2id password hashing with RFC 9106's recommended (low-memory) parameters."""

from __future__ import annotations

from argon2 import Parameters, PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError

PRODUCTION_PARAMETERS = profiles.RFC_9106_LOW_MEMORY

_parameters = PRODUCTION_PARAMETERS
_hasher = PasswordHasher.from_parameters(_parameters)


def use_parameters(parameters: Parameters) -> None:
    """Change the hashing cost for this process. The test suite uses cheap parameters;
    the app and the command line never call this."""
    global _parameters, _hasher
    _parameters, _hasher = parameters, PasswordHasher.from_parameters(parameters)


def current_parameters() -> Parameters:
    return _parameters


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    if not password_hash:
        # Burn comparable time so unknown accounts cannot be told apart by timing.
        _hasher.hash(password)
        return False
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)
