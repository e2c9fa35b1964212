-- A file's vintage in English, for the English pages' footnotes, from the third column of
-- the "Vintage per file" table in the SOURCES.md beside it. Loads made before it, or of a
-- file whose table has no English, have none: the English page shows the Chinese.
ALTER TABLE etl_runs ADD COLUMN IF NOT EXISTS vintage_en String DEFAULT '' AFTER vintage;
