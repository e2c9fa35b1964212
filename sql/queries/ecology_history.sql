-- One item's status history in date order, when the caller's scope sees the item: who took each step (empty for a ledger file's
-- row, whose load then names the file), when it was recorded, and why.
SELECT toString(event_date) AS event_date, toString(status) AS status, progress_pct, note, by,
    formatDateTime(loaded_at, '%Y-%m-%d %H:%i:%S') AS at, toString(run_id) AS run_id
FROM ecology_events_visible
WHERE item_id = {item_id:String}
  AND item_id IN (SELECT item_id FROM ecology_item_units WHERE {scope_all:UInt8} = 1 OR unit_code = {scope_unit:String})
ORDER BY event_date, loaded_at
