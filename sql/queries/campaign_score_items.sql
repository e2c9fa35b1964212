-- The scorecard's items (data/campaign_scoring.csv), by dimension (学习, 执行, 效能: the
-- enum's order; the name is selected under another alias so that it does not shadow it).
SELECT code, name_zh, name_en, toString(dimension) AS dimension_name, toString(formula) AS formula, num, den,
       direction, weight, kinds, deadline, min_spread, step, pool, note, note_en
FROM campaign_score_items FINAL
ORDER BY dimension, code
