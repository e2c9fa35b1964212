-- Every ad hoc query and export, by whom, what, and how it ended, including statements the
-- guard refused. Admins read it newest first; analysts read their own as history.
CREATE TABLE IF NOT EXISTS audit_log
(
    at          DateTime64(3, 'UTC'),
    user        LowCardinality(String),
    action      LowCardinality(String) COMMENT 'query, export or console',
    statement   String,
    format      LowCardinality(String),
    rows        UInt64,
    duration_ms UInt64,
    outcome     Enum8('ok' = 1, 'refused' = 2, 'failed' = 3, 'limited' = 4),
    message     String
)
ENGINE = MergeTree
ORDER BY (user, at)
COMMENT 'Audit log of ad hoc SQL and exports';
