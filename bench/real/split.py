"""Write the blind lists of the real-article corpus: blind.txt and round2-6-blind.txt.

Round 1 (labels without a ``round`` key): an article is in its blind third iff
sha256("blind-2026-12:" + url) taken as an integer is divisible by 3 (``blind.txt``). That third
was scored twice and then opened for development, so all of round 1 is development text now.
Round 2 (``"round": 2``): articles collected after that. Those with ``"blind": true`` were never
tuned on (``round2-blind.txt``); the rest are development text. Which were blind was decided
by batch before any round-2 score was seen (see README.md). That part was scored twice and then
opened as well. Rounds 3 to 6 (``"round": 3`` to ``6``): collected after that, each of them blind
(``round3-blind.txt`` to ``round6-blind.txt``) until scored twice; rounds 3 to 5 are opened.

usage: python bench/real/split.py
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SALT = "blind-2026-12:"


def is_blind(url: str) -> bool:
    """Round 1's seeded draw."""
    return int(hashlib.sha256((SALT + url).encode()).hexdigest(), 16) % 3 == 0


def is_round2(label: dict[str, Any]) -> bool:
    return label.get("round") == 2


def is_blind2(label: dict[str, Any]) -> bool:
    return is_round2(label) and bool(label.get("blind"))


def in_round(label: dict[str, Any], number: int) -> bool:
    return label.get("round") == number


# Rounds 3 on: each collected after the blind set before it was opened, all of it blind.
WHOLE_BLIND_ROUNDS = (3, 4, 5, 6, 7)
# The one round never tuned on, whose errors are never shown; the rounds before it are opened.
CURRENT_BLIND_ROUND = 7
BLIND_LISTS = (
    "blind.txt",
    "round2-blind.txt",
    *(f"round{n}-blind.txt" for n in WHOLE_BLIND_ROUNDS),
)


def blind_lists(labels: list[dict[str, Any]]) -> tuple[list[str], ...]:
    """Round 1's blind third, round 2's blind part, then each of rounds 3 on: URLs, sorted."""
    first = sorted({a["url"] for a in labels if "round" not in a and is_blind(a["url"])})
    second = sorted({a["url"] for a in labels if is_blind2(a)})
    later = [sorted({a["url"] for a in labels if in_round(a, n)}) for n in WHOLE_BLIND_ROUNDS]
    return first, second, *later


def main() -> None:
    labels = json.loads((HERE / "labels.json").read_text(encoding="utf-8"))
    for name, urls in zip(BLIND_LISTS, blind_lists(labels), strict=True):
        (HERE / name).write_text("".join(u + "\n" for u in urls), encoding="utf-8")
        print(f"{len(urls)} of {len(labels)} articles -> {HERE / name}")


if __name__ == "__main__":
    main()
