package dashboard

import (
	"errors"
	"fmt"
	"mime"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"jinwei/warehouse"
)

// The original file of a load, downloadable from its run page when the file came through an
// inbox or an upload and is still kept (see warehouse.OriginalsPolicy).

// originalStates are what can become of a run's original file (originalView.State).
var originalStates = []string{"kept", "purged", "too_large", "cli", "form", "none"}

// originalView says on the run page what became of the run's original file.
type originalView struct {
	// State is kept, purged, too_large, cli (loaded from a path on the command line: never
	// kept), form (a unit's report entered on its form: there is no file) or none (loaded
	// before files were kept, or the keeping failed).
	State string
	warehouse.Original
}

// originalOf finds what became of run's original file.
func originalOf(c echo.Context, st operatorStore, run warehouse.Run) (originalView, error) {
	kind, _, _ := strings.Cut(run.StartedBy, ":")
	if kind == "cli" {
		return originalView{State: "cli"}, nil
	}
	if r, ok := warehouse.ReportRunOf(run.FilePath); ok && r.File == "" {
		return originalView{State: "form"}, nil
	}
	if run.ContentHash == "" {
		return originalView{State: "none"}, nil
	}
	o, err := st.Original(c.Request().Context(), run.ContentHash)
	switch {
	case errors.Is(err, warehouse.ErrNoOriginal):
		return originalView{State: "none"}, nil
	case err != nil:
		return originalView{}, err
	case o.Stored:
		return originalView{State: "kept", Original: o}, nil
	case o.TooLarge:
		return originalView{State: "too_large", Original: o}, nil
	}
	return originalView{State: "purged", Original: o}, nil
}

// attachment is a Content-Disposition naming a download: an ASCII name for old clients and
// the real name (Chinese included) in RFC 5987 form, never a header a name could break.
func attachment(name string) string {
	ascii := strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' || r == '/' {
			return '_'
		}
		return r
	}, name)
	v := mime.FormatMediaType("attachment", map[string]string{"filename": ascii})
	if ascii != name {
		v += "; filename*=UTF-8''" + rfc5987(name)
	}
	return v
}

// rfc5987 percent-encodes every byte of s but the few RFC 5987 lets a header value carry.
func rfc5987(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("!#$&+-.^_`|~", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String()
}

// originalDownload sends a run's original file, audited.
func (s *Server) originalDownload(c echo.Context) error {
	st := s.store
	ctx := c.Request().Context()
	run, err := findRun(ctx, st, c.Param("id"))
	if err != nil {
		return err
	}
	ov, err := originalOf(c, st, run)
	if err != nil {
		return err
	}
	if ov.State != "kept" {
		return echo.NewHTTPError(http.StatusNotFound, t(pageLang(c), "original_"+ov.State))
	}
	res := c.Response()
	res.Header().Set(echo.HeaderContentType, "application/octet-stream")
	res.Header().Set(echo.HeaderContentDisposition, attachment(ov.Name))
	res.Header().Set(echo.HeaderContentLength, fmt.Sprint(ov.Size))
	res.WriteHeader(http.StatusOK)
	err = st.WriteOriginal(ctx, run.ContentHash, res)
	if aerr := s.auditAdmin(c, fmt.Sprintf("download original %s of run %s", ov.Name, run.ID), err); aerr != nil && err == nil {
		err = aerr
	}
	if err != nil {
		// The answer has begun: the file is cut short, and the log says why.
		s.log.Error("download original", "run", run.ID, "err", err)
	}
	return nil
}

// byteSize says a file's size the way a file manager does: 830 B, 12.4 KB, 3.1 MB.
func byteSize(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	f, suffix := float64(n)/unit, "KB"
	for _, s := range []string{"MB", "GB"} {
		if f < unit {
			break
		}
		f, suffix = f/unit, s
	}
	return fmt.Sprintf("%.1f %s", f, suffix)
}

func init() { templateFuncs["bytes"] = byteSize }
