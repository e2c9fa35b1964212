package dashboard

import (
	"context"
	"testing"
	"time"
)

// A load started from a page outlives its client but not the server: a proxy giving up on
// a long load failed it halfway (a red-team finding), and a shutdown must still abandon it.
func TestALoadOutlivesItsClientNotTheServer(t *testing.T) {
	life, shutdown := context.WithCancel(context.Background())
	defer shutdown()
	srv := NewHTTPServer(nil, DefaultTimeouts(), life)
	req, leave := context.WithCancel(srv.BaseContext(nil))
	ctx, done := outlivingClient(req)
	defer done()
	leave() // a child's cancellation reaches it at once, were it joined
	if ctx.Err() != nil {
		t.Fatalf("the load ended with its client: %v", ctx.Err())
	}
	shutdown()
	select {
	case <-ctx.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("the load outlived the server's shutdown")
	}
}
