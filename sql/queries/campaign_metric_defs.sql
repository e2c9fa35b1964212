-- The campaign's metrics with their dimension (学习/执行/效能), unit and direction, in the
-- campaign's order of dimensions (the enum's), then by code. The order is taken in a
-- subquery: an outer ORDER BY dimension would sort the text the SELECT makes of it.
SELECT code, name_zh, name_en, toString(dimension) AS dimension, unit, direction
FROM (SELECT code, name_zh, name_en, dimension, unit, direction, toUInt8(dimension) AS dimension_order FROM campaign_metric_defs FINAL)
ORDER BY dimension_order, code
