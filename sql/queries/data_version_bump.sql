-- Starts a new data version: called after each write that changed data.
INSERT INTO data_version (at, host, pid)
SELECT now64(3, 'UTC'), {host:String}, {pid:UInt32}
