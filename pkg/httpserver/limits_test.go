package httpserver_test

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"fengqiao.dev/pkg/config"
	"fengqiao.dev/pkg/identity"
)

// JSON nested deeper than the limit is refused before it is decoded, with
// the depth in the problem; the limit does not count brackets in strings.
func TestDeepJSONIsRefused(t *testing.T) {
	t.Parallel()
	s := startWith(t, config.HTTPLimits{MaxJSONDepth: 8})
	deep := `{"name": "a", "place": ` + strings.Repeat(`{"x": `, 50_000) + `1` + strings.Repeat(`}`, 50_000) + `}`
	r := s.do(t, "POST", "/v1/things", strings.NewReader(deep), with(nil))
	if r.status != http.StatusBadRequest || !strings.Contains(r.problem.Detail, "nested deeper than 8") {
		t.Fatalf("got %d %s, want a 400 problem about the depth", r.status, r.body)
	}
	ok := `{"name": "[[[[[[[[[[{{{{{{{{{{", "parties": [{"role": "applicant"}]}`
	if r := s.do(t, "POST", "/v1/things", strings.NewReader(ok), with(nil)); r.status != http.StatusCreated {
		t.Fatalf("brackets inside a string: got %d %s", r.status, r.body)
	}
}

// The body limit is configurable and answers 413 problem+json.
func TestBodyLimitIsConfigurable(t *testing.T) {
	t.Parallel()
	s := startWith(t, config.HTTPLimits{MaxBodyBytes: 100})
	r := s.do(t, "POST", "/v1/things", strings.NewReader(`{"name": "`+strings.Repeat("x", 100)+`"}`), with(nil))
	if r.status != http.StatusRequestEntityTooLarge || !strings.Contains(r.problem.Detail, "over 100 bytes") {
		t.Fatalf("got %d %s, want a 413 problem naming the limit", r.status, r.body)
	}
}

// Each client has a token bucket, checked before its identity: a burst of
// requests, with a good or a bad identity, gets 429 problems with
// Retry-After past the burst, while the probes still answer.
func TestRateLimitPerClient(t *testing.T) {
	t.Parallel()
	const burst = 10
	for name, headers := range map[string]map[string]string{
		"good identity": with(nil),
		"bad identity":  with(map[string]string{identity.HeaderCounty: "6229"}),
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s := startWith(t, config.HTTPLimits{RatePerSecond: 0.5, RateBurst: burst})
			limited := 0
			for range 3 * burst {
				r := s.do(t, "POST", "/v1/things", strings.NewReader(`{"name": "a"}`), headers)
				if r.status != http.StatusTooManyRequests {
					continue
				}
				limited++
				if r.header.Get("Content-Type") != "application/problem+json" || !strings.HasSuffix(r.problem.Type, "/too-many-requests") {
					t.Fatalf("429 without a problem: %s %s", r.header.Get("Content-Type"), r.body)
				}
				if secs, err := strconv.Atoi(r.header.Get("Retry-After")); err != nil || secs < 1 {
					t.Fatalf("Retry-After %q, want whole seconds", r.header.Get("Retry-After"))
				}
			}
			if limited != 2*burst {
				t.Errorf("%d of %d requests limited, want all %d past the burst of %d", limited, 3*burst, 2*burst, burst)
			}
			if r := s.do(t, "GET", "/healthz", nil, nil); r.status != http.StatusOK {
				t.Errorf("/healthz while limited: %d", r.status)
			}
		})
	}
}

// Slow clients cannot hold a service: a connection that sends its headers
// a byte at a time, one that never finishes its body and one left idle are
// each closed by the server after their time-out, and meanwhile other
// requests are served.
func TestSlowClientsAreCutOff(t *testing.T) {
	t.Parallel()
	const timeout = 300 * time.Millisecond
	s := startWith(t, config.HTTPLimits{ReadHeaderTimeout: timeout, ReadTimeout: 2 * timeout, IdleTimeout: timeout, RatePerSecond: -1})
	slow := map[string]func(c net.Conn){
		"headers a byte at a time": func(c net.Conn) {
			for _, b := range []byte("POST /v1/things HTTP/1.1\r\nHost: x\r\nX-Slow: ") {
				if _, err := c.Write([]byte{b}); err != nil {
					return
				}
				time.Sleep(timeout / 4)
			}
		},
		"body never finished": func(c net.Conn) {
			fmt.Fprintf(c, "POST /v1/things HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n")
			for k, v := range officer {
				fmt.Fprintf(c, "%s: %s\r\n", k, v)
			}
			fmt.Fprintf(c, "\r\n{\"name\": ")
		},
		"idle after a request": func(c net.Conn) {
			fmt.Fprintf(c, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
			resp, err := http.ReadResponse(bufio.NewReader(c), nil)
			if err == nil {
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		},
	}
	var wg sync.WaitGroup
	for name, behave := range slow {
		for range 10 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				c, err := net.Dial("tcp", s.addr)
				if err != nil {
					t.Errorf("%s: %v", name, err)
					return
				}
				defer c.Close()
				start := time.Now()
				behave(c)
				_ = c.SetReadDeadline(time.Now().Add(20 * timeout))
				_, _ = io.Copy(io.Discard, c) // returns when the server closes
				if waited := time.Since(start); waited >= 20*timeout {
					t.Errorf("%s: the connection was still open after %v", name, waited)
				}
			}()
		}
	}
	for range 5 {
		if r := s.do(t, "POST", "/v1/things", strings.NewReader(`{"name": "a"}`), with(nil)); r.status != http.StatusCreated {
			t.Errorf("a request among the slow clients: %d %s", r.status, r.body)
		}
	}
	wg.Wait()
}

// A client that asks for an answer and does not read it cannot hold the
// connection (and the handler's goroutine) beyond the write time-out: the
// server gives up on the answer and closes, and meanwhile serves others.
func TestASlowReaderIsCutOff(t *testing.T) {
	t.Parallel()
	const timeout = 300 * time.Millisecond
	s := startWith(t, config.HTTPLimits{WriteTimeout: timeout, RatePerSecond: -1})
	c, err := net.Dial("tcp", s.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	fmt.Fprintf(c, "GET /v1/large HTTP/1.1\r\nHost: x\r\n")
	for k, v := range officer {
		fmt.Fprintf(c, "%s: %s\r\n", k, v)
	}
	fmt.Fprintf(c, "\r\n")

	time.Sleep(4 * timeout) // reads nothing while the server writes
	if r := s.do(t, "POST", "/v1/things", strings.NewReader(`{"name": "a"}`), with(nil)); r.status != http.StatusCreated {
		t.Errorf("a request beside the slow reader: %d %s", r.status, r.body)
	}
	_ = c.SetReadDeadline(time.Now().Add(20 * timeout))
	got, err := io.Copy(io.Discard, c)
	if err != nil {
		t.Fatalf("the server did not close the connection: %v after %d bytes", err, got)
	}
	if got >= largeAnswer {
		t.Fatalf("the slow reader got the whole answer (%d bytes): the write time-out did not cut it off", got)
	}
}
