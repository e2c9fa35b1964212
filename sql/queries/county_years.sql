-- The years in which a province's counties have values of an indicator.
SELECT DISTINCT v.year AS year
FROM indicator_values_current AS v
INNER JOIN (SELECT code, parent_code FROM regions FINAL WHERE level = 'county') AS r ON r.code = v.region_code
INNER JOIN (SELECT code FROM regions FINAL WHERE level = 'city' AND parent_code = {province:String}) AS c ON c.code = r.parent_code
WHERE v.indicator_code = {indicator:String} AND v.period_kind = 'year'
ORDER BY year
