-- Writes (starts or, with revoked = 1, ends) one sign-in session; token_id names the API
-- token a wall screen's session was begun with ('' for a password's).
INSERT INTO sessions (id_hash, user, epoch, created_at, expires_at, revoked, token_id, version)
SELECT {id_hash:String}, {user:String}, {epoch:UInt32}, fromUnixTimestamp64Milli({created_ms:Int64}, 'UTC'),
       fromUnixTimestamp64Milli({expires_ms:Int64}, 'UTC'), {revoked:UInt8}, {token_id:String}, {version:UInt64}
