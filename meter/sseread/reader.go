package sseread

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Request describes one HTTP request whose response is read to the end.
type Request struct {
	Method  string
	URL     string
	Headers map[string]string
	Body    string
	// RawBody, when not nil, is sent instead of Body (no copy into a string).
	RawBody []byte
	// Timeout bounds the whole request, headers and body. Zero means none,
	// which callers should never ask for: a stalled server would hang the VU.
	Timeout time.Duration
	// StallTimeout bounds any silence: waiting for the headers, or between two
	// reads of the body. Zero: off.
	StallTimeout time.Duration
	// MaxBodyBytes caps how much of a non-SSE body is kept (the rest is read
	// and discarded so the connection can be reused).
	MaxBodyBytes int
	// FastRule, when set, marks each event that is a plain token (Event.Fast,
	// with Data left empty).
	FastRule *FastRule
	// FreshClient, when set, is the client (one that never reuses a
	// connection) through which a request is sent once more when it failed on
	// a reused connection before any byte of a response came back: the
	// server had closed that connection (an idle or per-connection limit)
	// while the request was on its way, so it never saw the request. Go's
	// transport does not retry a POST itself.
	FreshClient *http.Client
}

// Error kinds, stable strings the TypeScript core maps to llm_errors tags.
const (
	ErrTimeout  = "timeout"  // the whole-request timeout fired
	ErrStall    = "stall"    // no byte arrived for StallTimeout
	ErrConnect  = "connect"  // the connection could not be made
	ErrReset    = "reset"    // the connection broke after the headers
	ErrCanceled = "canceled" // the test (VU context) ended the request
	ErrRequest  = "request"  // the request could not be built or sent
)

// Result is everything a caller needs to compute latency metrics. All times
// are milliseconds since the request was written to the connection (since
// the call began when it never was), taken when the kernel received the
// bytes where the connection reports it, else when Go read them.
type Result struct {
	Status int
	// RetryAfter is the response's Retry-After header as sent (seconds or an
	// HTTP date), so a caller can honour it when it retries a 429 or 503.
	RetryAfter string
	// HeadersMs is when the headers arrived; without a response (Status 0)
	// it holds the time of the failure instead.
	HeadersMs    float64
	EndMs        float64
	IsSSE        bool
	Events       []Event
	Comments     int
	Unterminated bool
	Body         string
	BodyBytes    int64
	ErrorKind    string
	ErrorMessage string
	// SendLagMs is how long after the call the request was written; all the
	// times above count from that write.
	SendLagMs float64
	// KernelStamps says the times are the kernel's receive times (see StampedConn).
	KernelStamps bool
	// ReadLagMaxMs is the longest wait between the kernel receiving data and
	// Go reading it: the load generator's own delay, which kernel stamps keep
	// out of the measured times. 0 without kernel stamps.
	ReadLagMaxMs float64
	// StampBounds holds, as flat (event index, ms) pairs, how late each event
	// whose stamp cannot be vouched for may read: events that waited unread
	// and came up in one read with later data share that read's receive time
	// (the kernel's time of its last segment), so such an event arrived
	// between the previous read's receive time and its own stamp (see
	// stampGroups). Only with kernel stamps; empty when every event was read
	// as the last thing of its read.
	StampBounds []float64
	// LocalPort is the local TCP port of the connection the request went
	// out on (to find it in a packet capture); 0 when there was none.
	LocalPort int
	// SentUnixNs is the wall-clock time (Unix ns) at which the request was
	// written; 0 when it never was.
	SentUnixNs int64
	// Resent is 1 when the request was sent again on a fresh connection
	// because the server had closed the reused one it first went out on
	// (see Request.FreshClient); every time above is of the attempt that
	// counted. ResentCause is the first attempt's error.
	Resent      int
	ResentCause string
}

// readBufSize is the size of the buffer a response is read with.
const readBufSize = 32 * 1024

var readBufs = sync.Pool{New: func() any { b := make([]byte, readBufSize); return &b }}

// rxStamper is a connection that knows when the kernel received its data,
// and from how many segments its last read took bytes.
type rxStamper interface {
	LastRxNs() int64
	LastRxSegments() int64
}

// txStamper is a connection that says when its last write began and
// returned (StampedConn).
type txStamper interface {
	LastWrite() (startNs, endNs int64)
}

// errStalled is the cancel cause used when the stall timer fires.
var errStalled = errors.New("stream stalled")

