package main

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestStoreValuesInOrder(t *testing.T) {
	up := upstream(t, func(done <-chan struct{}) http.HandlerFunc {
		return sseHandler(done, []sseStep{{0, "data: [DONE]\n\n"}}, 0)
	})
	tm := newTestMeter(t, 8, 1<<20)
	l1 := line1(up.URL, nil)
	var want []float64
	for i := 0; i < 5; i++ {
		v := float64(i) + 0.25
		want = append(want, v, -v)
		tm.okStream(t, l1, jsonLine(map[string]any{"vu": "1", "obs": [][]any{{"ttft", v}, {"ttft", -v}, {"other", 1}}}), "")
	}
	if status, text := tm.do(t, "POST", "/store/observe", strings.NewReader(`{"obs":[["ttft",1e-9],["ttft",12345678.5]]}`)); status != 204 || text != "" {
		t.Fatalf("observe: %d %q", status, text)
	}
	want = append(want, 1e-9, 12345678.5)
	if got := values(t, tm, "ttft"); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("values = %v, want %v", got, want)
	}
	if got := values(t, tm, "other"); len(got) != 5 {
		t.Errorf("other = %v, want five 1s", got)
	}
	if status, text := tm.do(t, "GET", "/store/keys?prefix=ot", nil); status != 200 || text != `{"keys":{"other":5}}` {
		t.Errorf("keys by prefix: %d %q", status, text)
	}
	if status, text := tm.do(t, "GET", "/store/summary?prefix=oth", nil); status != 200 || text != `{"count":5,"p50":1}` {
		t.Errorf("summary by prefix: %d %q", status, text)
	}
	if status, text := tm.do(t, "GET", "/store/summary?prefix=none", nil); status != 200 || text != `{"count":0,"p50":null}` {
		t.Errorf("summary of an unknown prefix: %d %q", status, text)
	}
	if status, text := tm.do(t, "GET", "/health", nil); status != 200 || !strings.Contains(text, `"started":5`) {
		t.Errorf("health counts the streams started: %d %q", status, text)
	}
	if status, text := tm.do(t, "GET", "/store/keys?prefix=none", nil); status != 200 || text != `{"keys":{}}` {
		t.Errorf("keys of an unknown prefix: %d %q", status, text)
	}
	if status, text := tm.do(t, "GET", "/store/values?key=nothing", nil); status != 200 || text != `{"values":[]}` {
		t.Errorf("unknown key: %d %q", status, text)
	}
	for _, tc := range []struct {
		method, path, body string
		want               int
	}{
		{"POST", "/store/observe", `{"obs":[["a"]]}`, 400},
		{"POST", "/store/observe", `{"values":[]}`, 400},
		{"GET", "/store/observe", ``, 405},
		{"POST", "/store/values?key=a", ``, 405},
		{"GET", "/store/values", ``, 400},
		{"GET", "/store/count", ``, 400},
		{"POST", "/pending", ``, 405},
		{"GET", "/nope", ``, 404},
	} {
		if status, text := tm.do(t, tc.method, tc.path, strings.NewReader(tc.body)); status != tc.want {
			t.Errorf("%s %s %s: %d %q, want %d", tc.method, tc.path, tc.body, status, text, tc.want)
		}
	}
}

func values(t *testing.T, tm *testMeter, key string) []float64 {
	t.Helper()
	status, text := tm.do(t, "GET", "/store/values?key="+key, nil)
	var v struct {
		Values []float64 `json:"values"`
	}
	if status != 200 || json.Unmarshal([]byte(text), &v) != nil {
		t.Fatalf("values: %d %q", status, text)
	}
	return v.Values
}

func count(t *testing.T, tm *testMeter, key string) string {
	t.Helper()
	_, text := tm.do(t, "GET", "/store/count?key="+key, nil)
	return text
}

