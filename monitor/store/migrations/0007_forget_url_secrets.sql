-- Secrets that earlier versions stored with URLs (issue 11): a source URL's API key or
-- password, in the fetch log, a source's last error and URL, and the validators keyed by the
-- raw URL. From now on they are stored redacted; what was stored before is dropped (the log
-- loses old rows, the validators cost one full fetch, the last error is said again at the next
-- failure). Over-matching costs no more than that.
DELETE FROM fetch_log WHERE
    url LIKE '%://%@%' OR url LIKE '%key=%' OR url LIKE '%token=%' OR url LIKE '%secret=%'
    OR url LIKE '%pass%=%' OR url LIKE '%pwd=%' OR url LIKE '%sig%=%' OR url LIKE '%auth%=%'
    OR url LIKE '%session%=%' OR url LIKE '%credential%=%'
    OR error LIKE '%://%@%' OR error LIKE '%key=%' OR error LIKE '%token=%'
    OR error LIKE '%secret=%' OR error LIKE '%pass%=%' OR error LIKE '%pwd=%'
    OR error LIKE '%sig%=%' OR error LIKE '%auth%=%' OR error LIKE '%session%=%'
    OR error LIKE '%credential%=%';

DELETE FROM validators WHERE
    url LIKE '%://%@%' OR url LIKE '%key=%' OR url LIKE '%token=%' OR url LIKE '%secret=%'
    OR url LIKE '%pass%=%' OR url LIKE '%pwd=%' OR url LIKE '%sig%=%' OR url LIKE '%auth%=%'
    OR url LIKE '%session%=%' OR url LIKE '%credential%=%';

UPDATE sources SET last_error = 'earlier error text dropped on upgrade (it may have held a secret)'
WHERE last_error LIKE '%://%@%' OR last_error LIKE '%key=%' OR last_error LIKE '%token=%'
    OR last_error LIKE '%secret=%' OR last_error LIKE '%pass%=%' OR last_error LIKE '%pwd=%'
    OR last_error LIKE '%sig%=%' OR last_error LIKE '%auth%=%' OR last_error LIKE '%session%=%'
    OR last_error LIKE '%credential%=%';

-- The URL is rewritten (redacted) by the next poll of the source; until then, none.
UPDATE sources SET url = '' WHERE
    url LIKE '%://%@%' OR url LIKE '%key=%' OR url LIKE '%token=%' OR url LIKE '%secret=%'
    OR url LIKE '%pass%=%' OR url LIKE '%pwd=%' OR url LIKE '%sig%=%' OR url LIKE '%auth%=%'
    OR url LIKE '%session%=%' OR url LIKE '%credential%=%';
