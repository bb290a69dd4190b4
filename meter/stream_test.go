package main

import (
	"context"
	"io"
	"math"
	"net"
	"net/http"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestSecretRefused(t *testing.T) {
	var hits atomic.Int64
	up := upstream(t, func(<-chan struct{}) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }
	})
	tm := newTestMeter(t, 8, 1<<20)
	body := line1(up.URL, nil) + "\n{}\n{}"
	for _, tc := range []struct {
		name    string
		path    string
		headers []string
	}{
		{"no secret", "/stream", nil},
		{"wrong secret", "/stream", []string{"ffffffffffffffffffffffffffffffff"}},
		{"secret prefix", "/stream", []string{testSecret[:31]}},
		{"secret plus more", "/stream", []string{testSecret + "0"}},
		{"empty", "/stream", []string{""}},
		{"twice", "/stream", []string{testSecret, testSecret}},
		{"store", "/store/values?key=a", nil},
		{"health", "/health", nil},
		{"pending", "/pending", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest("POST", tm.URL+tc.path, strings.NewReader(body))
			for _, h := range tc.headers {
				req.Header.Add(SecretHeader, h)
			}
			res, err := tm.client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode != 401 || string(b) != "missing or wrong meter secret\n" {
				t.Errorf("got %d %q, want 401 %q", res.StatusCode, b, "missing or wrong meter secret")
			}
		})
	}
	if n := hits.Load(); n != 0 {
		t.Fatalf("upstream saw %d requests, want none", n)
	}
}

func TestStreamSSE(t *testing.T) {
	type seen struct {
		method, path, auth, body string
	}
	saw := make(chan seen, 1)
	steps := []sseStep{
		{0, ": keep-alive\n\n"},
		{20 * time.Millisecond, "data: {\"choices\":[{\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}\n\n"},
		{40 * time.Millisecond, tokenEvent("Hello")},
		{60 * time.Millisecond, tokenEvent(" world")},
		{80 * time.Millisecond, "data: {\"choices\":[{\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"},
		{100 * time.Millisecond, "data: [DONE]\n\n"},
	}
	up := upstream(t, func(done <-chan struct{}) http.HandlerFunc {
		h := sseHandler(done, steps, 0)
		return func(w http.ResponseWriter, r *http.Request) {
			b, _ := io.ReadAll(r.Body)
			saw <- seen{r.Method, r.URL.Path, r.Header.Get("Authorization"), string(b)}
			h(w, r)
		}
	})
	tm := newTestMeter(t, 8, 1<<20)
	for _, tc := range []struct {
		name     string
		rule     any
		wantFast []int
	}{
		{"with fastToken", testRule, []int{0, 1, 1, 0, 0}},
		{"without", nil, []int{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := time.Now().UnixNano()
			rec := tm.okStream(t, line1(up.URL+"/v1/chat/completions", map[string]any{"fastToken": tc.rule}), `{"vu":"1","obs":[],"count":"","ctx":null}`, `{"stream":true}`)
			s := <-saw
			if s != (seen{"POST", "/v1/chat/completions", "Bearer sk-test", `{"stream":true}`}) {
				t.Errorf("upstream saw %+v", s)
			}
			if rec.Status != 200 || !rec.IsSSE || rec.ErrorKind != "" || rec.Unterminated {
				t.Fatalf("record %+v", rec)
			}
			if len(rec.Times) != 5 || len(rec.Data) != 5 {
				t.Fatalf("%d times, %d data; want 5 events", len(rec.Times), len(rec.Data))
			}
			for i := 1; i < len(rec.Times); i++ {
				// Events read together share a receive time (a late server).
				if rec.Times[i] < rec.Times[i-1] {
					t.Errorf("times decreasing: %v", rec.Times)
				}
			}
			// The server starts its 100 ms schedule after the request was written.
			if rec.Times[0] < rec.HeadersMs || rec.EndMs < rec.Times[4] || rec.Times[4] < 99 {
				t.Errorf("headers %v, times %v, end %v: want headers <= times <= end, the last >= 100 ms after the write", rec.HeadersMs, rec.Times, rec.EndMs)
			}
			if !slices.Equal(rec.Fast, tc.wantFast) {
				t.Errorf("fast = %v, want %v", rec.Fast, tc.wantFast)
			}
			for i, d := range rec.Data {
				wantEmpty := len(tc.wantFast) > 0 && tc.wantFast[i] == 1
				if (d == "") != wantEmpty {
					t.Errorf("data[%d] = %q; want empty exactly for fast events", i, d)
				}
			}
			if rec.Data[4] != "[DONE]" || !strings.Contains(rec.Data[3], `"finish_reason":"stop"`) {
				t.Errorf("data = %q", rec.Data)
			}
			if rec.Comments != 1 {
				t.Errorf("comments = %d, want 1", rec.Comments)
			}
			if runtime.GOOS == "linux" && !rec.KernelStamps {
				t.Error("kernelStamps = false on Linux")
			}
			if rec.LocalPort <= 0 || rec.SentUnixNs < before || rec.SentUnixNs > time.Now().UnixNano() {
				t.Errorf("localPort %d, sentUnixNs %d: want a port and a time within the call", rec.LocalPort, rec.SentUnixNs)
			}
			for _, v := range append(append([]float64{rec.HeadersMs, rec.EndMs}, rec.Times...), rec.SendLagMs, rec.ReadLagMaxMs) {
				if us := v * 1000; math.Abs(us-math.Round(us)) > 1e-6 {
					t.Errorf("%v has more than microsecond precision", v)
				}
			}
		})
	}
}

