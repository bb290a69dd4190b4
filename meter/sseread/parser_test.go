package sseread

import (
	"fmt"
	"reflect"
	"testing"
)

// datas returns the Data of every event, never nil, so that reflect.DeepEqual
// compares "no events" equal regardless of allocation.
func datas(evs []Event) []string {
	out := []string{}
	for _, e := range evs {
		out = append(out, e.Data)
	}
	return out
}

// parseAll feeds the whole input as one chunk and flushes.
func parseAll(in string) (p *Parser, unterminated bool) {
	p = &Parser{}
	p.Feed([]byte(in), 1)
	unterminated = p.Flush(2)
	return p, unterminated
}

func TestParserFraming(t *testing.T) {
	tests := []struct {
		name         string
		in           string
		want         []string
		comments     int
		unterminated bool
	}{
		{name: "empty input", in: "", want: []string{}},
		{name: "LF", in: "data: a\n\n", want: []string{"a"}},
		{name: "CRLF", in: "data: a\r\n\r\n", want: []string{"a"}},
		{name: "lone CR", in: "data: a\r\r", want: []string{"a"}},
		{name: "mixed line endings in one event", in: "data: a\r\ndata: b\rdata: c\n\r\n", want: []string{"a\nb\nc"}},
		{name: "CR CR LF is two line ends", in: "data: a\r\r\n", want: []string{"a"}},
		{name: "LF CR is two line ends", in: "data: a\n\rdata: b\n\n", want: []string{"a", "b"}},
		{name: "several events", in: "data: 1\n\ndata: 2\n\ndata: 3\n\n", want: []string{"1", "2", "3"}},
		{name: "multi-line data joined with LF", in: "data: a\ndata: b\ndata: c\n\n", want: []string{"a\nb\nc"}},
		{name: "empty data line inside multi-line data", in: "data: a\ndata:\ndata: b\n\n", want: []string{"a\n\nb"}},
		{name: "no space after colon", in: "data:a\n\n", want: []string{"a"}},
		{name: "only one leading space stripped", in: "data:  a\n\n", want: []string{" a"}},
		{name: "trailing spaces kept", in: "data: a  \n\n", want: []string{"a  "}},
		{name: "colons in value kept", in: "data: {\"a\":1,\"b\":\"x:y\"}\n\n", want: []string{`{"a":1,"b":"x:y"}`}},
		{name: "tab is not stripped", in: "data:\ta\n\n", want: []string{"\ta"}},
		{name: "data with empty value", in: "data:\n\n", want: []string{""}},
		{name: "data field without colon", in: "data\n\n", want: []string{""}},
		{name: "extra blank lines do not dispatch", in: "\n\n\ndata: a\n\n\n\n", want: []string{"a"}},
		{name: "event without data not dispatched", in: "event: ping\nid: 7\n\n", want: []string{}},
		{name: "non-data fields ignored", in: "event: delta\nid: 1\nretry: 10\nfoo: bar\ndata: x\nnocolon\n\n", want: []string{"x"}},
		{name: "field names are case sensitive", in: "Data: x\nDATA: y\n\n", want: []string{}},
		{name: "field name with space is not data", in: "data : x\n data: y\n\n", want: []string{}},
		{name: "comment counted", in: ": keep-alive\n\n", want: []string{}, comments: 1},
		{name: "bare colon is a comment", in: ":\n", want: []string{}, comments: 1},
		{name: "comments between data lines", in: "data: a\n: c1\ndata: b\n:c2\n\n", want: []string{"a\nb"}, comments: 2},
		{name: "comments with every line ending", in: ": a\n: b\r\n: c\r: d\n", want: []string{}, comments: 4},
		{name: "comment that looks like data", in: ":data: x\n\n", want: []string{}, comments: 1},
		{name: "BOM stripped", in: "\xEF\xBB\xBFdata: a\n\n", want: []string{"a"}},
		{name: "only one BOM stripped", in: "\xEF\xBB\xBF\xEF\xBB\xBFdata: a\n\ndata: b\n\n", want: []string{"b"}},
		{name: "BOM inside value kept", in: "data: \xEF\xBB\xBFa\n\n", want: []string{"\uFEFFa"}},
		{name: "BOM on a later line is not stripped", in: "data: a\n\n\xEF\xBB\xBFdata: b\n\n", want: []string{"a"}},
		{name: "partial BOM is not stripped", in: "\xEF\xBBdata: a\n\ndata: b\n\n", want: []string{"b"}},
		{name: "BOM then comment", in: "\xEF\xBB\xBF: hi\ndata: a\n\n", want: []string{"a"}, comments: 1},
		{name: "unterminated after LF", in: "data: a\n\ndata: b\n", want: []string{"a", "b"}, unterminated: true},
		{name: "unterminated without line end", in: "data: a\n\ndata: b", want: []string{"a", "b"}, unterminated: true},
		{name: "unterminated multi-line", in: "data: a\ndata: b", want: []string{"a\nb"}, unterminated: true},
		{name: "utf-8 payload", in: "data: héllo 世界 🎉\n\n", want: []string{"héllo 世界 🎉"}},
		{name: "OpenAI style", in: "data: {\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}\n\ndata: [DONE]\n\n", want: []string{`{"choices":[{"delta":{"content":"Hi"}}]}`, "[DONE]"}},
		{name: "Anthropic style", in: "event: message_start\ndata: {\"type\":\"message_start\"}\n\nevent: ping\ndata: {\"type\": \"ping\"}\n\n", want: []string{`{"type":"message_start"}`, `{"type": "ping"}`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, unterminated := parseAll(tc.in)
			if got := datas(p.Events); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("events = %q, want %q", got, tc.want)
			}
			if p.Comments != tc.comments {
				t.Errorf("Comments = %d, want %d", p.Comments, tc.comments)
			}
			if unterminated != tc.unterminated {
				t.Errorf("Flush() = %v, want %v", unterminated, tc.unterminated)
			}
		})
	}
}

