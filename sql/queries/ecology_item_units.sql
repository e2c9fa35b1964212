-- The reporting unit of each ledger item ('' when its 责任单位 matches no unit or alias),
-- within the caller's scope.
SELECT item_id, responsible_unit, unit_code
FROM ecology_item_units
WHERE {scope_all:UInt8} = 1 OR unit_code = {scope_unit:String}
ORDER BY item_id
