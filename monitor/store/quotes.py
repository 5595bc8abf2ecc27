"""The sentences each item was classified on, kept so that a reader can see why."""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Sequence

import sqlite_utils

from ..models import Evidence

MAX_QUOTE = 600  # characters: a sentence, not an article (the text is hostile and unbounded)
MAX_QUOTES = 12  # per item and council


def save_quotes(
    db: sqlite_utils.Database, *, la_code: str, url: str, evidence: Sequence[Evidence]
) -> None:
    """Replace the quotes of (council, url): a re-read item keeps only what it says now."""
    db.execute("DELETE FROM evidence_quotes WHERE la_code = ? AND url = ?", [la_code, url])
    seen: set[tuple[str, str]] = set()
    for item in evidence:
        text = " ".join(item.text.split())[:MAX_QUOTE]
        if not text or (item.field, text) in seen:
            continue
        seen.add((item.field, text))
        db.execute(
            "INSERT INTO evidence_quotes (la_code, url, field, text) VALUES (?, ?, ?, ?)",
            [la_code, url, item.field, text],
        )
        if len(seen) >= MAX_QUOTES:
            break


def quotes(db: sqlite_utils.Database, la_code: str) -> dict[str, list[tuple[str, str]]]:
    """One council's quotes: url -> [(field, text)], in the order the classifier gave them."""
    found: dict[str, list[tuple[str, str]]] = defaultdict(list)
    try:
        rows = db.execute(
            "SELECT url, field, text FROM evidence_quotes WHERE la_code = ? ORDER BY id", [la_code]
        ).fetchall()
    except sqlite3.OperationalError:  # a read-only open of a database from before migration 4
        return {}
    for url, field, text in rows:
        found[url].append((field, text))
    return dict(found)
