package dashboard

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
)

// What one request may take from the server. An open port is reachable by anyone, signed in
// or not, so every limit here holds before authentication: a body is refused by its declared
// size before a byte of it is read, and only upload routes read multipart bodies at all.
const (
	// maxBody bounds the body of every route that is not an upload: sign-in forms, CSRF
	// tokens, SQL statements (the guard takes at most 64 KiB of text) and saved queries.
	maxBody = 1 << 20
	// maxHeaderBytes bounds the request line and headers (Go's default is 1 MiB): a method
	// or header of hundreds of kilobytes is answered 431 by the server before any handler.
	maxHeaderBytes = 64 << 10
)

// Timeouts are the http.Server's deadlines. Routes that need more (uploads, loads, exports,
// backups) extend theirs per request once the caller is known to be allowed (longRoute).
type Timeouts struct {
	// ReadHeader is how long a client may take to send the request line and headers: a
	// slowloris client that trickles them is cut off then.
	ReadHeader time.Duration
	// Read is how long a client may take to send the whole request, body included.
	Read time.Duration
	// Write is how long the answer of an ordinary route may take, from the end of the headers.
	Write time.Duration
	// Idle is how long a kept-alive connection may wait for its next request.
	Idle time.Duration
}

// DefaultTimeouts are serve's. An ordinary answer has two minutes: the console's statements
// stop at 30 s, and the engine may queue them behind others.
func DefaultTimeouts() Timeouts {
	return Timeouts{ReadHeader: 10 * time.Second, Read: 30 * time.Second, Write: 2 * time.Minute, Idle: 2 * time.Minute}
}

// NewHTTPServer is the http.Server for the dashboard app, with its deadlines and header
// limit; base is every request's parent context, which its shutdown ends.
func NewHTTPServer(app http.Handler, t Timeouts, base context.Context) *http.Server {
	withLife := context.WithValue(base, lifeKey{}, base)
	return &http.Server{Handler: app, ReadHeaderTimeout: t.ReadHeader, ReadTimeout: t.Read, WriteTimeout: t.Write,
		IdleTimeout: t.Idle, MaxHeaderBytes: maxHeaderBytes, BaseContext: func(net.Listener) context.Context { return withLife }}
}

// lifeKey holds, in every request's context, the server's base context.
type lifeKey struct{}

// outlivingClient is a request's context, its values kept, ended by the server's base
// context (its shutdown) instead of by the client going: a load confirmed in a browser
// ran in its request, and a proxy giving up after a minute failed it halfway, leaving the
// file in the inbox for the next scheduled run. done releases it.
func outlivingClient(req context.Context) (ctx context.Context, done func()) {
	ctx, cancel := context.WithCancel(context.WithoutCancel(req))
	life, ok := req.Value(lifeKey{}).(context.Context)
	if !ok {
		return ctx, cancel
	}
	stop := context.AfterFunc(life, cancel)
	return ctx, func() { stop(); cancel() }
}

// routeLimit is what one route's body may be beyond the defaults: larger, or multipart.
type routeLimit struct {
	body      int64
	multipart bool
}

// routeLimits lists the routes (Echo's route templates) whose bodies may be more than
// maxBody: the upload takes a file of up to maxUpload, as a raw or a multipart body. The
// limit holds before authentication: the CSRF check reads forms before any permission
// check runs.
var routeLimits = map[string]routeLimit{
	"/api/admin/jobs/:job/upload": {body: maxUpload, multipart: true},
}

// Deadlines of the routes that need more than the server's (see longRoute): an upload's
// body may take half an hour to arrive and its answer waits for the load (the CLI's client
// waits two hours); a job run waits for its loads; an export has 120 s for its statement
// and then sends a file of up to 4 GiB, as the SQL API's CSV and Arrow answers do; a backup
// copies the warehouse. A live progress stream would get its own here.
const (
	uploadReadDeadline  = 30 * time.Minute
	uploadWriteDeadline = 2 * time.Hour
	jobWriteDeadline    = 2 * time.Hour
	exportWriteDeadline = 30 * time.Minute
	backupWriteDeadline = time.Hour
)

// longRoute gives a route longer deadlines than the server's (0 keeps one). It is route
// middleware, listed after the route's permission check, so only a caller allowed the
// route gets them: anyone else keeps the server's, and cannot hold a connection for half
// an hour by trickling a body to the upload route.
func longRoute(read, write time.Duration) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			rc := http.NewResponseController(c.Response())
			if read > 0 {
				_ = rc.SetReadDeadline(time.Now().Add(read))
			}
			if write > 0 {
				_ = rc.SetWriteDeadline(time.Now().Add(write))
			}
			return next(c)
		}
	}
}

const ctxMultipart = "jinwei_multipart"

