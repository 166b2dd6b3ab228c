package supervision_test

import (
	"fmt"
	"net/http"
	"slices"
	"testing"
	"time"

	"fengqiao.dev/api/events"
	"fengqiao.dev/pkg/messaging"
	"fengqiao.dev/pkg/problem"
	"fengqiao.dev/pkg/testtime"
)

const (
	linxia  = "622901"
	jiuquan = "620900"
	wait    = 90 * time.Second // the first consumer-group join on 2 busy cores is slow
)

var (
	t0        = time.Date(2025, 3, 3, 9, 0, 0, 0, time.UTC)
	station   = events.Agency{Kind: events.AgencyPoliceStation, ID: "pcs-622901-01", Name: "城关派出所"}
	centre    = events.Agency{Kind: events.AgencyGovernanceCentre, ID: "gc-622901001"}
	room      = events.Agency{Kind: events.AgencyMediationRoom, ID: "room-622901001"}
	committee = events.Agency{Kind: events.AgencyCommittee, ID: "plc-622901"}
)

func TestService(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the embedded broker and store")
	}
	h := start(t)
	t.Run("a lifecycle delivered out of order, with a duplicate", func(t *testing.T) { testLifecycle(t, h) })
	t.Run("a poison message is dead-lettered and the next one projected", func(t *testing.T) { testDeadLetter(t, h) })
	t.Run("each handoff names the trace it was published in", func(t *testing.T) { testTraceOfHandoff(t, h) })
	t.Run("a mediation no mediator could take is listed", func(t *testing.T) { testUnstaffed(t, h) })
	t.Run("the stages of several disputes in one call, the county's own only", func(t *testing.T) { testStages(t, h) })
	// Last: it publishes Linxia's policy, which the others run without.
	t.Run("a unit named only by its ID reads by the county's name for it", func(t *testing.T) { testUnitNames(t, h) })
}

// testTraceOfHandoff: the timeline gives the SRE the trace to open for each
// handoff, the one the message's traceparent carried.
func testTraceOfHandoff(t *testing.T, h *harness) {
	const traceID = "4bf92f3577b34da6a3ce929d0e0e4736"
	m := registered(t, "D-TRACED", linxia, t0)
	m.Headers = append(m.Headers, messaging.Header{Key: "traceparent", Value: []byte("00-" + traceID + "-00f067aa0ba902b7-01")})
	h.PublishRaw(t, m)
	tl := h.timelineOf(t, "D-TRACED", handoffs(1, "registered"))
	if got := tl.Handoffs[0].TraceID; got != traceID {
		t.Errorf("the handoff's trace_id is %q, want %q", got, traceID)
	}
}

type handoff struct {
	EventID string        `json:"event_id"`
	Type    string        `json:"type"`
	From    events.Agency `json:"from"`
	To      events.Agency `json:"to"`
	At      time.Time     `json:"at"`
	Copy    events.Copy   `json:"copy"`
	Round   int           `json:"round"`
	Note    string        `json:"note"`
	TraceID string        `json:"trace_id"`
}

type timeline struct {
	DisputeID  string    `json:"dispute_id"`
	CaseCode   string    `json:"case_code"`
	CountyCode string    `json:"county_code"`
	Stage      string    `json:"stage"`
	Round      int       `json:"round"`
	Handoffs   []handoff `json:"handoffs"`
}

type rate struct {
	Value       float64 `json:"value"`
	Numerator   int     `json:"numerator"`
	Denominator int     `json:"denominator"`
}

type kpis struct {
	CountyCode     string         `json:"county_code"`
	AsOf           time.Time      `json:"as_of"`
	Registered     int            `json:"registered"`
	Stages         map[string]int `json:"stages"`
	ResolutionRate rate           `json:"resolution_rate"`
	RevisitRate    rate           `json:"revisit_rate"`
}

// timelineOf polls the timeline of id until want accepts it.
func (h *harness) timelineOf(t *testing.T, id string, want func(timeline) error) timeline {
	t.Helper()
	var tl timeline
	testtime.EventuallyNil(t, wait, "timeline of "+id, func() error {
		tl = timeline{}
		status, _, err := h.get(t, "/v1/disputes/"+id+"/timeline", caller(linxia), &tl)
		if err != nil {
			return err
		}
		if status != http.StatusOK {
			return fmt.Errorf("status %d", status)
		}
		return want(tl)
	})
	return tl
}

func handoffs(n int, stage string) func(timeline) error {
	return func(tl timeline) error {
		if len(tl.Handoffs) != n || tl.Stage != stage {
			return fmt.Errorf("%d handoffs at stage %s, want %d at %s", len(tl.Handoffs), tl.Stage, n, stage)
		}
		return nil
	}
}

func expectProblem(t *testing.T, h *harness, path string, who http.Header, want int) {
	t.Helper()
	var p problem.Details
	status, ct, err := h.get(t, path, who, &p)
	if err != nil || status != want || ct != problem.MediaType || p.Status != want {
		t.Fatalf("GET %s = %d %q %+v (%v), want a %d problem", path, status, ct, p, err, want)
	}
}

func ids(msgs []messaging.Message) []string {
	out := make([]string, len(msgs))
	for i, m := range msgs {
		for _, hd := range m.Headers {
			if hd.Key == "ce_id" {
				out[i] = string(hd.Value)
			}
		}
	}
	return out
}

func eventIDs(tl timeline) []string {
	out := make([]string, len(tl.Handoffs))
	for i, hd := range tl.Handoffs {
		out[i] = hd.EventID
	}
	return out
}

func sameIDs(got, want []string) error {
	if !slices.Equal(got, want) {
		return fmt.Errorf("event IDs\n got %v\nwant %v", got, want)
	}
	return nil
}
