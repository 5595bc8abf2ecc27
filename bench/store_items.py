"""Store benchmark: upserts per second and near-duplicate candidate lookup time.

    .venv/bin/python bench/store_items.py [--items 5000]

Prints figures only (nothing is asserted). Uses a temporary database file; needs nothing from
outside the project.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from monitor.models import Article, Document
from monitor.store import clusters, open_db
from monitor.store.items import upsert_item

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
_WORDS = """council children services inspection ofsted judged good outstanding inadequate
requires improvement leaders social workers families care leavers report director scrutiny plan
staff agency caseloads young people help protection assessment housing mental health support
progress the a of and to in for that was were with on by said their from"""
VOCABULARY = _WORDS.split()


def text(rng: random.Random) -> str:
    """A 250-400 word text with numbered words, so that texts differ as real stories do."""
    return " ".join(
        f"{rng.choice(VOCABULARY)}{rng.randrange(50) if rng.random() < 0.3 else ''}"
        for _ in range(rng.randrange(250, 400))
    )


def pairs(n: int, rng: random.Random, batch: str = "a") -> list[tuple[Document, Article]]:
    out = []
    for i in range(n):
        url = f"https://news{i % 20}.example/{batch}/{i}"
        doc = Document(source=f"feed{i % 20}", url=url, content=b"", guid=f"{batch}-{i}")
        out.append((doc, Article(url=url, canonical_url=url, title=f"Story {i}", text=text(rng))))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=5000)
    args = parser.parse_args()
    rng = random.Random(2026)
    docs = pairs(args.items, rng)
    with tempfile.TemporaryDirectory() as folder:
        db = open_db(Path(folder) / "bench.db")

        started = time.perf_counter()
        for doc, article in docs:  # one transaction per item, as the pipeline stores them
            upsert_item(db, doc, article, now=NOW)
        elapsed = time.perf_counter() - started
        print(
            f"upsert new, {args.items} items, one transaction each: "
            f"{args.items / elapsed:,.0f} items/s ({elapsed * 1000 / args.items:.2f} ms/item)"
        )

        fresh = pairs(args.items, random.Random(7), batch="b")
        started = time.perf_counter()
        with db.atomic():
            for doc, article in fresh:
                upsert_item(db, doc, article, now=NOW)
        elapsed = time.perf_counter() - started
        print(
            f"upsert new, {args.items} more items in one transaction: "
            f"{args.items / elapsed:,.0f} items/s"
        )

        started = time.perf_counter()
        for doc, article in docs:
            upsert_item(db, doc, article, now=NOW)
        elapsed = time.perf_counter() - started
        print(f"upsert unchanged, {args.items} items: {args.items / elapsed:,.0f} items/s")

        probes = [clusters.signature(text(rng)) for _ in range(500)]
        signatures = [s for s in probes if s is not None]
        times = []
        for sig in signatures:
            started = time.perf_counter()
            clusters.find_match(db, sig)
            times.append(time.perf_counter() - started)
        print(
            f"candidate lookup + confirm against {2 * args.items} items: "
            f"median {statistics.median(times) * 1e6:,.0f} us, "
            f"p95 {sorted(times)[int(len(times) * 0.95)] * 1e6:,.0f} us"
        )

        sample = [article.text for _, article in docs[:1000]]
        started = time.perf_counter()
        for body in sample:
            clusters.signature(body)
        elapsed = time.perf_counter() - started
        print(f"signature of a 250-400 word text: {elapsed * 1e6 / len(sample):,.0f} us")
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        size = (Path(folder) / "bench.db").stat().st_size
        print(f"database size: {size / (2 * args.items) / 1024:.1f} KiB/item (texts included)")
        db.close()


if __name__ == "__main__":
    main()
