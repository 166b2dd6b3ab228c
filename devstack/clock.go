package devstack

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"fengqiao.dev/pkg/problem"
)

// Clock is the platform's clock in development and tests: the wall clock
// moved forward by an offset a person or a test sets, so a story that spans
// months (a deadline missed, a revisit due, a month's warning index) plays
// in seconds. Every service reads it through its Options.Now, and the
// periodic sweeps run every second while it is movable, so a move shows at
// once. It only ever moves forward: events already recorded keep their
// times, and a clock that went back would make later events older than
// earlier ones. Only the embedded platform has it; the services' own
// binaries have no way to move time.
type Clock struct {
	mu     sync.Mutex
	offset time.Duration
	wall   func() time.Time
}

// NewClock returns a movable clock that starts at the wall clock.
func NewClock() *Clock { return &Clock{wall: time.Now} }

// Now is the wall clock plus the offset.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.wall().Add(c.offset)
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) error {
	if d < 0 {
		return errors.New("the clock only moves forward")
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.offset += d
	return nil
}

// Set moves the clock forward to t.
func (c *Clock) Set(t time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	ahead := t.Sub(c.wall().Add(c.offset))
	if ahead < 0 {
		return fmt.Errorf("%s is before the clock's now: the clock only moves forward", t.UTC().Format(time.RFC3339))
	}
	c.offset += ahead
	return nil
}

// Offset is how far the clock is ahead of the wall clock.
func (c *Clock) Offset() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.offset
}

// clockMove is the body of POST /clock: one of advance (a Go duration such
// as "36h"), advance_days, or set (RFC 3339).
type clockMove struct {
	Advance     string     `json:"advance,omitempty"`
	AdvanceDays int        `json:"advance_days,omitempty"`
	Set         *time.Time `json:"set,omitempty"`
}

type clockState struct {
	Now           time.Time `json:"now"`
	OffsetSeconds int64     `json:"offset_seconds"`
	Movable       bool      `json:"movable"`
}

// ClockHandler serves GET /clock (the platform's now) and POST /clock (move
// it). c nil is the wall clock: a move is refused with a problem that says
// how to start a movable one.
func ClockHandler(c *Clock) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /clock", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, stateOf(c))
	})
	mux.HandleFunc("POST /clock", func(w http.ResponseWriter, r *http.Request) {
		if c == nil {
			writeProblem(w, problem.Forbidden("the platform runs on the wall clock; start it with -movable-clock to move time"))
			return
		}
		if err := move(c, r); err != nil {
			writeProblem(w, err)
			return
		}
		writeJSON(w, http.StatusOK, stateOf(c))
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusOK) })
	return mux
}

func stateOf(c *Clock) clockState {
	if c == nil {
		return clockState{Now: time.Now().UTC()}
	}
	return clockState{Now: c.Now().UTC(), OffsetSeconds: int64(c.Offset().Seconds()), Movable: true}
}

// move applies one move of the request body; a bad body changes nothing.
func move(c *Clock, r *http.Request) *problem.Details {
	var m clockMove
	dec := json.NewDecoder(http.MaxBytesReader(nil, r.Body, 4096))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return problem.Invalid("the body is not a clock move: "+err.Error(), problem.Field("#", "send one of advance, advance_days or set"))
	}
	given := 0
	for _, set := range []bool{m.Advance != "", m.AdvanceDays != 0, m.Set != nil} {
		if set {
			given++
		}
	}
	if given != 1 {
		return problem.Invalid("say how to move the clock", problem.Field("#", "send exactly one of advance, advance_days or set"))
	}
	switch {
	case m.Advance != "":
		d, err := time.ParseDuration(m.Advance)
		if err == nil {
			err = c.Advance(d)
		}
		if err != nil {
			return problem.Invalid("cannot advance the clock", problem.Field("#/advance", err.Error()))
		}
	case m.AdvanceDays != 0:
		if err := c.Advance(time.Duration(m.AdvanceDays) * 24 * time.Hour); err != nil {
			return problem.Invalid("cannot advance the clock", problem.Field("#/advance_days", err.Error()))
		}
	default:
		if err := c.Set(*m.Set); err != nil {
			return problem.Invalid("cannot set the clock", problem.Field("#/set", err.Error()))
		}
	}
	return nil
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeProblem(w http.ResponseWriter, p *problem.Details) {
	w.Header().Set("Content-Type", problem.MediaType)
	w.WriteHeader(p.Status)
	_ = json.NewEncoder(w).Encode(p)
}
