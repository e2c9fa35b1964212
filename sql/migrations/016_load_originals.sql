-- The original files of loads that came through an inbox or an upload, kept for a while so
-- an operator can download what was loaded (and send it back with its rejects). They live in
-- the warehouse, not in a folder of the host that loaded them: several hosts serving pages
-- over one ClickHouse then share them, and backups carry them. A file is split in chunks of
-- 1 MiB (chunk 1, 2 …) under its content hash, so the same file loaded twice is kept once.
-- Chunk 0 holds no bytes: it says the file was kept (name, size, when; its data is
-- 'too_large' for a file larger than the whole budget, noted but never stored), and it stays when the
-- chunks are purged (after keep_days, or oldest first beyond max_mb), so a page can say the
-- file was kept and purged rather than never kept.
CREATE TABLE IF NOT EXISTS load_originals
(
    content_hash String COMMENT 'sha256 of the file, as etl_runs.content_hash',
    chunk        UInt32 COMMENT '0: the header row; 1…n: the file''s bytes in order',
    name         String COMMENT 'the file''s base name as it arrived',
    size         UInt64 COMMENT 'the whole file''s size in bytes (header row)',
    data         String COMMENT 'up to 1 MiB of the file; the header row''s note',
    kept_at      DateTime64(3, 'UTC')
)
ENGINE = MergeTree
ORDER BY (content_hash, chunk)
COMMENT 'Original files of inbox and upload loads, kept for a configured time';
