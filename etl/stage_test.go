package etl

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unsafe"

	"github.com/xuri/excelize/v2"

	"jinwei/warehouse"
	"jinwei/warehouse/reasons"
	"jinwei/warehouse/whtest"
)

// badRows is an economy file whose rows fail in the ways the reason codes name.
const badRows = "时期,地区,指标,数值,单位\n" +
	"2019,甘肃,gdp,1,亿元\n" + // 2 loaded
	"2019,火星,gdp,1,亿元\n" + // 3 unknown region
	"2019,月球,gdp,1,亿元\n" + // 4 unknown region
	"2019,陕西,gdp,一千,亿元\n" + // 5 not a number
	"2099,宁夏,gdp,1,亿元\n" + // 6 future
	"2019,青海,nonsense,1,亿元\n" + // 7 unknown indicator
	"2019,甘肃,gdp,2,亿元\n" + // 8 duplicate of 2
	"2019,四川,gdp,1e300,亿元\n" + // 9 past any statistic
	"2019,云南,gdp,1e-320,亿元\n" + // 10 nearer zero than any statistic, not zero
	"2019,贵州,gdp_per_capita,1e15,亿元\n" + // 11 a statistic as written, 1e23 in the indicator's 元
	"2019,宁夏,gdp,5e-9,元\n" // 12 and 5e-17 亿元

// Every reject carries a code of the one vocabulary beside its text, in the report and in
// the warehouse, and a run says it came from an upload.
func TestRejectsCarryReasonCodes(t *testing.T) {
	r, w := runnerFixture(t, []JobConfig{{Name: JobEconomy, Inbox: t.TempDir()}})
	r.l.MaxRejectShare = 1 // the file is mostly bad rows on purpose
	ctx := context.Background()
	rep, err := r.SaveUpload(ctx, JobEconomy, "bad.csv", strings.NewReader(badRows))
	if err != nil {
		t.Fatal(err)
	}
	want := map[int]string{3: "unknown_region", 4: "unknown_region", 5: "bad_value", 6: "future_period", 7: "unknown_indicator", 8: ReasonDuplicate, 9: "bad_value", 10: "bad_value", 11: "bad_value", 12: "bad_value"}
	got := map[int]string{}
	for _, rj := range rep.Rejects {
		got[rj.Line] = rj.Code
		// 1e300 and 1e-320 were loaded, and the preview printed each as hundreds of digits.
		// So were values past them only once converted to the indicator's unit.
		if why := map[int]string{9: "too large to be a statistic", 10: "too small to be a statistic",
			11: "1e15 亿元 is 1e+23 元 in the indicator's unit: too large", 12: "5e-9 元 is 5e-17 亿元 in the indicator's unit: too small"}[rj.Line]; why != "" && !strings.Contains(rj.Reason, why) {
			t.Errorf("line %d: %q; want it %s", rj.Line, rj.Reason, why)
		}
	}
	for line, code := range want {
		if got[line] != code {
			t.Errorf("line %d: code %q, want %q (all: %v)", line, got[line], code, got)
		}
	}
	if rep.Run.StartedBy != warehouse.StartedByUpload {
		t.Errorf("started by %q, want upload", rep.Run.StartedBy)
	}
	stored, _, err := w.RejectsPage(ctx, warehouse.RejectsQuery{RunID: rep.Run.ID, Code: "unknown_region", Limit: 10})
	if err != nil || len(stored) != 2 || stored[0].Line != 3 || stored[1].Line != 4 {
		t.Fatalf("stored unknown_region rejects %+v, %v; want lines 3 and 4", stored, err)
	}
	reasons, err := w.RejectReasons(ctx, rep.Run.ID)
	if err != nil || len(reasons) < 2 || reasons[0].Code != "bad_value" || reasons[0].Count != 5 || reasons[1].Code != "unknown_region" || reasons[1].Count != 2 {
		t.Fatalf("reasons %+v, %v; want bad_value ×5, then unknown_region ×2", reasons, err)
	}
	runs, _, err := w.Loads(ctx, warehouse.LoadsQuery{RunID: rep.Run.ID, Limit: 1})
	if err != nil || len(runs) != 1 || runs[0].StartedBy != warehouse.StartedByUpload {
		t.Fatalf("stored run %+v, %v; want started by upload", runs, err)
	}
}

func TestReasonCode(t *testing.T) {
	for _, tc := range []struct{ field, why, want string }{
		{"region_code", `unknown region code "999999"`, "unknown_region"},
		{"region", `unknown region "火星"`, "unknown_region"},
		{"", "row has 3 fields, the header has 5", ReasonRowShape},
		{"item_id", "duplicate: line 2 already reports item A", ReasonDuplicate},
		{"period", "no period", "missing_period"},
		{"status_date", "report date 2099-01-01 is in the future", "future_status_date"},
		{"value", `"x" is not a number`, "bad_value"},
		{"", "control character U+0007", "bad_row"},
	} {
		if got := reasonCode(tc.field, tc.why); got != tc.want {
			t.Errorf("reasonCode(%q, %q) = %q, want %q", tc.field, tc.why, got, tc.want)
		}
	}
}

