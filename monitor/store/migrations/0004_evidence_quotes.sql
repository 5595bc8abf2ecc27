-- The sentences an item was classified on (Evidence.text), per council and URL: what the web
-- view quotes beside each piece of evidence. Kept apart from `evidence` so that evidence
-- rows moving between inspections (late coverage) keep their quotes.
CREATE TABLE evidence_quotes (
    id INTEGER PRIMARY KEY,
    la_code TEXT NOT NULL,
    url TEXT NOT NULL,
    field TEXT NOT NULL,                  -- "council", "previous" or a Judgement value
    text TEXT NOT NULL
);
CREATE INDEX evidence_quotes_council ON evidence_quotes (la_code, url);
