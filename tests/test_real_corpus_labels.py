"""The hand labels of the real-article corpus (bench/real) keep the classify --json shape.

The texts themselves are third-party and live outside the repository; these tests check only
the committed labels, URLs, hashes and the blind split.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from monitor.councils import load_councils

REAL = Path(__file__).resolve().parent.parent / "bench" / "real"
GRADES = {"outstanding", "good", "requires improvement", "inadequate", "adequate", None}
RANK = {"inadequate": 0, "adequate": 1, "requires improvement": 1, "good": 2, "outstanding": 3}
JUDGEMENTS = {"leaders", "help_and_protection", "in_care", "care_leavers", "adoption", "lscb"}
GENRES = {
    "local_news",
    "trade_press",
    "trade_press_stub",
    "press_release",
    "committee",
    "blog",
    "report_copy",
    "other",
}


def _labels() -> list[dict]:  # type: ignore[type-arg]
    data = json.loads((REAL / "labels.json").read_text(encoding="utf-8"))
    assert isinstance(data, list)
    return data


def test_every_label_has_the_classify_shape_and_a_known_council() -> None:
    councils = load_councils()
    labels = _labels()
    assert len({a["url"] for a in labels}) == len(labels)
    for a in labels:
        assert a["genre"] in GENRES, a["url"]
        assert re.fullmatch(r"[0-9a-f]{64}", a["text_sha256"]), a["url"]
        assert a["query"], a["url"]
        assert a["published"] is None or re.fullmatch(r"\d{4}-\d\d-\d\d", a["published"])
        assert a["relevant"] is bool(a["events"]), a["url"]
        for e in a["events"]:
            council = councils.by_name(e["council"])
            assert council is not None and council.la_code == e["la_code"], e["council"]
            assert e["framework"] in {"ILACS", "SIF", "pre-2013", "unknown"}
            assert e["overall"] in GRADES and e["previous"] in GRADES
            assert set(e["judgements"]) == JUDGEMENTS
            assert all(g in GRADES for g in e["judgements"].values())
            assert e["change"] in {"upgrade", "downgrade", "unchanged", "unknown"}


def test_change_agrees_with_a_stated_previous_grade() -> None:
    for a in _labels():
        for e in a["events"]:
            now, before = e["overall"], e["previous"]
            if (
                now is None
                or before is None
                or {now, before}
                == {
                    "adequate",
                    "requires improvement",
                }
            ):
                continue
            expected = (
                "unchanged"
                if now == before
                else "upgrade"
                if RANK[now] > RANK[before]
                else "downgrade"
            )
            assert e["change"] == expected, (a["url"], e["council"])


def test_blind_file_is_the_seeded_third_of_the_labels() -> None:
    labels = [a for a in _labels() if "round" not in a]  # round 1 (README: "Rounds")
    drawn = sorted(
        a["url"]
        for a in labels
        if int(hashlib.sha256(("blind-2026-12:" + a["url"]).encode()).hexdigest(), 16) % 3 == 0
    )
    listed = (REAL / "blind.txt").read_text(encoding="utf-8").splitlines()
    assert listed == drawn
    assert 0 < len(drawn) < len(labels)


def test_blind2_file_lists_the_labels_set_aside_as_blind() -> None:
    labels = _labels()
    blind = sorted(a["url"] for a in labels if a.get("round") == 2 and a.get("blind") is True)
    assert (REAL / "round2-blind.txt").read_text(encoding="utf-8").splitlines() == blind
    assert 0 < len(blind) < len(labels)


def test_blind3_to_blind7_files_list_rounds_3_to_7() -> None:
    labels = _labels()
    for n in (3, 4, 5, 6, 7):
        chosen = [a for a in labels if a.get("round") == n]
        listed = (REAL / f"round{n}-blind.txt").read_text(encoding="utf-8").splitlines()
        assert listed == sorted(a["url"] for a in chosen)
        assert all(a.get("blind") is True and a.get("reviewed") is True for a in chosen)


def test_no_article_text_is_committed() -> None:
    lists = ("blind.txt", *(f"round{n}-blind.txt" for n in (2, 3, 4, 5, 6, 7)))
    assert {p.name for p in REAL.glob("*.txt")} <= set(lists)
    for name in lists:  # lists of URLs, nothing else
        lines = (REAL / name).read_text(encoding="utf-8").splitlines()
        assert all(re.fullmatch(r"https?://\S+", line) for line in lines), name