func TestStreamNonSSEBody(t *testing.T) {
	big := strings.Repeat("0123456789", 10000)
	up := upstream(t, func(<-chan struct{}) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Retry-After", "3")
			w.WriteHeader(http.StatusTooManyRequests)
			_, _ = io.WriteString(w, big)
		}
	})
	tm := newTestMeter(t, 8, 1<<20)
	for _, tc := range []struct {
		name string
		max  int
	}{{"none kept", 0}, {"some", 10}, {"across reads", 40000}, {"all", len(big) + 5}} {
		t.Run(tc.name, func(t *testing.T) {
			rec := tm.okStream(t, line1(up.URL, map[string]any{"maxBodyBytes": tc.max}), `{}`, "")
			want := big[:min(tc.max, len(big))]
			if rec.Status != 429 || rec.IsSSE || rec.ErrorKind != "" || rec.RetryAfter != "3" {
				t.Errorf("record %+v", rec)
			}
			if rec.Body != want || rec.BodyBytes != int64(len(big)) {
				t.Errorf("body %d bytes, bodyBytes %d; want %d kept of %d", len(rec.Body), rec.BodyBytes, len(want), len(big))
			}
			if len(rec.Times) != 0 {
				t.Errorf("times = %v, want none", rec.Times)
			}
		})
	}
}

func TestStreamUpstreamFailures(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refused := "http://" + ln.Addr().String()
	ln.Close()
	silent := upstream(t, func(done <-chan struct{}) http.HandlerFunc {
		return sseHandler(done, []sseStep{{0, tokenEvent("a")}}, 10*time.Second)
	})
	tm := newTestMeter(t, 8, 1<<20)
	for _, tc := range []struct {
		name      string
		overrides map[string]any
		wantKind  string
		within    time.Duration
	}{
		{"connection refused", map[string]any{"url": refused}, "connect", time.Second},
		{"stall", map[string]any{"url": silent.URL, "stallTimeoutMs": 150, "timeoutMs": 5000}, "stall", time.Second},
		{"whole timeout", map[string]any{"url": silent.URL, "timeoutMs": 250}, "timeout", time.Second},
		{"unsupported method", map[string]any{"url": silent.URL, "method": "BAD METHOD"}, "request", time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			rec := tm.okStream(t, line1("http://unused", tc.overrides), `{}`, "{}")
			if rec.ErrorKind != tc.wantKind || rec.ErrorMessage == "" {
				t.Errorf("errorKind %q (%s), want %q with a message", rec.ErrorKind, rec.ErrorMessage, tc.wantKind)
			}
			if el := time.Since(start); el > tc.within {
				t.Errorf("took %v, want < %v", el, tc.within)
			}
			if tc.wantKind == "stall" || tc.wantKind == "timeout" {
				if len(rec.Data) != 1 || rec.Status != 200 {
					t.Errorf("status %d, data %q: want the event before the failure", rec.Status, rec.Data)
				}
			}
		})
	}
}

