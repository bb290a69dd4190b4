package main

import (
	"context"
	"crypto/tls"
	"net"
	"net/http"
	"time"

	"github.com/k6-llm/meter/sseread"
)

// upstreamClients is the pair of clients every upstream request of one kind (TLS
// verified or not) goes through: pooled for every request, fresh for the one
// resend of a request whose kept-alive connection the server had closed
// (sseread.Request.FreshClient).
type upstreamClients struct {
	pooled, fresh *http.Client
}

func newUpstream(maxStreams int, insecureTLS bool) upstreamClients {
	fresh := newUpstreamClient(maxStreams, insecureTLS)
	fresh.Transport.(*http.Transport).DisableKeepAlives = true
	return upstreamClients{pooled: newUpstreamClient(maxStreams, insecureTLS), fresh: fresh}
}

// newUpstreamClient returns a client whose pool holds as many connections
// per host as streams may be in flight, so that at full load a finished
// stream's connection is reused by the next request rather than closed and
// dialed again. Every connection reports kernel receive times
// (sseread.StampedConn).
func newUpstreamClient(maxStreams int, insecureTLS bool) *http.Client {
	dialer := upstreamDialer()
	tr := &http.Transport{
		Proxy: http.ProxyFromEnvironment,
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			c, err := dialer.DialContext(ctx, network, addr)
			if err != nil {
				return nil, err
			}
			return sseread.WrapForTimestamps(c, c, nil), nil
		},
		// HTTP/1.1 only: one stream per connection, read with recvmsg.
		ForceAttemptHTTP2:   false,
		TLSNextProto:        map[string]func(string, *tls.Conn) http.RoundTripper{},
		MaxIdleConns:        0, // no limit across hosts
		MaxIdleConnsPerHost: maxStreams,
		MaxConnsPerHost:     maxStreams,
		IdleConnTimeout:     90 * time.Second,
		TLSHandshakeTimeout: 10 * time.Second,
		DisableCompression:  true,
	}
	if insecureTLS {
		tr.TLSClientConfig = &tls.Config{InsecureSkipVerify: true} //nolint:gosec // asked for with insecureTls
	}
	return &http.Client{Transport: tr}
}

// upstreamDialer dials every upstream connection, of net/http and of the reactor alike.
func upstreamDialer() *net.Dialer {
	return &net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}
}

// newReactor starts the reactor (sseread.Reactor) plain-HTTP answers are
// read on, with as many kept-alive connections per host as streams may be
// in flight (as the net/http pool); nil where there is none (not Linux).
func newReactor(maxStreams int) *sseread.Reactor {
	r, err := sseread.NewReactor(upstreamDialer(), maxStreams)
	if err != nil {
		return nil
	}
	return r
}
