-- The data version: one row for each write that changed data, by any process on any host.
-- The version is the number of rows, so it survives restarts, is the same for every process
-- that reads the warehouse, and counts two writers that write at once twice (a counter read
-- and rewritten could lose one of them). Caches keep results for one version; the wall
-- screen, submissions and alerts call data new when the version has grown.
CREATE TABLE IF NOT EXISTS data_version
(
    at   DateTime64(3, 'UTC'),
    host LowCardinality(String) COMMENT 'host name of the process that wrote',
    pid  UInt32
)
ENGINE = MergeTree
ORDER BY at
COMMENT 'One row per write that changed data; the data version is count()';
