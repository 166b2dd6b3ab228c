package console

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"fengqiao.dev/api/fengqiaoapi"
	"fengqiao.dev/pkg/problem"
)

// api calls the services with the signed-in user's token, through the
// client generated from the platform's OpenAPI document (one per service,
// as each serves its own part). The services decide who may see and do
// what; the console only shows their answers.
type api struct {
	intake, referral, mediationRoom, revisit, supervision *fengqiaoapi.ClientWithResponses
}

func newAPI(urls Services, client *http.Client) (*api, error) {
	if client == nil {
		client = http.DefaultClient
	}
	a := &api{}
	for _, s := range []struct {
		to  **fengqiaoapi.ClientWithResponses
		url string
	}{{&a.intake, urls.Intake}, {&a.referral, urls.Referral}, {&a.mediationRoom, urls.MediationRoom},
		{&a.revisit, urls.Revisit}, {&a.supervision, urls.Supervision}} {
		c, err := fengqiaoapi.NewClientWithResponses(s.url, fengqiaoapi.WithHTTPClient(client))
		if err != nil {
			return nil, fmt.Errorf("cannot call %s: %w", s.url, err)
		}
		*s.to = c
	}
	return a, nil
}

// as is the request editor every call carries: the user's token, and any
// further headers as name, value pairs (a purpose, an Idempotency-Key).
func as(token string, headers ...string) fengqiaoapi.RequestEditorFn {
	return func(_ context.Context, req *http.Request) error {
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Accept", "application/json")
		for i := 0; i+1 < len(headers); i += 2 {
			req.Header.Set(headers[i], headers[i+1])
		}
		return nil
	}
}

// jsonBody is the content type of the bodies the console sends.
const jsonBody = "application/json"

// errUnauthorized is a service's 401: the token is no longer accepted.
var errUnauthorized = errors.New("a service refused the session's token")

// apiError is a service's problem+json answer other than a 401.
type apiError struct{ problem.Details }

func (e *apiError) Error() string { return e.Details.Error() }

// notFound reports whether err is a service's 404, which is also what
// another county's records answer.
func notFound(err error) bool {
	var ae *apiError
	return errors.As(err, &ae) && ae.Status == http.StatusNotFound
}

// answer is what every generated response has.
type answer interface {
	StatusCode() int
	Status() string
	GetBody() []byte
}

// check turns a generated call's outcome into the console's errors: the
// transport's, errUnauthorized, or the service's problem as an apiError.
func check(r answer, err error) error {
	if err != nil {
		return fmt.Errorf("cannot reach the service: %w", err)
	}
	switch code := r.StatusCode(); {
	case code == http.StatusUnauthorized:
		return errUnauthorized
	case code >= 400:
		var p problem.Details
		if json.Unmarshal(r.GetBody(), &p) != nil || p.Status == 0 {
			p = problem.Details{Status: code, Title: r.Status()}
		}
		return &apiError{p}
	}
	return nil
}

// typedAnswer is a generated response with its typed 200 answer.
type typedAnswer[T any] interface {
	answer
	GetJSON200() *T
}

// typed is the generated client's typed 200 answer, once check found no
// error; a 200 that did not decode as the document says is an error.
func typed[T any](r typedAnswer[T], err error) (T, error) {
	var zero T
	if err := check(r, err); err != nil {
		return zero, err
	}
	ok := r.GetJSON200()
	if ok == nil {
		return zero, fmt.Errorf("the service's answer (%d) is not what the OpenAPI document describes", r.StatusCode())
	}
	return *ok, nil
}

func asAPIError(err error, target **apiError) bool { return errors.As(err, target) }

// jsonOf is a body the console built from a form, as the services read it.
func jsonOf(body any) (io.Reader, error) {
	if body == nil {
		body = struct{}{}
	}
	b, err := json.Marshal(body)
	return bytes.NewReader(b), err
}

// optional is nil for an empty string: a query parameter left out.
func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// postMediation sends body to one of a mediation's routes, path being the
// part after /v1/mediations/{id} as the pages name their forms.
func (a *api) postMediation(ctx context.Context, token, id, path string, body any) error {
	rd, err := jsonOf(body)
	if err != nil {
		return err
	}
	c, auth := a.mediationRoom, as(token)
	switch path {
	case "/sessions":
		return check(c.ScheduleSessionWithBodyWithResponse(ctx, id, nil, jsonBody, rd, auth))
	case "/outcome":
		return check(c.RecordOutcomeWithBodyWithResponse(ctx, id, nil, jsonBody, rd, auth))
	case "/joint-session":
		return check(c.SendToJointSessionWithBodyWithResponse(ctx, id, nil, jsonBody, rd, auth))
	case "/legal-aid":
		return check(c.RequestLegalAidWithBodyWithResponse(ctx, id, nil, jsonBody, rd, auth))
	case "/joint-meeting":
		return check(c.ConveneJointMeetingWithBodyWithResponse(ctx, id, nil, jsonBody, rd, auth))
	case "/joint-meeting/decisions":
		return check(c.RecordJointMeetingDecisionsWithBodyWithResponse(ctx, id, nil, jsonBody, rd, auth))
	case "/performance":
		return check(c.RecordPerformanceWithBodyWithResponse(ctx, id, nil, jsonBody, rd, auth))
	case "/preferences":
		return check(c.SetPreferencesWithBodyWithResponse(ctx, id, nil, jsonBody, rd, auth))
	case "/objections":
		return check(c.ObjectToMediatorWithBodyWithResponse(ctx, id, nil, jsonBody, rd, auth))
	}
	if no, ok := strings.CutPrefix(path, "/sessions/"); ok {
		if no, ok := strings.CutSuffix(no, "/record"); ok {
			return check(c.RecordSessionWithBodyWithResponse(ctx, id, no, nil, jsonBody, rd, auth))
		}
	}
	return fmt.Errorf("no mediation route %s", path)
}

// postRevisit sends body to one of a revisit's routes (/result, /assign).
func (a *api) postRevisit(ctx context.Context, token, id, path string, body any) error {
	rd, err := jsonOf(body)
	if err != nil {
		return err
	}
	switch path {
	case "/result":
		return check(a.revisit.RecordRevisitResultWithBodyWithResponse(ctx, id, nil, jsonBody, rd, as(token)))
	case "/assign":
		return check(a.revisit.AssignRevisitWithBodyWithResponse(ctx, id, nil, jsonBody, rd, as(token)))
	}
	return fmt.Errorf("no revisit route %s", path)
}

// postCopy signs (accept) or returns (return, with the reason) a slip's
// copy.
func (a *api) postCopy(ctx context.Context, token, slip, copy, action string, reason string) error {
	switch action {
	case "accept":
		return check(a.referral.AcceptCopyWithResponse(ctx, slip, copy, nil, as(token)))
	case "return":
		return check(a.referral.ReturnCopyWithResponse(ctx, slip, copy, nil, fengqiaoapi.CopyReason{Reason: reason}, as(token)))
	}
	return fmt.Errorf("no copy action %s", action)
}
