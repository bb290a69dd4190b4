//go:build linux

package sseread

import (
	"context"
	"io"
	"net"
	"net/http"
	"syscall"
	"testing"
	"time"
	"unsafe"
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
	res := doReq(t, context.Background(), client, Request{URL: srv.URL, Timeout: 2 * time.Second})
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

// A read costs one recvmsg and no allocation.
func TestStampedConnReadAllocs(t *testing.T) {
	a, b := tcpPair(t)
	c := WrapForTimestamps(a, a, nil)
	buf := make([]byte, 64)
	msg := []byte("data: x\n\n")
	roundTrip := func() {
		if _, err := b.Write(msg); err != nil {
			t.Fatal(err)
		}
		if _, err := io.ReadFull(c, buf[:len(msg)]); err != nil {
			t.Fatal(err)
		}
	}
	// The kernel switches receive stamping on asynchronously (a deferred
	// static key when no socket had it yet), so wait until reads carry a
	// stamp before counting: that start-up window is not what this tests.
	for deadline := time.Now().Add(2 * time.Second); c.(*StampedConn).LastRxNs() == 0 && time.Now().Before(deadline); {
		roundTrip()
		time.Sleep(time.Millisecond)
	}
	allocs := testing.AllocsPerRun(200, roundTrip)
	if allocs != 0 {
		t.Errorf("%v allocations per read, want 0", allocs)
	}
	if c.(*StampedConn).LastRxNs() == 0 {
		t.Error("no kernel receive time after 200 reads")
	}
}

func tcpPair(t *testing.T) (net.Conn, net.Conn) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	accepted := make(chan net.Conn, 1)
	go func() {
		c, _ := ln.Accept()
		accepted <- c
	}()
	a, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	b := <-accepted
	if b == nil {
		t.Fatal("accept failed")
	}
	t.Cleanup(func() { a.Close(); b.Close() })
	return a, b
}

func TestParseTimestampNs(t *testing.T) {
	ts := syscall.Timespec{Sec: 1764500000, Nsec: 123456789}
	stamp := syscall.UnixRights(0)[:0] // an empty control buffer, to grow
	stamp = appendCmsg(stamp, syscall.SOL_SOCKET, syscall.SCM_RIGHTS, make([]byte, 4))
	stamp = appendCmsg(stamp, syscall.SOL_SOCKET, syscall.SCM_TIMESTAMPNS, (*[unsafe.Sizeof(ts)]byte)(unsafe.Pointer(&ts))[:])
	for _, tc := range []struct {
		name string
		oob  []byte
		want int64
		ok   bool
	}{
		{"none", nil, 0, false},
		{"after another message", stamp, ts.Nano(), true},
		{"truncated", stamp[:len(stamp)-4], 0, false},
		{"garbage length", []byte{0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 1, 0, 0, 0, 35, 0, 0, 0}, 0, false},
	} {
		got, ok := parseTimestampNs(tc.oob)
		if got != tc.want || ok != tc.ok {
			t.Errorf("%s: parseTimestampNs = %d, %v; want %d, %v", tc.name, got, ok, tc.want, tc.ok)
		}
	}
}

// appendCmsg appends one control message as the kernel lays it out.
func appendCmsg(b []byte, level, typ int32, data []byte) []byte {
	h := syscall.Cmsghdr{Level: level, Type: typ}
	h.SetLen(syscall.CmsgLen(len(data)))
	msg := make([]byte, syscall.CmsgSpace(len(data)))
	copy(msg, (*[syscall.SizeofCmsghdr]byte)(unsafe.Pointer(&h))[:])
	copy(msg[cmsgAlign(syscall.SizeofCmsghdr):], data)
	return append(b, msg...)
}

// The segments a read took bytes of: one write read alone is one segment;
// writes that queued up unread come as several (merged by the kernel under
// the last one's stamp), which is what makes an earlier event's stamp late.
func TestStampedConnCountsSegments(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	wrote := make(chan struct{})
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		c.(*net.TCPConn).SetNoDelay(true)
		one := make([]byte, 1)
		_, _ = c.Read(one)
		_, _ = c.Write([]byte("single write"))
		_, _ = c.Read(one)
		for i := 0; i < 3; i++ {
			_, _ = c.Write([]byte("part"))
			time.Sleep(10 * time.Millisecond)
		}
		close(wrote)
		time.Sleep(200 * time.Millisecond)
	}()
	raw, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	c := WrapForTimestamps(raw, raw, nil)
	sc, ok := c.(*StampedConn)
	if !ok {
		t.Fatal("timestamps could not be enabled")
	}
	defer c.Close()
	buf := make([]byte, 64)
	_, _ = c.Write([]byte("?"))
	if n, err := c.Read(buf); err != nil || string(buf[:n]) != "single write" {
		t.Fatalf("read %q, %v", buf[:n], err)
	}
	if got := sc.LastRxSegments(); got != 1 {
		t.Errorf("one write read alone: %d segments, want 1", got)
	}
	_, _ = c.Write([]byte("?"))
	<-wrote // the "busy generator": three writes 10 ms apart queue up unread
	n, err := c.Read(buf)
	if err != nil || string(buf[:n]) != "partpartpart" {
		t.Fatalf("read %q, %v", buf[:n], err)
	}
	// The kernel's count can run ahead of the writes (here 4 for 3), never behind: more than one is what matters.
	if got := sc.LastRxSegments(); got < 2 {
		t.Errorf("three writes read at once: %d segments, want several", got)
	}
}