// transcript exercises every framing rule at once: a BOM, LF, CRLF, lone CR,
// comments, multi-line data, ignored fields and an unterminated last event.
const transcript = "\xEF\xBB\xBF: hello\r\n" +
	"event: delta\r\ndata: {\"a\":1}\r\n\r\n" +
	"data: line1\rdata: line2\r\r" +
	"id: 3\ndata:x\n: keep-alive\ndata:  y\n\n" +
	"retry: 5\r\n\r\n" +
	"data\r\n\r" +
	"data: tail\r\ndata: end"

var transcriptWant = []string{`{"a":1}`, "line1\nline2", "x\n y", "", "tail\nend"}

const transcriptComments = 2

// dispatchOffsets feeds in byte by byte with atMs equal to the byte offset, so
// each event's AtMs is the offset of the byte that completed it (or flushAt).
func dispatchOffsets(t *testing.T, in string, flushAt float64) []float64 {
	t.Helper()
	var p Parser
	for i := 0; i < len(in); i++ {
		p.Feed([]byte{in[i]}, float64(i))
	}
	p.Flush(flushAt)
	var offs []float64
	for _, e := range p.Events {
		offs = append(offs, e.AtMs)
	}
	return offs
}

// chunkIndex returns the index of the chunk (cut at cuts) holding byte off.
func chunkIndex(off int, cuts []int) int {
	idx := 0
	for _, c := range cuts {
		if off >= c {
			idx++
		}
	}
	return idx
}

// checkSplit feeds in split at cuts (chunk k has atMs k) and compares the
// events with the one-shot parse, including which chunk completed each event.
func checkSplit(t *testing.T, in string, cuts []int, want []string, comments int, offs []float64) {
	t.Helper()
	var p Parser
	prev := 0
	for k, c := range append(append([]int(nil), cuts...), len(in)) {
		p.Feed([]byte(in[prev:c]), float64(k))
		prev = c
	}
	const flushAt = 1e6
	un := p.Flush(flushAt)
	if got := datas(p.Events); !reflect.DeepEqual(got, want) {
		t.Fatalf("cuts %v: events = %q, want %q", cuts, got, want)
	}
	if p.Comments != comments {
		t.Fatalf("cuts %v: Comments = %d, want %d", cuts, p.Comments, comments)
	}
	if !un {
		t.Fatalf("cuts %v: Flush() = false, want true (transcript ends mid-event)", cuts)
	}
	for i, e := range p.Events {
		want := float64(flushAt)
		if offs[i] != flushAt {
			want = float64(chunkIndex(int(offs[i]), cuts))
		}
		if e.AtMs != want {
			t.Fatalf("cuts %v: event %d (%q) AtMs = %v, want %v", cuts, i, e.Data, e.AtMs, want)
		}
	}
}

