-- Adds (or with removed = 1 drops) one other name of a reporting unit.
INSERT INTO unit_aliases (alias, unit_code, removed, version)
SELECT replaceAll({alias:String}, ' ', ''), {unit_code:String}, {removed:UInt8}, {version:UInt64}
