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

	"fengqiao.dev/pkg/problem"
)

// api calls the services with the signed-in user's token. The services
// decide who may see and do what; the console only shows their answers.
type api struct {
	urls   Services
	client *http.Client
}

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

// call sends a request to base+path with the token and decodes a 2xx JSON
// answer into out (when not nil).
func (a *api) call(ctx context.Context, token, method, base, path string, body any, out any, headers ...string) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, strings.TrimSuffix(base, "/")+path, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := a.client.Do(req)
	if err != nil {
		return fmt.Errorf("cannot reach %s: %w", base, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	if err != nil {
		return fmt.Errorf("while reading %s %s: %w", method, path, err)
	}
	switch {
	case resp.StatusCode == http.StatusUnauthorized:
		return errUnauthorized
	case resp.StatusCode >= 400:
		var p problem.Details
		if json.Unmarshal(data, &p) != nil || p.Status == 0 {
			p = problem.Details{Status: resp.StatusCode, Title: resp.Status}
		}
		return &apiError{p}
	}
	if out == nil {
		return nil
	}
	if text, ok := out.(*string); ok {
		*text = string(data) // a text answer (an agreement rendered from its template)
		return nil
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("cannot read %s %s's answer: %w", method, path, err)
	}
	return nil
}

func asAPIError(err error, target **apiError) bool { return errors.As(err, target) }
