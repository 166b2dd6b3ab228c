package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"fengqiao.dev/api/events"
	"fengqiao.dev/pkg/cloudevents"
	"fengqiao.dev/pkg/identity"
	"fengqiao.dev/pkg/messaging"
)

// tally is one row of the fault table.
type tally struct {
	fault      string
	sent       int // disputes the driver tried to register
	accepted   int // registrations answered 2xx
	present    int // accepted disputes found whole in every service at the end
	duplicated int // effects applied more than once (not mere redeliveries)
	lost       int // accepted disputes missing somewhere at the end
	stuck      int // accepted disputes the driver could not take through the loop
	problems   []string
}

func (r *tally) problem(format string, args ...any) {
	r.problems = append(r.problems, fmt.Sprintf(format, args...))
}

// onceEach are the event types that happen exactly once per dispute in the
// driver's loop. A second distinct event (another ce_id) of one of them for
// one dispute is a double effect; a second record with the same ce_id is a
// redelivery, which at-least-once allows.
var onceEach = []string{
	events.TypeDisputeRegistered, events.TypeReferralIssued, events.TypeMediationOpened,
	events.TypeMediatorsAssigned, events.TypeMediationResolved, events.TypeRevisitCompleted,
}

// reconcile compares the driver's ledger with every service's state and the
// topics, waiting (bounded) for the platform to catch up first.
func reconcile(t *testing.T, fault string, d *driver, brokers []string) tally {
	t.Helper()
	row := tally{fault: fault, sent: len(d.runs)}
	accepted := map[string]*run{}
	perCounty := map[string]int{}
	for _, r := range d.runs {
		if r.accepted() {
			accepted[r.id] = r
			perCounty[r.county.code]++
		} else if r.failure != "" {
			row.problem("not accepted: %s", r.failure)
		}
		if r.accepted() && !r.revisited {
			row.stuck++
			row.problem("stuck: %s", r.failure)
		}
	}
	row.accepted = len(accepted)

	// Let the platform finish what it was told: every accepted dispute
	// whole everywhere, or the deadline. Whole disputes are not asked again.
	missing := map[string]string{}
	for id := range accepted {
		missing[id] = "not checked"
	}
	deadline := time.Now().Add(90 * time.Second)
	for len(missing) > 0 && time.Now().Before(deadline) {
		for id, why := range checkAll(d, accepted, missing) {
			if why == "" {
				delete(missing, id)
			} else {
				missing[id] = why
			}
		}
		if len(missing) > 0 {
			time.Sleep(time.Second)
		}
	}
	for id, why := range missing {
		row.problem("lost %s (%s): %s", id, accepted[id].key, why)
	}
	if len(missing) > 0 {
		describeLag(brokers, &row)
	}

	row.duplicated += doubleEffectsOnTopics(t, brokers, accepted, missing, &row)
	row.duplicated += doubleEffectsInSupervision(d, accepted, perCounty, &row)
	row.lost = len(missing)
	row.present = row.accepted - row.lost
	return row
}

// checkAll runs wholeness for the disputes in which, a few at a time.
func checkAll(d *driver, accepted map[string]*run, which map[string]string) map[string]string {
	var mu sync.Mutex
	out := map[string]string{}
	ids := make(chan string)
	var wg sync.WaitGroup
	for range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for id := range ids {
				why := wholeness(d, accepted[id])
				mu.Lock()
				out[id] = why
				mu.Unlock()
			}
		}()
	}
	for id := range which {
		ids <- id
	}
	close(ids)
	wg.Wait()
	return out
}

