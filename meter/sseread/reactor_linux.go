//go:build linux

package sseread

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/textproto"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"
)

// Reactor reads the responses of plain-HTTP requests (http://, no proxy)
// on one goroutine: an epoll loop over every upstream connection, one
// recvmsg (kernel receive time included) and one TCP_INFO per read, the
// response's framing and SSE events parsed where they are read. Do through
// net/http costs a goroutine wake-up and several layers of readers per
// SSE event; here a wake-up of the loop serves every connection that has
// data. What it measures is what Do measures (the same Result, stamps,
// stamp bounds, resend); Do stays the path for https and proxies.
type Reactor struct {
	epfd   int
	wakeR  int
	wakeW  int
	dialer *net.Dialer
	// maxIdle bounds the kept-alive connections per host.
	maxIdle int

	mu     sync.Mutex
	conns  map[int]*rconn // every open connection, by descriptor
	idle   map[string][]*rconn
	work   []func() // run on the loop (aborts), then cleared
	woken  bool
	closed bool

	// beforeRead, when set (tests), runs on the loop before each read of a request's answer.
	beforeRead func()
}

// rconn is one upstream connection.
type rconn struct {
	c      *net.TCPConn
	fd     int
	addr   string
	reused bool
	// Owned by the loop (and by Do before the connection is handed to it).
	op       *rop // the request reading it; nil while idle
	idleAt   time.Time
	segsIn   int64
	fullRead bool
	dead     bool
}

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

// NewReactor starts the loop. maxIdle bounds the idle connections kept per host.
func NewReactor(dialer *net.Dialer, maxIdle int) (*Reactor, error) {
	epfd, err := syscall.EpollCreate1(syscall.EPOLL_CLOEXEC)
	if err != nil {
		return nil, fmt.Errorf("epoll_create1: %w", err)
	}
	// Non-blocking: Go's poller then takes the descriptor (os.NewFile in loop).
	if err := syscall.SetNonblock(epfd, true); err != nil {
		syscall.Close(epfd)
		return nil, fmt.Errorf("epoll: %w", err)
	}
	var p [2]int
	if err := syscall.Pipe2(p[:], syscall.O_NONBLOCK|syscall.O_CLOEXEC); err != nil {
		syscall.Close(epfd)
		return nil, fmt.Errorf("pipe2: %w", err)
	}
	r := &Reactor{epfd: epfd, wakeR: p[0], wakeW: p[1], dialer: dialer, maxIdle: maxIdle, conns: map[int]*rconn{}, idle: map[string][]*rconn{}}
	ev := syscall.EpollEvent{Events: syscall.EPOLLIN, Fd: int32(r.wakeR)}
	if err := syscall.EpollCtl(epfd, syscall.EPOLL_CTL_ADD, r.wakeR, &ev); err != nil {
		return nil, fmt.Errorf("epoll_ctl: %w", err)
	}
	go r.loop()
	return r, nil
}

