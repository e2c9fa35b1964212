-- A unit's draft of a month, within the caller's scope; none when removed.
SELECT body, saved_by, toUnixTimestamp64Milli(saved_at) AS saved_ms
FROM report_drafts FINAL
WHERE unit_code = {unit_code:String} AND month = toDate({month:String}) AND removed = 0
  AND ({scope_all:UInt8} = 1 OR unit_code = {scope_unit:String})