func TestStreamRefusals(t *testing.T) {
	up := upstream(t, func(<-chan struct{}) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {}
	})
	tm := newTestMeter(t, 8, 4096)
	good := line1(up.URL, nil)
	for _, tc := range []struct {
		name       string
		method     string
		body       string
		chunked    bool
		wantStatus int
		wantText   string
	}{
		{"GET", "GET", "", false, 405, "takes POST"},
		{"too large", "POST", good + "\n{}\n" + strings.Repeat("x", 5000), false, 413, "--max-request-bytes 4096"},
		{"too large, chunked", "POST", good + "\n{}\n" + strings.Repeat("x", 5000), true, 413, "--max-request-bytes 4096"},
		{"no line end", "POST", good, false, 400, "two JSON lines"},
		{"one line", "POST", good + "\n{}", false, 400, "got one line"},
		{"line 1 not JSON", "POST", "{url\n{}\n", false, 400, "line 1: not valid JSON"},
		{"line 2 not an object", "POST", good + "\n[1]\n", false, 400, "line 2: expected a JSON object"},
		{"empty line 2", "POST", good + "\n\n", false, 400, "line 2"},
		{"no url", "POST", line1("", nil) + "\n{}\n", false, 400, "url: expected"},
		{"ftp url", "POST", line1("ftp://x/", nil) + "\n{}\n", false, 400, "url: expected an http or https URL"},
		{"no timeout", "POST", `{"url":"http://x"}` + "\n{}\n", false, 400, "timeoutMs: expected a number > 0, got none"},
		{"zero timeout", "POST", line1(up.URL, map[string]any{"timeoutMs": 0}) + "\n{}\n", false, 400, "timeoutMs: expected a number > 0"},
		{"string timeout", "POST", line1(up.URL, map[string]any{"timeoutMs": "5s"}) + "\n{}\n", false, 400, "timeoutMs: expected a number, got string"},
		{"negative stall", "POST", line1(up.URL, map[string]any{"stallTimeoutMs": -1}) + "\n{}\n", false, 400, "stallTimeoutMs"},
		{"fractional maxBodyBytes", "POST", line1(up.URL, map[string]any{"maxBodyBytes": 1.5}) + "\n{}\n", false, 400, "maxBodyBytes"},
		{"header not a string", "POST", line1(up.URL, map[string]any{"headers": map[string]int{"X": 1}}) + "\n{}\n", false, 400, "headers"},
		{"unknown field", "POST", good + "\n" + `{"vu":"1","obz":[]}` + "\n", false, 400, `line 2: unknown field "obz"`},
		{"bad obs", "POST", good + "\n" + `{"obs":[["a"]]}` + "\n", false, 400, "obs: expected [key, number] pairs"},
		{"obs value not a number", "POST", good + "\n" + `{"obs":[["a","1"]]}` + "\n", false, 400, "obs: expected"},
		{"bad fastToken", "POST", line1(up.URL, map[string]any{"fastToken": "x"}) + "\n{}\n", false, 400, "fastToken: expected null or"},
		{"vu a number", "POST", good + "\n" + `{"vu":7}` + "\n", false, 400, "vu: expected a string, got number"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var body io.Reader = strings.NewReader(tc.body)
			if tc.chunked {
				body = io.MultiReader(body) // unknown length: sent chunked
			}
			start := time.Now()
			status, text := tm.do(t, tc.method, "/stream", body)
			if status != tc.wantStatus || !strings.Contains(text, tc.wantText) || strings.Count(text, "\n") != 1 {
				t.Errorf("got %d %q, want %d with one line containing %q", status, text, tc.wantStatus, tc.wantText)
			}
			if el := time.Since(start); el > time.Second {
				t.Errorf("refusal took %v", el)
			}
		})
	}
}

