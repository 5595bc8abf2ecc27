-- One timeline per council: inspections, the evidence for each, the changes between them,
-- ungraded publications (context), and the alert outbox.
-- Dates are ISO 'YYYY-MM-DD'; timestamps ISO 8601 UTC. item_id is a plain integer (the items
-- table belongs to another migration; an evidence row must outlive a pruned item).

CREATE TABLE inspections (
    id INTEGER PRIMARY KEY,
    la_code TEXT NOT NULL,
    council TEXT NOT NULL,
    framework TEXT NOT NULL,
    inspection_start TEXT,
    inspection_end TEXT,
    published TEXT,                       -- report publication, or first news about it
    grades TEXT NOT NULL,                 -- JSON, Grades.to_json(): the accepted grades
    grades_from TEXT NOT NULL,            -- 'report' or 'news': which kind set the grades
    conflict INTEGER NOT NULL DEFAULT 0,  -- some evidence disagrees with the accepted grades
    created TEXT NOT NULL,
    updated TEXT NOT NULL
);
CREATE INDEX inspections_council ON inspections (la_code);

CREATE TABLE evidence (
    id INTEGER PRIMARY KEY,
    inspection_id INTEGER NOT NULL REFERENCES inspections (id),
    item_id INTEGER,
    url TEXT NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL,                   -- EvidenceKind value
    published TEXT,
    grades TEXT NOT NULL,                 -- JSON: what this item said
    previous TEXT,                        -- the previous grade the item stated
    agrees INTEGER NOT NULL DEFAULT 1,    -- 0: conflicts with the accepted grades
    created TEXT NOT NULL,
    UNIQUE (inspection_id, url)
);
CREATE INDEX evidence_inspection ON evidence (inspection_id);

-- A change between an inspection and the one before it; 'correction' when an official report
-- overturned the grades news had announced. silent: recorded without alerts (a backfill).
CREATE TABLE changes (
    id INTEGER PRIMARY KEY,
    inspection_id INTEGER NOT NULL REFERENCES inspections (id),
    previous_inspection_id INTEGER REFERENCES inspections (id),
    la_code TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT 'change',  -- 'change' or 'correction'
    detail TEXT NOT NULL,                 -- JSON list of {judgement, before, after}
    replaced TEXT,                        -- JSON grades a correction replaces
    silent INTEGER NOT NULL,
    detected TEXT NOT NULL
);
CREATE INDEX changes_detected ON changes (detected);

CREATE TABLE publications (
    id INTEGER PRIMARY KEY,
    la_code TEXT NOT NULL,
    kind TEXT NOT NULL,                   -- PublicationKind value
    published TEXT,
    url TEXT NOT NULL UNIQUE,
    source TEXT NOT NULL DEFAULT '',
    created TEXT NOT NULL
);
CREATE INDEX publications_council ON publications (la_code);

-- One row per (subscriber, change or digest window, channel). key is unique: enqueueing twice
-- is a no-op. state: pending -> sending (claimed under a lease) -> sent | failed.
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    subscriber TEXT NOT NULL,
    channel TEXT NOT NULL,                -- sha256 of the apprise URL (no secrets stored)
    channel_label TEXT NOT NULL,          -- scheme://host, for people
    kind TEXT NOT NULL,                   -- 'change' or 'digest'
    change_id INTEGER REFERENCES changes (id),
    subject TEXT,                         -- rendered when first claimed (digests: at enqueue)
    body_text TEXT,
    body_html TEXT,
    body_chat TEXT,
    state TEXT NOT NULL DEFAULT 'pending',
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt TEXT NOT NULL,
    claim TEXT,                           -- the claiming run's token
    lease_until TEXT,
    last_error TEXT,
    created TEXT NOT NULL,
    sent_at TEXT
);
CREATE INDEX outbox_due ON outbox (state, next_attempt);
