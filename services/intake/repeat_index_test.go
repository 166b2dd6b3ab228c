package intake_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"fengqiao.dev/embedded/servicetest"
	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/services/intake"
	"fengqiao.dev/services/intake/internal/adapters"
	"fengqiao.dev/services/intake/internal/dispute"
)

// storedDisputes inserts n unrelated disputes of county straight into the
// store, each with a match key of its own, as many years of intake leave.
func storedDisputes(t *testing.T, h *servicetest.Harness, county string, n int) {
	t.Helper()
	now := time.Now().UTC()
	fresh := make([]docstore.Fresh[dispute.Dispute], 0, n)
	for i := range n {
		id := fmt.Sprintf("stored-%06d", i)
		fresh = append(fresh, docstore.Fresh[dispute.Dispute]{ID: id,
			State: dispute.Dispute{ID: id, CountyCode: county, CaseCode: fmt.Sprintf("%s-2025-%06d", county, i), Status: dispute.StatusRegistered, RegisteredAt: now,
				MatchKeys: []string{fmt.Sprintf("party:%032d", i)}},
		})
	}
	if _, err := adapters.DisputesIn(h.Collection(t, "intake.disputes")).CreateMany(context.Background(), fresh); err != nil {
		t.Fatal(err)
	}
}

func TestARepeatReportIsLinkedAmongTenThousandUnrelatedDisputes(t *testing.T) {
	h := servicetest.Start(t, intake.NewWith(intake.Options{MatchKey: []byte("test-match-key")}))
	storedDisputes(t, h, "622901", 10_000)
	officer := servicetest.Officer("622901")
	status, first := h.Do(t, "POST", "/v1/disputes", registration(), officer)
	if status != http.StatusCreated {
		t.Fatalf("register: %d %v", status, first)
	}
	again := report(func(r map[string]any) { r["external_ref"] = "110-20261125-0101" })
	status, raw, headers := h.DoRaw(t, "POST", "/v1/disputes", again, officer)
	if status != http.StatusOK || headers.Get("Fengqiao-Report-Linked") != "true" || headers.Get("Location") != "/v1/disputes/"+first["id"].(string) {
		t.Fatalf("repeat report: %d, headers %v: %s", status, headers, raw)
	}
}

// A store written before the repeat-report index existed holds disputes and
// no index: the service builds it when it starts, and repeats still link.
func TestTheRepeatIndexIsBuiltForAStoreWrittenWithoutIt(t *testing.T) {
	newIntake := intake.NewWith(intake.Options{MatchKey: []byte("test-match-key")})
	h := servicetest.Start(t, newIntake)
	officer := servicetest.Officer("622901")
	status, first := h.Do(t, "POST", "/v1/disputes", registration(), officer)
	if status != http.StatusCreated {
		t.Fatalf("register: %d %v", status, first)
	}
	if err := h.Collection(t, "intake.repeat_keys").Drop(context.Background()); err != nil {
		t.Fatal(err)
	}
	restarted := servicetest.StartOn(t, h.Stack, newIntake)
	again := report(func(r map[string]any) { r["external_ref"] = "110-20261125-0101" })
	status, raw, headers := restarted.DoRaw(t, "POST", "/v1/disputes", again, officer)
	if status != http.StatusOK || headers.Get("Fengqiao-Report-Linked") != "true" || headers.Get("Location") != "/v1/disputes/"+first["id"].(string) {
		t.Fatalf("repeat report after the rebuild: %d, headers %v: %s", status, headers, raw)
	}
}
