-- Yearly values of one indicator for a few regions (e.g. the home province and the nation).
SELECT region_code, year, value, toString(run_id) AS run_id
FROM indicator_values_current
WHERE indicator_code = {indicator:String}
  AND period_kind = 'year'
  AND region_code IN {regions:Array(String)}
ORDER BY region_code, year