// limitRequests bounds each request's body by its route and refuses multipart bodies
// outside upload routes (the CSRF check and form binding would otherwise parse them,
// spilling large parts into temporary files).
func (s *Server) limitRequests(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		lim, ok := routeLimits[c.Path()]
		if !ok || !s.routes[c.Path()] {
			lim = routeLimit{}
		}
		if lim.body == 0 {
			lim.body = maxBody
		}
		if req.ContentLength > lim.body {
			return tooLarge(lim.body)
		}
		body := &limitedBody{ReadCloser: http.MaxBytesReader(c.Response(), req.Body, lim.body)}
		req.Body = body
		if isMultipart(req) {
			if !lim.multipart {
				return echo.NewHTTPError(http.StatusUnsupportedMediaType, "multipart bodies are taken only by uploads; send a form as application/x-www-form-urlencoded")
			}
			// Taking the body as a stream of parts also keeps every later FormValue (the
			// CSRF check's) from parsing it into memory and temporary files.
			mr, err := req.MultipartReader()
			if err != nil {
				return echo.NewHTTPError(http.StatusBadRequest, "read the multipart body: "+err.Error())
			}
			c.Set(ctxMultipart, mr)
		} else if isURLEncodedForm(req) {
			// Parsed here, where meeting the limit is answered: Go's form parser says so once
			// and keeps an empty form, so the CSRF check's parse swallowed it and a handler
			// rendering its page read a body past the limit as a form with no fields.
			if err := req.ParseForm(); body.over {
				return tooLarge(lim.body)
			} else if err != nil {
				return echo.NewHTTPError(http.StatusBadRequest, "read the form: "+err.Error())
			}
		}
		err := next(c)
		if body.over && !c.Response().Committed {
			return tooLarge(lim.body)
		}
		return err
	}
}

func tooLarge(limit int64) error {
	return echo.NewHTTPError(http.StatusRequestEntityTooLarge, fmt.Sprintf("the request body is larger than this route takes (%d bytes)", limit))
}

func isURLEncodedForm(req *http.Request) bool {
	mt, _, err := mime.ParseMediaType(req.Header.Get(echo.HeaderContentType))
	return err == nil && mt == "application/x-www-form-urlencoded"
}

func isMultipart(req *http.Request) bool {
	mt, _, err := mime.ParseMediaType(req.Header.Get(echo.HeaderContentType))
	return err == nil && strings.HasPrefix(mt, "multipart/")
}

// limitedBody remembers that the body passed its limit, whoever read it (a form parser that
// turns the error into its own), so the answer is 413.
type limitedBody struct {
	io.ReadCloser
	over bool
}

func (b *limitedBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		b.over = true
	}
	return n, err
}

// uploadedFile reads an upload's multipart body part by part, without temporary files, up
// to the part named field; its Close is the caller's no-op.
func uploadedFile(c echo.Context, field string) (name string, body io.Reader, err error) {
	mr, ok := c.Get(ctxMultipart).(*multipart.Reader)
	if !ok {
		return "", nil, errors.New("not a multipart body")
	}
	for {
		p, err := mr.NextPart()
		if err != nil {
			return "", nil, fmt.Errorf("no %q field: %w", field, err)
		}
		if p.FormName() == field {
			return p.FileName(), p, nil
		}
	}
}

// knownMethods are the methods metrics and logs name; any other is "other", so a client
// cannot mint label values (each one a time series kept for the process's life).
var knownMethods = map[string]bool{http.MethodGet: true, http.MethodHead: true, http.MethodPost: true, http.MethodPut: true,
	http.MethodPatch: true, http.MethodDelete: true, http.MethodOptions: true, http.MethodConnect: true, http.MethodTrace: true}

// requestLabels are a request's metric labels, from closed sets: a known method, a
// registered route template (Echo's c.Path(), never the URL), and the status class.
func (s *Server) requestLabels(c echo.Context) (route, method, status string) {
	route, method, status = "other", "other", "other"
	if p := c.Path(); s.routes[p] {
		route = p
	}
	if m := c.Request().Method; knownMethods[m] {
		method = m
	}
	if code := c.Response().Status; code >= 100 && code < 600 {
		status = strconv.Itoa(code/100) + "xx"
	}
	return route, method, status
}

// routeSet is the set of route templates registered on e. A group with middleware adds
// catch-all not-found routes ("/api/admin/*"); those count as no route.
func routeSet(e *echo.Echo) map[string]bool {
	set := map[string]bool{}
	for _, r := range e.Routes() {
		if r.Method != echo.RouteNotFound {
			set[r.Path] = true
		}
	}
	return set
}

// logPath is a request's path for the log line, cut to a sane length.
func logPath(p string) string {
	const most = 256
	if len(p) > most {
		return p[:most] + "…"
	}
	return p
}
