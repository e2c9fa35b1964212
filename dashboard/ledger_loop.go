package dashboard

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"jinwei/warehouse"
	"jinwei/warehouse/reasons"
	"jinwei/warehouse/rules"
)

// The closure loop on a ledger item's page: the responsible unit's reporter records
// progress with evidence and asks for closure (申请销号); a verifier closes the item (销号)
// or returns it with a reason; an admin may reopen a closed item, the decision a ledger
// file's conflicting row asks for. Every step, refused or taken, and every download of an
// attachment is in the audit log.

// ledgerLoopStore is what the loop needs from the warehouse.
type ledgerLoopStore interface {
	TakeLedgerStep(ctx context.Context, s warehouse.LedgerStep, now time.Time) (warehouse.StatusEvent, error)
	ItemAttachments(ctx context.Context, scope warehouse.RowScope, itemID string) ([]warehouse.Attachment, error)
	AttachmentFile(ctx context.Context, scope warehouse.RowScope, id string) (warehouse.Attachment, error)
}

var _ ledgerLoopStore = (*warehouse.Warehouse)(nil)

// closingSteps are the steps taken without files, each its own form on the item's page,
// labelled step_KIND and step_note_KIND.
var closingSteps = []string{warehouse.StepRequestClosure, warehouse.StepApprove, warehouse.StepReturn, warehouse.StepReopen}

// maxNote caps a step's note, in characters.
const maxNote = 1000

func init() {
	// A progress step sends its files as a multipart stream, like the uploads.
	routeLimits["/ecology/items/:id/progress"] = routeLimit{body: maxAttachments*MaxAttachmentBytes + 64<<10, multipart: true}
}

// ledgerRoutes serves the ledger's pages to the province's staff and to the units'
// reporters, each seeing the items its scope holds.
func (s *Server) ledgerRoutes(e *echo.Echo) {
	g := behind(e, s.requireAny(PermViewDashboards, PermReport))
	g.GET("/ecology", s.homeUnits("ecology", s.ecologyPage))
	g.GET("/api/ecology", s.homeUnits("ecology", s.ecologyAPI))
	g.GET("/ecology/items/:id", s.homeUnits("ecology", s.ecologyItemPage))
	g.GET("/api/ecology/items/:id", s.homeUnits("ecology", s.ecologyItemAPI))
	g.POST("/ecology/items/:id/progress", s.homeUnits("ecology", s.progressStep))
	g.POST("/ecology/items/:id/step", s.homeUnits("ecology", s.closureStep))
	g.GET("/ecology/attachments/:id", s.downloadAttachment)
}

// stepForm is what a step's form sent, kept to show again beside its errors.
type stepForm struct {
	Kind, Progress, Note string
	// Errors are the faults of its fields: progress, note, file, kind.
	Errors fieldErrors
	lang   string
}

func (f *stepForm) fail(field, msg string) { f.Errors.add(f.lang, field, msg) }

// markup is the start of an HTML tag, comment or declaration: a note is plain text.
var markup = regexp.MustCompile(`<[A-Za-z/!?]`)

// noteProblems are what may be wrong with a note; the label note_WHAT says it.
var noteProblems = []string{"required", "control", "too_long", "markup"}

