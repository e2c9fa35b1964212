-- Values and ranks of one yearly indicator for every province in the given years, with
-- in_group marking a peer group's members. Ranks follow the indicator's direction (a
-- neutral size, direction 0, ranks largest first as measure.Sign does); ties
-- share a rank. rank_all is the rank among all provinces with a value, rank_group among
-- the members with a value (meaningless outside the group). Every province comes back so
-- the caller can compare the national rank across years too (warehouse/measure).
WITH
    dir AS (SELECT if(direction < 0, -1, 1) AS direction FROM indicators FINAL WHERE code = {indicator:String}),
    provinces AS (SELECT code FROM regions FINAL WHERE level = 'province'),
    v AS (
        SELECT region_code, year, value, run_id
        FROM indicator_values_current
        WHERE indicator_code = {indicator:String}
          AND period_kind = 'year'
          AND year IN {years:Array(UInt16)}
          AND region_code IN (SELECT code FROM provinces)
    ),
    ranked AS (
        SELECT
            region_code, year, value, run_id,
            rank() OVER (PARTITION BY year ORDER BY value * (SELECT direction FROM dir) DESC) AS rank_all,
            count() OVER (PARTITION BY year) AS all_size,
            has({members:Array(String)}, region_code) AS in_group
        FROM v
    ),
    grouped AS (
        SELECT
            region_code, year, value, run_id, rank_all, all_size, in_group,
            rank() OVER (PARTITION BY year, in_group ORDER BY value * (SELECT direction FROM dir) DESC) AS rank_group,
            count() OVER (PARTITION BY year, in_group) AS group_size
        FROM ranked
    )
SELECT
    g.region_code AS region_code,
    r.name_zh AS name_zh,
    r.short_zh AS short_zh,
    r.name_en AS name_en,
    g.year AS year,
    g.value AS value,
    toUInt32(g.rank_group) AS rank_group,
    toUInt32(g.group_size) AS group_size,
    toUInt32(g.rank_all) AS rank_all,
    toUInt32(g.all_size) AS all_size,
    toString(g.run_id) AS run_id,
    toUInt8(g.in_group) AS in_group
FROM grouped AS g
INNER JOIN (SELECT code, name_zh, short_zh, name_en FROM regions FINAL) AS r ON r.code = g.region_code
ORDER BY g.year DESC, g.in_group DESC, g.rank_group ASC, g.region_code ASC
