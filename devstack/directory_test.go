package devstack_test

import (
	"testing"

	"fengqiao.dev/devstack/idp"
	"fengqiao.dev/operators/mediationcenter/localpolicy"
	"fengqiao.dev/pkg/identity"
)

// TestSampleMediatorsAreOnTheSampleRosters: a mediator reads and works only
// the mediations whose team it is on, and matching seats the county's
// roster; so every mediator of the sample rosters can log in to the
// provider as itself (its roster ID as staff ID, its unit as agency), and
// no sample mediator is someone matching never seats.
func TestSampleMediatorsAreOnTheSampleRosters(t *testing.T) {
	centers, err := localpolicy.LoadDir("../operators/mediationcenter/config/samples")
	if err != nil {
		t.Fatal(err)
	}
	onRoster := map[identity.Caller]bool{}
	for _, mc := range centers {
		for _, m := range mc.Spec.Mediators {
			onRoster[identity.Caller{County: mc.Spec.County.Code, Agency: string(m.Agency), Role: identity.RoleMediator, Officer: string(m.ID)}] = true
		}
	}
	users := map[identity.Caller]bool{}
	for _, u := range idp.Users() {
		if u.Caller.Role != identity.RoleMediator {
			continue
		}
		users[u.Caller] = true
		if !onRoster[u.Caller] {
			t.Errorf("sample user %s (%+v) is on no sample roster", u.Name, u.Caller)
		}
	}
	for c := range onRoster {
		if !users[c] {
			t.Errorf("mediator %s of %s's roster cannot log in to the provider", c.Officer, c.County)
		}
	}
}
