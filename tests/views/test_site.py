"""The web view's ASGI app under a real uvicorn server on 127.0.0.1, on the fixture database:
what each page and feed says, that the feeds match ``monitor ratings``, that hostile text stays
text, and that nothing can be written."""

from __future__ import annotations

import hashlib
import json
import socket
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime

import feedparser
import httpx
import pytest
import uvicorn
from click.testing import CliRunner

from monitor.alerts.render import subject_line
from monitor.cli import cli
from monitor.store import open_db
from monitor.store.timeline import change_record
from monitor.views.site.app import create_app, http_url

from .world import HOSTILE_TITLE, PublishWorld

NOW = datetime(2025, 8, 1, 12, 0, tzinfo=UTC)  # the 2025 downgrade is within 90 days


@pytest.fixture(scope="module")
def client(publish_world: PublishWorld) -> Iterator[httpx.Client]:
    """The app with a fixed clock, served by uvicorn in a thread."""
    # The server is handed a socket already bound (a free port probed, closed, then bound
    # again could be taken in between).
    listening = socket.socket()
    listening.bind(("127.0.0.1", 0))
    port = listening.getsockname()[1]
    app = create_app(publish_world.db_path, now=lambda: NOW)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listening]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as http:
        yield http
    server.should_exit = True
    thread.join(timeout=10)
    listening.close()


def _digest(world: PublishWorld) -> str:
    return hashlib.sha256(world.db_path.read_bytes()).hexdigest()


def test_board_lists_every_authority_with_stockport_downgraded(client: httpx.Client) -> None:
    page = client.get("/")
    assert page.status_code == 200
    html = page.text
    assert html.count('<tr data-la-code="') == 156
    row = html.split('<tr data-la-code="356"', 1)[1].split("</tr>", 1)[0]
    assert ">Requires improvement</td>" in row and "g-requires-improvement" in row
    assert ">changed</span>" in row and "▼ down" in row
    chart = html.split('<figure class="national">', 1)[1].split("</figure>", 1)[0]
    assert "<svg" in chart and "<rect" in chart and "href" not in chart  # inline, nothing fetched
    assert "<script" not in html
    assert page.headers["content-security-policy"].startswith("default-src 'none'")


def test_board_region_filter_and_sorts(client: httpx.Client) -> None:
    html = client.get("/", params={"region": "London"}).text
    assert 'data-region="North West"' not in html and 'data-la-code="315"' in html  # Merton
    assert client.get("/", params={"region": "Atlantis"}).status_code == 400
    by_grade = client.get("/", params={"sort": "grade", "order": "asc"}).text
    codes = [c.split('"', 1)[0] for c in by_grade.split('<tr data-la-code="')[1:]]
    assert codes[:2] == ["315", "356"]  # good before requires improvement, blanks last
    by_date = client.get("/", params={"sort": "date", "order": "desc"}).text
    codes = [c.split('"', 1)[0] for c in by_date.split('<tr data-la-code="')[1:]]
    assert codes[:2] == ["356", "315"]


def test_council_page_shows_both_inspections_evidence_and_quotes(
    client: httpx.Client, publish_world: PublishWorld
) -> None:
    page = client.get("/council/356")
    assert page.status_code == 200
    html = page.text
    assert html.count('<li class="inspection"') == 2
    assert "SIF inspection" in html and "ILACS inspection" in html
    assert "focused visit" in html and "(not graded)" in html
    assert f'href="{publish_world.report_2025}"' in html
    assert "Overall effectiveness: Good -&gt; Requires improvement to be good (down)" in html
    assert "<q>Ofsted has downgraded Stockport&#39;s children&#39;s services" in html
    assert "<polyline" in html  # the grade-over-time chart
    assert client.get("/council/999").status_code == 404
    assert client.get("/council/abc").status_code == 404


def test_hostile_title_is_escaped(client: httpx.Client) -> None:
    html = client.get("/council/356").text
    assert "<script>document.title" not in html and "<img src=x" not in html
    assert "&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;" in html
    assert HOSTILE_TITLE not in html


