-- Every ledger item found by day {as_of} that the caller's scope sees (its reporting unit's,
-- through ecology_item_units), with its status on that day (the last event up to
-- it; a later load's report of the same day wins) and whether it is overdue: its deadline
-- has passed and it is still open (warehouse.OpenLedgerStatuses). An item nothing was
-- reported of yet (e.reported = 0: the join's defaults) is 未整改 at 0 %. No join_use_nulls:
-- the units view was made without it, and a view is read with the settings it was made with.
SELECT
    i.item_id AS item_id, i.source AS source, i.region_code AS region_code, i.category AS category,
    i.title AS title, i.responsible_unit AS responsible_unit,
    toString(i.found_date) AS found_date, toString(i.deadline) AS deadline,
    if(e.reported = 1, toString(e.status), '未整改') AS status, if(e.reported = 1, e.progress, 0) AS progress,
    if(e.reported = 1, toString(e.last_report), '') AS last_report,
    i.deadline < {as_of:Date} AND has({open:Array(String)}, if(e.reported = 1, toString(e.status), '未整改')) AS overdue,
    i.generated AS generated,
    u.unit_code AS unit_code,
    -- The load whose report gave the item its status that day (the item's own load when
    -- nothing was reported yet): the page's footnote lists exactly these.
    toString(if(e.reported = 1, e.run_id, i.run_id)) AS run_id
FROM ecology_items_current AS i
LEFT JOIN
(
    SELECT
        item_id,
        1 AS reported,
        argMax(status, (event_date, loaded_at)) AS status,
        argMax(progress_pct, (event_date, loaded_at)) AS progress,
        max(event_date) AS last_report,
        argMax(run_id, (event_date, loaded_at)) AS run_id
    FROM ecology_events_visible
    WHERE event_date <= {as_of:Date}
    GROUP BY item_id
) AS e ON e.item_id = i.item_id
LEFT JOIN ecology_item_units AS u ON u.item_id = i.item_id
WHERE i.found_date <= {as_of:Date}
  AND ({scope_all:UInt8} = 1 OR u.unit_code = {scope_unit:String})
ORDER BY overdue DESC, i.deadline ASC, i.item_id ASC
