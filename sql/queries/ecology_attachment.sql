-- One attachment with its bytes (in base64), for its download, when the caller's scope
-- sees its item.
SELECT item_id, formatDateTime(event_at, '%Y-%m-%d %H:%i:%S') AS event_at, file_name, content_type, size, sha256,
    uploaded_by, base64Encode(data) AS data
FROM ecology_attachments
WHERE item_id IN (SELECT item_id FROM ecology_item_units WHERE {scope_all:UInt8} = 1 OR unit_code = {scope_unit:String})
  AND id = {id:String}
LIMIT 1
