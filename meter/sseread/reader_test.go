package sseread

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"
)

// startServer runs the handler built by mk on 127.0.0.1. The channel given
// to mk is closed when the test ends, before the server is closed, so that
// handlers that block can return.
func startServer(t *testing.T, mk func(done <-chan struct{}) http.HandlerFunc) *httptest.Server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	done := make(chan struct{})
	srv := httptest.NewUnstartedServer(mk(done))
	srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	t.Cleanup(srv.Close)              // runs last
	t.Cleanup(func() { close(done) }) // runs first
	return srv
}

// handler adapts a handler that needs no done channel.
func handler(h http.HandlerFunc) func(<-chan struct{}) http.HandlerFunc {
	return func(<-chan struct{}) http.HandlerFunc { return h }
}

// sse builds an sseHandler for startServer.
func sse(contentType string, steps []step, hold time.Duration) func(<-chan struct{}) http.HandlerFunc {
	return func(done <-chan struct{}) http.HandlerFunc { return sseHandler(done, contentType, steps, hold) }
}

// newClient returns a client with its own transport, closed with the test.
func newClient(t *testing.T) *http.Client {
	t.Helper()
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr}
}

// step is one write of a scripted stream, at a delay after the handler starts.
type step struct {
	at   time.Duration
	data string
}

// sseHandler sends the headers at once, then every step at its delay
// (flushed), then waits for hold (or the client leaving, or the test ending).
func sseHandler(done <-chan struct{}, contentType string, steps []step, hold time.Duration) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		w.Header().Set("Content-Type", contentType)
		w.WriteHeader(http.StatusOK)
		w.(http.Flusher).Flush()
		for _, s := range steps {
			select {
			case <-time.After(time.Until(start.Add(s.at))):
			case <-r.Context().Done():
				return
			case <-done:
				return
			}
			if _, err := io.WriteString(w, s.data); err != nil {
				return
			}
			w.(http.Flusher).Flush()
		}
		if hold > 0 {
			select {
			case <-time.After(hold):
			case <-r.Context().Done():
			case <-done:
			}
		}
	}
}

// blockForever is a hold long enough that the client must give up first.
const blockForever = 10 * time.Second

func TestDoEventTiming(t *testing.T) {
	delays := []time.Duration{50 * time.Millisecond, 100 * time.Millisecond, 150 * time.Millisecond}
	var steps []step
	for i, d := range delays {
		steps = append(steps, step{d, fmt.Sprintf("data: %d\n\n", i)})
	}
	srv := startServer(t, sse("text/event-stream", steps, 0))

	res := doReq(t, context.Background(), newClient(t), Request{URL: srv.URL, Timeout: 2 * time.Second})
	if res.ErrorKind != "" {
		t.Fatalf("ErrorKind = %q (%s), want none", res.ErrorKind, res.ErrorMessage)
	}
	if res.Status != 200 || !res.IsSSE {
		t.Fatalf("Status = %d, IsSSE = %v; want 200, true", res.Status, res.IsSSE)
	}
	if res.HeadersMs < 0 || res.HeadersMs >= 40 {
		t.Errorf("HeadersMs = %.2f, want small (headers are sent at once)", res.HeadersMs)
	}
	t.Logf("HeadersMs %.2f, events %+v, EndMs %.2f", res.HeadersMs, res.Events, res.EndMs)
	if len(res.Events) != len(delays) {
		t.Fatalf("got %d events %+v, want %d", len(res.Events), res.Events, len(delays))
	}
	for i, d := range delays {
		e := res.Events[i]
		lo := float64(d.Milliseconds())
		if e.Data != fmt.Sprint(i) {
			t.Errorf("event %d Data = %q, want %q", i, e.Data, fmt.Sprint(i))
		}
		if e.AtMs < lo || e.AtMs >= lo+60 {
			t.Errorf("event %d AtMs = %.2f, want in [%v, %v)", i, e.AtMs, lo, lo+60)
		}
		if e.AtMs < res.HeadersMs {
			t.Errorf("event %d AtMs = %.2f before HeadersMs %.2f", i, e.AtMs, res.HeadersMs)
		}
	}
	if last := res.Events[len(res.Events)-1].AtMs; res.EndMs < last {
		t.Errorf("EndMs = %.2f before the last event %.2f", res.EndMs, last)
	}
	if res.Unterminated {
		t.Error("Unterminated = true, want false")
	}
	wantBytes := 0
	for _, s := range steps {
		wantBytes += len(s.data)
	}
	if res.BodyBytes != int64(wantBytes) {
		t.Errorf("BodyBytes = %d, want %d", res.BodyBytes, wantBytes)
	}
	if res.Body != "" {
		t.Errorf("Body = %q, want empty for an SSE response", res.Body)
	}
}

