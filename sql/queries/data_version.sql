-- The data version: how many writes have changed data, counted from the table's parts.
SELECT count() AS version FROM data_version
