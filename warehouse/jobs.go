package warehouse

// The jobs that load facts, as etl_runs.job spells them: the ETL's jobs of these names,
// the reports units send on the dashboard (campaign runs of their own), and the branches
// of run_changes.sql, which TestOneVocabularyMatchesTheSchema holds to this list.
const (
	JobEconomy  = "economy"
	JobEcology  = "ecology"
	JobCampaign = "campaign"
)

// The jobs that load the dimensions (the ETL's reference jobs): regions, their aliases,
// indicators, peer groups, campaign metrics, the scorecard's items and targets.
const (
	JobRegions         = "regions"
	JobRegionAliases   = "region_aliases"
	JobIndicators      = "indicators"
	JobPeerGroups      = "peer_groups"
	JobCampaignMetrics = "campaign_metric_defs"
	// JobCampaignScoreItems loads the scorecard's items (data/campaign_scoring.csv).
	JobCampaignScoreItems = "campaign_score_items"
	JobTargets            = "targets"
)

// FactJobs are the jobs whose runs change values a page shows.
var FactJobs = []string{JobEconomy, JobEcology, JobCampaign}

// Jobs are every job a run can belong to, dimensions first (in the order they depend on
// each other): the ETL's job names and the pages' job labels (job_… in the locale files)
// both come from this list.
var Jobs = []string{JobRegions, JobRegionAliases, JobIndicators, JobPeerGroups, JobCampaignMetrics, JobCampaignScoreItems, JobTargets, JobEconomy, JobEcology, JobCampaign}

// RunStatuses are a run's statuses in the order of etl_runs.status's enum.
var RunStatuses = []string{RunRunning, RunCommitted, RunFailed, RunUnchanged, RunAbandoned}
