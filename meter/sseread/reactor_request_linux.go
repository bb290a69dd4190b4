//go:build linux

package sseread

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/textproto"
	"strconv"
	"strings"
	"syscall"
	"time"
	"unsafe"
)

// The reactor's side of a request: its head written as net/http would, its
// bytes handed to the kernel, its result as Do's.

// Do sends req and reads its whole response on the reactor (req must be
// one Serves takes). parent ends the request when done, as Do's.
func (r *Reactor) Do(parent context.Context, req Request) Result {
	start := time.Now()
	since := func() float64 { return float64(time.Since(start).Nanoseconds()) / 1e6 }
	ctx, _, release := requestContext(parent, req.Timeout)
	defer release()
	head, addr, err := buildRequest(&req, false)
	if err != nil {
		return Result{ErrorKind: ErrRequest, ErrorMessage: err.Error(), EndMs: since()}
	}
	res, stale := r.attempt(ctx, parent, &req, head, addr, start, true)
	if stale != nil && req.FreshClient != nil {
		// The server closed the reused connection before the request reached
		// it: send it once more on a new connection, closed after it (as the
		// resend client of the net/http path). Times count from this attempt.
		head, _, _ = buildRequest(&req, true)
		res, _ = r.attempt(ctx, parent, &req, head, addr, time.Now(), false)
		res.Resent, res.ResentCause = 1, stale.Error()
	} else if stale != nil {
		res.ErrorKind, res.ErrorMessage = classify(ctx, parent, stale, false)
	}
	return res
}

// attempt sends the request once and reads its response. It returns a
// non-nil stale error instead of a result's error when the request went
// out on a reused connection that failed before any answer byte came.
func (r *Reactor) attempt(ctx, parent context.Context, req *Request, head []byte, addr string, start time.Time, mayReuse bool) (Result, error) {
	since := func() float64 { return float64(time.Since(start).Nanoseconds()) / 1e6 }
	rc, err := r.conn(ctx, addr, mayReuse)
	if err != nil {
		kind, msg := classify(ctx, parent, err, false)
		return Result{ErrorKind: kind, ErrorMessage: requestError(req, err, msg), HeadersMs: since(), EndMs: since()}, nil
	}
	op := &rop{req: req, start: start, done: make(chan struct{}), parser: Parser{Rule: req.FastRule}}
	if req.StallTimeout > 0 {
		op.stall = newStallWatch(req.StallTimeout, func() { r.abort(rc, op, errStalled) })
		defer op.stall.stop()
	}
	r.mu.Lock()
	rc.op = op
	r.mu.Unlock()
	if deadline, ok := ctx.Deadline(); ok {
		_ = rc.c.SetWriteDeadline(deadline)
	}
	body := req.RawBody
	if body == nil {
		body = []byte(req.Body)
	}
	wrote, written, err := writeRequest(rc, head, body)
	if err != nil {
		r.abort(rc, op, err)
		<-op.done
		if rc.reused && ctx.Err() == nil {
			return Result{}, err
		}
		kind, msg := classify(ctx, parent, err, false)
		return Result{ErrorKind: kind, ErrorMessage: requestError(req, err, msg), HeadersMs: since(), EndMs: since(), LocalPort: localPort(rc.c)}, nil
	}
	op.wroteNs.Store(wrote.Sub(start).Nanoseconds())
	sentUnixNs, port := wrote.UnixNano(), localPort(rc.c)
	select {
	case <-op.done:
	case <-ctx.Done():
		r.abort(rc, op, context.Cause(ctx))
		<-op.done
	}
	res := op.res
	res.SentUnixNs, res.LocalPort = sentUnixNs, port
	if op.err != nil {
		stalled := errors.Is(op.err, errStalled)
		if rc.reused && !op.gotByte && !stalled && ctx.Err() == nil && parent.Err() == nil {
			return Result{}, op.err
		}
		switch {
		case stalled && parent.Err() == nil:
			res.ErrorKind, res.ErrorMessage = ErrStall, "no data for longer than the stall timeout"
		default:
			res.ErrorKind, res.ErrorMessage = classify(ctx, parent, op.err, op.errAfterHead)
			if !op.errAfterHead {
				res.ErrorMessage = requestError(req, op.err, res.ErrorMessage)
			}
		}
	}
	if !op.resp.headed() {
		// No response: the times count from the call (as Do's).
		res.Status, res.HeadersMs = 0, res.EndMs
		return res, nil
	}
	if op.kernelStamps {
		withSendBound(&res, float64(written.Sub(wrote).Nanoseconds())/1e6)
	}
	rebaseOnSend(&res, float64(op.wroteNs.Load())/1e6)
	return res, nil
}

