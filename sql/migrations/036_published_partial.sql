-- Whether a unit left without a place in a published ranking (rank 0) had reported on too
-- few items to be ranked (scorecard.Covered), or had not reported: the published list
-- printed both as "—" with a score, 0.0 for a unit that sent nothing. Rankings published
-- before it know only the second (there was no coverage rule).
ALTER TABLE campaign_published ADD COLUMN IF NOT EXISTS partial UInt8 DEFAULT 0 AFTER rank;
