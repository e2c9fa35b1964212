-- Purges the chunks of kept files older than the cutoff, and of the oldest files beyond the
-- byte budget (the newest files fill it first). Header rows stay: a page can say the file
-- was kept and purged.
DELETE FROM load_originals
WHERE chunk > 0
  AND content_hash IN
  (
      SELECT content_hash
      FROM
      (
          SELECT content_hash, kept,
                 sum(size) OVER (ORDER BY kept DESC, content_hash ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS newer_bytes
          FROM
          (
              -- A file kept again after a purge has two header rows: the newer counts.
              SELECT content_hash, max(kept_at) AS kept, max(size) AS size
              FROM load_originals
              WHERE chunk = 0
              GROUP BY content_hash
          )
      )
      WHERE kept < fromUnixTimestamp64Milli({cutoff_ms:Int64}, 'UTC') OR newer_bytes > {max_bytes:UInt64}
  )
