-- The operator pages show who or what started each load and group a run's rejects by
-- why. started_by is one of schedule, upload, url, cli or run-now, with the signed-in user
-- after a colon when there is one ("upload:alice"); older runs say ''. reason_code is the
-- reject's reason as a code from one vocabulary (etl/reasons.go: unknown_region,
-- bad_value, row_shape, duplicate …) kept beside the text, so a page can say
-- "unknown_region ×31" without parsing sentences; older rejects say ''.
ALTER TABLE etl_runs ADD COLUMN IF NOT EXISTS started_by LowCardinality(String) DEFAULT '' AFTER message;
ALTER TABLE etl_rejects ADD COLUMN IF NOT EXISTS reason_code LowCardinality(String) DEFAULT '' AFTER reason;
