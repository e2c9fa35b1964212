-- Every committed load of one indicator's value for a region and period, newest first:
-- the value, the load and the cell it came from. The newest is what pages show; the rest
-- are its revisions. (Output names differ from the columns so they cannot shadow them.)
SELECT '' AS row_key, toString(v.value) AS shown, v.source_unit AS detail,
       toString(v.run_id) AS run, v.source_line AS line, v.source_sheet AS sheet, v.source_col AS col,
       toString(v.loaded_at) AS loaded, r.file_path AS file_path, r.content_hash AS content_hash, r.vintage AS vintage, r.vintage_en AS vintage_en
FROM indicator_values AS v
INNER JOIN
(
    SELECT run_id, file_path, content_hash, vintage, vintage_en FROM etl_runs FINAL WHERE status = 'committed'
) AS r ON r.run_id = v.run_id
WHERE v.indicator_code = {indicator:String} AND v.region_code = {region:String}
  AND v.period_kind = {kind:String} AND v.year = {year:UInt16} AND v.period_no = {no:UInt8}
ORDER BY v.loaded_at DESC
