"""Subject lines, plain text, escaped HTML and chat text of an alert."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from monitor.alerts.render import render_alert, subject_line
from monitor.councils import load_councils
from monitor.models import EvidenceKind, Framework, Grade, Grades, Judgement, JudgementChange
from monitor.records import ChangeRecord, EvidenceRecord, InspectionRecord

OUT, G, RI, INAD = Grade.OUTSTANDING, Grade.GOOD, Grade.REQUIRES_IMPROVEMENT, Grade.INADEQUATE
J = Judgement
STOCKPORT = load_councils().by_name("Stockport")
WHEN = datetime(2026, 11, 23, 9, tzinfo=UTC)


def record(
    changes,
    *,
    kind="change",
    replaced=None,
    grades=None,
    end=date(2025, 5, 23),
    evidence=(),
    grades_from=EvidenceKind.REPORT,
    previous=None,
):
    inspection = InspectionRecord(
        id=1,
        la_code="356",
        council="Stockport",
        framework=Framework.ILACS,
        inspection_start=date(2025, 5, 12),
        inspection_end=end,
        published=date(2025, 7, 15),
        grades=grades or Grades(overall=RI),
        grades_from=grades_from,
        conflict=replaced is not None,
        evidence=tuple(evidence),
    )
    return ChangeRecord(
        1, STOCKPORT, kind, tuple(changes), replaced, False, WHEN, inspection, previous
    )


@pytest.mark.parametrize(
    ("changes", "subject"),
    [
        pytest.param(
            [JudgementChange(J.OVERALL, G, RI), JudgementChange(J.CARE_LEAVERS, None, G)],
            "Stockport children's services: downgraded to Requires improvement (was Good)",
            id="overall-down",
        ),
        pytest.param(
            [JudgementChange(J.OVERALL, INAD, G)],
            "Stockport children's services: upgraded to Good (was Inadequate)",
            id="overall-up",
        ),
        pytest.param(
            [JudgementChange(J.LEADERS, RI, INAD), JudgementChange(J.CARE_LEAVERS, G, OUT)],
            "Stockport children's services: Impact of leaders downgraded to Inadequate"
            " (was Requires improvement), 1 more judgement changed",
            id="post-2026-no-overall",
        ),
    ],
)
def test_subject_lines(changes, subject):
    assert subject_line(record(changes)) == subject


def test_correction_subject():
    fixed = record(
        [JudgementChange(J.OVERALL, G, RI)], kind="correction", replaced=Grades(overall=INAD)
    )
    assert subject_line(fixed) == (
        "Correction: Stockport children's services: official report says Requires improvement"
        " (news reported Inadequate)"
    )
    assert "Earlier news reported: Overall effectiveness Inadequate" in render_alert(fixed).text


def test_a_change_from_the_news_alone_says_it_is_unconfirmed():
    down = [JudgementChange(J.OVERALL, G, RI)]
    earlier = record(down).inspection  # an inspection on record to measure from
    news = render_alert(record(down, grades_from=EvidenceKind.NEWS, previous=earlier))
    assert news.subject == (
        "Stockport children's services: downgraded to Requires improvement (was Good)"
        " (news, unconfirmed)"
    )
    assert "No official report has been seen yet" in news.text
    assert "No official report has been seen yet" in news.html
    assert news.chat.startswith(news.subject)
    assert "the one the news stated" not in news.text
    stated = render_alert(record(down, grades_from=EvidenceKind.NEWS))  # nothing earlier
    assert "The earlier grade is the one the news stated; none is on record here." in stated.text
    report = render_alert(record(down))
    assert "unconfirmed" not in report.subject and "No official report" not in report.text


def test_a_correction_told_as_a_change_reads_as_the_reports_change():
    fixed = record(
        [JudgementChange(J.OVERALL, G, RI)], kind="correction", replaced=Grades(overall=INAD)
    )
    told = render_alert(fixed.as_change())
    assert told.subject == (
        "Stockport children's services: downgraded to Requires improvement (was Good)"
    )
    assert "Correction" not in told.text and "Earlier news reported" not in told.text


def test_bodies_name_everything_and_escape_markup():
    evidence = [
        EvidenceRecord(
            "https://news.example/a?x=1&y=<2>",
            "<script>alert(1)</script> Council 'rated'",
            "Local Paper",
            EvidenceKind.NEWS,
            WHEN,
            Grades(overall=RI),
            G,
            True,
        ),
        EvidenceRecord(
            "https://files.example/r",
            "Report",
            "ofsted",
            EvidenceKind.REPORT,
            WHEN,
            Grades(overall=RI),
            None,
            True,
        ),
    ]
    out = render_alert(record([JudgementChange(J.OVERALL, G, RI)], evidence=evidence))
    assert "Overall effectiveness: Good -> Requires improvement to be good (down)" in out.text
    assert "Inspection dates: 12 May 2025 to 23 May 2025" in out.text
    assert "Framework: ILACS" in out.text
    assert out.text.index("https://files.example/r") < out.text.index("https://news.example/a")
    assert "<script>" not in out.html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Council &#x27;rated&#x27;" in out.html
    assert 'href="https://news.example/a?x=1&amp;y=&lt;2&gt;"' in out.html
    assert out.chat.splitlines()[0] == subject_line(record([JudgementChange(J.OVERALL, G, RI)]))
    assert "https://files.example/r" in out.chat
