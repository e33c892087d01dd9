"""What the benches share: a progress bar for long steps and statements on the PostgreSQL server."""

from __future__ import annotations

import os
import sys
import time
from typing import TextIO

ADMIN_URL = os.environ.get("DATABASE_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")


def bar(label: str, done: int, total: int, started: float, *, out: TextIO | None = None) -> None:
    """One line, redrawn: ``done`` of ``total`` with the seconds since ``started`` (time.monotonic())."""
    stream = out or sys.stdout
    width = 30
    filled = width * done // max(total, 1)
    stream.write(f"\r  {'█' * filled}{'·' * (width - filled)} {done:>9,}/{total:,} {label:<46} "
                 f"{time.monotonic() - started:7.1f} s" + ("\n" if done == total else ""))
    stream.flush()


def admin(sql: str) -> None:
    """Run ``sql`` on the server's maintenance database (CREATE / DROP DATABASE), outside a transaction."""
    import psycopg

    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(sql)
