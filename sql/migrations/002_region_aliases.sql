-- Other names files use for a region (old names, abbreviations, common misspellings), so
-- the loaders can match them. Small and read whole, like the other dimensions.
CREATE TABLE IF NOT EXISTS region_aliases
(
    alias       String,
    region_code String,
    note        String,
    version     UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY alias
COMMENT 'Alternative names of regions used by source files';
