//go:build linux

package sseread

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
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
	segments segmentCount
	dead     bool
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

// Serves says whether the reactor takes req: plain HTTP, no proxy, no credentials in the URL.
func (r *Reactor) Serves(req *Request) bool {
	if r == nil || !hasPrefixFold(req.URL, "http://") {
		return false
	}
	u, err := url.Parse(req.URL)
	// Credentials in the URL are net/http's to send (as basic auth).
	if err != nil || u.User != nil {
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
