-- Indicators with the years in which provinces have committed yearly values.
SELECT
    i.code AS code, i.name_zh AS name_zh, i.name_en AS name_en, i.unit AS unit,
    i.direction AS direction, toString(i.frequency) AS frequency, i.category AS category,
    i.description_zh AS description_zh, i.description_en AS description_en,
    toString(i.kind) AS kind, toString(i.price_basis) AS price_basis, i.base AS base, i.real_growth AS real_growth,
    arraySort(y.years) AS years
FROM (SELECT * FROM indicators FINAL) AS i
LEFT JOIN
(
    SELECT indicator_code, groupUniqArray(year) AS years
    FROM indicator_coverage
    WHERE period_kind = 'year' AND province = 1
      AND run_id IN (SELECT run_id FROM committed_runs)
    GROUP BY indicator_code
) AS y ON y.indicator_code = i.code
-- Pickers list the economy first, as a leader reads them (社会消费品零售总额 came first,
-- its category being alphabetically first), then the rest by category and code.
ORDER BY i.category != 'economy', i.category, i.code
