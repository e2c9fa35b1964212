package etl

import (
	"strings"

	"jinwei/warehouse"
	"jinwei/warehouse/reasons"
)

// Reason codes group a run's rejects on the operator's rejects page ("unknown_region ×31")
// and are kept beside the reason's text in etl_rejects.reason_code. One vocabulary: a
// kind of fault, then the field at fault (the family's field name, a reference table's
// column, or "row" for the whole row):
//
//	row_shape              the row has more or fewer cells than the header
//	duplicate              the row repeats an earlier one (in the file, or after insert)
//	unknown_FIELD          a region, indicator, metric … the warehouse does not know
//	missing_FIELD          the field is empty where it is required
//	future_FIELD           a period or date after today
//	conflict_FIELD         the row would undo what was decided on the dashboard (a
//	                       verifier's closure of a ledger item): an admin decides
//	bad_FIELD              any other fault of the field's value
//
// The kinds are warehouse.RejectKinds, which the pages name. The codes are derived from
// the reason's text at the one place rejects are made
// (runState.reject), so every check that writes a reason gets a code without carrying one.
const (
	ReasonRowShape  = warehouse.RejectRowShape
	ReasonDuplicate = warehouse.RejectDuplicate
)

// reasonCode classifies a reject's reason about field ("" for the whole row).
func reasonCode(field, why string) string {
	field = strings.TrimSuffix(field, "_code") // region_code and region are one field to a reader
	if field == "" {
		field = "row"
	}
	w := strings.ToLower(why)
	switch {
	case strings.HasPrefix(w, "duplicate"):
		return ReasonDuplicate
	case strings.Contains(w, "fields, the header has"):
		return ReasonRowShape
	case strings.HasPrefix(w, "unknown"):
		return warehouse.RejectUnknown + "_" + field
	case strings.HasPrefix(w, "no "):
		return warehouse.RejectMissing + "_" + field
	case strings.Contains(w, "in the future"):
		return warehouse.RejectFuture + "_" + field
	case strings.HasPrefix(w, "conflict"):
		return warehouse.RejectConflict + "_" + field
	}
	return warehouse.RejectBad + "_" + field
}

// rowShape is the reason of a row whose cells do not line up with the header.
func rowShape(cells, header int) reasons.Text {
	return reasons.New("row has %d fields, the header has %d", "该行有 %d 个字段，表头有 %d 个", cells, header).Text
}
