// Package sseread reads a Server-Sent Events response and stamps every event
// with the monotonic time at which its last byte was read. It has no k6
// dependency so that its framing and timing are unit-tested with plain go test.
package sseread

import (
	"bytes"
	"unsafe"
)

// Event is one dispatched SSE event: the time (ms since request start) at
// which the read that completed it returned, and its joined data lines.
type Event struct {
	AtMs float64
	Data string
	// Fast is set when the parser's Rule matched the event's data; Data is
	// then "" (a plain token's data is never copied).
	Fast bool
}

// Parser turns a byte stream into SSE events. It follows the WHATWG framing
// rules that matter for LLM streams: LF, CRLF and lone CR line endings (a CR
// at a chunk edge may be the first half of a CRLF), comment lines, multi-line
// data joined by "\n", and a leading UTF-8 BOM. Fields other than data are
// ignored: LLM protocols carry everything in data.
type Parser struct {
	line      []byte // partial line carried across chunks
	data      []byte // data lines of the event being built
	hasData   bool
	pendingCR bool // the previous chunk ended in '\r': swallow a leading '\n'
	started   bool // the BOM check has been done
	// Rule, when set, marks plain token events (Event.Fast) as they are dispatched.
	Rule *FastRule
	// Comments counts comment lines (": keep-alive" and friends).
	Comments int
	// Events collects dispatched events in arrival order.
	Events []Event
}

var bom = []byte{0xEF, 0xBB, 0xBF}

// Feed consumes one chunk read at time atMs.
func (p *Parser) Feed(chunk []byte, atMs float64) {
	if !p.started {
		// The BOM may itself be split across chunks; wait until 3 bytes exist.
		p.line = append(p.line, chunk...)
		if len(p.line) < len(bom) && bytes.HasPrefix(bom, p.line) {
			return
		}
		p.started = true
		chunk = bytes.TrimPrefix(p.line, bom)
		p.line = nil
	}
	if p.pendingCR && len(chunk) > 0 {
		p.pendingCR = false
		if chunk[0] == '\n' {
			chunk = chunk[1:]
		}
	}
	for len(chunk) > 0 {
		i := bytes.IndexAny(chunk, "\r\n")
		if i < 0 {
			p.line = append(p.line, chunk...)
			return
		}
		var lineBytes []byte
		if len(p.line) > 0 {
			p.line = append(p.line, chunk[:i]...)
			lineBytes = p.line
		} else {
			lineBytes = chunk[:i]
		}
		p.processLine(lineBytes, atMs)
		p.line = p.line[:0]
		if chunk[i] == '\r' {
			if i+1 == len(chunk) {
				p.pendingCR = true
				return
			}
			if chunk[i+1] == '\n' {
				i++
			}
		}
		chunk = chunk[i+1:]
	}
}

// pending says whether bytes of an event that has not ended were fed: a
// partial line, data lines without their closing blank line, or a CR whose
// LF may follow.
func (p *Parser) pending() bool {
	return len(p.line) > 0 || p.hasData || p.pendingCR
}

// Flush ends the stream: an event whose data was received but whose closing
// blank line never came is still dispatched (servers that close right after
// the last data line are common), and reported through the return value.
func (p *Parser) Flush(atMs float64) (unterminated bool) {
	if !p.started && len(p.line) > 0 {
		p.started = true
	}
	if len(p.line) > 0 {
		p.processLine(p.line, atMs)
		p.line = p.line[:0]
	}
	if p.hasData {
		p.dispatch(atMs)
		return true
	}
	return false
}

func (p *Parser) processLine(line []byte, atMs float64) {
	if len(line) == 0 {
		if p.hasData {
			p.dispatch(atMs)
		}
		return
	}
	if line[0] == ':' {
		p.Comments++
		return
	}
	field, value := line, []byte(nil)
	if c := bytes.IndexByte(line, ':'); c >= 0 {
		field, value = line[:c], line[c+1:]
		if len(value) > 0 && value[0] == ' ' {
			value = value[1:]
		}
	}
	if string(field) != "data" {
		return
	}
	if p.hasData {
		p.data = append(p.data, '\n')
	}
	p.data = append(p.data, value...)
	p.hasData = true
}

func (p *Parser) dispatch(atMs float64) {
	// Match only reads its argument during the call, so it may look at
	// p.data in place: no copy for an event whose data is dropped.
	if p.Rule != nil && len(p.data) > 0 && p.Rule.Match(unsafe.String(&p.data[0], len(p.data))) {
		p.Events = append(p.Events, Event{AtMs: atMs, Fast: true})
	} else {
		p.Events = append(p.Events, Event{AtMs: atMs, Data: string(p.data)})
	}
	p.data = p.data[:0]
	p.hasData = false
}
