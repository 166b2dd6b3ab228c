package revisit

import (
	"slices"
	"time"

	"fengqiao.dev/api/events"
	"fengqiao.dev/api/policy"
)

// Defaults used when a county has published no policy: the first
// revisit's deadline and the extra revisits are the MediationCenter's
// (api/policy: within two weeks, Qingdao; more for the categories Linxia
// names as rebound-prone); three contact attempts before an unreachable
// revisit is escalated, and a follow-up a week after a partial settlement,
// are the revisit service's own, as no county sets them.
var (
	DefaultDeadline      = policy.DefaultRevisit().Deadline.Duration
	DefaultExtraInterval = 30 * 24 * time.Hour
)

const (
	DefaultMaxAttempts   = 3
	DefaultFollowUpAfter = 7 * 24 * time.Hour
)

// DefaultReboundProne are the categories Linxia names as rebound-prone:
// marriage and family, neighbours, land contracts, debt (counted under
// contract) and land requisition/demolition.
func DefaultReboundProne() []events.Category {
	var out []events.Category
	for _, rule := range policy.DefaultRevisit().ReboundProne {
		out = append(out, events.Category(rule.Category))
	}
	return out
}

// Rules are one county's revisit rules at the moment of a decision.
type Rules struct {
	Deadline      time.Duration
	Channels      []events.RevisitChannel // allowed, in the county's order
	Extra         map[events.Category]Extra
	MaxAttempts   int
	FollowUpAfter time.Duration
}

// Extra is the extra revisits of one rebound-prone category.
type Extra struct {
	Count    int
	Interval time.Duration
}

// DefaultRules are the rules of a county without a published policy.
func DefaultRules() Rules {
	r := Rules{MaxAttempts: DefaultMaxAttempts, FollowUpAfter: DefaultFollowUpAfter}
	return r.apply(policy.DefaultRevisit())
}

// RulesFrom derives the rules from a county's published policy; nil (no
// policy) gives DefaultRules, and a zero field keeps its default.
func RulesFrom(p *policy.CountyPolicy) Rules {
	r := DefaultRules()
	if p == nil {
		return r
	}
	return r.apply(p.Revisit)
}

// apply lays what rp sets over r.
func (r Rules) apply(rp policy.RevisitPolicy) Rules {
	if rp.Deadline.Duration > 0 {
		r.Deadline = rp.Deadline.Duration
	}
	if len(rp.Channels) > 0 {
		r.Channels = nil
		for _, c := range rp.Channels {
			r.Channels = append(r.Channels, channelOf(c))
		}
	}
	if len(rp.ReboundProne) > 0 {
		r.Extra = map[events.Category]Extra{}
		for _, rule := range rp.ReboundProne {
			r.Extra[events.Category(rule.Category)] = Extra{Count: max(rule.ExtraRevisits, 0), Interval: intervalOr(rule.Interval)}
		}
	}
	return r
}

func intervalOr(d policy.Duration) time.Duration {
	if d.Duration > 0 {
		return d.Duration
	}
	return DefaultExtraInterval
}

// channelOf maps the policy's channel names to the event vocabulary.
func channelOf(c policy.RevisitChannel) events.RevisitChannel {
	if c == policy.RevisitOnSite {
		return events.RevisitHomeVisit
	}
	return events.RevisitChannel(c)
}

// ChannelFor picks the channel by risk among the county's channels: a
// high-risk dispute is revisited at home (上门), a medium or low one by
// phone; when the county does not allow the preferred channel, its first
// allowed channel.
func (r Rules) ChannelFor(risk events.RiskLevel) events.RevisitChannel {
	want := events.RevisitPhone
	if risk == events.RiskHigh {
		want = events.RevisitHomeVisit
	}
	if len(r.Channels) == 0 || slices.Contains(r.Channels, want) {
		return want
	}
	return r.Channels[0]
}
