//go:build linux

package sseread

import (
	"io"
	"mime"
	"net"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"
)

// The reactor's reading of an answer on its loop: one recvmsg per readiness,
// the HTTP framing and SSE events parsed as read, the result finished as Do's.

// rop is one request's reading state, owned by the loop once its bytes were written.
type rop struct {
	req   *Request
	start time.Time
	// wroteNs: when the request's bytes were written, ns since start (0
	// until then). Atomic: Do writes it, and the loop may read the answer
	// before Do has stored it (a bound then counts from the start, larger).
	wroteNs atomic.Int64
	resp    respParser
	parser  Parser
	groups  stampGroups
	res     Result
	kept    []byte
	stall   *stallWatch
	gotByte bool
	// kernelStamps and readLagMax as Do keeps them.
	kernelStamps bool
	readLagMax   float64
	lastDataAt   float64
	err          error // why it ended early; nil for a whole response
	errAfterHead bool
	extra        bool // bytes after the response: the connection cannot be reused
	done         chan struct{}
	finished     bool
}

// read does one recvmsg on rc for op (nil: the connection is idle).
func (r *Reactor) read(rc *rconn, op *rop, buf, oob, tcpInfo []byte) {
	if op != nil && r.beforeRead != nil {
		r.beforeRead()
	}
	n, oobn, err := recvmsgNow(rc.fd, buf, oob)
	if err == syscall.EAGAIN || err == syscall.EINTR {
		return
	}
	if op == nil || op.finished {
		// An idle connection the server closed (or wrote to): not reusable.
		r.mu.Lock()
		if rc.op == nil || rc.op.finished {
			r.closeConn(rc)
		}
		r.mu.Unlock()
		return
	}
	if err != nil {
		op.err = &net.OpError{Op: "read", Net: "tcp", Source: rc.c.LocalAddr(), Addr: rc.c.RemoteAddr(), Err: err}
		op.errAfterHead = op.resp.headed()
		r.finish(rc, op, false)
		return
	}
	if n == 0 {
		r.eof(rc, op)
		return
	}
	segments := rc.segments.next(uintptr(rc.fd), tcpInfo, n == len(buf))
	rxNs, _ := parseTimestampNs(oob[:oobn])
	op.onRead(buf[:n], rxNs, segments)
	if op.err != nil {
		r.finish(rc, op, false)
		return
	}
	if op.resp.done() {
		r.finish(rc, op, !op.extra && !op.resp.close)
	}
}

// eof: the server closed the connection.
func (r *Reactor) eof(rc *rconn, op *rop) {
	switch {
	case op.resp.endsAtClose():
		r.finish(rc, op, false) // the body ends here
	case op.resp.headed():
		op.err, op.errAfterHead = io.ErrUnexpectedEOF, true
		r.finish(rc, op, false)
	default:
		op.err = io.EOF
		r.finish(rc, op, false)
	}
}

// The loop's system calls never block (non-blocking sockets, epoll_wait
// with no timeout), so they are made raw: a call through syscall.Syscall
// tells Go's scheduler it may block, and leaving it wakes the runtime's
// monitor thread whenever the process was idle, which at an event every
// few hundred µs cost a quarter of the meter's CPU (two context switches
// per event).

// recvmsgNow is recvmsg(fd) into buf and oob, without waiting.
func recvmsgNow(fd int, buf, oob []byte) (n, oobn int, err error) {
	iov := syscall.Iovec{Base: &buf[0]}
	iov.SetLen(len(buf))
	var msg syscall.Msghdr
	msg.Iov = &iov
	msg.Iovlen = 1
	msg.Control = &oob[0]
	msg.SetControllen(len(oob))
	r, _, errno := syscall.RawSyscall(syscall.SYS_RECVMSG, uintptr(fd), uintptr(unsafe.Pointer(&msg)), 0)
	if errno != 0 {
		return 0, 0, errno
	}
	return int(r), int(msg.Controllen), nil
}

