package dashboard

import "github.com/labstack/echo/v4"

// securityPolicy is what every answer lets a browser do with it: scripts, style sheets,
// images and fonts from this server only (every asset is local, and no page has an inline
// script or handler), images also as data: (a chart saved as a picture); style attributes,
// which the charts and the editor set; fetches, forms and frames to this server; and being
// framed by this server's own pages only (the console's export frame), so that another site
// cannot lay a signed-in page under its own and steer clicks onto its buttons.
const securityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; img-src 'self' data:; " +
	"font-src 'self'; connect-src 'self'; frame-src 'self'; form-action 'self'; frame-ancestors 'self'; object-src 'none'; base-uri 'none'"

// securityHeaders sets the security policy on every answer, errors and unknown paths
// included, and tells browsers not to guess a type the server did not send (a CSV or a
// reject's raw row read as HTML) nor to pass page addresses, with their filters, to
// other sites.
func securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("Content-Security-Policy", securityPolicy)
		h.Set("X-Frame-Options", "SAMEORIGIN")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		return next(c)
	}
}
