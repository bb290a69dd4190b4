//go:build linux

package sseread

import (
	"context"
	"net"
	"net/http"
	"testing"
	"time"
)

// The kernel's receive time is kept even when the reader comes late: the
// data is stamped when it arrived, not when a busy generator read it.
func TestStampedConnKeepsKernelReceiveTime(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		// One answer per question: data sent before timestamps were switched
		// on carries none (in use, the request always goes out after).
		one := make([]byte, 1)
		for i := 0; i < 3; i++ {
			if _, err := c.Read(one); err != nil {
				return
			}
			_, _ = c.Write([]byte("hello"))
		}
	}()
	raw, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	var counted int64
	c := WrapForTimestamps(raw, raw, &counted)
	sc, ok := c.(*StampedConn)
	if !ok {
		t.Fatal("timestamps could not be enabled on a loopback TCP connection")
	}
	defer c.Close()
	buf := make([]byte, 16)
	var lag time.Duration
	// The kernel enables stamping asynchronously: the last of three exchanges counts.
	for i := 0; i < 3; i++ {
		if _, err := c.Write([]byte("?")); err != nil {
			t.Fatal(err)
		}
		time.Sleep(100 * time.Millisecond) // the "busy generator"
		n, err := c.Read(buf)
		readAt := time.Now()
		if err != nil || string(buf[:n]) != "hello" {
			t.Fatalf("Read = %q, %v", buf[:n], err)
		}
		if rx := sc.LastRxNs(); rx != 0 {
			lag = readAt.Sub(time.Unix(0, rx))
		}
	}
	if lag < 90*time.Millisecond || lag > 2*time.Second {
		t.Fatalf("read lag behind the kernel receive time = %v, want about 100 ms", lag)
	}
	if counted != 15 {
		t.Fatalf("bytes counted = %d, want 15", counted)
	}
}

// Do uses the kernel times when the connection provides them.
func TestDoUsesKernelStamps(t *testing.T) {
	srv := startServer(t, handler(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		w.(http.Flusher).Flush()
		time.Sleep(50 * time.Millisecond)
		_, _ = w.Write([]byte("data: a\n\n"))
		w.(http.Flusher).Flush()
	}))
	dialer := &net.Dialer{}
	client := &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := dialer.DialContext(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		return WrapForTimestamps(c, c, nil), nil
	}}}
	res := Do(context.Background(), client, Request{URL: srv.URL, Timeout: 2 * time.Second})
	if res.ErrorKind != "" || len(res.Events) != 1 {
		t.Fatalf("result: %+v", res)
	}
	if !res.KernelStamps {
		t.Fatal("KernelStamps = false, want true")
	}
	if at := res.Events[0].AtMs; at < 49 || at > 150 {
		t.Fatalf("event at %.1f ms, want about 50", at)
	}
}