// An upload from the page is inspected and dry-run without a write; only the operator's
// go loads it, marked with who gave it. The staged file never loads with the inbox.
func TestStagedUploadLoadsOnlyOnGo(t *testing.T) {
	inbox := t.TempDir()
	r, w := runnerFixture(t, []JobConfig{{Name: JobEconomy, Inbox: inbox}})
	r.l.MaxRejectShare = 1
	ctx := context.Background()
	st, err := r.StageUpload(ctx, JobEconomy, "../gdp.csv", strings.NewReader("year,region_code,indicator,value\n2025,620000,gdp,1\n2025,999999,gdp,2\n"))
	if err != nil {
		t.Fatal(err)
	}
	if st.Name != "gdp.csv" || st.DryRun == nil || st.DryRun.Run.RowsLoaded != 1 || st.DryRun.Run.RowsRejected != 1 || st.Inspection == nil {
		t.Fatalf("staged %+v; want a dry run of 1 loaded, 1 rejected, and an inspection", st)
	}
	if _, err := r.RunJob(ctx, JobEconomy); err != nil {
		t.Fatal(err)
	}
	// Previewed again (the page in the other language): the same, and still nothing written.
	again, err := r.PreviewStaged(ctx, JobEconomy, st.ID)
	if err != nil || again.Name != "gdp.csv" || again.DryRun == nil || again.DryRun.Run.RowsLoaded != 1 || again.DryRun.Run.RowsRejected != 1 || again.Inspection == nil {
		t.Fatalf("previewed again: %v %+v; want the same dry run", err, again)
	}
	if n := countValues(t, w, 2025); n != 0 {
		t.Fatalf("%d values before the go; a staged upload loaded", n)
	}
	rep, err := r.LoadStaged(warehouse.WithStartedBy(ctx, "upload:alice"), JobEconomy, st.ID)
	if err != nil || rep.Run.Status != warehouse.RunCommitted || rep.Run.StartedBy != "upload:alice" {
		t.Fatalf("load: %v %+v", err, rep)
	}
	if _, err := r.PreviewStaged(ctx, JobEconomy, st.ID); err == nil || !strings.Contains(err.Error(), "preview upload gdp.csv: it is no longer waiting") ||
		!strings.HasPrefix(reasons.Of(err).Zh, "预览上传 gdp.csv：它已不在等待载入") {
		t.Errorf("previewing a loaded upload: %v (%q); want it to say, in both languages, it no longer waits", err, reasons.Of(err).Zh)
	}
	for _, bad := range []string{"../../etc/passwd", "0123456789abcdef-../x", st.ID + "/x"} {
		if _, err := r.PreviewStaged(ctx, JobEconomy, bad); err == nil || !strings.Contains(err.Error(), "is not a staged upload") {
			t.Errorf("previewing %q: %v; want it refused", bad, err)
		}
	}
	if n := countValues(t, w, 2025); n != 1 {
		t.Errorf("%d values after the go, want 1", n)
	}
	if _, err := os.Stat(filepath.Join(inbox, "done", "gdp.csv")); err != nil {
		t.Errorf("loaded upload not kept in done/: %v", err)
	}
	for _, id := range []string{st.ID, "../../etc/passwd", "0123456789abcdef-../x"} {
		if _, err := r.LoadStaged(ctx, JobEconomy, id); err == nil {
			t.Errorf("LoadStaged(%q) succeeded; want refused (gone or not a staged name)", id)
		}
	}
}

