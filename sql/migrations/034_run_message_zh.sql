-- What a run's message says (why a file was refused, that it was already loaded), in
-- Chinese, beside the English message: the Chinese operator pages show it. Runs recorded
-- before it, and messages quoting an error that has no Chinese wording, have none: a
-- Chinese page then shows the English, marked as English.
ALTER TABLE etl_runs ADD COLUMN IF NOT EXISTS message_zh String DEFAULT '' AFTER message;
