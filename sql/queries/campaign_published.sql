-- One scope's published ranking (通报) of a month.
SELECT unit_code, unit_name, score, rank, partial, toString(published_at) AS published_at, published_by
FROM campaign_published FINAL
WHERE scope = {scope:String} AND month = toDate({month:String})
ORDER BY rank = 0, partial = 0, rank, unit_code
