package dashboard

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"jinwei/dashboard/api"
	"jinwei/warehouse"
	"jinwei/warehouse/rules"
	"jinwei/warehouse/scorecard"
)

// Reports is what units' reports need from the warehouse. Every read and write takes the
// caller's scope: a unit's staff reach their own unit's rows only, whatever the URL says.
type Reports interface {
	Unit(ctx context.Context, code string) (warehouse.Unit, error)
	Units(ctx context.Context) ([]warehouse.Unit, error)
	SubmitReport(ctx context.Context, scope warehouse.RowScope, s warehouse.Submission) (int, error)
	ReturnReport(ctx context.Context, unit, month, by, comment string) error
	ReportEvents(ctx context.Context, scope warehouse.RowScope, unit string, months []string) ([]warehouse.ReportEvent, error)
	ReportValues(ctx context.Context, scope warehouse.RowScope, unit, month string) ([]warehouse.ReportCell, error)
	RevisionValues(ctx context.Context, scope warehouse.RowScope, unit, runID string) ([]warehouse.ReportCell, error)
	SaveDraft(ctx context.Context, scope warehouse.RowScope, unit, month, body, by string) error
	ReportDraft(ctx context.Context, scope warehouse.RowScope, unit, month string) (warehouse.Draft, bool, error)
	Completeness(ctx context.Context, scope warehouse.RowScope, months []string, d warehouse.Deadlines, now time.Time) (*warehouse.Completeness, error)
	UnitStanding(ctx context.Context, scope warehouse.RowScope, unit warehouse.Unit, month string, weights map[string]float64) (*warehouse.Standing, error)
}

var _ Reports = (*warehouse.Warehouse)(nil)

// ReportView is a unit's report of a month as its page shows it.
type ReportView struct {
	Unit     warehouse.Unit
	Month    string
	Deadline string
	State    warehouse.ReportState
	Fields   []ReportField
	// Draft is the unit's unsubmitted draft, when it has one (its values are in Fields).
	Draft    *warehouse.Draft
	History  []warehouse.ReportEvent
	Standing *warehouse.Standing
	// CanSubmit says the caller fills this unit's reports; CanReturn that it may return one.
	CanSubmit bool
	CanReturn bool
	// Checks are figures of the submitted report that are possible but unlikely (more
	// tasks done than assigned); CheckText says them in the page's language, to its reader.
	Checks    []scorecard.Excess
	CheckText []string
}

// ReportAnswer is the JSON of GET /api/report/UNIT/MONTH: the report as its page shows it.
type ReportAnswer struct {
	Unit      api.Unit          `json:"unit"`
	Month     string            `json:"month"`
	Deadline  string            `json:"deadline"`
	State     api.ReportState   `json:"state"`
	Fields    []ReportField     `json:"fields"`
	Draft     *api.Draft        `json:"draft,omitempty"`
	History   []api.ReportEvent `json:"history"`
	Standing  *api.Standing     `json:"standing,omitempty"`
	CanSubmit bool              `json:"can_submit"`
	CanReturn bool              `json:"can_return"`
	Checks    []api.ReportCheck `json:"checks"`
}

func (v *ReportView) answer() ReportAnswer {
	a := ReportAnswer{Unit: api.UnitOf(v.Unit), Month: v.Month, Deadline: v.Deadline, State: api.ReportStateOf(v.State),
		Fields: v.Fields, Draft: api.DraftOf(v.Draft), History: api.ReportEvents(v.History), Standing: api.StandingOf(v.Standing),
		CanSubmit: v.CanSubmit, CanReturn: v.CanReturn, Checks: api.ReportChecks(v.Checks)}
	if a.Standing != nil && a.Standing.Own != nil {
		a.Standing.Own.NameEn = v.Unit.NameEn
	}
	return a
}

// ReportRequest saves a draft or submits a report: field key → text as typed.
type ReportRequest struct {
	Values map[string]string `json:"values"`
}

// ReportResult answers a submission: the revision written, or each field's error.
type ReportResult struct {
	Revision int               `json:"revision,omitempty"`
	Errors   map[string]string `json:"errors,omitempty"`
	Error    string            `json:"error,omitempty"`
}

// ReturnRequest returns a submitted report with the reason the unit will read.
type ReturnRequest struct {
	Comment string `json:"comment"`
}

// maxComment bounds a return's comment.
const maxComment = 500

