package guard

import (
	"slices"

	"jinwei/warehouse/ch"
)

// analystTables are the tables and views ad hoc SQL may read: the statistics, ledgers,
// campaign figures, their dimensions, the load log that says where a number came from, and
// the record of units' reporting (who reported what when, who closed which ledger item,
// which evidence came with it). It is a list of what is allowed, not of what is refused, so a
// table added later is closed to analysts until someone adds it here on purpose. Closed on
// purpose (TestAnalystsReadReportingNotSecrets keeps the two lists): accounts, sessions and
// tokens (password and token hashes); audit_log (every user's statements) and saved_queries
// (other users' queries), which the console and the admin API show to those who may see them;
// report_drafts (a unit's unsubmitted work is not data yet); ecology_attachments,
// load_originals and briefs (file bytes: attachments are served to those who may see their
// item, originals to admins, briefings on /briefs; ecology_attachment_files lists the
// attachments without their bytes); alerts, subscriptions and data_version (the server's own
// bookkeeping, with people's addresses).
var analystTables = []string{
	"regions", "region_aliases", "indicators", "peer_groups", "peer_group_members",
	"indicator_values", "indicator_values_current", "indicator_coverage", "targets",
	"ecology_items", "ecology_items_current", "ecology_status_events", "ecology_events_committed", "ecology_events_visible",
	"ecology_item_units", "ecology_attachment_files",
	"campaign_metric_defs", "campaign_metrics", "campaign_score_items", "campaign_published",
	"reporting_units", "unit_aliases", "units", "unit_names", "report_events",
	"etl_runs", "etl_rejects", "committed_runs", "schema_migrations",
}

// tableAccess is what policy needs to judge a table name: the allowlist and the database's
// tables. A name that is neither is left to the engine: a WITH name (the parse tree does not
// print those) or a typo the engine reports. Only the database's tables can be read, so a
// name that is one of them and is not allowed is refused, also where a WITH name of the same
// spelling might stand for it.
type tableAccess struct {
	allowed  func(string) bool
	existing map[string]bool
}

// tableNames reads the database's tables for the guard (the query guard_tables).
func tableNames(run ch.RunFunc) (map[string]bool, error) {
	text, err := ch.Named("guard_tables")
	if err != nil {
		return nil, err
	}
	res, err := run(text, nil)
	if err != nil {
		return nil, err
	}
	set := make(map[string]bool, len(res.Rows))
	for _, r := range res.Rows {
		if s, ok := r[0].(string); ok {
			set[s] = true
		}
	}
	return set, nil
}

// check refuses a table the analysts may not read. name is a bare table name.
func (a tableAccess) check(name string) error {
	if a.allowed(name) || !a.existing[name] {
		return nil
	}
	return refuse(refusedTableNotOpen, "table %s is not open to ad hoc SQL: analysts read the warehouse's data tables (the schema browser lists them), not its own bookkeeping or users' data", name)
}

// AnalystTables lists the tables and views ad hoc SQL may read unless a site allows more.
func AnalystTables() []string { return slices.Clone(analystTables) }

// AnalystTable says whether table (a bare name) is one ad hoc SQL may read unless a site
// allows more.
func AnalystTable(table string) bool { return slices.Contains(analystTables, table) }
