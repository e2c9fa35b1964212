-- Every region with its names, level, parent and flags.
SELECT code, name_zh, short_zh, name_en, toString(level) AS level, parent_code, division_type, macro_region,
       poverty_alleviated, national_key, provincial_key, counted, generated
FROM regions FINAL
ORDER BY code
