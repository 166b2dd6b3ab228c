package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"sync"
	"sync/atomic"
	"time"

	"fengqiao.dev/api/fengqiaoapi"
	"fengqiao.dev/pkg/identity"
)

// sampleCounty is one of the sample counties (operators/mediationcenter/
// config/samples) with a place whose neighbours' disputes its routing rules
// send to a governance centre.
type sampleCounty struct {
	code, township, village string
}

var sampleCounties = []sampleCounty{
	{"622901", "622901001", "622901001001"}, // Linxia city, 八坊街道
	{"620902", "620902001", "620902001001"}, // Jiuquan Suzhou, 东北街街道
	{"370202", "370202001", "370202001001"}, // Qingdao Shinan, 江苏路街道
}

// endpoints tells the driver where the services are now; a restarted
// platform may move them.
type endpoints interface {
	url(service string) string
	issuer() string // the OpenID provider the services trust
}

// run is one dispute as the driver drives it: what it sent, what it was told
// and how far it got.
type run struct {
	no        int
	county    sampleCounty
	key       string // Idempotency-Key and external reference
	id        string // set once the registration got a 2xx
	settled   bool   // outcome recorded (2xx, or found recorded after an error)
	revisited bool   // revisit result recorded
	failure   string // why the driver gave up on it, if it did
}

func (r *run) accepted() bool { return r.id != "" }

// driver sends a steady stream of disputes through the whole loop, as the
// officers, mediators and centres of several counties would, retrying what
// fails as a careful client does: the same Idempotency-Key for a
// registration, a re-read before repeating a change. Its ledger is what
// the platform told it: every run with an id was accepted.
type driver struct {
	where    endpoints
	client   *http.Client
	runs     []*run
	interval time.Duration // between two new disputes
	patience time.Duration // how long one dispute may take through the loop
	sent     atomic.Int64
	// observe, if set, sees every answer (or the error instead of one)
	// with when its request was sent.
	observe func(method, path string, sent time.Time, status int, answer map[string]any, err error)
}

func newDriver(where endpoints, disputes int, tag string) *driver {
	d := &driver{
		where: where, client: &http.Client{Timeout: 10 * time.Second},
		interval: 120 * time.Millisecond, patience: 4 * time.Minute,
	}
	for i := range disputes {
		d.runs = append(d.runs, &run{no: i, county: sampleCounties[i%len(sampleCounties)], key: fmt.Sprintf("fault-%s-%04d", tag, i)})
	}
	return d
}

// waitServed waits until intake holds the policy of every sample county
// (its jurisdiction has a revision): a platform just started reads the
// policies from their topic, and until then refuses the county's
// registrations as a county it does not serve, which a driver would count
// as a registration refused. A county not served by then is left to show
// up as refused.
func (d *driver) waitServed(ctx context.Context) {
	deadline := time.Now().Add(time.Minute)
	for _, c := range sampleCounties {
		for time.Now().Before(deadline) && ctx.Err() == nil {
			status, j, err := d.call(ctx, "intake", http.MethodGet, "/v1/jurisdiction", nil, officerOf(c.code))
			if revision, _ := j["revision"].(float64); err == nil && status == http.StatusOK && revision > 0 {
				break
			}
			time.Sleep(100 * time.Millisecond) // a poll interval, not a wait for a condition
		}
	}
}

// drive starts one dispute every interval and returns when every one has
// gone through the loop or been given up on. progress receives the number
// of disputes started so far, so a fault can be timed to the stream.
func (d *driver) drive(ctx context.Context, progress func(started int)) {
	d.waitServed(ctx)
	var wg sync.WaitGroup
	tick := time.NewTicker(d.interval)
	defer tick.Stop()
	for i, r := range d.runs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d.follow(ctx, r)
		}()
		progress(i + 1)
		select {
		case <-tick.C:
		case <-ctx.Done():
		}
	}
	wg.Wait()
}

