-- Writes (adds or, with revoked = 1, revokes) one API token.
INSERT INTO api_tokens (id, hash, name, role, created_at, expires_at, revoked, version)
SELECT {id:String}, {hash:String}, {name:String}, {role:String}, fromUnixTimestamp64Milli({created_ms:Int64}, 'UTC'),
       fromUnixTimestamp64Milli({expires_ms:Int64}, 'UTC'), {revoked:UInt8}, {version:UInt64}
