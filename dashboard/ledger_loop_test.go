package dashboard_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/jpeg"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"jinwei/dashboard"
	"jinwei/dashboard/api"
	"jinwei/etl/etltest"
	"jinwei/warehouse"
)

// twoUnitItems are two items in progress of two reporting units of the demo ledger.
func twoUnitItems(t *testing.T) (a, b warehouse.LedgerItem) {
	t.Helper()
	items, err := etltest.SharedDemo(t).LedgerOn(context.Background(), warehouse.ProvinceScope(), time.Now().UTC())
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range items {
		switch {
		case it.Status != warehouse.StatusInProgress || it.Unit == "":
		case a.ItemID == "":
			a = it
		case it.Unit != a.Unit:
			return a, it
		}
	}
	t.Fatal("the demo ledger has no two units with items in progress")
	return
}

// loopServer is a server over a copy of the demo with reporters of the two items' units
// (alice for a's, bob for b's) and a verifier (checker).
func loopServer(t *testing.T, a, b warehouse.LedgerItem) *authFixture {
	return newAuthServer(t, reporters(t, map[string]string{"alice": a.Unit, "bob": b.Unit}), func(cfg *dashboard.Config) {
		h, err := dashboard.HashPassword("checker-pw")
		if err != nil {
			t.Fatal(err)
		}
		cfg.Users = append(cfg.Users, dashboard.User{Name: "checker", Role: dashboard.RoleVerifier, PasswordHash: h})
	})
}

// progressForm is a multipart progress step: fields and files (name → content).
func progressForm(fields map[string]string, files map[string][]byte) (string, []byte) {
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	for k, v := range fields {
		_ = w.WriteField(k, v)
	}
	for name, data := range files {
		p, _ := w.CreateFormFile("file", name)
		_, _ = p.Write(data)
	}
	_ = w.Close()
	return w.FormDataContentType(), b.Bytes()
}

func send(t *testing.T, c *http.Client, method, u, contentType, csrf string, body []byte) (int, http.Header, string) {
	t.Helper()
	req, _ := http.NewRequest(method, u, bytes.NewReader(body))
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if csrf != "" {
		req.Header.Set("X-CSRF-Token", csrf)
	}
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header, string(b)
}

func stepForm(csrf, kind, note string) (string, []byte) {
	return "application/x-www-form-urlencoded", []byte(url.Values{"_csrf": {csrf}, "kind": {kind}, "note": {note}}.Encode())
}

// itemJSON reads an item as the province sees it.
func itemJSON(t *testing.T, f *authFixture, id string) (item api.LedgerItem, history []api.StatusEvent, atts []api.Attachment) {
	t.Helper()
	code, body := call(t, f.client(t), "GET", f.srv.URL+"/api/ecology/items/"+id, cliToken, nil)
	var d struct {
		Item        api.LedgerItem    `json:"item"`
		History     []api.StatusEvent `json:"history"`
		Attachments []api.Attachment  `json:"attachments"`
	}
	if err := json.Unmarshal([]byte(body), &d); code != http.StatusOK || err != nil {
		t.Fatalf("item %s: %d %s", id, code, body)
	}
	return d.Item, d.History, d.Attachments
}

const pdf = "%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"

