-- Publishes (or publishes again) one scope's ranking of a month: a row per unit, rank 0
-- for a unit not ranked, partial 1 when that is for its scoring on too few items
-- (scorecard.Covered), 0 when it did not report.
INSERT INTO campaign_published (scope, month, unit_code, unit_name, score, rank, partial, published_at, published_by, version)
SELECT {scope:String}, toDate({month:String}), t.1, t.2, t.3, t.4, t.5, now64(3, 'UTC'), {by:String}, {version:UInt64}
FROM (SELECT arrayJoin(arrayZip({codes:Array(String)}, {names:Array(String)}, {scores:Array(Float64)}, {ranks:Array(UInt16)}, {partials:Array(UInt8)})) AS t)
