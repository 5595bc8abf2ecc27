"""What a new operator gets wrong, answered with one line and the right exit code (2 usage,
1 environment), never a traceback: a bad option value, a database path that is a folder, a
database nobody may write, a missing database for a read-only command. The read-only commands
open the database read-only: no WAL switch, no migration, so they work on a read-only copy.

Run as root, the permission tests drop the capabilities that let root write anything.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from monitor.cli import OUTBOX_STATES, cli
from monitor.store import open_db, outbox
from monitor.store.db import migrations

READ_ONLY_COMMANDS = [["digest"], ["history", "Stockport"], ["alerts"], ["sources"]]


def _invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def _config(folder: Path, text: str = "sources: []\n") -> Path:
    path = folder / "sources.yaml"
    path.write_text(text)
    path.chmod(0o644)
    return path


def _as_someone_else(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``monitor ARGS`` bound by file permissions: as root, without the capabilities that let
    root write anything (the files' owner bits then apply, as to any user)."""
    prefix: list[str] = []
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv: permissions cannot be tested")
        caps = "-dac_override,-dac_read_search"
        prefix = [setpriv, f"--inh-caps={caps}", f"--bounding-set={caps}"]
    return subprocess.run(
        [*prefix, sys.executable, "-m", "monitor", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)},
    )


@pytest.fixture
def shared(tmp_path: Path) -> Iterator[Path]:
    yield tmp_path
    for path in [tmp_path, *tmp_path.rglob("*")]:
        if path.is_dir():
            path.chmod(0o755)  # so that pytest can clean up


def _one_line_error(done: subprocess.CompletedProcess[str], code: int, *words: str) -> None:
    assert done.returncode == code, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), done.stderr
    for word in words:
        assert word in lines[0], lines[0]


def _make_db(path: Path) -> None:
    db = open_db(path)
    db.close()


# -- usage: exit 2 -----------------------------------------------------------------------------
def test_alerts_state_is_checked_and_listed_in_the_help(tmp_path: Path) -> None:
    assert OUTBOX_STATES == outbox.STATES
    code, _out, err = _invoke("--db", str(tmp_path / "m.db"), "alerts", "--state", "banana")
    assert code == 2
    assert "'banana' is not one of 'pending', 'sending', 'sent', 'failed'" in err
    assert not (tmp_path / "m.db").exists()
    code, out, _err = _invoke("alerts", "--help")
    assert code == 0 and "sending" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--since", "30"], "'30' has no unit: write e.g. 30d"),
        (["--since", "soon"], "expected a window like 24h, 7d or 3w"),
        (["--region", "Atlantis"], "unknown region 'Atlantis'; one of: East Midlands"),
    ],
)
def test_digest_refuses_what_it_cannot_mean(tmp_path: Path, args: list[str], message: str) -> None:
    db_path = tmp_path / "m.db"
    _make_db(db_path)
    code, _out, err = _invoke("--db", str(db_path), "digest", *args)
    assert code == 2
    assert message in err


def test_digest_takes_weeks_and_any_case_of_a_region(tmp_path: Path) -> None:
    db_path = tmp_path / "m.db"
    _make_db(db_path)
    for args in (["--since", "3w"], ["--region", "north west"]):
        code, out, err = _invoke("--db", str(db_path), "digest", *args)
        assert code == 0, err
        assert out == "No rating changes.\n"


def test_notify_test_on_a_disabled_subscriber_says_so(tmp_path: Path) -> None:
    config = _config(
        tmp_path,
        "subscribers:\n  - name: desk\n    enabled: false\n    notify: ['json://127.0.0.1:9/x']\n",
    )
    code, _out, err = _invoke("--config", str(config), "notify-test", "desk")
    assert code == 2
    assert "subscriber 'desk' is disabled (enabled: false)" in err
    assert "no test was sent" in err


def test_check_config_tries_notify_urls_against_apprise(tmp_path: Path) -> None:
    config = _config(tmp_path, "subscribers:\n  - name: desk\n    notify: ['carrierpigeon://x']\n")
    code, _out, err = _invoke("--config", str(config), "check-config")
    assert code == 2
    assert err == (
        f"error: {config}:3: subscribers[0].notify[0]: no apprise plug-in handles"
        " carrierpigeon:// URLs (e.g. mailtos://, json://, slack://)\n"
    )


