// Command meter-load measures the stream meter's CPU cost per streamed
// event (a measuring tool, not part of the meter). It starts a meter binary (with --stdin-lifeline), serves an SSE
// upstream on 127.0.0.1 in its own process, keeps --streams /stream
// requests in flight for --duration, then reads the meter's CPU time from
// /proc (Linux) and divides by the events delivered. Everything stays on
// loopback and every loop is bounded in time.
//
//	cd meter && go build -o /tmp/meter-bin . && go run ./cmd/meter-load --meter /tmp/meter-bin
//
// GOMAXPROCS and GOGC in the environment reach the meter too.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	meterBin := flag.String("meter", "/tmp/meter-bin", "the meter binary to start")
	streams := flag.Int("streams", 500, "concurrent /stream requests")
	events := flag.Int("events", 50, "events per stream")
	interval := flag.Duration("interval", 100*time.Millisecond, "time between two events of a stream")
	duration := flag.Duration("duration", 15*time.Second, "how long new requests are started")
	lockstep := flag.Bool("lockstep", false, "start all streams at once (events of all streams arrive together) instead of spread over one interval")
	flag.Parse()
	spread = !*lockstep
	if err := run(*meterBin, *streams, *events, *interval, *duration); err != nil {
		fmt.Fprintln(os.Stderr, "meter-load:", err)
		os.Exit(1)
	}
}

var spread = true

var chunk = `{"id":"chatcmpl-9abcdefghijklmnop","object":"chat.completion.chunk","created":1764500000,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"content":"tok"},"finish_reason":null}]}`

// upstream streams events OpenAI-style: a role chunk, tokens, a finish chunk, [DONE].
func upstream(events int, interval time.Duration) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "text/event-stream")
		w.WriteHeader(200)
		f := w.(http.Flusher)
		f.Flush()
		t := time.NewTicker(interval)
		defer t.Stop()
		for i := 0; i < events; i++ {
			select {
			case <-t.C:
			case <-r.Context().Done():
				return
			}
			var data string
			switch i {
			case 0:
				data = `{"choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}`
			case events - 2:
				data = `{"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}`
			case events - 1:
				data = "[DONE]"
			default:
				data = chunk
			}
			if _, err := io.WriteString(w, "data: "+data+"\n\n"); err != nil {
				return
			}
			f.Flush()
		}
	}
}

func cpuTicks(pid int) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// Fields after the command name (which may hold spaces): utime is field 14, stime 15.
	f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+2:]))
	u, _ := strconv.ParseInt(f[11], 10, 64)
	s, _ := strconv.ParseInt(f[12], 10, 64)
	return u + s, nil
}

const ticksPerSecond = 100 // USER_HZ on Linux

func run(meterBin string, streams, events int, interval, duration time.Duration) error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	up := &http.Server{Handler: upstream(events, interval)}
	go func() { _ = up.Serve(ln) }()
	defer up.Close()
	upURL := "http://" + ln.Addr().String() + "/v1/chat/completions"

	cmd := exec.Command(meterBin, "--stdin-lifeline", "--max-streams", strconv.Itoa(streams+16))
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return err
	}
	defer func() {
		// Closing stdin makes the meter drain and exit; kill it if it does not.
		stdin.Close()
		t := time.AfterFunc(15*time.Second, func() { _ = cmd.Process.Kill() })
		_ = cmd.Wait()
		t.Stop()
	}()
	first, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		return fmt.Errorf("no URL line: %v", err)
	}
	mu, err := url.Parse(strings.TrimSpace(strings.TrimPrefix(first, "LLM_METER_URL=")))
	if err != nil {
		return err
	}
	secret, _ := mu.User.Password()
	mu.User = nil
	streamURL := mu.String() + "/stream"

	rule := map[string]any{"startsWith": "{", "endsWith": "}", "key": `"content":"`, "emptyValueChar": `"`, "keyInside": `"delta":{`,
		"excludes": []string{`"finish_reason":"`, `"usage":{`, `"error"`}}
	l1, _ := json.Marshal(map[string]any{"url": upURL, "method": "POST", "headers": map[string]string{"Content-Type": "application/json", "Authorization": "Bearer sk-load"},
		"timeoutMs": 60000, "stallTimeoutMs": 30000, "maxBodyBytes": 4096, "fastToken": rule, "insecureTls": false})
	body := `{"model":"m","stream":true,"messages":[{"role":"user","content":"Say something long."}]}`

	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: streams, MaxConnsPerHost: streams}}
	var totalEvents, fastEvents, requests, failures atomic.Int64
	// The meter's CPU is counted over the whole load (dials included), and
	// every event of every stream started (in-flight ones are let finish).
	cpuStart, err := cpuTicks(cmd.Process.Pid)
	if err != nil {
		return err
	}
	start := time.Now()
	stopAt := start.Add(duration)
	ctx, cancel := context.WithTimeout(context.Background(), duration+time.Duration(events)*interval+30*time.Second)
	defer cancel()
	var portsMu sync.Mutex
	ports := map[int]bool{}
	var wg sync.WaitGroup
	for i := 0; i < streams; i++ {
		wg.Add(1)
		go func(vu int) {
			defer wg.Done()
			// Spread the starts over one interval so events do not all come at once.
			if spread {
				time.Sleep(time.Duration(vu) * interval / time.Duration(streams))
			}
			for time.Now().Before(stopAt) && ctx.Err() == nil {
				line2 := fmt.Sprintf(`{"vu":"%d","obs":[["ttft",1.5]],"count":"","ctx":null}`, vu)
				req, _ := http.NewRequestWithContext(ctx, "POST", streamURL, strings.NewReader(string(l1)+"\n"+line2+"\n"+body))
				req.Header.Set("X-K6-LLM-Meter-Secret", secret)
				res, err := client.Do(req)
				if err != nil {
					failures.Add(1)
					continue
				}
				b, _ := io.ReadAll(res.Body)
				res.Body.Close()
				var rec struct {
					Times     []float64 `json:"times"`
					Fast      []int     `json:"fast"`
					ErrorKind string    `json:"errorKind"`
					LocalPort int       `json:"localPort"`
				}
				if res.StatusCode != 200 || json.Unmarshal(b, &rec) != nil || rec.ErrorKind != "" {
					failures.Add(1)
					continue
				}
				requests.Add(1)
				portsMu.Lock()
				ports[rec.LocalPort] = true
				portsMu.Unlock()
				totalEvents.Add(int64(len(rec.Times)))
				for _, f := range rec.Fast {
					fastEvents.Add(int64(f))
				}
			}
		}(i)
	}
	wg.Wait()
	elapsed := time.Since(start)
	cpuEnd, err := cpuTicks(cmd.Process.Pid)
	if err != nil {
		return err
	}
	ev := totalEvents.Load()
	cpuMs := float64(cpuEnd-cpuStart) * 1000 / ticksPerSecond
	fmt.Printf("streams %d, %d events/stream every %v, run %.1fs\n", streams, events, interval, elapsed.Seconds())
	fmt.Printf("requests %d, failures %d, events %d (%d plain tokens), upstream connections %d\n", requests.Load(), failures.Load(), ev, fastEvents.Load(), len(ports))
	if ev > 0 {
		fmt.Printf("meter CPU %.0f ms over the counted events: %.2f µs/event\n", cpuMs, cpuMs*1000/float64(ev))
	}
	return nil
}