def test_only_http_links_are_links() -> None:
    assert (
        http_url("https://files.ofsted.gov.uk/v1/file/1") == "https://files.ofsted.gov.uk/v1/file/1"
    )
    for bad in ("javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,x", "", None):
        assert http_url(bad) is None


def test_atom_feed_is_valid_with_stable_ids_and_alert_subjects(
    client: httpx.Client, publish_world: PublishWorld
) -> None:
    first = client.get("/changes.atom")
    assert first.headers["content-type"].startswith("application/atom+xml")
    feed = feedparser.parse(first.content)
    assert feed.bozo is False, feed.get("bozo_exception")
    assert feed.version == "atom10"
    [entry] = feed.entries  # the 2025 downgrade; the first poll's history was silent
    db = open_db(publish_world.db_path)
    try:
        change_id = db.execute("SELECT id FROM changes WHERE silent = 0").fetchone()[0]
        expected = subject_line(change_record(db, change_id))
    finally:
        db.close()
    assert entry.title == expected
    assert entry.title.startswith("Stockport children's services: downgraded to Requires")
    assert entry.id == f"tag:ofsted-monitor,2026:change/{change_id}"
    assert entry.link == str(client.base_url).rstrip("/") + "/council/356"
    assert b"<script" not in first.content and b"&amp;lt;script&amp;gt;" in first.content
    again = feedparser.parse(client.get("/changes.atom").content)
    assert [e.id for e in again.entries] == [entry.id]
    changes = client.get("/changes").text
    assert expected.replace("'", "&#39;") in changes


def test_ratings_csv_and_json_match_the_command(
    client: httpx.Client, publish_world: PublishWorld
) -> None:
    for fmt, params in (("csv", {}), ("json", {}), ("csv", {"region": "North West"})):
        args = ["--db", str(publish_world.db_path), "ratings", "--format", fmt]
        if "region" in params:
            args += ["--region", params["region"]]
        command = CliRunner().invoke(cli, args).output
        served = client.get(f"/ratings.{fmt}", params=params)
        assert served.status_code == 200
        assert served.text == command
    assert json.loads(client.get("/ratings.json", params={"grade": "good"}).text)[0]["la_code"] == (
        "315"
    )
    assert client.get("/ratings.csv", params={"grade": "superb"}).status_code == 400


def test_nothing_can_be_written(client: httpx.Client, publish_world: PublishWorld) -> None:
    before = _digest(publish_world)
    for method in ("POST", "PUT", "DELETE", "PATCH"):
        for path in ("/", "/council/356", "/changes.atom", "/ratings.csv"):
            assert client.request(method, path).status_code == 405, (method, path)
    for path in ("/", "/council/356", "/changes", "/changes.atom", "/ratings.json"):
        assert client.get(path).status_code == 200
    assert _digest(publish_world) == before


def test_a_missing_database_is_a_503_page_not_a_traceback(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import asyncio

    app = create_app(tmp_path / "gone.db")
    sent: list[dict] = []

    async def call() -> None:
        scope = {
            "type": "http",
            "method": "GET",
            "path": "/",
            "raw_path": b"/",
            "query_string": b"",
            "headers": [],
            "root_path": "",
            "scheme": "http",
            "server": ("127.0.0.1", 80),
            "client": ("127.0.0.1", 1),
            "http_version": "1.1",
        }

        async def receive() -> dict:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message: dict) -> None:
            sent.append(message)

        await app(scope, receive, send)

    asyncio.run(call())
    assert sent[0]["status"] == 503
    body = b"".join(m.get("body", b"") for m in sent[1:]).decode()
    assert "no database at" in body and "Traceback" not in body


def test_serve_on_a_busy_port_is_one_line_and_exit_1(publish_world: PublishWorld) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        args = ["--db", str(publish_world.db_path), "serve", "--port", str(port)]
        result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1
    assert result.output == f"error: cannot listen on 127.0.0.1:{port}: Address already in use\n"