// The counter goes up once per finished request that names it, whatever
// the outcome, and only once the upstream response has ended.
func TestStoreCount(t *testing.T) {
	release := make(chan struct{})
	up := upstream(t, func(done <-chan struct{}) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/event-stream")
			w.(http.Flusher).Flush()
			if r.URL.Path == "/hold" {
				<-release
			}
		}
	})
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	refused := "http://" + ln.Addr().String()
	ln.Close()
	tm := newTestMeter(t, 8, 1<<20)
	tm.okStream(t, line1(up.URL, nil), `{"count":"batch"}`, "")
	tm.okStream(t, line1(refused, nil), `{"count":"batch"}`, "")
	tm.okStream(t, line1(up.URL, nil), `{"count":""}`, "")
	tm.okStream(t, line1(up.URL, nil), `{}`, "")
	if got := count(t, tm, "batch"); got != `{"count":2}` {
		t.Errorf("count = %s, want 2", got)
	}
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		tm.okStream(t, line1(up.URL+"/hold", nil), `{"count":"batch"}`, "")
	}()
	waitFor(t, func() bool { return tm.Streams() == 1 }, "the held stream")
	time.Sleep(20 * time.Millisecond)
	if got := count(t, tm, "batch"); got != `{"count":2}` {
		t.Errorf("count while the stream is open = %s, want still 2", got)
	}
	close(release)
	<-finished
	if got := count(t, tm, "batch"); got != `{"count":3}` {
		t.Errorf("count = %s, want 3", got)
	}
	if got := count(t, tm, "never"); got != `{"count":0}` {
		t.Errorf("unknown counter = %s, want 0", got)
	}
}

func TestPending(t *testing.T) {
	up := upstream(t, func(done <-chan struct{}) http.HandlerFunc {
		return sseHandler(done, []sseStep{{0, tokenEvent("x")}}, 0)
	})
	tm := newTestMeter(t, 8, 1<<20)
	l1 := line1(up.URL, nil)
	send := func(vu string, ctx any) record {
		return tm.okStream(t, l1, jsonLine(map[string]any{"vu": vu, "obs": [][]any{}, "count": "", "ctx": ctx}), "")
	}
	send("1", map[string]any{"w": "chat", "n": 1})
	last1 := send("1", map[string]any{"w": "chat", "n": 2}) // replaces the first
	send("2", map[string]any{"w": "batch"})
	send("2", nil) // its successor came: forgotten, and this one keeps nothing
	send("3", nil)
	send("10", []int{10})

	status, text := tm.do(t, "GET", "/pending", nil)
	if status != 200 {
		t.Fatalf("pending: %d %q", status, text)
	}
	var got struct {
		Pending []struct {
			VU     string          `json:"vu"`
			Ctx    json.RawMessage `json:"ctx"`
			Record json.RawMessage `json:"record"`
		} `json:"pending"`
	}
	if err := json.Unmarshal([]byte(text), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Pending) != 2 || got.Pending[0].VU != "1" || got.Pending[1].VU != "10" {
		t.Fatalf("pending = %s, want VUs 1 and 10", text)
	}
	if string(got.Pending[0].Ctx) != `{"n":2,"w":"chat"}` || string(got.Pending[1].Ctx) != `[10]` {
		t.Errorf("ctx = %s, %s", got.Pending[0].Ctx, got.Pending[1].Ctx)
	}
	if rec := decodeRecord(t, string(got.Pending[0].Record)); rec.SentUnixNs != last1.SentUnixNs || len(rec.Times) != 1 {
		t.Errorf("VU 1's pending record %+v, want its last request's %+v", rec, last1)
	}
	if status, text := tm.do(t, "GET", "/pending", nil); status != 200 || text != `{"pending":[]}` {
		t.Errorf("second /pending: %d %q, want none (forgotten)", status, text)
	}
}

// A run's setup() empties the store: values, counters and pending records of
// an earlier run on the same meter never reach the next run's figures.
func TestStoreReset(t *testing.T) {
	up := upstream(t, func(done <-chan struct{}) http.HandlerFunc {
		return sseHandler(done, []sseStep{{0, "data: [DONE]\n\n"}}, 0)
	})
	tm := newTestMeter(t, 8, 1<<20)
	tm.okStream(t, line1(up.URL, nil), jsonLine(map[string]any{"vu": "1", "obs": [][]any{{"ttft", 100}}, "count": "done", "ctx": map[string]any{"w": "chat"}}), "")
	if got := values(t, tm, "ttft"); len(got) != 1 {
		t.Fatalf("values before reset = %v", got)
	}
	status, text := tm.do(t, "POST", "/store/reset", strings.NewReader("{}"))
	if status != 200 || text != `{"streams":0}` {
		t.Fatalf("reset: %d %q", status, text)
	}
	if got := values(t, tm, "ttft"); len(got) != 0 {
		t.Errorf("values after reset = %v, want none", got)
	}
	if got := count(t, tm, "done"); got != `{"count":0}` {
		t.Errorf("count after reset = %s, want 0", got)
	}
	if _, text := tm.do(t, "GET", "/pending", nil); text != `{"pending":[]}` {
		t.Errorf("pending after reset = %s, want none", text)
	}
	if status, _ := tm.do(t, "GET", "/store/reset", nil); status != 405 {
		t.Errorf("GET /store/reset: %d, want 405", status)
	}
}
