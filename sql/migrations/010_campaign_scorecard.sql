-- The 三抓三促 scorecard's items as data (data/campaign_scoring.csv, loaded by the
-- campaign_score_items job), and the rankings as they were published (通报), so that next
-- month's rank change is against what units were told, not a re-scoring with today's
-- weights.
CREATE TABLE IF NOT EXISTS campaign_score_items
(
    code       String,
    name_zh    String,
    name_en    String,
    dimension  Enum8('study' = 1, 'execution' = 2, 'efficiency' = 3) COMMENT '学习/执行/效能',
    formula    Enum8('per_size' = 1, 'rate' = 2, 'stock' = 3) COMMENT 'count per 万人 of population, num/den in per cent, or closed within the deadline of a stock',
    num        String COMMENT 'metric code (campaign_metric_defs) counted or closed',
    den        String COMMENT 'metric code of the denominator or of the cases opened; empty for per_size',
    direction  Int8,
    weight     Float64 COMMENT 'default weight; the config may override it',
    kinds      String COMMENT 'unit kinds scored on the item, separated by ;',
    deadline   UInt8 COMMENT 'stock: months to close, counting the reporting month',
    min_spread Float64 COMMENT 'smallest spread the item is scaled with, in its own unit',
    step       Float64 COMMENT 'improvement tried by the hint; 0: one spread',
    pool       UInt8 COMMENT 'per_size and rate: months pooled (the scored one and those before it); 0 or 1: the month alone',
    note       String,
    version    UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY code
COMMENT 'Scored items of the 三抓三促 scorecard';

-- One row per unit of a published month; a later publication of the same month replaces it.
CREATE TABLE IF NOT EXISTS campaign_published
(
    scope        LowCardinality(String) COMMENT 'city, county or department',
    month        Date,
    unit_code    String,
    unit_name    String,
    score        Float64,
    rank         UInt16 COMMENT '0: not ranked (未报)',
    published_at DateTime64(3, 'UTC'),
    published_by String,
    version      UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY (scope, month, unit_code)
COMMENT 'Published 三抓三促 rankings (通报)';
