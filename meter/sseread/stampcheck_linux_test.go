//go:build linux

package sseread

import (
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"
)

// spacedEventsServer answers with 6 events written 15 ms apart, and returns
// its URL and a function giving when each event was written so far.
func spacedEventsServer(t *testing.T) (url string, writtenAt func() []time.Time) {
	var mu sync.Mutex
	var written []time.Time
	srv := startServer(t, handler(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		w.WriteHeader(200)
		w.(http.Flusher).Flush()
		for i := 0; i < 6; i++ {
			time.Sleep(15 * time.Millisecond)
			mu.Lock()
			written = append(written, time.Now())
			mu.Unlock()
			fmt.Fprintf(w, "data: %d\n\n", i)
			w.(http.Flusher).Flush()
		}
	}))
	return srv.URL, func() []time.Time {
		mu.Lock()
		defer mu.Unlock()
		return append([]time.Time(nil), written...)
	}
}

// checkStampBounds checks a response whose reads came late on purpose:
// some event carries a bound, and every event stamped more than 1 ms after
// the server wrote it has a bound that covers the lateness (to 0.5 ms).
// On loopback a write's time is its arrival's, to within the kernel's
// handling (well under 1 ms). start is when the request was sent from.
func checkStampBounds(t *testing.T, res Result, start time.Time, writtenAt []time.Time) {
	t.Helper()
	bounds := map[int]float64{}
	for i := 0; i+1 < len(res.StampBounds); i += 2 {
		bounds[int(res.StampBounds[i])] = res.StampBounds[i+1]
	}
	if len(bounds) == 0 {
		t.Fatalf("no event bounded, though reads came late: %+v", res.Events)
	}
	sentAt := start.Add(time.Duration(res.SendLagMs * float64(time.Millisecond)))
	for i, e := range res.Events {
		errMs := e.AtMs - float64(writtenAt[i].Sub(sentAt).Microseconds())/1000
		if errMs > 1 && bounds[i] < errMs-0.5 {
			t.Errorf("event %d stamped %.1f ms after it was written, bound %.1f ms", i, errMs, bounds[i])
		}
	}
}
