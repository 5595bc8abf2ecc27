-- The parse limits in force when a document failed: with higher limits (an operator raising
-- parse_timeout or parse_memory) the document is fetched and read again.
ALTER TABLE parse_failures ADD COLUMN parse_timeout REAL NOT NULL DEFAULT 0;
ALTER TABLE parse_failures ADD COLUMN parse_memory INTEGER NOT NULL DEFAULT 0;