// Serves says whether the reactor takes req: plain HTTP, no proxy.
func (r *Reactor) Serves(req *Request) bool {
	if r == nil || !hasPrefixFold(req.URL, "http://") {
		return false
	}
	u, err := url.Parse(req.URL)
	if err != nil {
		return false
	}
	p, err := http.ProxyFromEnvironment(&http.Request{URL: u})
	return err == nil && p == nil
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// idleTimeout: an idle connection is closed after this long.
const idleTimeout = 90 * time.Second

// Do sends req and reads its whole response on the reactor (req must be
// one Serves takes). parent ends the request when done, as Do's.
func (r *Reactor) Do(parent context.Context, req Request) Result {
	start := time.Now()
	since := func() float64 { return float64(time.Since(start).Nanoseconds()) / 1e6 }
	ctx, cancel := context.WithCancelCause(parent)
	defer cancel(nil)
	if req.Timeout > 0 {
		var stop context.CancelFunc
		ctx, stop = context.WithTimeoutCause(ctx, req.Timeout, context.DeadlineExceeded)
		defer stop()
	}
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
	wrote, err := writeRequest(rc, head, body)
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
	rebaseOnSend(&res, float64(op.wroteNs.Load())/1e6)
	return res, nil
}

// writeRequest writes head and body with writev, and returns when the
// last of their bytes was handed to the kernel: the start of the write
// call that took them. The answer cannot come before that, so a time
// counted from it is never early (a time taken after the call can be
// later than the answer's first bytes on loopback, where the server may
// answer while the call returns).
func writeRequest(rc *rconn, head, body []byte) (time.Time, error) {
	raw, err := rc.c.SyscallConn()
	if err != nil {
		return time.Time{}, err
	}
	var last time.Time
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
			last = at
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
		return time.Time{}, &net.OpError{Op: "write", Net: "tcp", Source: rc.c.LocalAddr(), Addr: rc.c.RemoteAddr(), Err: err}
	}
	return last, nil
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

// conn takes an idle connection to addr (when mayReuse), else dials one.
func (r *Reactor) conn(ctx context.Context, addr string, mayReuse bool) (*rconn, error) {
	if mayReuse {
		r.mu.Lock()
		list := r.idle[addr]
		for len(list) > 0 {
			rc := list[len(list)-1]
			list = list[:len(list)-1]
			if !rc.dead {
				r.idle[addr] = list
				rc.reused = true
				r.mu.Unlock()
				return rc, nil
			}
		}
		r.idle[addr] = list
		r.mu.Unlock()
	}
	c, err := r.dialer.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, err
	}
	tc, ok := c.(*net.TCPConn)
	if !ok {
		c.Close()
		return nil, fmt.Errorf("dial %s: not a TCP connection", addr)
	}
	raw, err := tc.SyscallConn()
	if err != nil {
		tc.Close()
		return nil, err
	}
	fd := -1
	var serr error
	if err := raw.Control(func(f uintptr) {
		fd = int(f)
		serr = syscall.SetsockoptInt(fd, syscall.SOL_SOCKET, syscall.SO_TIMESTAMPNS, 1)
	}); err != nil || serr != nil {
		tc.Close()
		return nil, fmt.Errorf("dial %s: no kernel receive times: %v %v", addr, err, serr)
	}
	rc := &rconn{c: tc, fd: fd, addr: addr}
	r.mu.Lock()
	r.conns[fd] = rc
	r.mu.Unlock()
	ev := syscall.EpollEvent{Events: syscall.EPOLLIN | syscall.EPOLLRDHUP, Fd: int32(fd)}
	if err := syscall.EpollCtl(r.epfd, syscall.EPOLL_CTL_ADD, fd, &ev); err != nil {
		r.mu.Lock()
		delete(r.conns, fd)
		r.mu.Unlock()
		tc.Close()
		return nil, fmt.Errorf("epoll_ctl: %w", err)
	}
	return rc, nil
}

// abort ends op on the loop with err (if it has not ended) and closes its connection.
func (r *Reactor) abort(rc *rconn, op *rop, err error) {
	r.post(func() {
		if rc.op == op && !op.finished {
			op.err = err
			op.errAfterHead = op.resp.headed()
			r.finish(rc, op, false)
		}
	})
}

// post runs fn on the loop.
func (r *Reactor) post(fn func()) {
	r.mu.Lock()
	r.work = append(r.work, fn)
	wake := !r.woken
	r.woken = true
	r.mu.Unlock()
	if wake {
		_, _ = syscall.Write(r.wakeW, []byte{1})
	}
}

// reactorBufSize is the read buffer: as Do's.
const reactorBufSize = readBufSize

