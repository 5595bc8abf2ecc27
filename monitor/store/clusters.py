"""Near-duplicate detection: syndicated copies of one story join one cluster.

Each text gets a MinHash-style signature over three-word shingles, built with one-permutation
hashing (each shingle hashed once into one of ``BINS`` bins, the minimum kept per bin, empty
bins filled by optimal densification). Signatures are cut into ``BANDS`` bands of ``ROWS``
values; an item's band keys live in ``item_bands`` so a new text finds its candidates with one
indexed lookup instead of a comparison with every stored item. Candidates are then confirmed by
the estimated Jaccard similarity of the signatures (the share of equal bins).

With 32 bands of 4 rows, a pair with similarity 0.6 becomes a candidate with probability 0.99,
one with similarity 0.2 with probability 0.05 (and is then rejected by the threshold).
"""

from __future__ import annotations

import functools
import hashlib
import random
import re
import struct
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import sqlite_utils

BINS = 128
BANDS = 32
ROWS = BINS // BANDS
SHINGLE_WORDS = 3
# A copy with a new byline, an added sentence and some boilerplate scores 0.7-0.8 on a
# 200-word story; two different stories about the same inspection stay below 0.15.
THRESHOLD = 0.6
# Shorter texts (headlines, feed summaries, templated listings) look alike by accident.
MIN_SHINGLES = 20

Signature = tuple[int, ...]

_WORD = re.compile(r"[^\W_]+")
_EMPTY = -1
_PACK = struct.Struct(f"<{BINS}I")
_FOLD = 0x9E3779B97F4A7C15  # odd, so folding loses nothing mod 2**64
_MASK64 = (1 << 64) - 1
# Where an empty bin looks for a value to copy: a fixed pseudo-random probe sequence per bin,
# the same for every text, so two texts with the same non-empty bins fill them alike.
_PROBES = 64


def _probe_sequence(slot: int) -> list[int]:
    rng = random.Random(slot * 7919 + 17)
    return [rng.randrange(BINS) for _ in range(_PROBES)]


@functools.cache
def _probe_table() -> list[list[int]]:
    # Built at the first signature, not at import (about 9 ms a process that stores nothing
    # new, such as an unchanged poll, need not pay).
    return [_probe_sequence(slot) for slot in range(BINS)]


@dataclass(frozen=True)
class Match:
    """The stored item a text is a near-duplicate of."""

    item_id: int
    cluster_id: int
    similarity: float


def words(text: str) -> list[str]:
    """The text's words, case-folded and NFKC-normalised (so curly quotes and ligatures match)."""
    return _WORD.findall(unicodedata.normalize("NFKC", text).casefold())


def shingles(tokens: Sequence[str], size: int = SHINGLE_WORDS) -> set[bytes]:
    return {" ".join(tokens[i : i + size]).encode() for i in range(len(tokens) - size + 1)}


def signature(text: str) -> Signature | None:
    """The text's signature, or None when it is too short to compare reliably."""
    return signature_of_words(words(text))


def signature_of_words(tokens: Sequence[str]) -> Signature | None:
    """``signature`` of a text already split by ``words``."""
    found = shingles(tokens)
    if len(found) < MIN_SHINGLES:
        return None
    bins = [_EMPTY] * BINS
    for shingle in found:
        value = int.from_bytes(hashlib.blake2b(shingle, digest_size=8).digest(), "little")
        slot, rest = value % BINS, (value // BINS) & 0xFFFFFFFF
        if bins[slot] == _EMPTY or rest < bins[slot]:
            bins[slot] = rest
    return _densify(bins)


def _densify(bins: list[int]) -> Signature:
    """Fill empty bins from non-empty ones (optimal densification, Shrivastava 2017)."""
    filled = list(bins)
    for slot, value in enumerate(bins):
        if value != _EMPTY:
            continue
        source = next((p for p in _probe_table()[slot] if bins[p] != _EMPTY), None)
        if source is None:  # very sparse: the next non-empty bin round the ring
            source = next(
                (slot + step) % BINS
                for step in range(1, BINS)
                if bins[(slot + step) % BINS] != _EMPTY
            )
        filled[slot] = bins[source]
    return tuple(filled)


def similarity(a: Sequence[int], b: Sequence[int]) -> float:
    """Estimated Jaccard similarity of the two texts' shingle sets."""
    return sum(x == y for x, y in zip(a, b, strict=True)) / BINS


def band_keys(sig: Signature) -> list[tuple[int, int]]:
    """(band, key) for each band of the signature: the band's values folded into a signed
    64-bit key (a polynomial hash; a rare collision only adds a candidate, later rejected)."""
    keys = []
    for band in range(BANDS):
        key = 0
        for value in sig[band * ROWS : (band + 1) * ROWS]:
            key = (key * _FOLD + value) & _MASK64
        keys.append((band, key - (1 << 64) if key >= 1 << 63 else key))
    return keys


def pack(sig: Signature) -> bytes:
    return _PACK.pack(*sig)


def unpack(blob: bytes) -> Signature:
    return tuple(_PACK.unpack(blob))


def candidates(db: sqlite_utils.Database, sig: Signature) -> list[int]:
    """Ids of stored items sharing at least one band with ``sig``, most shared bands first."""
    keys = band_keys(sig)
    values = ", ".join("(?, ?)" for _ in keys)
    rows = db.execute(
        # CROSS JOIN pins the loop order: one primary-key search per band, never a scan.
        f"SELECT item_id FROM (VALUES {values}) AS k CROSS JOIN item_bands "
        "ON item_bands.band = k.column1 AND item_bands.hash = k.column2 "
        "GROUP BY item_id ORDER BY count(*) DESC, item_id LIMIT 50",
        [v for key in keys for v in key],
    ).fetchall()
    return [int(row[0]) for row in rows]


def find_match(db: sqlite_utils.Database, sig: Signature) -> Match | None:
    """The most similar stored item at or above ``THRESHOLD`` (the oldest on a tie), if any."""
    ids = candidates(db, sig)
    if not ids:
        return None
    marks = ", ".join("?" for _ in ids)
    rows = db.execute(
        f"SELECT id, cluster_id, minhash FROM items WHERE id IN ({marks}) AND minhash IS NOT NULL",
        ids,
    ).fetchall()
    best: Match | None = None
    for item_id, cluster_id, blob in sorted(rows):
        score = similarity(sig, unpack(blob))
        if score >= THRESHOLD and (best is None or score > best.similarity):
            best = Match(
                int(item_id), int(cluster_id if cluster_id is not None else item_id), score
            )
    return best


def index(
    db: sqlite_utils.Database, item_id: int, sig: Signature | None, *, old: Signature | None = None
) -> None:
    """Store an item's band keys, replacing those of its ``old`` signature. (Deleting by
    the old keys spares item_bands an index on item_id, which every insert would pay for.)"""
    if old is not None:
        db.conn.executemany(
            "DELETE FROM item_bands WHERE band = ? AND hash = ? AND item_id = ?",
            [(band, key, item_id) for band, key in band_keys(old)],
        )
    if sig is not None:
        db.conn.executemany(
            "INSERT OR IGNORE INTO item_bands (band, hash, item_id) VALUES (?, ?, ?)",
            [(band, key, item_id) for band, key in band_keys(sig)],
        )
