-- Why a row was refused, in Chinese, beside the English reason: the Chinese rejects pages
-- show it. Rejects stored before it, and reasons that quote an error that has no Chinese
-- wording, have none: a Chinese page then shows the English, marked as English. The
-- projection that counts a run's reasons (029) is replaced by one that keeps an example in
-- each language. It takes a new name: a part keeps the old projection's data under the old
-- name until the drop has rewritten it, and must never be read as the new one.
ALTER TABLE etl_rejects ADD COLUMN IF NOT EXISTS reason_zh String DEFAULT '' AFTER reason_code;
ALTER TABLE etl_rejects ADD PROJECTION IF NOT EXISTS reason_counts
(
    SELECT run_id, reason_code, count(), any(reason), any(reason_zh)
    GROUP BY run_id, reason_code
);
ALTER TABLE etl_rejects MATERIALIZE PROJECTION reason_counts;
ALTER TABLE etl_rejects DROP PROJECTION IF EXISTS reasons_of_run;
