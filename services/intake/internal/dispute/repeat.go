package dispute

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
	"time"
	"unicode"

	"fengqiao.dev/api/events"
	"fengqiao.dev/api/policy"
)

// Kinds of match between a new report and a dispute: the same parties,
// the same address, or the same external reference.
const (
	MatchParty       = "party"
	MatchAddress     = "address"
	MatchExternalRef = "external_ref"
)

// MatchKeyer derives the keys a report is matched on: keyed hashes
// (HMAC-SHA256), so the store can be searched for a person's ID or phone
// number without holding it in the clear, and a stolen index cannot be
// reversed by hashing every possible phone number without the key.
type MatchKeyer struct{ key []byte }

// NewMatchKeyer returns a keyer with the secret key from configuration.
func NewMatchKeyer(key []byte) MatchKeyer { return MatchKeyer{key: append([]byte(nil), key...)} }

func (k MatchKeyer) hash(kind, value string) string {
	m := hmac.New(sha256.New, k.key)
	m.Write([]byte(kind + "\x00" + value))
	return kind + ":" + hex.EncodeToString(m.Sum(nil)[:16])
}

// Keys returns the match keys of a registration in a county.
func (k MatchKeyer) Keys(r Registration) []string {
	var keys []string
	for _, p := range r.Parties {
		if p.IDNumber != "" {
			keys = append(keys, k.hash(MatchParty, "id:"+strings.ToUpper(p.IDNumber)))
		}
		if p.Phone != "" {
			keys = append(keys, k.hash(MatchParty, "phone:"+digits(normalisePhone(p.Phone))))
		}
	}
	if a := normaliseAddress(r.Place.Address); a != "" {
		keys = append(keys, k.hash(MatchAddress, r.CountyCode+":"+a))
	}
	if r.ExternalRef != "" {
		keys = append(keys, k.hash(MatchExternalRef, string(r.Channel)+":"+r.ExternalRef))
	}
	return keys
}

// normaliseAddress drops spaces and punctuation, so "城关镇 解放路12号" and
// "城关镇解放路12号。" match; an address too short to place a household is
// not matched on.
func normaliseAddress(a string) string {
	var b strings.Builder
	for _, r := range a {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	if len([]rune(b.String())) < 6 {
		return ""
	}
	return b.String()
}

// digits keeps the digits of s: "138-1234-5678" is "13812345678".
func digits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}

// matchKind is the kind of a match key.
func matchKind(key string) string { k, _, _ := strings.Cut(key, ":"); return k }

// RepeatRule is the county's rule for second handling (二次处置): Threshold
// reports within Window.
type RepeatRule struct {
	Threshold int
	Window    time.Duration
}

// DefaultRepeatRule is the repeat rule of a high-risk dispute in a county
// without a policy: the MediationCenter's (api/policy), 2 reports in 30
// days. It is the rule a report is matched on before its risk is known.
var DefaultRepeatRule = RepeatRuleFor(nil, events.RiskHigh)

// RepeatRuleFor is a county's second-handling rule for a dispute of risk r:
// its RepeatCallThreshold for the level over its RepeatWindow, each
// falling back to the MediationCenter's defaults (api/policy) when the
// policy (nil: none) leaves it unset.
func RepeatRuleFor(p *policy.CountyPolicy, r events.RiskLevel) RepeatRule {
	defaults := policy.DefaultEscalation()
	rule := RepeatRule{Threshold: defaults.For(policy.RiskLevel(r)).RepeatCallThreshold, Window: defaults.RepeatWindow.Duration}
	if p == nil {
		return rule
	}
	if n := p.Escalation.For(policy.RiskLevel(r)).RepeatCallThreshold; n > 0 {
		rule.Threshold = n
	}
	if w := p.Escalation.RepeatWindow.Duration; w > 0 {
		rule.Window = w
	}
	return rule
}

// Report is one report about a dispute: the first registration is the
// dispute itself, each later one linked to it is a Report.
type Report struct {
	ID          string
	Channel     events.Channel
	ExternalRef string
	Station     events.Agency
	Officer     string
	MatchedOn   []string
	At          time.Time
}

// ErrSameReport says a report is one the dispute already holds (the same
// channel and external reference): a redelivery, not a repeat.
var ErrSameReport = errors.New("the dispute already holds this report")

// Linkable reports whether a new report may be linked to d at now: the
// dispute was active (registered, reported, closed or reopened) within the
// window: a report links to a dispute open or recently closed.
func (d Dispute) Linkable(window time.Duration, now time.Time) bool {
	return now.Sub(d.lastActivity()) <= window
}

func (d Dispute) lastActivity() time.Time {
	last := d.RegisteredAt
	for _, r := range d.Reports {
		if r.At.After(last) {
			last = r.At
		}
	}
	for _, r := range d.Reopenings {
		if r.At.After(last) {
			last = r.At
		}
	}
	if d.ClosedAt != nil && d.ClosedAt.After(last) {
		last = *d.ClosedAt
	}
	return last
}

// MatchedOn lists the kinds of the keys d shares with keys, in a fixed order.
func (d Dispute) MatchedOn(keys []string) []string {
	var kinds []string
	for _, kind := range []string{MatchParty, MatchAddress, MatchExternalRef} {
		for _, k := range keys {
			if matchKind(k) == kind && containsString(d.MatchKeys, k) {
				kinds = append(kinds, kind)
				break
			}
		}
	}
	return kinds
}

func containsString(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

func (d Dispute) holds(ch events.Channel, ref string) bool {
	if ref == "" {
		return false
	}
	if d.Channel == ch && d.ExternalRef == ref {
		return true
	}
	for _, r := range d.Reports {
		if r.Channel == ch && r.ExternalRef == ref {
			return true
		}
	}
	return false
}

// reportsWithin counts the reports within the window before now, the first
// registration included.
func (d Dispute) reportsWithin(window time.Duration, now time.Time) int {
	n := 0
	if now.Sub(d.RegisteredAt) <= window {
		n++
	}
	for _, r := range d.Reports {
		if now.Sub(r.At) <= window {
			n++
		}
	}
	return n
}
