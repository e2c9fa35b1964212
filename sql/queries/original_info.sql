-- Whether a file is kept: its header row (name, size, when kept) and how many of its bytes
-- are still there (0 once purged), and its note (too_large: never stored for its size).
SELECT anyIf(name, chunk = 0) AS name, maxIf(size, chunk = 0) AS size,
       toUnixTimestamp64Milli(maxIf(kept_at, chunk = 0)) AS kept_ms,
       countIf(chunk = 0) AS headers, argMaxIf(data, kept_at, chunk = 0) AS note, sumIf(length(data), chunk > 0) AS stored
FROM load_originals
WHERE content_hash = {hash:String}
