"""Evaluate the news classifier against labelled articles, through the product path.

    .venv/bin/python bench/eval_classifier.py [--seeds DIR] [--articles DIR] [--set DIR]...
        [--quiet]
    .venv/bin/python bench/eval_classifier.py --real [--split dev|blind|blind2..blind7|all]
        [--corpus DIR] [--labels FILE] [--cli-pythonpath DIR]

Every text goes through ``monitor.classify.classify_document`` (what ``monitor classify``, the
daemon and the tests call), read from its file as ``monitor classify`` reads it.

Written sets: the shared seeds (``/work/shared/seeds`` when present; says so when absent), the
project's own written dev set (``bench/articles``) and ``--set DIR`` (repeatable) further sets,
each a directory of ``.txt`` files and one ``labels.json`` in the ``monitor classify --json``
shape. Prints per-field precision and recall, the council-and-overall F1, false events on traps
(articles labelled with no event), every error, and articles per second on one core.

Real corpus (``--real``): the labels in ``bench/real/labels.json`` (``url``, ``genre``,
``text_sha256`` and the classify shape), the texts in ``$MONITOR_REAL_CORPUS`` (default
``/work/real_corpus``; see ``bench/real/README.md``; when absent it says so and exits 0). Round 1
(278 articles) had a blind third, ``sha256("blind-2026-12:" + url) % 3 == 0``
(``bench/real/blind.txt``), scored twice and then opened. Round 2 (labels with ``"round": 2``) was
collected later; its items with ``"blind": true`` (``bench/real/round2-blind.txt``) were never
tuned on until they had been scored twice; they were then opened too, and so were rounds 3 to 6
(``"round": 3`` to ``6``; ``bench/real/round3-blind.txt`` to ``round6-blind.txt``) after two or
three scorings each. Round ``split.CURRENT_BLIND_ROUND`` (7, ``round7-blind.txt``) is the blind set
now. ``--split dev`` (default) is everything but that round and prints every error; ``--split
blind``, ``blind2`` to ``blind6`` are the opened blind sets alone (errors printed too); ``--split
blind7`` and ``all`` print figures only, never an article's errors. ``--cli-pythonpath DIR`` runs
``python -m monitor classify --json`` with ``PYTHONPATH=DIR`` instead (to score another tree, such
as the code before a change). Each page is read as ``monitor classify FILE`` reads it, text only
(the labels credit no council that only the URL names; ``--with-url`` hands each page its URL, as
the daemon has it, for a council's own site, and then also scores the labels' ``url_only_council``
events). Figures: council+overall F1, change right (of labelled events that state a change),
framework right, events on traps, the same per genre, and speed (real pages per second on one
core)."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from monitor.classify import classify_document, file_document
from monitor.councils import CouncilRegistry, load_councils
from monitor.models import Grade

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "real"))
from split import CURRENT_BLIND_ROUND, WHOLE_BLIND_ROUNDS, in_round, is_blind  # noqa: E402

SEEDS = Path("/work/shared/seeds")
REAL_LABELS = HERE / "real" / "labels.json"
REAL_CORPUS_DEFAULT = Path("/work/real_corpus")
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
    change_labelled: int = 0  # labelled events that state a change (not unknown)
    change_right: int = 0
    framework_labelled: int = 0  # labelled events with a known framework
    framework_matched: int = 0  # ... that the classifier found
    framework_right: int = 0
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
        score.change_labelled += _value(g, "change") is not None
        score.framework_labelled += _value(g, "framework") is not None
        for name in FIELDS:
            if _value(g, name) is not None:
                score.gold[name] += 1
        if p is None:
            score.co_fn += 1
            score.errors.append(f"{path}: MISSED {g['council']} (overall {g['overall']})")
            continue
        score.tp["council"] += 1
        score.pred["council"] += 1
        if _value(g, "change") is not None:
            score.change_right += p["change"] == g["change"]
        if _value(g, "framework") is not None:
            score.framework_matched += 1
            score.framework_right += p["framework"] == g["framework"]
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


def classify_file(
    path: Path, councils: CouncilRegistry, url: str | None = None
) -> list[dict[str, Any]]:
    """The events ``monitor classify --json [--url URL] PATH`` prints, in process."""
    document = file_document(path, url=url)
    result = classify_document(document, councils=councils).classification
    return [e.to_json() for e in result.events]


def evaluate(directory: Path, paths: list[Path]) -> Score:
    labels = json.loads((directory / "labels.json").read_text("utf-8"))
    councils = load_councils()
    score = Score()
    for label in labels:
        path = directory / label["path"]
        paths.append(path)
        score_article(score, label["path"], label["events"], classify_file(path, councils))
    return score


def _pr(tp: int, pred: int, gold: int) -> str:
    precision = tp / pred if pred else float("nan")
    recall = tp / gold if gold else float("nan")
    return f"P {precision:6.3f}  R {recall:6.3f}  ({tp}/{pred} predicted, {gold} labelled)"


def report(name: str, score: Score, *, quiet: bool) -> float:
    print(f"\n== {name}: {score.articles} articles, {score.trap_articles} traps")
    for f in ("council", *FIELDS):
        print(f"  {f:20s} {_pr(score.tp[f], score.pred[f], score.gold[f])}")
    f1 = _f1(score)
    print(
        f"  council+overall F1   {f1:.3f}  (tp {score.co_tp}, fp {score.co_fp}, fn {score.co_fn})"
    )
    print(
        f"  false events on traps: {score.trap_events} "
        f"({score.trap_articles_hit} of {score.trap_articles} trap articles)"
    )
    print(
        f"  change right         {_pct(score.change_right, score.change_labelled)} of labelled "
        "events that state a change (a missed event counts as wrong)"
    )
    print(
        f"  framework right      {_pct(score.framework_right, score.framework_matched)} of "
        f"found events ({score.framework_right} of {score.framework_labelled} labelled)"
    )
    if not quiet:
        for error in score.errors:
            print(f"  - {error}")
    return f1


def _pct(right: int, total: int) -> str:
    return f"{100 * right / total:5.1f}% ({right}/{total})" if total else "  n/a"


# -- the real corpus --------------------------------------------------------------------------
SPLITS = ("dev", "blind", "blind2", *(f"blind{n}" for n in WHOLE_BLIND_ROUNDS), "all")
QUIET_SPLITS = (f"blind{CURRENT_BLIND_ROUND}", "all")  # the blind round's errors are never shown


def in_split(label: dict[str, Any], split: str) -> bool:
    """The rounds before the current blind round are development text: their blind sets were
    scored twice and then opened. The current one is never tuned on."""
    if split == "dev":
        return not in_round(label, CURRENT_BLIND_ROUND)
    if split == "blind":  # round 1's third, kept to compare with the earlier figures
        return "round" not in label and is_blind(label["url"])
    if split == "blind2":  # round 2's blind part, likewise
        return in_round(label, 2) and bool(label.get("blind"))
    if split.startswith("blind"):
        return in_round(label, int(split.removeprefix("blind")))
    return True


def _real_corpus_dir(given: Path | None) -> Path | None:
    if given is not None:
        return given
    env = os.environ.get("MONITOR_REAL_CORPUS")
    if env:
        return Path(env)
    return REAL_CORPUS_DEFAULT if REAL_CORPUS_DEFAULT.is_dir() else None


def _cli_events(paths: list[Path], pythonpath: str) -> dict[Path, list[dict[str, Any]]]:
    """Events per file from ``python -m monitor classify --json`` run on another tree."""
    env = {**os.environ, "PYTHONPATH": pythonpath}
    found: dict[Path, list[dict[str, Any]]] = {}
    for start in range(0, len(paths), 50):
        batch = paths[start : start + 50]
        with tempfile.TemporaryDirectory() as cwd:  # so the tree's own package is imported
            run = subprocess.run(
                [sys.executable, "-m", "monitor", "classify", "--json", *map(str, batch)],
                capture_output=True,
                text=True,
                env=env,
                cwd=cwd,
                check=False,
            )
        for line in run.stdout.splitlines():
            row = json.loads(line)
            found[Path(row["path"])] = row["events"]
        for path in batch:
            if path not in found:
                found[path] = []
                print(f"  (no output for one file; stderr: {run.stderr.strip()[-200:]})")
    return found


def evaluate_real(args: argparse.Namespace) -> None:
    corpus = _real_corpus_dir(args.corpus)
    if corpus is None or not corpus.is_dir():
        print(
            f"real corpus not present ({corpus or '$MONITOR_REAL_CORPUS unset and '}"
            f"{'' if corpus else str(REAL_CORPUS_DEFAULT) + ' absent'}); "
            "see bench/real/README.md to rebuild it. Skipped."
        )
        return
    labels = json.loads(args.labels.read_text("utf-8"))
    listed = args.labels.with_name("blind.txt")
    if listed.is_file():  # the committed list and the seeded draw must agree
        drawn = {lab["url"] for lab in labels if "round" not in lab and is_blind(lab["url"])}
        written = {line.strip() for line in listed.read_text("utf-8").splitlines() if line.strip()}
        if drawn != written:
            print(f"  note: {listed} lists {len(written)} URLs, the draw gives {len(drawn)}")
    chosen = [lab for lab in labels if in_split(lab, args.split)]
    present = [lab for lab in chosen if (corpus / f"{lab['text_sha256']}.txt").is_file()]
    print(
        f"== real corpus, split {args.split}: {len(present)} articles "
        f"({len(chosen) - len(present)} labelled but missing from {corpus})"
    )
    paths = [(corpus / f"{lab['text_sha256']}.txt").resolve() for lab in present]
    councils = load_councils()
    if args.cli_pythonpath:
        by_path = _cli_events(paths, args.cli_pythonpath)
        results = [by_path.get(p, []) for p in paths]
        print(f"   (through `python -m monitor classify --json`, PYTHONPATH={args.cli_pythonpath})")
    else:
        # As `monitor classify FILE` reads it (text only: the labels credit no council that
        # only the URL names); --with-url hands each page its URL, as the daemon has it.
        results = [
            classify_file(p, councils, lab["url"] if args.with_url else None)
            for p, lab in zip(paths, present, strict=True)
        ]
    total = Score()
    by_genre: dict[str, Score] = {}
    for lab, got in zip(present, results, strict=True):
        name = f"{lab['text_sha256'][:10]} {lab['url']}"
        gold = lab["events"]
        if args.with_url and "url_only_council" in lab:
            gold = [*gold, _url_event(lab["url_only_council"])]  # what the site names
        score_article(total, name, gold, got)
        score_article(by_genre.setdefault(lab.get("genre", "?"), Score()), name, gold, got)
    quiet = args.quiet or args.split in QUIET_SPLITS
    report(f"real {args.split}", total, quiet=quiet)
    print("\n  per genre (council+overall F1; traps hit; change right; framework right):")
    for genre, score in sorted(by_genre.items()):
        print(
            f"    {genre:20s} {score.articles:3d} articles  F1 {_f1(score):.3f}  traps "
            f"{score.trap_articles_hit}/{score.trap_articles}  change "
            f"{_pct(score.change_right, score.change_labelled)}  framework "
            f"{_pct(score.framework_right, score.framework_matched)}"
        )
    if not args.cli_pythonpath and paths:
        speed(paths, label="real pages")


def _url_event(partial: dict[str, Any]) -> dict[str, Any]:
    """A label's ``url_only_council`` (the event a reader who knows the site would derive) in
    the full event shape; change follows from the grades as the labels' convention says."""
    overall, previous = Grade.parse(partial.get("overall")), Grade.parse(partial.get("previous"))
    change = overall.direction_from(previous).value if overall else "unknown"
    return {
        "judgements": {},
        "change": partial.get("change", change),
        **{k: partial.get(k) for k in ("council", "la_code", "overall", "previous", "framework")},
    }