// Hostile progress steps get their error beside the field they are about and change
// nothing; a step out of turn or by the wrong role is refused; the loop then runs from
// progress with evidence to a verifier's closure, each step and download audited.
func TestLedgerLoopOverHTTP(t *testing.T) {
	t.Parallel()
	a, b := twoUnitItems(t)
	f := loopServer(t, a, b)
	base := f.srv.URL
	alice, aliceCSRF := signedInHere(t, f, "alice")
	item := base + "/ecology/items/" + a.ItemID
	_, before, _ := itemJSON(t, f, a.ItemID)
	// A unit's reporter is not told that the province's peers' ledgers are not shown: a
	// county's staff read it as something missing from their own page.
	if page := pageBody(t, alice, base+"/ecology"); !strings.Contains(page, a.ItemID) || strings.Contains(page, `id="yellow-river"`) {
		t.Errorf("a reporter's ledger lacks its item %s, or speaks of the Yellow River provinces", a.ItemID)
	}

	zip := []byte("PK\x03\x04\x14\x00\x00\x00\x08\x00 word/document.xml PK\x05\x06")
	for _, tc := range []struct {
		name   string
		fields map[string]string
		files  map[string][]byte
		field  string // the id of the error beside the field
		want   string
	}{
		{"ZIP as PDF", map[string]string{"progress": "60"}, map[string][]byte{"验收报告.pdf": zip}, "progress-files-error", "压缩包"},
		{"PNG named PDF", map[string]string{"progress": "60"}, map[string][]byte{"a.pdf": []byte("\x89PNG\r\n\x1a\n....")}, "progress-files-error", "扩展名"},
		{"script", map[string]string{"progress": "60"}, map[string][]byte{"x.pdf": []byte("<script>alert(1)</script>")}, "progress-files-error", "只收 PDF"},
		{"oversized", map[string]string{"progress": "60"}, map[string][]byte{"big.pdf": append([]byte(pdf), make([]byte, dashboard.MaxAttachmentBytes)...)}, "progress-files-error", "大小上限"},
		{"script in the note", map[string]string{"progress": "60", "note": "done <script>alert(1)</script>"}, nil, "progress-note-error", "不能含 HTML"},
		{"progress 150", map[string]string{"progress": "150"}, nil, "progress-pct-error", "0 到 100"},
		// Found red-teaming a real server: NaN passed the 0–100 check (every comparison with
		// it is false), and strconv read 0x1p5 as 32.
		{"progress NaN", map[string]string{"progress": "NaN"}, nil, "progress-pct-error", "0 到 100"},
		{"progress 0x1p5", map[string]string{"progress": "0x1p5"}, nil, "progress-pct-error", "0 到 100"},
		{"a JPEG with a ZIP appended", map[string]string{"progress": "60"}, map[string][]byte{"现场.jpg": append(jpegFile(t), sampleArchive(t)...)}, "progress-files-error", "压缩包"},
	} {
		ct, body := progressForm(tc.fields, tc.files)
		code, _, page := send(t, alice, "POST", item+"/progress", ct, aliceCSRF, body)
		m := regexp.MustCompile(`id="` + tc.field + `">([^<]*)<`).FindStringSubmatch(page)
		if code != http.StatusBadRequest || m == nil || !strings.Contains(m[1], tc.want) {
			t.Errorf("%s: %d, error beside the field %q; want 400 with %q there", tc.name, code, m, tc.want)
		}
		if strings.Contains(page, "<script>alert(1)") {
			t.Errorf("%s: the note came back unescaped", tc.name)
		}
	}
	// Two errors on one field are joined in the page's language (English read "…；…").
	ct, body := progressForm(map[string]string{"progress": "60"}, map[string][]byte{"a.pdf": zip, "b.pdf": []byte("<script>")})
	_, _, page := send(t, alice, "POST", item+"/progress?lang=en", ct, aliceCSRF, body)
	if m := regexp.MustCompile(`id="progress-files-error">([^<]*)<`).FindStringSubmatch(page); m == nil || strings.Contains(m[1], "；") ||
		!strings.Contains(m[1], "; ") || !strings.Contains(m[1], "a.pdf: this is a ZIP archive") || !strings.Contains(m[1], "b.pdf: only PDF") {
		t.Errorf("two bad files on the English page: %q; want both, joined with \"; \"", m)
	}
	ct, body = progressForm(map[string]string{"progress": "60"}, map[string][]byte{"huge.pdf": make([]byte, 6*dashboard.MaxAttachmentBytes)})
	if code, _, _ := send(t, alice, "POST", item+"/progress", ct, aliceCSRF, body); code != http.StatusRequestEntityTooLarge {
		t.Errorf("a body over the route's limit: %d, want 413", code)
	}
	if code, _, _ := send(t, alice, "POST", item+"/progress", ct, "", nil); code != http.StatusForbidden && code != http.StatusBadRequest {
		t.Errorf("a step without its CSRF token: %d, want refused", code)
	}
	if _, after, atts := itemJSON(t, f, a.ItemID); len(after) != len(before) || len(atts) != 0 {
		t.Fatalf("refused steps changed the item: %d events (was %d), %d attachments", len(after), len(before), len(atts))
	}

	// "80%": a percentage as people type it (refused as out of 0–100 before).
	ct, body = progressForm(map[string]string{"progress": "80%", "note": "拆除完毕 & 复绿"}, map[string][]byte{"验收报告.pdf": []byte(pdf)})
	if code, h, page := send(t, alice, "POST", item+"/progress", ct, aliceCSRF, body); code != http.StatusSeeOther || h.Get("Location") != "/ecology/items/"+a.ItemID {
		t.Fatalf("progress with a PDF: %d %s", code, page)
	}
	_, history, atts := itemJSON(t, f, a.ItemID)
	last := history[len(history)-1]
	if last.By != "alice" || last.Status != warehouse.StatusInProgress || last.Progress != 80 || last.Note != "拆除完毕 & 复绿" || len(atts) != 1 || atts[0].EventAt != last.At {
		t.Fatalf("after progress: last event %+v, attachments %+v", last, atts)
	}
	checker, checkerCSRF := signedInHere(t, f, "checker")
	bob, bobCSRF := signedInHere(t, f, "bob")
	download := base + "/ecology/attachments/" + atts[0].ID
	code, h, got := send(t, checker, "GET", download, "", "", nil)
	if code != http.StatusOK || got != pdf || h.Get("Content-Type") != "application/pdf" || h.Get("X-Content-Type-Options") != "nosniff" ||
		!strings.HasPrefix(h.Get("Content-Disposition"), "attachment;") {
		t.Errorf("verifier's download: %d %v", code, h)
	}

	for _, st := range []struct {
		who         *http.Client
		csrf, kind  string
		note        string
		code        int
		wantStatus  string
		wantInError string
	}{
		{alice, aliceCSRF, "approve", "", http.StatusForbidden, "", ""},
		{checker, checkerCSRF, "approve", "", http.StatusConflict, "", "only an item whose closure was requested"},
		{alice, aliceCSRF, "request_closure", "全部完成", http.StatusSeeOther, warehouse.StatusClosureRequested, ""},
		{checker, checkerCSRF, "return", "", http.StatusBadRequest, "", "请写明理由"},
		{checker, checkerCSRF, "return", "缺少现场照片", http.StatusSeeOther, warehouse.StatusReturned, ""},
		{alice, aliceCSRF, "request_closure", "已补充", http.StatusSeeOther, warehouse.StatusClosureRequested, ""},
		{checker, checkerCSRF, "approve", "核查通过", http.StatusSeeOther, warehouse.StatusClosed, ""},
	} {
		ct, body := stepForm(st.csrf, st.kind, st.note)
		code, _, page := send(t, st.who, "POST", item+"/step", ct, "", body)
		if code != st.code || (st.wantInError != "" && !strings.Contains(page, st.wantInError)) {
			t.Errorf("%s by a %s: %d, want %d with %q", st.kind, map[bool]string{true: "reporter", false: "verifier"}[st.who == alice], code, st.code, st.wantInError)
		}
		if st.wantStatus != "" {
			if it, _, _ := itemJSON(t, f, a.ItemID); it.Status != st.wantStatus {
				t.Errorf("after %s: %s, want %s", st.kind, it.Status, st.wantStatus)
			}
		}
	}

	// A later ledger file that would reopen the verified closure: its row is a conflict on
	// the operator's page of the load, and the item stays closed.
	row := func(id, status string) string {
		return fmt.Sprintf("%s,%s,title %s,%s,%s,%s,,%s,\n", id, a.RegionCode, id, a.FoundDate, a.Deadline, status, time.Now().UTC().Format("2006-01-02"))
	}
	rep := etltest.LoadCSV(t, f.w, "ecology", "ledger_after.csv", "item_id,region_code,title,found_date,deadline,status,progress,status_date,note\n"+
		row(a.ItemID, "整改中")+row("LATER-1", "未整改")+row("LATER-2", "未整改")+row("LATER-3", "未整改")+row("LATER-4", "未整改")+row("LATER-5", "未整改"))
	ops, opsCSRF := signedInHere(t, f, "ops")
	if code, _, page := send(t, ops, "GET", base+"/admin/loads/"+rep.Run.ID, "", "", nil); code != http.StatusOK ||
		!strings.Contains(page, "conflict_status") || !strings.Contains(page, "checker") {
		t.Errorf("the operator's page of the load: %d, want the conflict_status reject naming the verifier", code)
	}
	if it, _, _ := itemJSON(t, f, a.ItemID); it.Status != warehouse.StatusClosed {
		t.Errorf("the file reopened the item: %s", it.Status)
	}
	// The admin decides for the file: reopening takes a reason.
	for _, st := range []struct {
		note string
		code int
	}{{"", http.StatusBadRequest}, {"文件所报属实", http.StatusSeeOther}} {
		ct, body := stepForm(opsCSRF, "reopen", st.note)
		if code, _, _ := send(t, ops, "POST", item+"/step", ct, "", body); code != st.code {
			t.Errorf("reopen with reason %q: %d, want %d", st.note, code, st.code)
		}
	}
	if it, _, _ := itemJSON(t, f, a.ItemID); it.Status != warehouse.StatusReturned {
		t.Errorf("after the admin reopened it: %s, want %s", it.Status, warehouse.StatusReturned)
	}

	// Bob, of another unit, learns nothing of alice's item: not its page, JSON, history,
	// attachment, nor whether it exists; his steps on it go nowhere.
	for _, u := range []string{item, base + "/api/ecology/items/" + a.ItemID, download} {
		if code, _, body := send(t, bob, "GET", u, "", "", nil); code != http.StatusNotFound || strings.Contains(body, a.Title) {
			t.Errorf("bob GET %s: %d", u, code)
		}
	}
	ct, body = progressForm(map[string]string{"progress": "10"}, nil)
	if code, _, _ := send(t, bob, "POST", item+"/progress", ct, bobCSRF, body); code != http.StatusNotFound {
		t.Errorf("bob's progress on alice's item: %d, want 404", code)
	}
	ct, body = stepForm(bobCSRF, "request_closure", "x")
	if code, _, _ := send(t, bob, "POST", item+"/step", ct, "", body); code != http.StatusNotFound {
		t.Errorf("bob's closure request on alice's item: %d, want 404", code)
	}
	code, _, list := send(t, bob, "GET", base+"/api/ecology", "", "", nil)
	var mine struct {
		Items []api.LedgerItem `json:"items"`
	}
	if err := json.Unmarshal([]byte(list), &mine); code != http.StatusOK || err != nil || len(mine.Items) == 0 {
		t.Fatalf("bob's ledger: %d %v", code, err)
	}
	for _, it := range mine.Items {
		if it.Unit != b.Unit {
			t.Errorf("bob's ledger lists %s of unit %s", it.ItemID, it.Unit)
		}
	}
	if code, _, page := send(t, bob, "GET", base+"/ecology/items/"+b.ItemID, "", "", nil); code != http.StatusOK || !strings.Contains(page, `id="progress-form"`) {
		t.Errorf("bob's own item: %d, want its page with the progress form", code)
	}

	entries, err := f.w.SearchAudit(context.Background(), warehouse.AuditQuery{Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, e := range entries {
		seen[fmt.Sprintf("%s %s %s %s", e.User, e.Action, e.Outcome, strings.Fields(e.Statement)[0])] = true
	}
	for _, want := range []string{"alice ledger_step refused progress", "alice ledger_step ok progress", "alice ledger_step ok request_closure",
		"checker ledger_step ok return", "checker ledger_step ok approve", "checker attachment_download ok " + atts[0].ID,
		"bob attachment_download refused " + atts[0].ID, "ops ledger_step ok reopen"} {
		if !seen[want] {
			t.Errorf("audit log has no %q", want)
		}
	}
}

// jpegFile is a small real JPEG.
func jpegFile(t *testing.T) []byte {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, image.NewGray(image.Rect(0, 0, 4, 4)), nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// sampleArchive is a small real ZIP.
func sampleArchive(t *testing.T) []byte {
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	w, err := z.Create("payload.txt")
	if err != nil {
		t.Fatal(err)
	}
	_, _ = w.Write([]byte("hidden"))
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// An account that may take no step on an item is told who takes the next one: a verifier
// opening a rectified item found no action and nothing saying why.
func TestAnItemSaysWhoTakesItsNextStep(t *testing.T) {
	t.Parallel()
	f := newAuthServer(t)
	leader, _ := f.signedIn(t, "leader")
	list := pageBody(t, leader, f.srv.URL+"/ecology")
	rows := regexp.MustCompile(`/ecology/items/(GS-EC-\d+)">[^<]*</a></td>.*?<a class="lineage"[^>]*>([^<]+)</a>`).FindAllStringSubmatch(list, -1)
	want := map[string]string{
		warehouse.StatusRectified: "下一步：由责任单位的填报员报送整改进度，完成后申请销号；申请后由核查员审核。",
		warehouse.StatusClosed:    "此项已销号；如需撤销，由管理员重新打开。",
	}
	seen := map[string]bool{}
	for _, r := range rows {
		w, ok := want[r[2]]
		if !ok || seen[r[2]] {
			continue
		}
		seen[r[2]] = true
		if page := pageBody(t, leader, f.srv.URL+"/ecology/items/"+r[1]); !strings.Contains(page, `<p class="note" id="item-next">`+w+`</p>`) {
			t.Errorf("a leader on %s (%s) is not told who takes its next step", r[1], r[2])
		}
	}
	if len(seen) != len(want) {
		t.Fatalf("the demo's ledger lacks an item of each status %v (found %v)", want, seen)
	}
}
