package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

const testSecret = "0123456789abcdef0123456789abcdef"

// testMeter is a meter served on 127.0.0.1 for one test.
type testMeter struct {
	*Meter
	URL    string
	client *http.Client
}

func newTestMeter(t *testing.T, maxStreams int, maxRequestBytes int64) *testMeter {
	t.Helper()
	m := NewMeter(testSecret, maxStreams, maxRequestBytes, nil)
	srv := httptest.NewServer(m)
	tr := &http.Transport{MaxIdleConnsPerHost: 64}
	t.Cleanup(func() {
		tr.CloseIdleConnections()
		srv.Close()
		for _, c := range []*http.Client{m.upstream.pooled, m.upstream.fresh, m.insecure.pooled, m.insecure.fresh} {
			c.CloseIdleConnections()
		}
	})
	return &testMeter{Meter: m, URL: srv.URL, client: &http.Client{Transport: tr, Timeout: 20 * time.Second}}
}

// upstream starts an upstream test server; done is closed before it is
// closed, so that handlers that hold a stream open can return.
func upstream(t *testing.T, mk func(done <-chan struct{}) http.HandlerFunc) *httptest.Server {
	t.Helper()
	done := make(chan struct{})
	srv := httptest.NewServer(mk(done))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(done) })
	return srv
}

// line1 is a typical first line for url, with overrides merged in.
func line1(url string, overrides map[string]any) string {
	p := map[string]any{
		"url":            url,
		"method":         "POST",
		"headers":        map[string]string{"Content-Type": "application/json", "Authorization": "Bearer sk-test"},
		"timeoutMs":      5000,
		"stallTimeoutMs": 0,
		"maxBodyBytes":   4096,
		"fastToken":      nil,
		"insecureTls":    false,
	}
	for k, v := range overrides {
		if v == nil {
			p[k] = nil
			continue
		}
		p[k] = v
	}
	b, _ := json.Marshal(p)
	return string(b)
}

var testRule = map[string]any{
	"startsWith": "{", "endsWith": "}", "key": `"content":"`, "emptyValueChar": `"`,
	"keyInside": `"delta":{`, "excludes": []string{`"finish_reason":"`, `"usage":{`},
}

// do sends one request to the meter with the secret.
func (tm *testMeter) do(t *testing.T, method, path string, body io.Reader) (int, string) {
	t.Helper()
	return tm.doCtx(t, context.Background(), method, path, body)
}

func (tm *testMeter) doCtx(t *testing.T, ctx context.Context, method, path string, body io.Reader) (int, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, method, tm.URL+path, body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set(SecretHeader, testSecret)
	res, err := tm.client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// stream posts the two lines and the upstream body to /stream.
func (tm *testMeter) stream(t *testing.T, l1, l2, body string) (int, string) {
	t.Helper()
	return tm.do(t, "POST", "/stream", strings.NewReader(l1+"\n"+l2+"\n"+body))
}

// record is the protocol's record, decoded strictly.
type record struct {
	Status       int       `json:"status"`
	RetryAfter   string    `json:"retryAfter"`
	HeadersMs    float64   `json:"headersMs"`
	EndMs        float64   `json:"endMs"`
	IsSSE        bool      `json:"isSSE"`
	Times        []float64 `json:"times"`
	Data         []string  `json:"data"`
	Fast         []int     `json:"fast"`
	Comments     int       `json:"comments"`
	Unterminated bool      `json:"unterminated"`
	Body         string    `json:"body"`
	BodyBytes    int64     `json:"bodyBytes"`
	ErrorKind    string    `json:"errorKind"`
	ErrorMessage string    `json:"errorMessage"`
	KernelStamps bool      `json:"kernelStamps"`
	ReadLagMaxMs float64   `json:"readLagMaxMs"`
	SendLagMs    float64   `json:"sendLagMs"`
	LocalPort    int       `json:"localPort"`
	SentUnixNs   int64     `json:"sentUnixNs"`
	StampBounds  []float64 `json:"stampBounds"`
	Resent       int       `json:"resent"`
	ResentCause  string    `json:"resentCause"`
	// Only in records file lines.
	VU  *string         `json:"vu"`
	URL *string         `json:"url"`
	Ctx json.RawMessage `json:"ctx"`
}

func decodeRecord(t *testing.T, s string) record {
	t.Helper()
	var r record
	dec := json.NewDecoder(strings.NewReader(s))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		t.Fatalf("record %q: %v", s, err)
	}
	if r.Times == nil || r.Data == nil || r.Fast == nil {
		t.Fatalf("record %q: times, data and fast must be arrays", s)
	}
	return r
}

// okStream posts and expects a 200 record.
func (tm *testMeter) okStream(t *testing.T, l1, l2, body string) record {
	t.Helper()
	status, text := tm.stream(t, l1, l2, body)
	if status != 200 {
		t.Fatalf("status %d %q, want 200", status, text)
	}
	return decodeRecord(t, text)
}

// sseSteps writes events at their delays after the headers.
type sseStep struct {
	at   time.Duration
	data string
}

func sseHandler(done <-chan struct{}, steps []sseStep, hold time.Duration) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		start := time.Now()
		w.Header().Set("Content-Type", "text/event-stream")
		w.WriteHeader(200)
		w.(http.Flusher).Flush()
		for _, s := range steps {
			select {
			case <-time.After(time.Until(start.Add(s.at))):
			case <-r.Context().Done():
				return
			case <-done:
				return
			}
			_, _ = io.WriteString(w, s.data)
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

func jsonLine(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

func tokenEvent(s string) string {
	return fmt.Sprintf("data: {\"choices\":[{\"delta\":{\"content\":%q}}]}\n\n", s)
}
