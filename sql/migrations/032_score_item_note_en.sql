-- A score item's note in English, for the English method page. Items loaded before it, or
-- from a file without the column, have none: the English page then shows the Chinese note,
-- marked as Chinese.
ALTER TABLE campaign_score_items ADD COLUMN IF NOT EXISTS note_en String DEFAULT '' AFTER note;
