-- Every committed load of one unit's campaign report in a month (one metric, or all when
-- {metric} is ''), newest first per metric and problem category.
SELECT concat(c.metric_code, if(c.problem_category = 0, '', concat(':', toString(c.problem_category)))) AS row_key,
       toString(c.value) AS shown, c.unit_name AS detail,
       toString(c.run_id) AS run, c.source_line AS line, c.source_sheet AS sheet, c.source_col AS col,
       toString(c.loaded_at) AS loaded, r.file_path AS file_path, r.content_hash AS content_hash, r.vintage AS vintage, r.vintage_en AS vintage_en
FROM campaign_metrics AS c
INNER JOIN
(
    SELECT run_id, file_path, content_hash, vintage, vintage_en FROM etl_runs FINAL WHERE status = 'committed'
) AS r ON r.run_id = c.run_id
WHERE c.unit_code = {unit:String} AND c.month = toDate({month:String})
  AND ({metric:String} = '' OR c.metric_code = {metric:String})
ORDER BY row_key, c.loaded_at DESC
