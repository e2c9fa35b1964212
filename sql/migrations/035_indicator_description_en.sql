-- An indicator's definition in English, for the English pages beside its Chinese one
-- (description_zh): what is counted and from which vintage, so that a figure is not
-- compared with one of another definition (retail sales from the NBS database against the
-- yearbook's). Indicators loaded from a file without the column have none.
ALTER TABLE indicators ADD COLUMN IF NOT EXISTS description_en String DEFAULT '' AFTER description_zh;
