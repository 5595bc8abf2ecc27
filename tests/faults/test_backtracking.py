"""Regular expressions that run on fetched text finish in linear time on the inputs that made
them backtrack (nested or adjacent quantifiers over the same characters).

Each check runs in a child process with a generous time limit instead of a timing assert: a
fixed pattern takes milliseconds, the old one took minutes to forever on the same input
(``bench/regex_audit.py`` finds such patterns; its README section has the figures).
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

LIMIT = 30.0  # seconds; the fixed patterns need well under one

CASES = {
    # (<!--.*?-->\s*)* was exponential: 40 empty comments, then no HTML tag.
    "html sniffing": """
        from monitor.extract import looks_like_html, sniff_kind
        body = b"<!---->" * 40 + b"<p>not a page opening</p>"
        assert not looks_like_html(body)
        assert sniff_kind(body, "text/html") == "html"
        assert looks_like_html(b"<!---->" * 40 + b"<html>")
    """,
    # \s*,?\s* (and the like) is quadratic per attempt on a run of blanks.
    "grades: except": """
        from monitor.classify.grades import _EXCEPT
        assert _EXCEPT.match(" " * 200_000 + "x") is None
        assert _EXCEPT.match(" , except care leavers")
    """,
    "grades: list after": """
        from monitor.classify.grades import _LIST_AFTER
        assert _LIST_AFTER.match(" " * 200_000 + "x") is None
        assert _LIST_AFTER.match(" ' - leaders")
    """,
    "grades: as was": """
        from monitor.classify.grades import _AS_WAS
        assert _AS_WAS.match(" " * 200_000 + "x") is None
        assert _AS_WAS.match(", as was help")
    """,
    # A tail of cue words was rescanned from every one of its words.
    "grades: cue ending": """
        from monitor.classify.grades import _cue_ending
        from monitor.models import Judgement
        assert _cue_ending("rating, " * 20_000 + "\\x00") is None
        assert _cue_ending("The impact of leaders was judged") is Judgement.LEADERS
    """,
    "events: list follows": """
        from monitor.classify.events import _LIST_FOLLOWS
        assert _LIST_FOLLOWS.fullmatch(" " * 200_000 + "x") is None
        assert _LIST_FOLLOWS.fullmatch(" by ofsted , were: the ")
    """,
    # \s*,?\s* again (added while tuning on real text), and \W* before ,?\s*.
    "events: respectively": """
        from monitor.classify.events import _RESPECTIVELY
        assert _RESPECTIVELY.match("\\n" * 200_000 + "x") is None
        assert _RESPECTIVELY.match("' , respectively")
    """,
    "events: with again": """
        from monitor.classify.events import _WITH_AGAIN
        assert _WITH_AGAIN.fullmatch("\\n" * 200_000 + "x") is None
        assert _WITH_AGAIN.fullmatch(" council, and with the london borough of ")
    """,
    "grades: practice subject": """
        from monitor.classify.grades import _PRACTICE_SUBJECT
        assert _PRACTICE_SUBJECT.match("\\n" * 200_000 + "x") is None
        assert _PRACTICE_SUBJECT.match(", and the quality of assessments")
    """,
    "events: partner after": """
        from monitor.classify.events import _PARTNER_AFTER
        assert _PARTNER_AFTER.match("," + " " * 200_000 + "x") is None
        assert _PARTNER_AFTER.match(", its neighbour")
    """,
    # ^\s* with MULTILINE crossed lines: every blank line rescanned the rest of the run.
    "robots.txt directive": """
        from monitor.fetch import _ROBOTS_DIRECTIVE
        assert _ROBOTS_DIRECTIVE.search("\\n" * 300_000 + "x") is None
        assert _ROBOTS_DIRECTIVE.search("\\n\\n  User-agent: *")
    """,
}


@pytest.mark.parametrize("name", list(CASES))
def test_pattern_is_linear_on_its_pathological_input(name: str) -> None:
    code = textwrap.dedent(CASES[name])
    try:
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, timeout=LIMIT
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"{name}: still running after {LIMIT:.0f} s (catastrophic backtracking)")
    assert done.returncode == 0, done.stderr
