package warehouse_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"jinwei/etl"
	"jinwei/etl/etltest"
	"jinwei/warehouse"
	"jinwei/warehouse/whtest"
)

// openItem is an item of w still open now.
func openItem(t *testing.T, w *warehouse.Warehouse, now time.Time) warehouse.LedgerItem {
	t.Helper()
	items, err := w.LedgerOn(context.Background(), warehouse.ProvinceScope(), now)
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range items {
		if it.Status == warehouse.StatusInProgress && it.Unit != "" {
			return it
		}
	}
	t.Fatal("no item in progress in the demo ledger")
	return warehouse.LedgerItem{}
}

// The loop of one item: progress with evidence, a closure request returned with a reason,
// asked again and closed; each step an event with who and why, steps out of turn refused.
func TestLedgerLoopSteps(t *testing.T) {
	t.Parallel()
	w := etltest.Demo(t)
	ctx := context.Background()
	now := time.Now().UTC()
	it := openItem(t, w, now)
	evidence := append([]byte("%PDF-1.7\n"), 0, 0xff, '\'', '\\', '\n')
	steps := []struct {
		step   warehouse.LedgerStep
		status string // "" when refused
	}{
		{warehouse.LedgerStep{Kind: warehouse.StepApprove, By: "verifier1"}, ""},
		{warehouse.LedgerStep{Kind: warehouse.StepProgress, By: "reporter1", Progress: 120}, ""},
		{warehouse.LedgerStep{Kind: warehouse.StepProgress, By: "reporter1", Progress: 80, Note: "拆除违建 <b>80%</b>",
			Attachments: []warehouse.Attachment{{FileName: "验收.pdf", ContentType: "application/pdf", SHA256: "x", Data: evidence}}}, warehouse.StatusInProgress},
		{warehouse.LedgerStep{Kind: warehouse.StepRequestClosure, By: "reporter1", Note: "已完成"}, warehouse.StatusClosureRequested},
		{warehouse.LedgerStep{Kind: warehouse.StepProgress, By: "reporter1", Progress: 90}, ""},
		{warehouse.LedgerStep{Kind: warehouse.StepReturn, By: "verifier1"}, ""},
		{warehouse.LedgerStep{Kind: warehouse.StepReturn, By: "verifier1", Note: "缺少验收照片"}, warehouse.StatusReturned},
		{warehouse.LedgerStep{Kind: warehouse.StepReopen, By: "admin", Note: "x"}, ""},
		{warehouse.LedgerStep{Kind: warehouse.StepRequestClosure, By: "reporter1", Note: "补充照片"}, warehouse.StatusClosureRequested},
		{warehouse.LedgerStep{Kind: warehouse.StepApprove, By: "verifier1", Note: "现场核查通过"}, warehouse.StatusClosed},
	}
	for i, s := range steps {
		s.step.ItemID, s.step.Scope = it.ItemID, warehouse.ProvinceScope()
		ev, err := w.TakeLedgerStep(ctx, s.step, now.Add(time.Duration(i)*time.Millisecond))
		if s.status == "" {
			if !errors.Is(err, warehouse.ErrStepRefused) {
				t.Errorf("step %d %s from its status: %v, want refused", i, s.step.Kind, err)
			}
			continue
		}
		if err != nil || ev.Status != s.status {
			t.Fatalf("step %d %s: %+v %v, want %s", i, s.step.Kind, ev, err, s.status)
		}
	}
	items, err := w.LedgerOn(ctx, warehouse.ProvinceScope(), now)
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range items {
		if x.ItemID == it.ItemID && (x.Status != warehouse.StatusClosed || x.Progress != 100 || x.Overdue) {
			t.Errorf("item after the loop: %+v, want closed at 100%%", x)
		}
	}
	history, err := w.ItemHistory(ctx, warehouse.ProvinceScope(), it.ItemID)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, h := range history {
		if h.By != "" {
			got = append(got, fmt.Sprintf("%s %s %s", h.Status, h.By, h.Note))
			if h.At == "" || h.RunID != "" {
				t.Errorf("step %+v: want its time and no load", h)
			}
		} else if h.RunID == "" {
			t.Errorf("file row %+v names no load", h)
		}
	}
	want := []string{"整改中 reporter1 拆除违建 <b>80%</b>", "申请销号 reporter1 已完成", "退回 verifier1 缺少验收照片", "申请销号 reporter1 补充照片", "已销号 verifier1 现场核查通过"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("steps in the history:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	atts, err := w.ItemAttachments(ctx, warehouse.ProvinceScope(), it.ItemID)
	if err != nil || len(atts) != 1 || atts[0].Size != len(evidence) || atts[0].UploadedBy != "reporter1" || atts[0].EventAt != history[len(history)-5].At {
		t.Fatalf("attachments %+v %v; want the one sent with the progress step", atts, err)
	}
	f, err := w.AttachmentFile(ctx, warehouse.ProvinceScope(), atts[0].ID)
	if err != nil || !bytes.Equal(f.Data, evidence) || f.ItemID != it.ItemID || f.ContentType != "application/pdf" {
		t.Errorf("attachment read back %q %+v %v, want the bytes stored", f.Data, f, err)
	}
	if _, err := w.AttachmentFile(ctx, warehouse.ProvinceScope(), "no-such-id"); !errors.Is(err, warehouse.ErrNotFound) {
		t.Errorf("unknown attachment: %v, want not found", err)
	}
	if _, err := w.TakeLedgerStep(ctx, warehouse.LedgerStep{ItemID: "NO-SUCH", Scope: warehouse.ProvinceScope(), Kind: warehouse.StepProgress, By: "r", Progress: 1}, now); !errors.Is(err, warehouse.ErrNotFound) {
		t.Errorf("step on an unknown item: %v, want not found", err)
	}
}

// A ledger file loaded after a verifier closed an item does not reopen it: its row is a
// conflict for an admin, the rest of the file loads, and an admin's reopening lets a later
// file speak for the item again.
func TestLedgerFileDoesNotReopenVerifiedClosure(t *testing.T) {
	t.Parallel()
	w := etltest.Demo(t)
	ctx := context.Background()
	now := time.Now().UTC()
	it := openItem(t, w, now)
	for _, s := range []warehouse.LedgerStep{
		{ItemID: it.ItemID, Scope: warehouse.ProvinceScope(), Kind: warehouse.StepRequestClosure, By: "reporter1", Note: "done"},
		{ItemID: it.ItemID, Scope: warehouse.ProvinceScope(), Kind: warehouse.StepApprove, By: "verifier1", Note: "verified"},
	} {
		if _, err := w.TakeLedgerStep(ctx, s, now); err != nil {
			t.Fatal(err)
		}
		now = now.Add(time.Millisecond)
	}
	today := now.Format("2006-01-02")
	row := func(id, status, date string) string {
		return fmt.Sprintf("%s,%s,%s,%s,%s,%s,,%s,\n", id, it.RegionCode, "title "+id, it.FoundDate, it.Deadline, status, date)
	}
	file := "item_id,region_code,title,found_date,deadline,status,progress,status_date,note\n" +
		row(it.ItemID, "整改中", today) + row("NEW-1", "整改中", today) + row("NEW-2", "整改中", today) +
		row("NEW-3", "未整改", today) + row("NEW-4", "未整改", today) + row("NEW-5", "未整改", today)
	rep := etltest.LoadCSV(t, w, etl.JobEcology, "ledger.csv", file)
	if rep.Run.RowsLoaded != 5 || len(rep.Rejects) != 1 || rep.Rejects[0].Code != "conflict_status" ||
		!strings.Contains(rep.Rejects[0].Reason, "verifier1") || rep.Rejects[0].Line != 2 {
		t.Fatalf("load: %d loaded, rejects %+v; want the closed item's row a conflict naming the verifier", rep.Run.RowsLoaded, rep.Rejects)
	}
	status := func() string {
		items, err := w.LedgerOn(ctx, warehouse.ProvinceScope(), now)
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range items {
			if x.ItemID == it.ItemID {
				return x.Status
			}
		}
		return ""
	}
	if s := status(); s != warehouse.StatusClosed {
		t.Fatalf("item %s is %s after the file, want still %s", it.ItemID, s, warehouse.StatusClosed)
	}
	if _, err := w.TakeLedgerStep(ctx, warehouse.LedgerStep{ItemID: it.ItemID, Scope: warehouse.ProvinceScope(), Kind: warehouse.StepReopen, By: "admin", Note: "the file is right"}, now); err != nil {
		t.Fatal(err)
	}
	rep = etltest.LoadCSV(t, w, etl.JobEcology, "ledger2.csv", file+row("NEW-6", "未整改", today))
	if len(rep.Rejects) != 0 {
		t.Fatalf("after reopening: rejects %+v, want none", rep.Rejects)
	}
	if s := status(); s != warehouse.StatusInProgress {
		t.Errorf("item %s is %s after the reopening and a file, want the file's %s", it.ItemID, s, warehouse.StatusInProgress)
	}
}

// A unit's scope sees its own items, their history and attachments, and another unit's
// scope none of them, whether listed, asked for by id or stepped on.
func TestLedgerScope(t *testing.T) {
	t.Parallel()
	w := etltest.Demo(t)
	ctx := context.Background()
	now := time.Now().UTC()
	it := openItem(t, w, now)
	_, err := w.TakeLedgerStep(ctx, warehouse.LedgerStep{ItemID: it.ItemID, Scope: warehouse.UnitScope(it.Unit), Kind: warehouse.StepProgress,
		By: "a", Progress: 50, Attachments: []warehouse.Attachment{{FileName: "a.png", ContentType: "image/png", Data: []byte("x")}}}, now)
	if err != nil {
		t.Fatal(err)
	}
	all, err := w.LedgerOn(ctx, warehouse.ProvinceScope(), now)
	if err != nil {
		t.Fatal(err)
	}
	other := ""
	for _, x := range all {
		if x.Unit != "" && x.Unit != it.Unit {
			other = x.Unit
			break
		}
	}
	if other == "" {
		t.Fatal("the demo ledger has one unit only")
	}
	for _, tc := range []struct {
		scope warehouse.RowScope
		sees  bool
	}{{warehouse.UnitScope(it.Unit), true}, {warehouse.UnitScope(other), false}, {warehouse.UnitScope(""), false}} {
		items, err := w.LedgerOn(ctx, tc.scope, now)
		if err != nil {
			t.Fatal(err)
		}
		listed := false
		for _, x := range items {
			listed = listed || x.ItemID == it.ItemID
			if x.Unit != tc.scope.Unit() {
				t.Errorf("scope %s lists %s of unit %s", tc.scope, x.ItemID, x.Unit)
			}
		}
		history, err := w.ItemHistory(ctx, tc.scope, it.ItemID)
		if err != nil {
			t.Fatal(err)
		}
		atts, err := w.ItemAttachments(ctx, tc.scope, it.ItemID)
		if err != nil {
			t.Fatal(err)
		}
		if listed != tc.sees || (len(history) > 0) != tc.sees || (len(atts) == 1) != tc.sees {
			t.Errorf("scope %s: listed %v, %d events, %d attachments; want seen %v", tc.scope, listed, len(history), len(atts), tc.sees)
		}
		if tc.sees {
			continue
		}
		full, err := w.ItemAttachments(ctx, warehouse.ProvinceScope(), it.ItemID)
		if err != nil || len(full) != 1 {
			t.Fatalf("province attachments %v %v", full, err)
		}
		if _, err := w.AttachmentFile(ctx, tc.scope, full[0].ID); !errors.Is(err, warehouse.ErrNotFound) {
			t.Errorf("scope %s reads the attachment by id: %v", tc.scope, err)
		}
		_, err = w.TakeLedgerStep(ctx, warehouse.LedgerStep{ItemID: it.ItemID, Scope: tc.scope, Kind: warehouse.StepRequestClosure, By: "b"}, now)
		if !errors.Is(err, warehouse.ErrNotFound) {
			t.Errorf("scope %s steps on the item: %v", tc.scope, err)
		}
	}
}

// A ledger step is seen at once by every process serving pages from its cache: a whole
// step, and one that stopped part way, its evidence stored and its event refused. The part
// way step used to move no data version (only the failing statement dropped this process's
// cache), so another process showed the item without its stored evidence until some later
// write.
func TestLedgerStepIsSeenAtOnceByEveryProcess(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a := etltest.Demo(t)
	b := whtest.Reopen(t, a.Database())
	now := time.Now().UTC()
	it := openItem(t, a, now)
	// The engine refuses this note's event, after the step's evidence is in.
	if err := whtest.Exec(ctx, a, "ALTER TABLE ecology_status_events ADD CONSTRAINT no_refused_notes CHECK note != 'refuse me'", nil); err != nil {
		t.Fatal(err)
	}
	attachments := func(w *warehouse.Warehouse) int {
		t.Helper()
		atts, err := w.ItemAttachments(ctx, warehouse.ProvinceScope(), it.ItemID)
		if err != nil {
			t.Fatal(err)
		}
		return len(atts)
	}
	// b reads the data version at most once a second: poll, with a deadline for a busy machine.
	seen := func(want int, what string) {
		t.Helper()
		deadline := time.Now().Add(30 * time.Second)
		for got := attachments(b); got != want; got = attachments(b) {
			if time.Now().After(deadline) {
				t.Fatalf("%s: the other process still shows %d attachments 30 s on, want %d", what, got, want)
			}
			time.Sleep(100 * time.Millisecond)
		}
		if got := attachments(a); got != want {
			t.Errorf("%s: this process shows %d attachments, want %d", what, got, want)
		}
	}
	seen(0, "before the steps")
	pdf := warehouse.Attachment{FileName: "验收.pdf", ContentType: "application/pdf", SHA256: "x", Data: []byte("%PDF-1.7\n")}
	step := warehouse.LedgerStep{ItemID: it.ItemID, Scope: warehouse.ProvinceScope(), Kind: warehouse.StepProgress, By: "reporter1",
		Progress: 70, Attachments: []warehouse.Attachment{pdf}}
	if _, err := a.TakeLedgerStep(ctx, step, now); err != nil {
		t.Fatal(err)
	}
	seen(1, "a whole step")
	step.Note, step.Progress = "refuse me", 75
	if _, err := a.TakeLedgerStep(ctx, step, now.Add(time.Millisecond)); err == nil || !strings.Contains(err.Error(), "record progress") {
		t.Fatalf("the refused event: %v, want its error", err)
	}
	seen(2, "a step stopped part way")
}
