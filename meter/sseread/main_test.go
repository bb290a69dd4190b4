package sseread

import (
	"context"
	"net"
	"net/http"
	"os"
	"sync"
	"testing"
	"time"
)

// Every test of Do runs twice: through net/http (Do), then, where the
// reactor exists (Linux), through the reactor for each request it serves
// (plain HTTP), as the meter sends them. doReq is the switch.

var viaReactor bool

func TestMain(m *testing.M) {
	code := m.Run()
	if code == 0 {
		if r, err := NewReactor(nil, 1); err == nil {
			r.Close()
			viaReactor = true
			code = m.Run()
		}
	}
	os.Exit(code)
}

// testReactors holds each test's reactor (a test's requests share its pool).
var testReactors sync.Map

func testReactor(t *testing.T) *Reactor {
	t.Helper()
	if r, ok := testReactors.Load(t); ok {
		return r.(*Reactor)
	}
	r, err := NewReactor(testDialer(), 64)
	if err != nil {
		t.Fatal(err)
	}
	testReactors.Store(t, r)
	t.Cleanup(func() {
		testReactors.Delete(t)
		r.Close()
	})
	return r
}

// doReq sends req as the meter would: through the test's reactor when it
// serves it (in the reactor pass), else through client.
func doReq(t *testing.T, ctx context.Context, client *http.Client, req Request) Result {
	t.Helper()
	if viaReactor {
		if r := testReactor(t); r.Serves(&req) {
			return r.Do(ctx, req)
		}
	}
	return Do(ctx, client, req)
}

func testDialer() *net.Dialer { return &net.Dialer{Timeout: 5 * time.Second} }
