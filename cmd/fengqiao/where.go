package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"text/tabwriter"
	"time"

	"fengqiao.dev/api/events"
)

// Timeline is supervision's GET /v1/disputes/{id}/timeline.
type Timeline struct {
	DisputeID  string    `json:"dispute_id"`
	CaseCode   string    `json:"case_code"`
	CountyCode string    `json:"county_code"`
	Stage      string    `json:"stage"`
	Round      int       `json:"round"`
	Handoffs   []Handoff `json:"handoffs"`
}

// Handoff is one entry of the timeline.
type Handoff struct {
	EventID string        `json:"event_id"`
	Type    string        `json:"type"`
	From    events.Agency `json:"from"`
	To      events.Agency `json:"to"`
	At      time.Time     `json:"at"`
	Copy    events.Copy   `json:"copy"`
	Round   int           `json:"round"`
	Note    string        `json:"note"`
	TraceID string        `json:"trace_id"`
}

// Caller is who the CLI asks supervision as: today the identity headers a
// gateway sets, or a bearer token once the API takes one.
type Caller struct {
	County, Agency, Role, Officer string
	Token                         string
}

func (c Caller) apply(req *http.Request) {
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	for k, v := range map[string]string{"X-Fengqiao-County": c.County, "X-Fengqiao-Agency": c.Agency,
		"X-Fengqiao-Role": c.Role, "X-Fengqiao-Officer": c.Officer} {
		if v != "" {
			req.Header.Set(k, v)
		}
	}
}

// FetchTimeline asks supervision for the dispute's timeline.
func FetchTimeline(ctx context.Context, base, disputeID string, who Caller) (Timeline, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet,
		strings.TrimSuffix(base, "/")+"/v1/disputes/"+url.PathEscape(disputeID)+"/timeline", nil)
	if err != nil {
		return Timeline{}, fmt.Errorf("cannot build the request: %w", err)
	}
	who.apply(req)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return Timeline{}, fmt.Errorf("cannot reach supervision: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		var p struct{ Title, Detail string }
		_ = json.NewDecoder(resp.Body).Decode(&p)
		return Timeline{}, fmt.Errorf("supervision answered %d: %s %s", resp.StatusCode, p.Title, p.Detail)
	}
	var tl Timeline
	if err := json.NewDecoder(resp.Body).Decode(&tl); err != nil {
		return Timeline{}, fmt.Errorf("while reading the timeline: %w", err)
	}
	return tl, nil
}

// Whereabouts answers "where is it stuck and who has it": the last handoff
// names the holder and the trace to open; a copy issued and never signed is
// a copy nobody took.
type Whereabouts struct {
	Stage      string
	Holder     events.Agency
	Since      time.Time
	LastEvent  string
	TraceID    string
	Unaccepted []events.Copy
}

// Locate reads the whereabouts from a timeline.
func Locate(tl Timeline) Whereabouts {
	w := Whereabouts{Stage: tl.Stage}
	if len(tl.Handoffs) == 0 {
		return w
	}
	last := tl.Handoffs[len(tl.Handoffs)-1]
	w.Holder, w.Since, w.LastEvent, w.TraceID = last.To, last.At, last.Type, last.TraceID
	issued := false
	signed := map[events.Copy]bool{}
	for _, h := range tl.Handoffs {
		if h.Round != tl.Round {
			continue
		}
		switch h.Type {
		case events.TypeReferralIssued:
			issued = true
		case events.TypeReferralCopyAccepted:
			signed[h.Copy] = true
		}
	}
	if issued {
		for _, c := range events.Copies() {
			if !signed[c] {
				w.Unaccepted = append(w.Unaccepted, c)
			}
		}
	}
	return w
}

func runWhere(ctx context.Context, args []string, stdout io.Writer, getenv func(string) string) error {
	fs := flag.NewFlagSet("where", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	base := fs.String("supervision", envOr(getenv, "FENGQIAO_SUPERVISION_URL", "http://127.0.0.1:8085"), "supervision's base URL")
	var who Caller
	fs.StringVar(&who.County, "county", getenv("FENGQIAO_COUNTY"), "caller's county code (X-Fengqiao-County)")
	fs.StringVar(&who.Agency, "agency", envOr(getenv, "FENGQIAO_AGENCY", "committee"), "caller's agency (X-Fengqiao-Agency)")
	fs.StringVar(&who.Role, "role", envOr(getenv, "FENGQIAO_ROLE", "committee"), "caller's role (X-Fengqiao-Role)")
	fs.StringVar(&who.Officer, "officer", getenv("FENGQIAO_OFFICER"), "caller's officer ID (X-Fengqiao-Officer)")
	fs.StringVar(&who.Token, "token", getenv("FENGQIAO_TOKEN"), "bearer token for the API (FENGQIAO_TOKEN)")
	var id string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		id, args = args[0], args[1:]
	}
	if err := fs.Parse(args); err != nil {
		return usageError(err.Error())
	}
	if id == "" && fs.NArg() == 1 {
		id = fs.Arg(0)
	}
	if id == "" {
		return usageError("where needs a dispute ID")
	}
	if who.County == "" && who.Token == "" {
		return usageError("where asks as a member of the dispute's county: pass --county or set FENGQIAO_COUNTY")
	}
	tl, err := FetchTimeline(ctx, *base, id, who)
	if err != nil {
		return err
	}
	printWhereabouts(stdout, tl, Locate(tl))
	return nil
}

func printWhereabouts(out io.Writer, tl Timeline, w Whereabouts) {
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "dispute\t%s (case %s, county %s, round %d)\n", tl.DisputeID, tl.CaseCode, tl.CountyCode, tl.Round)
	fmt.Fprintf(tw, "stage\t%s\n", w.Stage)
	if w.LastEvent != "" {
		fmt.Fprintf(tw, "held by\t%s %s, since %s (%s)\n", w.Holder.Kind, w.Holder.ID, w.Since.UTC().Format(time.RFC3339), w.LastEvent)
		fmt.Fprintf(tw, "trace\t%s\n", orNone(w.TraceID))
	}
	if len(w.Unaccepted) > 0 {
		var copies []string
		for _, c := range w.Unaccepted {
			copies = append(copies, string(c))
		}
		fmt.Fprintf(tw, "not signed for\t%s\n", strings.Join(copies, ", "))
	}
	tw.Flush()
	fmt.Fprintln(out, "\nhandoffs:")
	tw = tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "AT\tTYPE\tFROM\tTO\tCOPY\tTRACE")
	for _, h := range tl.Handoffs {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", h.At.UTC().Format(time.RFC3339), h.Type, h.From.ID, h.To.ID, h.Copy, orNone(h.TraceID))
	}
	tw.Flush()
}

func envOr(getenv func(string) string, key, fallback string) string {
	if v := getenv(key); v != "" {
		return v
	}
	return fallback
}

func orNone(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
