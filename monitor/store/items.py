"""Items: every document the monitor has stored, once, however many sources carried it.

An item is known by several keys (``item_keys``): its feed guid (per source), every URL it was
fetched or published under (fetched, final and canonical), and, with neither, its title and
date. Besides, each source that stores a document (or a copy of an item) records its own
``seen:`` keys for those URLs: a source asks ``seen`` about its own, so a page of another
source that names a URL (say a report's, as its canonical) never stops it from fetching it.
A document is the same item as a stored one when it shares a key, or, failing that, the exact
same normalised text (``content_hash``).

- Same item, same text and headline: "unchanged"; only ``last_seen`` is written.
- Same item under its own identity, new text or headline: "updated" (the revision goes up).
- A copy first stored under another identity (another source, URL or guid): "unchanged" with
  ``duplicate_of`` set; it never rewrites the item, so two sources that extract one page
  differently cannot take turns editing it.
- Otherwise "new"; a near-duplicate of a stored item (a syndicated copy: another host, another
  headline, a byline added) joins that item's cluster (see clusters.py).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

import sqlite_utils

from ..models import Article, Document
from . import clusters
from .db import immediate, seen_key, url_key, utc_iso

# The pipeline, scheduler and CLI reach the whole item-and-source store through this module.
from .sources import (
    SourceHealth,
    StoreSourceState,
    is_backfilled,
    record_fetch,
    record_poll,
    save_validators,
    set_next_run,
    set_next_runs,
    source_rows,
)

__all__ = [
    "ItemResult",
    "SourceHealth",
    "StoreSourceState",
    "content_hash",
    "get_item",
    "is_backfilled",
    "item_for_url",
    "record_fetch",
    "record_poll",
    "save_validators",
    "set_next_run",
    "set_next_runs",
    "source_rows",
    "upsert_item",
]

Status = Literal["new", "updated", "unchanged"]
# Official documents share template text and are never syndicated: only news clusters.
CLUSTERED_KINDS = frozenset({"html", "text"})


@dataclass(frozen=True)
class ItemResult:
    """What storing one document did. ``duplicate_of`` is set (and equals ``id``) when the
    document was a copy of an item first stored under another identity."""

    id: int
    status: Status
    cluster_id: int
    duplicate_of: int | None = None


@dataclass(frozen=True)
class _Fields:
    """A document and its article, as an items row (plus the keys it is known by)."""

    source: str
    url: str
    canonical_url: str
    guid: str | None
    title: str
    text: str
    published: str | None
    content_hash: str | None
    kind: str
    meta: str
    keys: tuple[str, ...]  # the strongest identity first
    seen_keys: tuple[str, ...]  # this source's own record of the URLs (``seen_key``)
    words: tuple[str, ...]  # the text's words, for the content hash and the signature

    def signature(self) -> clusters.Signature | None:
        if self.kind not in CLUSTERED_KINDS:
            return None
        return clusters.signature_of_words(self.words)


@dataclass(frozen=True)
class _Stored:
    id: int
    source: str
    guid: str | None
    title: str
    content_hash: str | None
    cluster_id: int
    minhash: bytes | None


def upsert_item(
    db: sqlite_utils.Database, doc: Document, article: Article, *, now: datetime
) -> ItemResult:
    """Store ``doc`` (as extracted into ``article``) once; say whether it was new, updated or
    unchanged. Atomic, and safe inside an outer ``db.atomic()`` (it becomes a savepoint)."""
    fields = _fields(doc, article)
    stamp = utc_iso(now)
    with immediate(db):
        stored, duplicate = _resolve(db, fields)
        if stored is None:
            result = _insert(db, fields, stamp)
        elif duplicate:
            _touch(db, stored.id, stamp)
            result = ItemResult(stored.id, "unchanged", stored.cluster_id, stored.id)
        elif stored.content_hash == fields.content_hash and stored.title == fields.title:
            _touch(db, stored.id, stamp, doc.meta.get("fingerprint"))
            result = ItemResult(stored.id, "unchanged", stored.cluster_id)
        else:
            _update(db, stored, fields, stamp)
            result = ItemResult(stored.id, "updated", stored.cluster_id)
        db.conn.executemany(
            "INSERT INTO item_keys (key, item_id) VALUES (?, ?) ON CONFLICT (key) DO NOTHING",
            [(key, result.id) for key in (*fields.keys, *fields.seen_keys)],
        )
    return result


def item_for_url(db: sqlite_utils.Database, url: str) -> int | None:
    """The id of the item stored under ``url`` (fetched, final or canonical), if any."""
    row = db.execute("SELECT item_id FROM item_keys WHERE key = ?", [url_key(url)]).fetchone()
    return int(row[0]) if row else None


def get_item(db: sqlite_utils.Database, item_id: int) -> dict[str, Any] | None:
    """An items row as a dict (``meta`` decoded, without the signature), or None."""
    rows = list(db.query("SELECT * FROM items WHERE id = ?", [item_id]))
    if not rows:
        return None
    row = rows[0]
    row.pop("minhash", None)
    row["meta"] = json.loads(row["meta"])
    return row


def content_hash(text: str) -> str | None:
    """sha256 of the text's words (case, spacing and punctuation ignored); None when empty."""
    return _hash_words(clusters.words(text))


