// Package llmstream is k6-llm's own k6 extension (k6/x/llmstream): it sends
// one HTTP request, reads the response in Go, stamps each SSE event at read
// time and hands JavaScript one result per request. It records no k6 samples
// of its own; the TypeScript core turns the result into llm_* metrics.
package llmstream

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"net/http"
	"syscall"
	"time"

	"github.com/grafana/sobek"
	"go.k6.io/k6/js/modules"
	"go.k6.io/k6/lib/netext"

	"github.com/k6-llm/xk6-llmstream/sseread"
)

func init() {
	modules.Register("k6/x/llmstream", &rootModule{samples: sseread.NewSampleStore()})
}

// rootModule is created once per k6 process; its sample store is shared by
// every VU of that process.
type rootModule struct {
	samples *sseread.SampleStore
}

func (r *rootModule) NewModuleInstance(vu modules.VU) modules.Instance {
	return &instance{vu: vu, samples: r.samples}
}

type instance struct {
	vu      modules.VU
	client  *http.Client
	samples *sseread.SampleStore
}

// Exports: request(), the process-wide sample store, and cpuTimeMs().
func (m *instance) Exports() modules.Exports {
	return modules.Exports{Named: map[string]any{
		"request":   m.request,
		"observe":   m.samples.Observe,
		"quantile":  m.samples.Quantile,
		"count":     m.samples.Count,
		"values":    m.samples.Values,
		"cpuTimeMs": cpuTimeMs,
		"version":   "0.3.0",
	}}
}

// requestParams mirrors the object JavaScript passes to request().
type requestParams struct {
	Method         string            `js:"method"`
	URL            string            `js:"url"`
	Headers        map[string]string `js:"headers"`
	Body           string            `js:"body"`
	TimeoutMs      float64           `js:"timeoutMs"`
	StallTimeoutMs float64           `js:"stallTimeoutMs"`
	MaxBodyBytes   int               `js:"maxBodyBytes"`
	FastToken      *sseread.FastRule `js:"fastToken"`
}

// httpClient is made once per VU so keep-alive connections are reused; it
// dials through k6's dialer so --hosts, blockHostnames and DNS options apply.
func (m *instance) httpClient() (*http.Client, error) {
	if m.client != nil {
		return m.client, nil
	}
	state := m.vu.State()
	if state == nil {
		return nil, fmt.Errorf("llmstream.request() called in the init context; call it from a VU function")
	}
	var tlsConfig *tls.Config
	if state.TLSConfig != nil {
		tlsConfig = state.TLSConfig.Clone()
	}
	dial := state.Dialer.DialContext
	m.client = &http.Client{Transport: &http.Transport{
		// k6's dialer (hosts, blockHostnames, data_received accounting), with
		// kernel receive timestamps switched on for the connection it returns.
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			c, err := dial(ctx, network, addr)
			if err != nil {
				return nil, err
			}
			if counted, ok := c.(*netext.Conn); ok {
				return sseread.WrapForTimestamps(c, counted.Conn, counted.BytesRead), nil
			}
			return sseread.WrapForTimestamps(c, c, nil), nil
		},
		Proxy:               http.ProxyFromEnvironment,
		TLSClientConfig:     tlsConfig,
		ForceAttemptHTTP2:   false,
		MaxIdleConnsPerHost: 4,
		DisableCompression:  true,
	}}
	return m.client, nil
}

func (m *instance) request(params sobek.Value) (map[string]any, error) {
	rt := m.vu.Runtime()
	var p requestParams
	if err := rt.ExportTo(params, &p); err != nil {
		return nil, fmt.Errorf("invalid llmstream.request() params; expected {url, method, headers, body, timeoutMs}, got %v: %w", params, err)
	}
	if p.URL == "" {
		return nil, fmt.Errorf("invalid llmstream.request() params; expected a url, got none")
	}
	if p.TimeoutMs <= 0 {
		return nil, fmt.Errorf("invalid llmstream.request() timeoutMs; expected a positive number, got %v", p.TimeoutMs)
	}
	client, err := m.httpClient()
	if err != nil {
		return nil, err
	}
	res := sseread.Do(m.vu.Context(), client, sseread.Request{
		Method:       p.Method,
		URL:          p.URL,
		Headers:      p.Headers,
		Body:         p.Body,
		Timeout:      time.Duration(p.TimeoutMs * float64(time.Millisecond)),
		StallTimeout: time.Duration(p.StallTimeoutMs * float64(time.Millisecond)),
		MaxBodyBytes: p.MaxBodyBytes,
		FastRule:     p.FastToken,
	})
	// Parallel arrays convert to JavaScript far cheaper than one object per event.
	times := make([]any, len(res.Events))
	data := make([]any, len(res.Events))
	fast := make([]any, 0, len(res.Events))
	for i, ev := range res.Events {
		times[i] = ev.AtMs
		data[i] = ev.Data
		if p.FastToken != nil {
			// A plain token's data is never read in JavaScript: skip converting it.
			if ev.Fast {
				data[i] = ""
				fast = append(fast, 1)
			} else {
				fast = append(fast, 0)
			}
		}
	}
	return map[string]any{
		"status":       res.Status,
		"retryAfter":   res.RetryAfter,
		"headersMs":    res.HeadersMs,
		"endMs":        res.EndMs,
		"isSSE":        res.IsSSE,
		"times":        rt.NewArray(times...),
		"data":         rt.NewArray(data...),
		"fast":         rt.NewArray(fast...),
		"comments":     res.Comments,
		"unterminated": res.Unterminated,
		"body":         res.Body,
		"bodyBytes":    res.BodyBytes,
		"errorKind":    res.ErrorKind,
		"errorMessage": res.ErrorMessage,
		"kernelStamps": res.KernelStamps,
		"readLagMaxMs": res.ReadLagMaxMs,
		"sendLagMs":    res.SendLagMs,
	}, nil
}

// cpuTimeMs is the k6 process's user+system CPU time, for the benchmark's
// CPU-per-event figure.
func cpuTimeMs() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return -1
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e6
}