func TestDoSendsRequest(t *testing.T) {
	type seen struct {
		method, body, auth, ctype string
	}
	got := make(chan seen, 1)
	srv := startServer(t, handler(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got <- seen{r.Method, string(b), r.Header.Get("Authorization"), r.Header.Get("Content-Type")}
		w.Header().Set("Content-Type", "text/event-stream; charset=utf-8")
		io.WriteString(w, "data: ok\n\n")
	}))
	res := doReq(t, context.Background(), newClient(t), Request{
		URL:     srv.URL,
		Headers: map[string]string{"Authorization": "Bearer k", "Content-Type": "application/json"},
		Body:    `{"stream":true}`,
		Timeout: 2 * time.Second,
	})
	if res.ErrorKind != "" {
		t.Fatalf("ErrorKind = %q (%s)", res.ErrorKind, res.ErrorMessage)
	}
	s := <-got
	want := seen{"POST", `{"stream":true}`, "Bearer k", "application/json"}
	if s != want {
		t.Errorf("server saw %+v, want %+v (default method POST)", s, want)
	}
	if !res.IsSSE {
		t.Error("IsSSE = false for text/event-stream with parameters")
	}
	if got, want := datas(res.Events), []string{"ok"}; !reflect.DeepEqual(got, want) {
		t.Errorf("events = %q, want %q", got, want)
	}

	res = doReq(t, context.Background(), newClient(t), Request{Method: "GET", URL: srv.URL, Timeout: 2 * time.Second})
	if s := <-got; s.method != "GET" {
		t.Errorf("method = %q, want GET", s.method)
	}
	if res.ErrorKind != "" {
		t.Fatalf("ErrorKind = %q (%s)", res.ErrorKind, res.ErrorMessage)
	}
}

func TestDoNonSSEBody(t *testing.T) {
	small := `{"id":"x","choices":[{"message":{"content":"hello"}}]}`
	big := strings.Repeat("0123456789", 10000) // 100 kB: several reads
	srv := startServer(t, handler(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path == "/big" {
			io.WriteString(w, big)
			return
		}
		io.WriteString(w, small)
	}))
	tests := []struct {
		name string
		path string
		max  int
		want string
		size int
	}{
		{"kept whole", "/small", 1 << 20, small, len(small)},
		{"kept exactly", "/small", len(small), small, len(small)},
		{"capped", "/small", 10, small[:10], len(small)},
		{"zero cap keeps nothing", "/small", 0, "", len(small)},
		{"capped across reads", "/big", 40000, big[:40000], len(big)},
		{"big kept whole", "/big", len(big) + 1, big, len(big)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := doReq(t, context.Background(), newClient(t), Request{
				Method: "GET", URL: srv.URL + tc.path, MaxBodyBytes: tc.max, Timeout: 2 * time.Second,
			})
			if res.ErrorKind != "" {
				t.Fatalf("ErrorKind = %q (%s)", res.ErrorKind, res.ErrorMessage)
			}
			if res.IsSSE || res.Events != nil || res.Unterminated {
				t.Errorf("IsSSE = %v, Events = %v, Unterminated = %v; want a plain body", res.IsSSE, res.Events, res.Unterminated)
			}
			if res.Body != tc.want {
				t.Errorf("Body = %d bytes %.40q..., want %d bytes %.40q...", len(res.Body), res.Body, len(tc.want), tc.want)
			}
			if res.BodyBytes != int64(tc.size) {
				t.Errorf("BodyBytes = %d, want %d (the whole body is read)", res.BodyBytes, tc.size)
			}
		})
	}
}

