package e2e

import (
	"context"
	"fmt"
	"sync"
	"time"

	"fengqiao.dev/devstack/idp"
	"fengqiao.dev/pkg/identity"
)

// The e2e tests call as the provider's sample people: each caller below is
// a user of devstack's OpenID provider, and every request carries that
// user's access token, obtained by the authorization-code flow with PKCE.

// rolePrefix is how the provider names a role's sample user.
var rolePrefix = map[identity.Role]string{
	identity.RoleOfficer: "officer", identity.RoleJurisdiction: "centre", identity.RoleMediator: "mediator",
	identity.RoleCommittee: "committee", identity.RoleSupervisor: "supervisor",
}

// sampleUser is the provider's user of a role in a county.
func sampleUser(role identity.Role, county string) identity.Caller {
	name := rolePrefix[role] + "-" + county
	for _, u := range idp.Users() {
		if u.Name == name {
			return u.Caller
		}
	}
	panic("the provider has no sample user " + name)
}

// userName is the provider's user who is c: a mediator of a sample roster
// by its roster ID, anyone else by role and county.
func userName(c identity.Caller) string {
	for _, u := range idp.Users() {
		if u.Caller == c {
			return u.Name
		}
	}
	return rolePrefix[c.Role] + "-" + c.County
}

// tokens caches access tokens by issuer and user, renewing them well before
// they expire.
type tokens struct {
	mu    sync.Mutex
	byKey map[string]cachedToken
}

type cachedToken struct {
	token string
	at    time.Time
}

var sessions = &tokens{byKey: map[string]cachedToken{}}

// bearer returns the caller's access token from the provider at issuer.
func (tk *tokens) bearer(issuer string, c identity.Caller) (string, error) {
	key := issuer + " " + userName(c)
	tk.mu.Lock()
	cached, ok := tk.byKey[key]
	tk.mu.Unlock()
	if ok && time.Since(cached.at) < idp.TokenLifetime/2 {
		return cached.token, nil
	}
	if _, known := rolePrefix[c.Role]; !known {
		return "", fmt.Errorf("no sample user has role %s", c.Role)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	token, err := idp.UserToken(ctx, issuer, userName(c), idp.DevPassword)
	if err != nil {
		return "", err
	}
	tk.mu.Lock()
	tk.byKey[key] = cachedToken{token, time.Now()}
	tk.mu.Unlock()
	return token, nil
}
