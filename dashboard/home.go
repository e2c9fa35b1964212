package dashboard

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"jinwei/warehouse"
)

// homeUnits guards the pages about the home province's own units (counties, the ledger,
// the campaign): their data is loaded for one province, and with no cities or counties of
// the configured home province in the warehouse they would show another province's units
// under the home's name. Then the page says what is missing and how to load it.
func (s *Server) homeUnits(what string, next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		regions, err := s.store.Regions(c.Request().Context())
		if err != nil {
			return err
		}
		if hasUnits(regions, s.cfg.HomeRegion) {
			return next(c)
		}
		home := warehouse.Region{Code: s.cfg.HomeRegion, NameZh: s.cfg.HomeRegion, NameEn: s.cfg.HomeRegion}
		for _, r := range regions {
			if r.Code == s.cfg.HomeRegion {
				home = r
			}
		}
		lang := pageLang(c)
		msg := withLoadHint(c, fmt.Sprintf(t(lang, "home_no_units"), shortName(home, lang), t(lang, "nav_"+what)), warehouse.JobRegions)
		if strings.HasPrefix(c.Path(), "/api/") {
			return c.JSON(http.StatusOK, map[string]any{"home": s.cfg.HomeRegion, "missing": msg, "generated": false})
		}
		v := missingHomeView{page: newPage(c, what, "nav_"+what), Message: msg}
		return c.Render(http.StatusOK, "missing_home.html", v)
	}
}

type missingHomeView struct {
	page
	Message string
}

// inProvince says whether a GB/T 2260 code lies in the province: the first two digits
// name the province.
func inProvince(code, province string) bool {
	return len(code) == 6 && len(province) == 6 && code[:2] == province[:2]
}