func TestParserTranscriptOneShot(t *testing.T) {
	p, un := parseAll(transcript)
	if got := datas(p.Events); !reflect.DeepEqual(got, transcriptWant) {
		t.Fatalf("events = %q, want %q", got, transcriptWant)
	}
	if p.Comments != transcriptComments {
		t.Fatalf("Comments = %d, want %d", p.Comments, transcriptComments)
	}
	if !un {
		t.Fatal("Flush() = false, want true")
	}
}

func TestParserByteByByte(t *testing.T) {
	const flushAt = 1e6
	offs := dispatchOffsets(t, transcript, flushAt)
	if len(offs) != len(transcriptWant) {
		t.Fatalf("got %d events, want %d", len(offs), len(transcriptWant))
	}
	// Every event but the last is completed by a byte of the transcript, in
	// increasing order; the last one by Flush.
	for i := 0; i < len(offs)-1; i++ {
		if offs[i] >= float64(len(transcript)) || (i > 0 && offs[i] <= offs[i-1]) {
			t.Fatalf("dispatch offsets not increasing inside the transcript: %v", offs)
		}
	}
	if offs[len(offs)-1] != flushAt {
		t.Fatalf("last event AtMs = %v, want the Flush time %v", offs[len(offs)-1], float64(flushAt))
	}
}

func TestParserSplitEveryPosition(t *testing.T) {
	offs := dispatchOffsets(t, transcript, 1e6)
	for i := 0; i <= len(transcript); i++ {
		checkSplit(t, transcript, []int{i}, transcriptWant, transcriptComments, offs)
	}
}

func TestParserSplitEveryPair(t *testing.T) {
	// A shorter transcript that still has a BOM, CRLF, lone CR, a comment and
	// an unterminated event, split into three chunks at every pair of cuts.
	const short = "\xEF\xBB\xBF:c\r\ndata: a\r\rdata: b\r\ndata:c\n\ndata: d"
	want := []string{"a", "b\nc", "d"}
	offs := dispatchOffsets(t, short, 1e6)
	for i := 0; i <= len(short); i++ {
		for j := i; j <= len(short); j++ {
			checkSplit(t, short, []int{i, j}, want, 1, offs)
		}
	}
}

func TestParserEmptyChunks(t *testing.T) {
	// Empty chunks anywhere, including between a CR and its LF and inside
	// the BOM, change nothing.
	var p Parser
	for _, c := range []string{"", "\xEF", "", "\xBB", "", "\xBF", "", "data: a\r", "", "", "\n", "", "\r\n", ""} {
		p.Feed([]byte(c), 0)
	}
	if un := p.Flush(0); un {
		t.Error("Flush() = true, want false")
	}
	if got, want := datas(p.Events), []string{"a"}; !reflect.DeepEqual(got, want) {
		t.Errorf("events = %q, want %q", got, want)
	}
}

