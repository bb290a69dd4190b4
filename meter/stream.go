package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"

	"github.com/k6-llm/meter/sseread"
)

var jsonContentType = []string{"application/json"}

// serveStream is POST /stream: parse the two parameter lines, send the
// rest upstream, answer with the record.
func (m *Meter) serveStream(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		refuse(w, http.StatusMethodNotAllowed, "method not allowed: /stream takes POST")
		return
	}
	// Over the limit: refuse at once, before reading anything.
	if n := m.streams.Add(1); n > m.maxStreams {
		m.streams.Add(-1)
		refuse(w, http.StatusServiceUnavailable, fmt.Sprintf("meter overloaded: %d streams in flight (--max-streams %d)", n-1, m.maxStreams))
		return
	}
	defer m.streams.Add(-1)
	m.started.Add(1)

	body, status, err := m.readRequestBody(w, r)
	if err != nil {
		refuse(w, status, err.Error())
		return
	}
	p, upstreamBody, err := m.lines.parseStreamBody(body)
	if err != nil {
		refuse(w, http.StatusBadRequest, err.Error())
		return
	}
	m.store.Observe(p.obs)
	if p.vu != "" {
		m.store.Forget(p.vu)
	}
	p.req.RawBody = upstreamBody
	up := m.upstream
	if p.insecure {
		up = m.insecure
	}
	p.req.FreshClient = up.fresh
	// r.Context() ends when k6 closes its connection (or the meter gives up
	// draining): the upstream request is cancelled with it.
	var res sseread.Result
	if reactor := m.reactor; reactor != nil && reactor.Serves(&p.req) {
		res = reactor.Do(r.Context(), p.req)
	} else {
		res = sseread.Do(r.Context(), up.pooled, p.req)
	}
	if p.count != "" {
		m.store.Increment(p.count)
	}

	// The record: the answer, unless k6 asked for the compact one, and what
	// the pending store and the records file keep.
	var rec []byte
	bp := getBuf()
	if !p.compact || p.ctx != nil || m.records != nil {
		rec = appendRecord((*bp)[:0], &res, p.req.FastRule != nil)
	}
	if p.ctx != nil {
		m.store.SetPending(p.vu, p.ctx, append(json.RawMessage(nil), rec...))
	}
	if m.records != nil {
		m.records.write(recordsLine(rec, p.vu, p.req.URL, p.ctx))
	}
	answer := rec
	var cp *[]byte
	if p.compact {
		cp = getBuf()
		answer = appendCompact((*cp)[:0], &res)
	}
	h := w.Header()
	h["Content-Type"] = jsonContentType
	h["Content-Length"] = []string{strconv.Itoa(len(answer))}
	_, _ = w.Write(answer) // k6 may have gone away: nothing to do about it
	if rec != nil {
		*bp = rec
	}
	putBuf(bp)
	if cp != nil {
		*cp = answer
		putBuf(cp)
	}
}

// recordsLine is rec with "vu", "url" and (when given) "ctx" added, and a
// line end: ctx names the workload, so a report can tell a mixed run's
// workloads apart.
func recordsLine(rec []byte, vu, url string, ctx json.RawMessage) []byte {
	line := make([]byte, 0, len(rec)+len(vu)+len(url)+len(ctx)+32)
	line = append(line, rec[:len(rec)-1]...)
	line = append(line, `,"vu":`...)
	line = appendString(line, vu)
	line = append(line, `,"url":`...)
	line = appendString(line, url)
	if ctx != nil {
		line = append(line, `,"ctx":`...)
		line = append(line, ctx...)
	}
	return append(line, "}\n"...)
}

// readRequestBody reads the whole body (to EOF: only then does net/http
// watch the connection, so that k6 going away cancels r.Context()), or says
// why not with the status to answer.
func (m *Meter) readRequestBody(w http.ResponseWriter, r *http.Request) ([]byte, int, error) {
	tooLarge := fmt.Errorf("request body larger than --max-request-bytes %d", m.maxRequestBytes)
	if r.ContentLength > m.maxRequestBytes {
		return nil, http.StatusRequestEntityTooLarge, tooLarge
	}
	size := 512
	if r.ContentLength > 0 {
		size = int(r.ContentLength) + 1 // +1: room for the read that sees EOF
	}
	buf := make([]byte, 0, size)
	rd := http.MaxBytesReader(w, r.Body, m.maxRequestBytes)
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := rd.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, 0, nil
		}
		if err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				return nil, http.StatusRequestEntityTooLarge, tooLarge
			}
			return nil, http.StatusBadRequest, fmt.Errorf("body: could not be read (%v)", err)
		}
	}
}

// refuse answers a meter-side refusal: one line of text.
func refuse(w http.ResponseWriter, status int, msg string) {
	h := w.Header()
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, msg+"\n")
}
