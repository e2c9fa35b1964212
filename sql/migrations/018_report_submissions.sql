-- Units' own monthly reports (数据填报). A submitted report's values are campaign_metrics
-- rows of a committed run of the campaign job, exactly as a loaded file's are, so the
-- scorecard, the pages and ad hoc SQL read them with no second path; a correction is a new
-- run whose rows are newer. These tables keep what the file path has no place for: the
-- unit's draft, and every step of each report (submitted, returned) with who, when and why.

-- One draft per unit and month, rewritten as the unit types; removed when it is submitted.
CREATE TABLE IF NOT EXISTS report_drafts
(
    unit_code String,
    month     Date,
    body      String COMMENT 'the form''s fields as JSON: field → text as typed',
    saved_by  String,
    saved_at  DateTime64(3, 'UTC'),
    removed   UInt8,
    version   UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY (unit_code, month)
COMMENT 'Drafts of units'' monthly reports';

-- Every step of a unit's report of a month: submitted (revision 1, 2, … with the run that
-- holds its values) or returned by the province with a comment. The last step is the
-- report's state; the deadline it is judged by is configuration, read when it is judged.
CREATE TABLE IF NOT EXISTS report_events
(
    unit_code String,
    month     Date,
    revision  UInt32 COMMENT 'the submission''s number for this unit and month; a return carries the one it returns',
    action    Enum8('submitted' = 1, 'returned' = 2),
    run_id    String COMMENT 'the campaign run holding a submission''s values; empty for a return',
    channel   LowCardinality(String) COMMENT 'form or file',
    by        String,
    at        DateTime64(3, 'UTC'),
    comment   String
)
ENGINE = MergeTree
ORDER BY (unit_code, month, at)
COMMENT 'Submissions and returns of units'' monthly reports';