// checkNote says what is wrong with a note, one of noteProblems ("" when nothing is);
// required is for the reason of a return or reopening.
func checkNote(note string, required bool) string {
	switch {
	case required && strings.TrimSpace(note) == "":
		return "required"
	case !utf8.ValidString(note):
		return "control"
	case utf8.RuneCountInString(note) > maxNote:
		return "too_long"
	case markup.MatchString(note):
		return "markup"
	case strings.IndexFunc(note, func(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\t' && r != '\r' }) >= 0:
		return "control"
	}
	return ""
}

// readField reads a small multipart field, at most limit bytes.
func readField(r io.Reader, limit int64) (string, bool) {
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	return string(b), err == nil && int64(len(b)) <= limit
}

// progressStep records a reporter's progress: a percentage, a note and evidence files, all
// checked before anything is written.
func (s *Server) progressStep(c echo.Context) error {
	it, rights, err := s.visibleItem(c, c.Param("id"))
	if err != nil {
		return err
	}
	if !rights.Report {
		return s.refuseStep(c, it, warehouse.StepProgress)
	}
	lang := pageLang(c)
	parts, err := multipartParts(c)
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, err.Error())
	}
	f := stepForm{Kind: warehouse.StepProgress, lang: lang}
	var files []warehouse.Attachment
	for {
		p, err := parts.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return echo.NewHTTPError(http.StatusBadRequest, "read the form: "+err.Error())
		}
		switch p.FormName() {
		case "progress":
			v, ok := readField(p, 16)
			f.Progress = strings.TrimSpace(v)
			if !ok {
				f.fail("progress", t(lang, "progress_bad"))
			}
		case "note":
			v, ok := readField(p, maxNote*4)
			f.Note = v
			if !ok {
				f.fail("note", t(lang, "note_too_long"))
			}
		case "file":
			if p.FileName() == "" {
				continue
			}
			if len(files) == maxAttachments {
				f.fail("file", fmt.Sprintf(t(lang, "attach_too_many"), maxAttachments))
				continue
			}
			a, err := checkAttachment(p.FileName(), p)
			var ae *attachmentError
			switch {
			case errors.As(err, &ae):
				f.fail("file", fmt.Sprintf(t(lang, "attach_"+ae.why), a.FileName))
			case err != nil:
				return echo.NewHTTPError(http.StatusBadRequest, err.Error())
			default:
				files = append(files, a)
			}
		}
		_ = p.Close()
	}
	// Read as the report forms read numbers (full-width digits from a phone's keyboard
	// taken; NaN, which every comparison let through, and 0x1p5 not), with or without the
	// percent sign a person types after a percentage.
	num, _ := rules.CutPercent(f.Progress)
	pct, err := rules.ParseNumber(num)
	if err != nil || pct < 0 || pct > 100 {
		f.fail("progress", t(lang, "progress_bad"))
	}
	if why := checkNote(f.Note, false); why != "" {
		f.fail("note", t(lang, "note_"+why))
	}
	ss := currentSession(c)
	step := warehouse.LedgerStep{ItemID: it.ItemID, Scope: ss.scope(), Kind: warehouse.StepProgress, By: ss.User, Note: f.Note, Progress: pct, Attachments: files}
	return s.takeStep(c, step, &f)
}

// closureStep takes a step without files: a closure request, an approval, a return or a
// reopening, each by the one who may.
func (s *Server) closureStep(c echo.Context) error {
	it, rights, err := s.visibleItem(c, c.Param("id"))
	if err != nil {
		return err
	}
	kind := c.FormValue("kind")
	allowed := map[string]bool{warehouse.StepRequestClosure: rights.Report, warehouse.StepApprove: rights.Verify,
		warehouse.StepReturn: rights.Verify, warehouse.StepReopen: rights.Reopen}
	if !allowed[kind] {
		return s.refuseStep(c, it, kind)
	}
	f := stepForm{Kind: kind, Note: c.FormValue("note"), lang: pageLang(c)}
	reason := kind == warehouse.StepReturn || kind == warehouse.StepReopen
	if why := checkNote(f.Note, reason); why != "" {
		f.fail("note", t(pageLang(c), "note_"+why))
	}
	ss := currentSession(c)
	return s.takeStep(c, warehouse.LedgerStep{ItemID: it.ItemID, Scope: ss.scope(), Kind: kind, By: ss.User, Note: f.Note}, &f)
}

// takeStep writes a checked step, or shows the item's page again with the form's errors
// beside their fields, having written nothing but the audit entry.
func (s *Server) takeStep(c echo.Context, step warehouse.LedgerStep, f *stepForm) error {
	what := fmt.Sprintf("%s %s: %s", step.Kind, step.ItemID, step.Note)
	for _, a := range step.Attachments {
		what += fmt.Sprintf(" [%s %s %d B sha256 %s]", a.FileName, a.ContentType, a.Size, a.SHA256)
	}
	if len(f.Errors) > 0 {
		s.auditLedgerStep(c, what, "refused", f.Errors.String())
		return s.renderItem(c, http.StatusBadRequest, f)
	}
	_, err := s.store.TakeLedgerStep(c.Request().Context(), step, s.now())
	switch {
	case errors.Is(err, warehouse.ErrStepRefused):
		f.fail("kind", err.Error())
		s.auditLedgerStep(c, what, "refused", err.Error())
		return s.renderItem(c, http.StatusConflict, f)
	case err != nil:
		s.auditLedgerStep(c, what, "failed", err.Error())
		return err
	}
	s.auditLedgerStep(c, what, "ok", "")
	return c.Redirect(http.StatusSeeOther, "/ecology/items/"+step.ItemID+queryOf(c))
}

