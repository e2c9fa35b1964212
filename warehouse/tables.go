package warehouse

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// Table is a table the ETL writes Arrow records into: its name and the schema of the
// records, kept here beside the tables' own queries so that a column is named once in Go.
// TestTablesMatchTheMigratedSchema compares every schema of Tables with the table the
// migrations create, so a renamed or retyped column fails that test, not a load.
type Table struct {
	Name   string
	Schema *arrow.Schema
}

// TableOf is a Table with its columns as typed handles: a writer appends through
// Columns, never by a column's name or position, so a column renamed or retyped here fails
// to compile in the writer, and one moved needs no change there.
type TableOf[C any] struct {
	Table
	Columns C
}

// CodeType is for text columns with few distinct values in a load (codes, units, the run
// id): as a dictionary each value is sent once per record, not once per row, and the engine
// converts it once (measured: a million indicator values insert in 0.29 s instead of 0.49 s).
var CodeType = &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String}

// LoadedAtType is the type of a load's time stamps (loaded_at, created_at).
var LoadedAtType = &arrow.TimestampType{Unit: arrow.Millisecond, TimeZone: "UTC"}

// Field is one column of a table's records, typed by the Arrow builder that fills it.
type Field[B array.Builder] struct{ index int }

// In is the column's builder in a record builder of the column's table.
func (c Field[B]) In(b *array.RecordBuilder) B { return b.Field(c.index).(B) }

// CodeColumn is a column of CodeType. A writer keeps the column's dictionary itself and
// fills the column with each value's number in it, at Index of its records.
type CodeColumn struct{ index int }

// Index is the column's position in its table's records.
func (c CodeColumn) Index() int { return c.index }

// columns gathers a table's fields in the order its handles are made.
type columns struct{ fields []arrow.Field }

// column adds a column whose builder is a B; a B that does not build typ panics when the
// package loads, so a mismatch fails every test rather than a load.
func column[B array.Builder](cs *columns, name string, typ arrow.DataType) Field[B] {
	b := array.NewBuilder(memory.DefaultAllocator, typ)
	defer b.Release()
	if _, ok := b.(B); !ok {
		panic(fmt.Sprintf("warehouse: column %s of type %s is built by %T", name, typ, b))
	}
	cs.fields = append(cs.fields, arrow.Field{Name: name, Type: typ})
	return Field[B]{index: len(cs.fields) - 1}
}

func code(cs *columns, name string) CodeColumn {
	cs.fields = append(cs.fields, arrow.Field{Name: name, Type: CodeType})
	return CodeColumn{index: len(cs.fields) - 1}
}

type (
	text      = Field[*array.StringBuilder]
	u8        = Field[*array.Uint8Builder]
	u16       = Field[*array.Uint16Builder]
	u32       = Field[*array.Uint32Builder]
	u64       = Field[*array.Uint64Builder]
	f32       = Field[*array.Float32Builder]
	f64       = Field[*array.Float64Builder]
	date      = Field[*array.Date32Builder]
	timestamp = Field[*array.TimestampBuilder]
)

func str(cs *columns, name string) text {
	return column[*array.StringBuilder](cs, name, arrow.BinaryTypes.String)
}
func uint8Col(cs *columns, name string) u8 {
	return column[*array.Uint8Builder](cs, name, arrow.PrimitiveTypes.Uint8)
}
func uint16Col(cs *columns, name string) u16 {
	return column[*array.Uint16Builder](cs, name, arrow.PrimitiveTypes.Uint16)
}
func uint32Col(cs *columns, name string) u32 {
	return column[*array.Uint32Builder](cs, name, arrow.PrimitiveTypes.Uint32)
}
func dateCol(cs *columns, name string) date {
	return column[*array.Date32Builder](cs, name, arrow.FixedWidthTypes.Date32)
}
func uint64Col(cs *columns, name string) u64 {
	return column[*array.Uint64Builder](cs, name, arrow.PrimitiveTypes.Uint64)
}
func float32Col(cs *columns, name string) f32 {
	return column[*array.Float32Builder](cs, name, arrow.PrimitiveTypes.Float32)
}
func float64Col(cs *columns, name string) f64 {
	return column[*array.Float64Builder](cs, name, arrow.PrimitiveTypes.Float64)
}
func loadedAtCol(cs *columns, name string) timestamp {
	return column[*array.TimestampBuilder](cs, name, LoadedAtType)
}

// table makes a table from a function that makes its column handles, in the records' order
// (a composite literal's calls run left to right).
func table[C any](name string, cols func(*columns) C) TableOf[C] {
	var cs columns
	c := cols(&cs)
	return TableOf[C]{Table: Table{Name: name, Schema: arrow.NewSchema(cs.fields, nil)}, Columns: c}
}

// Provenance are the columns every fact row carries: the run that loaded it, where in its
// file it stood, and when it was loaded.
type Provenance struct {
	RunID       CodeColumn
	SourceLine  u32
	SourceSheet CodeColumn
	SourceCol   u16
	LoadedAt    timestamp
}

func provenance(cs *columns) Provenance {
	return Provenance{RunID: code(cs, "run_id"), SourceLine: uint32Col(cs, "source_line"),
		SourceSheet: code(cs, "source_sheet"), SourceCol: uint16Col(cs, "source_col"), LoadedAt: loadedAtCol(cs, "loaded_at")}
}