// writeRequest writes head and body with writev, and returns when the
// last of their bytes was handed to the kernel: the start of the write
// call that took them. The answer cannot come before that, so a time
// counted from it is never early (a time taken after the call can be
// later than the answer's first bytes on loopback, where the server may
// answer while the call returns). It also returns when that call
// returned: the bytes left between the two, so a thread held up inside
// (a starved machine) shows as a long call (withSendBound).
func writeRequest(rc *rconn, head, body []byte) (time.Time, time.Time, error) {
	raw, err := rc.c.SyscallConn()
	if err != nil {
		return time.Time{}, time.Time{}, err
	}
	var last, returned time.Time
	var werr error
	parts := [][]byte{head, body}
	err = raw.Write(func(fd uintptr) bool {
		for {
			var iov [2]syscall.Iovec
			k := 0
			for _, p := range parts {
				if len(p) > 0 {
					iov[k].Base = &p[0]
					iov[k].SetLen(len(p))
					k++
				}
			}
			if k == 0 {
				return true
			}
			at := time.Now()
			n, _, errno := syscall.Syscall(syscall.SYS_WRITEV, fd, uintptr(unsafe.Pointer(&iov[0])), uintptr(k))
			if errno == syscall.EAGAIN {
				return false // wait until the socket takes more
			}
			if errno == syscall.EINTR {
				continue
			}
			if errno != 0 {
				werr = errno
				return true
			}
			last, returned = at, time.Now()
			for i := range parts {
				m := min(int(n), len(parts[i]))
				parts[i] = parts[i][m:]
				n -= uintptr(m)
			}
		}
	})
	if err == nil {
		err = werr
	}
	if err != nil {
		return time.Time{}, time.Time{}, &net.OpError{Op: "write", Net: "tcp", Source: rc.c.LocalAddr(), Addr: rc.c.RemoteAddr(), Err: err}
	}
	return last, returned, nil
}

// requestError words a failed request as net/http does: `Post "URL": cause`.
func requestError(req *Request, err error, msg string) string {
	if errors.Is(err, errStalled) {
		return msg
	}
	method := req.Method
	if method == "" {
		method = http.MethodPost
	}
	return fmt.Sprintf("%s %q: %s", method[:1]+strings.ToLower(method[1:]), req.URL, msg)
}

func localPort(c net.Conn) int {
	if a, ok := c.LocalAddr().(*net.TCPAddr); ok {
		return a.Port
	}
	return 0
}

// buildRequest writes the request's head as net/http would (Host,
// User-Agent, Content-Length, the request's headers canonicalized), and
// returns the address to dial.
func buildRequest(req *Request, closeAfter bool) ([]byte, string, error) {
	method := req.Method
	if method == "" {
		method = http.MethodPost
	}
	// net/http's own checks (method, URL), as Do makes them.
	hr, err := http.NewRequest(method, req.URL, nil)
	if err != nil {
		return nil, "", err
	}
	if err := checkSendable(hr, req.Headers); err != nil {
		return nil, "", err
	}
	u := hr.URL
	if u.Host == "" {
		return nil, "", fmt.Errorf("invalid URL %q; expected a host", req.URL)
	}
	addr := u.Host
	if u.Port() == "" {
		addr = net.JoinHostPort(u.Hostname(), "80")
	}
	bodyLen := len(req.Body)
	if req.RawBody != nil {
		bodyLen = len(req.RawBody)
	}
	b := make([]byte, 0, 256+len(req.URL))
	b = append(b, method...)
	b = append(b, ' ')
	b = append(b, u.RequestURI()...)
	b = append(b, " HTTP/1.1\r\nHost: "...)
	b = append(b, u.Host...)
	b = append(b, "\r\nUser-Agent: Go-http-client/1.1\r\nContent-Length: "...)
	b = strconv.AppendInt(b, int64(bodyLen), 10)
	b = append(b, "\r\n"...)
	if closeAfter {
		b = append(b, "Connection: close\r\n"...)
	}
	for k, v := range req.Headers {
		ck := textproto.CanonicalMIMEHeaderKey(k)
		if ck == "Host" || ck == "Content-Length" || ck == "Connection" || ck == "Transfer-Encoding" {
			continue
		}
		b = append(b, ck...)
		b = append(b, ": "...)
		b = append(b, v...)
		b = append(b, "\r\n"...)
	}
	b = append(b, "\r\n"...)
	return b, addr, nil
}
