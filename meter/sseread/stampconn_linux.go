//go:build linux

package sseread

import (
	"io"
	"net"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"
)

// KernelReceiveStamps is true: events are stamped with the kernel's receive
// time of their bytes (SO_TIMESTAMPNS), not the time Go read them.
const KernelReceiveStamps = true

// StampedConn reads a TCP connection with recvmsg and SO_TIMESTAMPNS, so
// every read also yields the kernel's receive time of the data it returns.
// Stamping events with that time instead of the time Go got around to the
// read keeps TTFT and ITL true when the load generator is short of CPU: a
// goroutine woken by the network poller can wait behind hundreds of busy VUs.
type StampedConn struct {
	net.Conn // the dialed connection: writes, close, deadlines, addresses
	raw      syscall.RawConn
	// bytesRead is k6's data_received counter when the dialer provided one.
	bytesRead *int64
	// lastRxNs is the kernel receive time (Unix ns) of the last read; 0 if unknown.
	lastRxNs atomic.Int64
	// lastSegments is how many data segments arrived since the read before
	// the last one (TCP_INFO's data_segs_in); -1 when the kernel does not say.
	lastSegments atomic.Int64
	// writeStartNs and writeEndNs: when the last Write began and returned
	// (Unix ns; 0 before any). net/http writes from its own goroutine.
	writeStartNs, writeEndNs atomic.Int64
	segments                 segmentCount
	tcpInfo                  []byte
	oob                      []byte
	// The state of the read in progress, kept here so that the callback
	// handed to raw.Read is made once, not once per read (Read is never
	// called concurrently: one reader per connection).
	recvFn    func(fd uintptr) bool
	rbuf      []byte
	rn, roobn int
	rerr      error
}

// WrapForTimestamps returns c wrapped in a StampedConn when kernel receive
// timestamps can be enabled on it, else c itself. inner is the raw TCP
// connection (c itself, or the one k6's counting wrapper holds), and
// bytesRead the counter to keep up to date (nil when none).
func WrapForTimestamps(c net.Conn, inner net.Conn, bytesRead *int64) net.Conn {
	sc, ok := inner.(syscall.Conn)
	if !ok {
		return c
	}
	raw, err := sc.SyscallConn()
	if err != nil {
		return c
	}
	var serr error
	if err := raw.Control(func(fd uintptr) {
		serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_TIMESTAMPNS, 1)
	}); err != nil || serr != nil {
		return c
	}
	s := &StampedConn{Conn: c, raw: raw, bytesRead: bytesRead, oob: make([]byte, syscall.CmsgSpace(int(unsafe.Sizeof(syscall.Timespec{})))), tcpInfo: make([]byte, tcpInfoLen)}
	s.recvFn = s.recv
	return s
}

// recv is the raw.Read callback: one recvmsg into s.rbuf, then how many
// data segments the connection has received so far.
func (s *StampedConn) recv(fd uintptr) bool {
	s.rn, s.roobn, _, _, s.rerr = syscall.Recvmsg(int(fd), s.rbuf, s.oob, 0)
	if s.rerr == syscall.EAGAIN {
		// Not ready yet: let the poller wait (and honour deadlines).
		return false
	}
	if s.rerr == nil && s.rn > 0 {
		s.countSegments(fd)
	}
	return true
}

// TCP_INFO's size up to data_segs_in (struct tcp_info, Linux 4.6 and later),
// and that field's offset.
const (
	tcpInfoLen         = 160
	tcpInfoDataSegsIn  = 152
	sysTCPInfo         = 11 // TCP_INFO
	segmentsNotCounted = -1
)

// countSegments records how many data segments came since the last read.
func (s *StampedConn) countSegments(fd uintptr) {
	s.lastSegments.Store(s.segments.next(fd, s.tcpInfo, s.rn == len(s.rbuf)))
}

// segmentCount follows a connection's TCP_INFO data_segs_in from read to read.
type segmentCount struct {
	// segsIn is data_segs_in after the last read. fullRead: the last read
	// filled its buffer, so its last segment's rest is still queued.
	segsIn   int64
	fullRead bool
}

