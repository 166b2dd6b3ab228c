package devstack_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"fengqiao.dev/devstack"
)

func TestTheClockMovesForwardOnlyAndOnlyWhenMovable(t *testing.T) {
	clock := devstack.NewClock()
	movable := httptest.NewServer(devstack.ClockHandler(clock))
	defer movable.Close()
	fixed := httptest.NewServer(devstack.ClockHandler(nil))
	defer fixed.Close()
	for _, tc := range []struct {
		name, url, body string
		status          int
		pointer         string
		offset          time.Duration // the movable clock's offset afterwards
	}{
		{"advance by a duration", movable.URL, `{"advance": "36h"}`, http.StatusOK, "", 36 * time.Hour},
		{"advance by days", movable.URL, `{"advance_days": 15}`, http.StatusOK, "", (36 + 15*24) * time.Hour},
		{"never back", movable.URL, `{"advance": "-1h"}`, http.StatusBadRequest, "#/advance", (36 + 15*24) * time.Hour},
		{"not set into the past", movable.URL, `{"set": "2020-01-01T00:00:00Z"}`, http.StatusBadRequest, "#/set", (36 + 15*24) * time.Hour},
		{"one move at a time", movable.URL, `{"advance": "1h", "advance_days": 1}`, http.StatusBadRequest, "#", (36 + 15*24) * time.Hour},
		{"not a move", movable.URL, `{"forward": "1h"}`, http.StatusBadRequest, "#", (36 + 15*24) * time.Hour},
		{"the wall clock refuses", fixed.URL, `{"advance": "1h"}`, http.StatusForbidden, "", (36 + 15*24) * time.Hour},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, err := http.Post(tc.url+"/clock", "application/json", strings.NewReader(tc.body))
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var body struct {
				Errors []struct{ Pointer string } `json:"errors"`
			}
			_ = json.NewDecoder(resp.Body).Decode(&body)
			if resp.StatusCode != tc.status || (tc.pointer != "" && (len(body.Errors) != 1 || body.Errors[0].Pointer != tc.pointer)) {
				t.Fatalf("%d %+v, want %d naming %q", resp.StatusCode, body, tc.status, tc.pointer)
			}
			if clock.Offset() != tc.offset {
				t.Fatalf("offset %s, want %s", clock.Offset(), tc.offset)
			}
		})
	}
	if ahead := time.Until(clock.Now()); ahead < 36*time.Hour+15*24*time.Hour-time.Minute {
		t.Fatalf("the clock is %s ahead", ahead)
	}
}
