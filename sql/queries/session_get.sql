-- One session by the hash of its id.
SELECT id_hash, user, epoch, toUnixTimestamp64Milli(created_at) AS created_ms, toUnixTimestamp64Milli(expires_at) AS expires_ms, revoked, token_id
FROM sessions FINAL
WHERE id_hash = {id_hash:String}
