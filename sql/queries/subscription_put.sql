-- Writes (adds, changes or with enabled = 0 ends) one subscription.
INSERT INTO subscriptions (user, kind, topic, unit, email, enabled, updated_at, version)
SELECT {user:String}, {kind:String}, {topic:String}, {unit:String}, {email:String}, {enabled:UInt8}, now64(3, 'UTC'), {version:UInt64}
