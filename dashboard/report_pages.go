package dashboard

import (
	"cmp"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"jinwei/dashboard/api"
	"jinwei/warehouse"
)

// reportPageView is a unit's report page: the form, its state and history, the standing.
type reportPageView struct {
	page
	R *ReportView
	// Notice says what just happened (submitted revision N); FormError why nothing was.
	Notice, FormError string
	StateLabel        string
	Months            []option
	// Submitted is the revision just submitted (the script then forgets its local copy).
	Submitted int
	// File is what became of the unit's file just sent; CanSendFile that this server takes
	// files, MaxFileMB how large.
	File        *FileResult
	CanSendFile bool
	MaxFileMB   int
	History     []historyRow
	Ranks       []warehouse.PublishedRank
}

type historyRow struct {
	Revision int
	Action   string
	By       string
	At       string
	Comment  string
	Link     string
}

func (s *Server) reportPage(c echo.Context) error {
	u, month, err := s.reportTarget(c)
	if err != nil {
		return err
	}
	v, err := s.reportView(c, u, month)
	if err != nil {
		return err
	}
	sub, _ := strconv.Atoi(c.QueryParam("submitted"))
	return s.renderReportPage(c, http.StatusOK, v, reportOutcome{submitted: sub})
}

// reportOutcome is what the post before this page did: the revision it submitted, why the
// form submitted nothing, what became of a file.
type reportOutcome struct {
	submitted int
	formError string
	file      *FileResult
}

func (s *Server) renderReportPage(c echo.Context, status int, r *ReportView, o reportOutcome) error {
	lang := pageLang(c)
	v := reportPageView{page: newPage(c, "report", "nav_report"), R: r, FormError: o.formError, Submitted: o.submitted,
		StateLabel: t(lang, "state_"+r.State.State), File: o.file, CanSendFile: r.CanSubmit && s.cfg.ReportFiles != nil,
		MaxFileMB: MaxReportFileBytes >> 20}
	v.Title = fmt.Sprintf("%s · %s", unitName(r.Unit, lang), r.Month)
	switch {
	case o.submitted > 0 && o.file != nil:
		v.Notice = fmt.Sprintf(t(lang, "rfile_submitted"), o.file.File, o.submitted)
	case o.submitted > 0:
		v.Notice = fmt.Sprintf(t(lang, "report_submitted"), o.submitted)
	}
	m, _ := time.Parse("2006-01", reportMonthDefault(s.now()))
	for i := 0; i < 12; i++ {
		mm := m.AddDate(0, -i, 0).Format("2006-01")
		v.Months = append(v.Months, option{mm, mm, mm == r.Month})
	}
	if !slices.ContainsFunc(v.Months, func(o option) bool { return o.Selected }) {
		// A month older than the last twelve, opened by its link: the picker showed the
		// newest month as chosen above another month's form.
		v.Months = append(v.Months, option{r.Month, r.Month, true})
		slices.SortFunc(v.Months, func(a, b option) int { return strings.Compare(b.Value, a.Value) })
	}
	for _, e := range r.History {
		h := historyRow{Revision: e.Revision, Action: t(lang, "report_action_"+e.Action), By: e.By,
			At: clock(e.At), Comment: e.Comment}
		if e.Action == warehouse.ReportSubmitted {
			h.Link = fmt.Sprintf("/api/report/%s/%s/revisions/%d", r.Unit.Code, r.Month, e.Revision)
		}
		v.History = append(v.History, h)
	}
	if r.Standing != nil {
		v.Ranks = r.Standing.Ranks
		// The ranking is published with the units' Chinese names; an English page names
		// them in English, as the campaign page does.
		if lang == langEn && len(v.Ranks) > 0 {
			en, err := s.unitNames(c.Request().Context(), langEn)
			if err != nil {
				return err
			}
			v.Ranks = slices.Clone(v.Ranks)
			for i := range v.Ranks {
				v.Ranks[i].Name = cmp.Or(en[v.Ranks[i].Unit], v.Ranks[i].Name)
			}
		}
	}
	return c.Render(status, "report.html", v)
}

