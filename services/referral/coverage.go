package referral

import (
	"context"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"

	"fengqiao.dev/pkg/bootstrap"
	"fengqiao.dev/pkg/holidays"
)

// MetricCalendarCoverage is the gauge of days left until the national
// holiday calendar's last covered day (fengqiao_calendar_coverage_remaining_days
// on /metrics). Past that day every acceptance deadline treats holidays as
// working days, so an alert fires well before (docs/operations.md).
const MetricCalendarCoverage = "fengqiao.calendar.coverage.remaining"

// attrLastCoveredDay names the day itself on the gauge, so the alert can say
// which year is missing. One value per release: a bounded label.
var attrLastCoveredDay = attribute.Key("fengqiao.calendar.last_covered_day")

// watchCalendarCoverage warns at start-up when the national calendar runs
// out within holidays.WarnBefore and registers the coverage gauge, read
// from the service's clock at each collection.
func watchCalendarCoverage(svc *bootstrap.Service, now func() time.Time) {
	national := holidays.National()
	if cov := national.CoverageAt(now()); cov.RunningOut() {
		svc.Log.Warn("national holiday calendar running out: "+cov.Message(),
			"last_covered_day", cov.LastDay.Format(holidays.DayLayout), "days_left", cov.DaysLeft)
	}
	last := metric.WithAttributes(attrLastCoveredDay.String(national.LastCoveredDay().Format(holidays.DayLayout)))
	// The only error is an invalid instrument name, a constant here.
	_, _ = svc.Telemetry.Meter.Meter("fengqiao.dev/services/referral").Int64ObservableGauge(MetricCalendarCoverage,
		metric.WithUnit("d"),
		metric.WithDescription("Days left until the last day the national holiday calendar covers (negative once past)."),
		metric.WithInt64Callback(func(_ context.Context, o metric.Int64Observer) error {
			o.Observe(int64(national.CoverageAt(now()).DaysLeft), last)
			return nil
		}))
}
