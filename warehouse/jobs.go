package warehouse

// The jobs that load facts, as etl_runs.job spells them: the ETL's jobs of these names,
// the reports units send on the dashboard (campaign runs of their own), and the branches
// of run_changes.sql, which TestOneVocabularyMatchesTheSchema holds to this list.
const (
	JobEconomy  = "economy"
	JobEcology  = "ecology"
	JobCampaign = "campaign"
)

// FactJobs are the jobs whose runs change values a page shows.
var FactJobs = []string{JobEconomy, JobEcology, JobCampaign}

// RunStatuses are a run's statuses in the order of etl_runs.status's enum.
var RunStatuses = []string{RunRunning, RunCommitted, RunFailed, RunUnchanged, RunAbandoned}