// wholeness says what is missing of one accepted dispute ("" when nothing):
// the dispute, its slip, its mediation, its revisit and supervision's
// closed case file. Each is read by its ID; that there is only one of each
// is checked on the topics, where a second would show as a second event.
func wholeness(d *driver, r *run) string {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, slip := r.county.code, r.id+".r1"
	if why := found(ctx, d, "intake", "/v1/disputes/"+r.id, officerOf(c), ""); why != "" {
		return why
	}
	if why := found(ctx, d, "referral", "/v1/slips/"+slip, centreOf(c), ""); why != "" {
		return why
	}
	if !r.settled {
		// The driver gave up before: the mediation may be anywhere.
		return found(ctx, d, "mediation-room", "/v1/mediations/"+slip+".m1", centreOf(c), "")
	}
	if why := found(ctx, d, "mediation-room", "/v1/mediations/"+slip+".m1", centreOf(c), "resolved"); why != "" {
		return why
	}
	if !r.revisited {
		return found(ctx, d, "revisit", "/v1/revisits/"+slip+".v1", centreOf(c), "")
	}
	if why := found(ctx, d, "revisit", "/v1/revisits/"+slip+".v1", centreOf(c), "completed"); why != "" {
		return why
	}
	status, tl, err := d.call(ctx, "supervision", http.MethodGet, "/v1/disputes/"+r.id+"/timeline", nil, committeeOf(c))
	if err != nil || status != http.StatusOK || tl["stage"] != "closed" {
		return fmt.Sprintf("supervision's timeline: %d stage %v (%v)", status, tl["stage"], err)
	}
	return ""
}

// found says what is wrong with the aggregate at path ("" when it is there,
// in state status unless that is empty).
func found(ctx context.Context, d *driver, service, path string, caller identity.Caller, status string) string {
	code, body, err := d.call(ctx, service, http.MethodGet, path, nil, caller)
	switch {
	case err != nil || code != http.StatusOK:
		return fmt.Sprintf("%s %s answers %d (%v)", service, path, code, err)
	case status != "" && body["status"] != status:
		return fmt.Sprintf("%s %s is %v, not %s", service, path, body["status"], status)
	}
	return ""
}

// doubleEffectsOnTopics reads every internal topic and every sample county's
// copy topics: per dispute, each once-only event type and each of the three
// copies must have exactly one distinct ce_id.
func doubleEffectsOnTopics(t *testing.T, brokers []string, accepted map[string]*run, missing map[string]string, row *tally) int {
	t.Helper()
	ids := map[string]map[string]bool{} // "type subject" or "copy subject copy" → ce_ids
	note := func(key, id string) {
		if ids[key] == nil {
			ids[key] = map[string]bool{}
		}
		ids[key][id] = true
	}
	registered := map[string]bool{}
	read := func(topic string) []messaging.Message {
		msgs, gaps := readTopic(brokers, topic)
		for _, gap := range gaps {
			row.problem("unreadable records: %s", gap)
		}
		return msgs
	}
	for _, topic := range events.InternalTopics() {
		for _, m := range read(topic) {
			env, err := cloudevents.Parse(m.Headers)
			if err != nil {
				row.problem("%s offset %d has no valid CloudEvents headers: %v", topic, m.Offset, err)
				continue
			}
			note(env.Type+" "+env.Subject, env.ID)
			if env.Type == events.TypeDisputeRegistered {
				registered[env.Subject] = true
			}
		}
	}
	for _, c := range sampleCounties {
		for _, cp := range events.Copies() {
			topic := events.CountyCopyTopic(c.code, cp)
			for _, m := range read(topic) {
				env, err := cloudevents.Parse(m.Headers)
				var copyOf struct {
					DisputeID string `json:"dispute_id"`
					Copy      string `json:"copy"`
				}
				if err != nil || json.Unmarshal(m.Value, &copyOf) != nil || copyOf.Copy != string(cp) {
					row.problem("%s offset %d is not a %s copy: %v", topic, m.Offset, cp, err)
					continue
				}
				note("copy "+copyOf.DisputeID+" "+copyOf.Copy, env.ID)
			}
		}
	}
	doubles := 0
	for id, r := range accepted {
		for _, typ := range onceEach {
			n := len(ids[typ+" "+id])
			if typ == events.TypeRevisitCompleted && !r.revisited {
				continue
			}
			if n > 1 {
				doubles += n - 1
				row.problem("%s of %s published as %d distinct events", typ, id, n)
			}
		}
		for _, cp := range events.Copies() {
			switch n := len(ids["copy "+id+" "+string(cp)]); {
			case n > 1:
				doubles += n - 1
				row.problem("the %s copy of %s published as %d distinct events", cp, id, n)
			case n == 0:
				row.problem("the %s copy of %s never reached its county topic", cp, id)
				missing[id] = "a copy never reached its county topic"
			}
		}
	}
	// A dispute registered that no 2xx answered: a retried registration
	// that made a second dispute.
	if extra := len(registered) - len(accepted); extra > 0 {
		doubles += extra
		row.problem("%d more disputes registered than accepted", extra)
	}
	return doubles
}

