package warehouse

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Kinds of reporting unit.
const (
	UnitCity       = "city"
	UnitCounty     = "county"
	UnitDepartment = "department"
)

// Unit is one reporting unit (填报单位): a city or county of the home province, or a
// provincial department (migration 017).
type Unit struct {
	Code   string
	NameZh string
	NameEn string
	Kind   string
	// Parent is a county's city; empty for cities and departments.
	Parent  string
	Retired bool
}

// ErrNoUnit is a unit code or name that names no reporting unit.
var ErrNoUnit = errors.New("no such reporting unit")

// Units lists every reporting unit: cities, counties, then departments.
func (w *Warehouse) Units(ctx context.Context) ([]Unit, error) {
	res, err := w.named(ctx, "units", nil)
	if err != nil {
		return nil, err
	}
	out := []Unit{}
	err = res.each(func(rr *rowReader) {
		out = append(out, Unit{Code: rr.str("code"), NameZh: rr.str("name_zh"), NameEn: rr.str("name_en"), Kind: rr.str("kind"),
			Parent: rr.str("parent_code"), Retired: rr.int("retired") != 0})
	})
	return out, err
}

// Unit returns the reporting unit of a code.
func (w *Warehouse) Unit(ctx context.Context, code string) (Unit, error) {
	units, err := w.Units(ctx)
	if err != nil {
		return Unit{}, err
	}
	for _, u := range units {
		if u.Code == code {
			return u, nil
		}
	}
	return Unit{}, fmt.Errorf("%q: %w", code, ErrNoUnit)
}

// UnitByName reads free text (a ledger's 责任单位, a file's 单位名称, a code) as a unit code,
// through the units' own names, their governments' names and the aliases.
func (w *Warehouse) UnitByName(ctx context.Context, name string) (string, error) {
	res, err := w.named(ctx, "unit_by_name", Params{"name": strings.TrimSpace(name)})
	if err != nil {
		return "", err
	}
	code := ""
	err = res.each(func(rr *rowReader) { code = rr.str("unit_code") })
	if err == nil && code == "" {
		err = fmt.Errorf("%q: %w", name, ErrNoUnit)
	}
	return code, err
}

// PutUnitAlias makes alias another name of a unit (removed: no longer).
func (w *Warehouse) PutUnitAlias(ctx context.Context, alias, unit string, removed bool) error {
	if strings.TrimSpace(alias) == "" {
		return errors.New("an alias needs a name")
	}
	if _, err := w.Unit(ctx, unit); err != nil {
		return err
	}
	text, err := namedQuery("unit_alias_put")
	if err != nil {
		return err
	}
	p := Params{"alias": alias, "unit_code": unit, "removed": boolParam(removed), "version": strconv.FormatInt(time.Now().UnixNano(), 10)}
	if err := w.exec(ctx, text, p); err != nil {
		return fmt.Errorf("write alias %s of %s: %w", alias, unit, err)
	}
	return nil
}

// ItemUnit is the reporting unit a ledger item's 责任单位 names; Unit is empty when no
// unit or alias matches.
type ItemUnit struct {
	ItemID          string
	ResponsibleUnit string
	Unit            string
}

// ItemUnits maps the ledger's items to reporting units, the ones scope sees.
func (w *Warehouse) ItemUnits(ctx context.Context, scope RowScope) ([]ItemUnit, error) {
	res, err := w.named(ctx, "ecology_item_units", scope.params(nil))
	if err != nil {
		return nil, err
	}
	out := []ItemUnit{}
	err = res.each(func(rr *rowReader) {
		out = append(out, ItemUnit{ItemID: rr.str("item_id"), ResponsibleUnit: rr.str("responsible_unit"), Unit: rr.str("unit_code")})
	})
	return out, err
}
