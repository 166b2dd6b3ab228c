package supervision_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"fengqiao.dev/pkg/problem"
	"fengqiao.dev/pkg/testtime"
)

type disputeStage struct {
	DisputeID    string `json:"dispute_id"`
	CaseCode     string `json:"case_code"`
	Stage        string `json:"stage"`
	Round        int    `json:"round"`
	NextDeadline *struct {
		What  string    `json:"what"`
		DueBy time.Time `json:"due_by"`
	} `json:"next_deadline"`
}

func stagesPath(ids ...string) string {
	q := url.Values{"id": ids}
	return "/v1/disputes/stages?" + q.Encode()
}

// testStages: one call answers the stage and next deadline of several
// disputes, the caller's county's only; another county's dispute is
// absent as a missing one is, and the number of disputes is bounded.
func testStages(t *testing.T, h *harness) {
	const referred, finished, elsewhere = "dsp-stages-referred", "dsp-stages-closed", "dsp-stages-elsewhere"
	h.PublishRaw(t, lifecycle(t, referred)[:2]...)
	h.PublishRaw(t, lifecycle(t, finished)...)
	h.PublishRaw(t, registered(t, elsewhere, jiuquan, t0))
	h.timelineOf(t, referred, handoffs(2, "referred"))
	h.timelineOf(t, finished, handoffs(7, "closed"))

	var got struct {
		Disputes []disputeStage `json:"disputes"`
	}
	path := stagesPath(finished, elsewhere, "dsp-no-such", referred, referred)
	if status, _, err := h.get(t, path, caller(linxia), &got); err != nil || status != http.StatusOK {
		t.Fatalf("GET %s = %d (%v), want 200", path, status, err)
	}
	var lines []string
	for _, d := range got.Disputes {
		line := fmt.Sprintf("%s %s r%d", d.DisputeID, d.Stage, d.Round)
		if d.NextDeadline != nil {
			line += fmt.Sprintf(" %s@%s", d.NextDeadline.What, d.NextDeadline.DueBy.UTC().Format(time.RFC3339))
		}
		lines = append(lines, line)
	}
	// The copies are all due an hour after registration, the earliest of
	// them first by name; the closed dispute owes nothing.
	want := finished + " closed r1 | " + referred + " referred r1 sign_copy:committee@" + t0.Add(time.Hour).Format(time.RFC3339)
	if g := strings.Join(lines, " | "); g != want {
		t.Errorf("stages\n got %s\nwant %s", g, want)
	}

	// Jiuquan's caller finds its own dispute, once projected, and none of
	// Linxia's.
	testtime.EventuallyNil(t, wait, "Jiuquan's stages", func() error {
		got.Disputes = nil
		status, _, err := h.get(t, stagesPath(elsewhere, referred), caller(jiuquan), &got)
		if err != nil || status != http.StatusOK || len(got.Disputes) != 1 ||
			got.Disputes[0].DisputeID != elsewhere || got.Disputes[0].Stage != "registered" {
			return fmt.Errorf("%d %+v (%v), want its own dispute only", status, got.Disputes, err)
		}
		return nil
	})

	many := make([]string, 101)
	for i := range many {
		many[i] = fmt.Sprintf("dsp-%d", i)
	}
	for name, path := range map[string]string{"too many": stagesPath(many...), "none": "/v1/disputes/stages"} {
		var p problem.Details
		status, ct, err := h.get(t, path, caller(linxia), &p)
		if err != nil || status != http.StatusBadRequest || ct != problem.MediaType || len(p.Errors) != 1 || p.Errors[0].Pointer != "query:id" {
			t.Errorf("%s ids: %d %q %+v (%v), want a 400 problem naming query:id", name, status, ct, p, err)
		}
	}
}
