"""Open the database: WAL, foreign keys on, and versioned migrations applied in order.

Write with ``db.atomic()`` (sqlite-utils 4; nested blocks become savepoints) or ``immediate(db)``
so that a crash leaves either all or none of a logical change. Migrations are the files
``migrations/NNNN_name.sql`` (package data); ``PRAGMA user_version`` holds the number of the last
one applied, and each runs in its own transaction.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
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


def open_db(path: str | Path, *, timeout: float = 10.0) -> sqlite_utils.Database:
    """A migrated database at ``path`` (created, with its folder, if missing)."""
    memory = str(path) == ":memory:"
    if not memory:
        check_writable_place(Path(path))
    try:
        conn = sqlite3.connect(str(path), timeout=timeout)
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"cannot open database {str(path)!r}: {exc}") from None
    try:
        # No sqlite-utils plug-ins: none may change our connections (and finding them reads
        # every installed package's entry points at each start).
        db = sqlite_utils.Database(conn, execute_plugins=False)
        conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
        # WAL must be enabled outside a transaction, before any migration runs.
        if not memory:
            db.enable_wal()
        conn.execute("PRAGMA foreign_keys = ON")
        # In WAL mode NORMAL loses no committed transaction when the process dies (only on
        # power loss), and saves an fsync per commit.
        conn.execute("PRAGMA synchronous = NORMAL")
        migrate(db)
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise StoreError(f"cannot open database {str(path)!r}: {exc}") from exc
    except BaseException:
        conn.close()
        raise
    return db


def open_read_only(path: str | Path, *, timeout: float = 5.0) -> sqlite_utils.Database:
    """The database at ``path`` for reading only (digest, history, alerts, sources, ratings):
    no WAL switch, no migration, nothing created; a missing file is an error that says so.

    It also reads a read-only copy: when SQLite cannot make the ``-shm`` file that a WAL
    database needs (a read-only folder, so no live writer has one there either), the file is
    opened as immutable. A schema older or newer than this program's is refused, since the
    views' queries would fail on it half-way."""
    file = Path(path)
    if file.is_dir():
        raise StoreError(f"--db {str(path)!r} is a folder; give a file path, e.g. db/monitor.db")
    if not file.is_file():
        raise StoreError(f"no database at {str(path)!r} (run `monitor poll --once` to make one)")
    uri = file.resolve().as_uri()
    problem: sqlite3.DatabaseError | None = None
    for query in ("?mode=ro", "?mode=ro&immutable=1"):
        try:
            conn = sqlite3.connect(uri + query, uri=True, timeout=timeout, check_same_thread=False)
        except sqlite3.DatabaseError as exc:
            problem = exc
            continue
        try:
            conn.execute("PRAGMA query_only = ON")
            tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        except sqlite3.DatabaseError as exc:
            conn.close()
            problem = exc
            if "unable to open" in str(exc) or "readonly" in str(exc):
                continue  # no -shm could be made: try immutable
            break
        shipped = len(migrations())
        if version != shipped:
            conn.close()
            if version == 0 and tables == 0:
                raise StoreError(f"{str(path)!r} is an empty file, not a monitor database")
            if version < shipped:
                raise StoreError(
                    f"database {str(path)!r} has schema version {version}, older than this"
                    f" program's ({shipped}): run `monitor poll --once` once to upgrade it"
                )
            raise StoreError(
                f"database schema version {version} is newer than this program's"
                f" ({shipped}): upgrade the monitor or use another --db"
            )
        return sqlite_utils.Database(conn, execute_plugins=False)
    raise StoreError(f"cannot open database {str(path)!r}: {problem}")


def check_writable_place(path: Path) -> None:
    """One clear line, instead of SQLite's "unable to open database file", for the usual
    mistakes: a folder given as the database, a folder that cannot be made or written."""
    if path.is_dir():
        raise StoreError(f"--db {str(path)!r} is a folder; give a file path, e.g. db/monitor.db")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(
            f"cannot create the folder of database {str(path)!r}: {exc.strerror or exc}"
        ) from None
    folder_ok = os.access(path.parent, os.W_OK | os.X_OK)
    if not path.exists() and not folder_ok:
        raise StoreError(
            f"cannot create database {str(path)!r}: its folder is not writable by this user"
        )
    if path.exists() and not os.access(path, os.W_OK):
        raise StoreError(
            f"cannot write to database {str(path)!r}: the file is read-only for this user;"
            " the read-only commands (digest, history, alerts, sources, ratings) can read it"
        )
    if not folder_ok:
        raise StoreError(
            f"cannot write to database {str(path)!r}: its folder is not writable by this user"
            " (SQLite keeps its -wal and -shm files beside it); the read-only commands"
            " (digest, history, alerts, sources, ratings) can read it"
        )


def migrate(db: sqlite_utils.Database) -> int:
    """Apply the migrations not yet applied; return the schema version.

    Safe when several processes open the same file at once: each migration runs under the
    write lock and re-reads the version first, so none is applied twice.
    """
    shipped = migrations()
    for version, name, sql in shipped:
        if version <= _user_version(db):
            continue  # checked before locking, so opening an up-to-date file never waits
        with immediate(db):
            current = _user_version(db)
            if version <= current:
                continue
            for statement in _statements(sql):
                try:
                    db.conn.execute(statement)
                except sqlite3.DatabaseError as exc:
                    raise StoreError(f"migration {name!r} failed: {exc}") from exc
            db.conn.execute(f"PRAGMA user_version = {version}")
    current = _user_version(db)
    if current > len(shipped):
        raise StoreError(
            f"database schema version {current} is newer than this program's "
            f"({len(shipped)}): upgrade the monitor or use another --db"
        )
    return current


@contextlib.contextmanager
def immediate(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """``db.atomic()``, except that a top-level transaction takes the write lock at once
    (BEGIN IMMEDIATE): another writer then waits for the busy timeout instead of failing
    with SQLITE_BUSY when its read turns into a write. Nested, it is a savepoint."""
    if db.conn.in_transaction:
        with db.atomic():
            yield db
        return
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        db.rollback()
        raise
    try:
        db.conn.execute("COMMIT")
    except BaseException:
        db.rollback()
        raise


def utc_iso(when: datetime) -> str:
    """A timestamp as the store keeps it: UTC ISO 8601 to the second (naive means UTC)."""
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC).isoformat(timespec="seconds")


def url_key(url: str) -> str:
    """The ``item_keys`` key of an item stored under ``url`` (shared by items and sources)."""
    return f"url:{url}"


def seen_key(source: str, url: str) -> str:
    """The ``item_keys`` key saying that ``source`` has stored (or met a copy of) the item at
    ``url``: what ``StoreSourceState.seen`` asks, so identity is per source."""
    return f"seen:{source} {url}"


def _user_version(db: sqlite_utils.Database) -> int:
    return int(db.conn.execute("PRAGMA user_version").fetchone()[0])


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


def describe_store_error(exc: sqlite3.Error) -> str:
    """What a database failure means for the operator, and that nothing is lost."""
    text = str(exc)
    if getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL or "is full" in text:
        what = "the database is full (no disk space, or its size limit)"
    elif "locked" in text or "busy" in text:
        what = "the database is locked by another process (longer than the busy timeout)"
    else:
        what = "the database refused a write"
    return f"store error: {what}: {text}; unstored items are fetched again on the next poll"
