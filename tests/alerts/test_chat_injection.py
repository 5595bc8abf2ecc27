"""Article titles and URLs in chat text and the Markdown digest: no mention, no disguised link.

Titles come from pages anyone can write. Before the fix, the chat text carried ``@everyone``,
``<@U123>`` and ``[Official report](http://evil.example/)`` as written, and apprise's Discord
plug-in even turns mentions it finds into pings.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
from apprise.plugins.discord import USER_ROLE_DETECTION_RE

from monitor.alerts.render import chat_text, chat_url, render_chat
from monitor.councils import load_councils
from monitor.models import EvidenceKind, Framework, Grade, Grades, Judgement, JudgementChange
from monitor.records import ChangeRecord, EvidenceRecord, InspectionRecord
from monitor.views.digest import DigestEntry, render_digest

WHEN = datetime(2026, 11, 23, 9, tzinfo=UTC)
_COUNCIL = load_councils().by_name("Stockport")
assert _COUNCIL is not None
STOCKPORT = _COUNCIL
HOSTILE_TITLES = [
    "@everyone Stockport rated inadequate",
    "@here urgent",
    "<@U123> <@&456> <@789> look",
    "<!channel> <!here> <#C1> Stockport",
    "[Official report](http://evil.example/phish) Stockport",
    "[Official report] (http://evil.example/phish)",
    "Stockport [Ofsted](https://evil.example/a) <https://evil.example/b|Official report>",
]
# The Markdown link and mention forms Discord, Slack, Teams and Mattermost read.
_LINK = re.compile(r"\]\s*\(")
_MENTION = re.compile(r"@(everyone|here|channel|all)\b|<@&?\w+>|<![a-z]+>", re.IGNORECASE)


def change_record(title: str, url: str) -> ChangeRecord:
    evidence = EvidenceRecord(
        url, title, "paper", EvidenceKind.NEWS, WHEN, Grades(overall=Grade.INADEQUATE), None, True
    )
    inspection = InspectionRecord(
        id=1,
        la_code="356",
        council="Stockport",
        framework=Framework.ILACS,
        inspection_start=date(2025, 5, 12),
        inspection_end=date(2025, 5, 23),
        published=date(2025, 7, 15),
        grades=Grades(overall=Grade.INADEQUATE),
        grades_from=EvidenceKind.NEWS,
        conflict=False,
        evidence=(evidence,),
    )
    change = JudgementChange(Judgement.OVERALL, Grade.GOOD, Grade.INADEQUATE)
    return ChangeRecord(1, STOCKPORT, "change", (change,), None, False, WHEN, inspection)


@pytest.mark.parametrize("title", HOSTILE_TITLES)
def test_chat_text_has_no_mention_or_masked_link(title: str) -> None:
    chat = render_chat(change_record(title, "https://news.example/story"))
    assert not _MENTION.search(chat), chat
    assert not _LINK.search(chat), chat
    assert USER_ROLE_DETECTION_RE.findall(chat.split("\n", 1)[1]) == []  # apprise's pings
    # The words are still there for a reader.
    visible = chat.replace("\u200b", "")
    assert title.replace("\u200b", "") in visible


def test_chat_url_cannot_break_out_of_itself() -> None:
    url = "https://news.example/a)(b)<@U1>[x](http://evil.example/)|y z"
    shown = chat_url(url)
    assert not re.search(r"[\s()<>\[\]@|]", shown.removeprefix("https://"))
    chat = render_chat(change_record("A story", url))
    assert shown in chat and not _LINK.search(chat)


def test_plain_words_are_unchanged() -> None:
    text = "Stockport: Good -> Requires improvement (down), e-mail desk at example dot org"
    assert chat_text(text) == text
    assert chat_url("https://files.ofsted.gov.uk/v1/file/50212345") == (
        "https://files.ofsted.gov.uk/v1/file/50212345"
    )


@pytest.mark.parametrize("title", HOSTILE_TITLES)
def test_markdown_digest_escapes_titles_and_link_urls(title: str) -> None:
    entry = DigestEntry(
        detected=WHEN,
        council=STOCKPORT,
        kind="change",
        changes=(JudgementChange(Judgement.OVERALL, Grade.GOOD, Grade.INADEQUATE),),
        framework=Framework.ILACS,
        inspection_start=date(2025, 5, 12),
        inspection_end=date(2025, 5, 23),
        published=None,
        sources=((title, "https://news.example/a) [Official](http://evil.example/"),),
    )
    markdown = render_digest([entry], "markdown")
    (line,) = [line for line in markdown.splitlines() if line.startswith("- [")]
    # Exactly one link: the source's, whose text is escaped and whose URL is one token.
    assert len(re.findall(r"(?<!\\)\]\(", line)) == 1
    assert re.fullmatch(r"- \[.*\]\(https://news\.example/[^\s()\[\]<>]*\)", line), line
