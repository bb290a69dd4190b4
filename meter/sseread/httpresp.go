package sseread

import (
	"bytes"
	"errors"
	"fmt"
	"net/textproto"
	"strconv"
	"strings"
)

// respParser reads an HTTP/1.1 response to a POST incrementally, bytes in
// as they are read, body bytes out (chunked framing removed) through a
// callback: the reactor's reader (reactor_linux.go), which has no
// net/http connection to read through. It knows what an LLM endpoint
// answers with: a status line, headers, and a chunked, sized or
// close-delimited body; 1xx interim responses are skipped.
type respParser struct {
	state respState
	head  []byte // header bytes read so far
	// From the headers.
	status      int
	contentType string
	retryAfter  string
	chunked     bool
	length      int64 // -1: delimited by the connection's close
	close       bool  // Connection: close, or an HTTP/1.0 answer
	// Body framing.
	left   int64  // bytes left of the sized body or of the current chunk
	line   []byte // a chunk-size or trailer line split across reads
	crlfOK int    // bytes of the CRLF after a chunk's data still to skip
}

type respState int

const (
	respHead respState = iota
	respBodySized
	respBodyClose
	respChunkSize
	respChunkData
	respChunkCRLF
	respTrailer
	respDone
)

// maxHeadBytes bounds a response head (status line and headers).
const maxHeadBytes = 1 << 20

var errHeadTooLarge = errors.New("response headers larger than 1 MiB")

// feed consumes bytes read from the connection. It calls headers once
// the head is complete and body with each piece of the body, in order.
// It returns how many bytes it took: fewer than len(b) only once the
// response is complete (the rest would belong to no request).
func (p *respParser) feed(b []byte, headers func(), body func([]byte)) (int, error) {
	taken := 0
	for len(b) > 0 && p.state != respDone {
		n, err := p.step(b, headers, body)
		taken += n
		b = b[n:]
		if err != nil {
			return taken, err
		}
	}
	return taken, nil
}

func (p *respParser) step(b []byte, headers func(), body func([]byte)) (int, error) {
	switch p.state {
	case respHead:
		// The end of the head may straddle reads: search from a little before the new bytes.
		from := max(0, len(p.head)-3)
		p.head = append(p.head, b...)
		end := bytes.Index(p.head[from:], []byte("\r\n\r\n"))
		if end < 0 {
			if len(p.head) > maxHeadBytes {
				return len(b), errHeadTooLarge
			}
			return len(b), nil
		}
		end += from + 4
		used := len(b) - (len(p.head) - end)
		if end > maxHeadBytes {
			return used, errHeadTooLarge
		}
		head := p.head[:end]
		p.head = nil
		if err := p.readHead(head); err != nil {
			return used, err
		}
		if p.status >= 100 && p.status < 200 {
			// An interim answer (100 Continue, 103 Early Hints): the real one follows.
			*p = respParser{}
			return used, nil
		}
		headers()
		return used, nil
	case respBodySized:
		n := p.bodyUpToLeft(b, body)
		if p.left == 0 {
			p.state = respDone
		}
		return n, nil
	case respBodyClose:
		body(b)
		return len(b), nil
	case respChunkSize, respTrailer:
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			p.line = append(p.line, b...)
			if len(p.line) > 4096 {
				return len(b), errors.New("malformed chunked encoding: a chunk line longer than 4096 bytes")
			}
			return len(b), nil
		}
		line := append(p.line, b[:i]...)
		p.line = p.line[:0]
		line = bytes.TrimRight(line, "\r")
		if p.state == respTrailer {
			if len(line) == 0 {
				p.state = respDone
			}
			return i + 1, nil
		}
		if semi := bytes.IndexByte(line, ';'); semi >= 0 {
			line = line[:semi]
		}
		size, err := strconv.ParseInt(strings.TrimSpace(string(line)), 16, 64)
		if err != nil || size < 0 {
			return i + 1, fmt.Errorf("malformed chunked encoding: chunk size %q", line)
		}
		if size == 0 {
			p.state = respTrailer
		} else {
			p.left = size
			p.state = respChunkData
		}
		return i + 1, nil
	case respChunkData:
		n := p.bodyUpToLeft(b, body)
		if p.left == 0 {
			p.state = respChunkCRLF
			p.crlfOK = 2
		}
		return n, nil
	case respChunkCRLF:
		n := 0
		for n < len(b) && p.crlfOK > 0 {
			want := byte('\n')
			if p.crlfOK == 2 {
				want = '\r'
			}
			if b[n] != want {
				return n, errors.New("malformed chunked encoding: no CRLF after a chunk's data")
			}
			n++
			p.crlfOK--
		}
		if p.crlfOK == 0 {
			p.state = respChunkSize
		}
		return n, nil
	}
	return 0, nil
}

// bodyUpToLeft hands body the part of b that belongs to the body (at most
// the p.left bytes still due) and returns its length.
func (p *respParser) bodyUpToLeft(b []byte, body func([]byte)) int {
	n := len(b)
	if int64(n) > p.left {
		n = int(p.left)
	}
	body(b[:n])
	p.left -= int64(n)
	return n
}

// readHead parses the status line and headers, and sets the body's framing.
func (p *respParser) readHead(head []byte) error {
	lines := strings.Split(strings.TrimRight(string(head), "\r\n"), "\r\n")
	status := lines[0]
	proto, rest, ok := strings.Cut(status, " ")
	if !ok || !strings.HasPrefix(proto, "HTTP/1.") {
		return fmt.Errorf("malformed HTTP response %q", status)
	}
	codeText, _, _ := strings.Cut(rest, " ")
	code, err := strconv.Atoi(codeText)
	if err != nil || code < 100 || code > 999 {
		return fmt.Errorf("malformed HTTP status code %q", codeText)
	}
	p.status = code
	p.length = -1
	p.close = proto == "HTTP/1.0"
	for _, l := range lines[1:] {
		k, v, ok := strings.Cut(l, ":")
		if !ok {
			return fmt.Errorf("malformed MIME header line: %s", l)
		}
		v = strings.TrimSpace(v)
		switch textproto.CanonicalMIMEHeaderKey(strings.TrimSpace(k)) {
		case "Content-Type":
			p.contentType = v
		case "Retry-After":
			p.retryAfter = v
		case "Transfer-Encoding":
			p.chunked = strings.EqualFold(v, "chunked")
		case "Content-Length":
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n < 0 {
				return fmt.Errorf("bad Content-Length %q", v)
			}
			p.length = n
		case "Connection":
			for _, t := range strings.Split(v, ",") {
				switch strings.ToLower(strings.TrimSpace(t)) {
				case "close":
					p.close = true
				case "keep-alive":
					if proto == "HTTP/1.0" {
						p.close = false
					}
				}
			}
		}
	}
	switch {
	case p.status == 204 || p.status == 304:
		p.state = respDone
	case p.chunked:
		p.state = respChunkSize
	case p.length == 0:
		p.state = respDone
	case p.length > 0:
		p.left = p.length
		p.state = respBodySized
	default:
		p.state = respBodyClose
		p.close = true
	}
	return nil
}

// done says the response is complete.
func (p *respParser) done() bool { return p.state == respDone }

// endsAtClose says the body ends where the connection does.
func (p *respParser) endsAtClose() bool { return p.state == respBodyClose }

// headed says the status line and headers have been read.
func (p *respParser) headed() bool { return p.state != respHead }
