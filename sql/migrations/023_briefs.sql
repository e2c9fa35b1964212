-- Briefings (简报) as they were made: the printable page, its PDF (empty when no Chromium
-- was at hand; the stored page prints instead) and the data version they were written
-- from. Kept in the warehouse so every host serving it lists the same archive.
CREATE TABLE IF NOT EXISTS briefs
(
    id           UUID,
    period       String COMMENT '2024, 2024-Q4 or 2024-12',
    lang         LowCardinality(String),
    made_at      DateTime64(3, 'UTC'),
    made_by      LowCardinality(String),
    data_version UInt64 COMMENT 'the data version the numbers were read at',
    headline     String,
    html         String,
    pdf          String COMMENT 'the PDF''s bytes; empty when made without Chromium'
)
ENGINE = MergeTree
ORDER BY (made_at, id)
COMMENT 'Archived briefings: page, PDF and the data version they were made from';
