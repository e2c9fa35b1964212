package dashboard

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"jinwei/warehouse"
	"jinwei/warehouse/reasons"
)

// The operator pages (/admin/…): loads, a run's rejects, schedules, uploads, accounts.
// Server-rendered like the dashboards, admin only, every change a CSRF-checked form that is
// written to the audit log.

// operatorStore is what the operator pages read from the warehouse.
type operatorStore interface {
	Loads(ctx context.Context, q warehouse.LoadsQuery) ([]warehouse.Run, string, error)
	RejectsPage(ctx context.Context, q warehouse.RejectsQuery) ([]warehouse.Reject, string, error)
	EachRejectsPage(ctx context.Context, q warehouse.RejectsQuery, fn func([]warehouse.Reject) (bool, error)) error
	RejectReasons(ctx context.Context, runID string) ([]warehouse.ReasonCount, error)
	Changes(ctx context.Context, q warehouse.ChangesQuery) (warehouse.RunChanges, error)
	Original(ctx context.Context, hash string) (warehouse.Original, error)
	WriteOriginal(ctx context.Context, hash string, dst io.Writer) error
	JobSummaries(ctx context.Context) ([]warehouse.JobSummary, error)
	SearchAudit(ctx context.Context, q warehouse.AuditQuery) ([]warehouse.AuditEntry, error)
}

var _ operatorStore = (*warehouse.Warehouse)(nil)

// Page sizes: a screenful of runs, of rejects; exports read rejects in larger pages.
const (
	loadsPageSize   = 50
	rejectsPageSize = 100
	exportPageSize  = 10_000
	auditPageSize   = 200
	changesPageSize = 50
)

func init() {
	// The upload page posts its files as a multipart stream, like the admin API's upload.
	routeLimits["/admin/upload"] = routeLimit{body: maxUpload, multipart: true}
}

func (s *Server) operatorJobs() (Jobs, error) {
	if s.jobs == nil {
		return nil, echo.NewHTTPError(http.StatusNotFound, "no ETL jobs are configured")
	}
	return s.jobs, nil
}

func (s *Server) adminPageRoutes(e *echo.Echo) {
	loads := e.Group("/admin", s.require(PermAdminLoads))
	loads.GET("/loads", s.loadsPage)
	loads.GET("/loads/:id", s.runPage)
	loads.GET("/loads/:id/rejects", s.rejectsExport, longRoute(0, exportWriteDeadline))
	loads.GET("/loads/:id/changes", s.changesPage)
	loads.GET("/loads/:id/original", s.originalDownload, longRoute(0, exportWriteDeadline))
	loads.GET("/schedules", s.schedulesPage)
	loads.POST("/schedules/:job/run", s.runNow, longRoute(0, jobWriteDeadline))
	// Its previews read staged files whole again, as the POST that staged them did.
	loads.GET("/upload", s.uploadPage, longRoute(0, uploadWriteDeadline))
	loads.POST("/upload", s.uploadPreview, longRoute(uploadReadDeadline, uploadWriteDeadline))
	loads.POST("/upload/load", s.uploadLoad, longRoute(0, uploadWriteDeadline))
	acc := e.Group("/admin", s.require(PermManageAccounts), s.require(PermReadAudit))
	acc.GET("/accounts", s.accountsPage)
	acc.POST("/accounts", s.accountsAdd)
	acc.POST("/accounts/:name/password", s.accountsReset)
	acc.POST("/accounts/:name/disable", s.accountsDisable(true))
	acc.POST("/accounts/:name/enable", s.accountsDisable(false))
	acc.POST("/accounts/:name/role", s.accountsRole)
	acc.POST("/tokens/:id/revoke", s.tokensRevoke)
}

// auditAdmin writes an operator's change to the audit log; a change that cannot be
// audited is reported as failed, though it was made.
func (s *Server) auditAdmin(c echo.Context, what string, err error) error {
	return s.auditStep(c, warehouse.AuditAdmin, what, err)
}