// epollWaitNow is epoll_wait(epfd) with no timeout, as epoll_pwait with no
// signal mask: arm64 has no epoll_wait system call, only epoll_pwait.
func epollWaitNow(epfd int, events []syscall.EpollEvent) (int, error) {
	r, _, errno := syscall.RawSyscall6(syscall.SYS_EPOLL_PWAIT, uintptr(epfd), uintptr(unsafe.Pointer(&events[0])), uintptr(len(events)), 0, 0, 0)
	if errno != 0 {
		return 0, errno
	}
	return int(r), nil
}

// onRead takes one read's bytes, received by the kernel at rxNs (0: not known).
func (op *rop) onRead(b []byte, rxNs int64, segments int64) {
	op.gotByte = true
	if op.stall != nil {
		op.stall.touch()
	}
	goMs := float64(time.Since(op.start).Nanoseconds()) / 1e6
	at := goMs
	if rxNs != 0 {
		kernelMs := float64(rxNs-op.start.UnixNano()) / 1e6
		// A receive time outside the request's lifetime is stale or skewed: ignore it.
		if kernelMs >= 0 && kernelMs <= goMs {
			op.kernelStamps = true
			if lag := goMs - kernelMs; lag > op.readLagMax {
				op.readLagMax = lag
			}
			at = kernelMs
		}
	}
	taken, err := op.resp.feed(b, func() { op.onHeaders(at, segments) }, func(body []byte) { op.onBody(body, at, segments) })
	if err != nil {
		op.err, op.errAfterHead = err, op.resp.headed()
		return
	}
	if taken < len(b) {
		op.extra = true
	}
}

func (op *rop) onHeaders(at float64, segments int64) {
	op.res.Status = op.resp.status
	op.res.RetryAfter = op.resp.retryAfter
	mediaType, _, _ := mime.ParseMediaType(op.resp.contentType)
	op.res.IsSSE = mediaType == "text/event-stream"
	op.res.HeadersMs = at
	// The earliest any response byte can have come is the request's write.
	op.groups = stampGroups{prevAt: float64(op.wroteNs.Load()) / 1e6, at: at, segments: segments}
}

func (op *rop) onBody(b []byte, at float64, segments int64) {
	op.lastDataAt = at
	op.res.BodyBytes += int64(len(b))
	if op.res.IsSSE {
		op.groups.read(&op.parser, at, segments)
		op.parser.Feed(b, at)
		return
	}
	if room := op.req.MaxBodyBytes - len(op.kept); room > 0 {
		op.kept = append(op.kept, b[:min(room, len(b))]...)
	}
}

// finish ends op (on the loop): its result as Do's, its connection kept
// for the next request when reusable, else closed.
func (r *Reactor) finish(rc *rconn, op *rop, reusable bool) {
	if op.finished {
		return
	}
	op.finished = true
	res := &op.res
	res.EndMs = float64(time.Since(op.start).Nanoseconds()) / 1e6
	if op.err == nil && !res.IsSSE && op.kernelStamps && res.BodyBytes > 0 {
		// A whole body ended with its last byte: the kernel's time of it, not the read's.
		res.EndMs = op.lastDataAt
	}
	if res.IsSSE {
		op.groups.end(&op.parser)
		res.Unterminated = op.parser.Flush(res.EndMs)
		res.Events = op.parser.Events
		res.Comments = op.parser.Comments
		if op.kernelStamps {
			res.StampBounds = op.groups.bounds
		}
	}
	res.Body = string(op.kept)
	res.KernelStamps = op.kernelStamps
	res.ReadLagMaxMs = op.readLagMax
	r.mu.Lock()
	if reusable && !rc.dead {
		rc.op = nil
		rc.idleAt = time.Now()
		list := r.idle[rc.addr]
		if len(list) < r.maxIdle {
			r.idle[rc.addr] = append(list, rc)
		} else {
			r.closeConn(rc)
		}
	} else {
		r.closeConn(rc)
	}
	r.mu.Unlock()
	close(op.done)
}
