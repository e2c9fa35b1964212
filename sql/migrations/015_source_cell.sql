-- Each number leads to the cell it came from (/lineage). source_line alone names a row; a
-- workbook also needs the sheet, and a wide table (years or indicators across) holds many
-- values in one row, so the column is kept too. source_col is the 1-based column of the
-- value's cell (a ledger item's id cell, a status event's status cell); 0 where it is not known (rows loaded
-- before this migration). A CSV file has no sheet: ''.
ALTER TABLE indicator_values ADD COLUMN IF NOT EXISTS source_sheet LowCardinality(String) DEFAULT '' AFTER source_line;
ALTER TABLE indicator_values ADD COLUMN IF NOT EXISTS source_col UInt16 DEFAULT 0 AFTER source_sheet;
ALTER TABLE ecology_items ADD COLUMN IF NOT EXISTS source_sheet LowCardinality(String) DEFAULT '' AFTER source_line;
ALTER TABLE ecology_items ADD COLUMN IF NOT EXISTS source_col UInt16 DEFAULT 0 AFTER source_sheet;
ALTER TABLE ecology_status_events ADD COLUMN IF NOT EXISTS source_sheet LowCardinality(String) DEFAULT '' AFTER source_line;
ALTER TABLE ecology_status_events ADD COLUMN IF NOT EXISTS source_col UInt16 DEFAULT 0 AFTER source_sheet;
ALTER TABLE campaign_metrics ADD COLUMN IF NOT EXISTS source_sheet LowCardinality(String) DEFAULT '' AFTER source_line;
ALTER TABLE campaign_metrics ADD COLUMN IF NOT EXISTS source_col UInt16 DEFAULT 0 AFTER source_sheet;
