package intake_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"fengqiao.dev/embedded/servicetest"
	"fengqiao.dev/services/intake"
	"fengqiao.dev/services/intake/internal/adapters"
)

// Parallel registrations of distinct disputes get distinct case codes, and
// the store itself refuses a dispute with a code already taken.
func TestParallelRegistrationsGetDistinctCaseCodes(t *testing.T) {
	h := servicetest.Start(t, intake.New)
	officer := servicetest.Officer("622901")
	const n = 50
	codes := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := registration()
			r["external_ref"] = fmt.Sprintf("110-20261123-%04d", i)
			r["place"].(map[string]any)["address"] = fmt.Sprintf("城北路 %d 号", i)
			r["parties"] = []map[string]any{
				{"role": "applicant", "name": fmt.Sprintf("申请人%d", i), "phone": fmt.Sprintf("1381234%04d", i)},
				{"role": "respondent", "name": fmt.Sprintf("被申请人%d", i)},
			}
			status, raw, _ := h.DoRaw(t, "POST", "/v1/disputes", r, officer)
			if status != http.StatusCreated {
				t.Errorf("registration %d: %d %s", i, status, raw)
				return
			}
			var d struct {
				CaseCode string `json:"case_code"`
			}
			if err := json.Unmarshal(raw, &d); err != nil {
				t.Errorf("registration %d: %v", i, err)
			}
			codes[i] = d.CaseCode
		}()
	}
	wg.Wait()
	seen := map[string]int{}
	for i, c := range codes {
		if j, ok := seen[c]; ok {
			t.Errorf("registrations %d and %d got case code %q", j, i, c)
		}
		seen[c] = i
	}
	if t.Failed() {
		t.FailNow()
	}

	_, err := h.Collection(t, "intake.disputes").InsertOne(context.Background(), bson.D{{Key: "_id", Value: "copy"}, {Key: "state", Value: bson.D{{Key: "case_code", Value: codes[0]}}}})
	if !mongo.IsDuplicateKeyError(err) {
		t.Fatalf("inserting a second dispute with case code %s: %v, want a duplicate key error", codes[0], err)
	}
}

// Two counters on one collection (two replicas, or a process before and
// after a restart) never hand out the same number, however their claims
// interleave, and a counter that starts after another has claimed numbers
// continues past them.
func TestCaseCodeCountersOfSeveralProcessesNeverRepeatANumber(t *testing.T) {
	h := servicetest.Start(t, intake.New)
	coll := h.Collection(t, "counters_test.case_codes")
	ctx := context.Background()
	first := adapters.NewCaseCodeCounter(coll)
	seen := map[int64]string{}
	take := func(name string, c *adapters.CaseCodeCounter) {
		seq, err := c.Next(ctx, "622901", 2026)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if other, ok := seen[seq]; ok {
			t.Fatalf("%s got %d, already handed out by %s", name, seq, other)
		}
		seen[seq] = name
	}
	for range 11 {
		take("first", first)
	}
	second := adapters.NewCaseCodeCounter(coll)
	for range 5 {
		take("second", second)
		take("first", first)
	}
	if len(seen) != 21 {
		t.Fatalf("%d numbers handed out, want 21", len(seen))
	}
}