func TestDoStatus429(t *testing.T) {
	const body = `{"error":{"type":"rate_limit_error","message":"slow down"}}`
	srv := startServer(t, handler(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Retry-After", "1")
		w.WriteHeader(http.StatusTooManyRequests)
		io.WriteString(w, body)
	}))
	res := doReq(t, context.Background(), newClient(t), Request{URL: srv.URL, MaxBodyBytes: 4096, Timeout: 2 * time.Second})
	if res.Status != http.StatusTooManyRequests {
		t.Errorf("Status = %d, want 429", res.Status)
	}
	if res.ErrorKind != "" || res.ErrorMessage != "" {
		t.Errorf("ErrorKind = %q (%s), want none: an HTTP status is not a transport error", res.ErrorKind, res.ErrorMessage)
	}
	if res.Body != body {
		t.Errorf("Body = %q, want %q", res.Body, body)
	}
	if res.IsSSE {
		t.Error("IsSSE = true, want false")
	}
	if res.RetryAfter != "1" {
		t.Errorf("RetryAfter = %q, want \"1\"", res.RetryAfter)
	}
}

func TestDoTimeoutMidStream(t *testing.T) {
	srv := startServer(t, sse("text/event-stream", []step{{0, "data: first\n\n"}}, blockForever))

	const timeout = 300 * time.Millisecond
	start := time.Now()
	res := doReq(t, context.Background(), newClient(t), Request{URL: srv.URL, Timeout: timeout})
	elapsed := time.Since(start)
	if res.ErrorKind != ErrTimeout {
		t.Errorf("ErrorKind = %q (%s), want %q", res.ErrorKind, res.ErrorMessage, ErrTimeout)
	}
	if elapsed < timeout || elapsed > timeout+500*time.Millisecond {
		t.Errorf("Do returned after %v, want within [%v, %v]", elapsed, timeout, timeout+500*time.Millisecond)
	}
	// EndMs counts from the write, SendLagMs after the call began (when the timeout started).
	if res.EndMs+res.SendLagMs < float64(timeout.Milliseconds()) {
		t.Errorf("EndMs = %.2f (+ send lag %.2f), want >= %d", res.EndMs, res.SendLagMs, timeout.Milliseconds())
	}
	if got, want := datas(res.Events), []string{"first"}; !reflect.DeepEqual(got, want) {
		t.Errorf("events = %q, want %q (events before the timeout are kept)", got, want)
	}
	if res.Status != 200 {
		t.Errorf("Status = %d, want 200", res.Status)
	}
}

func TestDoTimeoutBeforeHeaders(t *testing.T) {
	srv := startServer(t, func(done <-chan struct{}) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-r.Context().Done():
			case <-done:
			case <-time.After(blockForever):
			}
		}
	})
	const timeout = 200 * time.Millisecond
	start := time.Now()
	res := doReq(t, context.Background(), newClient(t), Request{URL: srv.URL, Timeout: timeout})
	elapsed := time.Since(start)
	if res.ErrorKind != ErrTimeout {
		t.Errorf("ErrorKind = %q (%s), want %q", res.ErrorKind, res.ErrorMessage, ErrTimeout)
	}
	if elapsed < timeout || elapsed > timeout+500*time.Millisecond {
		t.Errorf("Do returned after %v, want within [%v, %v]", elapsed, timeout, timeout+500*time.Millisecond)
	}
	if res.Status != 0 {
		t.Errorf("Status = %d, want 0", res.Status)
	}
}