# -- environment: exit 1 -----------------------------------------------------------------------
@pytest.mark.parametrize("args", READ_ONLY_COMMANDS, ids=lambda a: a[0])
def test_read_only_commands_on_a_missing_database_create_nothing(
    tmp_path: Path, args: list[str]
) -> None:
    db_path = tmp_path / "db" / "monitor.db"
    config = _config(tmp_path)
    code, _out, err = _invoke("--config", str(config), "--db", str(db_path), *args)
    assert not (tmp_path / "db").exists()
    if args == ["sources"]:  # the table of configured sources, each never polled
        assert code == 0 and "no database at" in err
    else:
        assert code == 1
        assert err == f"error: no database at '{db_path}' (run `monitor poll --once` to make one)\n"


@pytest.mark.parametrize("args", [["poll", "--once"], ["digest"], ["alerts"]], ids=str)
def test_a_folder_given_as_the_database(shared: Path, args: list[str]) -> None:
    (shared / "db").mkdir()
    _config(shared)
    done = _as_someone_else("--db", "db", *args, cwd=shared)
    _one_line_error(done, 1, "'db' is a folder; give a file path")
    assert not (shared / "db.lock").exists()  # refused before a lock file is made beside it


def test_a_database_in_an_unwritable_folder(shared: Path) -> None:
    _config(shared)
    folder = shared / "db"
    folder.mkdir()
    folder.chmod(0o555)
    done = _as_someone_else("--db", "db/monitor.db", "poll", "--once", cwd=shared)
    _one_line_error(done, 1, "cannot create database 'db/monitor.db': its folder is not writable")
    assert list(folder.iterdir()) == []


def test_a_read_only_database_file(shared: Path) -> None:
    _config(shared)
    folder = shared / "db"
    folder.mkdir()
    folder.chmod(0o777)
    _make_db(folder / "monitor.db")
    (folder / "monitor.db").chmod(0o444)
    for args in (["poll", "--once"], ["run"]):
        done = _as_someone_else("--db", "db/monitor.db", *args, cwd=shared)
        _one_line_error(done, 1, "cannot write to database 'db/monitor.db': the file is read-only")


@pytest.mark.parametrize("args", READ_ONLY_COMMANDS, ids=lambda a: a[0])
def test_read_only_commands_read_a_read_only_copy(shared: Path, args: list[str]) -> None:
    _config(shared)
    folder = shared / "copy"
    folder.mkdir()
    _make_db(folder / "monitor.db")  # a WAL database, closed: no -wal or -shm left
    (folder / "monitor.db").chmod(0o444)
    folder.chmod(0o555)  # no -shm can be made here
    done = _as_someone_else("--db", "copy/monitor.db", *args, cwd=shared)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["monitor.db"]


def _journal_mode(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return str(conn.execute("PRAGMA journal_mode").fetchone()[0])
    finally:
        conn.close()


@pytest.mark.parametrize("args", [*READ_ONLY_COMMANDS, ["ratings"]], ids=lambda a: a[0])
def test_read_only_commands_neither_switch_to_wal_nor_migrate(
    tmp_path: Path, args: list[str]
) -> None:
    db_path = tmp_path / "monitor.db"
    _make_db(db_path)
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()
    config = _config(tmp_path)
    code, _out, err = _invoke("--config", str(config), "--db", str(db_path), *args)
    assert code == 0, err
    assert _journal_mode(db_path) == "delete"

    conn = sqlite3.connect(db_path)  # now pretend it predates the newest migration
    conn.execute(f"PRAGMA user_version = {len(migrations()) - 1}")
    conn.close()
    code, _out, err = _invoke("--config", str(config), "--db", str(db_path), *args)
    if args != ["sources"] or err:
        assert code == 1
        assert "older than this program's" in err and "Traceback" not in err
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == len(migrations()) - 1
    finally:
        conn.close()
