"""Evaluate the news classifier against labelled articles.

    .venv/bin/python bench/eval_classifier.py [--seeds DIR] [--articles DIR] [--set DIR]...
        [--quiet]

Runs over the shared seeds (``/work/shared/seeds`` when present; says so when absent) and over
the project's own written dev set (``bench/articles``), each a directory of ``.txt`` files and
one ``labels.json`` in the ``monitor classify --json`` shape; ``--set DIR`` (repeatable) adds
further labelled sets, such as the held-out ones in ``bench/heldout*``. Prints per-field
precision and recall, the council-and-overall F1, false events on traps (articles labelled with
no event), every error, and articles per second on one core.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from monitor.classify import classify_text
from monitor.councils import load_councils

HERE = Path(__file__).resolve().parent
SEEDS = Path("/work/shared/seeds")
JUDGEMENTS = ("leaders", "help_and_protection", "in_care", "care_leavers", "adoption", "lscb")
FIELDS = ("overall", "previous", "change", "framework", *JUDGEMENTS)


@dataclass
class Score:
    """Counts for one labelled set."""

    tp: Counter[str] = field(default_factory=Counter)  # correct non-null predictions
    pred: Counter[str] = field(default_factory=Counter)  # non-null predictions
    gold: Counter[str] = field(default_factory=Counter)  # non-null gold values
    co_tp: int = 0  # council and overall both right
    co_fp: int = 0
    co_fn: int = 0
    trap_articles: int = 0
    trap_events: int = 0
    trap_articles_hit: int = 0
    articles: int = 0
    errors: list[str] = field(default_factory=list)


def _value(event: dict[str, Any], name: str) -> str | None:
    value = event["judgements"].get(name) if name in JUDGEMENTS else event.get(name)
    return None if value in (None, "unknown") else str(value)


def score_article(
    score: Score, path: str, gold: list[dict[str, Any]], got: list[dict[str, Any]]
) -> None:
    score.articles += 1
    if not gold:
        score.trap_articles += 1
        score.trap_events += len(got)
        score.trap_articles_hit += bool(got)
    by_council = {e["la_code"]: e for e in got}
    for g in gold:
        p = by_council.pop(g["la_code"], None)
        score.gold["council"] += 1
        for name in FIELDS:
            if _value(g, name) is not None:
                score.gold[name] += 1
        if p is None:
            score.co_fn += 1
            score.errors.append(f"{path}: MISSED {g['council']} (overall {g['overall']})")
            continue
        score.tp["council"] += 1
        score.pred["council"] += 1
        if p["overall"] == g["overall"]:
            score.co_tp += 1
        else:
            score.co_fp += 1
            score.co_fn += 1
        for name in FIELDS:
            pv, gv = _value(p, name), _value(g, name)
            if pv is not None:
                score.pred[name] += 1
                score.tp[name] += pv == gv
            if pv != gv:
                score.errors.append(f"{path}: {g['council']} {name}: got {pv} want {gv}")
    for p in by_council.values():
        score.pred["council"] += 1
        score.co_fp += 1
        for name in FIELDS:
            if _value(p, name) is not None:
                score.pred[name] += 1
        score.errors.append(f"{path}: FALSE EVENT {p['council']} (overall {p['overall']})")


def evaluate(directory: Path, texts: list[str]) -> Score:
    labels = json.loads((directory / "labels.json").read_text("utf-8"))
    councils = load_councils()
    score = Score()
    for label in labels:
        text = (directory / label["path"]).read_text("utf-8", errors="replace")
        texts.append(text)
        result = classify_text(text, councils=councils)
        got = [e.to_json() for e in result.events]
        score_article(score, label["path"], label["events"], got)
    return score


def _pr(tp: int, pred: int, gold: int) -> str:
    precision = tp / pred if pred else float("nan")
    recall = tp / gold if gold else float("nan")
    return f"P {precision:6.3f}  R {recall:6.3f}  ({tp}/{pred} predicted, {gold} labelled)"


def report(name: str, score: Score, *, quiet: bool) -> float:
    print(f"\n== {name}: {score.articles} articles, {score.trap_articles} traps")
    for f in ("council", *FIELDS):
        print(f"  {f:20s} {_pr(score.tp[f], score.pred[f], score.gold[f])}")
    denominator = 2 * score.co_tp + score.co_fp + score.co_fn
    f1 = 2 * score.co_tp / denominator if denominator else float("nan")
    print(
        f"  council+overall F1   {f1:.3f}  (tp {score.co_tp}, fp {score.co_fp}, fn {score.co_fn})"
    )
    print(
        f"  false events on traps: {score.trap_events} "
        f"({score.trap_articles_hit} of {score.trap_articles} trap articles)"
    )
    if not quiet:
        for error in score.errors:
            print(f"  - {error}")
    return f1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    parser.add_argument("--seeds", type=Path, default=SEEDS)
    parser.add_argument("--articles", type=Path, default=HERE / "articles")
    parser.add_argument("--quiet", action="store_true", help="figures only, no error list")
    parser.add_argument(
        "--set", dest="sets", type=Path, action="append", default=[], help="extra labelled set"
    )
    args = parser.parse_args()
    texts: list[str] = []
    if (args.seeds / "labels.json").exists():
        report(f"seeds ({args.seeds})", evaluate(args.seeds, texts), quiet=args.quiet)
    else:
        print(f"\n== seeds: {args.seeds} not present; skipped")
    report(f"written dev set ({args.articles})", evaluate(args.articles, texts), quiet=args.quiet)
    for extra in args.sets:
        report(f"labelled set ({extra})", evaluate(extra, texts), quiet=args.quiet)
    speed(texts)


def speed(texts: list[str], rounds: int = 3) -> None:
    """Articles per second on one core: the best of a few passes (the machine may be busy),
    after one call that builds the gazetteer."""
    councils = load_councils()
    classify_text(texts[0], councils=councils)
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        for text in texts:
            classify_text(text, councils=councils)
        best = min(best, time.perf_counter() - started)
    size = sum(len(t) for t in texts) / len(texts)
    print(
        f"\nspeed: {len(texts) / best:.0f} articles/s on one core, best of {rounds} passes over "
        f"{len(texts)} articles (mean {size:.0f} characters; "
        f"{sum(map(len, texts)) / best / 1e6:.2f} "
        "MB of text/s)"
    )


if __name__ == "__main__":
    main()