// startedBy is the context of a load started from a page or the API by its user, marked
// "upload:alice": it outlives the client (outlivingClient); done ends it.
func startedBy(c echo.Context, how string) (ctx context.Context, done func()) {
	ctx, done = outlivingClient(c.Request().Context())
	return warehouse.WithStartedBy(ctx, how+":"+currentSession(c).User), done
}

// --- loads ---

type loadsView struct {
	page
	Runs                       []warehouse.Run
	Jobs, Statuses             []string
	Job, Status, From, To, Now string
	NextURL                    string
}

// dayParam reads a yyyy-mm-dd query parameter; end moves it to the next midnight, so a
// "to" day is included.
func dayParam(c echo.Context, name string, end bool) (time.Time, error) {
	v := c.QueryParam(name)
	if v == "" {
		return time.Time{}, nil
	}
	d, err := time.Parse(time.DateOnly, v)
	if err != nil {
		return time.Time{}, echo.NewHTTPError(http.StatusBadRequest, fmt.Sprintf("%s %q is not a date such as 2024-03-31", name, v))
	}
	if end {
		d = d.AddDate(0, 0, 1)
	}
	return d, nil
}

// pageError turns a cursor the warehouse refuses into a 400.
func pageError(err error) error {
	if errors.Is(err, warehouse.ErrBadCursor) {
		return echo.NewHTTPError(http.StatusBadRequest, err.Error())
	}
	return err
}

// withParam is the request's URL with one query parameter set (or removed when v is "").
func withParam(c echo.Context, k, v string) string {
	q := c.Request().URL.Query()
	if v == "" {
		q.Del(k)
	} else {
		q.Set(k, v)
	}
	return ownPath(c) + "?" + q.Encode()
}

func (s *Server) loadsPage(c echo.Context) error {
	st := s.store
	from, err := dayParam(c, "from", false)
	if err != nil {
		return err
	}
	to, err := dayParam(c, "to", true)
	if err != nil {
		return err
	}
	q := warehouse.LoadsQuery{Job: c.QueryParam("job"), Status: c.QueryParam("status"), From: from, To: to,
		Before: c.QueryParam("before"), Limit: loadsPageSize}
	runs, next, err := st.Loads(c.Request().Context(), q)
	if err != nil {
		return pageError(err)
	}
	v := loadsView{page: newPage(c, "admin", "nav_loads"), Runs: runs, Statuses: runStatuses,
		Job: q.Job, Status: q.Status, From: c.QueryParam("from"), To: c.QueryParam("to")}
	if next != "" {
		v.NextURL = withParam(c, "before", next)
	}
	v.Jobs = s.jobNames(c.Request().Context(), st)
	return c.Render(http.StatusOK, "admin_loads.html", v)
}

// jobNames are the jobs the filters offer: those configured and those that ever ran.
func (s *Server) jobNames(ctx context.Context, st operatorStore) []string {
	seen := map[string]bool{}
	if s.jobs != nil {
		for _, j := range s.jobs.Schedules(time.Now()) {
			seen[j.Job] = true
		}
	}
	if sums, err := st.JobSummaries(ctx); err == nil {
		for _, js := range sums {
			seen[js.Job] = true
		}
	}
	out := make([]string, 0, len(seen))
	for j := range seen {
		out = append(out, j)
	}
	sort.Strings(out)
	return out
}

// --- a run and its rejects ---

type runView struct {
	page
	Run     warehouse.Run
	Reasons []warehouse.ReasonCount
	Rejects []warehouse.Reject
	// Code and Search are the rejects' filters; NextURL the next page; ExportQuery the
	// export links' query (the same filters).
	Code, Search, NextURL, ExportQuery string
	// Original says what became of the run's file: downloadable, purged, or never kept.
	Original originalView
	// CountedNote says how the run's job counts records, where a line may hold several.
	CountedNote string
}

// countedJobs are the jobs whose line may hold several records (a wide file's cells), each
// with a note saying how; elsewhere (the ledger, code lists) a line is one record, and a
// ledger run's page spoke of years across.
var countedJobs = []string{warehouse.JobEconomy, warehouse.JobCampaign}