func (s *Server) reportRoutes(e *echo.Echo) {
	either := s.requireAny(PermReport, PermReviewReports)
	report, review := s.require(PermReport), s.require(PermReviewReports)
	e.GET("/report", s.reportHome, either)
	e.GET("/report/:unit/:month", s.reportPage, either)
	e.GET("/api/report/:unit/:month", s.reportAPI, either)
	e.GET("/api/report/:unit/:month/revisions/:revision", s.revisionAPI, either)
	e.POST("/report/:unit/:month", s.reportSubmitForm, report)
	e.POST("/api/report/:unit/:month/submit", s.reportSubmitAPI, report)
	e.POST("/api/report/:unit/:month/draft", s.reportDraftAPI, report)
	e.POST("/report/:unit/:month/file", s.reportFileUpload, report)
	e.POST("/report/:unit/:month/return", s.reportReturnForm, review)
	e.POST("/api/report/:unit/:month/return", s.reportReturnAPI, review)
	e.GET("/reports", s.completenessPage, review)
	e.GET("/api/reports", s.completenessAPI, review)
}

// reportHome sends a unit's staff to this month's report of their unit, and the province
// to the completeness matrix.
func (s *Server) reportHome(c echo.Context) error {
	ss := currentSession(c)
	if !ss.can(PermReport) {
		return c.Redirect(http.StatusSeeOther, "/reports"+langQuery(c))
	}
	return c.Redirect(http.StatusSeeOther, "/report/"+url.PathEscape(ss.Unit)+"/"+reportMonthDefault(s.now())+langQuery(c))
}

// reportMonthDefault is the month a unit reports now: the last one that has ended.
func reportMonthDefault(now time.Time) string {
	n := now.In(warehouse.ProvinceTime)
	return time.Date(n.Year(), n.Month(), 1, 0, 0, 0, 0, warehouse.ProvinceTime).AddDate(0, -1, 0).Format("2006-01")
}

func langQuery(c echo.Context) string {
	if pageLang(c) == langEn {
		return "?lang=en"
	}
	return ""
}

// errNoReport is what a caller hears of a unit or month it may not see, or that is not
// there: the same 404 either way, so a unit learns nothing of another's reports.
var errNoReport = echo.NewHTTPError(http.StatusNotFound, "no such report")

// reportTarget reads and checks the URL's unit and month against the caller's scope.
func (s *Server) reportTarget(c echo.Context) (warehouse.Unit, string, error) {
	ss := currentSession(c)
	code, month := c.Param("unit"), c.Param("month")
	if !ss.scope().Sees(code) {
		return warehouse.Unit{}, "", errNoReport
	}
	m, err := time.Parse("2006-01", month)
	if err != nil || rules.Month(m, s.now()) != nil || m.Year() < 2000 {
		return warehouse.Unit{}, "", errNoReport
	}
	u, err := s.reports.Unit(c.Request().Context(), code)
	if errors.Is(err, warehouse.ErrNoUnit) {
		return u, "", errNoReport
	}
	return u, month, err
}

// reportView gathers a unit's report of a month: its form (filled with the draft, else the
// values as they stand), state, history, standing.
func (s *Server) reportView(c echo.Context, u warehouse.Unit, month string) (*ReportView, error) {
	ctx := c.Request().Context()
	ss := currentSession(c)
	scope, lang := ss.scope(), pageLang(c)
	defs, err := s.store.CampaignMetrics(ctx)
	if err != nil {
		return nil, err
	}
	v := &ReportView{Unit: u, Month: month, Fields: reportFields(defs, lang), CanSubmit: ss.can(PermReport), CanReturn: ss.can(PermReviewReports)}
	due, err := s.cfg.Deadlines.For(month)
	if err != nil {
		return nil, err
	}
	v.Deadline = due.AddDate(0, 0, -1).Format("2006-01-02")
	if v.History, err = s.reports.ReportEvents(ctx, scope, u.Code, []string{month}); err != nil {
		return nil, err
	}
	comp, err := s.reports.Completeness(ctx, warehouse.UnitScope(u.Code), []string{month}, s.cfg.Deadlines, s.now())
	if err != nil {
		return nil, err
	}
	if len(comp.States) == 1 {
		v.State = comp.States[0][0]
	}
	cells, err := s.reports.ReportValues(ctx, scope, u.Code, month)
	if err != nil {
		return nil, err
	}
	fillFields(v.Fields, cells)
	if err := s.reportChecks(ctx, v, defs, cells, lang); err != nil {
		return nil, err
	}
	prevMonth, _ := time.Parse("2006-01", month)
	last, err := s.reports.ReportValues(ctx, scope, u.Code, prevMonth.AddDate(0, -1, 0).Format("2006-01"))
	if err != nil {
		return nil, err
	}
	hintFields(v.Fields, last, lang)
	if v.CanSubmit {
		d, ok, err := s.reports.ReportDraft(ctx, scope, u.Code, month)
		if err != nil {
			return nil, err
		}
		if ok {
			v.Draft = &d
			values := draftValues(d.Body)
			for i := range v.Fields {
				if t, ok := values[v.Fields[i].Key]; ok {
					v.Fields[i].Value = t
				}
			}
		}
	}
	if v.Standing, err = s.reports.UnitStanding(ctx, scope, u, month, s.cfg.CampaignWeights); err != nil {
		return nil, err
	}
	return v, nil
}