// requestContext is one request's context: ended by cancel (with its
// cause), by parent, and after timeout when it is above zero (with
// DeadlineExceeded as the cause). release frees it once the request is done.
func requestContext(parent context.Context, timeout time.Duration) (ctx context.Context, cancel context.CancelCauseFunc, release func()) {
	ctx, cancel = context.WithCancelCause(parent)
	if timeout <= 0 {
		return ctx, cancel, func() { cancel(nil) }
	}
	ctx, stop := context.WithTimeoutCause(ctx, timeout, context.DeadlineExceeded)
	return ctx, cancel, func() { stop(); cancel(nil) }
}

// Do sends req with client and reads the whole response.
func Do(parent context.Context, client *http.Client, req Request) Result {
	start := time.Now()
	since := func() float64 { return float64(time.Since(start).Nanoseconds()) / 1e6 }
	var stamper rxStamper
	var readLagMax float64
	kernelStamps := false
	// readSegments: how many segments the read behind the last stamp took bytes of (-1: not known).
	var readSegments int64 = -1
	// stamp is the arrival time of the data just read: the kernel's receive
	// time when the connection reports it, else the time of the read.
	stamp := func() float64 {
		goMs := since()
		if stamper == nil {
			return goMs
		}
		rx := stamper.LastRxNs()
		if rx == 0 {
			return goMs
		}
		readSegments = stamper.LastRxSegments()
		kernelMs := float64(rx-start.UnixNano()) / 1e6
		// A receive time outside the request's lifetime is stale or skewed: ignore it.
		if kernelMs < 0 || kernelMs > goMs {
			return goMs
		}
		kernelStamps = true
		if lag := goMs - kernelMs; lag > readLagMax {
			readLagMax = lag
		}
		return kernelMs
	}

	ctx, cancel, release := requestContext(parent, req.Timeout)
	defer release()
	method := req.Method
	if method == "" {
		method = http.MethodPost
	}
	var body io.Reader = strings.NewReader(req.Body)
	if req.RawBody != nil {
		body = bytes.NewReader(req.RawBody)
	}
	httpReq, err := http.NewRequestWithContext(ctx, method, req.URL, body)
	if err == nil {
		err = checkSendable(httpReq, req.Headers)
	}
	if err != nil {
		return Result{ErrorKind: ErrRequest, ErrorMessage: err.Error(), EndMs: since()}
	}
	for k, v := range req.Headers {
		httpReq.Header.Set(k, v)
	}
	var stall *stallWatch
	if req.StallTimeout > 0 {
		stall = newStallWatch(req.StallTimeout, func() { cancel(errStalled) })
		defer stall.stop()
	}

	at := &attempt{base: start}
	resp, err := at.send(httpReq, client)
	res := Result{}
	if err != nil && req.FreshClient != nil && at.staleConnection(ctx, parent) {
		// The server closed the reused connection before the request reached
		// it: send it once more, on a new connection, with a body rewound
		// (NewRequest sets GetBody for a bytes or strings reader). Times count
		// from this attempt: the first one is no part of the server's answer.
		res.Resent, res.ResentCause = 1, err.Error()
		if retry, rerr := rewound(httpReq); rerr == nil {
			start = time.Now()
			at = &attempt{base: start}
			resp, err = at.send(retry, req.FreshClient)
		}
	}
	stamper = at.stamper
	res.HeadersMs, res.LocalPort, res.SentUnixNs = since(), at.localPort, at.wroteUnixNs.Load()
	if err == nil {
		res.HeadersMs = stamp()
	}
	if err != nil {
		res.EndMs = res.HeadersMs
		res.ErrorKind, res.ErrorMessage = classify(ctx, parent, err, false)
		return res
	}
	defer resp.Body.Close()
	res.Status = resp.StatusCode
	res.RetryAfter = resp.Header.Get("Retry-After")
	mediaType, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	res.IsSSE = mediaType == "text/event-stream"

	parser := Parser{Rule: req.FastRule}
	// Events read in one system call share its kernel stamp: stampGroups
	// bounds how late those that were not the last thing read may be. The
	// earliest any response byte can have come is the request's write.
	groups := stampGroups{prevAt: float64(at.wroteAtNs.Load()) / 1e6, at: res.HeadersMs, segments: readSegments}
	var lastDataAt float64
	var kept []byte
	bufp := readBufs.Get().(*[]byte)
	defer readBufs.Put(bufp)
	buf := *bufp
	for {
		if stall != nil {
			stall.touch()
		}
		n, rerr := resp.Body.Read(buf)
		if n > 0 {
			at := stamp()
			lastDataAt = at
			res.BodyBytes += int64(n)
			if res.IsSSE {
				groups.read(&parser, at, readSegments)
				parser.Feed(buf[:n], at)
			} else if len(kept) < req.MaxBodyBytes {
				room := req.MaxBodyBytes - len(kept)
				if room > n {
					room = n
				}
				kept = append(kept, buf[:room]...)
			}
		}
		if rerr == nil {
			continue
		}
		res.EndMs = since()
		if !errors.Is(rerr, io.EOF) {
			res.ErrorKind, res.ErrorMessage = classify(ctx, parent, rerr, true)
		} else if !res.IsSSE && kernelStamps && res.BodyBytes > 0 {
			// A whole body ended with its last byte: the kernel's time of it, not the read's.
			res.EndMs = lastDataAt
		}
		break
	}
	if res.IsSSE {
		groups.end(&parser)
		res.Unterminated = parser.Flush(res.EndMs)
		res.Events = parser.Events
		res.Comments = parser.Comments
		if kernelStamps {
			res.StampBounds = groups.bounds
		}
	}
	res.Body = string(kept)
	res.KernelStamps = kernelStamps
	res.ReadLagMaxMs = readLagMax
	res.SentUnixNs = at.wroteUnixNs.Load()
	if kernelStamps {
		withSendBound(&res, float64(at.writeNs.Load())/1e6)
	}
	rebaseOnSend(&res, float64(at.wroteAtNs.Load())/1e6)
	return res
}

