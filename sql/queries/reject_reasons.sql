-- A run's rejects grouped by reason code, the most frequent first, with one reason text of
-- each code as its example, in English and in Chinese ("unknown_region ×31: unknown region
-- 陇南地区"). The engine answers it from the projection reason_counts (migration 033), never
-- from the rejects themselves: keep its columns and aggregates within that projection's.
SELECT reason_code, any(reason) AS example, any(reason_zh) AS example_zh, count() AS n
FROM etl_rejects
WHERE run_id = toUUID({run_id:String})
GROUP BY reason_code
ORDER BY n DESC, reason_code
