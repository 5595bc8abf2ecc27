"""Check the real-article corpus against bench/real/labels.json.

The texts are third-party and live outside the repository, in the directory named by
MONITOR_REAL_CORPUS (one file per article, named <sha256 of its UTF-8 bytes>.txt; see
bench/real/README.md for how to rebuild it). Prints counts: present, missing and bad-hash
texts; relevant articles and traps; articles by genre; events by framework; rounds and blind lists.

usage: MONITOR_REAL_CORPUS=/path/to/texts python bench/real/check_corpus.py
Exit 0 when every text is present with the right hash, or when the corpus is absent;
exit 1 when a text is missing or its hash is wrong.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections import Counter
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from split import (  # noqa: E402
    BLIND_LISTS,
    CURRENT_BLIND_ROUND,
    WHOLE_BLIND_ROUNDS,
    blind_lists,
    in_round,
    is_blind,
    is_blind2,
    is_round2,
)

OPENED = " (opened)"


def main() -> int:
    labels = json.loads((HERE / "labels.json").read_text(encoding="utf-8"))
    rel = sum(1 for a in labels if a["relevant"])
    events = [e for a in labels for e in a["events"]]
    print(
        f"articles: {len(labels)}  relevant: {rel}  traps: {len(labels) - rel}"
        f"  events: {len(events)}"
    )
    parts: tuple[tuple[str, Callable[[dict[str, Any]], bool]], ...] = (
        ("round 1", lambda a: "round" not in a),
        ("round 2, development", lambda a: is_round2(a) and not is_blind2(a)),
        ("round 2, blind (opened)", is_blind2),
        *(
            (
                f"round {n}, blind{' (opened)' * (n < CURRENT_BLIND_ROUND)}",
                partial(in_round, number=n),
            )
            for n in WHOLE_BLIND_ROUNDS
            if n <= CURRENT_BLIND_ROUND
        ),
    )
    for name, belongs in parts:
        chosen = [a for a in labels if belongs(a)]
        relevant = sum(1 for a in chosen if a["relevant"])
        print(
            f"{name}: {len(chosen)} articles ({relevant} relevant, {len(chosen) - relevant} traps)"
        )
    first = [a for a in labels if "round" not in a]
    blind_rel = sum(1 for a in first if a["relevant"] and is_blind(a["url"]))
    blind = sum(1 for a in first if is_blind(a["url"]))
    print(f"round 1's blind third (opened after two scorings): {blind} ({blind_rel} relevant)")
    url_only = sum(1 for a in labels if a.get("url_only_council"))
    print(f"council named only in the URL (no event, url_only_council kept): {url_only}")
    for name, urls in zip(BLIND_LISTS, blind_lists(labels), strict=True):
        listed_file = HERE / name
        listed = (
            set(listed_file.read_text(encoding="utf-8").split()) if listed_file.exists() else set()
        )
        if listed ^ set(urls):
            print(f"{name} is out of date: run bench/real/split.py")
    print(
        "genres:",
        ", ".join(f"{k} {v}" for k, v in sorted(Counter(a["genre"] for a in labels).items())),
    )
    print(
        "event frameworks:",
        ", ".join(f"{k} {v}" for k, v in sorted(Counter(e["framework"] for e in events).items())),
    )
    print(
        "event changes:",
        ", ".join(f"{k} {v}" for k, v in sorted(Counter(e["change"] for e in events).items())),
    )

    root = os.environ.get("MONITOR_REAL_CORPUS")
    if not root:
        print(
            "corpus absent: MONITOR_REAL_CORPUS is not set, so no text was checked"
            " (see bench/real/README.md)"
        )
        return 0
    corpus = Path(root)
    if not corpus.is_dir():
        print(f"corpus absent: {corpus} is not a directory, so no text was checked")
        return 0
    present = missing = bad = 0
    for a in labels:
        path = corpus / f"{a['text_sha256']}.txt"
        if not path.is_file():
            missing += 1
            print(f"missing: {a['url']}")
        elif hashlib.sha256(path.read_bytes()).hexdigest() != a["text_sha256"]:
            bad += 1
            print(f"bad hash: {a['url']}")
        else:
            present += 1
    print(f"texts in {corpus}: present {present}  missing {missing}  bad hash {bad}")
    return 1 if missing or bad else 0


if __name__ == "__main__":
    sys.exit(main())
