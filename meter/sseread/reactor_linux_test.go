//go:build linux

package sseread

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// What only the reactor has: its loop starved (events pile up unread), its
// pool of kept-alive connections, many streams on one loop. Everything Do
// does, the reactor is tested for by the whole suite's second pass
// (main_test.go).

func newTestReactor(t *testing.T) *Reactor {
	t.Helper()
	r, err := NewReactor(testDialer(), 64)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.Close)
	return r
}

// A loop that reads late gets events that arrived 15 ms apart in one read,
// all stamped with the last one's time: each such event is bounded, and the
// bound is at least its true error (as TestDoBoundsTheStampsOfAStarvedReader).
func TestReactorBoundsTheStampsOfAStarvedLoop(t *testing.T) {
	url, writtenAt := spacedEventsServer(t)
	r := newTestReactor(t)
	reads := 0
	r.beforeRead = func() {
		// The first read (the headers) is prompt; every later one comes late.
		reads++
		if reads > 1 {
			time.Sleep(40 * time.Millisecond)
		}
	}
	start := time.Now()
	res := r.Do(context.Background(), Request{URL: url, Timeout: 5 * time.Second})
	if res.ErrorKind != "" || len(res.Events) != 6 {
		t.Fatalf("ErrorKind %q (%s), %d events", res.ErrorKind, res.ErrorMessage, len(res.Events))
	}
	if !res.KernelStamps {
		t.Skip("the kernel gave no receive timestamps")
	}
	checkStampBounds(t, res, start, writtenAt())
	// The read lag counts from the last segment a read took (the stamp): the loop was late by more than 1 ms.
	if res.ReadLagMaxMs < 1 {
		t.Errorf("ReadLagMaxMs = %.1f, want the loop's lateness", res.ReadLagMaxMs)
	}
}

// A finished answer leaves its connection for the next request to the
// same host; one the server closed while idle is dropped, not reused.
func TestReactorKeepsConnectionsAlive(t *testing.T) {
	srv := startServer(t, handler(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		fmt.Fprint(w, "data: x\n\n")
	}))
	r := newTestReactor(t)
	req := Request{URL: srv.URL, Timeout: 2 * time.Second}
	first := r.Do(context.Background(), req)
	second := r.Do(context.Background(), req)
	if first.ErrorKind != "" || second.ErrorKind != "" {
		t.Fatalf("errors %q, %q", first.ErrorMessage, second.ErrorMessage)
	}
	if first.LocalPort != second.LocalPort {
		t.Errorf("ports %d and %d: the second request did not reuse the first's connection", first.LocalPort, second.LocalPort)
	}
	if open, idle := r.stats(); open != 1 || idle != 1 {
		t.Errorf("%d open, %d idle connections; want 1, 1", open, idle)
	}
	srv.CloseClientConnections()
	deadline := time.Now().Add(2 * time.Second)
	for {
		if open, _ := r.stats(); open == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the connection the server closed stayed in the pool")
		}
		time.Sleep(5 * time.Millisecond)
	}
	third := r.Do(context.Background(), req)
	if third.ErrorKind != "" || third.Resent != 0 || third.LocalPort == second.LocalPort {
		t.Errorf("third request: ErrorKind %q, Resent %d, port %d (was %d); want a clean answer on a new connection", third.ErrorKind, third.Resent, third.LocalPort, second.LocalPort)
	}
}

// Many streams at once on one loop: each gets its own events, in order, with its own times.
func TestReactorManyStreams(t *testing.T) {
	srv := startServer(t, handler(func(w http.ResponseWriter, r *http.Request) {
		id := r.URL.Query().Get("id")
		w.Header().Set("Content-Type", "text/event-stream")
		w.WriteHeader(200)
		for i := 0; i < 10; i++ {
			fmt.Fprintf(w, "data: %s-%d\n\n", id, i)
			w.(http.Flusher).Flush()
			time.Sleep(2 * time.Millisecond)
		}
	}))
	r := newTestReactor(t)
	const streams = 64
	var wg sync.WaitGroup
	errs := make(chan string, streams)
	for s := 0; s < streams; s++ {
		wg.Add(1)
		go func(s int) {
			defer wg.Done()
			res := r.Do(context.Background(), Request{URL: fmt.Sprintf("%s/?id=%d", srv.URL, s), Timeout: 5 * time.Second})
			if res.ErrorKind != "" {
				errs <- fmt.Sprintf("stream %d: %s %s", s, res.ErrorKind, res.ErrorMessage)
				return
			}
			var want []string
			for i := 0; i < 10; i++ {
				want = append(want, fmt.Sprintf("%d-%d", s, i))
			}
			if got := strings.Join(datas(res.Events), ","); got != strings.Join(want, ",") {
				errs <- fmt.Sprintf("stream %d: events %s", s, got)
			}
			for i := 1; i < len(res.Events); i++ {
				if res.Events[i].AtMs < res.Events[i-1].AtMs {
					errs <- fmt.Sprintf("stream %d: event %d at %.3f before event %d at %.3f", s, i, res.Events[i].AtMs, i-1, res.Events[i-1].AtMs)
				}
			}
		}(s)
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

// What the reactor leaves to net/http: https, credentials in the URL, other schemes (and a proxy, which Go reads from the environment once per process).
func TestReactorServesPlainHTTPOnly(t *testing.T) {
	r := newTestReactor(t)
	for url, want := range map[string]bool{
		"http://127.0.0.1:8000/v1/chat/completions": true,
		"HTTP://localhost/v1":                       true,
		"https://api.example.com/v1":                false,
		"http://user:pass@127.0.0.1:8000/v1":        false,
		"ftp://127.0.0.1/x":                         false,
	} {
		if got := r.Serves(&Request{URL: url}); got != want {
			t.Errorf("Serves(%s) = %v, want %v", url, got, want)
		}
	}
}
