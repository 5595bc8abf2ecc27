"""open_db: migrations, WAL, foreign keys, transactions, and surviving ``kill -9``."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from monitor.errors import StoreError
from monitor.models import Article, Document
from monitor.store import clusters, open_db
from monitor.store.db import immediate, migrate, migrations
from monitor.store.items import upsert_item

ITEM_TABLES = {"sources", "validators", "fetch_log", "items", "item_keys", "item_bands"}


def tables(db) -> set[str]:
    return set(db.table_names())


def test_a_new_database_has_every_migration(db):
    assert db.execute("PRAGMA user_version").fetchone()[0] == len(migrations())
    assert tables(db) >= ITEM_TABLES


def test_migrations_are_numbered_from_one():
    shipped = migrations()
    assert [version for version, _, _ in shipped] == list(range(1, len(shipped) + 1))
    assert shipped[0][1] == "0001_items.sql"


def test_opening_twice_changes_nothing(db_path):
    first = open_db(db_path)
    first.execute("INSERT INTO validators (url, etag, updated) VALUES ('u', 'e', 't')")
    schema = first.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall()
    first.close()
    second = open_db(db_path)
    assert second.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall() == (
        schema
    )
    assert migrate(second) == len(migrations())
    assert second.execute("SELECT etag FROM validators").fetchall() == [("e",)]
    second.close()


def test_wal_and_foreign_keys_are_on(db):
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("INSERT INTO item_keys (key, item_id) VALUES ('url:x', 12345)")


def test_a_newer_schema_is_refused(db_path):
    db = open_db(db_path)
    db.execute(f"PRAGMA user_version = {len(migrations()) + 1}")
    db.close()
    with pytest.raises(StoreError, match="newer than this program's"):
        open_db(db_path)


def test_a_file_that_is_not_a_database_is_a_store_error(tmp_path):
    path = tmp_path / "junk.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="cannot open database"):
        open_db(path)


def test_immediate_rolls_back_and_nests(db):
    with pytest.raises(RuntimeError), immediate(db):
        db.execute("INSERT INTO validators (url, updated) VALUES ('a', 't')")
        raise RuntimeError
    with db.atomic():
        db.execute("INSERT INTO validators (url, updated) VALUES ('b', 't')")
        with pytest.raises(RuntimeError), immediate(db):
            db.execute("INSERT INTO validators (url, updated) VALUES ('c', 't')")
            raise RuntimeError
    assert [r[0] for r in db.execute("SELECT url FROM validators")] == ["b"]


def test_a_second_writer_waits_for_the_first(db_path):
    """Writes take the lock before reading, so a writer that had to wait does not then fail
    with SQLITE_BUSY on a stale snapshot."""
    db = open_db(db_path)
    holding, writing = threading.Event(), threading.Event()

    def hold_the_lock() -> None:
        other = open_db(db_path)
        with immediate(other):
            other.execute("INSERT INTO validators (url, updated) VALUES ('x', 't')")
            holding.set()
            # Held for 0.3 s from the moment the writer starts, not from when the lock was
            # taken: on a loaded machine the writer may get there late, and find it free.
            assert writing.wait(10)
            time.sleep(0.3)
        other.close()

    thread = threading.Thread(target=hold_the_lock)
    thread.start()
    assert holding.wait(10)
    open_db(db_path).close()  # opening a migrated file does not wait for the writer
    url = "https://a.example/1"
    doc = Document(source="news", url=url, content=b"")
    article = Article(url=url, canonical_url=url, title="t", text="some text")
    started = time.monotonic()
    writing.set()
    result = upsert_item(db, doc, article, now=datetime(2026, 11, 23, tzinfo=UTC))
    waited = time.monotonic() - started
    thread.join()
    assert result.status == "new"
    assert waited >= 0.25
    assert db.execute("SELECT count(*) FROM validators").fetchone()[0] == 1
    db.close()


def _python(code: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(code), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_processes_opening_a_new_file_at_once_all_succeed(db_path):
    code = """
        import sys
        from monitor.store import clusters, open_db
        open_db(sys.argv[1]).close()
        print("ok")
    """
    children = [_python(code, str(db_path)) for _ in range(4)]
    outputs = [child.communicate(timeout=60) for child in children]
    assert [out for out, _ in outputs] == ["ok\n"] * 4, [err for _, err in outputs]


WRITER = """
    import sys
    from datetime import UTC, datetime
    from monitor.models import Article, Document
    from monitor.store import clusters, open_db
    from monitor.store.items import upsert_item

    db = open_db(sys.argv[1])
    now = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    words = "council inspection children services judged leaders care help".split()
    for i in range(1_000_000):
        text = " ".join(f"{words[(i + j) % 8]}{(i * 31 + j) % 997}" for j in range(150))
        url = f"https://a.example/{i}"
        doc = Document(source="news", url=url, content=b"", guid=f"g{i}")
        article = Article(url=url, canonical_url=url, title=f"Story {i}", text=text)
        result = upsert_item(db, doc, article, now=now)
        print(result.id, url, flush=True)
"""


def test_kill_9_mid_write_loses_nothing_committed(db_path):
    open_db(db_path).close()
    child = _python(WRITER, str(db_path))
    assert child.stdout is not None
    reported: list[tuple[int, str]] = []
    deadline = time.monotonic() + 60
    while len(reported) < 300 and time.monotonic() < deadline:
        line = child.stdout.readline()
        if not line:
            break
        item_id, url = line.split()
        reported.append((int(item_id), url))
    os.kill(child.pid, signal.SIGKILL)
    rest, errors = child.communicate(timeout=30)
    assert child.returncode == -signal.SIGKILL, errors
    reported += [(int(i), u) for i, u in (line.split() for line in rest.splitlines() if line)]
    assert len(reported) >= 300, errors

    db = open_db(db_path)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    stored = dict(db.execute("SELECT id, url FROM items").fetchall())
    for item_id, url in reported:
        assert stored.get(item_id) == url
        count = db.execute("SELECT count(*) FROM items WHERE url = ?", [url]).fetchone()[0]
        assert count == 1, url
    # At most the one item committed after the last line printed is unreported.
    assert len(stored) - len(reported) in (0, 1)
    # Each item was written whole: its keys (guid, url, the source's seen:) and every one of
    # its band keys.
    partial = db.execute(
        """SELECT id FROM items WHERE
               (SELECT count(*) FROM item_keys WHERE item_id = items.id) != 3
               OR (SELECT count(*) FROM item_bands WHERE item_id = items.id) != ?""",
        [clusters.BANDS],
    ).fetchall()
    assert partial == []
    db.close()


def test_database_folder_is_created(tmp_path: Path):
    path = tmp_path / "deeper" / "still" / "monitor.db"
    open_db(path).close()
    assert path.exists()
