package loadgen

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"fengqiao.dev/devstack/idp"
)

// intake is the client of intake's public HTTP API, calling as each
// county's police system, with its client-credentials token from the
// platform's OpenID provider.
type intake struct {
	url    string
	client *http.Client
	issuer string

	mu     sync.Mutex
	tokens map[string]token // by county
}

type token struct {
	value string
	at    time.Time
}

func newIntake(url, issuer string, timeout time.Duration, maxConns int) *intake {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	// One connection per request in flight, kept: a load generator that
	// opened a connection per POST would measure TCP set-up, not the platform.
	tr.MaxIdleConns, tr.MaxIdleConnsPerHost, tr.MaxConnsPerHost = maxConns, maxConns, maxConns
	return &intake{url: strings.TrimRight(url, "/"), client: &http.Client{Transport: tr, Timeout: timeout},
		issuer: issuer, tokens: map[string]token{}}
}

// Outcome of one POST /v1/disputes.
type Outcome struct {
	DisputeID string
	Linked    bool // the platform linked it to an existing dispute as a repeat
}

// register posts one report. An error is a *Failure naming its kind.
func (c *intake) register(ctx context.Context, r Report) (Outcome, error) {
	body, err := json.Marshal(r.Body)
	if err != nil {
		return Outcome{}, fmt.Errorf("cannot encode a report: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url+"/v1/disputes", bytes.NewReader(body))
	if err != nil {
		return Outcome{}, fmt.Errorf("cannot build a request: %w", err)
	}
	if err := c.identify(ctx, req, r.County); err != nil {
		return Outcome{}, &Failure{Kind: "no token", Err: err}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", r.IdempotencyKey)
	resp, err := c.client.Do(req)
	if err != nil {
		return Outcome{}, &Failure{Kind: transportKind(err), Err: err}
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return Outcome{}, &Failure{Kind: "reading the response: " + transportKind(err), Err: err}
	}
	if resp.StatusCode != http.StatusCreated && resp.StatusCode != http.StatusOK {
		return Outcome{}, &Failure{Kind: statusKind(resp.StatusCode, raw), Err: fmt.Errorf("intake answered %d: %s", resp.StatusCode, raw)}
	}
	var d struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(raw, &d); err != nil || d.ID == "" {
		return Outcome{}, &Failure{Kind: "response without a dispute id", Err: fmt.Errorf("intake answered %d: %s", resp.StatusCode, raw)}
	}
	return Outcome{DisputeID: d.ID, Linked: resp.Header.Get("Fengqiao-Report-Linked") == "true"}, nil
}

// countyCategories reads a county's taxonomy once intake serves the
// county's own: a platform just started may still answer with the national
// one until its policy watcher has read the county's policy.
func (c *intake) countyCategories(ctx context.Context, county County) ([]Category, error) {
	want := ""
	if county.CategoriesVersion != "" {
		want = "+" + county.Code + "." + county.CategoriesVersion
	}
	wait, cancel := context.WithTimeout(ctx, policyWait)
	defer cancel()
	for {
		cats, version, err := c.categories(wait, county)
		if err != nil || strings.HasSuffix(version, want) {
			return cats, err
		}
		select {
		case <-wait.Done():
			return nil, fmt.Errorf("intake still serves taxonomy %s for county %s after %s, not the county's own (%s)", version, county.Code, policyWait, county.CategoriesVersion)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// policyWait bounds the wait for intake to read a county's policy.
const policyWait = 30 * time.Second

// categories reads a county's taxonomy as its registration form does, and
// the taxonomy's version.
func (c *intake) categories(ctx context.Context, county County) ([]Category, string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.url+"/v1/categories", nil)
	if err != nil {
		return nil, "", fmt.Errorf("cannot build a request: %w", err)
	}
	if err := c.identify(ctx, req, county.Code); err != nil {
		return nil, "", err
	}
	resp, err := c.client.Do(req)
	if err != nil {
		return nil, "", fmt.Errorf("while reading the categories of %s: %w", county.Code, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		raw, _ := io.ReadAll(resp.Body)
		return nil, "", fmt.Errorf("intake answered %d to GET /v1/categories for %s: %s", resp.StatusCode, county.Code, raw)
	}
	type node struct {
		Code     string `json:"code"`
		Children []node `json:"children"`
	}
	var tax struct {
		Version    string `json:"version"`
		Categories []node `json:"categories"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&tax); err != nil {
		return nil, "", fmt.Errorf("cannot decode the categories of %s: %w", county.Code, err)
	}
	cats := make([]Category, 0, len(tax.Categories))
	for _, n := range tax.Categories {
		cat := Category{Code: n.Code}
		for _, s := range n.Children {
			cat.Subcategories = append(cat.Subcategories, s.Code)
		}
		cats = append(cats, cat)
	}
	return cats, tax.Version, nil
}

// identify sets the bearer token of the county's police system, renewed
// well before it expires.
func (c *intake) identify(ctx context.Context, req *http.Request, county string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	t, ok := c.tokens[county]
	if !ok || time.Since(t.at) > idp.TokenLifetime/2 {
		value, err := idp.SystemToken(ctx, c.issuer, "police-system-"+county, idp.DevSecret)
		if err != nil {
			return fmt.Errorf("cannot get a token for the police system of %s: %w", county, err)
		}
		t = token{value, time.Now()}
		c.tokens[county] = t
	}
	req.Header.Set("Authorization", "Bearer "+t.value)
	return nil
}

// Failure is a report the platform did not accept, with the kind it is
// counted under: a small set of strings, so the report can group them.
type Failure struct {
	Kind string
	Err  error
}

func (f *Failure) Error() string { return f.Kind + ": " + f.Err.Error() }
func (f *Failure) Unwrap() error { return f.Err }

func transportKind(err error) string {
	var ne net.Error
	switch {
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return "timeout"
	case errors.Is(err, context.Canceled):
		return "cancelled"
	default:
		return "connection error"
	}
}

// statusKind names a refusal by its status and, for problem+json, its title.
func statusKind(status int, body []byte) string {
	var p struct {
		Title string `json:"title"`
	}
	if json.Unmarshal(body, &p) == nil && p.Title != "" {
		return fmt.Sprintf("HTTP %d %s", status, p.Title)
	}
	return fmt.Sprintf("HTTP %d", status)
}
