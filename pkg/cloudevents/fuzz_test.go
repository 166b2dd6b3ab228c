package cloudevents

import (
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"fengqiao.dev/api/events"
)

// FuzzParse feeds arbitrary header values (and a header repeated or
// unknown) to Parse, as a consumer reads them off Kafka: it parses or
// errs, never panics, and what it parses renders and parses again to the
// same envelope.
func FuzzParse(f *testing.F) {
	f.Add(events.SpecVersion, "e-1", events.TypeDisputeRegistered, "/fengqiao/intake", "2026-11-23T10:00:00Z", "d-1", "622901", events.ContentType, "x-extra", "v")
	f.Add("0.3", "", "", "", "", "", "", "", "", "")
	f.Add(events.SpecVersion, "e-1", "t", "s", "2026-13-45T99:00:00Z", "d", "c", "text/plain", HeaderID, "e-2")
	f.Add(events.SpecVersion, "e\x00", "t", "s", "2026-11-23T10:00:00.123456789+08:00", "\xff", "", "", HeaderSpecVersion, "9")
	f.Fuzz(func(t *testing.T, spec, id, typ, source, at, subject, county, contentType, extraKey, extraValue string) {
		headers := []kafka.Header{
			{Key: HeaderSpecVersion, Value: []byte(spec)}, {Key: HeaderID, Value: []byte(id)},
			{Key: HeaderType, Value: []byte(typ)}, {Key: HeaderSource, Value: []byte(source)},
			{Key: HeaderTime, Value: []byte(at)}, {Key: HeaderSubject, Value: []byte(subject)},
			{Key: HeaderCountyCode, Value: []byte(county)}, {Key: HeaderContentType, Value: []byte(contentType)},
			{Key: extraKey, Value: []byte(extraValue)},
		}
		env, err := Parse(headers)
		if err != nil {
			return
		}
		again, err := Parse(Headers(env))
		if err != nil {
			t.Fatalf("a parsed envelope does not parse once rendered: %v (%+v)", err, env)
		}
		if again.ID != env.ID || again.Type != env.Type || again.Subject != env.Subject ||
			again.CountyCode != env.CountyCode || again.Source != env.Source || !again.Time.Equal(env.Time) {
			t.Fatalf("the envelope changed in a round trip: %+v → %+v", env, again)
		}
		_ = time.Since(env.Time)
	})
}
