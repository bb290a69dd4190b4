package main

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/k6-llm/meter/sseread"
)

func TestAppendStringAwkward(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string // want: what a JSON decoder must read back
	}{
		{"empty", "", ""},
		{"plain", `{"a":1}`, `{"a":1}`},
		{"quotes and backslashes", `say "hi" \ C:\path\n`, `say "hi" \ C:\path\n`},
		{"control characters", "a\x00b\x01\x1f\tc\nd\re\bf\fg\x7f", "a\x00b\x01\x1f\tc\nd\re\bf\fg\x7f"},
		{"line and paragraph separators", "a\u2028b\u2029c", "a\u2028b\u2029c"},
		{"multi-byte", "héllo 世界 🎉", "héllo 世界 🎉"},
		{"invalid UTF-8", "a\xffb\xc3(c\xe2\x82", "a\ufffdb\ufffd(c\ufffd\ufffd"},
		{"lone surrogate bytes", "\xed\xa0\x80", "\ufffd\ufffd\ufffd"},
		{"html is left alone", "<script>&</script>", "<script>&</script>"},
		{"trailing escape", "end\"", "end\""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := appendString(nil, tc.in)
			if !json.Valid(b) || !utf8.Valid(b) {
				t.Fatalf("appendString(%q) = %s: not valid JSON/UTF-8", tc.in, b)
			}
			var got string
			if err := json.Unmarshal(b, &got); err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("decoded %q, want %q (encoded %s)", got, tc.want, b)
			}
			if strings.ContainsRune(string(b), '\u2028') || strings.ContainsRune(string(b), '\u2029') {
				t.Errorf("%s carries U+2028/U+2029 raw", b)
			}
			for _, c := range b {
				if c < 0x20 {
					t.Errorf("%q carries a raw control character", b)
				}
			}
		})
	}
}

func TestAppendMs(t *testing.T) {
	for _, tc := range []struct {
		in   float64
		want string
	}{
		{0, "0"}, {-0.0000001, "0"}, {1.2345, "1.235"}, {1.2344, "1.234"}, {201.2, "201.2"},
		{1456.0004, "1456"}, {0.0005, "0.001"}, {-3.14159, "-3.142"}, {86400000.123456, "86400000.123"},
		{posInf(), "0"}, {nan(), "0"},
	} {
		if got := string(appendMs(nil, tc.in)); got != tc.want {
			t.Errorf("appendMs(%v) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

func posInf() float64 { z := 0.0; return 1 / z }
func nan() float64    { z := 0.0; return z / z }

// A whole record with awkward strings everywhere decodes with encoding/json.
func TestAppendRecordValid(t *testing.T) {
	awkward := "\"\\\x00\u2028\xff</>\n"
	res := sseread.Result{
		Status: 502, RetryAfter: awkward, HeadersMs: 1.0000001, EndMs: 2.5, IsSSE: true,
		Events:   []sseread.Event{{AtMs: 1.1, Data: awkward}, {AtMs: 1.2, Fast: true}, {AtMs: 1.3, Data: ""}},
		Comments: 3, Unterminated: true, Body: awkward, BodyBytes: 99, ErrorKind: "reset", ErrorMessage: awkward,
		KernelStamps: true, ReadLagMaxMs: 0.0004, SendLagMs: 0.05, LocalPort: 40312, SentUnixNs: 1764500000123456789,
	}
	for _, withFast := range []bool{true, false} {
		b := appendRecord(nil, &res, withFast)
		rec := decodeRecord(t, string(b))
		want := "\"\\\x00\u2028\ufffd</>\n"
		if rec.RetryAfter != want || rec.Body != want || rec.ErrorMessage != want || rec.Data[0] != want {
			t.Errorf("strings did not round-trip: %s", b)
		}
		if len(rec.Times) != 3 || rec.Data[1] != "" || rec.HeadersMs != 1 || rec.ReadLagMaxMs != 0 || rec.SentUnixNs != 1764500000123456789 {
			t.Errorf("record %+v from %s", rec, b)
		}
		wantFast := 0
		if withFast {
			wantFast = 3
		}
		if len(rec.Fast) != wantFast || (withFast && (rec.Fast[0] != 0 || rec.Fast[1] != 1 || rec.Fast[2] != 0)) {
			t.Errorf("fast = %v (withFast %v)", rec.Fast, withFast)
		}
	}
	// The field order and spelling of the doc's example.
	b := appendRecord(nil, &sseread.Result{}, false)
	const want = `{"status":0,"retryAfter":"","headersMs":0,"endMs":0,"isSSE":false,"times":[],"data":[],"fast":[],"comments":0,"unterminated":false,"body":"","bodyBytes":0,"errorKind":"","errorMessage":"","kernelStamps":false,"readLagMaxMs":0,"sendLagMs":0,"localPort":0,"sentUnixNs":0}`
	if string(b) != want {
		t.Errorf("empty record\n got %s\nwant %s", b, want)
	}
}

func BenchmarkAppendRecord(b *testing.B) {
	res := sseread.Result{Status: 200, IsSSE: true, HeadersMs: 12.3, EndMs: 1456.7}
	for i := 0; i < 100; i++ {
		ev := sseread.Event{AtMs: 200 + float64(i)*20.123456, Fast: i%10 != 0}
		if !ev.Fast {
			ev.Data = `{"id":"chatcmpl-1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"token"},"finish_reason":null}]}`
		}
		res.Events = append(res.Events, ev)
	}
	buf := make([]byte, 0, 64*1024)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		buf = appendRecord(buf[:0], &res, true)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/100, "ns/event")
}
