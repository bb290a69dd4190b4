package sseread

import (
	"strings"
	"testing"
)

// feedAll gives the parser `raw` in pieces cut at `cuts` and returns the
// body it handed out, whether the head was read, how many bytes it took.
func feedAll(t *testing.T, raw string, cuts []int) (body string, p *respParser, taken int, err error) {
	t.Helper()
	p = &respParser{}
	var sb strings.Builder
	headers := 0
	from := 0
	for _, to := range append(cuts, len(raw)) {
		n, ferr := p.feed([]byte(raw[from:to]), func() { headers++ }, func(b []byte) { sb.Write(b) })
		taken += n
		if ferr != nil {
			return sb.String(), p, taken, ferr
		}
		from = to
	}
	if headers > 1 {
		t.Fatalf("headers called %d times", headers)
	}
	return sb.String(), p, taken, nil
}

// The answers the reactor reads, whole, cut in two at every byte, and a byte at a time.
func TestRespParserFraming(t *testing.T) {
	for _, tc := range []struct {
		name, raw, body string
		status          int
		done, close     bool
		sse             bool
	}{
		{"chunked SSE", "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n9\r\ndata: a\n\n\r\na;ext=1\r\ndata: bc\n\n\r\n0\r\nX-Trailer: 1\r\n\r\n", "data: a\n\ndata: bc\n\n", 200, true, false, true},
		{"sized JSON", "HTTP/1.1 429 Too Many Requests\r\nContent-Type: application/json\r\nRetry-After: 2\r\nContent-Length: 11\r\n\r\n{\"e\":\"slow\"}", "{\"e\":\"slow\"", 429, true, false, false},
		{"interim 100 then the answer", "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", "ok", 200, true, false, false},
		{"delimited by close", "HTTP/1.0 200 OK\r\nContent-Type: text/event-stream\r\n\r\ndata: x\n\n", "data: x\n\n", 200, false, true, true},
		{"connection close", "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n", "", 200, true, true, false},
		{"no content", "HTTP/1.1 204 No Content\r\n\r\n", "", 204, true, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			check := func(how string, cuts []int) {
				body, p, _, err := feedAll(t, tc.raw, cuts)
				if err != nil {
					t.Fatalf("%s: %v", how, err)
				}
				if body != tc.body || p.status != tc.status || p.done() != tc.done || p.close != tc.close {
					t.Fatalf("%s: body %q status %d done %v close %v; want %q %d %v %v", how, body, p.status, p.done(), p.close, tc.body, tc.status, tc.done, tc.close)
				}
				if tc.sse != strings.HasPrefix(p.contentType, "text/event-stream") {
					t.Fatalf("%s: content type %q", how, p.contentType)
				}
			}
			check("whole", nil)
			for i := 1; i < len(tc.raw); i++ {
				check("cut", []int{i})
			}
			every := make([]int, 0, len(tc.raw))
			for i := 1; i < len(tc.raw); i++ {
				every = append(every, i)
			}
			check("a byte at a time", every)
		})
	}
}

// Bytes after a complete answer are not taken (the connection is then not reused).
func TestRespParserStopsAtTheEnd(t *testing.T) {
	raw := "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokEXTRA"
	_, p, taken, err := feedAll(t, raw, nil)
	if err != nil || !p.done() || taken != len(raw)-len("EXTRA") {
		t.Fatalf("err %v done %v taken %d of %d", err, p.done(), taken, len(raw))
	}
}

func TestRespParserRefusesMalformedAnswers(t *testing.T) {
	for _, raw := range []string{
		"SSH-2.0-OpenSSH\r\n\r\n",
		"HTTP/1.1 abc OK\r\n\r\n",
		"HTTP/1.1 200 OK\r\nno colon\r\n\r\n",
		"HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nokXX",
	} {
		if _, _, _, err := feedAll(t, raw, nil); err == nil {
			t.Errorf("%q: no error", raw)
		}
	}
	huge := "HTTP/1.1 200 OK\r\nX: " + strings.Repeat("a", maxHeadBytes) + "\r\n\r\n"
	if _, _, _, err := feedAll(t, huge, []int{len(huge) / 2}); err == nil {
		t.Error("a head over 1 MiB: no error")
	}
}
