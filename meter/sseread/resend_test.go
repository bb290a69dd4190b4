package sseread

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// closingServer is a keep-alive HTTP/1.1 server on 127.0.0.1 that answers
// the first `serve` requests of each connection with a small event stream
// and then, on the next request of that connection, does what `onExtra`
// says: the way a server whose keep-alive limit ran out while the request
// was on its way looks from the client.
type closingServer struct {
	ln       net.Listener
	serve    int
	onExtra  func(c net.Conn)
	mu       sync.Mutex
	answered int // requests answered, over every connection
	dropped  int // requests read and never answered
	conns    int
}

func startClosingServer(t *testing.T, serve int, onExtra func(c net.Conn)) *closingServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &closingServer{ln: ln, serve: serve, onExtra: onExtra}
	go s.accept()
	t.Cleanup(func() { ln.Close() })
	return s
}

func (s *closingServer) url() string { return "http://" + s.ln.Addr().String() + "/v1/chat" }

func (s *closingServer) accept() {
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.mu.Lock()
		s.conns++
		s.mu.Unlock()
		go s.handle(c)
	}
}

func (s *closingServer) handle(c net.Conn) {
	defer c.Close()
	br := bufio.NewReader(c)
	for n := 0; ; n++ {
		req, err := http.ReadRequest(br)
		if err != nil {
			return
		}
		_, _ = io.Copy(io.Discard, req.Body)
		if n >= s.serve {
			s.mu.Lock()
			s.dropped++
			s.mu.Unlock()
			s.onExtra(c)
			return
		}
		body := "data: a\n\ndata: b\n\n"
		// Counted before the answer is written: a client may read it before this goroutine runs again.
		s.mu.Lock()
		s.answered++
		s.mu.Unlock()
		fmt.Fprintf(c, "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nContent-Length: %d\r\n\r\n%s", len(body), body)
		if req.Close {
			return
		}
	}
}

func (s *closingServer) counts() (answered, dropped, conns int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.answered, s.dropped, s.conns
}

// freshClient never reuses a connection, as the meter's resend client.
func freshClient(t *testing.T) *http.Client {
	t.Helper()
	tr := &http.Transport{DisableKeepAlives: true}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr}
}

func closeConn(c net.Conn) { c.Close() }

func resetConn(c net.Conn) {
	if tc, ok := c.(*net.TCPConn); ok {
		tc.SetLinger(0) // RST rather than FIN
	}
	c.Close()
}

func TestDoResendsOnceWhenTheServerClosedTheReusedConnection(t *testing.T) {
	for _, tc := range []struct {
		name  string
		close func(net.Conn)
	}{{"FIN", closeConn}, {"RST", resetConn}} {
		t.Run(tc.name, func(t *testing.T) {
			srv := startClosingServer(t, 1, tc.close)
			client := newClient(t)
			req := Request{URL: srv.url(), Body: `{"x":1}`, Timeout: 2 * time.Second, FreshClient: freshClient(t)}
			first := doReq(t, context.Background(), client, req)
			if first.ErrorKind != "" || first.Resent != 0 {
				t.Fatalf("first request: ErrorKind %q (%s), Resent %d; want a clean answer", first.ErrorKind, first.ErrorMessage, first.Resent)
			}
			second := doReq(t, context.Background(), client, req)
			if second.ErrorKind != "" {
				t.Fatalf("second request: ErrorKind %q (%s), want none: it should have been sent again", second.ErrorKind, second.ErrorMessage)
			}
			if second.Resent != 1 || second.ResentCause == "" {
				t.Errorf("Resent = %d, ResentCause = %q; want 1 and the first attempt's error", second.Resent, second.ResentCause)
			}
			if got := datas(second.Events); strings.Join(got, ",") != "a,b" {
				t.Errorf("events = %q, want a, b", got)
			}
			if second.LocalPort == first.LocalPort {
				t.Errorf("local port %d: the resend went out on the closed connection's port", second.LocalPort)
			}
			if second.SendLagMs < 0 || second.HeadersMs < 0 || second.Events[0].AtMs < second.HeadersMs {
				t.Errorf("times of the resend: send lag %v, headers %v, first event %v; want them from the resend's own write", second.SendLagMs, second.HeadersMs, second.Events[0].AtMs)
			}
			answered, dropped, conns := srv.counts()
			if answered != 2 || dropped != 1 || conns != 2 {
				t.Errorf("server: %d answered, %d dropped, %d connections; want 2, 1, 2", answered, dropped, conns)
			}
		})
	}
}

func TestDoWithoutFreshClientReportsTheClosedConnection(t *testing.T) {
	srv := startClosingServer(t, 1, closeConn)
	client := newClient(t)
	req := Request{URL: srv.url(), Body: `{}`, Timeout: 2 * time.Second}
	doReq(t, context.Background(), client, req)
	res := doReq(t, context.Background(), client, req)
	if res.ErrorKind != ErrConnect || res.Resent != 0 {
		t.Errorf("ErrorKind %q, Resent %d; want %q and 0 (nothing to resend with)", res.ErrorKind, res.Resent, ErrConnect)
	}
}

func TestDoNeverResendsAFailureOnAFreshConnection(t *testing.T) {
	srv := startClosingServer(t, 0, closeConn) // every connection's first request is dropped
	res := doReq(t, context.Background(), newClient(t), Request{URL: srv.url(), Body: `{}`, Timeout: 2 * time.Second, FreshClient: freshClient(t)})
	if res.ErrorKind != ErrConnect || res.Resent != 0 {
		t.Errorf("ErrorKind %q (%s), Resent %d; want %q and 0: the server may have started it", res.ErrorKind, res.ErrorMessage, res.Resent, ErrConnect)
	}
	if _, dropped, _ := srv.counts(); dropped != 1 {
		t.Errorf("server dropped %d requests, want 1 (sent once)", dropped)
	}
}

func TestDoNeverResendsOnceAResponseByteCame(t *testing.T) {
	// The server starts its answer on the reused connection, then closes it.
	srv := startClosingServer(t, 1, func(c net.Conn) {
		io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Ty")
		c.Close()
	})
	client := newClient(t)
	req := Request{URL: srv.url(), Body: `{}`, Timeout: 2 * time.Second, FreshClient: freshClient(t)}
	doReq(t, context.Background(), client, req)
	res := doReq(t, context.Background(), client, req)
	if res.ErrorKind == "" || res.Resent != 0 {
		t.Errorf("ErrorKind %q, Resent %d; want a failure and no resend (the server had taken the request)", res.ErrorKind, res.Resent)
	}
	if _, dropped, conns := srv.counts(); dropped != 1 || conns != 1 {
		t.Errorf("server: %d dropped, %d connections; want 1 and 1 (sent once)", dropped, conns)
	}
}

func TestDoNeverResendsATimeoutOnAReusedConnection(t *testing.T) {
	// The reused connection's second request is read and never answered.
	block := make(chan struct{})
	t.Cleanup(func() { close(block) })
	srv := startClosingServer(t, 1, func(c net.Conn) { <-block })
	client := newClient(t)
	req := Request{URL: srv.url(), Body: `{}`, Timeout: 2 * time.Second, FreshClient: freshClient(t)}
	doReq(t, context.Background(), client, req)
	req.Timeout = 150 * time.Millisecond
	res := doReq(t, context.Background(), client, req)
	if res.ErrorKind != ErrTimeout || res.Resent != 0 {
		t.Errorf("ErrorKind %q, Resent %d; want %q and 0", res.ErrorKind, res.Resent, ErrTimeout)
	}
}
