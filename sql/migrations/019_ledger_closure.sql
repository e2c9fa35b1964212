-- Ledger items closed by the loop (issue 17): the responsible unit reports progress and asks
-- for closure, a province verifier approves or returns it. Each step is a status event like
-- a ledger file's, with the account that took it in `by` ('' for a file's row) and its why
-- in note. The two new statuses extend the enum at its end, so stored values keep their
-- numbers; the vocabulary and which statuses count as open live in warehouse/ledger_status.go.
ALTER TABLE ecology_status_events MODIFY COLUMN status Enum8('未整改' = 1, '整改中' = 2, '已整改' = 3, '已销号' = 4, '申请销号' = 5, '退回' = 6);
ALTER TABLE ecology_status_events ADD COLUMN IF NOT EXISTS by String DEFAULT '' COMMENT 'account that took the step on the dashboard; empty for a row of a ledger file' AFTER note;

-- Every status event a page shows: a committed load's rows, and the steps taken on the
-- dashboard, which belong to no load (their run_id is nil) and are visible once written.
-- ecology_events_committed keeps meaning the loads' rows alone.
CREATE VIEW IF NOT EXISTS ecology_events_visible AS
SELECT item_id, status, progress_pct, event_date, note, by, run_id, loaded_at
FROM ecology_status_events
WHERE by != '' OR run_id IN (SELECT run_id FROM committed_runs);

-- Evidence attached to a progress step, kept in the warehouse itself so backups and every
-- server host have it. Capped in size by the server (dashboard/attachments.go); the type is
-- the one its bytes were checked to be, never what the browser claimed. event_at is the
-- loaded_at of the step it came with.
CREATE TABLE IF NOT EXISTS ecology_attachments
(
    id           String COMMENT 'random UUID: the id in the download URL',
    item_id      String,
    event_at     DateTime64(3, 'UTC'),
    file_name    String COMMENT 'as the uploader named it, for the download''s name only',
    content_type LowCardinality(String) COMMENT 'application/pdf, image/jpeg or image/png, from the content',
    size         UInt32,
    sha256       String,
    data         String COMMENT 'the file''s bytes',
    uploaded_by  String,
    uploaded_at  DateTime64(3, 'UTC')
)
ENGINE = MergeTree
ORDER BY (item_id, id)
COMMENT 'Attachments of ledger items'' progress steps';