// With --max-streams in flight, the next request is refused at once.
func TestStreamOverloaded(t *testing.T) {
	var started atomic.Int64
	up := upstream(t, func(done <-chan struct{}) http.HandlerFunc {
		h := sseHandler(done, []sseStep{{0, tokenEvent("a")}}, 10*time.Second)
		return func(w http.ResponseWriter, r *http.Request) {
			started.Add(1)
			h(w, r)
		}
	})
	tm := newTestMeter(t, 2, 1<<20)
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for i := 0; i < 2; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, _ := http.NewRequestWithContext(ctx, "POST", tm.URL+"/stream", strings.NewReader(line1(up.URL, nil)+"\n{}\n"))
			req.Header.Set(SecretHeader, testSecret)
			if res, err := tm.client.Do(req); err == nil {
				res.Body.Close()
			}
		}()
	}
	defer func() { cancel(); wg.Wait() }()
	waitFor(t, func() bool { return started.Load() == 2 && tm.Streams() == 2 }, "2 streams in flight")
	start := time.Now()
	status, text := tm.stream(t, line1(up.URL, nil), "{}", "")
	if el := time.Since(start); el > 200*time.Millisecond {
		t.Errorf("503 took %v, want at once", el)
	}
	if status != 503 || text != "meter overloaded: 2 streams in flight (--max-streams 2)\n" {
		t.Errorf("got %d %q", status, text)
	}
	status, text = tm.do(t, "GET", "/health", nil)
	if status != 200 || text != `{"version":"1","streams":2,"maxStreams":2,"started":2}` {
		t.Errorf("health: %d %q", status, text)
	}
	if started.Load() != 2 {
		t.Errorf("upstream saw %d requests, want 2", started.Load())
	}
}

func waitFor(t *testing.T, cond func() bool, what string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// k6 going away cancels the upstream request.
func TestClientGoneCancelsUpstream(t *testing.T) {
	upstreamDone := make(chan struct{})
	sent := make(chan struct{})
	up := upstream(t, func(done <-chan struct{}) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/event-stream")
			_, _ = io.WriteString(w, tokenEvent("a"))
			w.(http.Flusher).Flush()
			close(sent)
			select {
			case <-r.Context().Done():
				close(upstreamDone)
			case <-done:
			case <-time.After(10 * time.Second):
			}
		}
	})
	tm := newTestMeter(t, 8, 1<<20)
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() {
		req, _ := http.NewRequestWithContext(ctx, "POST", tm.URL+"/stream", strings.NewReader(line1(up.URL, nil)+"\n{}\n"))
		req.Header.Set(SecretHeader, testSecret)
		res, err := tm.client.Do(req)
		if err == nil {
			res.Body.Close()
		}
		errc <- err
	}()
	<-sent
	cancel()
	if err := <-errc; err == nil {
		t.Fatal("the client request finished normally; want it cancelled")
	}
	select {
	case <-upstreamDone:
	case <-time.After(2 * time.Second):
		t.Fatal("the upstream request was not cancelled within 2 s of the client leaving")
	}
	waitFor(t, func() bool { return tm.Streams() == 0 }, "the stream to end")
}

