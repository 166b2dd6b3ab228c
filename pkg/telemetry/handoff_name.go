package telemetry

import (
	"regexp"
	"slices"
	"strings"

	"go.opentelemetry.io/otel/attribute"

	"fengqiao.dev/api/events"
)

// handoffNouns name the handoff each event type records, as an SRE would say
// it. Types missing here are named from the type itself
// ("dev.fengqiao.referral.copy_returned.v1" → "referral copy returned handoff").
var handoffNouns = map[string]string{
	events.TypeDisputeRegistered:    "intake handoff",
	events.TypeDisputeReopened:      "reopening handoff",
	events.TypeReferralIssued:       "referral handoff",
	events.TypeReferralCopyIssued:   "copy handoff",
	events.TypeReferralCopyAccepted: "copy acceptance",
	events.TypeMediationOpened:      "mediation handoff",
	events.TypeMediationResolved:    "settlement handoff",
	events.TypeMediationFailed:      "failed mediation handoff",
	events.TypeRevisitScheduled:     "revisit handoff",
	events.TypeRevisitCompleted:     "revisit result handoff",
}

// agencyLabels are the short agency names of span names: the role each
// kind plays in the loop. Governance centres and judicial offices both hold
// the jurisdiction copy (docs/domain.md), so both read "jurisdiction".
var agencyLabels = map[events.AgencyKind]string{
	events.AgencyPoliceStation:    "police",
	events.AgencyCommittee:        "committee",
	events.AgencyGovernanceCentre: "jurisdiction",
	events.AgencyJudicialOffice:   "jurisdiction",
	events.AgencyMediationRoom:    "room",
	events.AgencyLawFirm:          "law firm",
	events.AgencyCourt:            "court",
}

// SpanName names the handoff's span, e.g. "referral handoff
// police→jurisdiction" or "jurisdiction copy acceptance police→jurisdiction".
// Every part comes from a bounded set (event types, copies, agency kinds),
// never from an ID, so span names stay low-cardinality.
func (h Handoff) SpanName() string {
	noun, ok := handoffNouns[h.EventType]
	if !ok {
		noun = nounFromType(h.EventType)
	}
	if slices.Contains(events.Copies(), h.Copy) {
		if strings.HasPrefix(noun, "copy ") {
			noun = string(h.Copy) + " " + noun
		} else {
			noun += " (" + string(h.Copy) + " copy)"
		}
	}
	if h.From.Kind == "" && h.To.Kind == "" {
		return noun
	}
	return noun + " " + agencyLabel(h.From.Kind) + "→" + agencyLabel(h.To.Kind)
}

var typeVersion = regexp.MustCompile(`\.v[0-9]+$`)

func nounFromType(t string) string {
	s := typeVersion.ReplaceAllString(strings.TrimPrefix(t, "dev.fengqiao."), "")
	s = strings.NewReplacer(".", " ", "_", " ").Replace(s)
	if s == "" {
		s = "event"
	}
	return s + " handoff"
}

func agencyLabel(k events.AgencyKind) string {
	if l, ok := agencyLabels[k]; ok {
		return l
	}
	if k == "" {
		return "?"
	}
	return "other"
}

var countyCode = regexp.MustCompile(`^[0-9]{6}$`)

// Labels are the handoff's metric labels, every value from a bounded set:
// county code (a tenant), event type, agency kinds and copy. Values outside
// the contract's vocabulary become "other", so a malformed event cannot
// blow up the series count; IDs never become labels.
func (h Handoff) Labels() []attribute.KeyValue {
	return []attribute.KeyValue{
		AttrCountyCode.String(BoundedCounty(h.County)),
		AttrEventType.String(BoundedEventType(h.EventType)),
		AttrHandoffFromKind.String(boundedKind(h.From.Kind)),
		AttrHandoffToKind.String(boundedKind(h.To.Kind)),
		AttrReferralCopy.String(boundedCopy(h.Copy)),
	}
}

// BoundedCounty returns code if it is a 6-digit county code, else "other".
func BoundedCounty(code string) string {
	if countyCode.MatchString(code) {
		return code
	}
	return "other"
}

// BoundedEventType returns t if the contract defines it, else "other".
func BoundedEventType(t string) string {
	if slices.Contains(events.Types(), t) {
		return t
	}
	return "other"
}

func boundedKind(k events.AgencyKind) string {
	if _, ok := agencyLabels[k]; ok {
		return string(k)
	}
	if k == "" {
		return "none"
	}
	return "other"
}

func boundedCopy(c events.Copy) string {
	if slices.Contains(events.Copies(), c) {
		return string(c)
	}
	return "none"
}
