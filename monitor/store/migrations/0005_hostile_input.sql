-- Hostile input (issue 11).

-- Fetches refused by the address check (an internal address or credentials in a followed
-- link), counted over the source's life; and new entries the last poll left over the
-- max_items_per_poll cap.
ALTER TABLE sources ADD COLUMN refused INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sources ADD COLUMN dropped INTEGER NOT NULL DEFAULT 0;

-- Item identity per source: 'seen:<source> <url>' says that this source has stored (or
-- found a copy of) the item at that URL. A source asks only about its own keys, so an item
-- another source stored under a URL (a news page naming a report's URL) cannot stop it from
-- fetching that URL. Existing items give their own source its keys.
INSERT OR IGNORE INTO item_keys (key, item_id)
SELECT 'seen:' || items.source || ' ' || substr(item_keys.key, 5), item_keys.item_id
FROM item_keys JOIN items ON items.id = item_keys.item_id
WHERE item_keys.key LIKE 'url:%';
