package alertstest

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
)

// Request is one request a receiver took.
type Request struct {
	Query  url.Values
	Header http.Header
	Body   []byte
	// Status is what the receiver answered.
	Status int
}

// Receiver is a loopback HTTP server that keeps what it is sent and answers with the
// statuses queued by FailNext (then 200 with Reply).
type Receiver struct {
	URL string
	// Reply is the body of a 200 answer (a robot's {"errcode":0,"errmsg":"ok"}).
	Reply string

	mu    sync.Mutex
	got   []Request
	fails []int
}

// StartReceiver starts a receiver; it stops when the test ends.
func StartReceiver(tb testing.TB, reply string) *Receiver {
	tb.Helper()
	r := &Receiver{Reply: reply}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		status := http.StatusOK
		if len(r.fails) > 0 {
			status, r.fails = r.fails[0], r.fails[1:]
		}
		r.got = append(r.got, Request{Query: req.URL.Query(), Header: req.Header.Clone(), Body: body, Status: status})
		r.mu.Unlock()
		w.WriteHeader(status)
		if status == http.StatusOK {
			_, _ = io.WriteString(w, r.Reply)
		}
	}))
	tb.Cleanup(srv.Close)
	r.URL = srv.URL
	return r
}

// FailNext answers the next requests with these statuses.
func (r *Receiver) FailNext(statuses ...int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.fails = append(r.fails, statuses...)
}

// Requests is what the receiver took so far.
func (r *Receiver) Requests() []Request {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Request(nil), r.got...)
}
