package dashboard

import (
	"fmt"

	"github.com/labstack/echo/v4"
)

// withLoadHint follows a page's note of data not loaded (fact, a whole sentence) with how
// it gets loaded, told to whoever reads it: an admin the upload page and the command line,
// demo mode's operator (at the machine, with no accounts) the command line, anyone else that
// the data administrator loads it. A leader was shown "jinwei etl load --job economy FILE".
func withLoadHint(c echo.Context, fact, job string) string {
	lang := pageLang(c)
	hint := t(lang, "load_hint_ask")
	switch ss := currentSession(c); {
	case ss != nil && ss.Demo:
		hint = fmt.Sprintf(t(lang, "load_hint_cli"), t(lang, "job_"+job), job)
	case ss != nil && ss.can(PermAdminLoads):
		hint = fmt.Sprintf(t(lang, "load_hint_admin"), t(lang, "job_"+job), job)
	}
	if lang == langEn {
		return fact + " " + hint
	}
	return fact + hint
}
