-- What one committed run changed: the values it added (no committed run had the key before)
-- and the values it revised (the newest earlier committed value differs), each with its key's
-- whole committed history, oldest first. Values it wrote again unchanged are left out.
--
-- Every family's branch yields one row per key the run wrote: year, subject (indicator,
-- ledger item or campaign metric), region or unit, period, field and the history as
-- (loaded_at ms, value as text, run id). A branch of another job is cut by the constant
-- {job} test before it reads anything. The answer is the totals by change and year (row_kind
-- 'total', n), then one page of changes (row_kind 'row') after the keyset cursor, their
-- histories as parallel arrays (when, value, run).
WITH changes AS
(
    SELECT year, subject, region, period, field, history, at,
           history[at].2 AS new_value, if(at > 1, history[at - 1].2, '') AS old_value
    FROM
    (
        SELECT *, arrayFirstIndex(h -> h.3 = {run_id:String}, history) AS at
        FROM
        (
            -- Economy: province, city and county values, one key per indicator, region, period.
            SELECT toUInt16(year) AS year, toString(indicator_code) AS subject, toString(region_code) AS region,
                   concat(toString(year), multiIf(toString(period_kind) = 'year', '',
                                                  toString(period_kind) = 'quarter', concat('Q', toString(period_no)),
                                                  toString(period_kind) = 'month', concat('-', leftPad(toString(period_no), 2, '0')),
                                                  concat(' 1-', leftPad(toString(period_no), 2, '0')))) AS period,
                   'value' AS field,
                   arraySort(h -> h.1, groupArray((toUnixTimestamp64Milli(loaded_at), toString(value), toString(run_id)))) AS history
            FROM indicator_values
            WHERE {job:String} = 'economy'
              AND run_id IN (SELECT run_id FROM committed_runs)
              AND (indicator_code, period_kind, year, region_code, period_no) IN
                  (SELECT indicator_code, period_kind, year, region_code, period_no FROM indicator_values WHERE run_id = toUUID({run_id:String}))
            GROUP BY indicator_code, period_kind, year, region_code, period_no

            UNION ALL

            -- Ledger items: each described field of an item is a value of its own.
            SELECT toUInt16(toYear(min(found_date))) AS year, item_id AS subject, toString(any(region_code)) AS region, '' AS period,
                   kv.1 AS field,
                   arraySort(h -> h.1, groupArray((toUnixTimestamp64Milli(loaded_at), kv.2, toString(run_id)))) AS history
            FROM ecology_items
            ARRAY JOIN [('title', title), ('description', description), ('responsible_unit', responsible_unit),
                        ('category', toString(category)), ('region_code', toString(region_code)), ('source', toString(source)),
                        ('found_date', toString(found_date)), ('deadline', toString(deadline))] AS kv
            WHERE {job:String} = 'ecology'
              AND run_id IN (SELECT run_id FROM committed_runs)
              AND item_id IN (SELECT item_id FROM ecology_items WHERE run_id = toUUID({run_id:String}))
            GROUP BY item_id, kv.1

            UNION ALL

            -- Ledger status events: one per item and day, its status, progress and note.
            SELECT toUInt16(toYear(event_date)) AS year, item_id AS subject, '' AS region, toString(event_date) AS period,
                   'status' AS field,
                   arraySort(h -> h.1, groupArray((toUnixTimestamp64Milli(loaded_at),
                       concat(toString(status), ' ', toString(progress_pct), '%', if(note = '', '', concat(' ', note))), toString(run_id)))) AS history
            FROM ecology_status_events
            WHERE {job:String} = 'ecology'
              AND run_id IN (SELECT run_id FROM committed_runs)
              AND (item_id, event_date) IN (SELECT item_id, event_date FROM ecology_status_events WHERE run_id = toUUID({run_id:String}))
            GROUP BY item_id, event_date

            UNION ALL

            -- Campaign: a metric of a unit in a month, by problem category where it has one.
            SELECT toUInt16(toYear(month)) AS year, toString(metric_code) AS subject, unit_code AS region,
                   formatDateTime(month, '%Y-%m') AS period,
                   if(problem_category = 0, 'value', concat('category_', toString(problem_category))) AS field,
                   arraySort(h -> h.1, groupArray((toUnixTimestamp64Milli(loaded_at), toString(value), toString(run_id)))) AS history
            FROM campaign_metrics
            WHERE {job:String} = 'campaign'
              AND run_id IN (SELECT run_id FROM committed_runs)
              AND (metric_code, month, unit_code, problem_category) IN
                  (SELECT metric_code, month, unit_code, problem_category FROM campaign_metrics WHERE run_id = toUUID({run_id:String}))
            GROUP BY metric_code, month, unit_code, problem_category
        )
    )
    -- A new ledger item is one addition (its title), not one per field.
    WHERE at > 0 AND (at = 1 AND field NOT IN ('description', 'responsible_unit', 'category', 'region_code', 'source', 'found_date', 'deadline')
                      OR at > 1 AND history[at - 1].2 != history[at].2)
),
-- Revisions first: they are what an operator checks.
ranked AS (SELECT if(at = 1, 1, 0) AS rank, * FROM changes)
SELECT 'total' AS row_kind, rank, year, '' AS subject, '' AS region, '' AS period, '' AS field, '' AS old_value, '' AS new_value,
       CAST([], 'Array(String)') AS history_at, CAST([], 'Array(String)') AS history_values, CAST([], 'Array(String)') AS history_runs,
       count() AS n
FROM ranked
GROUP BY rank, year
UNION ALL
SELECT * FROM
(
    SELECT 'row' AS row_kind, rank, year, subject, region, period, field, old_value, new_value,
           arrayMap(h -> formatDateTime(fromUnixTimestamp64Milli(h.1, 'UTC'), '%Y-%m-%d %H:%i:%S'), history) AS history_at,
           arrayMap(h -> h.2, history) AS history_values, arrayMap(h -> h.3, history) AS history_runs, toUInt64(1) AS n
    FROM ranked
    WHERE (rank, year, subject, region, period, field) > ({after_rank:UInt8}, {after_year:UInt16}, {after_subject:String}, {after_region:String}, {after_period:String}, {after_field:String})
    ORDER BY rank, year, subject, region, period, field
    LIMIT {limit:UInt32}
)