func (s *Server) reportAPI(c echo.Context) error {
	u, month, err := s.reportTarget(c)
	if err != nil {
		return err
	}
	v, err := s.reportView(c, u, month)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, v.answer())
}

// revisionAPI answers the values one submission (revision N) gave.
func (s *Server) revisionAPI(c echo.Context) error {
	u, month, err := s.reportTarget(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	scope := currentSession(c).scope()
	rev, err := strconv.Atoi(c.Param("revision"))
	if err != nil {
		return errNoReport
	}
	events, err := s.reports.ReportEvents(ctx, scope, u.Code, []string{month})
	if err != nil {
		return err
	}
	for _, e := range events {
		if e.Action == warehouse.ReportSubmitted && e.Revision == rev {
			cells, err := s.reports.RevisionValues(ctx, scope, u.Code, e.RunID)
			if err != nil {
				return err
			}
			return c.JSON(http.StatusOK, map[string]any{"revision": api.ReportEventOf(e), "values": api.ReportCells(cells)})
		}
	}
	return errNoReport
}

// submit checks a report's values and writes them as a new revision: typed into the form,
// or read from the unit's file (from names it). A field in error changes nothing; its error
// is beside it.
func (s *Server) submit(c echo.Context, u warehouse.Unit, month string, values map[string]string, from submittedFile) (int, []ReportField, error) {
	ctx := c.Request().Context()
	ss := currentSession(c)
	lang := pageLang(c)
	defs, err := s.store.CampaignMetrics(ctx)
	if err != nil {
		return 0, nil, err
	}
	fields := reportFields(defs, lang)
	cells, err := checkValues(fields, values, defs, true, lang)
	if err != nil {
		return 0, fields, err
	}
	sub := warehouse.Submission{Unit: u, Month: month, By: ss.User, Channel: warehouse.ChannelForm, Cells: cells}
	if from.name != "" {
		sub.Channel, sub.File, sub.FileSHA256 = warehouse.ChannelFile, from.name, from.sha256
	}
	rev, err := s.reports.SubmitReport(ctx, ss.scope(), sub)
	what := fmt.Sprintf("submit report %s %s r%d (%d values)", u.Code, month, rev, len(cells))
	if from.name != "" {
		what += fmt.Sprintf(" from file %q (sha256 %s), %d rows of other units or months refused", from.name, from.sha256, from.refused)
	}
	if aerr := s.auditReport(c, what, err); err == nil {
		err = aerr
	}
	return rev, fields, err
}

func (s *Server) reportSubmitAPI(c echo.Context) error {
	u, month, err := s.reportTarget(c)
	if err != nil {
		return err
	}
	req, err := bindReport(c)
	if err != nil {
		return err
	}
	rev, fields, err := s.submit(c, u, month, req.Values, submittedFile{})
	switch {
	case errors.Is(err, errFormFields):
		res := ReportResult{Errors: map[string]string{}, Error: t(pageLang(c), "report_fix_fields")}
		for _, f := range fields {
			if f.Error != "" {
				res.Errors[f.Key] = f.Error
			}
		}
		return c.JSON(http.StatusUnprocessableEntity, res)
	case errors.Is(err, errUnknownField):
		return echo.NewHTTPError(http.StatusBadRequest, err.Error())
	case err != nil:
		return err
	}
	return c.JSON(http.StatusOK, ReportResult{Revision: rev})
}

// reportSubmitForm is the form's post without scripts: errors are shown beside the fields
// on the page again (422), a submission goes back to the page.
func (s *Server) reportSubmitForm(c echo.Context) error {
	u, month, err := s.reportTarget(c)
	if err != nil {
		return err
	}
	if _, err := c.FormParams(); err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "the form does not read")
	}
	values := map[string]string{}
	// The form's own fields only: its address's ?lang=en is the page's language, not a value
	// (read as one, it refused every English submission).
	for k, vs := range c.Request().PostForm {
		if k == "_csrf" || len(vs) == 0 {
			continue
		}
		// A field sent twice with different values (no page sends one) is not guessed at:
		// the first was taken before.
		for _, v := range vs[1:] {
			if strings.TrimSpace(v) != strings.TrimSpace(vs[0]) {
				return echo.NewHTTPError(http.StatusBadRequest, fmt.Sprintf("field %s is sent %d times with different values", k, len(vs)))
			}
		}
		values[k] = vs[0]
	}
	rev, fields, err := s.submit(c, u, month, values, submittedFile{})
	switch {
	case errors.Is(err, errFormFields):
		v, verr := s.reportView(c, u, month)
		if verr != nil {
			return verr
		}
		v.Fields = fields
		return s.renderReportPage(c, http.StatusUnprocessableEntity, v, reportOutcome{formError: t(pageLang(c), "report_fix_fields")})
	case errors.Is(err, errUnknownField):
		return echo.NewHTTPError(http.StatusBadRequest, err.Error())
	case err != nil:
		return err
	}
	q := url.Values{"submitted": {strconv.Itoa(rev)}}
	if pageLang(c) == langEn {
		q.Set("lang", langEn)
	}
	return c.Redirect(http.StatusSeeOther, "/report/"+url.PathEscape(u.Code)+"/"+month+"?"+q.Encode())
}

