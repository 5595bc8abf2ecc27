"""Classify an item: which councils' children's-services grades it states, and how they moved.

``classify_article`` is the pipeline's entry point: an Ofsted report PDF goes to the report
reader (``classify.report``), everything else to the news classifier (``classify.events``).
Pure functions over text: no network, no model.
"""

from __future__ import annotations

import dataclasses
from datetime import date

from monitor.councils import CouncilRegistry, load_councils
from monitor.models import Article, Classification, Council, EvidenceKind

from . import report
from .events import classify_news

__all__ = ["classify_article", "classify_text"]


def classify_article(
    article: Article,
    *,
    councils: CouncilRegistry | None = None,
    published: date | None = None,
    council: Council | None = None,
) -> Classification:
    """The rating events an extracted article states (none when it is not about one).

    ``council`` is the authority the source already knows a report belongs to (the Ofsted
    provider page it was listed on): it stands in when the report's own wording of the name
    cannot be resolved."""
    if published is None and article.published is not None:
        published = article.published.date()
    if article.content_kind == "pdf":
        pages = article.pages or (article.text,)
        if report.looks_like_report("\n".join(pages)):
            reading = report.read_report(pages, councils=councils or load_councils())
            if reading.council is None and council is not None:
                reading = dataclasses.replace(
                    reading,
                    council=council,
                    problems=tuple(p for p in reading.problems if not p.startswith("council")),
                )
            event = reading.to_event()
            if event is None:
                problems = "; ".join(getattr(reading, "problems", ()) or ())
                return Classification(reason=f"report not read: {problems or 'no grades'}")
            return Classification(events=(event,), evidence_kind=EvidenceKind.REPORT)
    return classify_text(article.text, title=article.title, councils=councils, published=published)


def classify_text(
    text: str,
    *,
    title: str | None = None,
    councils: CouncilRegistry | None = None,
    published: date | None = None,
) -> Classification:
    """The rating events a news text states (see ``classify.events``)."""
    return classify_news(text, title=title, councils=councils, published=published)
