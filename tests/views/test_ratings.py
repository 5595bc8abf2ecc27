"""``monitor ratings`` and the JSON formats of history, sources and alerts, on a database
filled through the fixture web (tests/views/world.py)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from monitor.cli import cli
from monitor.councils import load_councils

from .world import HOSTILE_TITLE, PublishWorld


def run(world: PublishWorld, *args: str, config: Path | None = None) -> tuple[int, str]:
    options = ["--db", str(world.db_path)]
    if config is not None:
        options += ["--config", str(config)]
    result = CliRunner().invoke(cli, [*options, *args])
    return result.exit_code, result.output


def test_every_authority_has_one_row_and_stockport_fell(publish_world: PublishWorld) -> None:
    code, out = run(publish_world, "ratings", "--format", "json")
    assert code == 0, out
    rows = json.loads(out)
    assert len(rows) == len(load_councils()) == len({r["la_code"] for r in rows})
    stockport = next(r for r in rows if r["council"] == "Stockport")
    assert stockport["overall"] == "requires improvement"
    assert stockport["judgements"]["care_leavers"] == "good"
    assert stockport["previous_overall"] == "good"
    assert stockport["change"] == "downgrade"
    assert stockport["inspection_start"] == "2025-05-12"
    assert stockport["report_url"] == publish_world.report_2025
    assert stockport["inspections"] == 2
    merton = next(r for r in rows if r["council"] == "Merton")
    assert (merton["overall"], merton["change"]) == ("good", "unknown")
    never = next(r for r in rows if r["council"] == "Barnet")
    assert never["overall"] is None and never["framework"] is None and never["inspections"] == 0


def test_filters(publish_world: PublishWorld) -> None:
    code, out = run(publish_world, "ratings", "--format", "csv", "--region", "north west")
    assert code == 0, out
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows and {r["region"] for r in rows} == {"North West"}
    assert "Stockport" in {r["council"] for r in rows} and "Merton" not in {
        r["council"] for r in rows
    }
    code, out = run(publish_world, "ratings", "--format", "csv", "--grade", "Requires improvement")
    assert [r["council"] for r in csv.DictReader(io.StringIO(out))] == ["Stockport"]
    code, out = run(publish_world, "ratings", "--format", "csv", "--changed-since", "2025-01-01")
    assert [r["council"] for r in csv.DictReader(io.StringIO(out))] == ["Stockport"]
    code, out = run(publish_world, "ratings", "--format", "csv", "--changed-since", "2025-08-01")
    assert list(csv.DictReader(io.StringIO(out))) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--region", "Narnia"], "unknown region 'Narnia'; one of: East Midlands"),
        (["--grade", "excellent"], "unknown grade 'excellent'"),
        (["--changed-since", "soon"], "neither a date (2025-04-01) nor a window (90d)"),
    ],
    ids=["region", "grade", "since"],
)
def test_bad_filters_exit_2(publish_world: PublishWorld, args: list[str], message: str) -> None:
    code, out = run(publish_world, "ratings", *args)
    assert code == 2 and message in out, out
    assert "Traceback" not in out


def test_missing_database_is_one_line_and_creates_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "nothing" / "monitor.db"
    result = CliRunner().invoke(cli, ["--db", str(missing), "ratings"])
    assert result.exit_code == 1
    assert result.output.startswith("error: no database at")
    assert not missing.parent.exists()


def test_text_and_markdown(publish_world: PublishWorld) -> None:
    code, out = run(publish_world, "ratings", "--region", "North West")
    assert code == 0
    line = next(x for x in out.splitlines() if x.startswith("Stockport"))
    assert "requires improvement" in line and "downgrade" in line
    assert out.rstrip().endswith("authorities")
    code, out = run(publish_world, "ratings", "--format", "markdown", "--region", "London")
    assert out.splitlines()[0].startswith("| Authority | Region |")
    merton = next(x for x in out.splitlines() if x.startswith("| Merton"))
    assert "good" in merton and "](<http://127.0.0.1:" in merton  # the report, linked


def test_xlsx_has_two_sheets_with_headers_and_frozen_panes(
    publish_world: PublishWorld, tmp_path: Path
) -> None:
    target = tmp_path / "ratings.xlsx"
    code, out = run(publish_world, "ratings", "--format", "xlsx", "--output", str(target))
    assert code == 0, out
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == ["latest", "history"]
    latest, history = book["latest"], book["history"]
    assert latest.freeze_panes == "C2" and history.freeze_panes == "C2"
    header = [c.value for c in latest[1]]
    assert header[:3] == ["la_code", "council", "region"] and latest["A1"].font.bold
    assert latest.max_row == len(load_councils()) + 1
    rows = {r[1]: r for r in latest.iter_rows(min_row=2, values_only=True)}
    assert rows["Stockport"][header.index("overall")] == "requires improvement"
    assert rows["Stockport"][header.index("change")] == "downgrade"
    stockport = [r for r in history.iter_rows(min_row=2, values_only=True) if r[1] == "Stockport"]
    assert [r[3] for r in stockport] == ["SIF", "ILACS"]  # both inspections, oldest first


def test_history_json_carries_evidence_and_quotes(publish_world: PublishWorld) -> None:
    code, out = run(publish_world, "history", "Stockport", "--format", "json")
    assert code == 0, out
    data = json.loads(out)
    assert [i["framework"] for i in data["inspections"]] == ["SIF", "ILACS"]
    latest = data["inspections"][-1]
    assert {c["judgement"]: c["change"] for c in latest["changes"]}["overall"] == "downgrade"
    news = next(e for e in latest["evidence"] if e["kind"] == "news")
    assert news["title"] == HOSTILE_TITLE
    assert any("downgraded Stockport" in q["text"] for q in news["quotes"])
    assert [p["kind"] for p in data["ungraded_publications"]] == ["focused visit"]


def test_sources_and_alerts_json(publish_world: PublishWorld) -> None:
    config = publish_world.db_path.with_suffix(".yaml")
    code, out = run(publish_world, "sources", "--format", "json", config=config)
    assert code == 0, out
    found = {s["name"]: s for s in json.loads(out)}
    assert set(found) == {"ofsted", "local-paper"}
    assert found["ofsted"]["backfilled"] is True and found["ofsted"]["items_seen"] > 0
    assert "url" not in found["ofsted"]
    code, out = run(publish_world, "alerts", "--format", "json")
    assert code == 0, out
    [row] = json.loads(out)  # the 2025 downgrade, queued and never delivered here
    assert (row["subscriber"], row["kind"], row["state"]) == ("newsdesk", "change", "pending")
    assert row["channel"].startswith("json://") and "hook" not in row["channel"]


def test_the_cli_and_pipeline_import_no_web_or_spreadsheet_library() -> None:
    # `poll --once` from cron starts often: the serve and xlsx stacks load only when asked for.
    import subprocess
    import sys

    code = (
        "import sys, monitor.cli, monitor.pipeline, monitor.views.ratings\n"
        "heavy = {m.split('.')[0] for m in sys.modules} & {'starlette', 'jinja2', 'openpyxl',"
        " 'uvicorn'}\n"
        "print(sorted(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
