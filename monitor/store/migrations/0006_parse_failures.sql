-- Documents that killed or overran the parse worker, or passed a parse limit (a decompression
-- bomb): one row per (source, URL). The same bytes at that URL are not read again, and the
-- source does not fetch the URL again unless its feed entry changes (fingerprint).
CREATE TABLE parse_failures (
    source TEXT NOT NULL,
    url TEXT NOT NULL,
    content_hash TEXT NOT NULL,      -- sha256 of the fetched bytes
    fingerprint TEXT,                -- the feed entry's fingerprint when it failed, if any
    reason TEXT NOT NULL,
    failures INTEGER NOT NULL DEFAULT 1,
    first_failed TEXT NOT NULL,
    last_failed TEXT NOT NULL,
    PRIMARY KEY (source, url)
);
