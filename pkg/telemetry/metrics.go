package telemetry

import (
	"context"
	"strconv"
	"sync"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
)

// Metric names. Labels are bounded: county code, agency kind,
// event type, copy, topic, consumer group, partition; never a dispute ID.
const (
	MetricHandoffs        = "fengqiao.handoffs"
	MetricTimeToAccept    = "fengqiao.handoff.acceptance.duration"
	MetricDeadLetters     = "fengqiao.messaging.dead_letters"
	MetricConsumerLag     = "fengqiao.messaging.consumer.lag"
	MetricOpenItems       = "fengqiao.items.open"
	MetricOverdueItems    = "fengqiao.items.overdue"
	attrDestination       = attribute.Key("messaging.destination.name")
	attrPartition         = attribute.Key("messaging.destination.partition.id")
	attrGroup             = attribute.Key("messaging.consumer.group.name")
	attrAgencyKindOfItems = attribute.Key("fengqiao.agency.kind")
	secondsPerDay         = 86400
)

// acceptanceBuckets (seconds): minutes to a week, since a copy's deadline
// runs from hours (high risk) to days (low risk).
var acceptanceBuckets = []float64{60, 300, 900, 1800, 3600, 2 * 3600, 4 * 3600, 8 * 3600,
	secondsPerDay, 2 * secondsPerDay, 3 * secondsPerDay, 5 * secondsPerDay, 7 * secondsPerDay}

// Metrics are the instruments of one service.
type Metrics struct {
	handoffs     metric.Int64Counter
	timeToAccept metric.Float64Histogram
	deadLetters  metric.Int64Counter

	mu    sync.Mutex
	lag   map[lagKey]int64
	items []ItemsFunc
}

type lagKey struct {
	group, topic string
	partition    int
}

// ItemCount is one gauge sample of open and overdue items: what (Kind, e.g.
// "slip_copy", "revisit"), where (county) and who holds them (agency kind).
type ItemCount struct {
	Kind, County  string
	AgencyKind    string
	Open, Overdue int64
}

// ItemsFunc reports a service's open and overdue items when the metrics are
// collected (a scrape or an OTLP export), e.g. from a count query.
type ItemsFunc func(ctx context.Context) ([]ItemCount, error)

// NewMetrics creates the instruments on mp. Instrument errors only come
// from invalid names, which are constants here, so they are ignored.
func NewMetrics(mp metric.MeterProvider) *Metrics {
	m := mp.Meter("fengqiao.dev/pkg/telemetry")
	out := &Metrics{lag: map[lagKey]int64{}}
	out.handoffs, _ = m.Int64Counter(MetricHandoffs, metric.WithUnit("{handoff}"),
		metric.WithDescription("Handoffs between agencies, by county, event type, agency kinds and copy."))
	out.timeToAccept, _ = m.Float64Histogram(MetricTimeToAccept, metric.WithUnit("s"),
		metric.WithDescription("Time from a handoff (a slip copy issued) to its acceptance (signed for)."),
		metric.WithExplicitBucketBoundaries(acceptanceBuckets...))
	out.deadLetters, _ = m.Int64Counter(MetricDeadLetters, metric.WithUnit("{message}"),
		metric.WithDescription("Messages written to a dead-letter topic, by origin topic and consumer group (the DLQ's depth: nothing consumes it)."))
	lag, _ := m.Int64ObservableGauge(MetricConsumerLag, metric.WithUnit("{message}"),
		metric.WithDescription("Messages behind the partition's end when the group last fetched."))
	open, _ := m.Int64ObservableGauge(MetricOpenItems, metric.WithUnit("{item}"),
		metric.WithDescription("Open items (copies awaiting signature, mediations, revisits) by county and holding agency kind."))
	overdue, _ := m.Int64ObservableGauge(MetricOverdueItems, metric.WithUnit("{item}"),
		metric.WithDescription("Open items past their deadline, by county and holding agency kind."))
	_, _ = m.RegisterCallback(out.observe(lag, open, overdue), lag, open, overdue)
	return out
}

// RecordHandoff counts h, and its time to acceptance when h is a signature.
func (m *Metrics) RecordHandoff(ctx context.Context, h Handoff) {
	labels := metric.WithAttributes(h.Labels()...)
	m.handoffs.Add(ctx, 1, labels)
	if h.Signed {
		m.timeToAccept.Record(ctx, h.TimeToSign.Seconds(), labels)
	}
}

// RecordDeadLetter counts a message of topic dead-lettered by group.
func (m *Metrics) RecordDeadLetter(ctx context.Context, topic, group string) {
	m.deadLetters.Add(ctx, 1, metric.WithAttributes(attrDestination.String(topic), attrGroup.String(group)))
}

// ObserveLag records how far group is behind the end of topic's partition.
func (m *Metrics) ObserveLag(group, topic string, partition int, lag int64) {
	m.mu.Lock()
	m.lag[lagKey{group, topic, partition}] = max(lag, 0)
	m.mu.Unlock()
}

// ObserveItems registers f to report open and overdue items at collection.
func (m *Metrics) ObserveItems(f ItemsFunc) {
	m.mu.Lock()
	m.items = append(m.items, f)
	m.mu.Unlock()
}

func (m *Metrics) observe(lag, open, overdue metric.Int64Observable) metric.Callback {
	return func(ctx context.Context, o metric.Observer) error {
		m.mu.Lock()
		for k, v := range m.lag {
			o.ObserveInt64(lag, v, metric.WithAttributes(attrGroup.String(k.group),
				attrDestination.String(k.topic), attrPartition.String(strconv.Itoa(k.partition))))
		}
		items := m.items
		m.mu.Unlock()
		for _, f := range items {
			counts, err := f(ctx)
			if err != nil {
				continue // a failed count is a gap in the gauge, not an error of the others
			}
			for _, c := range counts {
				attrs := metric.WithAttributes(AttrItemKind.String(c.Kind), AttrCountyCode.String(BoundedCounty(c.County)),
					attrAgencyKindOfItems.String(c.AgencyKind))
				o.ObserveInt64(open, c.Open, attrs)
				o.ObserveInt64(overdue, c.Overdue, attrs)
			}
		}
		return nil
	}
}
