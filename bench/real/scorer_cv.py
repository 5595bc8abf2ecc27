"""Would a statistical candidate scorer beat the rules? Grouped cross-validation on the corpus.

Every (council, grade) pair an article states in one sentence (or in a sentence that names no
council after one that does) is a candidate; it is positive when the labels give that council
that overall grade. Features: where and how often the pair occurs, the grade phrase's role and
year as ``classify.grades`` reads them, the words of its sentences and of the opening. A
logistic regression (scikit-learn) is trained on the other folds and decides, per council, the
best candidate above a threshold ("model alone"), or vetoes a rules event whose pair scores
below one ("rules, vetoed"). Folds group articles by their labelled councils (or site, for
traps), so syndicated copies of a story stay in one fold.

The rules' own output is left out of the features: they were tuned on most of the corpus, so a
model trained on them learns to trust them (tried: it never overrode them).

    pip install scikit-learn==1.7.2
    .venv/bin/python bench/real/scorer_cv.py [--split blind2] [--c 1.0] [--min-df 3]

Needs the texts ($MONITOR_REAL_CORPUS, default /work/real_corpus); says so when absent.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from monitor.classify import classify_document, file_document  # noqa: E402
from monitor.classify.gazetteer import gazetteer  # noqa: E402
from monitor.classify.grades import find_grades  # noqa: E402
from monitor.classify.sentences import split_sentences  # noqa: E402
from monitor.councils import load_councils  # noqa: E402
from monitor.models import Judgement  # noqa: E402

TOKEN = re.compile(r"[a-z][a-z'-]{2,}")
YEAR = re.compile(r"\b(?:19|20)\d\d\b")
Pair = tuple[str, str]  # (la_code, grade)


def _bucket(n: int) -> str:
    return next((str(e) for e in (0, 1, 2, 3, 5, 8) if n <= e), "many")


def _tokens(text: str) -> set[str]:
    return set(TOKEN.findall(text.lower()))


def candidates(path: Path, gaz: Any, councils: Any) -> tuple[dict[Pair, dict[str, int]], dict]:
    """Features per candidate pair, and the rules' events {la_code: overall grade or None}."""
    classified = classify_document(file_document(path), councils=councils)
    article = classified.article
    rules = {
        e.council.la_code: e.grades.overall.value if e.grades.overall else None
        for e in classified.classification.events
    }
    sentences = split_sentences(article.text, title=article.title)
    years = [int(y) for s in sentences for y in YEAR.findall(s.text)]
    latest = max(years) if years else None
    opening = _tokens(" ".join(s.text for s in sentences[:3]))
    seen: dict[Pair, dict[str, Any]] = {}
    named: set[str] = set()
    owners: list[str] = []
    for i, sentence in enumerate(sentences):
        codes = [c.la_code for m in gaz.find(sentence.text) for c in m.councils]
        named.update(codes)
        grades = [
            g
            for g in find_grades(sentence.text)
            if Judgement.OVERALL in g.judgements or not g.explicit
        ]
        for code in dict.fromkeys(codes or owners):
            for g in grades:
                c = seen.setdefault(
                    (code, g.grade.value), {"first": i, "n": 0, "text": [], "tags": set()}
                )
                c["n"] += 1
                c["text"].append(sentence.text)
                c["tags"].add("role=" + g.role.value)
                c["tags"].add("named" if codes else "carried")
                old = g.year is not None and latest is not None and g.year < latest - 1
                c["tags"].add("year=" + ("none" if g.year is None else "old" if old else "recent"))
                if g.standing:
                    c["tags"].add("standing")
        owners = codes or owners
    per_council = Counter(code for code, _ in seen)
    features: dict[Pair, dict[str, int]] = {}
    for (code, grade), c in seen.items():
        f = {
            "first=" + _bucket(c["first"]): 1,
            "n=" + _bucket(c["n"]): 1,
            "councils=" + _bucket(len(named)): 1,
            "grades=" + _bucket(per_council[code]): 1,
            "grade=" + grade: 1,
        }
        f.update({t: 1 for t in c["tags"]})
        f.update({"w:" + t: 1 for t in _tokens(" ".join(c["text"]))})
        f.update({"l:" + t: 1 for t in opening})
        features[(code, grade)] = f
    return features, rules


