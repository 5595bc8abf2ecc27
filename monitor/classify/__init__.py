"""Classify an item: which councils' children's-services grades it states, and how they moved.

``classify_article`` is the pipeline's entry point: an Ofsted report PDF goes to the report
reader (``classify.report``), everything else to the news classifier (``classify.events``).
Pure functions over text: no network, no model.
"""

from __future__ import annotations

import importlib
from datetime import date
from types import ModuleType

from monitor.councils import CouncilRegistry, load_councils
from monitor.models import Article, Classification, EvidenceKind

from .events import classify_news

__all__ = ["classify_article", "classify_text"]


def classify_article(
    article: Article,
    *,
    councils: CouncilRegistry | None = None,
    published: date | None = None,
) -> Classification:
    """The rating events an extracted article states (none when it is not about one)."""
    if published is None and article.published is not None:
        published = article.published.date()
    if article.content_kind == "pdf":
        report = _report_module()
        text = "\n".join(article.pages) or article.text
        if report is not None and report.looks_like_report(text):
            reading = report.read_report(article.pages, councils=councils or load_councils())
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


def _report_module() -> ModuleType | None:
    """The report reader, imported late: it is another module's and may not exist yet."""
    try:
        return importlib.import_module(f"{__name__}.report")
    except ImportError:
        return None
