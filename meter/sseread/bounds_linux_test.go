//go:build linux

package sseread

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"sync"
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
	var mu sync.Mutex
	var writtenAt []time.Time
	srv := startServer(t, handler(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		w.WriteHeader(200)
		w.(http.Flusher).Flush()
		for i := 0; i < 6; i++ {
			time.Sleep(15 * time.Millisecond)
			mu.Lock()
			writtenAt = append(writtenAt, time.Now())
			mu.Unlock()
			fmt.Fprintf(w, "data: %d\n\n", i)
			w.(http.Flusher).Flush()
		}
	}))
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
	res := Do(context.Background(), &http.Client{Transport: tr}, Request{URL: srv.URL, Timeout: 5 * time.Second})
	if res.ErrorKind != "" || len(res.Events) != 6 {
		t.Fatalf("ErrorKind %q, %d events", res.ErrorKind, len(res.Events))
	}
	if !res.KernelStamps {
		t.Skip("the kernel gave no receive timestamps")
	}
	mu.Lock()
	defer mu.Unlock()
	checkStampBounds(t, res, start, writtenAt)
}