func TestDoStall(t *testing.T) {
	srv := startServer(t, sse("text/event-stream", []step{{20 * time.Millisecond, "data: first\n\n"}}, blockForever))

	const stall = 150 * time.Millisecond
	start := time.Now()
	res := doReq(t, context.Background(), newClient(t), Request{URL: srv.URL, Timeout: 3 * time.Second, StallTimeout: stall})
	elapsed := time.Since(start)
	if res.ErrorKind != ErrStall {
		t.Fatalf("ErrorKind = %q (%s), want %q", res.ErrorKind, res.ErrorMessage, ErrStall)
	}
	if got, want := datas(res.Events), []string{"first"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("events = %q, want %q (the event before the stall is kept)", got, want)
	}
	first := res.Events[0].AtMs
	if res.EndMs < first+float64(stall.Milliseconds()) {
		t.Errorf("EndMs = %.2f, want >= first event %.2f + stall %d", res.EndMs, first, stall.Milliseconds())
	}
	if elapsed > stall+500*time.Millisecond {
		t.Errorf("Do returned after %v, want < %v", elapsed, stall+500*time.Millisecond)
	}
}

func TestDoStallNotTriggeredBySteadyStream(t *testing.T) {
	// Events every 50 ms for 300 ms with a 150 ms stall timeout: the timer
	// is re-armed on every read, so the stream completes.
	var steps []step
	for i := 1; i <= 6; i++ {
		steps = append(steps, step{time.Duration(i) * 50 * time.Millisecond, fmt.Sprintf("data: %d\n\n", i)})
	}
	srv := startServer(t, sse("text/event-stream", steps, 0))
	res := doReq(t, context.Background(), newClient(t), Request{URL: srv.URL, Timeout: 3 * time.Second, StallTimeout: 150 * time.Millisecond})
	if res.ErrorKind != "" {
		t.Fatalf("ErrorKind = %q (%s), want none", res.ErrorKind, res.ErrorMessage)
	}
	if len(res.Events) != 6 {
		t.Errorf("got %d events, want 6", len(res.Events))
	}
}

func TestDoConnectRefused(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	start := time.Now()
	res := doReq(t, context.Background(), newClient(t), Request{URL: "http://" + addr + "/v1/chat", Timeout: 2 * time.Second})
	if res.ErrorKind != ErrConnect {
		t.Errorf("ErrorKind = %q (%s), want %q", res.ErrorKind, res.ErrorMessage, ErrConnect)
	}
	if res.ErrorMessage == "" {
		t.Error("ErrorMessage empty")
	}
	if res.Status != 0 || res.Events != nil {
		t.Errorf("Status = %d, Events = %v; want 0, nil", res.Status, res.Events)
	}
	if elapsed := time.Since(start); elapsed > time.Second {
		t.Errorf("refused connection took %v", elapsed)
	}
}

func TestDoResetMidStream(t *testing.T) {
	srv := startServer(t, handler(func(w http.ResponseWriter, r *http.Request) {
		conn, buf, err := w.(http.Hijacker).Hijack()
		if err != nil {
			return
		}
		defer conn.Close()
		// A chunked response whose terminating zero-length chunk never comes.
		ev := "data: first\n\n"
		fmt.Fprintf(buf, "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n%x\r\n%s\r\n", len(ev), ev)
		buf.Flush()
		time.Sleep(30 * time.Millisecond)
		if tc, ok := conn.(*net.TCPConn); ok {
			tc.SetLinger(0) // RST rather than FIN
		}
	}))
	res := doReq(t, context.Background(), newClient(t), Request{URL: srv.URL, Timeout: 2 * time.Second})
	if res.ErrorKind != ErrReset {
		t.Errorf("ErrorKind = %q (%s), want %q", res.ErrorKind, res.ErrorMessage, ErrReset)
	}
	if res.Status != 200 {
		t.Errorf("Status = %d, want 200", res.Status)
	}
	if got, want := datas(res.Events), []string{"first"}; !reflect.DeepEqual(got, want) {
		t.Errorf("events = %q, want %q (events before the reset are kept)", got, want)
	}
}

func TestDoClosedMidStream(t *testing.T) {
	// Same, but a plain close (FIN): still a broken chunked stream.
	srv := startServer(t, handler(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		io.WriteString(w, "data: first\n\n")
		w.(http.Flusher).Flush()
		time.Sleep(30 * time.Millisecond)
		conn, _, err := w.(http.Hijacker).Hijack()
		if err != nil {
			return
		}
		conn.Close()
	}))
	res := doReq(t, context.Background(), newClient(t), Request{URL: srv.URL, Timeout: 2 * time.Second})
	if res.ErrorKind != ErrReset {
		t.Errorf("ErrorKind = %q (%s), want %q", res.ErrorKind, res.ErrorMessage, ErrReset)
	}
	if got, want := datas(res.Events), []string{"first"}; !reflect.DeepEqual(got, want) {
		t.Errorf("events = %q, want %q", got, want)
	}
}

