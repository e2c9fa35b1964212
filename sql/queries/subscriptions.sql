-- Every subscription, by user.
SELECT user, kind, topic, unit, email, enabled
FROM subscriptions FINAL
ORDER BY user, kind, topic, unit
