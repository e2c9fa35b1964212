-- What an indicator's values are decides which comparisons mean something: a share of
-- the national figure for a level per person, percentage points for a rate, index points
-- for an index, neither for a total. Growth from current-price values is nominal (名义),
-- from constant prices real (实际); real_growth names a loaded rate indicator holding the
-- real growth of this one (gdp → gdp_growth).
ALTER TABLE indicators ADD COLUMN kind LowCardinality(String) DEFAULT 'total' COMMENT 'total, per_capita, rate, index, share or count';
ALTER TABLE indicators ADD COLUMN price_basis LowCardinality(String) DEFAULT 'none' COMMENT 'current, constant or none';
ALTER TABLE indicators ADD COLUMN base String DEFAULT '' COMMENT 'an index''s base, e.g. 上年=100';
ALTER TABLE indicators ADD COLUMN real_growth String DEFAULT '' COMMENT 'indicator holding this one''s real growth in %';

-- content_hash is the file's plain SHA-256, what sha256sum prints, so anyone can check a
-- file against it. A job's configuration (its mapping) also decides whether a file is
-- "the same load again": that salted key lives in unchanged_key. Runs recorded before
-- this migration stored the salted hash in content_hash; it stays their unchanged key.
ALTER TABLE etl_runs ADD COLUMN unchanged_key String DEFAULT content_hash COMMENT 'sha256 of the file and the job configuration: the same load twice is loaded once';

-- The vintage of the file's figures (e.g. revised after the 5th economic census), from
-- the SOURCES.md beside it, shown in every footnote that cites the file.
ALTER TABLE etl_runs ADD COLUMN vintage String DEFAULT '' COMMENT 'the vintage note of the file from the SOURCES.md beside it';
