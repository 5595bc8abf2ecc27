"""The classifier's entry point: reports go to the report reader, the rest to the news
classifier; a report whose authority name cannot be resolved takes the council of the
provider page it was listed on."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from click.testing import CliRunner

from monitor.classify import classify_article, classify_document
from monitor.classify.sentences import split_sentences
from monitor.cli import cli
from monitor.councils import load_councils
from monitor.demo.reportpdf import build_report_pdf
from monitor.extract import extract
from monitor.models import Article, Document, EvidenceKind, Grade, Grades
from monitor.pdf import pdf_pages


def _report_article(council_name: str) -> Article:
    pages = pdf_pages(
        build_report_pdf(
            council_name=council_name,
            layout="ilacs",
            grades=Grades(
                overall=Grade.GOOD,
                leaders=Grade.GOOD,
                help_and_protection=Grade.GOOD,
                in_care=Grade.GOOD,
                care_leavers=Grade.GOOD,
            ),
            inspection_start=date(2024, 3, 4),
            inspection_end=date(2024, 3, 15),
        )
    )
    return Article(
        url="https://files.example.org/1",
        canonical_url="https://files.example.org/1",
        title="",
        text="\n".join(pages),
        content_kind="pdf",
        pages=tuple(pages),
    )


def test_a_report_is_read_as_a_report() -> None:
    classification = classify_article(_report_article("Stockport"))
    assert classification.evidence_kind is EvidenceKind.REPORT
    (event,) = classification.events
    assert event.council.la_code == "356"
    assert event.overall is Grade.GOOD


def test_an_unresolvable_name_takes_the_provider_pages_council() -> None:
    article = _report_article("Borough of Nowhereshire")
    assert classify_article(article).events == ()
    wigan = load_councils().by_code("359")
    classification = classify_article(article, council=wigan)
    (event,) = classification.events
    assert event.council == wigan
    assert not any(p.startswith("council") for p in event.needs_review)


def test_news_goes_to_the_news_classifier() -> None:
    text = "Ofsted has rated children's services in Stockport as good."
    article = Article(url="u", canonical_url="u", title="Stockport rated good", text=text)
    classification = classify_article(article)
    assert classification.evidence_kind is EvidenceKind.NEWS
    assert [e.council.name for e in classification.events] == ["Stockport"]


def test_a_plain_text_headline_is_read_once() -> None:
    """A text page's first line is its title and stays in its body; the classifier reads it
    once (read twice, it filled the opening and every grade became background)."""
    text = "Big changes for families\nOfsted has rated Wigan's children's services good.\n"
    document = Document(source="t", url="u", content=text.encode(), content_type="text/plain")
    article = extract(document)
    assert article.title == "Big changes for families"
    sentences = [s.text for s in split_sentences(article.text, title=article.title)]
    assert sentences.count("Big changes for families") == 1


def test_classify_document_is_the_one_path() -> None:
    text = "Wigan rated good\nOfsted has rated Wigan's children's services good.\n"
    document = Document(source="t", url="u", content=text.encode(), content_type="text/plain")
    classified = classify_document(document)
    assert classified.article.title == "Wigan rated good"
    assert [e.council.name for e in classified.classification.events] == ["Wigan"]


def test_monitor_classify_url_names_the_publishing_council(tmp_path: Path) -> None:
    """Minutes on a council's own site name no council: with the page's URL (as the daemon
    has it) "the council" is the publisher; from a bare file there is no event."""
    page = tmp_path / "minutes.txt"
    page.write_text(
        "Minutes\nThe Director reported on the recent Ofsted inspection of children's services.\n"
        "The overall judgement of the inspection was that services for children were good.\n",
        "utf-8",
    )
    bare = CliRunner().invoke(cli, ["classify", "--json", str(page)])
    assert json.loads(bare.output)["events"] == []
    sited = CliRunner().invoke(
        cli, ["classify", "--json", "--url", "https://democracy.wigan.gov.uk/mgAi.aspx", str(page)]
    )
    (event,) = json.loads(sited.output)["events"]
    assert (event["council"], event["overall"]) == ("Wigan", "good")
    both = CliRunner().invoke(cli, ["classify", "--url", "https://x.example", str(page), str(page)])
    assert both.exit_code == 2
