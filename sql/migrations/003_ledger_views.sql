-- The ledger as of any day: the newest committed description of each item, and each
-- item's status events from committed loads only. The pages ask "what was the status on
-- day D" and "what was overdue on day D" through these.
CREATE VIEW IF NOT EXISTS ecology_items_current AS
SELECT
    item_id,
    argMax(source, t) AS source,
    argMax(region_code, t) AS region_code,
    argMax(category, t) AS category,
    argMax(title, t) AS title,
    argMax(description, t) AS description,
    argMax(responsible_unit, t) AS responsible_unit,
    argMax(found_date, t) AS found_date,
    argMax(deadline, t) AS deadline,
    argMax(generated, t) AS generated,
    argMax(r, t) AS run_id
FROM
(
    SELECT *, loaded_at AS t, run_id AS r
    FROM ecology_items
    WHERE run_id IN (SELECT run_id FROM committed_runs)
)
GROUP BY item_id;

CREATE VIEW IF NOT EXISTS ecology_events_committed AS
SELECT item_id, status, progress_pct, event_date, note, run_id, loaded_at
FROM ecology_status_events
WHERE run_id IN (SELECT run_id FROM committed_runs);
