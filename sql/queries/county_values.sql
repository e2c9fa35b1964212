-- Yearly values of one indicator for the counties of a province (counties whose city's
-- parent is the province), with their flags, in the given years.
SELECT
    r.code AS region_code, r.name_zh AS name_zh, r.short_zh AS short_zh, r.name_en AS name_en,
    r.parent_code AS city_code, c.name_zh AS city_name_zh, c.name_en AS city_name_en,
    r.poverty_alleviated AS poverty_alleviated, r.national_key AS national_key, r.provincial_key AS provincial_key,
    r.generated AS generated,
    v.year AS year, v.value AS value, toString(v.run_id) AS run_id
FROM indicator_values_current AS v
INNER JOIN (SELECT * FROM regions FINAL WHERE level = 'county' AND counted = 1) AS r ON r.code = v.region_code
INNER JOIN (SELECT code, name_zh, name_en FROM regions FINAL WHERE level = 'city' AND parent_code = {province:String}) AS c ON c.code = r.parent_code
WHERE v.indicator_code = {indicator:String}
  AND v.period_kind = 'year'
  AND v.year IN {years:Array(UInt16)}
ORDER BY v.year, r.code
