-- The unit a free-text name stands for (spaces removed), through its names and aliases.
SELECT name, any(unit_code) AS unit_code
FROM unit_names
WHERE name = replaceAll({name:String}, ' ', '')
GROUP BY name