// englishReasons says whether a Chinese page shows some of these rejects' reasons, or of
// these counts' examples, in English (reasonIn), so that it says why beside them.
func englishReasons(lang string, rejects []warehouse.Reject, counts []warehouse.ReasonCount) bool {
	return lang != langEn && (slices.ContainsFunc(rejects, func(r warehouse.Reject) bool { return r.ReasonZh == "" }) ||
		slices.ContainsFunc(counts, func(c warehouse.ReasonCount) bool { return c.ExampleZh == "" }))
}

// findRun is one run by id, or 404.
func findRun(ctx context.Context, st operatorStore, id string) (warehouse.Run, error) {
	runs, _, err := st.Loads(ctx, warehouse.LoadsQuery{RunID: id, Limit: 1})
	if err != nil {
		return warehouse.Run{}, err
	}
	if len(runs) == 0 {
		return warehouse.Run{}, echo.NewHTTPError(http.StatusNotFound, reasons.New("no run %q", "没有载入批次 %q", id))
	}
	return runs[0], nil
}

func (s *Server) runPage(c echo.Context) error {
	st := s.store
	ctx := c.Request().Context()
	run, err := findRun(ctx, st, c.Param("id"))
	if err != nil {
		return err
	}
	reasons, err := st.RejectReasons(ctx, run.ID)
	if err != nil {
		return err
	}
	q := warehouse.RejectsQuery{RunID: run.ID, Code: c.QueryParam("code"), Search: c.QueryParam("q"), After: c.QueryParam("after"), Limit: rejectsPageSize}
	rejects, next, err := st.RejectsPage(ctx, q)
	if err != nil {
		return pageError(err)
	}
	v := runView{page: newPage(c, "admin", "nav_loads"), Run: run, Reasons: reasons, Rejects: rejects, Code: q.Code, Search: q.Search}
	if v.Original, err = originalOf(c, st, run); err != nil {
		return err
	}
	v.Title = fmt.Sprintf(t(v.Lang, "run_title"), run.ID)
	if slices.Contains(countedJobs, run.Job) {
		v.CountedNote = t(v.Lang, "counted_in_values_"+run.Job)
	}
	if next != "" {
		v.NextURL = withParam(c, "after", next)
	}
	eq := url.Values{}
	if q.Code != "" {
		eq.Set("code", q.Code)
	}
	if q.Search != "" {
		eq.Set("q", q.Search)
	}
	v.ExportQuery = eq.Encode()
	return c.Render(http.StatusOK, "admin_run.html", v)
}

// rejectColumns are an exported rejects file's columns, in the page's order.
var rejectColumns = []warehouse.Column{
	{Name: "line", Type: "UInt32"}, {Name: "location", Type: "String"}, {Name: "reason_code", Type: "String"},
	{Name: "reason", Type: "String"}, {Name: "reason_zh", Type: "String"}, {Name: "raw", Type: "String"}, {Name: "file", Type: "String"},
}

