// Package copyconsumer is what an outside agency's system does with its
// county's copy topic (fengqiao.county.{county}.referral.{copy}): the topic
// is delivered at least once, so the same copy can arrive more than once
// after a crash or a store time-out, with the same ce_id. The contract
// (api/asyncapi.yaml): the record key is the dispute ID, ce_id is the
// event's identity; apply an event whose ce_id you have not applied, keep
// the ce_id with the effect, skip one you hold.
package copyconsumer

import (
	"encoding/json"
	"errors"
	"fmt"

	"fengqiao.dev/api/events"
	"fengqiao.dev/pkg/messaging"
)

// ErrNoEventID is returned for a record without a ce_id header: it cannot
// be deduplicated, so it is refused rather than applied blindly.
var ErrNoEventID = errors.New("a copy record without a ce_id header")

// Applier applies each copy once. Applied holds the ce_ids applied so far;
// a real system keeps them in its own database, written in the same
// transaction as the effect, for as long as the topic's retention.
type Applier struct {
	Applied map[string]bool
	// Apply is the agency's own effect: open a file, notify a desk, ...
	Apply func(copy events.ReferralCopyIssued) error
}

// Handle applies msg unless its ce_id was applied before; applied says
// which happened.
func (a *Applier) Handle(msg messaging.Message) (applied bool, err error) {
	id := eventID(msg)
	if id == "" {
		return false, ErrNoEventID
	}
	if a.Applied[id] {
		return false, nil
	}
	var c events.ReferralCopyIssued
	if err := json.Unmarshal(msg.Value, &c); err != nil {
		return false, fmt.Errorf("cannot decode copy %s: %w", id, err)
	}
	if err := a.Apply(c); err != nil {
		return false, fmt.Errorf("while applying copy %s: %w", id, err)
	}
	if a.Applied == nil {
		a.Applied = map[string]bool{}
	}
	a.Applied[id] = true
	return true, nil
}

func eventID(msg messaging.Message) string {
	for _, h := range msg.Headers {
		if h.Key == "ce_id" {
			return string(h.Value)
		}
	}
	return ""
}
