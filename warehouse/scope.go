package warehouse

// RowScope is whose rows a query may return: the whole province's, or one reporting
// unit's. Queries over per-unit rows (reports, scores, ledger items, attachments) take one
// and bind it as the parameters scope_all and scope_unit, so the filter is in the SQL,
// not in whichever handler remembered to apply it. The zero RowScope sees no unit's rows.
type RowScope struct {
	all  bool
	unit string
}

// ProvinceScope sees every unit: the province's staff (viewers, analysts, verifiers,
// admins) and the ETL.
func ProvinceScope() RowScope { return RowScope{all: true} }

// UnitScope sees one unit's rows only: a reporter's. An empty code sees nothing.
func UnitScope(code string) RowScope { return RowScope{unit: code} }

// All says whether the scope sees every unit.
func (s RowScope) All() bool { return s.all }

// Unit is the one unit the scope is bound to; empty for the province.
func (s RowScope) Unit() string { return s.unit }

// Sees says whether rows of unit are within the scope.
func (s RowScope) Sees(unit string) bool { return s.all || (s.unit != "" && unit == s.unit) }

// String names the scope for logs and cache keys.
func (s RowScope) String() string {
	switch {
	case s.all:
		return "province"
	case s.unit != "":
		return "unit:" + s.unit
	}
	return "none"
}

// params adds the scope's parameters to p (a new Params when p is nil). SQL filters with
// ({scope_all:UInt8} = 1 OR unit_code = {scope_unit:String}); an empty scope_unit matches
// no row, since every unit has a code.
func (s RowScope) params(p Params) Params {
	if p == nil {
		p = Params{}
	}
	p["scope_all"] = boolParam(s.all)
	unit := s.unit
	if !s.all && unit == "" {
		// No unit has this code: a scope that sees nothing matches nothing.
		unit = "(none)"
	}
	p["scope_unit"] = unit
	return p
}
