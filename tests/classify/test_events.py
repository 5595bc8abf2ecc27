"""The news classifier over table-driven cases (tests/cases/classify_*.yaml) and a few
behaviours the tables do not show: evidence, the PDF dispatch, dates."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from monitor.classify import classify_article
from monitor.councils import load_councils
from monitor.models import Article, EvidenceKind, Framework, Judgement

from .product import read

CASES = Path(__file__).resolve().parent.parent / "cases"
JUDGEMENT_KEYS = [j.value for j in Judgement if j is not Judgement.OVERALL]


def _cases(name: str) -> list[Any]:
    cases = yaml.safe_load((CASES / name).read_text("utf-8"))
    return [pytest.param(case, id=case["id"]) for case in cases]


@pytest.mark.parametrize("case", _cases("classify_news.yaml"))
def test_news_case(case: dict[str, Any]) -> None:
    result = read(
        case["text"],
        title=case.get("title"),
        published=case.get("published"),
        url=case.get("url", "https://news.example.org/story"),
    )
    got = {event["council"]: event for event in (e.to_json() for e in result.events)}
    assert sorted(got) == sorted(e["council"] for e in case["events"]), result.reason
    for expected in case["events"]:
        event = got[expected["council"]]
        for key in ("overall", "previous", "change", "framework"):
            if key in expected:
                assert event[key] == expected[key], (expected["council"], key)
        judgements = expected.get("judgements", {})
        for key in JUDGEMENT_KEYS:
            assert event["judgements"][key] == judgements.get(key), (expected["council"], key)


@pytest.mark.parametrize("case", _cases("classify_traps.yaml"))
def test_trap_case_yields_nothing(case: dict[str, Any]) -> None:
    result = read(case["text"], url=case.get("url", "https://news.example.org/story"))
    assert result.events == (), [e.to_json() for e in result.events]
    assert not result.relevant
    assert result.reason


def test_every_grade_carries_its_sentence_as_evidence() -> None:
    text = (
        "Ofsted has rated Brent Council's children's services good, up from requires improvement.\n"
        "Inspectors rated care leavers outstanding in the 2023 report."
    )
    (event,) = read(text).events
    evidence = {e.field: e.text for e in event.evidence}
    assert evidence["council"].startswith("Ofsted has rated Brent")
    assert "up from requires improvement" in evidence["overall"]
    assert "up from requires improvement" in evidence["previous"]
    assert evidence["care_leavers"].startswith("Inspectors rated care leavers outstanding")


def test_ambiguous_company_without_context_names_every_council_for_review() -> None:
    text = "Achieving for Children has been rated good by Ofsted in a report published in 2024."
    events = read(text).events
    assert {e.council.name for e in events} == {
        "Kingston upon Thames",
        "Richmond upon Thames",
        "Windsor and Maidenhead",
    }
    assert all(e.needs_review == ("council",) for e in events)


def test_publication_date_sets_framework_and_marks_older_grades_as_history() -> None:
    text = "Children's services in Oxfordshire were rated good by Ofsted in 2019."
    assert read(text, published=date(2019, 8, 1)).events[0].framework is Framework.ILACS
    assert read(text, published=date(2024, 8, 1)).events == ()


def test_inspection_dates_are_read_when_given_in_full() -> None:
    text = (
        "Stockport Council's children's services were rated good by Ofsted. "
        "The inspection took place from 28 March to 1 April 2022."
    )
    (event,) = read(text).events
    assert (event.inspection_start, event.inspection_end) == (date(2022, 3, 28), date(2022, 4, 1))


def test_article_uses_title_and_its_own_publication_date() -> None:
    article = Article(
        url="https://news.example/a",
        canonical_url="https://news.example/a",
        title="Sefton children's services rated good",
        text="Inspectors praised leaders. The council was previously rated inadequate.",
        published=datetime(2024, 5, 2, tzinfo=UTC),
    )
    (event,) = classify_article(article, councils=load_councils()).events
    assert (event.council.name, event.published) == ("Sefton", date(2024, 5, 2))
    assert event.to_json()["change"] == "upgrade"


def test_pdf_that_is_not_a_report_is_read_as_news() -> None:
    text = "Ofsted has rated Kirklees Council's children's services good in a 2024 report."
    article = Article(
        url="https://council.example/news.pdf",
        canonical_url="https://council.example/news.pdf",
        title="",
        text=text,
        content_kind="pdf",
        pages=(text,),
    )
    result = classify_article(article)
    assert result.evidence_kind is EvidenceKind.NEWS
    assert [e.council.name for e in result.events] == ["Kirklees"]


def test_event_json_has_the_contract_shape() -> None:
    (event,) = read("Ofsted rated Halton's children's services inadequate in 2023.").events
    data = event.to_json()
    assert {
        "council",
        "la_code",
        "framework",
        "overall",
        "previous",
        "change",
        "judgements",
    } <= set(data)
    assert data["la_code"] == "876"
    assert set(data["judgements"]) == set(JUDGEMENT_KEYS)


def test_a_year_before_publication_can_still_be_this_inspection() -> None:
    text = "Ofsted rated Luton's children's services good following an inspection in December 2024."
    (event,) = read(text, published=date(2025, 2, 10)).events
    assert event.overall is not None and event.overall.value == "good"
    history = (
        "Luton's children's services were rated good in 2022, the council's budget report says."
    )
    assert read(history, published=date(2025, 2, 10)).events == ()


def test_page_furniture_is_dropped_before_reading() -> None:
    text = (
        "We use cookies on this site. Accept all cookies\n"
        "Ofsted has rated Swindon Borough Council's children's services good in a 2024 report.\n"
        "READ MORE: Wiltshire children's services rated inadequate\n"
        "Inspectors praised the council's leaders.\n"
        "3 comments\n"
        "Reader: Bath and North East Somerset was rated outstanding, why not us?\n"
    )
    assert [e.council.name for e in read(text).events] == ["Swindon"]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "Ofsted",
                "rated",
                "good",
                "'inadequate'",
                "requires improvement",
                "Kent",
                "Stockport Council",
                "children's services",
                "from",
                "to",
                "in 2019",
                ",",
                ".",
                "\n",
                "care leavers",
                "previously",
                "Achieving for Children",
                "school",
                "\x00",
            ]
        )
        | st.text(max_size=12),
        max_size=80,
    )
)
def test_any_text_classifies_without_error(words: list[str]) -> None:
    result = read(" ".join(words))
    for event in result.events:
        assert event.evidence and event.evidence[0].field == "council"
        assert not event.grades.empty


def test_hostile_input_is_bounded() -> None:
    # Cut into bounded sentences; the outcome is still read (a speed figure lives in bench/).
    text = "Ofsted has rated Kent County Council's children's services good. " + "good, " * 5000
    assert [e.council.name for e in read(text).events] == ["Kent"]


def test_pdf_that_looks_like_a_report_goes_to_the_report_reader() -> None:
    page = (
        "Inspection of Bury local authority children's services\n"
        "Inspection dates: 12 to 23 May 2025\n"
        "Lead inspector: A N Inspector, His Majesty's Inspector\n"
        "Judgement Grade\n"
        "The impact of leaders on social work practice with children and families Good\n"
        "The experiences and progress of children who need help and protection Good\n"
        "The experiences and progress of children in care Good\n"
        "The experiences and progress of care leavers Outstanding\n"
        "Overall effectiveness Good\n"
    )
    article = Article(
        url="https://files.example/v1/file/1",
        canonical_url="https://files.example/v1/file/1",
        title="",
        text=page,
        content_kind="pdf",
        pages=(page,),
    )
    result = classify_article(article)
    assert result.evidence_kind is EvidenceKind.REPORT
    (event,) = result.events
    assert (event.council.name, event.to_json()["overall"]) == ("Bury", "good")


def test_inspection_dates_without_a_year_take_it_from_publication() -> None:
    text = (
        "Stockport Council's children's services have been rated good by Ofsted. "
        "The inspection took place between 28th March - 1st April."
    )
    (event,) = read(text, published=date(2022, 5, 18)).events
    assert (event.inspection_start, event.inspection_end) == (date(2022, 3, 28), date(2022, 4, 1))
    (event,) = read(text).events
    assert event.inspection_start is None


def test_a_focused_inspection_is_an_ungraded_visit() -> None:
    text = (
        "A focused inspection of Oldham's children's services is expected within weeks.\n"
        "The borough's services were rated inadequate by Ofsted last year."
    )
    result = read(text)
    assert result.events == ()
    assert "focused inspection" in result.reason
