package main

import (
	"bufio"
	"bytes"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe to read while run writes to it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// running is one run() in the background.
type running struct {
	url, secret string
	stdout      *syncBuffer
	stderr      *syncBuffer
	signals     chan os.Signal
	stdin       *io.PipeWriter
	exit        chan int
}

var urlLine = regexp.MustCompile(`^LLM_METER_URL=http://k6llm:([0-9a-f]{32})@127\.0\.0\.1:([0-9]+)\n$`)

func startRun(t *testing.T, args ...string) *running {
	t.Helper()
	stdinR, stdinW := io.Pipe()
	stdoutR, stdoutW := io.Pipe()
	r := &running{stdout: &syncBuffer{}, stderr: &syncBuffer{}, signals: make(chan os.Signal, 2), stdin: stdinW, exit: make(chan int, 1)}
	go func() {
		code := run(args, stdinR, stdoutW, r.stderr, r.signals)
		stdoutW.Close()
		r.exit <- code
	}()
	br := bufio.NewReader(stdoutR)
	first, err := br.ReadString('\n')
	if err != nil {
		t.Fatalf("no first line on stdout: %v (stderr %q)", err, r.stderr.String())
	}
	r.stdout.Write([]byte(first))
	go func() { _, _ = io.Copy(r.stdout, br) }()
	m := urlLine.FindStringSubmatch(first)
	if m == nil {
		t.Fatalf("first stdout line %q, want LLM_METER_URL=http://k6llm:<32 hex>@127.0.0.1:<port>", first)
	}
	u, _ := url.Parse(strings.TrimPrefix(strings.TrimSpace(first), "LLM_METER_URL="))
	u.User = nil
	r.url, r.secret = u.String(), m[1]
	t.Cleanup(func() {
		select {
		case r.signals <- syscall.SIGTERM:
		default:
		}
	})
	return r
}

func (r *running) wait(t *testing.T, within time.Duration) int {
	t.Helper()
	select {
	case code := <-r.exit:
		return code
	case <-time.After(within):
		t.Fatalf("run did not return within %v (stderr %q)", within, r.stderr.String())
		return -1
	}
}

func (r *running) post(t *testing.T, body string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", r.url+"/stream", strings.NewReader(body))
	req.Header.Set(SecretHeader, r.secret)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

func TestRunURLLineRecordsAndShutdown(t *testing.T) {
	up := upstream(t, func(done <-chan struct{}) http.HandlerFunc {
		return sseHandler(done, []sseStep{{0, tokenEvent("a")}, {0, "data: [DONE]\n\n"}}, 0)
	})
	path := filepath.Join(t.TempDir(), "records.jsonl")
	r := startRun(t, "--records", path, "--drain-timeout", "2s")
	const n = 3
	for i := 0; i < n; i++ {
		if status, text := r.post(t, line1(up.URL, nil)+"\n"+jsonLine(map[string]any{"vu": "4", "ctx": map[string]any{"w": "chat"}})+"\n"); status != 200 {
			t.Fatalf("%d %q", status, text)
		}
	}
	// A wrong secret never shows up in the records.
	req, _ := http.NewRequest("POST", r.url+"/stream", strings.NewReader(line1(up.URL, nil)+"\n{}\n"))
	if res, err := http.DefaultClient.Do(req); err != nil || res.StatusCode != 401 {
		t.Fatalf("no secret: %v %v", res, err)
	}
	r.signals <- syscall.SIGTERM
	if code := r.wait(t, 5*time.Second); code != 0 {
		t.Fatalf("exit code %d, want 0 (stderr %q)", code, r.stderr.String())
	}
	if out := r.stdout.String(); strings.Count(out, "\n") != 1 {
		t.Errorf("stdout %q, want exactly the URL line", out)
	}
	if strings.Contains(r.stderr.String(), r.secret) {
		t.Errorf("stderr carries the secret: %q", r.stderr.String())
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(raw), "\n"), "\n")
	if len(lines) != n || !strings.HasSuffix(string(raw), "\n") {
		t.Fatalf("records file has %d lines, want %d: %q", len(lines), n, raw)
	}
	for _, l := range lines {
		rec := decodeRecord(t, l)
		if rec.VU == nil || *rec.VU != "4" || rec.URL == nil || *rec.URL != up.URL || len(rec.Times) != 2 {
			t.Errorf("record line %s", l)
		}
		if !strings.Contains(l, `,"ctx":{"w":"chat"}}`) {
			t.Errorf("record line without its ctx: %s", l)
		}
		if strings.Contains(l, "sk-test") {
			t.Errorf("record line carries a request header: %s", l)
		}
	}
}

// A stream still open when the drain timeout ends is cancelled, and its
// record still reaches the file.
func TestRunDrainCancelsStreams(t *testing.T) {
	up := upstream(t, func(done <-chan struct{}) http.HandlerFunc {
		return sseHandler(done, []sseStep{{0, tokenEvent("a")}}, 30*time.Second)
	})
	path := filepath.Join(t.TempDir(), "records.jsonl")
	r := startRun(t, "--records", path, "--drain-timeout", "200ms")
	answered := make(chan string, 1)
	go func() {
		_, text := r.post(t, line1(up.URL, map[string]any{"timeoutMs": 60000})+"\n{}\n")
		answered <- text
	}()
	time.Sleep(100 * time.Millisecond)
	start := time.Now()
	r.signals <- syscall.SIGTERM
	if code := r.wait(t, 5*time.Second); code != 0 {
		t.Fatalf("exit code %d", code)
	}
	if el := time.Since(start); el < 200*time.Millisecond || el > 2*time.Second {
		t.Errorf("exited %v after SIGTERM, want just after the 200 ms drain timeout", el)
	}
	raw, _ := os.ReadFile(path)
	if rec := decodeRecord(t, string(raw)); rec.ErrorKind != "canceled" || len(rec.Times) != 1 {
		t.Errorf("record %+v, want the cancelled stream with its event", rec)
	}
	select {
	case text := <-answered:
		if !strings.Contains(text, `"errorKind":"canceled"`) {
			t.Logf("answer %q", text)
		}
	case <-time.After(2 * time.Second):
		t.Error("the in-flight request got no answer")
	}
}

func TestRunStdinLifeline(t *testing.T) {
	r := startRun(t, "--stdin-lifeline")
	r.stdin.Close()
	if code := r.wait(t, 5*time.Second); code != 0 {
		t.Fatalf("exit code %d", code)
	}
	if !strings.Contains(r.stderr.String(), "stdin closed") {
		t.Errorf("stderr %q", r.stderr.String())
	}
}

func TestRunRefusesBadFlags(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"any address", []string{"--listen", "0.0.0.0"}, "loopback"},
		{"IPv6 any", []string{"--listen", "::"}, "loopback"},
		{"LAN address", []string{"--listen", "192.168.1.10"}, "loopback"},
		{"host name", []string{"--listen", "example.com"}, "loopback"},
		{"empty", []string{"--listen", ""}, "loopback"},
		{"max streams", []string{"--max-streams", "0"}, "--max-streams"},
		{"port", []string{"--port", "70000"}, "--port"},
		{"argument", []string{"extra"}, "unexpected argument"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(tc.args, strings.NewReader(""), &stdout, &stderr, make(chan os.Signal))
			if code != 2 || stdout.Len() != 0 || strings.Count(stderr.String(), "\n") != 1 || !strings.Contains(stderr.String(), tc.want) {
				t.Errorf("code %d, stdout %q, stderr %q; want 2, nothing, one line about %s", code, stdout.String(), stderr.String(), tc.want)
			}
		})
	}
}

func TestLoopbackHost(t *testing.T) {
	for in, want := range map[string]string{
		"127.0.0.1": "127.0.0.1", "localhost": "127.0.0.1", "LOCALHOST": "127.0.0.1",
		"::1": "::1", "[::1]": "::1", "127.0.0.2": "127.0.0.2",
		"0.0.0.0": "", "10.0.0.1": "", "::": "", "": "", "localhost.example.com": "",
	} {
		got, ok := loopbackHost(in)
		if got != want || ok != (want != "") {
			t.Errorf("loopbackHost(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}

func TestMeterProcs(t *testing.T) {
	for _, tc := range []struct {
		flag int
		env  string
		cpus int
		want int
	}{
		{0, "", 2, 1},
		{0, "", 16, 4},
		{0, "3", 16, 3},
		{0, "x", 8, 2},
		{2, "3", 16, 2},
	} {
		if got := meterProcs(tc.flag, tc.env, tc.cpus); got != tc.want {
			t.Errorf("meterProcs(%d, %q, %d) = %d, want %d", tc.flag, tc.env, tc.cpus, got, tc.want)
		}
	}
}
