-- An item's attachments without their bytes, oldest first, when the caller's scope sees the
-- item; event_at ties each to its step.
SELECT id, formatDateTime(event_at, '%Y-%m-%d %H:%i:%S') AS event_at, file_name, content_type, size, sha256, uploaded_by
FROM ecology_attachments
WHERE item_id IN (SELECT item_id FROM ecology_item_units WHERE {scope_all:UInt8} = 1 OR unit_code = {scope_unit:String})
  AND item_id = {item_id:String}
ORDER BY uploaded_at, id
