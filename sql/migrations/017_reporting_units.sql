-- Reporting units (填报单位): the cities, counties and provincial departments that report
-- the campaign monthly and answer for ledger items. Cities and counties are the regions
-- (one list of places, not two); departments have no region, so their codes and names live
-- here. Accounts of the reporter role are bound to one unit; what a caller may see is
-- decided by that unit (warehouse.RowScope).
CREATE TABLE IF NOT EXISTS reporting_units
(
    code      String COMMENT 'the code the campaign files use, e.g. D03',
    name_zh   String,
    name_en   String,
    kind      Enum8('city' = 1, 'county' = 2, 'department' = 3),
    retired   UInt8 COMMENT '1: no longer reports (kept for the history)',
    version   UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY code
COMMENT 'Reporting units that are not regions: the provincial departments';

-- The eight departments of the demo's campaign files. Version 1: a site that renames one
-- writes a row of a higher version. (INSERT … SELECT: servers before 20.1 take no VALUES
-- over the native protocol.)
INSERT INTO reporting_units (code, name_zh, name_en, kind, retired, version)
SELECT t.1, t.2, t.3, 'department', 0, 1
FROM (SELECT arrayJoin([
    ('D01', '省发展和改革委员会', 'Provincial Development and Reform Commission'),
    ('D02', '省财政厅', 'Provincial Department of Finance'),
    ('D03', '省生态环境厅', 'Provincial Department of Ecology and Environment'),
    ('D04', '省自然资源厅', 'Provincial Department of Natural Resources'),
    ('D05', '省农业农村厅', 'Provincial Department of Agriculture and Rural Affairs'),
    ('D06', '省商务厅', 'Provincial Department of Commerce'),
    ('D07', '省乡村振兴局', 'Provincial Rural Revitalization Bureau'),
    ('D08', '省市场监督管理局', 'Provincial Administration for Market Regulation')
]) AS t);

-- Other names a unit goes by in free text (the ledger's 责任单位, a file's 单位名称): the
-- ones the units view cannot derive from a unit's own name. removed lets an alias go with
-- an ordinary insert.
CREATE TABLE IF NOT EXISTS unit_aliases
(
    alias     String COMMENT 'as written, spaces removed',
    unit_code String,
    removed   UInt8,
    version   UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY alias
COMMENT 'Other names of reporting units, for free text such as the ledger''s responsible unit';

-- Every reporting unit: the counted counties and the cities of the regions, and the
-- departments. Only the home province's cities and counties are loaded as regions.
CREATE VIEW IF NOT EXISTS units AS
SELECT code, name_zh, short_zh, name_en, toString(level) AS kind, parent_code, 0 AS retired
FROM regions FINAL
WHERE level = 'city' OR (level = 'county' AND counted = 1)
UNION ALL
SELECT code, name_zh, name_zh AS short_zh, name_en, toString(kind) AS kind, '' AS parent_code, retired
FROM reporting_units FINAL;

-- Every name that stands for a unit (a name may appear twice; readers group by it): its code, its names, the names of its government
-- (兰州市人民政府, 城关区政府, the way the ledger writes 责任单位), a department's name with
-- the province's in front (甘肃省财政厅), and the aliases.
CREATE VIEW IF NOT EXISTS unit_names AS
SELECT name, unit_code FROM
(
    SELECT arrayJoin([code, name_zh, short_zh,
               concat(name_zh, '人民政府'), concat(short_zh, '人民政府'), concat(name_zh, '政府'), concat(short_zh, '政府')]) AS name,
           code AS unit_code
    FROM units
    WHERE kind != 'department'
    UNION ALL
    SELECT arrayJoin([code, name_zh]) AS name, code AS unit_code
    FROM units
    WHERE kind = 'department'
    UNION ALL
    SELECT concat((SELECT any(name_zh) FROM regions FINAL WHERE code IN (SELECT parent_code FROM regions FINAL WHERE level = 'city')),
                  substringUTF8(name_zh, 2, 100)) AS name, code AS unit_code
    FROM units
    WHERE kind = 'department' AND startsWith(name_zh, '省')
    UNION ALL
    SELECT alias AS name, unit_code
    FROM unit_aliases FINAL
    WHERE removed = 0
);

-- The unit of each ledger item: its 责任单位 read through unit_names (spaces removed), or
-- '' when no name matches (an admin adds an alias). USING, not ON with table aliases:
-- servers before 19 resolve no aliased columns in a view's join.
CREATE VIEW IF NOT EXISTS ecology_item_units AS
SELECT item_id, responsible_unit, unit_code
FROM (SELECT item_id, responsible_unit, replaceAll(responsible_unit, ' ', '') AS name FROM ecology_items_current) AS i
ANY LEFT JOIN (SELECT name, any(unit_code) AS unit_code FROM unit_names GROUP BY name) AS n USING name;

-- The unit a reporter account is bound to ('' for the province's accounts), and how to
-- reach its holder (bulk imports of units' staff carry it).
ALTER TABLE accounts ADD COLUMN IF NOT EXISTS unit String DEFAULT '' COMMENT 'reporting unit code of a reporter; empty: the province' AFTER role;
ALTER TABLE accounts ADD COLUMN IF NOT EXISTS contact String DEFAULT '' COMMENT 'phone or mail of the person, for the province to reach them' AFTER unit;
