-- Records one step of a unit's report: a submission or a return.
INSERT INTO report_events (unit_code, month, revision, action, run_id, channel, by, at, comment)
SELECT {unit_code:String}, toDate({month:String}), {revision:UInt32}, {action:String}, {run_id:String}, {channel:String}, {by:String},
       fromUnixTimestamp64Milli({at_ms:Int64}, 'UTC'), {comment:String}
