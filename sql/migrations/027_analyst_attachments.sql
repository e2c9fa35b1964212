-- What ad hoc SQL may know of ledger attachments: which file came with which step, its
-- checked type, size, hash and uploader, but never its bytes. Analysts read this view; the
-- table with the blobs stays closed to them (warehouse/guard/tables.go), and the files
-- themselves are served only to those who may see their item.
CREATE VIEW IF NOT EXISTS ecology_attachment_files AS
SELECT id, item_id, event_at, file_name, content_type, size, sha256, uploaded_by, uploaded_at
FROM ecology_attachments;
