-- Indicators with the years in which provinces have committed yearly values. Reading the
-- base table (not the *_current view) is enough to know which years exist, and cheaper.
SELECT
    i.code AS code, i.name_zh AS name_zh, i.name_en AS name_en, i.unit AS unit,
    i.direction AS direction, toString(i.frequency) AS frequency, i.category AS category,
    arraySort(y.years) AS years
FROM (SELECT * FROM indicators FINAL) AS i
LEFT JOIN
(
    SELECT indicator_code, groupUniqArray(year) AS years
    FROM indicator_values
    WHERE period_kind = 'year'
      AND run_id IN (SELECT run_id FROM committed_runs)
      AND region_code IN (SELECT code FROM regions FINAL WHERE level = 'province')
    GROUP BY indicator_code
) AS y ON y.indicator_code = i.code
ORDER BY i.category, i.code
