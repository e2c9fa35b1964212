-- The scorecard's items (data/campaign_scoring.csv), by dimension (学习, 执行, 效能).
SELECT code, name_zh, name_en, toString(dimension) AS dimension, toString(formula) AS formula, num, den,
       direction, weight, kinds, deadline, min_spread, step, pool, note
FROM campaign_score_items FINAL
ORDER BY dimension, code
