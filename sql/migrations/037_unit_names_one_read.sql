-- unit_names, read once: it read the units view three times and the regions twice more for
-- the province's name, 35-43 ms for its 724 names on the demo, and every ledger statement
-- that matches a 责任单位 to its unit reads it (the ledger as of a day took 91 ms). The same
-- names: the code, names and the names of the government of a city or county (兰州市人民政府,
-- 城关区政府, as the ledger writes 责任单位), a department's code and name, and its name
-- with the province's in front (甘肃省财政厅), then the aliases.
DROP VIEW IF EXISTS unit_names;

CREATE VIEW IF NOT EXISTS unit_names AS
SELECT name, unit_code FROM
(
    SELECT arrayJoin(if(kind != 'department',
               [code, name_zh, short_zh, concat(name_zh, '人民政府'), concat(short_zh, '人民政府'), concat(name_zh, '政府'), concat(short_zh, '政府')],
               if(startsWith(name_zh, '省'), [code, name_zh, concat(province_zh, substringUTF8(name_zh, 2, 100))], [code, name_zh]))) AS name,
           code AS unit_code
    FROM units
    CROSS JOIN (SELECT any(name_zh) AS province_zh FROM regions FINAL WHERE code IN (SELECT parent_code FROM regions FINAL WHERE level = 'city')) AS province
    UNION ALL
    SELECT alias AS name, unit_code
    FROM unit_aliases FINAL
    WHERE removed = 0
);