// follow takes one dispute from registration to a recorded revisit,
// through the client generated from the OpenAPI document.
func (d *driver) follow(ctx context.Context, r *run) {
	ctx, cancel := context.WithTimeout(ctx, d.patience)
	defer cancel()
	if err := d.register(ctx, r); err != nil {
		r.failure = err.Error()
		return
	}
	slip := r.id + ".r1"
	// The centre that owns the case records its outcome: a run's many cases
	// go to whichever mediators matching seats, each only on its own.
	centre := centreOf(r.county.code)
	mediations := d.api("mediation-room", centre)
	mediation := slip + ".m1"
	err := d.changeOnce(ctx, r, "mediation "+mediation, "open", "resolved",
		func() (int, string, error) {
			resp, err := mediations.GetMediationWithResponse(ctx, mediation)
			if err != nil || resp.JSON200 == nil {
				return statusOf(resp), "", err
			}
			return resp.StatusCode(), resp.JSON200.Status, nil
		},
		func() (int, error) {
			resp, err := mediations.RecordOutcomeWithResponse(ctx, mediation, nil, outcome())
			return statusOf(resp), err
		})
	if err != nil {
		r.failure = err.Error()
		return
	}
	r.settled = true
	revisits := d.api("revisit", centre)
	revisit := slip + ".v1"
	err = d.changeOnce(ctx, r, "revisit "+revisit, "scheduled", "completed",
		func() (int, string, error) {
			resp, err := revisits.GetRevisitWithResponse(ctx, revisit)
			if err != nil || resp.JSON200 == nil {
				return statusOf(resp), "", err
			}
			return resp.StatusCode(), resp.JSON200.Status, nil
		},
		func() (int, error) {
			resp, err := revisits.RecordRevisitResultWithResponse(ctx, revisit, nil, fengqiaoapi.RevisitResult{Outcome: "stable"})
			return statusOf(resp), err
		})
	if err != nil {
		r.failure = err.Error()
		return
	}
	r.revisited = true
}

// register posts the registration until it gets a 2xx, always with the same
// Idempotency-Key: a repeat after a lost answer must not make a second
// dispute.
func (d *driver) register(ctx context.Context, r *run) error {
	body := registrationIn(r)
	intake := d.api("intake", officerOf(r.county.code))
	for {
		d.sent.Add(1)
		resp, err := intake.RegisterDisputeWithResponse(ctx, &fengqiaoapi.RegisterDisputeParams{IdempotencyKey: &r.key}, body)
		status := statusOf(resp)
		if err == nil && (status == http.StatusCreated || status == http.StatusOK) {
			registered := resp.JSON201
			if registered == nil {
				registered = resp.JSON200
			}
			if registered == nil || registered.Id == "" {
				return fmt.Errorf("registration %s: %d without an id: %s", r.key, status, bodyOf(resp))
			}
			r.id = registered.Id
			return nil
		}
		// 409: the case code's counter was busy past the write's budget
		// (the store slow under the fault); the answer says to try again,
		// and the Idempotency-Key makes that safe.
		if err == nil && status < 500 && status != http.StatusTooManyRequests && status != http.StatusRequestTimeout && status != http.StatusConflict {
			return fmt.Errorf("registration %s refused: %d %s", r.key, status, bodyOf(resp))
		}
		if !pause(ctx) {
			return fmt.Errorf("registration %s: no 2xx before the deadline (last %d %v)", r.key, status, err)
		}
	}
}

// changeOnce waits until what read reads is in state ready, then makes the
// change; after an error it re-reads, and a change found made (state done)
// counts as made, as a person at a screen would see it.
func (d *driver) changeOnce(ctx context.Context, r *run, what, ready, done string, read func() (int, string, error), change func() (int, error)) error {
	for {
		status, state, err := read()
		if err == nil && status == http.StatusOK {
			switch state {
			case done:
				return nil
			case ready:
				if status, err := change(); err == nil && status == http.StatusOK {
					return nil
				}
			}
		}
		if !pause(ctx) {
			return fmt.Errorf("%s of %s: not %s before the deadline (last %d %q %v)", what, r.key, done, status, state, err)
		}
	}
}