func (r *Reactor) loop() {
	events := make([]syscall.EpollEvent, 256)
	buf := make([]byte, reactorBufSize)
	oob := make([]byte, syscall.CmsgSpace(int(unsafe.Sizeof(syscall.Timespec{}))))
	tcpInfo := make([]byte, tcpInfoLen)
	var drain [64]byte
	lastSweep := time.Now()
	// The loop waits in Go's network poller, which watches the epoll
	// descriptor itself (readable when some connection is): no blocking
	// system call holds a thread, so Go's monitor has none to hand off,
	// and a wait costs no more than a goroutine's.
	waitFile := os.NewFile(uintptr(r.epfd), "reactor-epoll")
	waitConn, err := waitFile.SyscallConn()
	if err != nil {
		return
	}
	n := 0
	harvest := func(uintptr) bool {
		n, err = epollWaitNow(r.epfd, events)
		if err == syscall.EINTR {
			n, err = 0, nil
		}
		return n > 0 || err != nil
	}
	for {
		_ = waitFile.SetReadDeadline(time.Now().Add(time.Second))
		if werr := waitConn.Read(harvest); werr != nil && !errors.Is(werr, os.ErrDeadlineExceeded) {
			return
		}
		if err != nil {
			return
		}
		for i := 0; i < n; i++ {
			fd := int(events[i].Fd)
			if fd == r.wakeR {
				for {
					if k, _ := syscall.Read(r.wakeR, drain[:]); k <= 0 {
						break
					}
				}
				continue
			}
			r.mu.Lock()
			rc := r.conns[fd]
			var op *rop
			if rc != nil {
				op = rc.op
			}
			r.mu.Unlock()
			if rc == nil || rc.dead {
				continue
			}
			r.read(rc, op, buf, oob, tcpInfo)
		}
		r.mu.Lock()
		work := r.work
		r.work = nil
		r.woken = false
		closed := r.closed
		r.mu.Unlock()
		for _, fn := range work {
			fn()
		}
		if closed {
			r.shutdown(waitFile)
			return
		}
		n = 0
		if now := time.Now(); now.Sub(lastSweep) > time.Second {
			lastSweep = now
			r.sweepIdle(now)
		}
	}
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
	segments := countSegments(rc, tcpInfo, n == len(buf))
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

// epollWaitNow is epoll_wait(epfd) with no timeout.
func epollWaitNow(epfd int, events []syscall.EpollEvent) (int, error) {
	r, _, errno := syscall.RawSyscall6(syscall.SYS_EPOLL_WAIT, uintptr(epfd), uintptr(unsafe.Pointer(&events[0])), uintptr(len(events)), 0, 0, 0)
	if errno != 0 {
		return 0, errno
	}
	return int(r), nil
}

// countSegments is StampedConn.countSegments for a connection the loop reads.
func countSegments(rc *rconn, tcpInfo []byte, full bool) int64 {
	n := uint32(len(tcpInfo))
	// Raw: it never blocks (see recvmsgNow).
	_, _, errno := syscall.RawSyscall6(syscall.SYS_GETSOCKOPT, uintptr(rc.fd), syscall.IPPROTO_TCP, sysTCPInfo, uintptr(unsafe.Pointer(&tcpInfo[0])), uintptr(unsafe.Pointer(&n)), 0)
	if errno != 0 || n < tcpInfoLen {
		return segmentsNotCounted
	}
	now := int64(*(*uint32)(unsafe.Pointer(&tcpInfo[tcpInfoDataSegsIn])))
	segments := now - rc.segsIn
	if rc.fullRead {
		segments = segmentsNotCounted
	}
	rc.segsIn = now
	rc.fullRead = full
	return segments
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

// closeConn closes rc (r.mu held).
func (r *Reactor) closeConn(rc *rconn) {
	if rc.dead {
		return
	}
	rc.dead = true
	_ = syscall.EpollCtl(r.epfd, syscall.EPOLL_CTL_DEL, rc.fd, nil)
	delete(r.conns, rc.fd)
	_ = rc.c.Close()
}

// sweepIdle closes connections idle for longer than idleTimeout.
func (r *Reactor) sweepIdle(now time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for addr, list := range r.idle {
		kept := list[:0]
		for _, rc := range list {
			if rc.dead {
				continue
			}
			if now.Sub(rc.idleAt) > idleTimeout {
				r.closeConn(rc)
				continue
			}
			kept = append(kept, rc)
		}
		r.idle[addr] = kept
	}
}

// Close stops the loop and closes every connection; requests in flight end as reset.
func (r *Reactor) Close() {
	r.mu.Lock()
	r.closed = true
	r.mu.Unlock()
	r.post(func() {})
}

// shutdown (on the loop) ends what is in flight and closes everything.
func (r *Reactor) shutdown(waitFile *os.File) {
	r.mu.Lock()
	var busy []*rconn
	for _, rc := range r.conns {
		if rc.op != nil && !rc.op.finished {
			busy = append(busy, rc)
		}
	}
	r.mu.Unlock()
	for _, rc := range busy {
		rc.op.err, rc.op.errAfterHead = errors.New("the reactor was closed"), rc.op.resp.headed()
		r.finish(rc, rc.op, false)
	}
	r.mu.Lock()
	for _, rc := range r.conns {
		r.closeConn(rc)
	}
	r.idle = map[string][]*rconn{}
	r.mu.Unlock()
	waitFile.Close() // closes r.epfd
	syscall.Close(r.wakeR)
	syscall.Close(r.wakeW)
}

// reactorStats is for tests: connections open and idle.
func (r *Reactor) stats() (open, idle int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, l := range r.idle {
		idle += len(l)
	}
	return len(r.conns), idle
}