def _score(rows: list[dict], decided: list[dict[str, str | None]]) -> tuple[float, int, int, int]:
    tp = fp = fn = traps = 0
    for row, got in zip(rows, decided, strict=True):
        gold = row["gold"]
        traps += 0 if gold else len(got)
        for code, grade in gold.items():
            if code not in got:
                fn += 1
            elif got[code] == grade:
                tp += 1
            else:
                fp, fn = fp + 1, fn + 1
        fp += sum(1 for code in got if code not in gold)
    return (2 * tp / (2 * tp + fp + fn) if tp else 0.0), fp, fn, traps


def _show(name: str, rows: list[dict], decided: list[dict[str, str | None]]) -> None:
    f1, fp, fn, traps = _score(rows, decided)
    print(f"{name:26s} F1 {f1:.3f}  fp {fp}  fn {fn}  trap events {traps}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", choices=("blind2", "all"), default="blind2")
    parser.add_argument("--c", type=float, default=1.0, help="inverse regularisation")
    parser.add_argument("--min-df", type=int, default=3)
    args = parser.parse_args()
    try:
        from sklearn.feature_extraction import DictVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.model_selection import GroupKFold
    except ImportError:
        print("scikit-learn is not installed (pip install scikit-learn==1.7.2); skipped")
        return
    corpus = Path(os.environ.get("MONITOR_REAL_CORPUS", "/work/real_corpus"))
    if not corpus.is_dir():
        print(f"real corpus not present ({corpus}); see bench/real/README.md. Skipped.")
        return
    councils = load_councils()
    gaz = gazetteer(councils)
    rows = []
    for label in json.loads((ROOT / "bench/real/labels.json").read_text("utf-8")):
        if label.get("round") == 3:
            continue  # the blind set: never trained or cross-validated on
        features, rules = candidates(corpus / f"{label['text_sha256']}.txt", gaz, councils)
        gold = {e["la_code"]: e["overall"] for e in label["events"]}
        tested = args.split == "all" or (label.get("round") == 2 and label.get("blind"))
        group = "|".join(sorted(gold)) or label["url"].split("/")[2]
        rows.append({"gold": gold, "rules": rules, "cands": features, "test": tested, "g": group})
    test = [r for r in rows if r["test"]]
    rest = [r for r in rows if not r["test"]]
    probs: list[dict[Pair, float]] = [{} for _ in test]
    for train_i, test_i in GroupKFold(5).split(test, groups=[r["g"] for r in test]):
        train = rest + [test[i] for i in train_i]
        pairs = [(p, f, r["gold"].get(p[0]) == p[1]) for r in train for p, f in r["cands"].items()]
        df = Counter(k for _, f, _ in pairs for k in f)
        vec = DictVectorizer()
        x = vec.fit_transform(
            [{k: v for k, v in f.items() if df[k] >= args.min_df} for _, f, _ in pairs]
        )
        model = LogisticRegression(C=args.c, max_iter=2000).fit(x, [int(y) for *_, y in pairs])
        for i in test_i:
            cands = test[i]["cands"]
            if cands:
                p = model.predict_proba(vec.transform(list(cands.values())))[:, 1]
                probs[i] = dict(zip(cands, p, strict=True))
    rules = [dict(r["rules"]) for r in test]
    print(f"{len(test)} test articles ({args.split}), {len(rest)} always in training")
    _show("rules alone", test, rules)
    for t in (0.3, 0.5, 0.7):
        alone = []
        for p in probs:
            best: dict[str, tuple[str, float]] = {}
            for (code, grade), q in p.items():
                if q >= t and q > best.get(code, ("", -1.0))[1]:
                    best[code] = (grade, q)
            alone.append({code: grade for code, (grade, _) in best.items()})
        _show(f"model alone, p >= {t}", test, alone)
    for t in (0.1, 0.2, 0.3):
        vetoed = [
            {c: g for c, g in r["rules"].items() if g is None or p.get((c, g), 0.0) >= t}
            for r, p in zip(test, probs, strict=True)
        ]
        _show(f"rules, vetoed below {t}", test, vetoed)


if __name__ == "__main__":
    main()
