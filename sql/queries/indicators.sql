-- Indicators with the years in which every province has a value, newest last.
SELECT
    i.code AS code, i.name_zh AS name_zh, i.name_en AS name_en, i.unit AS unit,
    i.direction AS direction, toString(i.frequency) AS frequency, i.category AS category,
    arraySort(groupArrayIf(y.year, y.year > 0)) AS years
FROM (SELECT * FROM indicators FINAL) AS i
LEFT JOIN
(
    SELECT indicator_code, year
    FROM indicator_values_current
    WHERE period_kind = 'year'
      AND region_code IN (SELECT code FROM regions FINAL WHERE level = 'province')
    GROUP BY indicator_code, year
) AS y ON y.indicator_code = i.code
GROUP BY i.code, i.name_zh, i.name_en, i.unit, i.direction, i.frequency, i.category
ORDER BY i.category, i.code
