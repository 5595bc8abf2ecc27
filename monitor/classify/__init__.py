"""Classify an item: which councils' children's-services grades it states, and how they moved.

``classify_document`` is the one product path: the daemon's pipeline, ``monitor classify``,
the tests and ``bench/eval_classifier.py`` all hand it a fetched ``Document`` (bytes, content
type, URL) and get back the extracted article and its classification. Inside, an Ofsted report
PDF goes to the report reader (``classify.report``), everything else to the news classifier
(``classify.events``). Pure functions over text: no network, no model.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from monitor.councils import CouncilRegistry, load_councils
from monitor.extract import extract
from monitor.models import (
    Article,
    Classification,
    Council,
    Document,
    Evidence,
    EvidenceKind,
)

from . import report
from .events import classify_news
from .gazetteer import publisher

__all__ = ["Classified", "classify_article", "classify_document", "classify_text", "file_document"]


@dataclass(frozen=True)
class Classified:
    """A document as the product reads it: the extracted article and what it states."""

    article: Article
    classification: Classification


def file_document(path: Path, *, url: str | None = None) -> Document:
    """A local file as a fetched document, its type from the name (``monitor classify``; the
    bytes still outrank the name, see ``extract.sniff_kind``); ``url`` is where it was
    fetched from, when known (the page's site may say which council published it)."""
    content_type = {".pdf": "application/pdf", ".html": "text/html", ".htm": "text/html"}.get(
        path.suffix.lower(), "text/plain"
    )
    return Document(
        source="cli",
        url=url or path.resolve().as_uri(),
        content=path.read_bytes(),
        content_type=content_type,
    )


def classify_document(
    document: Document,
    *,
    councils: CouncilRegistry | None = None,
    council: Council | None = None,
) -> Classified:
    """Extract ``document`` and classify it: the single path every caller uses.

    Raises what ``extract`` raises for a broken PDF (``ParseError``); never for other input."""
    article = extract(document)
    return Classified(article, classify_article(article, councils=councils, council=council))


def classify_article(
    article: Article,
    *,
    councils: CouncilRegistry | None = None,
    published: date | None = None,
    council: Council | None = None,
) -> Classification:
    """The rating events an extracted article states (none when it is not about one).

    A PDF goes to the report reader, never to the news classifier, when it is listed on an
    Ofsted provider page (``council`` is that page's authority: only the ``ofsted`` source
    knows one) or when its first page is a graded inspection of a council's children's
    services, whatever its title's wording. ``council`` stands in when the report's own
    wording of the authority cannot be read; without it, an unreadable authority is a
    problem (``needs_review``), never a guess."""
    if published is None and article.published is not None:
        published = article.published.date()
    if article.content_kind == "pdf":
        pages = article.pages or (article.text,)
        if council is not None or report.looks_like_report("\n".join(pages[:2])):
            return _classify_report(pages, councils or load_councils(), council)
    return classify_news(
        article.text,
        title=article.title,
        councils=councils,
        published=published,
        publisher=publisher(article.canonical_url or article.url, councils),
    )


def _classify_report(
    pages: tuple[str, ...], councils: CouncilRegistry, listed_for: Council | None
) -> Classification:
    reading = report.read_report(pages, councils=councils)
    if listed_for is not None and reading.council is None:
        reading = dataclasses.replace(
            reading,
            council=listed_for,
            problems=tuple(p for p in reading.problems if not p.startswith("council")),
            evidence=(
                Evidence("council", f"listed on the Ofsted provider page of {listed_for.name}"),
                *reading.evidence,
            ),
        )
    elif listed_for is not None and reading.council != listed_for:
        assert reading.council is not None
        reading = dataclasses.replace(
            reading,
            problems=(
                *reading.problems,
                f"council: the report names {reading.council.name} but is listed on the"
                f" Ofsted provider page of {listed_for.name}",
            ),
        )
    event = reading.to_event()
    if event is None:
        problems = "; ".join(reading.problems)
        return Classification(
            reason=f"report not read: {problems or 'no grades'}", needs_review=reading.problems
        )
    return Classification(events=(event,), evidence_kind=EvidenceKind.REPORT)


def classify_text(
    text: str,
    *,
    title: str | None = None,
    councils: CouncilRegistry | None = None,
    published: date | None = None,
) -> Classification:
    """The rating events a news text states (see ``classify.events``)."""
    return classify_news(text, title=title, councils=councils, published=published)
