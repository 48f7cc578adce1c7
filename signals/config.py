"""Runtime configuration from the environment, with embedded defaults."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"
DEFAULT_RULES_FILE = DATA_DIR / "rules.toml"


def database_url() -> str:
    """`DATABASE_URL`, or the embedded SQLite file under data/."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if url:
        return normalise_url(url)
    return f"sqlite:///{DATA_DIR / 'wijksignalen.db'}"


def normalise_url(url: str) -> str:
    """Route plain postgres URLs to psycopg 3, the only PostgreSQL driver we ship."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def secure_cookie_setting() -> str:
    """`WIJKSIGNALEN_SECURE_COOKIE`: `auto` (default: Secure when the request came over
    HTTPS, also behind a proxy that sets X-Forwarded-Proto), `true` or `false`."""
    value = os.environ.get("WIJKSIGNALEN_SECURE_COOKIE", "auto").strip().lower()
    return value if value in {"auto", "true", "false"} else "auto"
