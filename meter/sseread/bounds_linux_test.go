//go:build linux

package sseread

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"testing"
	"time"
)

// starvedConn is a stamped connection whose reads wait first: data queues up
// in the kernel unread, as it does behind a busy generator.
type starvedConn struct {
	*StampedConn
	wait  time.Duration
	reads int
}

func (c *starvedConn) Read(b []byte) (int, error) {
	c.reads++
	// The first read (the headers) is prompt; every later one comes late.
	if c.reads > 1 {
		time.Sleep(c.wait)
	}
	return c.StampedConn.Read(b)
}

// A starved reader gets events that arrived 15 ms apart in one read, all
// stamped with the last one's time: each such event is bounded, and the
// bound is at least its true error (its stamp minus when it was written).
func TestDoBoundsTheStampsOfAStarvedReader(t *testing.T) {
	if viaReactor {
		t.Skip("the reactor starves its loop instead: TestReactorBoundsTheStampsOfAStarvedLoop")
	}
	url, writtenAt := spacedEventsServer(t)
	dialer := &net.Dialer{}
	tr := &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := dialer.DialContext(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		sc, ok := WrapForTimestamps(c, c, nil).(*StampedConn)
		if !ok {
			return nil, fmt.Errorf("no kernel timestamps")
		}
		return &starvedConn{StampedConn: sc, wait: 40 * time.Millisecond}, nil
	}}
	t.Cleanup(tr.CloseIdleConnections)
	start := time.Now()
	res := Do(context.Background(), &http.Client{Transport: tr}, Request{URL: url, Timeout: 5 * time.Second})
	if res.ErrorKind != "" || len(res.Events) != 6 {
		t.Fatalf("ErrorKind %q, %d events", res.ErrorKind, len(res.Events))
	}
	if !res.KernelStamps {
		t.Skip("the kernel gave no receive timestamps")
	}
	checkStampBounds(t, res, start, writtenAt())
}

// slowWriteConn holds every write up before it reaches the kernel, as a
// thread held up between reading the clock and the send does.
type slowWriteConn struct {
	net.Conn
	wait time.Duration
}

func (c *slowWriteConn) Write(b []byte) (int, error) {
	time.Sleep(c.wait)
	return c.Conn.Write(b)
}

// Times count from the start of the request's last write call; when that
// call takes long, every event may read late by its length, and every
// event's bound says so (net/http's path; the reactor's writev is timed the
// same way, withSendBound).
func TestDoBoundsASlowWrite(t *testing.T) {
	if viaReactor {
		t.Skip("the reactor writes with writev itself: TestWithSendBound")
	}
	srv := startServer(t, handler(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		fmt.Fprint(w, "data: 0\n\ndata: 1\n\ndata: 2\n\n")
	}))
	const wait = 8 * time.Millisecond
	dialer := &net.Dialer{}
	tr := &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := dialer.DialContext(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		return WrapForTimestamps(&slowWriteConn{Conn: c, wait: wait}, c, nil), nil
	}}
	t.Cleanup(tr.CloseIdleConnections)
	res := Do(context.Background(), &http.Client{Transport: tr}, Request{URL: srv.URL, Timeout: 5 * time.Second})
	if res.ErrorKind != "" || len(res.Events) != 3 {
		t.Fatalf("ErrorKind %q (%s), %d events", res.ErrorKind, res.ErrorMessage, len(res.Events))
	}
	if !res.KernelStamps {
		t.Skip("the kernel gave no receive timestamps")
	}
	// The answer came after the held-up write: counted from the call's start, its events read at least `wait` late.
	waitMs := float64(wait.Microseconds()) / 1000
	if res.Events[0].AtMs < waitMs {
		t.Errorf("first event at %.2f ms, want at least the write's hold-up of %.0f ms (times count from the write's start)", res.Events[0].AtMs, waitMs)
	}
	bounds := map[int]float64{}
	for i := 0; i+1 < len(res.StampBounds); i += 2 {
		bounds[int(res.StampBounds[i])] = res.StampBounds[i+1]
	}
	for i := range res.Events {
		if bounds[i] < waitMs {
			t.Errorf("event %d bound %.2f ms, want at least the write's %.0f ms", i, bounds[i], waitMs)
		}
	}
}
