package warehouse_test

import (
	"context"
	"errors"
	"testing"

	"jinwei/etl/etltest"
	"jinwei/warehouse"
)

// The reporting units are the demo's 14 cities, 86 counted counties and 8 departments, and
// free text names them the ways files and the ledger write them.
func TestReportingUnitsAndTheirNames(t *testing.T) {
	t.Parallel()
	w := etltest.SharedDemo(t)
	ctx := context.Background()
	units, err := w.Units(ctx)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	for _, u := range units {
		kinds[u.Kind]++
		if u.Kind == warehouse.UnitCounty && u.Parent == "" {
			t.Errorf("county %s has no city", u.Code)
		}
	}
	if kinds[warehouse.UnitCity] != 14 || kinds[warehouse.UnitCounty] != 86 || kinds[warehouse.UnitDepartment] != 8 || len(units) != 108 {
		t.Fatalf("units by kind %v (%d in all), want 14 cities, 86 counties, 8 departments", kinds, len(units))
	}
	if units[0].Kind != warehouse.UnitCity || units[len(units)-1].Kind != warehouse.UnitDepartment {
		t.Errorf("units not listed cities first, departments last: %v … %v", units[0], units[len(units)-1])
	}
	for text, want := range map[string]string{
		"620100": "620100", "兰州市": "620100", "兰州": "620100", "兰州市人民政府": "620100", "兰州政府": "620100", "城关区人民政府": "620102",
		"城关区 人民政府": "620102", "D03": "D03", "省生态环境厅": "D03", "甘肃省生态环境厅": "D03",
	} {
		got, err := w.UnitByName(ctx, text)
		if err != nil || got != want {
			t.Errorf("UnitByName(%q) = %q, %v; want %s", text, got, err, want)
		}
	}
	if got, err := w.UnitByName(ctx, "不存在的单位"); !errors.Is(err, warehouse.ErrNoUnit) {
		t.Errorf("an unknown name read as %q, %v", got, err)
	}
	if _, err := w.Unit(ctx, "620000"); !errors.Is(err, warehouse.ErrNoUnit) {
		t.Errorf("the province itself is a reporting unit: %v", err)
	}

	// Every demo ledger item's 责任单位 (a county's government) maps to a unit; a unit's scope
	// sees its own items only, and the empty scope none.
	all, err := w.ItemUnits(ctx, warehouse.ProvinceScope())
	if err != nil || len(all) != 300 {
		t.Fatalf("%d ledger items mapped (%v), want 300", len(all), err)
	}
	mine := map[string]int{}
	for _, it := range all {
		if it.Unit == "" {
			t.Errorf("item %s: 责任单位 %q maps to no unit", it.ItemID, it.ResponsibleUnit)
		}
		mine[it.Unit]++
	}
	unit := all[0].Unit
	own, err := w.ItemUnits(ctx, warehouse.UnitScope(unit))
	if err != nil || len(own) != mine[unit] || len(own) == 0 {
		t.Fatalf("unit %s sees %d items (%v), want its %d", unit, len(own), err, mine[unit])
	}
	for _, it := range own {
		if it.Unit != unit {
			t.Errorf("unit %s sees item %s of unit %s", unit, it.ItemID, it.Unit)
		}
	}
	if none, err := w.ItemUnits(ctx, warehouse.RowScope{}); err != nil || len(none) != 0 {
		t.Errorf("the zero scope sees %d items (%v)", len(none), err)
	}
}

// An alias added by an admin names its unit at once: the ledger's odd spellings get mapped
// without a new load.
func TestUnitAliasIsReadAtOnce(t *testing.T) {
	t.Parallel()
	w := etltest.Demo(t)
	ctx := context.Background()
	if err := w.PutUnitAlias(ctx, "甘肃省兰州市政府办", "620100", false); err != nil {
		t.Fatal(err)
	}
	if got, err := w.UnitByName(ctx, "甘肃省兰州市政府办"); err != nil || got != "620100" {
		t.Fatalf("alias read as %q, %v", got, err)
	}
	if err := w.PutUnitAlias(ctx, "甘肃省兰州市政府办", "620100", true); err != nil {
		t.Fatal(err)
	}
	if got, err := w.UnitByName(ctx, "甘肃省兰州市政府办"); !errors.Is(err, warehouse.ErrNoUnit) {
		t.Errorf("a removed alias still reads as %q, %v", got, err)
	}
	if err := w.PutUnitAlias(ctx, "某单位", "999999", false); !errors.Is(err, warehouse.ErrNoUnit) {
		t.Errorf("an alias of no unit: %v", err)
	}
}
