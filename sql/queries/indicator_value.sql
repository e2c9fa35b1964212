-- One region's value of a yearly indicator in a year and the year before (e.g. the nation's).
SELECT year, value, toString(run_id) AS run_id
FROM indicator_values_current
WHERE indicator_code = {indicator:String}
  AND region_code = {region:String}
  AND period_kind = 'year'
  AND year IN ({year:UInt16}, {year:UInt16} - 1)
ORDER BY year DESC
