"""``kill -9`` between any two steps of recording an event (load the timeline, plan, save,
route, enqueue): the transaction leaves nothing half-written, and recording the event again
gives exactly one change and one outbox row per channel."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

CHILD = textwrap.dedent(
    """
    import os, signal, sys
    from datetime import UTC, date, datetime

    import monitor.pipeline as pipeline
    from monitor.config import SubscriberConfig
    from monitor.councils import load_councils
    from monitor.models import EvidenceKind, Framework, Grade, Grades, RatingEvent
    from monitor.records import EvidenceRef
    from monitor.store import open_db, outbox, timeline

    db_path, step = sys.argv[1], sys.argv[2]
    STOCKPORT = load_councils().by_name("Stockport")
    DESK = SubscriberConfig(name="desk", notify=["json://127.0.0.1:9/a", "json://127.0.0.1:9/b"])
    NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)

    def killed_after(module, name):
        real = getattr(module, name)
        def wrapper(*args, **kwargs):
            result = real(*args, **kwargs)
            if name == step and armed:
                os.kill(os.getpid(), signal.SIGKILL)
            return result
        setattr(module, name, wrapper)

    killed_after(timeline, "load_timeline")
    killed_after(pipeline, "plan_event")
    killed_after(timeline, "save_plan")
    killed_after(pipeline, "route")
    killed_after(outbox, "enqueue")

    db = open_db(db_path)
    for year, grade in [(2022, Grade.GOOD), (2025, Grade.INADEQUATE)]:
        event = RatingEvent(STOCKPORT, Framework.ILACS, Grades(overall=grade),
                            inspection_start=date(year, 5, 12), inspection_end=date(year, 5, 23))
        url = f"https://files.example/{year}"
        ref = EvidenceRef(None, url, "report", "ofsted", EvidenceKind.REPORT, None)
        armed = year == 2025  # the 2022 report is recorded whole, silently, first
        pipeline.record_event(db, event, evidence=ref, silent=not armed, subscribers=[DESK],
                              now=NOW)
    """
)

STEPS = ["load_timeline", "plan_event", "save_plan", "route", "enqueue"]


def _run(db: Path, step: str) -> int:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(db), step], capture_output=True, text=True, timeout=60
    )
    return done.returncode


def _counts(db: Path) -> tuple[int, int, int, int]:
    conn = sqlite3.connect(db)
    try:
        return tuple(  # type: ignore[return-value]
            conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("inspections", "evidence", "changes", "outbox")
        )
    finally:
        conn.close()


@pytest.mark.parametrize("step", STEPS)
def test_kill_between_steps_leaves_nothing_half_written(tmp_path: Path, step: str) -> None:
    db = tmp_path / "monitor.db"
    assert _run(db, step) == -signal.SIGKILL
    # Only the 2022 report: nothing of the 2025 one, neither its change nor its outbox rows.
    assert _counts(db) == (1, 1, 0, 0)
    # Recording again (the next poll refetches what was not stored) completes the history:
    # the 2022 report is a repeat, the 2025 one a downgrade with one row per channel.
    assert _run(db, "none") == 0
    assert _counts(db) == (2, 2, 1, 2)
