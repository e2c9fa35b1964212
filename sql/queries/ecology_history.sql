-- One item's status history in date order.
SELECT toString(event_date) AS event_date, toString(status) AS status, progress_pct, note, toString(run_id) AS run
FROM ecology_events_committed
WHERE item_id = {item_id:String}
ORDER BY event_date, loaded_at
