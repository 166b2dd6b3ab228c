package kafkaacl_test

import (
	"slices"
	"testing"

	"fengqiao.dev/api/events"
	"fengqiao.dev/api/kafkaacl"
	"fengqiao.dev/api/policy"
)

func everyTopic() []string {
	out := append(events.InternalTopics(), events.TopicIntakeIngest, events.TopicAudit, events.TopicPolicy, policy.TopicCountyFigures)
	for _, county := range []string{"622901", "370202"} {
		out = append(out, events.CountyCopyTopics(county)...)
	}
	return out
}

func TestEachServiceWritesOnlyItsOwnTopics(t *testing.T) {
	owner := map[string]string{}
	for _, s := range kafkaacl.Services() {
		p := kafkaacl.ServiceACLs(s)
		for _, topic := range everyTopic() {
			want := slices.Contains(s.Writes, topic) || (s.WritesCountyCopies && slices.Contains(events.CountyCopyTopics("622901"), topic)) ||
				(s.WritesCountyCopies && slices.Contains(events.CountyCopyTopics("370202"), topic))
			if got := p.Allows(kafkaacl.Topic, kafkaacl.Write, topic); got != want {
				t.Errorf("%s may write %s: %v, want %v", s.Service, topic, got, want)
			}
			if want && !slices.Contains(events.CountyCopyTopics("622901"), topic) && !slices.Contains(events.CountyCopyTopics("370202"), topic) {
				if other, ok := owner[topic]; ok && topic != events.TopicAudit {
					t.Errorf("%s and %s both write %s", other, s.Service, topic)
				}
				owner[topic] = s.Service
			}
			wantRead := slices.Contains(s.Reads, topic) || topic == events.TopicPolicy
			if got := p.Allows(kafkaacl.Topic, kafkaacl.Read, topic); got != wantRead {
				t.Errorf("%s may read %s: %v, want %v", s.Service, topic, got, wantRead)
			}
		}
		for _, r := range s.Reads {
			if !p.Allows(kafkaacl.Topic, kafkaacl.Write, events.DeadLetterTopic(r)) {
				t.Errorf("%s cannot dead-letter a message of %s", s.Service, r)
			}
		}
	}
	for _, typ := range events.Types() {
		topic, ok := events.TopicOf(typ)
		if !ok || topic == events.TopicIntakeIngest { // the ingest topic is written by the 110/12345 systems
			continue
		}
		if _, ok := owner[topic]; !ok {
			t.Errorf("no service may publish %s on %s", typ, topic)
		}
	}
}

func TestAnAgencyReadsOnlyItsCountysCopyOfItsKind(t *testing.T) {
	for _, c := range events.Copies() {
		p := kafkaacl.AgencyACLs("622901", c)
		if p.Name != "agency-622901-"+string(c) {
			t.Errorf("principal %s", p.Name)
		}
		for _, topic := range everyTopic() {
			want := topic == events.CountyCopyTopic("622901", c)
			if got := p.Allows(kafkaacl.Topic, kafkaacl.Read, topic); got != want {
				t.Errorf("%s may read %s: %v, want %v", p.Name, topic, got, want)
			}
			if p.Allows(kafkaacl.Topic, kafkaacl.Write, topic) {
				t.Errorf("%s may write %s", p.Name, topic)
			}
		}
		if !p.Allows(kafkaacl.Group, kafkaacl.Read, p.Name+".bridge") || p.Allows(kafkaacl.Group, kafkaacl.Read, "agency-370202-"+string(c)) {
			t.Errorf("%s: groups named after itself only", p.Name)
		}
	}
}

func TestUngrantedNamesEachRefusal(t *testing.T) {
	for _, tc := range []struct {
		service, group string
		topics         []string
		refusals       int
	}{
		{"referral", "referral.IssueSlip", []string{events.TopicDisputes}, 0},
		{"referral", "intake.Sneaky", []string{events.TopicDisputes}, 1},
		{"referral", "referral.IssueSlip", []string{events.TopicMediations, events.TopicAudit}, 2},
		{"no-such-service", "x.", nil, 1},
	} {
		if got := kafkaacl.Ungranted(tc.service, tc.group, tc.topics); len(got) != tc.refusals {
			t.Errorf("%s %s %v: %q, want %d refusals", tc.service, tc.group, tc.topics, got, tc.refusals)
		}
	}
}
