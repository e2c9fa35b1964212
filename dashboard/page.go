package dashboard

import (
	"html/template"
	"net/url"
	"strconv"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/labstack/echo/v4"

	"jinwei/warehouse"
)

// page is what every page shows around its own content: language, navigation, charts,
// and the footnote naming the files behind the numbers.
type page struct {
	Lang string
	L    map[string]string
	// JS are the labels the page's scripts use (L('key') in static/*.js).
	JS        map[string]string
	Nav       string
	Title     string
	OtherLang string
	// Query keeps the page's language and screen for links between pages. A URL, so the
	// template writes it after a link's "?" as it is: a string there is escaped as one
	// value (lang%3den), and the English pages' menu led back to Chinese. Being trusted as a
	// URL, it holds only the constants newPage puts in it, never a value from the request.
	Query   template.URL
	Charts  []chartView
	Sources []warehouse.Lineage
	// Generated says generated demo values are on the page: the notice shows then only.
	Generated bool
	// Maps are map scripts the page's charts need, served from /static/vendor/maps/.
	Maps []string
	// User is who is signed in ("" for nobody); Demo says the pages are open to anyone.
	User string
	Demo bool
	// Guest says no one is signed in, nor is it demo mode: an error page met before
	// signing in shows no menu of pages that would only ask to sign in.
	Guest bool
	// Analyst says the user may open the SQL console; Admin the operator pages.
	Analyst bool
	Admin   bool
	// Reporter says the user fills a unit's reports (and sees no province page); Reviewer
	// that it follows every unit's reports.
	Reporter, Reviewer bool
	// CSRF is the token state-changing forms send back.
	CSRF string
	// Wall is the wall-screen view (?screen=wall): full screen, dark, large type, no
	// controls; it reloads when the data version it was drawn at (DataVersion) changes,
	// asking every Poll seconds, and moves on to the next page every Rotate seconds (0: never).
	Wall        bool
	Poll        int
	Rotate      int
	DataVersion uint64
}

// sourcesShown is how many of a page's sources its footnote lists before folding the rest
// away: the campaign's scorecard rests on a year of monthly files, and 24 file names with
// their load times and runs buried the page's end in a paragraph nobody reads.
const sourcesShown = 3

// SourcesFold is the index of the first source the footnote folds away, 0 when it lists
// them all (folding one or two would hide as much as it shows).
func (p page) SourcesFold() int {
	if len(p.Sources) > sourcesShown+2 {
		return sourcesShown
	}
	return 0
}

// ctxDataVersion holds the data version a request's page is drawn at.
const ctxDataVersion = "data_version"

// wallSeconds reads a wall screen's interval from the query: def when absent or bad, never
// below least.
// minRotate is the fewest seconds a rotating wall screen stays on a page.
const minRotate = 10

func wallSeconds(c echo.Context, name string, def, least int) int {
	n, err := strconv.Atoi(c.QueryParam(name))
	if err != nil {
		return def
	}
	return max(n, least)
}

// chartView is one chart: its echarts option, drawn by app.js into a box of Height px.
type chartView struct {
	ID     string
	Option map[string]any
	Height int
}

// ownPath is the request's path as a link of this site: one slash first. An error page
// links to its own address, and "//evil.example/x" (or "/\evil.example/x", which
// browsers read alike) is another site's.
func ownPath(c echo.Context) string {
	return "/" + strings.TrimLeft(c.Request().URL.EscapedPath(), "/\\")
}

func newPage(c echo.Context, nav, titleKey string) page {
	lang := pageLang(c)
	q := c.Request().URL.Query()
	if lang == langZh {
		q.Set("lang", langEn)
	} else {
		q.Del("lang")
	}
	keep := url.Values{}
	if lang == langEn {
		keep.Set("lang", langEn)
	}
	wall := c.QueryParam("screen") == "wall"
	if wall {
		keep.Set("screen", "wall")
	}
	p := page{Lang: lang, L: labels[lang], JS: jsLabels[lang], Nav: nav, Title: t(lang, titleKey),
		OtherLang: ownPath(c) + "?" + q.Encode(), Query: template.URL(keep.Encode())}
	ss := currentSession(c)
	p.Guest = ss == nil
	if ss != nil {
		p.User, p.Demo, p.Analyst, p.Admin = ss.User, ss.Demo, ss.can(PermRunSQL), ss.can(PermAdminLoads)
		p.Reporter, p.Reviewer = ss.can(PermReport), ss.can(PermReviewReports)
	}
	p.CSRF, _ = c.Get(ctxCSRF).(string)
	if wall {
		p.Wall, p.Poll, p.Rotate = true, wallSeconds(c, "poll", 30, 1), wallSeconds(c, "rotate", 0, 0)
		if p.Rotate > 0 {
			// A page shown for less than this is gone before it is read (and before a
			// busy screen has drawn it).
			p.Rotate = max(p.Rotate, minRotate)
		}
		p.DataVersion, _ = c.Get(ctxDataVersion).(uint64)
	}
	return p
}

func (p *page) addChart(id string, height int, option map[string]any) {
	p.Charts = append(p.Charts, chartView{ID: id, Option: option, Height: height})
}

// chartBase is what every chart shares: a fixed id (stable options for golden files),
// local assets, a title, a tooltip, and the toolbox with PNG export and a data view.
func chartBase(id, title, subtitle, lang string) []charts.GlobalOpts {
	return []charts.GlobalOpts{
		charts.WithInitializationOpts(opts.Initialization{ChartID: id, AssetsHost: "/static/vendor/"}),
		charts.WithTitleOpts(opts.Title{Title: title, Subtitle: subtitle, Left: "center"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		charts.WithToolboxOpts(opts.Toolbox{Show: opts.Bool(true), Right: "20", Feature: &opts.ToolBoxFeature{
			SaveAsImage: &opts.ToolBoxFeatureSaveAsImage{Show: opts.Bool(true), Type: "png", Name: id, Title: t(lang, "save_image")},
			DataView:    &opts.ToolBoxFeatureDataView{Show: opts.Bool(true), Title: t(lang, "data_view")},
		}}),
	}
}

// optionOf validates a go-echarts chart and returns its option for the page.
func optionOf(c interface {
	Validate()
	JSON() map[string]interface{}
}) map[string]any {
	c.Validate()
	return c.JSON()
}
