-- A run of a kept file's chunks in order, base64 so the bytes survive the text format.
SELECT chunk, base64Encode(data) AS data
FROM load_originals
WHERE content_hash = {hash:String} AND chunk >= {from:UInt32} AND chunk < {from:UInt32} + {count:UInt32}
ORDER BY chunk
