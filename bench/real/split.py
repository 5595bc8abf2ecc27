"""Write bench/real/blind.txt: the blind third of the real-article corpus.

An article is blind iff sha256("blind-2026-12:" + url) taken as an integer is divisible
by 3. The draw depends only on the URL, so the split stays fixed as the corpus grows.

usage: python bench/real/split.py
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
SALT = "blind-2026-12:"


def is_blind(url: str) -> bool:
    return int(hashlib.sha256((SALT + url).encode()).hexdigest(), 16) % 3 == 0


def main() -> None:
    labels = json.loads((HERE / "labels.json").read_text(encoding="utf-8"))
    blind = sorted({item["url"] for item in labels if is_blind(item["url"])})
    (HERE / "blind.txt").write_text("".join(u + "\n" for u in blind), encoding="utf-8")
    print(f"{len(blind)} blind of {len(labels)} articles -> {HERE / 'blind.txt'}")


if __name__ == "__main__":
    main()
