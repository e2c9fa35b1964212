package dashboard

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"jinwei/dashboard/api"
	"jinwei/warehouse"
)

func (s *Server) briefRoutes(e *echo.Echo) {
	pages := behind(e, s.require(PermViewDashboards))
	pages.GET("/brief", s.briefPage)
	pages.GET("/api/brief", s.briefAPI)
	pages.GET("/brief/print", s.briefPrint)
	pages.GET("/briefs", s.briefsPage)
	pages.GET("/api/briefs", s.briefsAPI)
	pages.GET("/briefs/:id", s.briefArchived)
	pages.GET("/briefs/:id/pdf", s.briefArchivedPDF)
	e.POST("/briefs", s.briefArchive, s.require(PermAdminLoads))
}

// briefOf renders the briefing the request asks for (?period=, ?lang=), without its PDF.
func (s *Server) briefOf(c echo.Context) (*RenderedBrief, error) {
	r, err := s.renderBrief(c.Request().Context(), c.QueryParam("period"), pageLang(c), false)
	var pe periodError
	var unfinished unfinishedPeriod
	switch {
	case errors.As(err, &pe):
		return nil, badFormat("period", c.QueryParam("period"), "2024, 2024-Q4, 2024-12")
	case errors.As(err, &unfinished):
		return nil, &choiceError{Param: "period", Value: unfinished.period, Unfinished: unfinished.today}
	}
	return r, err
}

// briefAPI answers GET /api/brief: the briefing's sentences, each with its link, its JSON
// twin and its numbers.
func (s *Server) briefAPI(c echo.Context) error {
	r, err := s.briefOf(c)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, briefAnswer{Briefing: r.Briefing, Sources: api.Lineages(r.Briefing.Sources)})
}

// briefPage answers GET /brief: the briefing with its pickers and, for admins, archiving.
func (s *Server) briefPage(c echo.Context) error {
	r, err := s.briefOf(c)
	if err != nil {
		return err
	}
	v := s.briefView(r.Briefing, newPage(c, "brief", "nav_brief"))
	p, _ := ParsePeriod(r.Period)
	if v.Periods, err = s.periodOptions(c.Request().Context(), v.Lang, p); err != nil {
		return err
	}
	return c.Render(http.StatusOK, "brief.html", v)
}

// briefPrint answers GET /brief/print: the page a PDF is printed from, and what a browser
// prints where no Chromium makes PDFs.
func (s *Server) briefPrint(c echo.Context) error {
	r, err := s.briefOf(c)
	if err != nil {
		return err
	}
	return c.HTMLBlob(http.StatusOK, r.HTML)
}

// briefArchive answers POST /briefs: makes the briefing with its PDF and keeps it.
func (s *Server) briefArchive(c echo.Context) error {
	lang := langZh
	if c.FormValue("lang") == langEn {
		lang = langEn
	}
	period := c.FormValue("period")
	r, err := s.renderBrief(c.Request().Context(), period, lang, true)
	var pe periodError
	var unfinished unfinishedPeriod
	if errors.As(err, &pe) || errors.As(err, &unfinished) {
		return echo.NewHTTPError(http.StatusBadRequest, err.Error())
	}
	id := ""
	if err == nil {
		id, err = s.archiveBrief(c.Request().Context(), r, currentSession(c).User)
	}
	if aerr := s.auditAdmin(c, fmt.Sprintf("archive briefing %s (%s)", period, lang), err); aerr != nil && err == nil {
		err = aerr
	}
	if err != nil {
		return err
	}
	q := url.Values{"made": {id}}
	if pageLang(c) == langEn {
		q.Set("lang", langEn)
	}
	return c.Redirect(http.StatusSeeOther, "/briefs?"+q.Encode())
}

func (s *Server) briefsAPI(c echo.Context) error {
	a := s.store
	list, err := a.Briefs(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"briefs": api.ArchivedBriefs(list)})
}

// briefsView is the archive's page.
type briefsView struct {
	page
	Briefs []warehouse.ArchivedBrief
	// Made is the briefing just archived.
	Made    string
	Periods []option
	Chosen  string
}

func (s *Server) briefsPage(c echo.Context) error {
	var err error
	a := s.store
	ctx := c.Request().Context()
	v := briefsView{page: newPage(c, "brief", "briefs_title"), Made: c.QueryParam("made")}
	if v.Briefs, err = a.Briefs(ctx); err != nil {
		return err
	}
	if v.Admin {
		latest, err := s.latestPeriod(ctx, PeriodYear)
		if err == nil {
			v.Chosen = latest.String()
			if v.Periods, err = s.periodOptions(ctx, v.Lang, latest); err != nil {
				return err
			}
		}
	}
	return c.Render(http.StatusOK, "briefs.html", v)
}

// briefArchived answers GET /briefs/ID: the briefing's page as it was made.
func (s *Server) briefArchived(c echo.Context) error {
	a := s.store
	b, err := a.Brief(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	return c.HTMLBlob(http.StatusOK, []byte(b.HTML))
}

// briefArchivedPDF answers GET /briefs/ID/pdf: the PDF, or the page to print where the
// briefing was made without Chromium.
func (s *Server) briefArchivedPDF(c echo.Context) error {
	a := s.store
	b, err := a.Brief(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	if len(b.PDF) == 0 {
		return c.Redirect(http.StatusSeeOther, "/briefs/"+b.ID)
	}
	name := fmt.Sprintf("jinwei-brief-%s-%s.pdf", b.Period, b.Lang)
	c.Response().Header().Set(echo.HeaderContentDisposition, fmt.Sprintf("attachment; filename=%q", name))
	return c.Blob(http.StatusOK, "application/pdf", b.PDF)
}