func TestDoCanceledMidStream(t *testing.T) {
	srv := startServer(t, sse("text/event-stream", []step{{0, "data: first\n\n"}}, blockForever))

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	time.AfterFunc(100*time.Millisecond, cancel)
	start := time.Now()
	res := doReq(t, ctx, newClient(t), Request{URL: srv.URL, Timeout: 2 * time.Second, StallTimeout: time.Second})
	elapsed := time.Since(start)
	if res.ErrorKind != ErrCanceled {
		t.Errorf("ErrorKind = %q (%s), want %q", res.ErrorKind, res.ErrorMessage, ErrCanceled)
	}
	if got, want := datas(res.Events), []string{"first"}; !reflect.DeepEqual(got, want) {
		t.Errorf("events = %q, want %q", got, want)
	}
	if elapsed > 600*time.Millisecond {
		t.Errorf("Do returned %v after start, want soon after the 100 ms cancel", elapsed)
	}
}

func TestDoCanceledBeforeStart(t *testing.T) {
	srv := startServer(t, handler(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		io.WriteString(w, "data: x\n\n")
	}))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res := doReq(t, ctx, newClient(t), Request{URL: srv.URL, Timeout: 2 * time.Second})
	if res.ErrorKind != ErrCanceled {
		t.Errorf("ErrorKind = %q (%s), want %q", res.ErrorKind, res.ErrorMessage, ErrCanceled)
	}
}

func TestDoCRLFStream(t *testing.T) {
	srv := startServer(t, sse("text/event-stream", []step{
		{0, "\xEF\xBB\xBF: hi\r\ndata: a\r\n\r\n"},
		{20 * time.Millisecond, "data: b\r\ndata: c\r"}, // CR of a CRLF ends this write
		{40 * time.Millisecond, "\n\r"},                 // its LF, then the CR of the blank line
		{60 * time.Millisecond, "\nevent: x\r\ndata: d\r\n\r\n"},
	}, 0))
	res := doReq(t, context.Background(), newClient(t), Request{URL: srv.URL, Timeout: 2 * time.Second})
	if res.ErrorKind != "" {
		t.Fatalf("ErrorKind = %q (%s)", res.ErrorKind, res.ErrorMessage)
	}
	if got, want := datas(res.Events), []string{"a", "b\nc", "d"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("events = %q, want %q", got, want)
	}
	if res.Comments != 1 {
		t.Errorf("Comments = %d, want 1", res.Comments)
	}
	if res.Unterminated {
		t.Error("Unterminated = true, want false")
	}
	// "b\nc" is completed by the CR written at 40 ms, not the LF at 60 ms.
	if at := res.Events[1].AtMs; at < 40 || at >= 60+40 {
		t.Errorf("event b\\nc AtMs = %.2f, want in [40, 100)", at)
	}
	if a, bc := res.Events[0].AtMs, res.Events[1].AtMs; bc-a < 30 {
		t.Errorf("event b\\nc at %.2f only %.2f ms after a at %.2f, want >= 30", bc, bc-a, a)
	}
}

func TestDoUnterminatedFinalEvent(t *testing.T) {
	srv := startServer(t, sse("text/event-stream", []step{
		{0, "data: a\n\n"},
		{30 * time.Millisecond, "data: b"},
	}, 0))
	res := doReq(t, context.Background(), newClient(t), Request{URL: srv.URL, Timeout: 2 * time.Second})
	if res.ErrorKind != "" {
		t.Fatalf("ErrorKind = %q (%s)", res.ErrorKind, res.ErrorMessage)
	}
	if !res.Unterminated {
		t.Error("Unterminated = false, want true")
	}
	if got, want := datas(res.Events), []string{"a", "b"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("events = %q, want %q", got, want)
	}
	if last := res.Events[1]; last.AtMs != res.EndMs {
		t.Errorf("unterminated event AtMs = %.2f, want EndMs %.2f", last.AtMs, res.EndMs)
	}
}

