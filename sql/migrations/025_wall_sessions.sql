-- A wall screen (大屏) signs in with a viewer API token once and then holds a cookie
-- session that lives as long as the token. token_id ties the session to that token, so
-- revoking the token (or its expiry, or its account's disabling) ends the session at
-- once; '' for sessions begun with a password.
ALTER TABLE sessions ADD COLUMN IF NOT EXISTS token_id String DEFAULT '' AFTER revoked;
