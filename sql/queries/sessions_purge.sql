-- Removes the sign-in sessions nobody can use again: expired before the cutoff, or signed
-- out (revoked). Every version of such a session goes at once, so no older version is left
-- to speak for it.
DELETE FROM sessions
WHERE id_hash IN
(
    SELECT id_hash
    FROM sessions FINAL
    WHERE expires_at < fromUnixTimestamp64Milli({before_ms:Int64}, 'UTC') OR revoked = 1
)
