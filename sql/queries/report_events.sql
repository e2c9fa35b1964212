-- The steps of units' reports in the given months (every unit's, or one's), oldest first,
-- within the caller's scope.
SELECT unit_code, toString(month) AS month_text, revision, toString(action) AS action_text, run_id, channel, by,
       toUnixTimestamp64Milli(at) AS at_ms, comment
FROM report_events
WHERE month IN {months:Array(Date)}
  AND ({unit_code:String} = '' OR unit_code = {unit_code:String})
  AND ({scope_all:UInt8} = 1 OR unit_code = {scope_unit:String})
ORDER BY unit_code, month, at
