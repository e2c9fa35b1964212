-- Every committed load of one ledger item: its description rows (key 'item') and its status
-- reports (keyed by report date), newest first within each.
SELECT row_key, shown, detail, toString(rid) AS run, line, sheet, col, toString(t) AS loaded, r.file_path AS file_path, r.content_hash AS content_hash, r.vintage AS vintage, r.vintage_en AS vintage_en
FROM
(
    SELECT 'item' AS row_key, toString(deadline) AS shown, title AS detail, run_id AS rid,
           source_line AS line, source_sheet AS sheet, source_col AS col, loaded_at AS t
    FROM ecology_items
    WHERE item_id = {item:String}
    UNION ALL
    SELECT toString(event_date) AS row_key, concat(toString(status), ' ', toString(progress_pct), '%') AS shown, note AS detail, run_id AS rid,
           source_line AS line, source_sheet AS sheet, source_col AS col, loaded_at AS t
    FROM ecology_status_events
    WHERE item_id = {item:String}
) AS x
INNER JOIN
(
    SELECT run_id, file_path, content_hash, vintage, vintage_en FROM etl_runs FINAL WHERE status = 'committed'
) AS r ON r.run_id = x.rid
ORDER BY row_key = 'item' DESC, row_key DESC, t DESC
