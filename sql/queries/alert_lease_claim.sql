-- Claims a term of a lease, or renews one held.
INSERT INTO alert_lease (name, term, holder, at, expires_at)
SELECT {name:String}, {term:UInt64}, {holder:String}, fromUnixTimestamp64Milli({at_ms:Int64}, 'UTC'),
       fromUnixTimestamp64Milli({expires_ms:Int64}, 'UTC')
