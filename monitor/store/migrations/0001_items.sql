-- Sources and their health, HTTP validators, the fetch log, and items (deduplicated and
-- clustered). Timestamps are UTC ISO 8601 text ("2026-11-23T09:00:00+00:00").

CREATE TABLE sources (
    name TEXT PRIMARY KEY,
    kind TEXT NOT NULL DEFAULT '',
    url TEXT NOT NULL DEFAULT '',
    first_polled TEXT,
    last_polled TEXT,
    last_success TEXT,
    last_error TEXT,
    last_error_at TEXT,
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    polls INTEGER NOT NULL DEFAULT 0,
    failures INTEGER NOT NULL DEFAULT 0,
    items_seen INTEGER NOT NULL DEFAULT 0,
    -- 1 once a poll has succeeded: until then everything found is a silent backfill.
    backfilled INTEGER NOT NULL DEFAULT 0 CHECK (backfilled IN (0, 1)),
    next_run TEXT
);

CREATE TABLE validators (
    url TEXT PRIMARY KEY,
    etag TEXT,
    last_modified TEXT,
    updated TEXT NOT NULL
);

-- Bounded: record_fetch keeps the newest rows per source only.
CREATE TABLE fetch_log (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    url TEXT NOT NULL,
    status INTEGER,
    bytes INTEGER NOT NULL DEFAULT 0,
    duration REAL NOT NULL DEFAULT 0,
    error TEXT,
    attempts INTEGER NOT NULL DEFAULT 1,
    at TEXT NOT NULL
);
CREATE INDEX fetch_log_source ON fetch_log (source, id);

CREATE TABLE items (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,           -- the source that first stored it
    url TEXT NOT NULL,
    canonical_url TEXT NOT NULL,
    guid TEXT,
    title TEXT NOT NULL DEFAULT '',
    text TEXT NOT NULL DEFAULT '',
    published TEXT,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    content_hash TEXT,              -- sha256 of the normalised text; NULL when there is none
    kind TEXT NOT NULL,             -- html, pdf, text or publication
    meta TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(meta)),
    cluster_id INTEGER NOT NULL DEFAULT 0,  -- the cluster's first item (trigger below)
    revision INTEGER NOT NULL DEFAULT 1,
    minhash BLOB                    -- near-duplicate signature (clusters.py); NULL for short texts
);
CREATE INDEX items_canonical_url ON items (canonical_url);
CREATE INDEX items_content_hash ON items (content_hash);
CREATE INDEX items_cluster ON items (cluster_id);
CREATE INDEX items_published ON items (published);

-- An item that joins no cluster starts its own.
CREATE TRIGGER items_own_cluster AFTER INSERT ON items WHEN NEW.cluster_id = 0
BEGIN
    UPDATE items SET cluster_id = NEW.id WHERE id = NEW.id;
END;

-- Every name an item is known by: "guid:<source> <guid>", "url:<url>" (fetched, final and
-- canonical URLs) and "title:<source> <title> <date>". One key names one item.
CREATE TABLE item_keys (
    key TEXT PRIMARY KEY,
    item_id INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX item_keys_item ON item_keys (item_id);

-- LSH band keys of each item's signature: candidates are the items sharing a (band, hash).
CREATE TABLE item_bands (
    band INTEGER NOT NULL,
    hash INTEGER NOT NULL,
    item_id INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE,
    PRIMARY KEY (band, hash, item_id)
) WITHOUT ROWID;
-- No index on item_id: an edit deletes the old keys by (band, hash), and items are never
-- deleted (deleting one would scan this table for the cascade).
