-- A target's note in English, for the English pages (the note in Chinese quotes the
-- speech). Targets loaded before it, or from a file without the column, have none: the
-- English page then shows the Chinese note, marked as Chinese.
ALTER TABLE targets ADD COLUMN IF NOT EXISTS note_en String DEFAULT '' AFTER note;
