-- Every account, by name.
SELECT name, role, unit, contact, password_hash, disabled, source, session_epoch, toString(updated_at) AS updated
FROM accounts FINAL
ORDER BY name
