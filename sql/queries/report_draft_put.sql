-- Writes (or with removed = 1 removes) a unit's draft of a month.
INSERT INTO report_drafts (unit_code, month, body, saved_by, saved_at, removed, version)
SELECT {unit_code:String}, toDate({month:String}), {body:String}, {saved_by:String}, now64(3, 'UTC'), {removed:UInt8}, {version:UInt64}