func unitName(u warehouse.Unit, lang string) string {
	if lang == langEn && u.NameEn != "" {
		return u.NameEn
	}
	return u.NameZh
}

// reportStates are the states of a unit's report of a month, as the matrix shows them.
var reportStates = []string{warehouse.StateOnTime, warehouse.StateLate, warehouse.StateReturned, warehouse.StateMissing, warehouse.StatePending, warehouse.StateLoaded}

// unitKinds are the kinds of reporting unit, in the matrix's filter.
var unitKinds = []string{warehouse.UnitCity, warehouse.UnitCounty, warehouse.UnitDepartment}

// completenessView is the province's units × months matrix.
type completenessView struct {
	page
	C *warehouse.Completeness
	// Heads are the months with their deadline days.
	Heads []option
	Rows  []completenessRow
	Kinds []option
	To    string
}

type completenessRow struct {
	Unit  warehouse.Unit
	Name  string
	Cells []completenessCell
}

type completenessCell struct {
	State, Label, Link, Comment string
}

// completenessMonths are the six months up to ?to (default: the month being reported).
func (s *Server) completenessMonths(c echo.Context) ([]string, error) {
	to := c.QueryParam("to")
	if to == "" {
		to = reportMonthDefault(s.now())
	}
	m, err := time.Parse("2006-01", to)
	if err != nil || m.Year() < 2000 || m.Year() > 2100 {
		return nil, echo.NewHTTPError(http.StatusBadRequest, "to is a month such as 2024-05")
	}
	months := make([]string, 6)
	for i := range months {
		months[i] = m.AddDate(0, i-5, 0).Format("2006-01")
	}
	return months, nil
}

func (s *Server) completeness(c echo.Context) (*warehouse.Completeness, error) {
	months, err := s.completenessMonths(c)
	if err != nil {
		return nil, err
	}
	comp, err := s.reports.Completeness(c.Request().Context(), currentSession(c).scope(), months, s.cfg.Deadlines, s.now())
	if err != nil {
		return nil, err
	}
	if kind := c.QueryParam("kind"); kind != "" {
		keep := comp.Units[:0:0]
		var states [][]warehouse.ReportState
		for i, u := range comp.Units {
			if u.Kind == kind {
				keep, states = append(keep, u), append(states, comp.States[i])
			}
		}
		comp.Units, comp.States = keep, states
	}
	return comp, nil
}

func (s *Server) completenessAPI(c echo.Context) error {
	comp, err := s.completeness(c)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, api.CompletenessOf(comp))
}

func (s *Server) completenessPage(c echo.Context) error {
	comp, err := s.completeness(c)
	if err != nil {
		return err
	}
	lang := pageLang(c)
	v := completenessView{page: newPage(c, "reports", "nav_reports"), C: comp, To: comp.Months[len(comp.Months)-1]}
	for i, m := range comp.Months {
		v.Heads = append(v.Heads, option{m, comp.Deadlines[i].AddDate(0, 0, -1).Format("2006-01-02"), false})
	}
	kind := c.QueryParam("kind")
	v.Kinds = append(v.Kinds, option{"", t(lang, "any_value"), kind == ""})
	for _, k := range unitKinds {
		v.Kinds = append(v.Kinds, option{k, t(lang, "unit_"+k), kind == k})
	}
	for i, u := range comp.Units {
		row := completenessRow{Unit: u, Name: unitName(u, lang)}
		for j, st := range comp.States[i] {
			link := "/report/" + u.Code + "/" + comp.Months[j]
			if lang == langEn {
				link += "?lang=en"
			}
			row.Cells = append(row.Cells, completenessCell{State: st.State, Label: t(lang, "state_"+st.State), Link: link, Comment: st.Comment})
		}
		v.Rows = append(v.Rows, row)
	}
	return c.Render(http.StatusOK, "reports.html", v)
}
