package dashboard

import (
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"
)

// guarded registers routes that share middleware (a permission check) route by route. An
// Echo group with middleware also sends every address under its prefix that no route has to
// that middleware; with the prefix "" that is every unknown address, so a reporter asking
// for one was told it lacked the dashboards' permission (403) where nothing was there (404).
type guarded struct {
	e  *echo.Echo
	mw []echo.MiddlewareFunc
}

func behind(e *echo.Echo, mw ...echo.MiddlewareFunc) guarded { return guarded{e, mw} }

// with is the shared middleware first, then the route's own.
func (g guarded) with(mw []echo.MiddlewareFunc) []echo.MiddlewareFunc {
	return append(slices.Clip(g.mw), mw...)
}

func (g guarded) GET(path string, h echo.HandlerFunc, mw ...echo.MiddlewareFunc) {
	g.e.GET(path, h, g.with(mw)...)
}

func (g guarded) POST(path string, h echo.HandlerFunc, mw ...echo.MiddlewareFunc) {
	g.e.POST(path, h, g.with(mw)...)
}

func (g guarded) DELETE(path string, h echo.HandlerFunc, mw ...echo.MiddlewareFunc) {
	g.e.DELETE(path, h, g.with(mw)...)
}

// ctxHead marks a request that came as HEAD and is routed as GET.
const ctxHead = "head"

// routeHeadAsGet routes a HEAD request as its GET (Echo routes HEAD only where a route
// names it, and none does), and answerHead, the first middleware after routing, makes it a
// HEAD again: the handler's status and headers are sent and net/http, answering a HEAD,
// drops the body. Echo routes on the request net/http handed it, so the method is changed
// on that request itself, for routing only.
func routeHeadAsGet(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if r := c.Request(); r.Method == http.MethodHead {
			r.Method = http.MethodGet
			c.Set(ctxHead, true)
		}
		return next(c)
	}
}

func answerHead(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if c.Get(ctxHead) != nil {
			c.Request().Method = http.MethodHead
		}
		return next(c)
	}
}

// readableQuery refuses an address whose query cannot be read (past Go's 10,000
// parameters, or a bad escape): its parameters were all dropped and the page answered
// with its defaults, as if it had been asked for them.
func readableQuery(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if raw := c.Request().URL.RawQuery; raw != "" {
			if _, err := url.ParseQuery(raw); err != nil {
				// The error page keeps the language, if the address asks for English.
				c.Request().URL.RawQuery = ""
				if strings.Contains("&"+raw+"&", "&lang=en&") {
					c.Request().URL.RawQuery = "lang=en"
				}
				return echo.NewHTTPError(http.StatusBadRequest, "the address's query cannot be read: "+err.Error())
			}
		}
		return next(c)
	}
}
