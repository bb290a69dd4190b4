package main

import (
	"math"
	"strconv"
	"sync"
	"unicode/utf8"

	"github.com/k6-llm/meter/sseread"
)

// The record is written by hand: it is the one thing the meter produces per
// event (a time, a data string, a flag), so it must cost little. Every
// string goes through appendString, which always yields valid JSON.

// appendRecord appends res as the protocol's JSON record. withFast says a
// fastToken rule was given (else "fast" is empty).
func appendRecord(b []byte, res *sseread.Result, withFast bool) []byte {
	b = append(b, `{"status":`...)
	b = strconv.AppendInt(b, int64(res.Status), 10)
	b = append(b, `,"retryAfter":`...)
	b = appendString(b, res.RetryAfter)
	b = append(b, `,"headersMs":`...)
	b = appendMs(b, res.HeadersMs)
	b = append(b, `,"endMs":`...)
	b = appendMs(b, res.EndMs)
	b = append(b, `,"isSSE":`...)
	b = strconv.AppendBool(b, res.IsSSE)
	b = append(b, `,"times":[`...)
	for i := range res.Events {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendMs(b, res.Events[i].AtMs)
	}
	b = append(b, `],"data":[`...)
	for i := range res.Events {
		if i > 0 {
			b = append(b, ',')
		}
		if res.Events[i].Fast {
			b = append(b, `""`...)
		} else {
			b = appendString(b, res.Events[i].Data)
		}
	}
	b = append(b, `],"fast":[`...)
	if withFast {
		for i := range res.Events {
			if i > 0 {
				b = append(b, ',')
			}
			if res.Events[i].Fast {
				b = append(b, '1')
			} else {
				b = append(b, '0')
			}
		}
	}
	b = append(b, `],"comments":`...)
	b = strconv.AppendInt(b, int64(res.Comments), 10)
	b = append(b, `,"unterminated":`...)
	b = strconv.AppendBool(b, res.Unterminated)
	b = append(b, `,"body":`...)
	b = appendString(b, res.Body)
	b = append(b, `,"bodyBytes":`...)
	b = strconv.AppendInt(b, res.BodyBytes, 10)
	b = append(b, `,"errorKind":`...)
	b = appendString(b, res.ErrorKind)
	b = append(b, `,"errorMessage":`...)
	b = appendString(b, res.ErrorMessage)
	b = append(b, `,"kernelStamps":`...)
	b = strconv.AppendBool(b, res.KernelStamps)
	b = append(b, `,"readLagMaxMs":`...)
	b = appendMs(b, res.ReadLagMaxMs)
	b = append(b, `,"sendLagMs":`...)
	b = appendMs(b, res.SendLagMs)
	b = append(b, `,"localPort":`...)
	b = strconv.AppendInt(b, int64(res.LocalPort), 10)
	b = append(b, `,"sentUnixNs":`...)
	b = strconv.AppendInt(b, res.SentUnixNs, 10)
	if len(res.StampBounds) > 0 {
		// Only when some event's stamp cannot be vouched for (a starved reader): flat (event index, ms) pairs.
		b = append(b, `,"stampBounds":[`...)
		for i, v := range res.StampBounds {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendMs(b, v)
		}
		b = append(b, ']')
	}
	if res.Resent > 0 {
		// Only when it happened: the common record stays as short as before.
		b = append(b, `,"resent":`...)
		b = strconv.AppendInt(b, int64(res.Resent), 10)
		b = append(b, `,"resentCause":`...)
		b = appendString(b, res.ResentCause)
	}
	return append(b, '}')
}

// appendMs appends a time in ms rounded to the microsecond (0 for a value
// that is not finite, which JSON cannot carry).
func appendMs(b []byte, ms float64) []byte {
	return appendExact(b, roundMs(ms))
}

// roundMs is a time as the record carries it: rounded to the microsecond,
// 0 for a value that is not finite (and for -0). A reader parses the
// digits appendMs writes back to exactly this value.
func roundMs(ms float64) float64 {
	if math.IsNaN(ms) || math.IsInf(ms, 0) {
		return 0
	}
	r := math.Round(ms*1000) / 1000
	if r == 0 {
		return 0 // also -0
	}
	return r
}

// appendExact appends v in the fewest digits that read back as v exactly
// (JavaScript's JSON.parse included); 0 for a value that is not finite.
func appendExact(b []byte, v float64) []byte {
	if math.IsNaN(v) || math.IsInf(v, 0) || v == 0 {
		return append(b, '0')
	}
	return strconv.AppendFloat(b, v, 'f', -1, 64)
}

