// Package mongotrace makes a client span and a duration per MongoDB command,
// as the OpenTelemetry semantic conventions describe. It is a package of its
// own so that modules using pkg/telemetry without a store (the operator)
// do not pull in the MongoDB driver.
package mongotrace

import (
	"context"
	"net"
	"slices"
	"strconv"
	"sync"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/event"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/trace"
)

// MetricOperationDuration is the semantic conventions' database client
// metric (db_client_operation_duration_seconds on /metrics), by operation
// and collection.
const MetricOperationDuration = "db.client.operation.duration"

// dbOperationBuckets are the conventions' advised boundaries.
var dbOperationBuckets = []float64{0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10}

// unmonitoredCommands are the driver's own handshakes and the readiness
// ping: a span for each would bury the application's operations, and they
// are timed by the readiness probe already.
var unmonitoredCommands = map[string]bool{
	"hello": true, "isMaster": true, "ismaster": true, "ping": true, "saslStart": true,
	"saslContinue": true, "authenticate": true, "getnonce": true, "endSessions": true, "buildInfo": true,
}

// Monitor returns a command monitor that makes a client span per MongoDB
// command, child of the request or message that ran it, and times each in
// db.client.operation.duration; pass it to options.Client().SetMonitor.
//
// It follows the semantic conventions as contrib's otelmongo does. That
// module for mongo-driver v2 is not served by the module proxy this project
// builds from, and the driver's command events are all it reads, so the few
// lines are ours. Attributes never include the command's body: filters carry
// personal data (a party's phone in a repeat match).
func Monitor(tp trace.TracerProvider, mp metric.MeterProvider) *event.CommandMonitor {
	m := &mongoMonitor{tracer: tp.Tracer("fengqiao.dev/pkg/telemetry/mongotrace"), running: map[mongoCommandKey]runningCommand{}}
	// The only error is an invalid name, a constant here.
	m.duration, _ = mp.Meter("fengqiao.dev/pkg/telemetry/mongotrace").Float64Histogram(MetricOperationDuration,
		metric.WithUnit("s"), metric.WithDescription("Duration of MongoDB commands, by operation and collection."),
		metric.WithExplicitBucketBoundaries(dbOperationBuckets...))
	return &event.CommandMonitor{Started: m.started, Succeeded: m.succeeded, Failed: m.failed}
}

type mongoCommandKey struct {
	connection string
	request    int64
}

// runningCommand is a started command's span and the attributes its metric
// needs, which the finished event does not repeat (the collection).
type runningCommand struct {
	span  trace.Span
	attrs []attribute.KeyValue
}

type mongoMonitor struct {
	tracer   trace.Tracer
	duration metric.Float64Histogram
	mu       sync.Mutex
	running  map[mongoCommandKey]runningCommand
}

func (m *mongoMonitor) started(ctx context.Context, e *event.CommandStartedEvent) {
	if unmonitoredCommands[e.CommandName] {
		return
	}
	attrs := []attribute.KeyValue{
		attribute.String("db.system.name", "mongodb"), attribute.String("db.namespace", e.DatabaseName),
		attribute.String("db.operation.name", e.CommandName),
	}
	name := e.CommandName
	if coll := collectionOf(e.CommandName, e.Command); coll != "" {
		attrs = append(attrs, attribute.String("db.collection.name", coll))
		name += " " + coll
	}
	spanAttrs := slices.Concat(attrs, serverAttributes(e.ConnectionID))
	_, span := m.tracer.Start(ctx, name, trace.WithSpanKind(trace.SpanKindClient), trace.WithAttributes(spanAttrs...))
	m.mu.Lock()
	m.running[mongoCommandKey{e.ConnectionID, e.RequestID}] = runningCommand{span, attrs}
	m.mu.Unlock()
}

func (m *mongoMonitor) succeeded(ctx context.Context, e *event.CommandSucceededEvent) {
	m.finish(ctx, e.CommandFinishedEvent, nil)
}

func (m *mongoMonitor) failed(ctx context.Context, e *event.CommandFailedEvent) {
	m.finish(ctx, e.CommandFinishedEvent, e.Failure)
}

func (m *mongoMonitor) finish(ctx context.Context, e event.CommandFinishedEvent, failure error) {
	key := mongoCommandKey{e.ConnectionID, e.RequestID}
	m.mu.Lock()
	cmd, ok := m.running[key]
	delete(m.running, key)
	m.mu.Unlock()
	if !ok {
		return
	}
	span, attrs := cmd.span, cmd.attrs
	if failure != nil {
		// The error's type, not its text: a duplicate-key message quotes
		// the key, which may be personal data.
		attrs = append(attrs, attribute.String("error.type", "mongodb_error"))
		span.SetStatus(codes.Error, "the command failed")
		span.SetAttributes(attribute.String("error.type", "mongodb_error"))
	}
	m.duration.Record(ctx, e.Duration.Seconds(), metric.WithAttributes(attrs...))
	span.End()
}

// collectionOf reads the collection a command names: the value of its first
// element for most commands, the "collection" field of a getMore.
func collectionOf(command string, doc bson.Raw) string {
	if command == "getMore" {
		if v, err := doc.LookupErr("collection"); err == nil {
			s, _ := v.StringValueOK()
			return s
		}
		return ""
	}
	elems, err := doc.Elements()
	if err != nil || len(elems) == 0 {
		return ""
	}
	s, _ := elems[0].Value().StringValueOK()
	return s
}

// serverAttributes reads server.address and server.port from the driver's
// connection ID ("host:port[-n]").
func serverAttributes(connectionID string) []attribute.KeyValue {
	hostPort := connectionID
	for i := len(hostPort) - 1; i >= 0; i-- {
		if hostPort[i] == '-' {
			hostPort = hostPort[:i]
			break
		}
		if hostPort[i] == ':' || hostPort[i] == ']' {
			break
		}
	}
	host, port, err := net.SplitHostPort(hostPort)
	if err != nil {
		return nil
	}
	attrs := []attribute.KeyValue{attribute.String("server.address", host)}
	if p, err := strconv.Atoi(port); err == nil {
		attrs = append(attrs, attribute.Int("server.port", p))
	}
	return attrs
}
