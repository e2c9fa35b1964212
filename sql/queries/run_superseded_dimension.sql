-- The later committed runs of a dimension job that loaded other content than this run did.
-- Dimension rows carry no run, so which of this run's rows such a run replaced is not
-- known (keys is 0): any of them may have been. Newest first, as run_superseded answers.
SELECT toString(run_id) AS by_run, toUInt64(0) AS keys, file_path
FROM etl_runs FINAL
WHERE job = {job:String} AND status = 'committed' AND rows_loaded > 0
  AND unchanged_key != {unchanged_key:String}
  AND finished_at > fromUnixTimestamp64Milli({finished_ms:Int64}, 'UTC')
ORDER BY finished_at DESC