// rejectsExport sends a run's rejects (with the page's filters) as CSV or XLSX, to send back
// to the office that sent the file. It reads them page by page, so a million rejects never
// sit in memory, and writes them through the console's encoders.
func (s *Server) rejectsExport(c echo.Context) error {
	format := c.QueryParam("format")
	if err := checkFormat(format, "csv", "xlsx"); err != nil {
		return err
	}
	st := s.store
	ctx := c.Request().Context()
	run, err := findRun(ctx, st, c.Param("id"))
	if err != nil {
		return err
	}
	ff := fileFormats[format]
	limit := ExportLimits().MaxRows
	if ff.maxRows != nil && ff.maxRows() < limit {
		limit = ff.maxRows()
	}
	q := warehouse.RejectsQuery{RunID: run.ID, Code: c.QueryParam("code"), Search: c.QueryParam("q"), Limit: exportPageSize}
	var enc encoder
	sent, cut := 0, false
	// The first page is read before the answer starts, so a failure then is still an error page.
	err = st.EachRejectsPage(ctx, q, func(rows []warehouse.Reject) (bool, error) {
		if enc == nil {
			res := c.Response()
			res.Header().Set(echo.HeaderContentType, ff.contentType)
			res.Header().Set(echo.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="rejects-%s.%s"`, run.ID, ff.ext))
			res.WriteHeader(http.StatusOK)
			enc = ff.encoder(res)
			if err := enc.Columns(rejectColumns); err != nil {
				return false, err
			}
		}
		if sent+len(rows) > limit {
			rows, cut = rows[:limit-sent], true
		}
		chunk := make([][]any, len(rows))
		for i, r := range rows {
			chunk[i] = []any{int64(r.Line), r.Location, r.Code, r.Reason, r.ReasonZh, r.Raw, r.FilePath}
		}
		sent += len(rows)
		return !cut, enc.Rows(chunk)
	})
	if enc == nil {
		return pageError(err)
	}
	defer enc.Discard()
	if err == nil {
		err = enc.Close(cut)
	}
	what := fmt.Sprintf("export rejects of run %s (%s, code %q, search %q)", run.ID, format, q.Code, q.Search)
	if aerr := s.auditAdmin(c, what, err); aerr != nil && err == nil {
		err = aerr
	}
	if err != nil {
		// The answer has begun: the file is cut short, and the log says why.
		s.log.Error("export rejects", "run", run.ID, "err", err)
	}
	return nil
}

// --- schedules ---

type scheduleRow struct {
	JobSchedule
	Summary warehouse.JobSummary
	Ran     bool
	// Failing says the job's newest run failed or was abandoned: the page shows it first.
	Failing bool
}

type schedulesView struct {
	page
	Jobs   []scheduleRow
	Result []JobResult
	Error  string
}

func (s *Server) schedules(c echo.Context) (schedulesView, error) {
	v := schedulesView{page: newPage(c, "admin", "nav_schedules")}
	st := s.store
	oj, err := s.operatorJobs()
	if err != nil {
		return v, err
	}
	sums, err := st.JobSummaries(c.Request().Context())
	if err != nil {
		return v, err
	}
	byJob := map[string]warehouse.JobSummary{}
	for _, js := range sums {
		byJob[js.Job] = js
	}
	for _, js := range oj.Schedules(time.Now()) {
		sum, ran := byJob[js.Job]
		v.Jobs = append(v.Jobs, scheduleRow{JobSchedule: js, Summary: sum, Ran: ran,
			Failing: ran && (sum.LastStatus == warehouse.RunFailed || sum.LastStatus == warehouse.RunAbandoned)})
	}
	sort.SliceStable(v.Jobs, func(i, j int) bool { return v.Jobs[i].Failing && !v.Jobs[j].Failing })
	return v, nil
}

func (s *Server) schedulesPage(c echo.Context) error {
	v, err := s.schedules(c)
	if err != nil {
		return err
	}
	return c.Render(http.StatusOK, "admin_schedules.html", v)
}

// runNow runs a job at once (its URL, then its inbox), and shows the schedules with what
// the run loaded.
func (s *Server) runNow(c echo.Context) error {
	oj, err := s.operatorJobs()
	if err != nil {
		return err
	}
	job := c.Param("job")
	ctx, done := startedBy(c, warehouse.StartedByRunNow)
	defer done()
	results, runErr := oj.RunJob(ctx, job)
	if err := s.auditAdmin(c, "run job "+job, runErr); err != nil {
		return err
	}
	v, err := s.schedules(c)
	if err != nil {
		return err
	}
	v.Result = results
	if runErr != nil {
		v.Error = errorIn(v.Lang, runErr)
	}
	return c.Render(http.StatusOK, "admin_schedules.html", v)
}

// --- upload ---

type uploadView struct {
	page
	Jobs   []string
	Job    string
	Staged []StagedUpload
	Loaded []JobResult
	Error  string
	// Names name the indicators and regions of the previews.
	Names dimensionNames
}

// uploadView is the upload page with the jobs to choose from, and the jobs' runner.
func (s *Server) uploadView(c echo.Context) (uploadView, Jobs, error) {
	v := uploadView{page: newPage(c, "admin", "nav_upload")}
	oj, err := s.operatorJobs()
	if err != nil {
		return v, nil, err
	}
	if v.Names, err = s.dimensionNamesFor(c, warehouse.JobEconomy); err != nil {
		return v, nil, err
	}
	for _, j := range oj.Schedules(time.Now()) {
		v.Jobs = append(v.Jobs, j.Job)
	}
	return v, oj, nil
}

// uploadPage is the upload form, with the previews of the staged uploads its address names
// (the language switch of a preview leads here).
func (s *Server) uploadPage(c echo.Context) error {
	v, oj, err := s.uploadView(c)
	if err != nil {
		return err
	}
	v.Job = c.QueryParam("job")
	var ids []string
	for _, id := range c.QueryParams()["staged"] {
		if slices.Contains(ids, id) {
			continue
		}
		if len(ids) == maxPreviewAgain {
			return echo.NewHTTPError(http.StatusBadRequest, fmt.Sprintf("the address names more than %d staged uploads, what a page previews at most", maxPreviewAgain))
		}
		ids = append(ids, id)
	}
	if len(ids) > 0 && !slices.Contains(v.Jobs, v.Job) {
		return echo.NewHTTPError(http.StatusBadRequest, fmt.Sprintf(t(v.Lang, "upload_unknown_job"), v.Job))
	}
	var failed []string
	for _, id := range ids {
		st, err := oj.PreviewStaged(c.Request().Context(), v.Job, id)
		if err != nil {
			failed = append(failed, errorIn(v.Lang, err))
			continue
		}
		v.Staged = append(v.Staged, st)
	}
	v.Error = strings.Join(failed, "; ")
	return c.Render(http.StatusOK, "admin_upload.html", v)
}

// maxPreviewAgain bounds the staged uploads one address may preview: each is read whole.
const maxPreviewAgain = 100

// previewAgain is the address of these staged uploads' preview in the other language: the
// preview answers a POST, and the language switch led to an empty upload form.
func previewAgain(lang, job string, staged []StagedUpload) string {
	q := url.Values{"job": {job}}
	for _, st := range staged {
		q.Add("staged", st.ID)
	}
	if lang == langZh {
		q.Set("lang", langEn)
	}
	return "/admin/upload?" + q.Encode()
}

// uploadPreview takes one or more files (multipart, streamed: the job field first, then
// the files), stages each, and shows what inspect and a dry run made of them. Nothing is
// loaded until the operator says so (uploadLoad).
func (s *Server) uploadPreview(c echo.Context) error {
	v, oj, err := s.uploadView(c)
	if err != nil {
		return err
	}
	parts, err := multipartParts(c)
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, err.Error())
	}
	for {
		p, err := parts.NextPart()
		if err != nil {
			break
		}
		switch p.FormName() {
		case "job":
			b := make([]byte, 64)
			n, _ := p.Read(b)
			v.Job = strings.TrimSpace(string(b[:n]))
		case "file":
			if p.FileName() == "" {
				continue
			}
			if v.Job == "" {
				v.Error = t(v.Lang, "upload_no_job")
				return c.Render(http.StatusBadRequest, "admin_upload.html", v)
			}
			st, err := oj.Stage(c.Request().Context(), v.Job, p.FileName(), p)
			if aerr := s.auditAdmin(c, fmt.Sprintf("stage upload %s for job %s", p.FileName(), v.Job), err); aerr != nil {
				return aerr
			}
			if err != nil {
				v.Error = errorIn(v.Lang, err)
				return c.Render(http.StatusBadRequest, "admin_upload.html", v)
			}
			v.Staged = append(v.Staged, st)
		}
	}
	if len(v.Staged) == 0 && v.Error == "" {
		v.Error = t(v.Lang, "upload_no_file")
		return c.Render(http.StatusBadRequest, "admin_upload.html", v)
	}
	v.OtherLang = previewAgain(v.Lang, v.Job, v.Staged)
	return c.Render(http.StatusOK, "admin_upload.html", v)
}

// uploadLoad loads staged uploads the operator has looked at.
func (s *Server) uploadLoad(c echo.Context) error {
	v, oj, err := s.uploadView(c)
	if err != nil {
		return err
	}
	v.Job = c.FormValue("job")
	form, err := c.FormParams()
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, err.Error())
	}
	ctx, done := startedBy(c, warehouse.StartedByUpload)
	defer done()
	for _, id := range form["staged"] {
		res, err := oj.LoadStaged(ctx, v.Job, id)
		// A load the loader refused comes back as its failed run, the error beside it: the
		// audit log wrote it down as a success.
		failed := err
		if failed == nil && res.Error != "" {
			failed = errors.New(res.Error)
		}
		if aerr := s.auditAdmin(c, fmt.Sprintf("load upload %s for job %s", id, v.Job), failed); aerr != nil {
			return aerr
		}
		if err != nil && res.Run.ID == "" {
			v.Error = errorIn(v.Lang, err)
			continue
		}
		v.Loaded = append(v.Loaded, res)
	}
	return c.Render(http.StatusOK, "admin_upload.html", v)
}

// --- accounts, tokens, audit ---

type accountsView struct {
	page
	Accounts []warehouse.Account
	Tokens   []warehouse.APIToken
	Roles    []string
	// UnitNames names the accounts' units (城关区 beside 620102).
	UnitNames map[string]string
	Audit     []warehouse.AuditEntry
	// AuditUser, AuditKind, AuditFrom and AuditTo are the audit search's fields;
	// AuditActions the kinds it offers.
	AuditUser, AuditKind, AuditFrom, AuditTo string
	AuditActions                             []string
	// Secret is a password shown once, after an account is added or its password reset.
	Secret *Secret
	Error  string
}

func (s *Server) accountsView(c echo.Context) (accountsView, error) {
	ctx := c.Request().Context()
	v := accountsView{page: newPage(c, "admin", "nav_accounts"), Accounts: s.accounts.List(ctx), Tokens: s.accounts.Tokens(ctx),
		Roles: RoleNames(), AuditUser: c.QueryParam("user"), AuditKind: c.QueryParam("kind"), AuditActions: warehouse.AuditActions, AuditFrom: c.QueryParam("from"), AuditTo: c.QueryParam("to")}
	if v.AuditKind != "" && !slices.Contains(v.AuditActions, v.AuditKind) {
		// A kind no longer written (a link kept from before) still filters: the picker says
		// which, rather than 全部 over entries of one kind.
		v.AuditActions = append([]string{v.AuditKind}, v.AuditActions...)
	}
	regions, err := s.regionIndex(c)
	if err != nil {
		return v, err
	}
	v.UnitNames = map[string]string{}
	for _, a := range v.Accounts {
		if r, ok := regions[a.Unit]; ok {
			v.UnitNames[a.Unit] = fullName(r, v.Lang)
		}
	}
	st := s.store
	from, err := dayParam(c, "from", false)
	if err != nil {
		return v, err
	}
	to, err := dayParam(c, "to", true)
	if err != nil {
		return v, err
	}
	v.Audit, err = st.SearchAudit(ctx, warehouse.AuditQuery{User: v.AuditUser, Action: v.AuditKind, From: from, To: to, Limit: auditPageSize})
	return v, err
}

func (s *Server) accountsPage(c echo.Context) error {
	v, err := s.accountsView(c)
	if err != nil {
		return err
	}
	return c.Render(http.StatusOK, "admin_accounts.html", v)
}

// accountsDone shows the accounts page after a change: the secret once, or the error.
func (s *Server) accountsDone(c echo.Context, what string, secret *Secret, err error) error {
	if aerr := s.auditAdmin(c, what, err); aerr != nil {
		return aerr
	}
	v, verr := s.accountsView(c)
	if verr != nil {
		return verr
	}
	status := http.StatusOK
	if err != nil {
		var he *echo.HTTPError
		if errors.As(accountError(err), &he) {
			status = he.Code
		} else {
			return err
		}
		v.Error = err.Error()
	}
	v.Secret = secret
	return c.Render(status, "admin_accounts.html", v)
}

func (s *Server) accountsAdd(c echo.Context) error {
	name, role, unit := c.FormValue("name"), c.FormValue("role"), c.FormValue("unit")
	password, err := s.accounts.AddUser(c.Request().Context(), name, role, unit)
	var secret *Secret
	if err == nil {
		secret = &Secret{Name: name, Role: role, Unit: unit, Password: password}
	}
	return s.accountsDone(c, fmt.Sprintf("add account %s (%s)", name, role), secret, err)
}

func (s *Server) accountsReset(c echo.Context) error {
	name := c.Param("name")
	password, err := s.accounts.SetPassword(c.Request().Context(), name)
	var secret *Secret
	if err == nil {
		secret = &Secret{Name: name, Password: password}
	}
	return s.accountsDone(c, "reset password of "+name, secret, err)
}

func (s *Server) accountsDisable(disabled bool) echo.HandlerFunc {
	return func(c echo.Context) error {
		name := c.Param("name")
		err := s.accounts.SetDisabled(c.Request().Context(), name, disabled)
		what := "enable account " + name
		if disabled {
			what = "disable account " + name
		}
		return s.accountsDone(c, what, nil, err)
	}
}

func (s *Server) accountsRole(c echo.Context) error {
	name, role := c.Param("name"), c.FormValue("role")
	err := s.accounts.SetRole(c.Request().Context(), name, role)
	return s.accountsDone(c, fmt.Sprintf("change role of %s to %s", name, role), nil, err)
}

func (s *Server) tokensRevoke(c echo.Context) error {
	id := c.Param("id")
	err := s.accounts.RevokeToken(c.Request().Context(), id)
	return s.accountsDone(c, "revoke API token "+id, nil, err)
}

// SetRole gives an account another role and ends its sessions, so the new permissions hold
// from its next sign-in, never alongside a session begun under the old ones.
func (a *Accounts) SetRole(ctx context.Context, name, role string) error {
	if !ValidRole(role) {
		return ErrBadRole
	}
	u, ok := a.account(ctx, name)
	if !ok {
		return fmt.Errorf("%s: %w", name, ErrNoAccount)
	}
	if u.Role == role {
		return nil
	}
	// A reporter's unit is given when the account is made; a province account becoming a
	// reporter (or the reverse) would see no unit's rows or keep a unit it no longer has.
	if RoleBoundToUnit(role) != (u.Unit != "") {
		return fmt.Errorf("%s: %w", name, ErrUnitRole)
	}
	u.Role, u.Source, u.SessionEpoch = role, "cli", u.SessionEpoch+1
	return a.put(ctx, u)
}

// multipartParts is the upload's body as a stream of parts (see limitRequests).
func multipartParts(c echo.Context) (*multipart.Reader, error) {
	mr, ok := c.Get(ctxMultipart).(*multipart.Reader)
	if !ok {
		return nil, errors.New("send the files as multipart/form-data")
	}
	return mr, nil
}

func init() {
	templateFuncs["runFile"] = runFile
	templateFuncs["runSource"] = runSource
}

// runFile names a load's file on a page: its base name (the loads list gives the full path
// as its title), or a unit's report in words, which a base name (r1) did not say.
func runFile(lang, path string) string {
	if s := runSource(lang, path); s != path {
		return s
	}
	return filepath.Base(path)
}

// runSource is what a run loaded as its own page names it: a unit's report by name, a file
// by its whole path, where an operator finds it.
func runSource(lang, path string) string {
	r, ok := warehouse.ReportRunOf(path)
	if !ok {
		return path
	}
	s := fmt.Sprintf(t(lang, "report_run"), r.Unit, r.Month, r.Revision)
	if r.File != "" {
		s += " · " + r.File
	}
	return s
}
