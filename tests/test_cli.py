"""The ``monitor`` command: output shapes and exit codes (0 ok, 2 bad usage or configuration,
1 other errors), on a real database filled through the timeline."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from monitor.cli import cli
from monitor.councils import load_councils
from monitor.demo.reportpdf import build_report_pdf
from monitor.models import EvidenceKind, Framework, Grade, Grades, RatingEvent
from monitor.pipeline import record_event
from monitor.records import EvidenceRef
from monitor.store import open_db

GOOD, RI = Grade.GOOD, Grade.REQUIRES_IMPROVEMENT


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output


@pytest.fixture
def filled_db(tmp_path: Path) -> Path:
    """A database with a silent 2022 history and a 2025 downgrade for Stockport."""
    path = tmp_path / "monitor.db"
    db = open_db(path)
    stockport = load_councils().by_code("356")
    assert stockport is not None
    now = datetime.now(UTC)
    for year, grades, silent, when in (
        (2022, Grades(overall=GOOD, leaders=GOOD), True, now - timedelta(days=30)),
        (2025, Grades(overall=RI, leaders=RI, care_leavers=GOOD), False, now - timedelta(days=1)),
    ):
        event = RatingEvent(
            council=stockport,
            framework=Framework.ILACS,
            grades=grades,
            inspection_start=date(year, 5, 12),
            inspection_end=date(year, 5, 23),
            published=date(year, 7, 15),
        )
        evidence = EvidenceRef(
            item_id=None,
            url=f"https://files.example.org/{year}",
            title=f"Report {year}",
            source="ofsted",
            kind=EvidenceKind.REPORT,
            published=datetime(year, 7, 15, tzinfo=UTC),
        )
        record_event(db, event, evidence=evidence, silent=silent, subscribers=[], now=when)
    db.close()
    return path


def test_classify_json_reads_a_report_pdf(tmp_path: Path) -> None:
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(
        build_report_pdf(
            council_name="Stockport",
            layout="ilacs",
            grades=Grades(
                overall=RI, leaders=RI, help_and_protection=RI, in_care=RI, care_leavers=GOOD
            ),
            inspection_start=date(2025, 5, 12),
            inspection_end=date(2025, 5, 23),
        )
    )
    code, output = _run("classify", str(pdf), "--json")
    assert code == 0
    line = json.loads(output)
    assert line["path"] == str(pdf) and line["relevant"] is True
    (event,) = line["events"]
    assert (event["council"], event["la_code"], event["framework"]) == ("Stockport", "356", "ILACS")
    assert event["overall"] == "requires improvement"
    assert event["judgements"]["care_leavers"] == "good"
    assert (event["inspection_start"], event["inspection_end"]) == ("2025-05-12", "2025-05-23")


def test_classify_json_one_line_per_file_and_broken_files_exit_1(tmp_path: Path) -> None:
    text = tmp_path / "story.txt"
    text.write_text("The council has resurfaced three roads in the town centre this month.\n")
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\n1 0 obj <<")
    code, output = _run("classify", str(text), str(broken), "--json")
    assert code == 1
    first, second = (json.loads(line) for line in output.splitlines())
    assert first == {"path": str(text), "relevant": False, "events": []}
    assert second["path"] == str(broken) and second["relevant"] is False and second["error"]


def test_digest_history_and_alerts(filled_db: Path) -> None:
    code, output = _run("--db", str(filled_db), "digest", "--since", "7d", "--format", "json")
    assert code == 0
    entries = json.loads(output)
    assert len(entries) == 1  # the silent 2022 history is not a change in the window
    assert "Stockport" in json.dumps(entries[0])

    code, output = _run("--db", str(filled_db), "history", "Stockport")
    assert code == 0
    assert "2022" in output and "2025" in output

    code, output = _run("--db", str(filled_db), "alerts")
    assert code == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("history", "Atlantis"), "unknown council 'Atlantis'"),
        (("digest", "--since", "soon"), "expected a window like 24h, 7d or 3w, got 'soon'"),
        (("digest", "--council", "Atlantis"), "Atlantis"),
        (("poll",), "use `monitor poll --once`"),
    ],
)
def test_bad_usage_exits_2(filled_db: Path, args: tuple[str, ...], message: str) -> None:
    result = CliRunner().invoke(cli, ["--db", str(filled_db), *args])
    assert result.exit_code == 2
    assert message in result.output


def test_sources_table_lists_configured_sources(tmp_path: Path) -> None:
    config = tmp_path / "sources.yaml"
    config.write_text(
        "sources:\n  - name: paper\n    kind: feed\n    url: https://news.example.org/feed\n"
    )
    result = CliRunner().invoke(
        cli, ["--config", str(config), "--db", str(tmp_path / "m.db"), "sources"]
    )
    code, output = result.exit_code, result.stdout
    assert code == 0
    assert not (tmp_path / "m.db").exists()  # a read-only command creates no database
    header, row = output.splitlines()
    assert header.split()[:2] == ["SOURCE", "KIND"]
    assert row.split()[:3] == ["paper", "feed", "never"]


def test_notify_test_reports_failure_honestly(tmp_path: Path) -> None:
    config = tmp_path / "sources.yaml"
    # Nothing listens on port 9 of this machine: the delivery must fail, and say so.
    config.write_text("subscribers:\n  - name: desk\n    notify: ['json://127.0.0.1:9/hook']\n")
    code, output = _run("--config", str(config), "notify-test", "desk")
    assert code == 1
    assert any(line.startswith("FAILED  json://127.0.0.1:9") for line in output.splitlines())


def test_notify_test_unknown_subscriber_exits_2(tmp_path: Path) -> None:
    config = tmp_path / "sources.yaml"
    config.write_text("subscribers: []\n")
    code, output = _run("--config", str(config), "notify-test", "nobody")
    assert code == 2
    assert "no subscriber named 'nobody'" in output
