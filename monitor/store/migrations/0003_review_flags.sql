-- Fields of an item that could not be read reliably (a report's unreadable grade table, an
-- authority name that did not resolve): "field: reason" lines, for a person to review.
ALTER TABLE evidence ADD COLUMN needs_review TEXT NOT NULL DEFAULT '';
