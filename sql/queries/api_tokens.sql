-- Every API token, newest first.
SELECT id, hash, name, role, toUnixTimestamp64Milli(created_at) AS created_ms, toUnixTimestamp64Milli(expires_at) AS expires_ms, revoked
FROM api_tokens FINAL
ORDER BY created_at DESC
