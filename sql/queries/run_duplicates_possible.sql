-- Whether a run may have inserted a value twice: fewer distinct key hashes than rows. A
-- quarter of the cost of grouping by the keys themselves, and exact in the direction that
-- matters: a duplicate always shows; a hash collision only sends the run to run_duplicates.
SELECT count() - uniqExact(cityHash64(indicator_code, region_code, period_kind, year, period_no)) AS surplus
FROM indicator_values
WHERE run_id = toUUID({run_id:String})
