package supervision_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"testing"

	"fengqiao.dev/embedded/servicetest"
	"fengqiao.dev/pkg/bootstrap"
	"fengqiao.dev/pkg/config"
	"fengqiao.dev/pkg/identity"
	"fengqiao.dev/services/supervision"
)

// harness is the supervision service on the component-test kit. Its tests
// name a caller by the request's headers (an identity, and If-Match or
// Idempotency-Key where a test needs them).
type harness struct{ *servicetest.Harness }

// start runs the service on a fresh embedded stack until the test ends.
func start(t *testing.T) *harness { return startWith(t, supervision.Options{}) }

// startWith is start with the service's options (a clock, figure timings).
func startWith(t *testing.T, opts supervision.Options) *harness {
	t.Helper()
	newService := supervision.NewWith(opts)
	return &harness{servicetest.Start(t, func(ctx context.Context, cfg config.Common, log *slog.Logger) (*bootstrap.Service, error) {
		// The relay at its production pace, not the kit's faster one: the
		// figures tests read several read models after waiting on one,
		// and pass only when the others have caught up by then.
		cfg.RelayInterval = 0
		return newService(ctx, cfg, log)
	})}
}

// caller is who asks: a committee member of a county, in the request's
// headers.
func caller(county string) http.Header { return header(committeeOf(county)) }

// committeeOf is a committee member of a county.
func committeeOf(county string) identity.Caller {
	return identity.Caller{County: county, Agency: "plc-" + county, Role: identity.RoleCommittee, Officer: "staff-1"}
}

func header(c identity.Caller) http.Header {
	h := http.Header{}
	h.Set(identity.HeaderCounty, c.County)
	h.Set(identity.HeaderAgency, c.Agency)
	h.Set(identity.HeaderRole, string(c.Role))
	h.Set(identity.HeaderOfficer, c.Officer)
	return h
}

// get calls the API and decodes a JSON (or problem+json) body into out.
func (h *harness) get(t *testing.T, path string, who http.Header, out any) (status int, contentType string, err error) {
	t.Helper()
	status, body, answer := h.DoRaw(t, http.MethodGet, path, nil, identity.Caller{}, pairs(who)...)
	if err := json.Unmarshal(body, out); err != nil {
		return status, "", fmt.Errorf("GET %s: %d, undecodable body: %w", path, status, err)
	}
	return status, answer.Get("Content-Type"), nil
}

// send calls the API with a raw body and returns the status and raw body.
func (h *harness) send(t *testing.T, method, path, body string, who http.Header) (int, string) {
	t.Helper()
	var sent any
	if body != "" {
		sent = []byte(body)
	}
	status, answer, _ := h.DoRaw(t, method, path, sent, identity.Caller{}, pairs(who)...)
	return status, string(answer)
}

// pairs are who's headers as the kit's name-value pairs.
func pairs(who http.Header) []string {
	var out []string
	for name := range who {
		out = append(out, name, who.Get(name))
	}
	return out
}