// api is the generated client of a service, calling as caller.
func (d *driver) api(service string, caller identity.Caller) *fengqiaoapi.ClientWithResponses {
	client, err := fengqiaoapi.NewClientWithResponses(d.where.url(service),
		fengqiaoapi.WithHTTPClient(observing{d}),
		fengqiaoapi.WithRequestEditorFn(func(ctx context.Context, req *http.Request) error {
			token, err := sessions.bearer(d.where.issuer(), caller)
			if err != nil {
				return fmt.Errorf("cannot log in as %s: %w", userName(caller), err)
			}
			req.Header.Set("Authorization", "Bearer "+token)
			return nil
		}))
	if err != nil {
		panic(fmt.Sprintf("cannot make a client of %s: %v", service, err)) // only for a malformed URL
	}
	return client
}

// observing sends the generated client's requests and shows every answer
// to the driver's observer, as call does.
type observing struct{ d *driver }

func (o observing) Do(req *http.Request) (*http.Response, error) {
	sent := time.Now()
	resp, err := o.d.client.Do(req)
	if o.d.observe == nil {
		return resp, err
	}
	if err != nil {
		o.d.observe(req.Method, req.URL.Path, sent, 0, nil, err)
		return resp, err
	}
	raw, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(raw))
	var out map[string]any
	_ = json.Unmarshal(raw, &out)
	o.d.observe(req.Method, req.URL.Path, sent, resp.StatusCode, out, err)
	return resp, err
}

// statusOf is a generated response's status, 0 when there is none.
func statusOf(resp interface{ StatusCode() int }) int {
	if resp == nil || reflect.ValueOf(resp).IsNil() {
		return 0
	}
	return resp.StatusCode()
}

func (d *driver) call(ctx context.Context, service, method, path string, body any, caller identity.Caller, headers ...string) (int, map[string]any, error) {
	var payload io.Reader
	if body != nil {
		data, err := json.Marshal(body)
		if err != nil {
			return 0, nil, err
		}
		payload = bytes.NewReader(data)
	}
	req, err := http.NewRequestWithContext(ctx, method, d.where.url(service)+path, payload)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	token, err := sessions.bearer(d.where.issuer(), caller)
	if err != nil {
		return 0, nil, fmt.Errorf("cannot log in as %s: %w", userName(caller), err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	sent := time.Now()
	status, out, err := d.send(req)
	if d.observe != nil {
		d.observe(method, path, sent, status, out, err)
	}
	return status, out, err
}

func (d *driver) send(req *http.Request) (int, map[string]any, error) {
	resp, err := d.client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return resp.StatusCode, nil, err
	}
	var out map[string]any
	_ = json.Unmarshal(raw, &out)
	return resp.StatusCode, out, nil
}

// pause waits a little before the next try; false once ctx is over.
func pause(ctx context.Context) bool {
	select {
	case <-ctx.Done():
		return false
	case <-time.After(250 * time.Millisecond):
		return true
	}
}

func registrationIn(r *run) fengqiaoapi.Registration {
	// Distinct parties per dispute: the same people at the same place would
	// be linked as a repeat report of one dispute, not registered anew.
	applicantPhone := fmt.Sprintf("139%08d", r.no)
	return fengqiaoapi.Registration{
		Channel: "alert_110", ExternalRef: &r.key, CountyCode: r.county.code,
		Place:    fengqiaoapi.Place{TownshipCode: &r.county.township, VillageCode: &r.county.village},
		Category: "neighbour",
		Parties: []fengqiaoapi.PartyInput{
			{Role: "applicant", Name: fmt.Sprintf("甲%04d", r.no), Phone: &applicantPhone},
			{Role: "respondent", Name: fmt.Sprintf("乙%04d", r.no)},
		},
		Summary: "院墙争执 " + r.key, Narrative: new("两户因院墙位置发生争执，民警到场劝解。"),
	}
}

func outcome() fengqiaoapi.Outcome {
	return fengqiaoapi.Outcome{Result: "resolved", Agreement: &fengqiaoapi.Agreement{
		Summary: "院墙后退 20 厘米", Terms: &[]string{"12 月 1 日前拆除越界部分"}}}
}

func officerOf(county string) identity.Caller { return sampleUser(identity.RoleOfficer, county) }

func centreOf(county string) identity.Caller { return sampleUser(identity.RoleJurisdiction, county) }

func committeeOf(county string) identity.Caller { return sampleUser(identity.RoleCommittee, county) }
