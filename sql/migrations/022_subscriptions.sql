-- Per-user subscriptions: an account asks for alerts (all, or one rule's) or briefings (a
-- month, quarter or year), for the whole province or one unit (a city's or county's code),
-- by e-mail. Who may receive what still follows the account's role at sending time.
CREATE TABLE IF NOT EXISTS subscriptions
(
    user       String,
    kind       LowCardinality(String) COMMENT 'alerts or brief',
    topic      String COMMENT 'alerts: a rule id or empty for every rule; brief: month, quarter or year',
    unit       String COMMENT 'a region code, or empty for the whole province',
    email      String,
    enabled    UInt8,
    updated_at DateTime64(3, 'UTC'),
    version    UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY (user, kind, topic, unit)
COMMENT 'Who receives which alerts and briefings, and where';
