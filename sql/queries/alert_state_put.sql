-- Keeps the state an alert rule now sees of one subject.
INSERT INTO alert_states (rule_id, subject, fingerprint, data_version, at)
SELECT {rule_id:String}, {subject:String}, {fingerprint:String}, {data_version:UInt64}, now64(3, 'UTC')