def _hash_words(words: list[str]) -> str | None:
    normalised = " ".join(words)
    return hashlib.sha256(normalised.encode()).hexdigest() if normalised else None


def _fields(doc: Document, article: Article) -> _Fields:
    title = (article.title or doc.title or "").strip()
    published = article.published or doc.published
    meta: dict[str, str] = dict(doc.meta)
    if doc.content_type:
        meta.setdefault("content_type", doc.content_type)
    if article.url and article.url != doc.url:
        meta.setdefault("final_url", article.url)
    words = clusters.words(article.text)
    keys: list[str] = []
    if doc.guid:
        keys.append(f"guid:{doc.source} {doc.guid}")
    # The feed's own link too: when it redirects, the source asks seen() about that link.
    urls = [u for u in (article.canonical_url, doc.url, article.url, doc.meta.get("link")) if u]
    for url in urls:
        if url_key(url) not in keys:
            keys.append(url_key(url))
    if not doc.guid and not article.canonical_url and title:
        day = published.date().isoformat() if published else ""
        keys.append(f"title:{doc.source} {' '.join(clusters.words(title))} {day}")
    return _Fields(
        source=doc.source,
        url=doc.url,
        canonical_url=article.canonical_url or doc.url,
        guid=doc.guid,
        title=title,
        text=article.text,
        published=utc_iso(published) if published else None,
        content_hash=_hash_words(words),
        kind=article.content_kind,
        meta=json.dumps(meta, sort_keys=True, ensure_ascii=False),
        keys=tuple(keys),
        seen_keys=tuple(dict.fromkeys(seen_key(doc.source, url) for url in urls)),
        words=tuple(words),
    )


def _resolve(db: sqlite_utils.Database, fields: _Fields) -> tuple[_Stored | None, bool]:
    """The stored item this document is, and whether it is a copy under another identity."""
    for key in fields.keys:
        stored = _by_key(db, key)
        if stored is None:
            continue
        if stored.source != fields.source:
            return stored, True
        if fields.guid and stored.guid and stored.guid != fields.guid:
            continue  # two entries of one feed that share a link are two items
        return stored, False
    if fields.content_hash:
        row = db.execute(
            f"SELECT {_STORED} FROM items WHERE content_hash = ? ORDER BY id LIMIT 1",
            [fields.content_hash],
        ).fetchone()
        if row:
            return _Stored(*row), True
    return None, False


_STORED = "id, source, guid, title, content_hash, cluster_id, minhash"


def _by_key(db: sqlite_utils.Database, key: str) -> _Stored | None:
    row = db.execute(
        f"SELECT {_STORED} FROM items WHERE id = (SELECT item_id FROM item_keys WHERE key = ?)",
        [key],
    ).fetchone()
    return _Stored(*row) if row else None


def _insert(db: sqlite_utils.Database, fields: _Fields, stamp: str) -> ItemResult:
    sig = fields.signature()
    match = clusters.find_match(db, sig) if sig else None
    row = db.execute(
        """INSERT INTO items (source, url, canonical_url, guid, title, text, published,
               first_seen, last_seen, updated_at, content_hash, kind, meta, cluster_id,
               revision, minhash)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)
           RETURNING id""",
        [
            fields.source,
            fields.url,
            fields.canonical_url,
            fields.guid,
            fields.title,
            fields.text,
            fields.published,
            stamp,
            stamp,
            stamp,
            fields.content_hash,
            fields.kind,
            fields.meta,
            match.cluster_id if match else 0,  # 0: the items_own_cluster trigger sets its id
            clusters.pack(sig) if sig else None,
        ],
    ).fetchall()
    item_id = int(row[0][0])
    clusters.index(db, item_id, sig)
    return ItemResult(item_id, "new", match.cluster_id if match else item_id)


def _touch(
    db: sqlite_utils.Database, item_id: int, stamp: str, fingerprint: str | None = None
) -> None:
    db.execute(
        "UPDATE items SET last_seen = ? WHERE id = ? AND last_seen < ?", [stamp, item_id, stamp]
    )
    if fingerprint is not None:
        # An entry edited without changing the story: remember it, so it is not refetched.
        db.execute(
            "UPDATE items SET meta = json_set(meta, '$.fingerprint', ?) WHERE id = ?",
            [fingerprint, item_id],
        )


def _update(db: sqlite_utils.Database, stored: _Stored, fields: _Fields, stamp: str) -> None:
    """New content for a stored item; it keeps its id, URL and cluster."""
    sig = fields.signature()
    db.execute(
        """UPDATE items SET title = ?, text = ?, published = coalesce(?, published),
               content_hash = ?, kind = ?, meta = ?, minhash = ?, revision = revision + 1,
               updated_at = ?, last_seen = max(last_seen, ?)
           WHERE id = ?""",
        [
            fields.title,
            fields.text,
            fields.published,
            fields.content_hash,
            fields.kind,
            fields.meta,
            clusters.pack(sig) if sig else None,
            stamp,
            stamp,
            stored.id,
        ],
    )
    old = clusters.unpack(stored.minhash) if stored.minhash else None
    clusters.index(db, stored.id, sig, old=old)
