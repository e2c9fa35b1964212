-- The resident population (万人) of cities and counties, each from its latest year up to
-- the given one: the scorecard's size measure.
SELECT region_code, argMax(value, year) AS population
FROM indicator_values_current
WHERE indicator_code = 'population'
  AND period_kind = 'year'
  AND year <= {year:UInt16}
  AND region_code IN (SELECT code FROM regions FINAL WHERE level IN ('city', 'county'))
GROUP BY region_code
ORDER BY region_code
