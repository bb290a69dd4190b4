package sseread

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"net/http"
	"net/http/httptrace"
	"sync/atomic"
	"time"
)

// One send of a request and what it learnt of its connection: enough to
// tell a request that went out on a kept-alive connection the server had
// already closed (which Do sends once more, see Request.FreshClient) from
// one the server may have started.

// attempt is what one send of a request learnt of its connection.
type attempt struct {
	// base is when the attempt began; wroteAtNs counts from it.
	base      time.Time
	stamper   rxStamper
	localPort int
	reused    bool
	// gotByte: some byte of a response came back (the server took the
	// request). Atomic: the transport's reading goroutine sets it.
	gotByte atomic.Bool
	// wroteAtNs (since base) and wroteUnixNs: when the request's bytes were
	// last written, 0 until then: the start of the connection's last write
	// call when it says (txStamper), else when net/http said it had written
	// the request (into its buffer). writeNs: how long that write call took
	// (0 when not known). Atomic: net/http writes from another goroutine.
	wroteAtNs, wroteUnixNs, writeNs atomic.Int64
	tx                              txStamper
}

// send does one round trip of r through client, tracing its connection. The
// request counts as sent when its bytes were written: net/http writes from
// another goroutine, which a busy generator can schedule late, and that
// delay is the generator's, not the server's. When Go's transport itself
// sends again (a request it never wrote), the last write counts.
func (a *attempt) send(r *http.Request, client *http.Client) (*http.Response, error) {
	trace := &httptrace.ClientTrace{
		GotConn: func(info httptrace.GotConnInfo) {
			conn := info.Conn
			if t, ok := conn.(*tls.Conn); ok {
				conn = t.NetConn()
			}
			a.stamper, _ = conn.(rxStamper)
			a.tx, _ = conn.(txStamper)
			a.reused = info.Reused
			if addr, ok := conn.LocalAddr().(*net.TCPAddr); ok {
				a.localPort = addr.Port
			}
		},
		GotFirstResponseByte: func() {
			a.gotByte.Store(true)
			// The request's bytes are all out (the server answered) and the
			// connection is still this request's: its last write call is
			// this request's last. Its start, as the reactor counts: the
			// answer cannot come before it.
			if a.tx == nil {
				return
			}
			start, end := a.tx.LastWrite()
			if start < a.base.UnixNano() {
				return // an earlier request's write: this one's was not seen
			}
			if end < start {
				// The call has not returned yet, but its bytes were out: the answer came.
				end = time.Now().UnixNano()
			}
			a.wroteAtNs.Store(start - a.base.UnixNano())
			a.wroteUnixNs.Store(start)
			a.writeNs.Store(end - start)
		},
		WroteRequest: func(info httptrace.WroteRequestInfo) {
			// net/http calls this once the request is in its write buffer,
			// before the buffer's last flush to the connection: the time
			// when the connection cannot say when it wrote.
			if info.Err != nil || a.writeNs.Load() > 0 {
				return
			}
			now := time.Now()
			a.wroteAtNs.Store(now.Sub(a.base).Nanoseconds())
			a.wroteUnixNs.Store(now.UnixNano())
		},
	}
	return client.Do(r.WithContext(httptrace.WithClientTrace(r.Context(), trace)))
}

// staleConnection says the attempt failed the way a request does that went
// out on a kept-alive connection the server had already closed: the
// connection was reused, no byte of a response came back, and the failure
// was the connection's (not a timeout, a stall or the caller giving up).
func (a *attempt) staleConnection(ctx, parent context.Context) bool {
	if !a.reused || a.gotByte.Load() || parent.Err() != nil || ctx.Err() != nil {
		return false
	}
	return true
}

// rewound is r with a fresh copy of its body, for sending it again.
func rewound(r *http.Request) (*http.Request, error) {
	out := r.Clone(r.Context())
	if r.Body == nil || r.Body == http.NoBody {
		return out, nil
	}
	if r.GetBody == nil {
		return nil, errors.New("the request body cannot be sent twice")
	}
	body, err := r.GetBody()
	if err != nil {
		return nil, err
	}
	out.Body = body
	return out, nil
}