// reportDraftAPI keeps what a unit has typed so far, fields in error and all.
func (s *Server) reportDraftAPI(c echo.Context) error {
	u, month, err := s.reportTarget(c)
	if err != nil {
		return err
	}
	req, err := bindReport(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	defs, err := s.store.CampaignMetrics(ctx)
	if err != nil {
		return err
	}
	fields := reportFields(defs, pageLang(c))
	if _, err := checkValues(fields, req.Values, defs, false, pageLang(c)); errors.Is(err, errUnknownField) {
		return echo.NewHTTPError(http.StatusBadRequest, err.Error())
	}
	for _, f := range fields {
		if utf8.RuneCountInString(req.Values[f.Key]) > maxFieldText {
			return echo.NewHTTPError(http.StatusBadRequest, fmt.Sprintf("field %s: %s", f.Key, t(pageLang(c), "report_too_long")))
		}
	}
	body, _ := json.Marshal(req.Values)
	ss := currentSession(c)
	if err := s.reports.SaveDraft(ctx, ss.scope(), u.Code, month, string(body), ss.User); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]string{"saved": s.now().UTC().Format(time.RFC3339)})
}

func bindReport(c echo.Context) (ReportRequest, error) {
	var req ReportRequest
	if err := json.NewDecoder(c.Request().Body).Decode(&req); err != nil {
		return req, echo.NewHTTPError(http.StatusBadRequest, `send {"values": {"field": "text", …}}`)
	}
	if req.Values == nil {
		req.Values = map[string]string{}
	}
	return req, nil
}

// returnReport sends a submitted report back with the reason.
func (s *Server) returnReport(c echo.Context, comment string) (warehouse.Unit, string, error) {
	u, month, err := s.reportTarget(c)
	if err != nil {
		return u, month, err
	}
	lang := pageLang(c)
	switch n := utf8.RuneCountInString(comment); {
	case n == 0:
		return u, month, echo.NewHTTPError(http.StatusUnprocessableEntity, t(lang, "report_comment_needed"))
	case n > maxComment:
		return u, month, echo.NewHTTPError(http.StatusUnprocessableEntity, fmt.Sprintf(t(lang, "report_comment_long"), maxComment))
	}
	err = s.reports.ReturnReport(c.Request().Context(), u.Code, month, currentSession(c).User, comment)
	if aerr := s.auditReport(c, fmt.Sprintf("return report %s %s: %s", u.Code, month, comment), err); err == nil {
		err = aerr
	}
	if errors.Is(err, warehouse.ErrNothingToReturn) {
		return u, month, echo.NewHTTPError(http.StatusConflict, t(lang, "report_nothing_to_return"))
	}
	return u, month, err
}

func (s *Server) reportReturnAPI(c echo.Context) error {
	var req ReturnRequest
	if err := json.NewDecoder(c.Request().Body).Decode(&req); err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, `send {"comment": "…"}`)
	}
	if _, _, err := s.returnReport(c, req.Comment); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]string{"state": warehouse.StateReturned})
}

func (s *Server) reportReturnForm(c echo.Context) error {
	u, month, err := s.returnReport(c, c.FormValue("comment"))
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/report/"+url.PathEscape(u.Code)+"/"+month+langQuery(c))
}

// auditReport writes a report's step to the audit log, however it ended.
func (s *Server) auditReport(c echo.Context, what string, err error) error {
	return s.auditStep(c, warehouse.AuditReport, what, err)
}