// doubleEffectsInSupervision checks that supervision counted each accepted
// dispute once: per county figures equal the driver's ledger, and no case
// file holds a once-only handoff twice.
func doubleEffectsInSupervision(d *driver, accepted map[string]*run, perCounty map[string]int, row *tally) int {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	doubles := 0
	for _, c := range sampleCounties {
		status, kpis, err := d.call(ctx, "supervision", http.MethodGet, "/v1/counties/"+c.code+"/kpis", nil, committeeOf(c.code))
		got, _ := kpis["registered"].(float64)
		switch {
		case err != nil || status != http.StatusOK:
			row.problem("supervision's KPIs of %s: %d %v", c.code, status, err)
		case int(got) > perCounty[c.code]:
			doubles += int(got) - perCounty[c.code]
			row.problem("supervision counts %v disputes registered in %s, the driver had %d accepted", got, c.code, perCounty[c.code])
		case int(got) < perCounty[c.code]:
			row.problem("supervision counts %v disputes registered in %s, the driver had %d accepted", got, c.code, perCounty[c.code])
		}
	}
	ids := make([]string, 0, len(accepted))
	for id := range accepted {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		r := accepted[id]
		status, tl, err := d.call(ctx, "supervision", http.MethodGet, "/v1/disputes/"+id+"/timeline", nil, committeeOf(r.county.code))
		if err != nil || status != http.StatusOK {
			continue // wholeness has reported it
		}
		seen := map[string]int{}
		handoffs, _ := tl["handoffs"].([]any)
		for _, h := range handoffs {
			typ, _ := h.(map[string]any)["type"].(string)
			seen[typ]++
		}
		for _, typ := range onceEach {
			if seen[typ] > 1 {
				doubles += seen[typ] - 1
				row.problem("supervision's timeline of %s holds %s %d times", id, typ, seen[typ])
			}
		}
	}
	return doubles
}

// printTable writes the fault table to the test log and to stdout.
func printTable(t *testing.T, rows []tally) {
	var b strings.Builder
	fmt.Fprintf(&b, "\n%-26s %6s %9s %8s %11s %5s %6s\n", "fault", "sent", "accepted", "at end", "duplicated", "lost", "stuck")
	for _, r := range rows {
		fmt.Fprintf(&b, "%-26s %6d %9d %8d %11d %5d %6d\n", r.fault, r.sent, r.accepted, r.present, r.duplicated, r.lost, r.stuck)
	}
	t.Log(b.String())
	fmt.Print(b.String())
}

// check fails the test on any loss, double count or stuck dispute, naming
// the first few.
func (r tally) check(t *testing.T) {
	t.Helper()
	if r.accepted == 0 {
		t.Errorf("%s: no dispute was accepted", r.fault)
	}
	if r.lost == 0 && r.duplicated == 0 && r.stuck == 0 && len(r.problems) == 0 {
		return
	}
	for _, p := range r.problems {
		t.Log(p)
	}
	shown := r.problems
	if len(shown) > 15 {
		shown = shown[:15]
	}
	t.Errorf("%s: %d lost, %d duplicated, %d stuck of %d accepted; %d problems, first:\n  %s",
		r.fault, r.lost, r.duplicated, r.stuck, r.accepted, len(r.problems), strings.Join(shown, "\n  "))
}

// describeLag notes how far behind every consumer group is, twice ten
// seconds apart, so that a dispute missing at the end can be told apart: a
// group stuck (lag above 0, not moving), slow (lag falling), or an effect
// lost (no lag, yet missing).
func describeLag(brokers []string, row *tally) {
	type groupOn struct{ group, topic string }
	first := map[groupOn]int64{}
	for topic, groups := range consumers {
		for _, group := range groups {
			first[groupOn{group, topic}] = groupLag(brokers[0], group, topic)
		}
	}
	time.Sleep(10 * time.Second)
	for g, lag := range first {
		if later := groupLag(brokers[0], g.group, g.topic); lag != 0 || later != 0 {
			row.problem("consumer group %s is %d records behind on %s, %d ten seconds later", g.group, lag, g.topic, later)
		}
	}
}