// A scheduled run, a URL's file and a plain load each say what started them.
func TestRunsSayWhatStartedThem(t *testing.T) {
	inbox := t.TempDir()
	r, w := runnerFixture(t, []JobConfig{{Name: JobEconomy, Inbox: inbox, Schedule: "*/10 * * * *"}})
	if err := os.WriteFile(filepath.Join(inbox, "a.csv"), []byte("year,region_code,indicator,value\n2025,620000,gdp,1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	clock := newFakeClock(time.Date(2026, 11, 26, 9, 3, 0, 0, time.UTC))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- r.Schedule(ctx, clock) }()
	<-clock.waiting
	clock.advance(7 * time.Minute)
	<-clock.waiting
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "b.csv")
	if err := os.WriteFile(path, []byte("year,region_code,indicator,value\n2025,610000,gdp,1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := r.l.Load(context.Background(), JobEconomy, path, "620000", nil, nil); err != nil {
		t.Fatal(err)
	}
	runs, _, err := w.Loads(context.Background(), warehouse.LoadsQuery{Job: JobEconomy, Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	by := map[string]string{}
	for _, run := range runs {
		by[filepath.Base(run.FilePath)] = run.StartedBy
	}
	if by["a.csv"] != warehouse.StartedBySchedule || by["b.csv"] != warehouse.StartedByCLI {
		t.Errorf("started by %v; want a.csv by schedule, b.csv by cli", by)
	}
	sched := r.Schedules(time.Date(2026, 11, 26, 9, 3, 0, 0, time.UTC))
	if len(sched) != 1 || !sched[0].Next.Equal(time.Date(2026, 11, 26, 9, 10, 0, 0, time.UTC)) {
		t.Errorf("schedules %+v; want economy next at 09:10", sched)
	}
}

// An upload is read with the mapping of the name it was sent as: the preview of a monthly
// campaign report said it would be refused ("header … lacks metric, value": its staged
// name's random prefix matched no mapping's glob) and the same file then loaded. Loaded
// beside a file of its name still waiting in the inbox, it keeps a name its glob matches.
func TestStagedUploadIsReadWithItsNamesMapping(t *testing.T) {
	inbox := t.TempDir()
	r, _ := runnerFixture(t, []JobConfig{{Name: JobCampaign, Inbox: inbox}})
	ctx := context.Background()
	if _, err := r.l.LoadReference(ctx, JobCampaignMetrics, filepath.Join("..", "data", "campaign_metrics.csv"), "620000"); err != nil {
		t.Fatal(err)
	}
	mappings, err := LoadMappings("../data/sources")
	if err != nil {
		t.Fatal(err)
	}
	r.mappings = mappings
	r.l.MaxRejectShare = 1
	const name = "三抓三促月报_2023-03.csv"
	body, err := os.ReadFile(filepath.Join("..", "data", "generated", name))
	if err != nil {
		t.Fatal(err)
	}
	st, err := r.StageUpload(ctx, JobCampaign, name, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if st.DryRunError != "" || st.DryRun == nil || st.DryRun.Run.RowsLoaded == 0 || st.Reading != warehouse.ReadConfigured || st.Mapping != "campaign_monthly" || st.MappingMatch != "三抓三促月报*.csv" {
		t.Fatalf("the preview of %s: %.300q, read %q with %q (matching %q); want it read with its mapping, campaign_monthly, as its name matches 三抓三促月报*.csv",
			name, st.DryRunError, st.Reading, st.Mapping, st.MappingMatch)
	}
	if err := os.WriteFile(filepath.Join(inbox, name), body, 0o600); err != nil {
		t.Fatal(err)
	}
	rep, err := r.LoadStaged(ctx, JobCampaign, st.ID)
	if err != nil || rep.Run.RowsLoaded == 0 {
		t.Fatalf("loaded beside a waiting file of its name: %.300v", err)
	}
	if _, ok := FindMapping(mappings, JobCampaign, rep.Run.FilePath); !ok {
		t.Errorf("loaded as %s, which its mapping's glob does not match", rep.Run.FilePath)
	}
}

// A preview keeps its first MaxPreviewRejects rejected rows and counts them all (666,667
// rejects made an 80 MB page and a 1 GB server); an upload previewed and never loaded is
// removed a day later (each was kept for ever).
func TestPreviewsAreBounded(t *testing.T) {
	inbox := t.TempDir()
	r, _ := runnerFixture(t, []JobConfig{{Name: JobEconomy, Inbox: inbox}})
	r.l.MaxRejectShare = 1
	ctx := context.Background()
	var b strings.Builder
	b.WriteString("year,region_code,indicator,value\n2025,620000,gdp,1\n")
	for i := range MaxPreviewRejects + 500 {
		fmt.Fprintf(&b, "2025,9%05d,gdp,1\n", i)
	}
	stale := filepath.Join(inbox, stagedDir, "0123456789abcdef-old.csv")
	if err := os.MkdirAll(filepath.Dir(stale), 0o750); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(stale, []byte("year\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	yesterday := time.Now().Add(-25 * time.Hour)
	if err := os.Chtimes(stale, yesterday, yesterday); err != nil {
		t.Fatal(err)
	}
	st, err := r.StageUpload(ctx, JobEconomy, "gdp.csv", strings.NewReader(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	if got := st.DryRun.Run.RowsRejected; got != MaxPreviewRejects+500 || len(st.DryRun.Rejects) != MaxPreviewRejects {
		t.Errorf("the preview counts %d rejects and lists %d; want %d counted, %d listed", got, len(st.DryRun.Rejects), MaxPreviewRejects+500, MaxPreviewRejects)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("an upload staged 25 hours ago is still kept: %v", err)
	}
	rep, err := r.LoadStaged(ctx, JobEconomy, st.ID)
	if err != nil {
		t.Fatal(err)
	}
	var kept []warehouse.Reject
	err = r.l.wh.EachRejectsPage(ctx, warehouse.RejectsQuery{RunID: rep.Run.ID, Limit: 1000}, func(page []warehouse.Reject) (bool, error) {
		kept = append(kept, page...)
		return true, nil
	})
	if err != nil || len(kept) != MaxPreviewRejects+500 || len(rep.Rejects) != MaxPreviewRejects {
		t.Errorf("the load keeps %d rejects (%v) and reports %d; want every one, %d, and the first %d", len(kept), err, len(rep.Rejects), MaxPreviewRejects+500, MaxPreviewRejects)
	}
}

// A dimension file's preview checked nothing and said nothing: an indicators file that
// turned GDP to "lower is better" (reversing every ranking of it) looked like any other
// until it was loaded. Staged, it is checked as its load would check it and says what it
// would add and change, column by column, writing nothing.
func TestStagedDimensionFileSaysWhatItChanges(t *testing.T) {
	r, w := runnerFixture(t, []JobConfig{{Name: JobIndicators, Inbox: t.TempDir()}, {Name: JobPeerGroups, Inbox: t.TempDir()}})
	r.l.MaxRejectShare = 1 // one bad row of four, on purpose
	ctx := context.Background()
	if _, err := r.l.LoadReference(ctx, JobPeerGroups, filepath.Join("..", "data", "peer_groups.csv"), "620000"); err != nil {
		t.Fatal(err)
	}
	st, err := r.StageUpload(ctx, JobIndicators, "indicators.csv", strings.NewReader("code,name_zh,unit,direction,frequency\n"+
		"gdp,地区生产总值,亿元,-1,year\n"+ // 2 direction turned
		"gdp_per_capita,人均地区生产总值,元,1,year\n"+ // 3 as stored
		"new_one,新指标,个,1,year\n"+ // 4 added
		"bad_one,坏指标,个,2,year\n")) // 5 no such direction
	if err != nil {
		t.Fatal(err)
	}
	rep := st.DryRun
	if rep == nil || rep.Changes == nil || st.DryRunError != "" {
		t.Fatalf("staged indicators: %+v (%s); want a dry run with its changes", st, st.DryRunError)
	}
	want := Changes{Added: 1, Changed: 1, Same: 1, Turned: 1, Items: []Change{
		{Line: 2, Key: "gdp", NameZh: "地区生产总值", NameEn: "GDP", Fields: []FieldChange{{Column: "direction", Old: "1", New: "-1"}}},
		{Line: 4, Key: "new_one", NameZh: "新指标", Added: true}}}
	if fmt.Sprint(*rep.Changes) != fmt.Sprint(want) || rep.Run.RowsRejected != 1 || rep.Run.RowsLoaded != 3 {
		t.Errorf("changes %+v, %d loaded, %d rejected; want %+v, 3 and 1", *rep.Changes, rep.Run.RowsLoaded, rep.Run.RowsRejected, want)
	}
	inds, err := w.Indicators(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, i := range inds {
		if i.Code == "gdp" && i.Direction != 1 || i.Code == "new_one" {
			t.Errorf("the preview wrote %s (direction %d)", i.Code, i.Direction)
		}
	}
	// A turned direction is counted and listed however far down the file it is: past the
	// 50 listed changes, the preview's warning said nothing.
	var many strings.Builder
	many.WriteString("code,name_zh,unit,direction,frequency\n")
	for i := range 55 {
		fmt.Fprintf(&many, "new_%d,新指标%d,个,1,year\n", i, i)
	}
	many.WriteString("gdp,地区生产总值,亿元,-1,year\n")
	st, err = r.StageUpload(ctx, JobIndicators, "indicators.csv", strings.NewReader(many.String()))
	if err != nil || st.DryRun == nil || st.DryRun.Changes == nil {
		t.Fatalf("staged 56 indicators: %+v, %v", st, err)
	}
	if ch := st.DryRun.Changes; ch.Turned != 1 || ch.Added != 55 || len(ch.Items) != maxChangesShown+1 || ch.Items[maxChangesShown].Key != "gdp" {
		t.Errorf("55 new indicators, then GDP turned: turned %d, added %d, %d listed; want 1, 55, and GDP listed last of %d", ch.Turned, ch.Added, len(ch.Items), maxChangesShown+1)
	}
	// A peer group's members are told as they change.
	st, err = r.StageUpload(ctx, JobPeerGroups, "groups.csv", strings.NewReader("code,name_zh,members\nwest12,西部12省区市,150000 450000 620000\n"))
	if err != nil || st.DryRun == nil || st.DryRun.Changes == nil {
		t.Fatalf("staged groups: %+v, %v", st, err)
	}
	if ch := st.DryRun.Changes; ch.Changed != 1 || len(ch.Items) != 1 || len(ch.Items[0].Fields) != 1 || ch.Items[0].Fields[0].Column != "members" ||
		ch.Items[0].Fields[0].New != "150000 450000 620000" {
		t.Errorf("group changes %+v; want west12's members", ch)
	}
	groups, err := w.PeerGroups(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range groups {
		if g.Code == "west12" && len(g.Members) != 12 {
			t.Errorf("the preview wrote west12's members: %v", g.Members)
		}
	}
}

// A preview's 1,000 rejects were 40 lines of a wide file, each line's reason said 25
// times, and a refusal's counts did not say they stopped short of the file. A preview
// lists a line refused for one reason once, with the count of its values; a load keeps
// each; a refusal says the line where reading stopped.
func TestAPreviewListsALinesRefusedValuesOnce(t *testing.T) {
	for _, keep := range []int{MaxPreviewRejects, 0} {
		s := &runState{run: &warehouse.Run{}, keepRejects: keep}
		for line := 2; line <= 1001; line++ {
			s.line = line
			for range 25 {
				s.run.RowsRead++
				s.reject(line, "region", "column 地区", "火星,1,2", reasons.Text{En: `unknown region "火星"`})
			}
			s.reject(line, "value", "column 2024", "火星,1,2", reasons.Text{En: `"x" is not a number`})
			s.run.RowsRead++
		}
		if keep == 0 {
			// Written to the warehouse as it goes (TestALoadKeepsEveryRejectAndReportsTheFirst).
			if len(s.unwritten) != 26_000 || s.rejects[0].Values != 0 || len(s.rejects) != MaxPreviewRejects {
				t.Errorf("a load kept %d rejects to write (values %d), %d to report; want each of the 26,000, the first %d", len(s.unwritten), s.rejects[0].Values, len(s.rejects), MaxPreviewRejects)
			}
			continue
		}
		if len(s.rejects) != MaxPreviewRejects || s.rejects[0].Values != 25 || s.rejects[1].Values != 1 || s.rejects[2].Line != 3 || s.run.RowsRejected != 26_000 {
			t.Errorf("a preview listed %d rejects, the first of %d values, the second of %d, the third of line %d, counting %d; want 1,000 (500 lines), 25, 1, line 3, 26,000",
				len(s.rejects), s.rejects[0].Values, s.rejects[1].Values, s.rejects[2].Line, s.run.RowsRejected)
		}
		if err := s.checkRejectShare(0.2); err == nil || !strings.Contains(err.Error(), "(reading stopped at line 1001)") {
			t.Errorf("refusal %v; want it to say where reading stopped", err)
		}
	}
}

// A dimension is read whole into memory: a file far larger than any dimension (a file of
// values sent to the wrong job, or a hostile one) is refused, in its preview and its load.
func TestADimensionFileHasARowCap(t *testing.T) {
	r, _ := runnerFixture(t, []JobConfig{{Name: JobRegionAliases, Inbox: t.TempDir()}})
	var b strings.Builder
	b.WriteString("alias,region_code\n")
	for i := range maxReferenceRows + 1 {
		fmt.Fprintf(&b, "别名%d,620000\n", i)
	}
	st, err := r.StageUpload(context.Background(), JobRegionAliases, "aliases.csv", strings.NewReader(b.String()))
	if err != nil || !strings.Contains(st.DryRunError, "more than 100000 rows") {
		t.Errorf("staged %d aliases: %v, refusal %q; want refused past %d rows", maxReferenceRows+1, err, st.DryRunError, maxReferenceRows)
	}
}

// A regions file naming name_zh twice had its second column read and its first ignored,
// with nothing said: it is refused, naming the column and where it stands.
func TestADimensionFileNamingAColumnTwiceIsRefused(t *testing.T) {
	r, _ := runnerFixture(t, []JobConfig{{Name: JobRegions, Inbox: t.TempDir()}})
	const file = "code,name_zh,short_zh,name_en,level,parent_code,Name_ZH,,\n620100,兰州市,兰州,Lanzhou,city,620000,金城,,\n"
	st, err := r.StageUpload(context.Background(), JobRegions, "regions.csv", strings.NewReader(file))
	if err != nil || !strings.Contains(st.DryRunError, "names column name_zh twice (columns 2 and 7)") {
		t.Errorf("staged a header naming name_zh twice: %v, refusal %q; want it refused", err, st.DryRunError)
	}
	// Said in Chinese too, for the upload page in Chinese.
	if want := "试载入 regions.csv：文件被拒收：表头两次写了“name_zh”列（第 2 列和第 7 列）"; st.DryRunErrorZh != want {
		t.Errorf("the refusal in Chinese: %q, want %q", st.DryRunErrorZh, want)
	}
	// Names nothing reads, twice (trailing commas, two 备注), are no matter.
	for _, other := range []string{"", "备注"} {
		st, err = r.StageUpload(context.Background(), JobRegions, "regions.csv", strings.NewReader(strings.ReplaceAll(strings.Replace(file, "Name_ZH", other, 1), ",,", ","+other+",")))
		if err != nil || st.DryRunError != "" {
			t.Errorf("staged a header naming %q twice: %v, refusal %q; want it read", other, err, st.DryRunError)
		}
	}
	// A peer group's members, read beside the table's columns, are refused twice too.
	r, _ = runnerFixture(t, []JobConfig{{Name: JobPeerGroups, Inbox: t.TempDir()}})
	st, err = r.StageUpload(context.Background(), JobPeerGroups, "groups.csv", strings.NewReader("code,name_zh,members,members\nwest2,西部两省,620000,610000\n"))
	if err != nil || !strings.Contains(st.DryRunError, "names column members twice (columns 3 and 4)") {
		t.Errorf("staged a groups file naming members twice: %v, refusal %q; want it refused", err, st.DryRunError)
	}
}

// A workbook refused for its rejects said "reading stopped at line 4097", not in which
// sheet: a yearbook has dozens.
func TestARefusalNamesTheSheetWhereReadingStopped(t *testing.T) {
	r, _ := runnerFixture(t, []JobConfig{{Name: JobEconomy, Inbox: t.TempDir()}})
	const sheet = "2-12 地区生产总值"
	book := excelize.NewFile()
	defer book.Close()
	if err := book.SetSheetName("Sheet1", sheet); err != nil {
		t.Fatal(err)
	}
	_ = book.SetSheetRow(sheet, "A1", &[]any{"year", "region_code", "indicator", "value"})
	for i := range 5000 {
		_ = book.SetSheetRow(sheet, fmt.Sprintf("A%d", i+2), &[]any{2024, "990000", "gdp", 1})
	}
	var file bytes.Buffer
	if err := book.Write(&file); err != nil {
		t.Fatal(err)
	}
	st, err := r.StageUpload(context.Background(), JobEconomy, "年鉴.xlsx", &file)
	if err != nil || !strings.Contains(st.DryRunError, `(reading stopped at line 4097 of sheet "2-12 地区生产总值")`) {
		t.Errorf("a workbook of unknown regions staged: %v, refusal %q; want it to say the sheet and line where reading stopped", err, st.DryRunError)
	}
}

// Previews never loaded were kept a day each, up to 512 MB apiece, filling the disk: a
// job keeps its newest stagedKeep waiting, and the one just staged always.
func TestStagedUploadsAreBounded(t *testing.T) {
	inbox := t.TempDir()
	r, _ := runnerFixture(t, []JobConfig{{Name: JobRegionAliases, Inbox: inbox}})
	ctx := context.Background()
	var ids []string
	for i := range stagedKeep + 5 {
		st, err := r.StageUpload(ctx, JobRegionAliases, fmt.Sprintf("a%d.csv", i), strings.NewReader("alias,region_code\n陇,620000\n"))
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, st.ID)
		// Each newer than the last, as the file system's clock tells it.
		old := time.Now().Add(time.Duration(i-100) * time.Minute)
		if err := os.Chtimes(filepath.Join(inbox, stagedDir, st.ID), old, old); err != nil {
			t.Fatal(err)
		}
	}
	left, err := os.ReadDir(filepath.Join(inbox, stagedDir))
	if err != nil {
		t.Fatal(err)
	}
	if len(left) != stagedKeep {
		t.Errorf("%d uploads waiting after %d previews; want the newest %d", len(left), len(ids), stagedKeep)
	}
	if _, err := r.LoadStaged(ctx, JobRegionAliases, ids[0]); err == nil {
		t.Errorf("the oldest preview still loads; want it gone")
	}
	if rep, err := r.LoadStaged(ctx, JobRegionAliases, ids[len(ids)-1]); err != nil || rep.Run.Status != warehouse.RunCommitted {
		t.Errorf("the newest preview: %v %+v; want it loaded", err, rep)
	}
	// One sitting's previews (one request of many files) are all kept: the first were
	// removed by the last, still shown with their load buttons.
	burst := t.TempDir()
	r, _ = runnerFixture(t, []JobConfig{{Name: JobRegionAliases, Inbox: burst}})
	for i := range stagedKeep + 5 {
		if _, err := r.StageUpload(ctx, JobRegionAliases, fmt.Sprintf("b%d.csv", i), strings.NewReader("alias,region_code\n陇,620000\n")); err != nil {
			t.Fatal(err)
		}
	}
	if left, err := os.ReadDir(filepath.Join(burst, stagedDir)); err != nil || len(left) != stagedKeep+5 {
		t.Errorf("%d of %d previews staged in one sitting kept (%v); want all", len(left), stagedKeep+5, err)
	}
}

// A dimension file's preview told changes its load would not make: a year written 02020,
// an empty flag (stored as 0), a number written 1,000. It compares what the load would
// store. Its refusal names the file as sent, not where the server keeps it; a file of more
// bytes than any dimension is refused before it is read.
func TestADimensionPreviewComparesWhatItWouldStore(t *testing.T) {
	r, w := runnerFixture(t, []JobConfig{{Name: JobTargets, Inbox: t.TempDir()}, {Name: JobRegions, Inbox: t.TempDir()}})
	ctx := context.Background()
	if _, err := r.l.LoadReference(ctx, JobTargets, filepath.Join("..", "data", "targets.csv"), "620000"); err != nil {
		t.Fatal(err)
	}
	targets, err := os.ReadFile(filepath.Join("..", "data", "targets.csv"))
	if err != nil {
		t.Fatal(err)
	}
	// Every year_from 2020 written 02020, every empty threshold as it was.
	st, err := r.StageUpload(ctx, JobTargets, "targets.csv", strings.NewReader(strings.ReplaceAll(string(targets), ",2020,2030,", ",02020,+2030,")))
	if err != nil || st.DryRun == nil || st.DryRun.Changes == nil {
		t.Fatalf("staged targets: %+v, %v", st, err)
	}
	if ch := st.DryRun.Changes; ch.Changed != 0 || ch.Added != 0 || ch.Same == 0 {
		t.Errorf("targets with their years written 02020 and +2030: %+v; want nothing changed", *ch)
	}
	// An empty flag column is 0, as stored.
	st, err = r.StageUpload(ctx, JobRegions, "regions.csv", strings.NewReader("code,name_zh,level,poverty_alleviated,counted\n620000,甘肃省,province,,1\n"))
	if err != nil || st.DryRun == nil || st.DryRun.Changes == nil {
		t.Fatalf("staged regions: %+v, %v", st, err)
	}
	if ch := st.DryRun.Changes; ch.Changed != 0 || ch.Same != 1 {
		t.Errorf("Gansu with an empty flag: %+v; want the same", *ch)
	}
	// A refusal names the file as sent.
	st, err = r.StageUpload(ctx, JobRegions, "bad.csv", strings.NewReader("code,name_zh\n620000,甘肃省\n"))
	if err != nil || !strings.Contains(st.DryRunError, "bad.csv") || strings.Contains(st.DryRunError, stagedDir) {
		t.Errorf("refusal %q (%v); want it to name bad.csv, not the server's folder", st.DryRunError, err)
	}
	big := "code,name_zh,level\n" + strings.Repeat("620000,"+strings.Repeat("长", 1000)+",province\n", maxReferenceBytes/3000+10)
	st, err = r.StageUpload(ctx, JobRegions, "big.csv", strings.NewReader(big))
	if err != nil || !strings.Contains(st.DryRunError, "more than any dimension holds") {
		t.Errorf("a %d MB regions file: %q (%v); want refused by its size", len(big)>>20, st.DryRunError, err)
	}
	if regions, err := w.Regions(ctx); err != nil || slices.ContainsFunc(regions, func(r warehouse.Region) bool { return strings.HasPrefix(r.NameZh, "长长") }) {
		t.Errorf("a refused preview wrote regions (%v)", err)
	}
}

// A yearbook table sent by a person with no mapping configured for its name (regions
// down, years across, the indicator in its header) was refused as lacking "indicator,
// value, period", though inspect had read it whole: it is read as inspect read it, its
// preview says so, and its load reads it the same. The same file put in the inbox, which
// no one previews, is still refused.
func TestAnUnmappedTableIsReadAsInspectedWhenAPersonSeesItFirst(t *testing.T) {
	inbox := t.TempDir()
	r, w := runnerFixture(t, []JobConfig{{Name: JobEconomy, Inbox: inbox}})
	ctx := context.Background()
	body, err := os.ReadFile(filepath.Join("testdata", "xls", "yearbook.xls"))
	if err != nil {
		t.Fatal(err)
	}
	st, err := r.StageUpload(ctx, JobEconomy, "yearbook.xls", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if st.Reading != warehouse.ReadInspected || st.Refused || st.DryRunError != "" || st.DryRun == nil || st.DryRun.Run.RowsLoaded < 90 {
		t.Fatalf("preview: reading %q, refused %v %q, dry run %+v; want it read as inspected, 90 values or more", st.Reading, st.Refused, st.DryRunError, st.DryRun)
	}
	if sh := st.Inspection.Sheets[0]; sh.Layout != warehouse.LayoutPeriodAcross || sh.Cut {
		t.Errorf("sheet %+v; want regions down, years across, read whole", sh)
	}
	rep, err := r.LoadStaged(ctx, JobEconomy, st.ID)
	if err != nil || rep.Run.RowsLoaded != st.DryRun.Run.RowsLoaded {
		t.Fatalf("load: %v, %+v; want the %d values of its preview", err, rep, st.DryRun.Run.RowsLoaded)
	}
	res, err := whtest.Query(ctx, w, "SELECT value FROM indicator_values_current WHERE indicator_code = 'gdp' AND region_code = '110000' AND year = 2024", nil)
	if err != nil || len(res.Rows) != 1 || res.Rows[0][0].(float64) != 49670.2 {
		t.Errorf("Beijing's 2024 GDP as loaded: %v, %v; want 49670.2 as the file says", res, err)
	}

	// Decided before the file enters the inbox, and refused where inspect fails: the load
	// had moved the file in first, then read it by its column names when inspect failed.
	again, err := r.StageUpload(ctx, JobEconomy, "yearbook2.xls", bytes.NewReader(body))
	if err != nil || again.Reading != warehouse.ReadInspected {
		t.Fatalf("staged again: %v, %+v", err, again)
	}
	stagedAt := filepath.Join(inbox, stagedDir, again.ID)
	if err := os.WriteFile(stagedAt, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if rep, err := r.LoadStaged(ctx, JobEconomy, again.ID); err == nil || !strings.Contains(err.Error(), "yearbook2.xls") || strings.Contains(err.Error(), again.ID) {
		t.Errorf("a staged file that no longer inspects loaded: %v, %+v; want refused, saying why, without the server's path", err, rep)
	}
	if _, err := os.Stat(stagedAt); err != nil {
		t.Errorf("the refused upload left its place: %v", err)
	}

	if err := os.WriteFile(filepath.Join(inbox, "yearbook-again.xls"), body, 0o600); err != nil {
		t.Fatal(err)
	}
	reps, err := r.RunJob(ctx, JobEconomy)
	if err == nil || len(reps) != 1 || reps[0].Run.Status != warehouse.RunFailed {
		t.Errorf("the file from the inbox: %v %+v; want it refused, read by its column names", err, reps)
	}
}

// Inspect reads the start of a table: a text file no further (a large upload's preview read
// it all twice), each sheet of a workbook, and it says when a table goes on past it.
func TestInspectReadsATablesStart(t *testing.T) {
	r, _ := runnerFixture(t, nil)
	dir := t.TempDir()
	long, short := filepath.Join(dir, "long.csv"), filepath.Join(dir, "short.csv")
	var b strings.Builder
	b.WriteString("year,region_code,indicator,value\n")
	for range 5000 {
		b.WriteString("2024,620000,gdp,1\n")
	}
	b.WriteString("bad \"quote,row\n") // reading it whole would have failed here
	if err := os.WriteFile(long, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(short, []byte("year,region_code,indicator,value\n2024,620000,gdp,1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		path string
		rows int
		cut  bool
	}{{long, inspectRows - 1, true}, {short, 1, false}} {
		in, err := r.l.inspect(context.Background(), JobEconomy, tc.path)
		if err != nil {
			t.Fatalf("%s: %v", tc.path, err)
		}
		if sh := in.Sheets[0]; sh.DataRows != tc.rows || sh.Cut != tc.cut || sh.Layout != warehouse.LayoutLong {
			t.Errorf("%s: %d data rows, cut %v, layout %q; want %d, %v, long", filepath.Base(tc.path), sh.DataRows, sh.Cut, sh.Layout, tc.rows, tc.cut)
		}
	}

	book := excelize.NewFile()
	defer book.Close()
	_ = book.SetSheetName("Sheet1", "2024")
	_, _ = book.NewSheet("2023")
	for _, sheet := range []string{"2024", "2023"} {
		_ = book.SetSheetRow(sheet, "A1", &[]any{"region_code", "indicator", "value"})
		for i := range inspectRows + 10 {
			_ = book.SetSheetRow(sheet, fmt.Sprintf("A%d", i+2), &[]any{"620000", "gdp", 1})
		}
	}
	path := filepath.Join(dir, "book.xlsx")
	if err := book.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	in, err := r.l.inspect(context.Background(), JobEconomy, path)
	if err != nil || len(in.Sheets) != 2 || !in.Sheets[0].Cut || !in.Sheets[1].Cut {
		t.Fatalf("a workbook of two long sheets: %v, %+v; want both sheets, each cut", err, in)
	}
}

// A workbook of long tables, a sheet per year, one sheet with a column more, is read by its
// column names, every sheet: inspect's mapping keeps only the sheets laid out as the first.
func TestAnUnmappedLongWorkbookKeepsEverySheet(t *testing.T) {
	r, _ := runnerFixture(t, []JobConfig{{Name: JobEconomy, Inbox: t.TempDir()}})
	book := excelize.NewFile()
	defer book.Close()
	_ = book.SetSheetName("Sheet1", "2024")
	_, _ = book.NewSheet("2023")
	_ = book.SetSheetRow("2024", "A1", &[]any{"year", "region_code", "indicator", "value"})
	_ = book.SetSheetRow("2024", "A2", &[]any{2024, "620000", "gdp", 13002.9})
	_ = book.SetSheetRow("2023", "A1", &[]any{"year", "region_code", "indicator", "value", "备注"})
	_ = book.SetSheetRow("2023", "A2", &[]any{2023, "620000", "gdp", 12266.4, "修订"})
	var file bytes.Buffer
	if err := book.Write(&file); err != nil {
		t.Fatal(err)
	}
	st, err := r.StageUpload(context.Background(), JobEconomy, "分年.xlsx", &file)
	if err != nil || st.Reading != warehouse.ReadByColumnNames || st.DryRun == nil || st.DryRun.Run.RowsLoaded != 2 {
		t.Fatalf("preview: %v, reading %q, %+v; want both sheets' values read by column names", err, st.Reading, st.DryRun)
	}
}

// A load keeps every reject, and a column of one unknown region gives the same reason on
// each line: the rejects share one copy of it (a million held 0.4 GB more with a copy each).
func TestARunKeepsOneCopyOfEachReason(t *testing.T) {
	s := &runState{run: &warehouse.Run{}}
	for line := 2; line <= 4; line++ {
		s.reject(line, "region", "column 地区", "火星,1", reasons.New("unknown region %q", "未知的地区 %q", "火星").Text)
	}
	first, last := s.rejects[0], s.rejects[2]
	if unsafe.StringData(first.Reason) != unsafe.StringData(last.Reason) || unsafe.StringData(first.ReasonZh) != unsafe.StringData(last.ReasonZh) {
		t.Errorf("each reject holds its own copy of %q", first.Reason)
	}
	if last.Reason != `unknown region "火星"` || last.ReasonZh != `未知的地区“火星”` {
		t.Errorf("the kept reason is %+v", last)
	}
}

// A staged upload's preview, opened again (in the other language, or later), is the one
// made while the data stand still: it read and checked the whole file at every visit. A
// write to the warehouse since makes it anew, here finding the region it lacked.
func TestAPreviewIsMadeOncePerDataVersion(t *testing.T) {
	inbox := t.TempDir()
	r, _ := runnerFixture(t, []JobConfig{{Name: JobEconomy, Inbox: inbox}, {Name: JobRegions, Inbox: t.TempDir()}})
	ctx := context.Background()
	st, err := r.StageUpload(ctx, JobEconomy, "gdp.csv", strings.NewReader("year,region_code,indicator,value\n2025,620000,gdp,1\n2025,629999,gdp,2\n"))
	if err != nil {
		t.Fatal(err)
	}
	again, err := r.PreviewStaged(ctx, JobEconomy, st.ID)
	if err != nil || again != st || st.DryRun == nil || st.DryRun.Run.RowsRejected != 1 {
		t.Fatalf("opened again: %v, the same preview %v, %+v; want the first preview, one value refused", err, again == st, st.DryRun)
	}
	if _, err := r.l.LoadReference(ctx, JobRegions, writeRegion(t, "629999,新区,新区,New Area,county,620100\n"), r.home); err != nil {
		t.Fatal(err)
	}
	after, err := r.PreviewStaged(ctx, JobEconomy, st.ID)
	if err != nil || after == st || after.DryRun.Run.RowsRejected != 0 {
		t.Errorf("after a region was added: %v, a new preview %v, %d refused; want it made anew with none refused", err, after != st, after.DryRun.Run.RowsRejected)
	}
}

// writeRegion writes a regions file of the given rows.
func writeRegion(t *testing.T, rows string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "regions.csv")
	if err := os.WriteFile(path, []byte("code,name_zh,short_zh,name_en,level,parent_code\n"+rows), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// A preview cut short by its request's end is not kept: reopened, the half-read preview
// ("context canceled", half the counts) came back until the data changed.
func TestACutShortPreviewIsMadeAgain(t *testing.T) {
	_, w := runnerFixture(t, nil)
	var c previewCache
	built := 0
	cut, cancel := context.WithCancel(context.Background())
	c.get(cut, w, "economy/x", func() *Staged { built++; cancel(); return &Staged{} })
	first := c.get(context.Background(), w, "economy/x", func() *Staged { built++; return &Staged{} })
	again := c.get(context.Background(), w, "economy/x", func() *Staged { built++; return &Staged{} })
	if built != 2 || again != first {
		t.Errorf("made %d times, the second kept %v; want the cut-short one made again, then kept", built, again == first)
	}
}

// A refusal's share of rejects read "(20%), more than the allowed 20%" for 41 of 204 (a
// red-team finding): the share is written with the decimals that tell it from the limit.
func TestARejectShareJustOverItsLimitSaysByHowMuch(t *testing.T) {
	for _, tc := range []struct {
		rejected, held int
		limit          float64
		want, wantZh   string
	}{
		{41, 204, 0.2, "41 of the 204 values with a number rejected (20.1%), more than the allowed 20%", "204 条中有 41 条被拒收（20.1%），超过允许的 20%"},
		{1, 2, 0.2, "(50%), more than the allowed 20%", "（50%），超过允许的 20%"},
		{1, 2, 0, "(50%), more than the allowed 0%", "（50%），超过允许的 0%"},
		{70_001, 1_000_000, 0.07, "(7.0001%), more than the allowed 7%", "（7.0001%），超过允许的 7%"},
		{1, 3, 0.125, "(33%), more than the allowed 12.5%", "（33%），超过允许的 12.5%"},
	} {
		s := &runState{run: &warehouse.Run{RowsRead: tc.held, RowsRejected: tc.rejected}}
		s.rejects = []warehouse.Reject{{Line: 2, Reason: "bad", ReasonZh: "坏"}}
		err := s.rejectShareError(tc.limit)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(reasons.Of(err).Zh, tc.wantZh) {
			t.Errorf("%d of %d against %v: %v (%s); want %q, %q", tc.rejected, tc.held, tc.limit, err, reasons.Of(err).Zh, tc.want, tc.wantZh)
		}
	}
}
