-- Saves (or, with removed = 1, deletes) a shared query.
INSERT INTO saved_queries (id, name, statement, owner, created_at, removed, version)
SELECT toUUID({id:String}), {name:String}, {statement:String}, {owner:String}, now64(3, 'UTC'), {removed:UInt8}, {version:UInt64}