// stallWatch calls cancel once no touch has come for limit. A touch only
// stores the time (once per read, so it must be cheap); the timer, when it
// fires early, re-arms itself for what is left of the limit.
type stallWatch struct {
	limit   time.Duration
	base    time.Time
	touched atomic.Int64 // time.Since(base) of the last touch
	stopped atomic.Bool
	timer   *time.Timer
	cancel  func()
}

func newStallWatch(limit time.Duration, cancel func()) *stallWatch {
	w := &stallWatch{limit: limit, base: time.Now(), cancel: cancel}
	w.timer = time.AfterFunc(limit, w.check)
	return w
}

func (w *stallWatch) touch() { w.touched.Store(int64(time.Since(w.base))) }

func (w *stallWatch) check() {
	if w.stopped.Load() {
		return
	}
	idle := time.Since(w.base) - time.Duration(w.touched.Load())
	if idle >= w.limit {
		w.cancel()
		return
	}
	w.timer.Reset(w.limit - idle)
}

func (w *stallWatch) stop() {
	w.stopped.Store(true)
	w.timer.Stop()
}

// rebaseOnSend makes every time relative to when the request was written
// (sentMs after the call began), and records that wait as SendLagMs.
func rebaseOnSend(res *Result, sentMs float64) {
	if sentMs <= 0 || res.Status == 0 {
		return
	}
	res.SendLagMs = sentMs
	res.HeadersMs -= sentMs
	res.EndMs -= sentMs
	for i := range res.Events {
		res.Events[i].AtMs -= sentMs
	}
}

// checkSendable rejects what net/http would refuse before dialing, so that
// such a request is reported as ErrRequest, not as a connection failure.
func checkSendable(req *http.Request, headers map[string]string) error {
	if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
		return fmt.Errorf("invalid URL scheme %q; expected http or https", req.URL.Scheme)
	}
	for k, v := range headers {
		if k == "" || strings.ContainsAny(k, " \t\r\n:\x00") {
			return fmt.Errorf("invalid header name %q", k)
		}
		if strings.ContainsAny(v, "\r\n\x00") {
			return fmt.Errorf("invalid value of header %q; expected no CR, LF or NUL", k)
		}
	}
	return nil
}

// classify names why a request failed; afterHeaders tells a broken stream
// from a failed connection.
func classify(ctx, parent context.Context, err error, afterHeaders bool) (string, string) {
	msg := err.Error()
	switch {
	case parent.Err() != nil:
		return ErrCanceled, msg
	case errors.Is(context.Cause(ctx), errStalled):
		return ErrStall, "no data for longer than the stall timeout"
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(context.Cause(ctx), context.DeadlineExceeded):
		return ErrTimeout, msg
	case afterHeaders:
		return ErrReset, msg
	}
	// Refused, reset or closed before any response byte: the server was not
	// reachable for this request.
	return ErrConnect, msg
}
