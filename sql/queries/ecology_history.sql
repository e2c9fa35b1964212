-- One item's status history in date order: who took each step (empty for a ledger file's
-- row, whose load then names the file), when it was recorded, and why.
SELECT toString(event_date) AS event_date, toString(status) AS status, progress_pct, note, by,
    formatDateTime(loaded_at, '%Y-%m-%d %H:%i:%S') AS at, toString(run_id) AS run_id
FROM ecology_events_visible
WHERE item_id = {item_id:String}
ORDER BY event_date, loaded_at