def _f1(score: Score) -> float:
    denominator = 2 * score.co_tp + score.co_fp + score.co_fn
    return 2 * score.co_tp / denominator if denominator else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    parser.add_argument("--seeds", type=Path, default=SEEDS)
    parser.add_argument("--articles", type=Path, default=HERE / "articles")
    parser.add_argument("--quiet", action="store_true", help="figures only, no error list")
    parser.add_argument(
        "--set", dest="sets", type=Path, action="append", default=[], help="extra labelled set"
    )
    parser.add_argument("--real", action="store_true", help="score the real-article corpus")
    parser.add_argument(
        "--split",
        choices=SPLITS,
        default="dev",
    )
    parser.add_argument("--corpus", type=Path, default=None, help="default $MONITOR_REAL_CORPUS")
    parser.add_argument("--labels", type=Path, default=REAL_LABELS)
    parser.add_argument("--cli-pythonpath", default="", help="score another tree via its CLI")
    parser.add_argument(
        "--with-url", action="store_true", help="hand each real page its URL (as the daemon)"
    )
    args = parser.parse_args()
    if args.real:
        evaluate_real(args)
        return
    paths: list[Path] = []
    if (args.seeds / "labels.json").exists():
        report(f"seeds ({args.seeds})", evaluate(args.seeds, paths), quiet=args.quiet)
    else:
        print(f"\n== seeds: {args.seeds} not present; skipped")
    report(f"written dev set ({args.articles})", evaluate(args.articles, paths), quiet=args.quiet)
    for extra in args.sets:
        report(f"labelled set ({extra})", evaluate(extra, paths), quiet=args.quiet)
    speed(paths)


def speed(paths: list[Path], rounds: int = 3, label: str = "articles") -> None:
    """Documents per second on one core through the product path (extraction included): the
    best of a few passes (the machine may be busy), after one call that builds the gazetteer."""
    councils = load_councils()
    documents = [file_document(p) for p in paths]
    classify_document(documents[0], councils=councils)
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        for document in documents:
            classify_document(document, councils=councils)
        best = min(best, time.perf_counter() - started)
    sizes = [len(d.content) for d in documents]
    print(
        f"\nspeed: {len(documents) / best:.0f} {label}/s on one core, best of {rounds} passes "
        f"over {len(documents)} (mean {sum(sizes) / len(sizes):.0f} bytes; "
        f"{sum(sizes) / best / 1e6:.2f} MB/s)"
    )


if __name__ == "__main__":
    main()