// The compact answer (docs/meter-protocol.md, "answer": "compact") is what
// k6 reads of each request: the outcome, then only the events whose meaning
// needs the protocol's TypeScript adapter, and for every run of events the
// plain-token rule matched, its length, first and last time and the gaps
// between its events, computed here from the times as the record carries
// them (roundMs), so k6 adds them as they are instead of walking the run
// event by event. A JSON array, the cheapest shape for k6 to parse:
//
//	[1, status, headersMs, endMs, flags, readLagMaxMs, sendLagMs, bodyBytes,
//	 retryAfter, errorKind, errorMessage, body,
//	 [time, data, ...], [before, count, firstMs, lastMs, ...], [gap, ...],
//	 [time, bound, ...]]
//
// flags: 1 isSSE, 2 kernelStamps, 4 resent. Events are (time, data) pairs
// of the events that are not plain tokens, in order; each run names how
// many of those come before it; the gaps are every run's count−1 gaps, runs
// in order; stamp bounds are (event time, ms) pairs (the record's are by
// event index). k6-llm's reader is src/meter/record.ts (readCompactAnswer);
// test/fixtures/meter-compact.json holds the shared vectors.
const compactVersion = 1

// Compact answer flags.
const (
	compactSSE          = 1
	compactKernelStamps = 2
	compactResent       = 4
)

// appendCompact appends res as the compact answer.
func appendCompact(b []byte, res *sseread.Result) []byte {
	b = append(b, '[')
	b = strconv.AppendInt(b, compactVersion, 10)
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(res.Status), 10)
	b = append(b, ',')
	b = appendMs(b, res.HeadersMs)
	b = append(b, ',')
	b = appendMs(b, res.EndMs)
	flags := 0
	if res.IsSSE {
		flags |= compactSSE
	}
	if res.KernelStamps {
		flags |= compactKernelStamps
	}
	if res.Resent > 0 {
		flags |= compactResent
	}
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(flags), 10)
	b = append(b, ',')
	b = appendMs(b, res.ReadLagMaxMs)
	b = append(b, ',')
	b = appendMs(b, res.SendLagMs)
	b = append(b, ',')
	b = strconv.AppendInt(b, res.BodyBytes, 10)
	b = append(b, ',')
	b = appendString(b, res.RetryAfter)
	b = append(b, ',')
	b = appendString(b, res.ErrorKind)
	b = append(b, ',')
	b = appendString(b, res.ErrorMessage)
	b = append(b, ',')
	b = appendString(b, res.Body)
	events := res.Events
	// The events that are not plain tokens, and the runs between them.
	b = append(b, ",["...)
	first := true
	for i := range events {
		if events[i].Fast {
			continue
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = appendMs(b, events[i].AtMs)
		b = append(b, ',')
		b = appendString(b, events[i].Data)
	}
	b = append(b, "],["...)
	before := 0
	first = true
	for i := 0; i < len(events); {
		if !events[i].Fast {
			before++
			i++
			continue
		}
		j := i
		for j < len(events) && events[j].Fast {
			j++
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = strconv.AppendInt(b, int64(before), 10)
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(j-i), 10)
		b = append(b, ',')
		b = appendMs(b, events[i].AtMs)
		b = append(b, ',')
		b = appendMs(b, events[j-1].AtMs)
		i = j
	}
	b = append(b, "],["...)
	first = true
	for i := 1; i < len(events); i++ {
		if !events[i].Fast || !events[i-1].Fast {
			continue
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		// The difference of the two times as k6 reads them: the gap k6 would compute itself.
		b = appendExact(b, roundMs(events[i].AtMs)-roundMs(events[i-1].AtMs))
	}
	b = append(b, "],["...)
	first = true
	for i := 0; i+1 < len(res.StampBounds); i += 2 {
		e := int(res.StampBounds[i])
		if e < 0 || e >= len(events) {
			continue // names no event: bounds nothing, as in the record
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = appendMs(b, events[e].AtMs)
		b = append(b, ',')
		b = appendMs(b, res.StampBounds[i+1])
	}
	return append(b, "]]"...)
}

// safeASCII[c] is true for the ASCII bytes a JSON string carries as is.
var safeASCII = func() (t [utf8.RuneSelf]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

const hexDigits = "0123456789abcdef"

// appendString appends s as a JSON string: quotes, backslashes and control
// characters escaped, U+2028 and U+2029 escaped (JavaScript source and
// some parsers take them for line ends), invalid UTF-8 replaced by U+FFFD.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if safeASCII[c] {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i++
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// encodeBufs holds the buffers records are encoded into.
var encodeBufs = sync.Pool{New: func() any { b := make([]byte, 0, 16*1024); return &b }}

// maxPooledBuf: a buffer grown past this (a huge record) is let go.
const maxPooledBuf = 1 << 20

func getBuf() *[]byte { return encodeBufs.Get().(*[]byte) }

func putBuf(b *[]byte) {
	if cap(*b) > maxPooledBuf {
		return
	}
	*b = (*b)[:0]
	encodeBufs.Put(b)
}
