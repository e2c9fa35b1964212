-- Every reporting unit: cities, then counties, then departments, each by code.
SELECT code, name_zh, name_en, kind, parent_code, retired
FROM units
ORDER BY multiIf(kind = 'city', 1, kind = 'county', 2, 3), code
