-- Peer groups with their member codes.
SELECT
    g.code AS code, g.name_zh AS name_zh, g.name_en AS name_en, g.builtin AS builtin,
    arraySort(groupArrayIf(m.region_code, m.region_code != '')) AS members
FROM (SELECT * FROM peer_groups FINAL) AS g
LEFT JOIN (SELECT group_code, region_code FROM peer_group_members FINAL WHERE removed = 0) AS m
    ON m.group_code = g.code
GROUP BY g.code, g.name_zh, g.name_en, g.builtin
ORDER BY g.builtin DESC, g.code
