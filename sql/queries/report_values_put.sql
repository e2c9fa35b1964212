-- Writes a unit's submitted report as campaign rows of one run (the run is committed after).
INSERT INTO campaign_metrics (unit_kind, unit_code, unit_name, month, metric_code, problem_category, value, generated, run_id, source_line, loaded_at)
SELECT {unit_kind:String}, {unit_code:String}, {unit_name:String}, toDate({month:String}),
       {metrics:Array(String)}[i], {categories:Array(UInt8)}[i], {vals:Array(Float64)}[i], 0, toUUID({run_id:String}), toUInt32(i),
       now64(3, 'UTC')
FROM (SELECT arrayJoin(arrayEnumerate({metrics:Array(String)})) AS i)
