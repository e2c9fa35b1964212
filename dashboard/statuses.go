package dashboard

import (
	"fmt"
	"slices"
	"strings"

	"jinwei/warehouse"
)

// One status vocabulary for every operator page: a run's status, an audit entry's outcome
// and a ledger item's status are all labels of the status_ family (locale/*.toml), so no
// page shows "committed" to a reader of Chinese. Jobs are named the same way (job_…).

// runStatuses are the statuses a run can have, in the loads filter's order.
var runStatuses = []string{warehouse.RunCommitted, warehouse.RunFailed, warehouse.RunRunning, warehouse.RunUnchanged, warehouse.RunAbandoned}

// auditOutcomes are an audit entry's outcomes (audit_log.outcome); "failed" is a run's too.
var auditOutcomes = []string{"ok", "refused", "limited"}

// statusLabel is a status in lang, or the status itself when the vocabulary lacks it
// (TestLabelsComplete lists the vocabulary).
func statusLabel(lang, s string) string {
	if s == "" {
		return "—"
	}
	return t(lang, "status_"+s)
}

// jobLabel is a job's name in lang ("经济数据" for economy); a job outside the vocabulary
// (a run recorded by an older or newer jinwei) shows as its code. Pages keep the code in a
// title attribute, where an operator matching a page to a log or a config still finds it.
func jobLabel(lang, job string) string {
	if !slices.Contains(warehouse.Jobs, job) {
		return job
	}
	return t(lang, "job_"+job)
}

// startedByLabel says who or what started a load in lang: "上传（alice）".
func startedByLabel(lang, by string) string {
	if by == "" {
		return "—"
	}
	kind, user, _ := strings.Cut(by, ":")
	if user == "" {
		return t(lang, "started_"+kind)
	}
	return fmt.Sprintf(t(lang, "started_by_user"), t(lang, "started_"+kind), user)
}

// rejectKindLabel names in lang the kind of fault a reject's reason code says (无法识别的代码或名称),
// "" for a code of no kind: the reason beside it says what is wrong.
func rejectKindLabel(lang, code string) string {
	if k := warehouse.RejectKindOf(code); k != "" {
		return t(lang, "reject_kind_"+k)
	}
	return ""
}

// roleLabel is a role's name in lang: 只读领导 for viewer; the operator's pickers listed
// the codes.
func roleLabel(lang, role string) string { return t(lang, "role_"+role) }

// layoutLabel names how inspect saw a sheet's table laid out, in lang ("宽表：各年份横排" for
// period_across); a layout outside the vocabulary shows as its code.
func layoutLabel(lang, layout string) string {
	if !slices.Contains(warehouse.Layouts, layout) {
		return layout
	}
	return t(lang, "layout_"+layout)
}

// inspectNoteLabel says what inspect noted of a file in lang, with the text it is about.
func inspectNoteLabel(lang string, n StagedNote) string {
	if !slices.Contains(warehouse.NoteKinds, n.Kind) {
		return n.Kind + " " + n.Text
	}
	return labelWith(t(lang, "inspect_note_"+n.Kind), n.Text)
}

// readingLabel says how an upload is read in lang; read with a configured mapping, it says
// which glob of it the file's name matched and which file configures it (the mapping's
// name alone, campaign_monthly, told an operator nothing).
func readingLabel(lang, reading, mapping, match string) string {
	switch {
	case !slices.Contains(warehouse.Readings, reading):
		return reading
	case reading == warehouse.ReadConfigured:
		return fmt.Sprintf(t(lang, "reading_configured"), match, mapping)
	}
	return t(lang, "reading_"+reading)
}

// labelWith is label with text in place of its %s, when it has one.
func labelWith(label, text string) string {
	if !strings.Contains(label, "%s") {
		return label
	}
	return fmt.Sprintf(label, text)
}

// auditActionLabel names what an audit entry records in lang (管理操作 for admin); an
// action outside the vocabulary (an older entry's) shows as its code.
func auditActionLabel(lang, action string) string {
	if !slices.Contains(warehouse.AuditActions, action) {
		return action
	}
	return t(lang, "audit_action_"+action)
}

// locationLabel says where in a file a reject is, in lang: “地区”列 for "column 地区"; a
// sheet's cell (2-12!B7) is the same in every language.
func locationLabel(lang, loc string) string {
	l := warehouse.LocationText(loc)
	return inLang(lang, l.Zh, l.En)
}

func init() {
	templateFuncs["location"] = locationLabel
	templateFuncs["auditAction"] = auditActionLabel
	templateFuncs["layout"] = layoutLabel
	templateFuncs["inspectNote"] = inspectNoteLabel
	templateFuncs["reading"] = readingLabel
	templateFuncs["role"] = roleLabel
	templateFuncs["rejectKind"] = rejectKindLabel
	templateFuncs["status"] = statusLabel
	templateFuncs["startedBy"] = startedByLabel
	templateFuncs["job"] = jobLabel
}
