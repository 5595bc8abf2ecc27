"""The product path for tests: a text as a fetched plain-text document, through
``classify_document`` exactly as the daemon and ``monitor classify`` read it."""

from __future__ import annotations

from datetime import UTC, date, datetime

from monitor.classify import classify_document
from monitor.councils import CouncilRegistry
from monitor.models import Classification, Document


def read(
    text: str,
    *,
    title: str | None = None,
    published: date | None = None,
    url: str = "https://news.example.org/story",
    councils: CouncilRegistry | None = None,
) -> Classification:
    """What the product makes of ``text`` served as text/plain (a feed's title and date, when
    given, as a source hands them on)."""
    document = Document(
        source="test",
        url=url,
        content=text.encode("utf-8"),
        content_type="text/plain; charset=utf-8",
        title=title,
        published=datetime.combine(published, datetime.min.time(), tzinfo=UTC)
        if published
        else None,
    )
    return classify_document(document, councils=councils).classification