// IndicatorValueColumns are indicator_values' columns.
type IndicatorValueColumns struct {
	IndicatorCode, RegionCode, PeriodKind CodeColumn
	Year                                  u16
	PeriodNo                              u8
	Value                                 f64
	SourceUnit                            CodeColumn
	Provenance
}

// IndicatorCoverageColumns are indicator_coverage's columns.
type IndicatorCoverageColumns struct {
	IndicatorCode, PeriodKind text
	Year                      u16
	Province                  u8
	RunID                     text
}

// EcologyItemColumns are ecology_items' columns.
type EcologyItemColumns struct {
	ItemID, Source, RegionCode, Category, Title, Description, ResponsibleUnit text
	FoundDate, Deadline                                                       date
	Generated                                                                 u8
	Provenance
}

// EcologyStatusEventColumns are ecology_status_events' columns.
type EcologyStatusEventColumns struct {
	ItemID, Status text
	ProgressPct    f32
	EventDate      date
	Note           text
	Provenance
}

// CampaignMetricColumns are campaign_metrics' columns.
type CampaignMetricColumns struct {
	UnitKind, UnitCode, UnitName text
	Month                        date
	MetricCode                   text
	ProblemCategory              u8
	Value                        f64
	Generated                    u8
	Provenance
}

// PeerGroupMemberColumns are peer_group_members' columns.
type PeerGroupMemberColumns struct {
	GroupCode, RegionCode text
	Removed               u8
	Version               u64
}

// ETLRejectColumns are etl_rejects' columns.
type ETLRejectColumns struct {
	RunID, FilePath                   text
	Line                              u32
	Location, Raw, Reason, ReasonCode text
	ReasonZh                          text
	CreatedAt                         timestamp
}

// The tables the ETL writes, with the columns of its records in their order.
var (
	IndicatorValues = table("indicator_values", func(cs *columns) IndicatorValueColumns {
		return IndicatorValueColumns{IndicatorCode: code(cs, "indicator_code"), RegionCode: code(cs, "region_code"),
			PeriodKind: code(cs, "period_kind"), Year: uint16Col(cs, "year"), PeriodNo: uint8Col(cs, "period_no"),
			Value: float64Col(cs, "value"), SourceUnit: code(cs, "source_unit"),
			Provenance: provenance(cs)}
	})
	IndicatorCoverage = table("indicator_coverage", func(cs *columns) IndicatorCoverageColumns {
		return IndicatorCoverageColumns{IndicatorCode: str(cs, "indicator_code"), PeriodKind: str(cs, "period_kind"),
			Year: uint16Col(cs, "year"), Province: uint8Col(cs, "province"), RunID: str(cs, "run_id")}
	})
	EcologyItems = table("ecology_items", func(cs *columns) EcologyItemColumns {
		return EcologyItemColumns{ItemID: str(cs, "item_id"), Source: str(cs, "source"), RegionCode: str(cs, "region_code"),
			Category: str(cs, "category"), Title: str(cs, "title"), Description: str(cs, "description"),
			ResponsibleUnit: str(cs, "responsible_unit"), FoundDate: dateCol(cs, "found_date"), Deadline: dateCol(cs, "deadline"),
			Generated: uint8Col(cs, "generated"), Provenance: provenance(cs)}
	})
	EcologyStatusEvents = table("ecology_status_events", func(cs *columns) EcologyStatusEventColumns {
		return EcologyStatusEventColumns{ItemID: str(cs, "item_id"), Status: str(cs, "status"),
			ProgressPct: float32Col(cs, "progress_pct"),
			EventDate:   dateCol(cs, "event_date"), Note: str(cs, "note"), Provenance: provenance(cs)}
	})
	CampaignMetrics = table("campaign_metrics", func(cs *columns) CampaignMetricColumns {
		return CampaignMetricColumns{UnitKind: str(cs, "unit_kind"), UnitCode: str(cs, "unit_code"), UnitName: str(cs, "unit_name"),
			Month: dateCol(cs, "month"), MetricCode: str(cs, "metric_code"), ProblemCategory: uint8Col(cs, "problem_category"),
			Value: float64Col(cs, "value"), Generated: uint8Col(cs, "generated"),
			Provenance: provenance(cs)}
	})
	PeerGroupMembers = table("peer_group_members", func(cs *columns) PeerGroupMemberColumns {
		return PeerGroupMemberColumns{GroupCode: str(cs, "group_code"), RegionCode: str(cs, "region_code"),
			Removed: uint8Col(cs, "removed"), Version: uint64Col(cs, "version")}
	})
	ETLRejects = table("etl_rejects", func(cs *columns) ETLRejectColumns {
		return ETLRejectColumns{RunID: str(cs, "run_id"), FilePath: str(cs, "file_path"), Line: uint32Col(cs, "line"),
			Location: str(cs, "location"), Raw: str(cs, "raw"), Reason: str(cs, "reason"), ReasonCode: str(cs, "reason_code"), ReasonZh: str(cs, "reason_zh"),
			CreatedAt: loadedAtCol(cs, "created_at")}
	})
)

// Tables lists every table of this file, for the test that holds them to the migrations.
func Tables() []Table {
	return []Table{IndicatorValues.Table, IndicatorCoverage.Table, EcologyItems.Table, EcologyStatusEvents.Table,
		CampaignMetrics.Table, PeerGroupMembers.Table, ETLRejects.Table}
}
