-- One attachment of a progress step; {data} is the file in base64, so any byte reaches the
-- engine as text, and is stored as the bytes it stands for.
INSERT INTO ecology_attachments (id, item_id, event_at, file_name, content_type, size, sha256, data, uploaded_by, uploaded_at)
SELECT {id:String}, {item_id:String}, {at:DateTime64(3, 'UTC')}, {file_name:String}, {content_type:String}, {size:UInt32},
    {sha256:String}, base64Decode({data:String}), {by:String}, {at:DateTime64(3, 'UTC')}
