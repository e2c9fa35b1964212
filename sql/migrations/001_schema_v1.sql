-- Schema v1: the three data families (economy, ecology ledger, 三抓三促 campaign), their
-- dimensions, and the ETL bookkeeping that makes loads atomic and idempotent.
--
-- How visibility works (see design.md, "Rules that keep data safe"): fact rows carry the
-- run_id of the load that wrote them and are inserted in batches while the run is
-- 'running'. Only when every batch is in does the loader write the run's 'committed' row to
-- etl_runs. Every reader goes through committed_runs, so a load that fails or is killed
-- half way is never visible, and a rerun simply writes a new run. Revisions are new rows
-- with a later loaded_at; the *_current views keep the newest committed one per key, and
-- the base tables keep every earlier value as history.
--
-- Statements are separated by a semicolon at the end of a line; each one is idempotent.

-- Dimensions are small, rewritten whole by each load, and read by key, so they are
-- ReplacingMergeTree ordered by their natural key and read with FINAL.
CREATE TABLE IF NOT EXISTS regions
(
    code               String COMMENT 'GB/T 2260 six-digit code; 100000 is the nation',
    name_zh            String COMMENT 'full Chinese name as NBS prints it, e.g. 甘肃省',
    short_zh           String COMMENT 'name without administrative suffix, e.g. 甘肃',
    name_en            String,
    level              Enum8('nation' = 0, 'province' = 1, 'city' = 2, 'county' = 3),
    parent_code        String COMMENT 'empty for the nation',
    division_type      String COMMENT '省/自治区/直辖市, 地级市/自治州, 市辖区/县/自治县/县级市',
    macro_region       LowCardinality(String) COMMENT 'east, central, west or northeast for provinces',
    poverty_alleviated UInt8 COMMENT '脱贫县',
    national_key       UInt8 COMMENT '国家乡村振兴重点帮扶县',
    provincial_key     UInt8 COMMENT '省级乡村振兴重点帮扶县',
    counted            UInt8 COMMENT 'counted among the official divisions (e.g. the 86 counties)',
    generated          UInt8 COMMENT '1 when flags or names were generated for the demo, not published',
    source             String,
    version            UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY code
COMMENT 'Region dimension: nation, provinces, cities, counties';

CREATE TABLE IF NOT EXISTS indicators
(
    code           String,
    name_zh        String,
    name_en        String,
    unit           String COMMENT 'the unit values are stored in; loads convert to it',
    direction      Int8 COMMENT '1 when higher is better, -1 when lower is better',
    frequency      Enum8('year' = 1, 'quarter' = 2, 'month' = 3),
    category       LowCardinality(String),
    description_zh String,
    source         String,
    version        UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY code
COMMENT 'Indicator dimension';

CREATE TABLE IF NOT EXISTS peer_groups
(
    code           String,
    name_zh        String,
    name_en        String,
    description_zh String,
    builtin        UInt8,
    version        UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY code
COMMENT 'Peer groups of regions that rankings compare within';

-- removed instead of DELETE so a member can leave a group with an ordinary insert.
CREATE TABLE IF NOT EXISTS peer_group_members
(
    group_code  String,
    region_code String,
    removed     UInt8,
    version     UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY (group_code, region_code)
COMMENT 'Membership of regions in peer groups';

-- The fact table the pages read most. Every page asks for one indicator, one kind of period
-- and a few years across many regions, so the key starts with indicator, period kind and
-- year; region next for per-region lookups; loaded_at last so revisions of a key sit together.
CREATE TABLE IF NOT EXISTS indicator_values
(
    indicator_code LowCardinality(String),
    region_code    LowCardinality(String),
    period_kind    Enum8('year' = 1, 'quarter' = 2, 'month' = 3, 'ytd' = 4) COMMENT 'ytd: cumulative from January, e.g. 1-3月',
    year           UInt16,
    period_no      UInt8 COMMENT 'quarter 1-4 or month 1-12 (last month of a ytd range); 0 for a year',
    value          Float64 COMMENT 'in the indicator''s unit',
    source_unit    String COMMENT 'unit as written in the file, before conversion',
    run_id         UUID,
    source_line    UInt32,
    loaded_at      DateTime64(3, 'UTC')
)
ENGINE = MergeTree
ORDER BY (indicator_code, period_kind, year, region_code, period_no, loaded_at)
COMMENT 'Every loaded value of every indicator, revisions kept; read through indicator_values_current';

CREATE TABLE IF NOT EXISTS targets
(
    target_code            String,
    name_zh                String,
    name_en                String,
    region_code            String,
    indicator_code         String,
    measure                Enum8('level' = 1, 'growth' = 2) COMMENT 'compare the value or its growth over the previous period',
    comparison             Enum8('>=' = 1, '<=' = 2, '>' = 3, '<' = 4),
    threshold              Nullable(Float64) COMMENT 'fixed threshold, or NULL when compared with another series',
    compare_indicator_code String COMMENT 'the other series, e.g. urban income for the rural-above-urban target',
    compare_region_code    String,
    year_from              UInt16,
    year_to                UInt16,
    note                   String,
    version                UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY target_code
COMMENT 'Targets checked each period: thresholds or comparisons with another series';

-- Ledger items are looked up by id and listed by region; items change rarely, events often.
CREATE TABLE IF NOT EXISTS ecology_items
(
    item_id          String,
    source           LowCardinality(String) COMMENT 'e.g. 2022年黄河流域生态环境突出问题警示片, 中央生态环境保护督察',
    region_code      LowCardinality(String),
    category         LowCardinality(String),
    title            String,
    description      String,
    responsible_unit String,
    found_date       Date,
    deadline         Date,
    generated        UInt8,
    run_id           UUID,
    source_line      UInt32,
    loaded_at        DateTime64(3, 'UTC')
)
ENGINE = MergeTree
ORDER BY (item_id, loaded_at)
COMMENT 'Ecological rectification ledger items; the newest committed row per item is current';

-- Ordered by item then date: one item's history is a contiguous range, and "status on date D"
-- is the last event per item up to D.
CREATE TABLE IF NOT EXISTS ecology_status_events
(
    item_id      String,
    status       Enum8('未整改' = 1, '整改中' = 2, '已整改' = 3, '已销号' = 4),
    progress_pct Float32,
    event_date   Date,
    note         String,
    run_id       UUID,
    source_line  UInt32,
    loaded_at    DateTime64(3, 'UTC')
)
ENGINE = MergeTree
ORDER BY (item_id, event_date, loaded_at)
COMMENT 'Status history of ledger items';

CREATE TABLE IF NOT EXISTS campaign_metric_defs
(
    code      String,
    name_zh   String,
    name_en   String,
    dimension Enum8('study' = 1, 'execution' = 2, 'efficiency' = 3) COMMENT '学习/执行/效能',
    unit      String,
    direction Int8,
    version   UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY code
COMMENT 'Metrics of the 三抓三促 campaign';

-- Scorecards read one month (or a range) of every metric across all units, so metric and
-- month lead the key.
CREATE TABLE IF NOT EXISTS campaign_metrics
(
    unit_kind        Enum8('region' = 1, 'department' = 2),
    unit_code        String,
    unit_name        String,
    month            Date COMMENT 'first day of the reported month',
    metric_code      LowCardinality(String),
    problem_category UInt8 COMMENT '1-7: the seven problem categories in the speech''s order; 0 when not by category',
    value            Float64,
    generated        UInt8,
    run_id           UUID,
    source_line      UInt32,
    loaded_at        DateTime64(3, 'UTC')
)
ENGINE = MergeTree
ORDER BY (metric_code, month, unit_code, problem_category, loaded_at)
COMMENT 'Monthly campaign metrics per city, county or department';

-- One row per state change of a run; FINAL gives the latest. Small, read by run_id or hash.
CREATE TABLE IF NOT EXISTS etl_runs
(
    run_id        UUID,
    job           LowCardinality(String),
    file_path     String,
    content_hash  String COMMENT 'sha256 of the file: the same file twice is loaded once',
    status        Enum8('running' = 1, 'committed' = 2, 'failed' = 3, 'unchanged' = 4, 'abandoned' = 5),
    rows_read     UInt64,
    rows_loaded   UInt64,
    rows_rejected UInt64,
    started_at    DateTime64(3, 'UTC'),
    finished_at   DateTime64(3, 'UTC'),
    message       String,
    version       UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY run_id
COMMENT 'ETL runs: one row per status change, newest wins';

CREATE TABLE IF NOT EXISTS etl_rejects
(
    run_id     UUID,
    file_path  String,
    line       UInt32 COMMENT 'line in the file, 1-based, header included',
    location   String COMMENT 'sheet and cell for spreadsheets, column for CSV',
    raw        String COMMENT 'the rejected row as it was read',
    reason     String,
    created_at DateTime64(3, 'UTC')
)
ENGINE = MergeTree
ORDER BY (run_id, line)
COMMENT 'Every rejected row with where it was and why';

-- No FINAL needed: 'committed' is a run's last state, written once, so any committed row
-- of a run means the run committed.
CREATE VIEW IF NOT EXISTS committed_runs AS
SELECT run_id, job, file_path, content_hash, finished_at
FROM etl_runs
WHERE status = 'committed';

-- The inner query renames run_id and loaded_at so the outer aliases cannot shadow them.
CREATE VIEW IF NOT EXISTS indicator_values_current AS
SELECT
    indicator_code, region_code, period_kind, year, period_no,
    argMax(v, t) AS value,
    argMax(r, t) AS run_id,
    max(t) AS loaded_at,
    count() AS versions
FROM
(
    SELECT indicator_code, region_code, period_kind, year, period_no, value AS v, run_id AS r, loaded_at AS t
    FROM indicator_values
    WHERE run_id IN (SELECT run_id FROM committed_runs)
)
GROUP BY indicator_code, region_code, period_kind, year, period_no;