func TestParserCRAtChunkEdge(t *testing.T) {
	tests := []struct {
		name   string
		chunks []string
		want   []string
	}{
		// The LF after a chunk-final CR belongs to the same line end.
		{name: "CR|LF is one line end", chunks: []string{"data: a\r", "\ndata: b\n\n"}, want: []string{"a\nb"}},
		{name: "CR|LF then blank CR|LF", chunks: []string{"data: a\r", "\n\r", "\n"}, want: []string{"a"}},
		// A CR at a chunk edge followed by another CR is two line ends.
		{name: "CR|CR is two line ends", chunks: []string{"data: a\r", "\rdata: b\n\n"}, want: []string{"a", "b"}},
		// A CR at a chunk edge followed by data is a lone CR.
		{name: "CR|data", chunks: []string{"data: a\r", "data: b\r\r"}, want: []string{"a\nb"}},
		// Only one LF is swallowed.
		{name: "CR|LF LF", chunks: []string{"data: a\r", "\n\n"}, want: []string{"a"}},
		{name: "CR|LF|LF", chunks: []string{"data: a\r", "\n", "\n"}, want: []string{"a"}},
		// The LF is only swallowed at the very start of the next chunk.
		{name: "CR|x LF", chunks: []string{"data: a\r", "data: b\n", "\n"}, want: []string{"a\nb"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var p Parser
			for _, c := range tc.chunks {
				p.Feed([]byte(c), 0)
			}
			p.Flush(0)
			if got := datas(p.Events); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("events = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestParserBOMSplit(t *testing.T) {
	const body = "data: a\n\n"
	full := "\xEF\xBB\xBF" + body
	// Every way of splitting the BOM and the first bytes after it.
	for i := 0; i <= 5; i++ {
		for j := i; j <= 6; j++ {
			t.Run(fmt.Sprintf("%d_%d", i, j), func(t *testing.T) {
				var p Parser
				p.Feed([]byte(full[:i]), 1)
				p.Feed([]byte(full[i:j]), 2)
				p.Feed([]byte(full[j:]), 3)
				if un := p.Flush(4); un {
					t.Error("Flush() = true, want false")
				}
				if got, want := datas(p.Events), []string{"a"}; !reflect.DeepEqual(got, want) {
					t.Errorf("events = %q, want %q", got, want)
				}
				if len(p.Events) == 1 && p.Events[0].AtMs != 3 {
					t.Errorf("AtMs = %v, want 3", p.Events[0].AtMs)
				}
			})
		}
	}
	t.Run("BOM alone then stream", func(t *testing.T) {
		var p Parser
		p.Feed([]byte("\xEF\xBB\xBF"), 1)
		p.Feed([]byte("data: a\n\n"), 2)
		if got, want := datas(p.Events), []string{"a"}; !reflect.DeepEqual(got, want) {
			t.Errorf("events = %q, want %q", got, want)
		}
	})
	t.Run("partial BOM then other bytes", func(t *testing.T) {
		// EF BB followed by something other than BF: not a BOM, the bytes
		// stay part of the first line, whose field is then not "data".
		var p Parser
		p.Feed([]byte("\xEF"), 1)
		p.Feed([]byte("\xBB"), 2)
		p.Feed([]byte("data: a\n\ndata: b\n\n"), 3)
		if got, want := datas(p.Events), []string{"b"}; !reflect.DeepEqual(got, want) {
			t.Errorf("events = %q, want %q", got, want)
		}
	})
	t.Run("partial BOM then line end", func(t *testing.T) {
		var p Parser
		p.Feed([]byte("\xEF\xBB"), 1)
		p.Feed([]byte("\ndata: a\n\n"), 2)
		if got, want := datas(p.Events), []string{"a"}; !reflect.DeepEqual(got, want) {
			t.Errorf("events = %q, want %q", got, want)
		}
	})
	t.Run("BOM split before a comment", func(t *testing.T) {
		var p Parser
		p.Feed([]byte("\xEF\xBB"), 1)
		p.Feed([]byte("\xBF: hi\n"), 2)
		if p.Comments != 1 {
			t.Errorf("Comments = %d, want 1", p.Comments)
		}
	})
}

func TestParserComments(t *testing.T) {
	var p Parser
	p.Feed([]byte(": keep-alive\n"), 1)
	p.Feed([]byte(":\r\n: x"), 2)
	if p.Comments != 2 {
		t.Errorf("Comments after two complete comment lines = %d, want 2", p.Comments)
	}
	p.Feed([]byte("yz\rdata: a\n: between\n\n:"), 3)
	if p.Comments != 4 {
		t.Errorf("Comments = %d, want 4", p.Comments)
	}
	if un := p.Flush(4); un {
		t.Error("Flush() = true, want false: a trailing comment is not an event")
	}
	if p.Comments != 5 {
		t.Errorf("Comments after Flush = %d, want 5 (the unterminated comment line)", p.Comments)
	}
	if got, want := datas(p.Events), []string{"a"}; !reflect.DeepEqual(got, want) {
		t.Errorf("events = %q, want %q", got, want)
	}
}

func TestParserFlush(t *testing.T) {
	tests := []struct {
		name         string
		in           string
		want         []string
		unterminated bool
	}{
		{name: "nothing fed", in: "", want: []string{}},
		{name: "complete events only", in: "data: a\n\n", want: []string{"a"}},
		{name: "blank lines only", in: "\n\r\n\r", want: []string{}},
		{name: "data without line end", in: "data: a", want: []string{"a"}, unterminated: true},
		{name: "data with LF but no blank line", in: "data: a\n", want: []string{"a"}, unterminated: true},
		{name: "data with CRLF but no blank line", in: "data: a\r\n", want: []string{"a"}, unterminated: true},
		{name: "data with CR but no blank line", in: "data: a\r", want: []string{"a"}, unterminated: true},
		{name: "multi-line data unterminated", in: "data: a\ndata: b", want: []string{"a\nb"}, unterminated: true},
		{name: "partial field name", in: "dat", want: []string{}},
		{name: "trailing comment", in: "data: a\n\n: bye", want: []string{"a"}},
		{name: "trailing non-data field", in: "data: a\n\nevent: x", want: []string{"a"}},
		{name: "pending event plus trailing non-data field", in: "data: a\nid: 9", want: []string{"a"}, unterminated: true},
		{name: "partial BOM only", in: "\xEF\xBB", want: []string{}},
		{name: "BOM only", in: "\xEF\xBB\xBF", want: []string{}},
		{name: "BOM then unterminated data", in: "\xEF\xBB\xBFdata: a", want: []string{"a"}, unterminated: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var p Parser
			p.Feed([]byte(tc.in), 1)
			un := p.Flush(7)
			if un != tc.unterminated {
				t.Errorf("Flush() = %v, want %v", un, tc.unterminated)
			}
			if got := datas(p.Events); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("events = %q, want %q", got, tc.want)
			}
			if tc.unterminated {
				if last := p.Events[len(p.Events)-1]; last.AtMs != 7 {
					t.Errorf("unterminated event AtMs = %v, want the Flush time 7", last.AtMs)
				}
			}
			// A second Flush has nothing left to dispatch.
			n := len(p.Events)
			if p.Flush(8) {
				t.Error("second Flush() = true, want false")
			}
			if len(p.Events) != n {
				t.Errorf("second Flush dispatched %d more events", len(p.Events)-n)
			}
		})
	}
}

func TestParserEventTimes(t *testing.T) {
	var p Parser
	p.Feed([]byte("data: a\n"), 10)            // a pending
	p.Feed([]byte("\ndata: b\n\ndata: c"), 20) // a and b complete here
	p.Feed([]byte("\r"), 30)                   // c's line ends, c still pending
	p.Feed([]byte("\n\r"), 40)                 // LF swallowed, CR is the blank line: c completes
	p.Feed([]byte("data: d\r\n"), 50)          //
	p.Feed([]byte(""), 55)                     // empty read changes nothing
	p.Feed([]byte("\r"), 60)                   // d completes at the CR of the blank CRLF
	p.Feed([]byte("\n"), 70)                   // its LF
	p.Feed([]byte("data: e\n"), 80)            //
	un := p.Flush(90)                          // e completes at Flush
	if !un {
		t.Error("Flush() = false, want true")
	}
	want := []Event{{AtMs: 20, Data: "a"}, {AtMs: 20, Data: "b"}, {AtMs: 40, Data: "c"}, {AtMs: 60, Data: "d"}, {AtMs: 90, Data: "e"}}
	if !reflect.DeepEqual(p.Events, want) {
		t.Errorf("events = %+v, want %+v", p.Events, want)
	}
}

func TestParserDoesNotAliasChunks(t *testing.T) {
	// The reader reuses its buffer between reads: the parser must copy.
	var p Parser
	buf := []byte("\xEF\xBB\xBFdata: ab")
	p.Feed(buf, 1)
	for i := range buf {
		buf[i] = 'X'
	}
	buf = append(buf[:0], "cd\ndata: ef"...)
	p.Feed(buf, 2)
	for i := range buf {
		buf[i] = 'Y'
	}
	buf = append(buf[:0], "\n\n"...)
	p.Feed(buf, 3)
	if got, want := datas(p.Events), []string{"abcd\nef"}; !reflect.DeepEqual(got, want) {
		t.Errorf("events = %q, want %q", got, want)
	}
}
