-- The targets set for a region.
SELECT target_code, name_zh, name_en, indicator_code, toString(measure) AS measure, toString(comparison) AS comparison,
       threshold, compare_indicator_code, compare_region_code, year_from, year_to, note, note_en
FROM targets FINAL
WHERE region_code = {region:String}
ORDER BY target_code