// Connections upstream are reused: as many as streams in flight, no more.
func TestUpstreamConnectionsReused(t *testing.T) {
	var mu sync.Mutex
	ports := map[string]bool{}
	up := upstream(t, func(done <-chan struct{}) http.HandlerFunc {
		h := sseHandler(done, []sseStep{{5 * time.Millisecond, tokenEvent("a")}, {10 * time.Millisecond, "data: [DONE]\n\n"}}, 0)
		return func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			ports[r.RemoteAddr] = true
			mu.Unlock()
			h(w, r)
		}
	})
	tm := newTestMeter(t, 64, 1<<20)
	const conc, rounds = 20, 5
	var wg sync.WaitGroup
	for i := 0; i < conc; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < rounds; j++ {
				if status, text := tm.stream(t, line1(up.URL, nil), "{}", ""); status != 200 || !strings.Contains(text, `"errorKind":""`) {
					t.Errorf("%d %s", status, text)
				}
			}
		}()
	}
	wg.Wait()
	if n := len(ports); n > conc {
		t.Errorf("%d upstream connections for %d concurrent streams × %d rounds; want at most %d", n, conc, rounds, conc)
	}
}

func TestLine2ReplacesLine1Fields(t *testing.T) {
	got := make(chan string, 1)
	up := upstream(t, func(<-chan struct{}) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			got <- r.Method + " " + r.URL.Path + " " + r.Header.Get("X-A") + r.Header.Get("Authorization")
		}
	})
	tm := newTestMeter(t, 8, 1<<20)
	l2 := jsonLine(map[string]any{"url": up.URL + "/two", "method": "PUT", "headers": map[string]string{"X-A": "a"}})
	rec := tm.okStream(t, line1(up.URL+"/one", nil), l2, "")
	if rec.Status != 200 {
		t.Fatalf("record %+v", rec)
	}
	if s := <-got; s != "PUT /two a" {
		t.Errorf("upstream saw %q, want line 2's url, method and headers (headers replaced whole)", s)
	}
	// The cached line 1 is not changed by line 2.
	rec = tm.okStream(t, line1(up.URL+"/one", nil), "{}", "")
	if s := <-got; s != "POST /one Bearer sk-test" || rec.Status != 200 {
		t.Errorf("upstream saw %q, want line 1's fields again", s)
	}
}

// An upstream that closes a kept-alive connection when its next request
// comes (as a server whose keep-alive limit ran out does while the request
// is on its way): the meter sends that request once more on a new
// connection, says so in the record, and the upstream answers each request
// once.
func TestResendsWhenUpstreamClosedTheReusedConnection(t *testing.T) {
	var mu sync.Mutex
	servedOn := map[string]int{}
	answered := 0
	up := upstream(t, func(done <-chan struct{}) http.HandlerFunc {
		h := sseHandler(done, []sseStep{{0, tokenEvent("a")}, {2 * time.Millisecond, "data: [DONE]\n\n"}}, 0)
		return func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			n := servedOn[r.RemoteAddr]
			servedOn[r.RemoteAddr] = n + 1
			if n >= 1 {
				mu.Unlock()
				if c, _, err := w.(http.Hijacker).Hijack(); err == nil {
					c.Close() // never answered: the server "had closed" this connection
				}
				return
			}
			answered++
			mu.Unlock()
			h(w, r)
		}
	})
	tm := newTestMeter(t, 8, 1<<20)
	for i := 0; i < 4; i++ {
		rec := tm.okStream(t, line1(up.URL, nil), "{}", "")
		if rec.ErrorKind != "" || rec.Status != 200 || len(rec.Times) != 2 {
			t.Fatalf("request %d: %+v; want a clean answer", i, rec)
		}
		// 0: a new connection; 1: reuses it, resent on a fresh one (closed
		// after); 2: a new pooled connection; 3: reuses that one, resent.
		if want := i % 2; rec.Resent != want || (want == 1) != (rec.ResentCause != "") {
			t.Errorf("request %d: resent %d (%q), want %d", i, rec.Resent, rec.ResentCause, want)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if answered != 4 {
		t.Errorf("upstream answered %d requests, want 4 (each once)", answered)
	}
}
