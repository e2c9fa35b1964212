-- The later runs that now hold the current value of keys a committed fact run loaded, with
-- how many of its keys each holds, newest first. A file sent again is unchanged only while
-- this is empty. A run loads one family: the job gates the branches, so only its table is
-- read.
SELECT toString(s.by_run) AS by_run, s.keys AS keys, r.file_path AS file_path
FROM
(
    SELECT by_run, count() AS keys
    FROM
    (
        SELECT run_id AS by_run
        FROM indicator_values_current
        WHERE {job:String} = 'economy' AND run_id != toUUID({run_id:String})
          AND (indicator_code, region_code, period_kind, year, period_no) IN
              (SELECT indicator_code, region_code, period_kind, year, period_no
               FROM indicator_values WHERE run_id = toUUID({run_id:String}))
        UNION ALL
        SELECT run_id AS by_run
        FROM ecology_items_current
        WHERE {job:String} = 'ecology' AND run_id != toUUID({run_id:String})
          AND item_id IN (SELECT item_id FROM ecology_items WHERE run_id = toUUID({run_id:String}))
        UNION ALL
        SELECT by_run
        FROM
        (
            SELECT argMax(run_id, loaded_at) AS by_run
            FROM campaign_metrics
            WHERE {job:String} = 'campaign' AND run_id IN (SELECT run_id FROM committed_runs)
              AND (metric_code, month, unit_code, problem_category) IN
                  (SELECT metric_code, month, unit_code, problem_category
                   FROM campaign_metrics WHERE run_id = toUUID({run_id:String}))
            GROUP BY metric_code, month, unit_code, problem_category
        )
        WHERE by_run != toUUID({run_id:String})
    )
    GROUP BY by_run
) AS s
-- A run's committed row is written again when its vintage note changes: one per run here.
INNER JOIN
(
    SELECT run_id, any(file_path) AS file_path, max(finished_at) AS finished_at
    FROM committed_runs
    GROUP BY run_id
) AS r ON r.run_id = s.by_run
ORDER BY r.finished_at DESC
