-- Every alias with the region it names.
SELECT alias, region_code FROM region_aliases FINAL ORDER BY alias
