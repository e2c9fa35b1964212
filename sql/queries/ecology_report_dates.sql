-- The dates the ledger was reported on, oldest first.
SELECT DISTINCT toString(event_date) AS day FROM ecology_events_visible ORDER BY day
