package countypolicy

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"time"

	"fengqiao.dev/api/policy"
)

// Hash is a content hash of the policy itself: identity, revision, source
// and publication time are left out, so a spec edit that changes nothing
// effective (a comment in a label, a reordering the apiserver keeps) does
// not republish.
func Hash(p policy.CountyPolicy) string {
	p.Revision, p.Hash, p.PublishedAt, p.Source = 0, "", time.Time{}, ""
	b, err := json.Marshal(p)
	if err != nil {
		// Only plain values are marshalled: this cannot happen.
		panic("countypolicy: marshalling a policy: " + err.Error())
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:8])
}
