-- Writes one delivery: queued, or its state after an attempt.
INSERT INTO alert_deliveries (id, alert_id, rule_id, subject, data_version, channel, target, recipient, title, body, attachment,
                              status, attempts, next_at, last_error, created_at, sent_at, version)
SELECT {id:String}, {alert_id:String}, {rule_id:String}, {subject:String}, {data_version:UInt64}, {channel:String}, {target:String},
       {recipient:String}, {title:String}, {body:String}, {attachment:String}, {status:String}, {attempts:UInt32},
       fromUnixTimestamp64Milli({next_ms:Int64}, 'UTC'), {last_error:String}, fromUnixTimestamp64Milli({created_ms:Int64}, 'UTC'),
       fromUnixTimestamp64Milli({sent_ms:Int64}, 'UTC'), {version:UInt64}
