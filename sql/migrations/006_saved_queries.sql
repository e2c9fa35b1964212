-- Queries analysts save for everyone to reuse. Rewritten by key like the dimensions;
-- removed marks a deleted one.
CREATE TABLE IF NOT EXISTS saved_queries
(
    id         UUID,
    name       String,
    statement  String,
    owner      LowCardinality(String),
    created_at DateTime64(3, 'UTC'),
    removed    UInt8,
    version    UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY id
COMMENT 'Shared saved queries of the SQL console';