func TestDoBadURL(t *testing.T) {
	res := doReq(t, context.Background(), newClient(t), Request{URL: "http://[::1", Timeout: time.Second})
	if res.ErrorKind != ErrRequest {
		t.Errorf("ErrorKind = %q (%s), want %q", res.ErrorKind, res.ErrorMessage, ErrRequest)
	}
	res = doReq(t, context.Background(), newClient(t), Request{Method: "BAD METHOD", URL: "http://127.0.0.1:1/", Timeout: time.Second})
	if res.ErrorKind != ErrRequest {
		t.Errorf("invalid method: ErrorKind = %q (%s), want %q", res.ErrorKind, res.ErrorMessage, ErrRequest)
	}
}

func TestDoUnsendableRequest(t *testing.T) {
	// The request is built but the client refuses to send it: no connection
	// was attempted, so this is a request error, not a connect error.
	for _, tc := range []struct {
		name string
		req  Request
	}{
		{"unsupported scheme", Request{URL: "ftp://127.0.0.1/x", Timeout: time.Second}},
		{"invalid header value", Request{URL: "http://127.0.0.1:1/", Headers: map[string]string{"X-Key": "a\nb"}, Timeout: time.Second}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := doReq(t, context.Background(), newClient(t), tc.req)
			if res.ErrorKind != ErrRequest {
				t.Fatalf("ErrorKind = %q (%s), want %q", res.ErrorKind, res.ErrorMessage, ErrRequest)
			}
		})
	}
}

// Do reports the connection's local port and the wall-clock time of the write.
func TestDoReportsLocalPortAndSendTime(t *testing.T) {
	ports := make(chan string, 1)
	srv := startServer(t, handler(func(w http.ResponseWriter, r *http.Request) {
		_, port, _ := net.SplitHostPort(r.RemoteAddr)
		ports <- port
		w.Header().Set("Content-Type", "text/event-stream")
		io.WriteString(w, "data: x\n\n")
	}))
	before := time.Now().UnixNano()
	res := doReq(t, context.Background(), newClient(t), Request{URL: srv.URL, Timeout: 2 * time.Second})
	after := time.Now().UnixNano()
	if res.ErrorKind != "" {
		t.Fatalf("ErrorKind = %q (%s)", res.ErrorKind, res.ErrorMessage)
	}
	if got, want := fmt.Sprint(res.LocalPort), <-ports; got != want {
		t.Errorf("LocalPort = %s, want the port the server saw, %s", got, want)
	}
	if res.SentUnixNs < before || res.SentUnixNs > after {
		t.Errorf("SentUnixNs = %d, want within the call [%d, %d]", res.SentUnixNs, before, after)
	}
}

func TestDoNoConnectionNoPort(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	res := doReq(t, context.Background(), newClient(t), Request{URL: "http://" + addr, Timeout: time.Second})
	if res.ErrorKind != ErrConnect || res.LocalPort != 0 || res.SentUnixNs != 0 {
		t.Errorf("ErrorKind %q, LocalPort %d, SentUnixNs %d; want connect, 0, 0", res.ErrorKind, res.LocalPort, res.SentUnixNs)
	}
}

// RawBody is sent as is.
func TestDoRawBody(t *testing.T) {
	got := make(chan string, 1)
	srv := startServer(t, handler(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got <- fmt.Sprintf("%d %s", r.ContentLength, b)
	}))
	res := doReq(t, context.Background(), newClient(t), Request{URL: srv.URL, RawBody: []byte(`{"a":1}`), Timeout: 2 * time.Second})
	if res.ErrorKind != "" {
		t.Fatalf("ErrorKind = %q (%s)", res.ErrorKind, res.ErrorMessage)
	}
	if s := <-got; s != `7 {"a":1}` {
		t.Errorf("server saw %q, want a 7-byte body", s)
	}
}