// queryOf keeps the page's language across a redirect.
func queryOf(c echo.Context) string {
	if pageLang(c) == langEn {
		return "?lang=en"
	}
	return ""
}

// refuseStep answers a step the account may not take on an item it may see.
func (s *Server) refuseStep(c echo.Context, it warehouse.LedgerItem, kind string) error {
	s.auditLedgerStep(c, fmt.Sprintf("%s %s", kind, it.ItemID), "refused", "not allowed for this account")
	return echo.NewHTTPError(http.StatusForbidden, fmt.Sprintf("%s may not take the step %q on ledger item %s", currentSession(c).User, kind, it.ItemID))
}

func (s *Server) auditLedgerStep(c echo.Context, what, outcome, msg string) {
	s.auditOrLog(c, warehouse.AuditEntry{Action: warehouse.AuditLedgerStep, Statement: what, Outcome: outcome, Message: msg})
}

// downloadAttachment sends one attachment to an account that may see its item; to anyone
// else it does not exist.
func (s *Server) downloadAttachment(c echo.Context) error {
	st := s.store
	id := c.Param("id")
	a, err := st.AttachmentFile(c.Request().Context(), currentSession(c).scope(), id)
	if errors.Is(err, warehouse.ErrNotFound) {
		// Unknown, or of an item the account may not see: the same answer to either.
		s.auditOrLog(c, warehouse.AuditEntry{Action: warehouse.AuditAttachment, Statement: id, Outcome: "refused", Message: "no attachment this account may see"})
		return echo.NewHTTPError(http.StatusNotFound, reasons.New("no attachment %s", "没有附件 %s", id))
	}
	if err != nil {
		return err
	}
	if err := servable(a); err != nil {
		return err
	}
	s.auditOrLog(c, warehouse.AuditEntry{Action: warehouse.AuditAttachment, Statement: fmt.Sprintf("%s %s (%s)", a.ID, a.FileName, a.ItemID), Rows: 1, Outcome: "ok"})
	return sendAttachment(c, a)
}

// itemRights is what the signed-in account may do with one ledger item.
type itemRights struct {
	// See: the item and its history and attachments; Report: progress and closure requests
	// (the responsible unit); Verify: closing or returning a requested closure (the
	// province); Reopen: reopening a closed item (an admin, deciding a file's conflict).
	See, Report, Verify, Reopen bool
}

// steps lists the steps r allows on an item in status, in the order a page offers them.
func (r itemRights) steps(status string) []string {
	var out []string
	open := status != warehouse.StatusClosed && status != warehouse.StatusClosureRequested
	if r.Report && open {
		out = append(out, warehouse.StepProgress, warehouse.StepRequestClosure)
	}
	if r.Verify && status == warehouse.StatusClosureRequested {
		out = append(out, warehouse.StepApprove, warehouse.StepReturn)
	}
	if r.Reopen && status == warehouse.StatusClosed {
		out = append(out, warehouse.StepReopen)
	}
	return out
}

// The stages of an item's loop, by who takes its next step (steps): the responsible unit
// while it is open, a verifier once closure is asked for, nobody once it is closed (but an
// admin reopening it).
const (
	stageOpen      = "open"
	stageRequested = "requested"
	stageClosed    = "closed"
)

var ledgerStages = []string{stageOpen, stageRequested, stageClosed}

// ledgerStage is the stage of an item in status.
func ledgerStage(status string) string {
	switch status {
	case warehouse.StatusClosed:
		return stageClosed
	case warehouse.StatusClosureRequested:
		return stageRequested
	}
	return stageOpen
}

// itemRights says what the account may do with it, an item its scope holds: a reporter
// reports for its own unit's items only; verifying and reopening are the province's.
func (s *Server) itemRights(c echo.Context, it warehouse.LedgerItem) itemRights {
	ss := currentSession(c)
	return itemRights{See: ss.scope().Sees(it.Unit), Report: ss.can(PermReport) && ss.Unit != "" && it.Unit == ss.Unit,
		Verify: ss.can(PermVerify), Reopen: ss.can(PermAdminLoads)}
}
