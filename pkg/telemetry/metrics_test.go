package telemetry

import (
	"context"
	"io"
	"net/http/httptest"
	"strings"
	"testing"

	"fengqiao.dev/api/events"
)

// The instruments as a scraper sees them at /metrics: one registry per
// service (two providers do not share series), bounded labels, no IDs.
func TestMetricsAreScrapeable(t *testing.T) {
	t.Setenv("OTEL_METRICS_EXPORTER", "none")
	t.Setenv("OTEL_TRACES_EXPORTER", "none")
	ctx := context.Background()
	p, err := Setup(ctx, "referral")
	if err != nil {
		t.Fatal(err)
	}
	defer p.Shutdown(ctx)
	other, err := Setup(ctx, "intake")
	if err != nil {
		t.Fatal(err)
	}
	defer other.Shutdown(ctx)

	p.Metrics.RecordHandoff(ctx, DescribeHandoff(&events.ReferralCopyAccepted{Subject: subject,
		Handoff: events.Handoff{From: police, To: centre}, Copy: events.CopyJurisdiction, TimeToSignSeconds: 5400}))
	p.Metrics.RecordDeadLetter(ctx, events.TopicDisputes, "referral.IssueAndRegradeSlips")
	p.Metrics.ObserveLag("referral.IssueAndRegradeSlips", events.TopicDisputes, 2, 7)
	p.Metrics.ObserveItems(func(context.Context) ([]ItemCount, error) {
		return []ItemCount{{Kind: "slip_copy", County: "622901", AgencyKind: "governance_centre", Open: 3, Overdue: 1}}, nil
	})

	body := scrape(t, p)
	for _, want := range []string{
		`fengqiao_handoffs_total{`, `fengqiao_event_type="dev.fengqiao.referral.copy_accepted.v1"`,
		`fengqiao_handoff_to_kind="governance_centre"`, `fengqiao_county_code="622901"`,
		`fengqiao_handoff_acceptance_duration_seconds_bucket{`, `le="7200"`,
		`fengqiao_messaging_dead_letters_total{`, `messaging_destination_name="fengqiao.disputes.v1"`,
		`fengqiao_messaging_consumer_lag{`, `messaging_destination_partition_id="2"`,
		`fengqiao_items_open{`, `fengqiao_items_overdue{`, `fengqiao_item_kind="slip_copy"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	if strings.Contains(body, "D-1") {
		t.Error("a dispute ID is a metric label")
	}
	if strings.Contains(scrape(t, other), "fengqiao_handoffs_total{") {
		t.Error("another service's registry shows referral's handoffs")
	}
}

func scrape(t *testing.T, p *Providers) string {
	t.Helper()
	rec := httptest.NewRecorder()
	p.Prometheus.ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	b, _ := io.ReadAll(rec.Result().Body)
	return string(b)
}
