"""The offline demo: its receivers, its fixture world, and a short run of the whole thing."""

from __future__ import annotations

import io
import re
import urllib.request
from datetime import date

import apprise
import pytest

from monitor.demo.world import DemoWorld, MailSink, WebhookReceiver, date_span, run_demo


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2026, 10, 5), date(2026, 10, 16), "5 to 16 October 2026"),
        (date(2026, 9, 28), date(2026, 10, 9), "28 September to 9 October 2026"),
    ],
    ids=["same-month", "across-months"],
)
def test_date_span(start: date, end: date, expected: str) -> None:
    assert date_span(start, end) == expected


def test_receivers_record_what_apprise_sends() -> None:
    mail, hook = MailSink().start(), WebhookReceiver().start()
    try:
        notifier = apprise.Apprise()
        assert notifier.add(mail.url(sender="monitor@example.org", to="desk@example.org"))
        assert notifier.add(hook.url)
        assert notifier.notify(title="Stockport: downgrade", body="help and protection")
    finally:
        hook.stop()
        mail.stop()
    assert [(m.subject, m.to) for m in mail.messages] == [
        ("Stockport: downgrade", "desk@example.org")
    ]
    assert "help and protection" in mail.messages[0].text
    assert [b["title"] for b in hook.bodies] == ["Stockport: downgrade"]


def _get(url: str, etag: str | None = None) -> tuple[int, bytes, str]:
    request = urllib.request.Request(url, headers={"If-None-Match": etag} if etag else {})
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never a proxy
    try:
        with opener.open(request, timeout=5) as response:
            return response.status, response.read(), response.headers.get("ETag", "")
    except urllib.error.HTTPError as error:
        return error.code, b"", ""


def test_world_changes_cosmetically_without_new_items() -> None:
    world = DemoWorld(today=date(2026, 11, 23)).start()
    try:
        status, before, etag = _get(world.gazette.url)
        assert status == 200 and _get(world.gazette.url, etag)[0] == 304
        cosmetic = next(s for s in world.steps if s.label.startswith("cosmetic"))
        cosmetic.apply()
        status, after, _ = _get(world.gazette.url)
    finally:
        world.stop()
    assert status == 200 and after != before
    guids = re.compile(rb"<guid[^>]*>([^<]+)</guid>")
    assert guids.findall(after) == guids.findall(before)


def test_world_script_reveals_two_rating_changes_each_first_on_ofsted() -> None:
    world = DemoWorld(today=date(2026, 11, 23))
    assert world.truth() == ["Stockport", "Hartlepool"]
    first = {}
    for step in world.steps:
        if step.rating and step.rating not in first:
            first[step.rating] = step.rating_urls
    assert all("/provider/44/" in urls[0] for urls in first.values())
    assert [s.at for s in world.steps] == sorted(s.at for s in world.steps)


@pytest.mark.slow
def test_short_demo_alerts_once_per_rating_change_per_channel() -> None:
    out = io.StringIO()
    code = run_demo(duration=10, out=out)
    text = out.getvalue()
    assert code == 0, text
    assert "emails received by the SMTP sink: 2" in text, text
    assert "webhook posts received: 2" in text, text
    subjects = [line for line in text.splitlines() if "Subject:" in line]
    assert any("Stockport" in s for s in subjects), text
    assert any("Hartlepool" in s for s in subjects), text
    digest = text.split("monitor digest:", 1)[1]
    assert "Stockport" in digest and "Hartlepool" in digest, text
