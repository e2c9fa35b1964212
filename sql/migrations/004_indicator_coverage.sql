-- Which years each indicator has for provinces, written by each load beside its values, so
-- the pickers need not scan indicator_values (which at national scale holds 100 M rows and
-- more). Rows carry their run so only committed loads count. (A materialized view would
-- keep it too, but it slowed every insert eightfold.)
CREATE TABLE IF NOT EXISTS indicator_coverage
(
    indicator_code LowCardinality(String),
    period_kind    Enum8('year' = 1, 'quarter' = 2, 'month' = 3, 'ytd' = 4),
    year           UInt16,
    province       UInt8,
    run_id         UUID
)
ENGINE = ReplacingMergeTree
ORDER BY (indicator_code, period_kind, year, province, run_id)
COMMENT 'Distinct indicator, period kind, year and run of indicator_values';

-- Warehouses created before this migration: cover what is already loaded. Provinces are
-- told by their GB/T 2260 code (XX0000, the nation 100000 aside).
INSERT INTO indicator_coverage
SELECT DISTINCT indicator_code, period_kind, year,
       toUInt8(endsWith(region_code, '0000') AND region_code != '100000'), run_id
FROM indicator_values;
