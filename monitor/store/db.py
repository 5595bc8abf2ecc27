"""Open the database: WAL, foreign keys on, and versioned migrations applied in order.

Write with ``db.atomic()`` (sqlite-utils 4; nested blocks become savepoints) so that a crash
leaves either all or none of a logical change. Migrations are the files ``migrations/NNNN_name.sql`` (package data); ``PRAGMA user_version``
holds the number of the last one applied, and each runs in its own transaction.
"""

from __future__ import annotations

import re
import sqlite3
from importlib import resources
from pathlib import Path

import sqlite_utils

from ..errors import StoreError

_MIGRATION = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


def migrations() -> list[tuple[int, str, str]]:
    """(version, name, sql) of every shipped migration, in order."""
    folder = resources.files("monitor.store").joinpath("migrations")
    found = []
    for entry in folder.iterdir():
        match = _MIGRATION.match(entry.name)
        if match:
            found.append((int(match.group(1)), entry.name, entry.read_text("utf-8")))
    found.sort()
    versions = [v for v, _, _ in found]
    if versions != list(range(1, len(versions) + 1)):
        raise StoreError(f"migrations are not numbered 1..n: {versions!r}")
    return found


def open_db(path: str | Path, *, timeout: float = 30.0) -> sqlite_utils.Database:
    """A migrated database at ``path`` (created, with its folder, if missing)."""
    if str(path) != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    try:
        conn = sqlite3.connect(str(path), timeout=timeout)
        db = sqlite_utils.Database(conn)
        # WAL must be enabled outside a transaction, before any migration runs.
        if str(path) != ":memory:":
            db.enable_wal()
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
        migrate(db)
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"cannot open database {str(path)!r}: {exc}") from exc
    return db


def migrate(db: sqlite_utils.Database) -> int:
    """Apply the migrations not yet applied; return the schema version."""
    conn = db.conn
    current = conn.execute("PRAGMA user_version").fetchone()[0]
    for version, _name, sql in migrations():
        if version <= current:
            continue
        with db.atomic():
            for statement in _statements(sql):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {version}")
        current = version
    return int(current)


def _statements(sql: str) -> list[str]:
    """Split a migration into statements (sqlite3.complete_statement knows about triggers)."""
    statements, buffer = [], ""
    for line in sql.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return [s for s in statements if _code(s)]


def _code(statement: str) -> str:
    return "\n".join(
        line for line in statement.splitlines() if not line.strip().startswith("--")
    ).strip()
