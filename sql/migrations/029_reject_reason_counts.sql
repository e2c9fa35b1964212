-- The rejects page groups a run's rejects by reason code ("unknown_region ×31") on every
-- visit. Grouping a million rejects read the reason text of each one (40 ms idle, half a
-- second on a busy machine). This projection keeps, beside every part the ETL writes, one
-- row per run and reason code with its count and an example text, and the engine answers
-- the grouping from those rows. Counts stay exact: a part written before this migration is
-- grouped from its own rows until the projection is materialized for it (a background
-- mutation). While a table has a projection the engine refuses a lightweight DELETE on it;
-- remove rejects with ALTER TABLE … DELETE, which rebuilds the projection.
ALTER TABLE etl_rejects ADD PROJECTION IF NOT EXISTS reasons_of_run
(
    SELECT run_id, reason_code, count(), any(reason)
    GROUP BY run_id, reason_code
);
ALTER TABLE etl_rejects MATERIALIZE PROJECTION reasons_of_run;
