package main

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"fengqiao.dev/api/events"
	"fengqiao.dev/embedded"
	"fengqiao.dev/pkg/config"
	"fengqiao.dev/pkg/messaging"
	"fengqiao.dev/pkg/outbox"
	"fengqiao.dev/services/supervision"
)

var (
	station = events.Agency{Kind: events.AgencyPoliceStation, ID: "pcs-622901-01"}
	centre  = events.Agency{Kind: events.AgencyGovernanceCentre, ID: "gc-622901001"}
)

// `fengqiao where` reads supervision's timeline, as a committee member of
// the county: the dispute waits on the governance centre, two copies are
// unsigned, and the trace to open is the slip's.
func TestWhereSaysWhoHasTheDisputeAndWhichTrace(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the embedded stack and supervision")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	stack, err := embedded.Start(ctx, embedded.Options{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer stack.Close()
	cfg := config.Common{KafkaBrokers: stack.Brokers, MongoURI: stack.MongoURI, MongoDatabase: "where",
		HTTPAddr: "127.0.0.1:0", TopicPartitions: 3, TopicReplication: 1,
		// The command under test is the CLI, not authentication: supervision
		// believes the identity headers the CLI sends beside its token.
		Auth: config.Auth{TrustedHeaders: true}}
	svcCtx, stop := context.WithCancel(ctx)
	svc, err := supervision.New(svcCtx, cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- svc.Run(svcCtx) }()
	defer func() { stop(); <-done }()

	const slipTrace = "4bf92f3577b34da6a3ce929d0e0e4736"
	t0 := time.Now().Add(-2 * time.Hour).UTC().Truncate(time.Second)
	s := events.Subject{DisputeID: "D-STUCK", CountyCode: county}
	var copies []events.SlipCopy
	for _, c := range events.Copies() {
		copies = append(copies, events.SlipCopy{Copy: c, Recipient: centre, Topic: events.CountyCopyTopic(county, c), AcceptBy: t0.Add(time.Hour)})
	}
	publish(ctx, t, cfg, "",
		payloadAt(t, "intake", &events.DisputeRegistered{Subject: s, Handoff: events.Handoff{From: station, To: station},
			CaseCode: "LX-2026-000042", Round: 1, Channel: events.ChannelAlert110, Place: events.Place{CountyCode: county},
			Category: events.CategoryNeighbour, RiskLevel: events.RiskLow, GroupSize: 2, RegisteredAt: t0}, t0))
	publish(ctx, t, cfg, slipTrace,
		payloadAt(t, "referral", &events.ReferralIssued{Subject: s, Handoff: events.Handoff{From: station, To: centre},
			SlipID: "D-STUCK.r1", CaseCode: "LX-2026-000042", Round: 1, Category: events.CategoryNeighbour,
			RiskLevel: events.RiskLow, Copies: copies, IssuedAt: t0.Add(time.Minute)}, t0.Add(time.Minute)),
		payloadAt(t, "referral", &events.ReferralCopyAccepted{Subject: s, Handoff: events.Handoff{From: station, To: centre},
			SlipID: "D-STUCK.r1", Round: 1, Copy: events.CopyCommittee, AcceptedBy: "staff-9",
			AcceptedAt: t0.Add(10 * time.Minute), TimeToSignSeconds: 540}, t0.Add(10*time.Minute)))

	env := map[string]string{"FENGQIAO_SUPERVISION_URL": svc.HTTP.URL(), "FENGQIAO_COUNTY": county,
		"FENGQIAO_AGENCY": "plc-" + county, "FENGQIAO_OFFICER": "sre-1", "FENGQIAO_TOKEN": "dev-token"}
	var out string
	eventually(ctx, t, "supervision has the three handoffs", func() bool {
		var stdout, stderr bytes.Buffer
		code := run(ctx, []string{"where", "D-STUCK"}, &stdout, &stderr, func(k string) string { return env[k] })
		out = stdout.String()
		return code == 0 && strings.Count(out, "dev.fengqiao.") >= 4 // the held-by line and three handoffs
	})
	t.Logf("fengqiao where D-STUCK:\n%s", out)
	for _, want := range []string{"held by", "governance_centre gc-622901001", "trace", slipTrace,
		"not signed for", "jurisdiction", "police", "LX-2026-000042"} {
		if !strings.Contains(out, want) {
			t.Errorf("where lacks %q:\n%s", want, out)
		}
	}
	if line := lineWith(out, "not signed for"); strings.Contains(line, "committee") {
		t.Errorf("the committee's signed copy is listed as unsigned: %s", line)
	}
}

func payloadAt(t *testing.T, source string, p events.Payload, at time.Time) messaging.Message {
	t.Helper()
	e, err := outbox.New(context.Background(), source, p, at)
	if err != nil {
		t.Fatal(err)
	}
	return e.Message()
}

// publish writes msgs as a relay would, in the trace traceID when given.
func publish(ctx context.Context, t *testing.T, cfg config.Common, traceID string, msgs ...messaging.Message) {
	t.Helper()
	p, err := messaging.NewProducer(messaging.ClusterFromConfig(cfg))
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	for i := range msgs {
		if traceID != "" {
			msgs[i].Headers = append(msgs[i].Headers, messaging.Header{Key: "traceparent", Value: []byte("00-" + traceID + "-00f067aa0ba902b7-01")})
		}
	}
	if err := p.Publish(ctx, msgs...); err != nil {
		t.Fatal(err)
	}
}

func lineWith(text, prefix string) string {
	for _, l := range strings.Split(text, "\n") {
		if strings.HasPrefix(l, prefix) {
			return l
		}
	}
	return ""
}
