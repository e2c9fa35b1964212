-- One attachment with its bytes (in base64), for its download.
SELECT item_id, formatDateTime(event_at, '%Y-%m-%d %H:%i:%S') AS event_at, file_name, content_type, size, sha256,
    uploaded_by, base64Encode(data) AS data
FROM ecology_attachments
WHERE id = {id:String}
LIMIT 1
