-- Writes (adds or replaces) one account.
INSERT INTO accounts (name, role, unit, contact, password_hash, disabled, source, session_epoch, updated_at, version)
SELECT {name:String}, {role:String}, {unit:String}, {contact:String}, {password_hash:String}, {disabled:UInt8}, {source:String}, {session_epoch:UInt32},
       now64(3, 'UTC'), {version:UInt64}
