-- A statistics table prints "—" or "…" where a series had not started and 合计 rows beside
-- the regions they sum: such rows are read but hold nothing to load, and are not rejects.
-- Runs count them apart, so a reader of `etl runs` sees why rows read exceed rows loaded.
ALTER TABLE etl_runs ADD COLUMN IF NOT EXISTS rows_no_value UInt64 DEFAULT 0 AFTER rows_rejected;
ALTER TABLE etl_runs ADD COLUMN IF NOT EXISTS rows_skipped UInt64 DEFAULT 0 AFTER rows_no_value;
