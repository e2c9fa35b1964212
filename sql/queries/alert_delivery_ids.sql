-- Where one alert has been delivered already, as channel and target: by the alert's id (an
-- evaluation repeated at the same data version adds none), and, when a rule is named, by
-- the same change told in the same words since the subject's last kept state (a process
-- killed after queueing an alert but before keeping the new state evaluates the change
-- again on restart, possibly against other data versions, hence under another id).
SELECT DISTINCT channel, target
FROM alert_deliveries
WHERE alert_id = {alert_id:String}
   OR ({rule_id:String} != '' AND rule_id = {rule_id:String} AND subject = {subject:String}
       AND title = {title:String} AND body = {body:String} AND data_version >= {since:UInt64})
