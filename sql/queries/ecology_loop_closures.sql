-- The items whose latest step is a closure (已销号) a verifier made on the dashboard, with
-- who and on which day: a later ledger file may not reopen them.
SELECT item_id, closed_by AS by, toString(closed_on) AS closed_on
FROM
(
    SELECT item_id,
        argMax(toString(status), (event_date, loaded_at)) AS last_status,
        argMax(by, (event_date, loaded_at)) AS closed_by,
        max(event_date) AS closed_on
    FROM ecology_events_visible
    GROUP BY item_id
)
WHERE last_status = '已销号' AND closed_by != ''
ORDER BY item_id
