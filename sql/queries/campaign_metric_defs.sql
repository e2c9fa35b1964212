-- The campaign's metrics with their dimension (学习/执行/效能), unit and direction.
SELECT code, name_zh, name_en, toString(dimension) AS dimension, unit, direction
FROM campaign_metric_defs FINAL
ORDER BY dimension, code
