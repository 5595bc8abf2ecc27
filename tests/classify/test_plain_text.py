"""The plain-text path of extraction as the classifier relies on it: the publication date
comes from a dateline or a stored copy's leading "date YYYY-MM-DD", never from a year in the
prose; the first line is the title."""

from __future__ import annotations

from datetime import date

import pytest

from monitor.extract import dateline, extract
from monitor.models import Article, Document


def _article(text: str) -> Article:
    return extract(Document(source="t", url="u", content=text.encode(), content_type="text/plain"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Head\n\nBy Jo Bloggs | 23 January 2015\n\nStory.", date(2015, 1, 23)),
        (
            "Head\n9 Dec 10\nStory text here.\nBy A Writer\n9 December 2010\nMore.",
            date(2010, 12, 9),
        ),
        ("Head\nPublished: Tuesday, 3rd March 2020, 10:15 am\nStory.", date(2020, 3, 3)),
        ("Head\nNews release PR12 - published on 24 February 2026\nStory.", date(2026, 2, 24)),
        ("Head\nSeptember 29, 2011 in Child safeguarding, Children\nStory.", date(2011, 9, 29)),
        ("Head\n19/04/23\nStory.", date(2023, 4, 19)),
        ("Head\nUpdated 2019-03-04\nStory.", date(2019, 3, 4)),
    ],
)
def test_a_dateline_dates_the_story(text: str, expected: date) -> None:
    found = dateline(text)
    assert found is not None and found.date() == expected


@pytest.mark.parametrize(
    "text",
    [
        "Head\nThe council was rated good at the last inspection in 2022.\n",
        "Head\n12 March 2019 inspection found the service improving\n",
        "Head\nThe report was published on 3 March 2020 and found many things to praise.\n",
    ],
)
def test_a_year_in_the_prose_is_not_a_dateline(text: str) -> None:
    assert dateline(text) is None
    assert _article(text).published is None


def test_a_leading_date_stamp_is_the_publication_date_and_not_the_title() -> None:
    article = _article(" date 2023-01-27 Wigan's children's services rated good\nMore text.")
    assert article.published is not None and article.published.date() == date(2023, 1, 27)
    assert article.title == "Wigan's children's services rated good"


def test_the_documents_own_date_wins() -> None:
    from datetime import UTC, datetime

    when = datetime(2024, 5, 1, tzinfo=UTC)
    document = Document(
        source="t", url="u", content=b"Head\n9 December 2010\nStory.", published=when
    )
    assert extract(document).published == when


@pytest.mark.parametrize(
    "text",
    [
        "Report to:\nCabinet\nDate of meeting:\n14 October 2025\nOfsted inspection outcome\n",
        "Agenda item 6\nMeeting date:\n2 June 2021\nChildren's services inspection\n",
    ],
)
def test_a_meeting_date_under_its_label_is_not_a_dateline(text: str) -> None:
    # minutes and reports to a committee give the meeting's date, not the page's
    assert dateline(text) is None