// next is how many data segments the read just made took bytes of (beyond
// the rest of one the read before had begun): one (or none) means every
// byte it returned arrived at once, at its stamp; segmentsNotCounted when
// the kernel does not say, or after a full read. full: this read filled
// its buffer.
func (c *segmentCount) next(fd uintptr, tcpInfo []byte, full bool) int64 {
	n := uint32(len(tcpInfo))
	// Raw: getsockopt never blocks, and a Syscall's exit wakes Go's monitor thread (see recvmsgNow).
	_, _, errno := syscall.RawSyscall6(syscall.SYS_GETSOCKOPT, fd, syscall.IPPROTO_TCP, sysTCPInfo, uintptr(unsafe.Pointer(&tcpInfo[0])), uintptr(unsafe.Pointer(&n)), 0)
	if errno != 0 || n < tcpInfoLen {
		return segmentsNotCounted
	}
	now := int64(*(*uint32)(unsafe.Pointer(&tcpInfo[tcpInfoDataSegsIn])))
	segments := now - c.segsIn
	if c.fullRead {
		// After a read that left a segment's rest queued, its rest and new segments are not told apart.
		segments = segmentsNotCounted
	}
	c.segsIn = now
	c.fullRead = full
	return segments
}

// Read reads with recvmsg and records the kernel receive time of the data.
func (s *StampedConn) Read(b []byte) (int, error) {
	if len(b) == 0 {
		return 0, nil
	}
	s.rbuf = b
	err := s.raw.Read(s.recvFn)
	n, oobn := s.rn, s.roobn
	if err == nil {
		err = s.rerr
	}
	s.rbuf, s.rerr = nil, nil
	if err != nil {
		return 0, &net.OpError{Op: "read", Net: "tcp", Source: s.LocalAddr(), Addr: s.RemoteAddr(), Err: err}
	}
	if n == 0 {
		return 0, io.EOF
	}
	if s.bytesRead != nil {
		atomic.AddInt64(s.bytesRead, int64(n))
	}
	// A read without a stamp must not keep the previous one: that would date
	// this data too early. The kernel switches stamping on asynchronously, so
	// the first packets after SO_TIMESTAMPNS can come without one.
	ts, _ := parseTimestampNs(s.oob[:oobn])
	s.lastRxNs.Store(ts)
	return n, nil
}

// LastRxNs is the kernel receive time (Unix ns) of the last read, or 0.
func (s *StampedConn) LastRxNs() int64 { return s.lastRxNs.Load() }

// Write writes b and keeps when the call began and returned: the bytes left
// for the peer at some moment between the two (see LastWrite). The start is
// kept before the call: the peer may answer, and the answer be read on
// another goroutine, before the call has returned.
func (s *StampedConn) Write(b []byte) (int, error) {
	s.writeEndNs.Store(0)
	s.writeStartNs.Store(time.Now().UnixNano())
	n, err := s.Conn.Write(b)
	s.writeEndNs.Store(time.Now().UnixNano())
	return n, err
}

// LastWrite is when the last Write began and returned (Unix ns; 0, 0 before
// any; an end of 0, or one before the start, while that call has not returned).
func (s *StampedConn) LastWrite() (startNs, endNs int64) {
	return s.writeStartNs.Load(), s.writeEndNs.Load()
}

// LastRxSegments is how many data segments the last read took bytes of
// (beyond the rest of one it had begun): 0 or 1 when they all arrived at
// once, at LastRxNs; -1 when the kernel does not say.
func (s *StampedConn) LastRxSegments() int64 { return s.lastSegments.Load() }

// parseTimestampNs finds the SCM_TIMESTAMPNS message in oob. It walks the
// control messages in place (syscall.ParseSocketControlMessage would
// allocate on every read).
func parseTimestampNs(oob []byte) (int64, bool) {
	const hdrLen = syscall.SizeofCmsghdr
	tsLen := int(unsafe.Sizeof(syscall.Timespec{}))
	for len(oob) >= hdrLen {
		h := (*syscall.Cmsghdr)(unsafe.Pointer(&oob[0]))
		msgLen := int(h.Len)
		if msgLen < hdrLen || msgLen > len(oob) {
			return 0, false
		}
		data := cmsgAlign(hdrLen)
		if h.Level == syscall.SOL_SOCKET && h.Type == syscall.SCM_TIMESTAMPNS && msgLen-data >= tsLen {
			var ts syscall.Timespec
			copy(unsafe.Slice((*byte)(unsafe.Pointer(&ts)), tsLen), oob[data:data+tsLen])
			return ts.Nano(), true
		}
		next := cmsgAlign(msgLen)
		if next >= len(oob) {
			break
		}
		oob = oob[next:]
	}
	return 0, false
}

// cmsgAlign rounds n up to the alignment of control messages.
func cmsgAlign(n int) int {
	const align = int(unsafe.Sizeof(uintptr(0)))
	return (n + align - 1) &^ (align - 1)
}
